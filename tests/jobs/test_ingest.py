"""Dedup keys, canonical URLs, and how a source's facts combine with the parser's."""

from __future__ import annotations

from careergini.jobs import ingest
from careergini.jobs.sources.base import RawPosting, SalaryHint
from careergini.skills import service as skills_service


def test_titles_companies_and_places_normalise_to_one_key() -> None:
    a = ingest.dedup_key(
        company="Acme, Inc.",
        title="Sr. Backend Engineer (Remote)",
        location="New York, NY, United States",
    )
    b = ingest.dedup_key(company="ACME", title="senior backend engineer", location="New York NY")
    c = ingest.dedup_key(company="Acme", title="Senior Frontend Engineer", location="New York NY")
    assert a == b
    assert a != c


def test_canonical_urls_drop_tracking_but_keep_what_identifies_the_job() -> None:
    assert (
        ingest.canonical_url(
            "http://WWW.Boards.Greenhouse.io/acme/jobs/4012/?gh_src=careers&utm_source=x#apply"
        )
        == "https://boards.greenhouse.io/acme/jobs/4012"
    )
    assert ingest.canonical_url("https://acme.example/careers?gh_jid=4012&utm_medium=rss") == (
        "https://acme.example/careers?gh_jid=4012"
    )
    assert ingest.canonical_url("mailto:jobs@acme.example") is None
    assert ingest.canonical_url(None) is None


def test_the_source_wins_where_it_speaks_and_the_parser_fills_the_rest() -> None:
    text = (
        "Data Engineer\n\nRequirements\n- 3+ years of Python and SQL\n"
        "This role is fully remote.\nSalary: $100,000 - $120,000 per year"
    )
    raw = RawPosting(
        external_id="1",
        title="Data Engineer",
        company="Soylent",
        location="Chicago, IL",
        description=text,
        url="https://soylent.example/jobs/1?utm_source=feed",
        remote="hybrid",
        salary=SalaryHint(130000, 150000, "USD", "year"),
    )
    parsed = skills_service.parse_job(text=ingest.job_text(raw), title_hint=raw.title)
    prepared = ingest.prepare(raw, parsed)
    fields = prepared.fields
    assert fields["remote"] == "hybrid"  # the source said so; the text says remote
    assert (fields["salary_min"], fields["salary_max"]) == (130000, 150000)
    assert fields["years_min"] == 3
    assert ["python", "required"] in fields["skills"]
    assert prepared.canonical_url == "https://soylent.example/jobs/1"
    assert prepared.warnings == []
    bare = RawPosting(external_id="2", title="Data Engineer", company="Soylent")
    empty = ingest.prepare(bare, skills_service.parse_job(text=ingest.job_text(bare)))
    assert empty.warnings and "no description" in empty.warnings[0]


def test_content_hash_changes_with_the_text_only() -> None:
    raw = RawPosting(external_id="1", title="A", description="one")
    same = RawPosting(external_id="other-id", title="A", description="one")
    changed = RawPosting(external_id="1", title="A", description="two")
    assert ingest.content_hash(raw) == ingest.content_hash(same)
    assert ingest.content_hash(raw) != ingest.content_hash(changed)
