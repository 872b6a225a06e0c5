"""Reading each source format: board APIs, feeds, JSON-LD, uploads (pure parsing, no network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from careergini.jobs.sources import ashby, feed, greenhouse, lever, upload
from careergini.jobs.sources.base import SourceError, slug_from
from careergini.jobs.sources.jsonld import (
    extract_blocks,
    find_listed_urls,
    find_postings,
    load_blocks,
    posting_from_jsonld,
)
from careergini.jobs.sources.text import html_to_text, parse_datetime
from tests.doubles.jobboards import fixture

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def test_greenhouse_unescapes_its_html_into_lines_and_bullets() -> None:
    result = greenhouse.parse(json.loads(fixture("greenhouse-acme.json")), company="Acme")
    assert [p.external_id for p in result.postings] == ["4012", "4013", "4014"]
    backend = result.postings[0]
    assert backend.company == "Acme Payments"  # the board's company_name wins over ours
    assert backend.location == "New York, NY"
    assert backend.url == "https://boards.greenhouse.io/acme/jobs/4012"
    assert backend.posted_at == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # first_published
    lines = backend.description.splitlines()
    assert "Requirements" in lines
    assert "- 5+ years of backend development in Python" in lines
    assert "&lt;" not in backend.description and "<li>" not in backend.description


def test_greenhouse_refuses_a_body_that_is_not_a_job_list() -> None:
    with pytest.raises(SourceError, match="not with a job list"):
        greenhouse.parse({"status": 404, "error": "Job board not found"}, company=None)


def test_an_item_without_a_title_is_counted_and_its_id_kept_as_seen() -> None:
    payload = {"jobs": [{"id": 7, "title": ""}, {"id": 8, "title": "Engineer"}, "garbage"]}
    result = greenhouse.parse(payload, company="Acme")
    assert [p.external_id for p in result.postings] == ["8"]
    assert result.failed == 2
    assert result.unreadable_ids == {"7"}


def test_lever_reads_lists_salary_workplace_and_milliseconds() -> None:
    result = lever.parse(json.loads(fixture("lever-globex.json")), company="Globex")
    ml, designer = result.postings
    assert ml.title == "Machine Learning Engineer" and ml.company == "Globex"
    assert "- 3+ years of experience training models with PyTorch" in ml.description
    assert "Nice to have" in ml.description.splitlines()
    assert ml.salary is not None and (ml.salary.min_amount, ml.salary.max_amount) == (
        170000,
        210000,
    )
    assert ml.salary.period == "year" and ml.salary.currency == "USD"
    assert ml.remote == "hybrid" and ml.employment_type == "full-time"
    assert ml.posted_at == datetime(2026, 11, 5, tzinfo=UTC)
    assert designer.remote == "remote" and designer.employment_type == "contract"


def test_ashby_skips_unlisted_jobs_and_reads_compensation() -> None:
    result = ashby.parse(json.loads(fixture("ashby-initech.json")), company="Initech", board="x")
    assert [p.title for p in result.postings] == ["DevOps Engineer"]
    devops = result.postings[0]
    assert devops.salary is not None and devops.salary.currency == "EUR"
    assert devops.employment_type == "full-time" and devops.remote == "onsite"


def test_rss_and_atom_feeds() -> None:
    rss = feed.parse(fixture("feed-jobs.rss"), company=None)
    assert [p.external_id for p in rss.postings] == ["umbrella-cde-17", "umbrella-its-4"]
    first = rss.postings[0]
    assert first.company == "Umbrella Health Careers"  # the feed's title
    assert first.posted_at == datetime(2026, 11, 10, 14, 0, tzinfo=UTC)
    assert "- Experience with Airflow" in first.description
    atom = feed.parse(fixture("feed-jobs.atom"), company="Stark")
    assert atom.postings[0].title == "Embedded Software Engineer"
    assert atom.postings[0].company == "Stark" and atom.postings[0].url.endswith("/careers/88")


def test_a_web_page_is_not_a_feed() -> None:
    with pytest.raises(SourceError, match="not a readable RSS or Atom feed"):
        feed.parse(b"<html><body>Hello</body></html>", company=None)


def test_jsonld_in_a_graph_with_remote_salary_and_expiry() -> None:
    blocks, title = extract_blocks(fixture("careers-static.html").decode())
    documents, bad = load_blocks(blocks)
    assert title == "Careers at Acme Payments" and bad == 0
    nodes = [n for doc in documents for n in find_postings(doc)]
    assert len(nodes) == 3
    page = "https://acme.example/careers"
    postings = [posting_from_jsonld(n, page_url=page, company=None, now=NOW) for n in nodes]
    backend, support, expired = postings
    assert expired is None  # validThrough in the past
    assert backend is not None and backend.external_id == "acme-4012"
    assert backend.location == "New York, NY, US" and backend.employment_type == "full-time"
    assert support is not None and support.remote == "remote" and support.location == "Remote"
    assert support.salary is not None and support.salary.min_amount == 80000
    assert support.url == page  # no url of its own


def test_jsonld_item_list_links_and_broken_blocks() -> None:
    blocks, _ = extract_blocks(fixture("careers-list.html").decode())
    documents, _ = load_blocks(blocks)
    assert find_postings(documents[0]) == []
    urls = find_listed_urls(documents[0], base_url="https://cyberdyne.example/careers/list")
    assert urls == [
        "https://cyberdyne.example/careers/cyberdyne-job-1.html",
        "https://cyberdyne.example/careers/cyberdyne-job-2.html",
    ]
    documents, bad = load_blocks(['{"@type": "JobPosting", "title": "A"', "<!-- {} -->"])
    assert bad == 1 and documents == [{}]


def test_csv_upload_with_aliases() -> None:
    fmt, rows = upload.validate(fixture("postings.csv"), "postings.csv")
    assert (fmt, rows) == ("csv", 3)
    result = upload.parse(fixture("postings.csv"), filename="postings.csv", company=None, now=NOW)
    assert [p.title for p in result.postings] == ["Data Engineer", "Backend Engineer"]
    assert result.failed == 1  # the row without a title
    engineer = result.postings[0]
    assert engineer.company == "Soylent Corp" and engineer.location == "Chicago, IL"
    assert engineer.salary is not None and engineer.salary.max_amount == 140000
    assert engineer.posted_at == datetime(2026, 11, 3, tzinfo=UTC)


def test_csv_without_required_columns_names_them() -> None:
    with pytest.raises(upload.UploadProblem) as caught:
        upload.validate(fixture("postings-missing-columns.csv"), "jobs.csv")
    assert caught.value.missing == ("company",)
    assert "company" in caught.value.detail


def test_json_upload_takes_plain_objects_and_schema_org_postings() -> None:
    result = upload.parse(fixture("postings.json"), filename="p.json", company=None, now=NOW)
    mobile, sre = result.postings
    assert mobile.remote == "remote" and mobile.company == "Massive Dynamic"
    assert sre.title == "Site Reliability Engineer" and sre.location == "Boston, MA"
    with pytest.raises(upload.UploadProblem, match="list of postings"):
        upload.validate(b'{"hello": "world"}', "x.json")


def test_the_nyc_open_data_export_loads_as_it_is() -> None:
    result = upload.parse(fixture("nyc-jobs-sample.csv"), filename="nyc.csv", company=None, now=NOW)
    assert len(result.postings) == 300
    first = result.postings[0]
    assert first.external_id == "87990" and first.title == "Account Manager"
    assert first.company == "DEPARTMENT OF BUSINESS SERV."
    assert first.salary is not None and first.salary.period == "year"
    # Runs of spaces are the export's paragraph breaks.
    assert len(first.description.splitlines()) > 5


def test_board_names_and_urls() -> None:
    hosts = ("boards.greenhouse.io",)
    assert slug_from("acme", hosts=hosts, what="board") == "acme"
    assert slug_from("https://boards.greenhouse.io/acme/", hosts=hosts, what="board") == "acme"
    with pytest.raises(ValueError, match="not a board URL"):
        slug_from("https://evil.example/acme", hosts=hosts, what="board")
    with pytest.raises(ValueError, match="not a board name"):
        slug_from("acme/../../admin", hosts=hosts, what="board")


def test_html_to_text_and_dates() -> None:
    text = html_to_text(
        "<h2>Role</h2><p>Build&nbsp;APIs</p><script>x()</script><ul><li>Go</li></ul>"
    )
    assert text.splitlines() == ["Role", "Build APIs", "- Go"]
    assert parse_datetime(1793836800000) == datetime(2026, 11, 5, tzinfo=UTC)
    assert parse_datetime("2025-06-06T18:36:29.484123456+00:00") is not None
    assert parse_datetime("not a date") is None
