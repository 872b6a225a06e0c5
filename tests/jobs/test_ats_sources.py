"""More applicant-tracking systems: Workable, SmartRecruiters, Recruitee, Personio, Teamtailor and
BambooHR, each read from its real response format (pure parsing) and ingested end to end through
the API from the job-board double over HTTP, on both stacks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from careergini.jobs.sources import (
    bamboohr,
    personio,
    recruitee,
    smartrecruiters,
    teamtailor,
    workable,
    workday,
)
from careergini.jobs.sources.base import FetchResult, SourceError, subdomain_from
from tests.conftest import UserMaker
from tests.doubles.jobboards import JobBoardsDouble, Reply, fixture, json_reply
from tests.jobs.conftest import add_source, wait_for_refresh

# --- parsing ------------------------------------------------------------------------------------


def test_workable_reads_locations_remote_and_employment() -> None:
    result = workable.parse(json.loads(fixture("workable-umbrella.json")), company=None)
    python, analyst = result.postings
    assert result.failed == 1 and result.unreadable_ids == {"BROKEN0001"}
    assert python.external_id == "3F9A1C2B7E" and python.company == "Umbrella Analytics"
    assert python.location == "London, England, United Kingdom"
    assert python.remote == "remote" and python.employment_type == "full-time"
    assert python.posted_at == datetime(2026, 11, 3, tzinfo=UTC)
    assert "- Experience with PostgreSQL and Docker" in python.description.splitlines()
    assert analyst.remote is None and analyst.employment_type == "part-time"
    with pytest.raises(SourceError, match='no "jobs" array'):
        workable.parse({"error": "Not found"}, company=None)


def test_smartrecruiters_joins_the_listing_with_each_posting_s_sections() -> None:
    listing = json.loads(fixture("smartrecruiters-wayne.json"))["content"]
    detail = json.loads(fixture("smartrecruiters-wayne-744000012345678.json"))
    result = FetchResult()
    smartrecruiters.parse_listing(listing, {"744000012345678": detail}, company=None, result=result)
    engineer, analyst = result.postings
    assert engineer.company == "Wayne Enterprises" and engineer.remote == "hybrid"
    assert engineer.location == "Gotham, NJ, United States"
    assert engineer.employment_type == "full-time"
    assert engineer.url.endswith("/744000012345678-data-engineer")
    lines = engineer.description.splitlines()
    assert "Qualifications" in lines and "- Apache Spark or Kafka" in lines
    assert engineer.posted_at == datetime(2026, 11, 4, 10, 15, tzinfo=UTC)
    # Without its detail a posting keeps its listing's facts and no text.
    assert analyst.description == "" and analyst.remote == "remote"
    assert analyst.employment_type == "contract"


def test_recruitee_reads_salary_workplace_and_its_dates() -> None:
    result = recruitee.parse(json.loads(fixture("recruitee-oscorp.json")), company=None)
    frontend, office = result.postings
    assert frontend.company == "Oscorp Labs" and frontend.remote == "hybrid"
    assert frontend.salary is not None and frontend.salary.min_amount == 55000
    assert (frontend.salary.currency, frontend.salary.period) == ("EUR", "year")
    assert frontend.posted_at == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    assert "- 3+ years of JavaScript" in frontend.description.splitlines()
    assert frontend.employment_type == "full-time"
    assert office.remote == "onsite" and office.salary is None
    assert office.employment_type == "part-time"


def test_personio_xml_positions() -> None:
    result = personio.parse(
        fixture("personio-tyrell.xml"), company=None, public_base="https://tyrell.jobs.personio.de"
    )
    go, student = result.postings
    assert go.external_id == "1187342" and go.title == "Backend Engineer (Go)"
    assert go.company == "Tyrell GmbH" and go.location == "Berlin; Munich"
    assert go.url == "https://tyrell.jobs.personio.de/job/1187342"
    lines = go.description.splitlines()
    assert lines[0] == "Your mission" and "- Design APIs in Go" in lines
    assert "Your profile" in lines and go.employment_type == "full-time"
    assert student.employment_type == "part-time"
    assert student.posted_at == datetime(2026, 11, 6, 11, 0, tzinfo=UTC)


def test_personio_refuses_what_is_not_its_feed_and_any_dtd() -> None:
    with pytest.raises(SourceError, match="not with its job feed"):
        personio.parse(b"<rss><channel/></rss>", company=None, public_base="x")
    with pytest.raises(SourceError, match="not valid XML"):
        personio.parse(b"<html><body>Maintenance", company=None, public_base="x")
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workzag-jobs>&a;</workzag-jobs>'
    with pytest.raises(SourceError, match="DTD"):
        personio.parse(bomb, company=None, public_base="x")


def test_teamtailor_rss_with_its_locations_and_remote_status() -> None:
    result = teamtailor.parse(fixture("teamtailor-wonka.rss"), company="Wonka")
    ml, taster = result.postings
    assert ml.external_id.endswith("/jobs/5123001-machine-learning-engineer")
    assert ml.location == "Berlin, Germany" and ml.remote == "hybrid"
    assert ml.posted_at == datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    assert "- Python, PyTorch and scikit-learn" in ml.description.splitlines()
    assert taster.remote == "onsite" and taster.location == "Hamburg, Germany"


def test_bamboohr_list_and_details() -> None:
    listing = json.loads(fixture("bamboohr-vandelay.json"))
    detail = json.loads(fixture("bamboohr-vandelay-41.json"))["result"]["jobOpening"]
    result = bamboohr.parse(listing, {"41": detail}, company="Vandelay")
    sre, payable = result.postings
    assert sre.location == "Salt Lake City, Utah, United States" and sre.remote == "hybrid"
    assert sre.url == "https://vandelay.bamboohr.com/careers/41"
    assert "- Kubernetes and Terraform on AWS" in sre.description.splitlines()
    assert sre.employment_type == "full-time" and payable.remote == "onsite"
    with pytest.raises(SourceError, match='no "result" array'):
        bamboohr.parse({"result": None}, {}, company=None)


def test_company_names_and_their_addresses() -> None:
    assert subdomain_from("oscorp", domain="recruitee.com", what="x") == "oscorp"
    address = "https://Oscorp.recruitee.com/o/dev"
    assert subdomain_from(address, domain="recruitee.com", what="x") == "oscorp"
    assert personio.normalise_identifier("https://tyrell.jobs.personio.de/xml") == "tyrell"
    assert workable.normalise_identifier("https://apply.workable.com/umbrella/") == "umbrella"
    with pytest.raises(ValueError, match="not a Recruitee company address"):
        recruitee.normalise_identifier("https://evil.example/oscorp")
    with pytest.raises(ValueError, match="not a BambooHR company"):
        bamboohr.normalise_identifier("../../admin")


# --- end to end ---------------------------------------------------------------------------------

CASES: list[tuple[str, str, dict[str, Any], list[str]]] = [
    ("workable", "umbrella", {}, ["Senior Python Engineer", "Clinical Data Analyst"]),
    ("smartrecruiters", "wayne", {}, ["Data Engineer", "Security Analyst"]),
    ("recruitee", "oscorp", {}, ["Frontend Developer", "Office Manager"]),
    ("personio", "tyrell", {}, ["Backend Engineer (Go)", "Working Student HR (m/f/d)"]),
    ("teamtailor", "wonka", {"name": "Wonka"}, ["Machine Learning Engineer", "Chocolate Taster"]),
    ("bamboohr", "vandelay", {"name": "Vandelay"}, ["Site Reliability Engineer"]),
    ("workday", "soylent/wd5/External", {}, ["Cloud Security Engineer", "Payroll Coordinator"]),
]


@pytest.mark.parametrize(("kind", "identifier", "extra", "expected"), CASES)
async def test_each_new_source_ingests_its_double_s_postings(
    client: httpx.AsyncClient,
    make_user: UserMaker,
    boards: JobBoardsDouble,
    kind: str,
    identifier: str,
    extra: dict[str, Any],
    expected: list[str],
) -> None:
    headers = (await make_user())["headers"]
    source = await add_source(client, headers, kind=kind, identifier=identifier, **extra)
    assert source["status"] == "idle" and source["last_error"] is None, source
    assert source["open_postings"] == source["stats"]["new"] >= len(expected)
    page = await client.get("/api/jobs", params={"limit": 50}, headers=headers)
    listed = {item["title"]: item for item in page.json()["items"]}
    for title in expected:
        assert title in listed, (title, sorted(listed))
    job = (await client.get(f"/api/jobs/{listed[expected[0]]['id']}", headers=headers)).json()
    assert job["description"] and job["url"], job
    assert job["origin"] == kind


async def test_a_company_that_does_not_exist_is_a_permanent_error_naming_it(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    source = await add_source(client, headers, kind="personio", identifier="nobody")
    assert source["status"] == "error"
    assert 'Personio has no careers site "nobody"' in source["last_error"]
    bad = await client.post(
        "/api/jobs/sources",
        json={"kind": "recruitee", "identifier": "https://evil.example/x"},
        headers=headers,
    )
    assert bad.status_code == 422 and "recruitee.com" in bad.json()["detail"]


async def test_a_smartrecruiters_listing_is_read_page_by_page(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    first = json.loads(fixture("smartrecruiters-wayne.json"))
    second = dict(first, offset=1, content=first["content"][1:])
    first = dict(first, content=first["content"][:1])
    route = "/smartrecruiters/v1/companies/wayne/postings"
    boards.add(f"{route}?limit=100&offset=0", json_reply(first))
    boards.add(f"{route}?limit=100&offset=1", json_reply(second))
    source = await add_source(client, headers, kind="smartrecruiters", identifier="wayne")
    assert source["stats"]["new"] == 2
    assert [r.path for r in boards.seen(route)] == [
        f"{route}?limit=100&offset=0",
        f"{route}?limit=100&offset=1",
    ]


async def test_a_vanished_personio_position_is_closed_on_refresh(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    source = await add_source(client, headers, kind="personio", identifier="tyrell")
    feed = fixture("personio-tyrell.xml").decode()
    start = feed.index("  <position>\n    <id>1187343")
    only_go = feed[:start] + "</workzag-jobs>\n"
    boards.add(
        "/personio/tyrell/xml",
        Reply(body=only_go.encode(), content_type="application/xml; charset=utf-8"),
    )
    await client.post(f"/api/jobs/sources/{source['id']}/refresh", headers=headers)
    after = await wait_for_refresh(client, source["id"], headers)
    assert after["stats"]["closed"] == 1 and after["open_postings"] == 1


def test_workday_reads_details_and_relative_dates() -> None:
    listing = json.loads(fixture("workday-soylent.json"))["jobPostings"]
    path = "/job/Austin-TX/Cloud-Security-Engineer_R-20431"
    detail = json.loads(fixture("workday-soylent-Cloud-Security-Engineer_R-20431.json"))
    now = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    result = workday.parse(listing, {path: detail}, company=None, now=now)
    security, payroll = result.postings
    assert security.company == "Soylent Corp" and security.remote == "hybrid"
    assert security.posted_at == datetime(2026, 11, 4, tzinfo=UTC)
    assert security.employment_type == "full-time"
    assert "- AWS IAM and Terraform" in security.description.splitlines()
    assert security.url == "https://soylent.wd5.myworkdayjobs.com/External" + path
    # Without its detail: the listing's location and "Posted Today".
    assert payroll.location == "Remote - USA" and payroll.description == ""
    assert payroll.posted_at == datetime(2026, 11, 10, tzinfo=UTC)
    assert (
        workday.normalise_identifier("https://Soylent.wd5.myworkdayjobs.com/en-US/External/job/x")
        == "soylent/wd5/External"
    )
    with pytest.raises(ValueError, match="not a Workday career site"):
        workday.normalise_identifier("https://evil.example/External")
