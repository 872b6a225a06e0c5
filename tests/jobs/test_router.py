"""Sources, refreshes, postings, search and recommendations through the HTTP API, against the
job-board double, on both stacks."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from typing import Any

import httpx

from careergini.jobs.pipeline import collection_for
from careergini.jobs.runtime import JobsRuntime
from careergini.runtime.resources import Resources
from tests.conftest import UserMaker
from tests.doubles.jobboards import JobBoardsDouble, Reply, file_reply
from tests.jobs.conftest import add_source, wait_for_refresh

RESUME = """\
Sam Rivera
Senior Backend Engineer
sam.rivera@example.com | New York, NY

Summary
Backend engineer who builds payment services in Python.

Experience
Initrode, Senior Backend Engineer, Jan 2020 - Present
- Built Python services on PostgreSQL and Redis handling 5,000 requests a second
- Moved deployments to Kubernetes and Docker

Vandelay, Software Engineer, 2015 - 2019
- Wrote Django APIs and SQL reports

Skills
Python, PostgreSQL, Redis, Docker, Kubernetes, SQL, Django
"""


async def import_resume(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    files = {"file": ("resume.txt", RESUME.encode(), "text/plain")}
    response = await client.post("/api/profile/imports", files=files, headers=headers)
    assert response.status_code == 201, response.text


async def search(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> dict:
    response = await client.get("/api/jobs", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def titles(page: dict) -> list[str]:
    return [item["title"] for item in page["items"]]


# --- sources and refreshes ----------------------------------------------------------------------


async def test_a_greenhouse_board_is_ingested_in_the_background(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble, resources: Resources
) -> None:
    user = await make_user()
    headers = user["headers"]
    created = await client.post(
        "/api/jobs/sources", json={"kind": "greenhouse", "identifier": "acme"}, headers=headers
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "queued"
    source = await wait_for_refresh(client, created.json()["id"], headers)
    assert source["status"] == "idle" and source["last_error"] is None
    assert source["stats"]["fetched"] == 3 and source["stats"]["new"] == 3
    assert source["open_postings"] == 3 and source["next_refresh_at"] is not None
    # The board API was asked for content, with our User-Agent.
    request = boards.seen("/greenhouse/v1/boards/acme/jobs")[0]
    assert request.path.endswith("?content=true")
    assert request.headers["user-agent"].startswith("CareerGini/")

    page = await search(client, headers, q="python backend")
    assert titles(page)[0] == "Senior Backend Engineer"
    backend = page["items"][0]
    assert backend["remote"] == "hybrid" and backend["seniority"] == "senior"
    assert backend["salary"] == {
        "min": 150000.0,
        "max": 185000.0,
        "currency": "USD",
        "period": "year",
        "yearly_min": 150000.0,
        "yearly_max": 185000.0,
        "reference_currency": "USD",
        "reference_yearly_min": 150000.0,
        "reference_yearly_max": 185000.0,
        "note": None,
    }
    assert {"Python", "PostgreSQL", "Kubernetes"} <= set(backend["skills"])
    detail = (await client.get(f"/api/jobs/{backend['id']}", headers=headers)).json()
    assert detail["parsed"]["seniority"]["level"] == "senior"
    assert detail["sources"][0]["kind"] == "greenhouse"
    assert detail["sources"][0]["external_id"] == "4012"
    assert detail["analysis"] is None and "Import a resume" in detail["analysis_note"]
    # Stored with its vector, tagged with its owner.
    count = await resources.vectors.count(collection_for(uuid.UUID(user["id"])))
    assert count == 3

    listed = (await client.get("/api/jobs/sources", headers=headers)).json()
    assert [s["id"] for s in listed] == [source["id"]]


async def test_bad_sources_are_refused_or_saved_with_a_clear_error(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    unknown = await add_source(client, headers, kind="greenhouse", identifier="no-such-board")
    assert unknown["status"] == "error"
    assert 'no job board named "no-such-board"' in unknown["last_error"]
    assert unknown["open_postings"] == 0
    lever = await add_source(client, headers, kind="lever", identifier="nobody")
    assert lever["status"] == "error" and "HTTP 404" in lever["last_error"]

    duplicate = await client.post(
        "/api/jobs/sources",
        json={"kind": "greenhouse", "identifier": "No-Such-Board"},
        headers=headers,
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["source_id"] == unknown["id"]
    invalid = await client.post(
        "/api/jobs/sources", json={"kind": "greenhouse", "identifier": "a b/c"}, headers=headers
    )
    assert invalid.status_code == 422 and "not a Greenhouse board name" in invalid.json()["detail"]
    not_a_url = await client.post(
        "/api/jobs/sources", json={"kind": "feed", "identifier": "ftp://x"}, headers=headers
    )
    assert not_a_url.status_code == 422
    kind = await client.post(
        "/api/jobs/sources", json={"kind": "indeed", "identifier": "x"}, headers=headers
    )
    assert kind.status_code == 422
    too_often = await client.post(
        "/api/jobs/sources",
        json={"kind": "lever", "identifier": "globex", "refresh_interval_minutes": -1},
        headers=headers,
    )
    assert too_often.status_code == 422


async def test_a_refresh_updates_changed_postings_and_closes_vanished_ones(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    source = await add_source(client, headers, kind="greenhouse", identifier="acme")
    analyst = (await search(client, headers, q="data analyst"))["items"][0]
    assert analyst["title"] == "Data Analyst"

    boards.add("/greenhouse/v1/boards/acme/jobs", file_reply("greenhouse-acme-after.json"))
    refreshed = await client.post(f"/api/jobs/sources/{source['id']}/refresh", headers=headers)
    assert refreshed.status_code == 202 and refreshed.json()["status"] == "queued"
    again = await client.post(f"/api/jobs/sources/{source['id']}/refresh", headers=headers)
    assert again.status_code == 202  # already queued: nothing more is queued
    after = await wait_for_refresh(client, source["id"], headers)
    stats = after["stats"]
    assert (stats["new"], stats["updated"], stats["unchanged"], stats["closed"]) == (0, 1, 1, 1)
    assert after["open_postings"] == 2

    # Closed, not deleted: gone from search, still there with include_closed and by id.
    assert "Data Analyst" not in titles(await search(client, headers, q="data analyst"))
    closed = await search(client, headers, q="data analyst", include_closed="true")
    assert "Data Analyst" in titles(closed)
    detail = (await client.get(f"/api/jobs/{analyst['id']}", headers=headers)).json()
    assert detail["status"] == "closed" and detail["closed_at"] is not None
    assert detail["sources"][0]["active"] is False
    frontend = (await search(client, headers, q="frontend"))["items"][0]
    assert "Node.js" in frontend["skills"]

    # It comes back: reopened, same posting.
    boards.add("/greenhouse/v1/boards/acme/jobs", file_reply("greenhouse-acme.json"))
    await client.post(f"/api/jobs/sources/{source['id']}/refresh", headers=headers)
    await wait_for_refresh(client, source["id"], headers)
    reopened = (await client.get(f"/api/jobs/{analyst['id']}", headers=headers)).json()
    assert reopened["status"] == "open" and reopened["closed_at"] is None


async def test_garbage_from_a_source_never_removes_good_postings(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    source = await add_source(client, headers, kind="greenhouse", identifier="acme")
    route = "/greenhouse/v1/boards/acme/jobs"
    broken = {
        "malformed JSON": file_reply("greenhouse-malformed.txt"),
        "HTTP 500": Reply(status=500, body=b"Internal Server Error", content_type="text/plain"),
        "a web page": Reply(body=b"<html>Maintenance</html>", content_type="text/html"),
        "the wrong shape": Reply(body=b'{"error": "Job board not found"}'),
        "unreadable items": Reply(body=json.dumps({"jobs": [{"id": 1}, {"id": 2}]}).encode()),
        "a timeout": Reply(body=b"{}", delay=3.0),
    }
    for what, reply in broken.items():
        boards.add(route, reply)
        await client.post(f"/api/jobs/sources/{source['id']}/refresh", headers=headers)
        after = await wait_for_refresh(client, source["id"], headers)
        assert after["status"] == "error", what
        assert after["last_error"], what
        assert after["open_postings"] == 3, what
        assert len((await search(client, headers))["items"]) == 3, what
    assert "did not answer within" in after["last_error"]


async def test_retries_ride_out_a_rate_limit(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    boards.add_sequence(
        "/lever/v0/postings/globex",
        [
            Reply(status=429, headers={"Retry-After": "0"}),
            Reply(status=502),
            file_reply("lever-globex.json"),
        ],
    )
    source = await add_source(client, headers, kind="lever", identifier="globex", name="Globex")
    assert source["status"] == "idle" and source["stats"]["new"] == 2
    assert len(boards.seen("/lever/v0/postings/globex")) == 3
    ml = (await search(client, headers, q="machine learning"))["items"][0]
    assert ml["company"] == "Globex" and ml["remote"] == "hybrid"


async def test_a_posting_without_a_description_is_kept_with_a_warning(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    source = await add_source(client, headers, kind="greenhouse", identifier="hooli")
    assert source["status"] == "idle" and source["stats"]["new"] == 2
    assert any("no description" in w for w in source["stats"]["warnings"])
    sre = (await search(client, headers, q="site reliability"))["items"][0]
    assert sre["title"] == "Site Reliability Engineer" and sre["company"] == "Hooli"


async def test_ashby_feeds_and_career_pages(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    ashby = await add_source(client, headers, kind="ashby", identifier="initech", name="Initech")
    assert ashby["stats"]["new"] == 1  # the unlisted draft is not a posting
    rss = await add_source(
        client, headers, kind="feed", identifier=f"{boards.url}/feeds/feed-jobs.rss"
    )
    atom = await add_source(
        client, headers, kind="feed", identifier=f"{boards.url}/feeds/feed-jobs.atom"
    )
    assert (rss["stats"]["new"], atom["stats"]["new"]) == (2, 1)
    listing = await add_source(
        client, headers, kind="page", identifier=f"{boards.url}/careers/careers-list.html"
    )
    assert listing["status"] == "idle" and listing["stats"]["new"] == 2
    everything = titles(await search(client, headers, limit=50))
    for title in (
        "DevOps Engineer",
        "Clinical Data Engineer",
        "Embedded Software Engineer",
        "QA Engineer",
        "Technical Writer",
    ):
        assert title in everything
    devops = (await search(client, headers, q="devops terraform"))["items"][0]
    assert devops["salary"]["currency"] == "EUR" and devops["location"] == "Berlin, Germany"


async def test_a_job_listed_by_a_board_and_a_career_page_is_one_posting(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    await add_source(client, headers, kind="greenhouse", identifier="acme")
    page = await add_source(
        client, headers, kind="page", identifier=f"{boards.url}/careers/careers-static.html"
    )
    # Senior Backend Engineer is the same job (same canonical URL); Support Engineer is new;
    # the expired posting is not taken.
    assert page["stats"]["new"] == 1 and page["stats"]["unchanged"] == 1
    backend = [
        i
        for i in (await search(client, headers, q="backend"))["items"]
        if i["title"] == "Senior Backend Engineer"
    ]
    assert len(backend) == 1
    detail = (await client.get(f"/api/jobs/{backend[0]['id']}", headers=headers)).json()
    assert sorted(s["kind"] for s in detail["sources"]) == ["greenhouse", "page"]
    # The board's fuller text stays (the page only fills gaps).
    assert "Nice to have" in detail["description"]
    found = (await search(client, headers, q="support engineer"))["items"]
    support = next(item for item in found if item["title"] == "Support Engineer")
    assert support["remote"] == "remote" and support["salary"]["min"] == 80000

    # The board drops it but the page still lists it: it stays open.
    boards.add("/greenhouse/v1/boards/acme/jobs", file_reply("greenhouse-acme-after.json"))
    sources = (await client.get("/api/jobs/sources", headers=headers)).json()
    board = next(s for s in sources if s["kind"] == "greenhouse")
    boards.add(
        "/greenhouse/v1/boards/acme/jobs",
        Reply(body=json.dumps({"jobs": [], "meta": {"total": 0}}).encode()),
    )
    await client.post(f"/api/jobs/sources/{board['id']}/refresh", headers=headers)
    emptied = await wait_for_refresh(client, board["id"], headers)
    assert emptied["stats"]["closed"] == 2  # analyst and frontend; backend is on the page
    still = (await client.get(f"/api/jobs/{backend[0]['id']}", headers=headers)).json()
    assert still["status"] == "open"


async def test_career_pages_built_with_javascript_are_rendered_by_chromium(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble, resources: Resources
) -> None:
    headers = (await make_user())["headers"]
    url = f"{boards.url}/careers/careers-js.html"
    plain = await add_source(client, headers, kind="page", identifier=url, render="never")
    assert plain["status"] == "error" and "No schema.org JobPosting" in plain["last_error"]
    await client.delete(f"/api/jobs/sources/{plain['id']}", headers=headers)

    rendered = await add_source(client, headers, kind="page", identifier=url)
    assert rendered["status"] == "idle", rendered["last_error"]
    assert rendered["stats"]["new"] == 2
    found = titles(await search(client, headers, q="robotics vision"))
    assert {"Robotics Software Engineer", "Computer Vision Engineer"} <= set(found)
    renderer = resources.component(JobsRuntime).renderer
    assert renderer.launches == 1 and renderer.started
    # Chromium fetched the page with our User-Agent.
    agents = [r.headers.get("user-agent", "") for r in boards.seen("/careers/careers-js.html")]
    assert any(a.startswith("CareerGini/") for a in agents)


async def test_robots_txt_and_pages_without_postings(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    private = await add_source(
        client, headers, kind="page", identifier=f"{boards.url}/private/careers-static.html"
    )
    assert private["status"] == "error" and "robots.txt" in private["last_error"]
    assert boards.seen("/private/careers-static.html") == []
    none = await add_source(
        client,
        headers,
        kind="page",
        render="never",
        identifier=f"{boards.url}/careers/careers-none.html",
    )
    assert none["status"] == "error" and "No schema.org JobPosting" in none["last_error"]


async def test_scheduled_refreshes_run_on_their_interval(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    import asyncio

    headers = (await make_user())["headers"]
    source = await add_source(
        client, headers, kind="ashby", identifier="initech", refresh_interval_minutes=0.01
    )
    assert source["refresh_interval_minutes"] == 0.01
    route = "/ashby/posting-api/job-board/initech"
    for _ in range(200):
        if len(boards.seen(route)) >= 3:
            break
        await asyncio.sleep(0.05)
    assert len(boards.seen(route)) >= 3
    manual = await add_source(
        client, headers, kind="lever", identifier="globex", refresh_interval_minutes=0
    )
    assert manual["next_refresh_at"] is None


async def test_deleting_a_source_removes_its_postings_but_keeps_tracked_ones(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    headers = user["headers"]
    source = await add_source(client, headers, kind="greenhouse", identifier="acme")
    backend = (await search(client, headers, q="backend"))["items"][0]
    tracked = await client.post(
        "/api/applications", json={"job_id": backend["id"]}, headers=headers
    )
    assert tracked.status_code == 201
    deleted = await client.delete(f"/api/jobs/sources/{source['id']}", headers=headers)
    assert deleted.status_code == 204
    assert (
        await client.get(f"/api/jobs/sources/{source['id']}", headers=headers)
    ).status_code == 404
    remaining = await search(client, headers, include_closed="true")
    assert titles(remaining) == ["Senior Backend Engineer"]
    assert remaining["items"][0]["status"] == "closed"
    assert await resources.vectors.count(collection_for(uuid.UUID(user["id"]))) == 1


# --- uploads and pasted postings ----------------------------------------------------------------


async def test_csv_and_json_uploads(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    from tests.doubles.jobboards import fixture

    headers = (await make_user())["headers"]
    files = {"file": ("postings.csv", fixture("postings.csv"), "text/csv")}
    created = await client.post("/api/jobs/sources/upload", files=files, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["kind"] == "upload" and created.json()["options"]["rows"] == 3
    done = await wait_for_refresh(client, created.json()["id"], headers)
    assert done["status"] == "idle"
    assert (done["stats"]["new"], done["stats"]["failed"]) == (2, 1)
    again = await client.post("/api/jobs/sources/upload", files=files, headers=headers)
    assert again.status_code == 409

    missing = await client.post(
        "/api/jobs/sources/upload",
        files={"file": ("x.csv", fixture("postings-missing-columns.csv"), "text/csv")},
        headers=headers,
    )
    assert missing.status_code == 422
    assert missing.json()["missing_columns"] == ["company"]
    assert "company" in missing.json()["detail"]

    upload = await client.post(
        "/api/jobs/sources/upload",
        files={"file": ("p.json", fixture("postings.json"), "application/json")},
        data={"name": "Massive Dynamic export"},
        headers=headers,
    )
    assert upload.status_code == 201 and upload.json()["name"] == "Massive Dynamic export"
    await wait_for_refresh(client, upload.json()["id"], headers)
    everything = titles(await search(client, headers))
    assert {
        "Data Engineer",
        "Backend Engineer",
        "Mobile Developer",
        "Site Reliability Engineer",
    } == set(everything)
    remote = titles(await search(client, headers, remote="remote"))
    assert remote == ["Mobile Developer"]


async def test_paste_a_posting_or_its_url(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    text = (
        "Staff Data Engineer\nCompany: Soylent Corp\nLocation: Remote\n\n"
        "Requirements\n- 8+ years of data engineering with Python and Spark\n- Airflow\n"
    )
    pasted = await client.post("/api/jobs", json={"text": text}, headers=headers)
    assert pasted.status_code == 201, pasted.text
    body = pasted.json()
    assert body["title"] == "Staff Data Engineer" and body["company"] == "Soylent Corp"
    assert body["origin"] == "manual" and body["seniority"] == "staff"
    assert {"Python", "Apache Spark"} <= set(body["skills"])

    with_jsonld = await client.post(
        "/api/jobs", json={"url": f"{boards.url}/careers/cyberdyne-job-1.html"}, headers=headers
    )
    assert with_jsonld.status_code == 201, with_jsonld.text
    assert with_jsonld.json()["title"] == "QA Engineer"
    assert with_jsonld.json()["company"] == "Cyberdyne Systems"
    plain = await client.post(
        "/api/jobs", json={"url": f"{boards.url}/careers/job-page-plain.html"}, headers=headers
    )
    assert plain.status_code == 201, plain.text
    assert plain.json()["title"] == "Backend Developer"
    assert "Django" in plain.json()["skills"]

    not_a_job = await client.post(
        "/api/jobs", json={"text": "Dear diary, today I baked bread."}, headers=headers
    )
    assert not_a_job.status_code == 422
    missing = await client.post(
        "/api/jobs", json={"url": f"{boards.url}/careers/nothing-here.html"}, headers=headers
    )
    assert missing.status_code == 422 and "404" in missing.json()["detail"]
    both = await client.post("/api/jobs", json={"text": "x", "url": "http://x"}, headers=headers)
    assert both.status_code == 422


# --- search, pagination, recommendations --------------------------------------------------------


async def test_search_filters_and_stable_cursors(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    await add_source(client, headers, kind="greenhouse", identifier="acme")
    await add_source(client, headers, kind="lever", identifier="globex", name="Globex")
    await add_source(client, headers, kind="ashby", identifier="initech", name="Initech")
    await add_source(client, headers, kind="feed", identifier=f"{boards.url}/feeds/feed-jobs.rss")

    assert titles(await search(client, headers, q="engineer", seniority="senior")) == [
        "Senior Backend Engineer"
    ]
    assert set(titles(await search(client, headers, remote="remote"))) == {
        "Frontend Engineer (Remote)",
        "Product Designer",
    }
    assert titles(await search(client, headers, location="berlin")) == ["DevOps Engineer"]
    both = titles(await search(client, headers, skills="python,sql"))
    assert "Senior Backend Engineer" not in both and "Clinical Data Engineer" in both
    assert (await search(client, headers, posted_within="1"))["items"] == []  # all older
    recent = await search(client, headers, posted_within="9999d")
    assert recent["total"] == 8

    first = await search(client, headers, q="engineer", limit=3)
    assert len(first["items"]) == 3 and first["next_cursor"]
    seen = [item["id"] for item in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = await search(client, headers, q="engineer", limit=3, cursor=cursor)
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == first["total"]

    wrong = await client.get(
        "/api/jobs", params={"q": "designer", "cursor": first["next_cursor"]}, headers=headers
    )
    assert wrong.status_code == 422 and "another search" in wrong.json()["detail"]
    garbage = await client.get("/api/jobs", params={"cursor": "nonsense"}, headers=headers)
    assert garbage.status_code == 422
    unknown = await client.get("/api/jobs", params={"skills": "python,klingon"}, headers=headers)
    assert unknown.status_code == 422 and "klingon" in unknown.json()["detail"]
    bad = await client.get("/api/jobs", params={"remote": "moon"}, headers=headers)
    assert bad.status_code == 422


FRONTEND_RESUME = """\
Alex Kim
Frontend Engineer
alex.kim@example.com | Boston, MA

Experience
Hooli, Frontend Engineer, Jan 2019 - Present
- Built React and TypeScript interfaces used by 2 million people
- Wrote CSS and HTML design systems

Skills
React, TypeScript, JavaScript, CSS, HTML
"""

RELEVANCE_POSTINGS = [
    {
        "title": "Frontend Engineer",
        "company": "Globex",
        "description": "Build React and TypeScript interfaces. Requirements: React, "
        "TypeScript, CSS, JavaScript.",
    },
    {
        "title": "Network Engineer",
        "company": "Initech",
        "description": "Configure Cisco routers and switches, BGP and OSPF, firewalls. "
        "Requirements: Cisco IOS, networking.",
    },
    {
        "title": "Network Administrator",
        "company": "Umbrella",
        "description": "Keep the office network running: Cisco switches, VPN, Wi-Fi.",
    },
    {
        "title": "Registered Nurse",
        "company": "Mercy Hospital",
        "description": "Patient care on a surgical ward; medication administration.",
    },
]


async def test_the_query_filters_and_the_match_score_only_reranks_relevant_hits(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    files = {"file": ("p.json", json.dumps(RELEVANCE_POSTINGS).encode(), "application/json")}
    created = await client.post("/api/jobs/sources/upload", files=files, headers=headers)
    assert created.status_code == 201, created.text
    await wait_for_refresh(client, created.json()["id"], headers)
    resume = {"file": ("resume.txt", FRONTEND_RESUME.encode(), "text/plain")}
    imported = await client.post("/api/profile/imports", files=resume, headers=headers)
    assert imported.status_code == 201, imported.text

    nothing = await search(client, headers, q="zzzz")
    assert nothing["items"] == [] and nothing["total"] == 0
    assert nothing["suggestions"] and "spelling" in nothing["suggestions"][0]
    assert "/api" not in " ".join(nothing["suggestions"])

    # A frontend profile: the Frontend Engineer posting fits best, but it shares one word of the
    # query; the postings about networks and Cisco come first.
    page = await search(client, headers, q="network engineer cisco")
    assert page["reranked"] is True
    found = titles(page)
    assert found[:2] == ["Network Engineer", "Network Administrator"]
    assert "Registered Nurse" not in found
    # Among equally relevant hits the match score does re-rank.
    engineers = await search(client, headers, q="engineer")
    assert titles(engineers)[0] == "Frontend Engineer"


PAY_POSTINGS = [
    {
        "title": "Data Engineer",
        "company": "Globex",
        "description": "Build data pipelines in Python and SQL.",
        "salary_min": "90000",
        "salary_max": "120000",
        "salary_currency": "USD",
        "salary_period": "yearly",
        "date posted": "2013-03-07",
    },
    {
        "title": "Data Analyst",
        "company": "Initech India",
        "description": "Reports in SQL and Excel.",
        "salary_min": "100000",
        "salary_max": "150000",
        "salary_currency": "INR",
        "salary_period": "monthly",
        "date posted": "2026-12-05T09:30:00Z",
    },
    {
        "title": "Data Entry Clerk",
        "company": "Umbrella",
        "description": "Type data into forms.",
        "salary_min": "18",
        "salary_max": "22",
        "salary_currency": "USD",
        "salary_period": "hourly",
    },
    {"title": "Data Scientist", "company": "Hooli", "description": "Models in Python."},
]


async def test_posting_dates_and_salaries_come_from_the_source(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    files = {"file": ("p.json", json.dumps(PAY_POSTINGS).encode(), "application/json")}
    created = await client.post("/api/jobs/sources/upload", files=files, headers=headers)
    assert created.status_code == 201, created.text
    await wait_for_refresh(client, created.json()["id"], headers)
    everything = {i["title"]: i for i in (await search(client, headers, q="data"))["items"]}
    assert everything["Data Engineer"]["posted_at"].startswith("2013-03-07")
    assert everything["Data Analyst"]["posted_at"].startswith("2026-12-05")
    # A 2013 posting is not "posted within 7 days"; one without a date counts from when it was
    # first seen.
    recent = titles(await search(client, headers, posted_within="7d"))
    assert "Data Engineer" not in recent and {"Data Analyst", "Data Scientist"} <= set(recent)

    rupees = everything["Data Analyst"]["salary"]
    assert (rupees["yearly_min"], rupees["yearly_max"]) == (1_200_000, 1_800_000)
    assert rupees["reference_currency"] == "USD"
    assert 10_000 < rupees["reference_yearly_max"] < 30_000
    hourly = everything["Data Entry Clerk"]["salary"]
    assert hourly["reference_yearly_max"] == 22 * 2080

    # "At least 80k a year", in the reference currency: only the US data engineer pays that.
    assert titles(await search(client, headers, q="data", min_salary="80k")) == ["Data Engineer"]
    assert set(titles(await search(client, headers, min_salary="40,000"))) == {
        "Data Engineer",
        "Data Entry Clerk",
    }
    bad = await client.get("/api/jobs", params={"min_salary": "lots"}, headers=headers)
    assert bad.status_code == 422 and "80k" in bad.json()["detail"]


async def test_recommendations_explain_the_score_and_the_gaps(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    await add_source(client, headers, kind="greenhouse", identifier="acme")
    await add_source(client, headers, kind="lever", identifier="globex", name="Globex")
    await add_source(client, headers, kind="ashby", identifier="initech", name="Initech")
    no_profile = await client.get("/api/jobs/recommendations", headers=headers)
    assert no_profile.status_code == 409 and "Import a resume" in no_profile.json()["detail"]

    await import_resume(client, headers)
    response = await client.get("/api/jobs/recommendations", params={"limit": 3}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["considered"] == 6 and len(body["items"]) == 3
    best = body["items"][0]
    assert best["job"]["title"] == "Senior Backend Engineer"
    assert best["confident"] and best["score"] > 60
    assert {"Python", "PostgreSQL", "Kubernetes"} <= set(best["matched"])
    assert best["top_reasons"] and best["gaps"]
    assert {g["name"] for g in best["gaps"]} & {"Go", "Apache Kafka"}
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)
    # The detail view gives the same score, with every component.
    detail = (await client.get(f"/api/jobs/{best['job']['id']}", headers=headers)).json()
    assert detail["analysis"]["match"]["score"] == best["score"]
    assert detail["match_score"] == best["score"]
    assert detail["analysis"]["gap"]["counts"]["matched"] >= 3
    # Search re-ranks for the profile and shows the same score.
    page = await search(client, headers, q="engineer")
    assert page["reranked"] is True
    hit = next(i for i in page["items"] if i["id"] == best["job"]["id"])
    assert hit["match_score"] == best["score"]
    remote_only = await client.get(
        "/api/jobs/recommendations", params={"remote": "remote"}, headers=headers
    )
    assert {i["job"]["remote"] for i in remote_only.json()["items"]} == {"remote"}


# --- routes, ownership, export ------------------------------------------------------------------


async def test_static_routes_win_and_ids_are_uuids(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    parsed = await client.post(
        "/api/jobs/parse",
        json={"text": "Senior Python Developer\nRequirements\n- 5+ years of Python"},
        headers=headers,
    )
    assert parsed.status_code == 200 and parsed.json()["seniority"]["level"] == "senior"
    assert (await client.get("/api/jobs/not-a-uuid", headers=headers)).status_code == 404
    assert (await client.get("/api/jobs/sources/nope", headers=headers)).status_code == 404
    missing = await client.get("/api/jobs/00000000-0000-4000-8000-000000000000", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"] == "JobNotFound"
    assert (await client.get("/api/jobs")).status_code == 401


async def test_sources_postings_and_applications_are_private(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice = (await make_user())["headers"]
    bob = (await make_user())["headers"]
    source = await add_source(client, alice, kind="greenhouse", identifier="acme")
    job = (await search(client, alice, q="backend"))["items"][0]
    app = (await client.post("/api/applications", json={"job_id": job["id"]}, headers=alice)).json()
    for method, path in [
        ("GET", f"/api/jobs/sources/{source['id']}"),
        ("POST", f"/api/jobs/sources/{source['id']}/refresh"),
        ("DELETE", f"/api/jobs/sources/{source['id']}"),
        ("GET", f"/api/jobs/{job['id']}"),
        ("DELETE", f"/api/jobs/{job['id']}"),
        ("GET", f"/api/applications/{app['id']}"),
        ("DELETE", f"/api/applications/{app['id']}"),
    ]:
        response = await client.request(method, path, headers=bob)
        assert response.status_code == 404, (method, path)
    patched = await client.patch(
        f"/api/applications/{app['id']}", json={"status": "applied"}, headers=bob
    )
    assert patched.status_code == 404
    stolen = await client.post("/api/applications", json={"job_id": job["id"]}, headers=bob)
    assert stolen.status_code == 404
    assert (await search(client, bob))["items"] == []
    assert (await client.get("/api/jobs/sources", headers=bob)).json() == []
    assert (await client.get("/api/applications", headers=bob)).json() == []
    # Bob may add the same board: sources are per user.
    own = await add_source(client, bob, kind="greenhouse", identifier="acme")
    assert own["stats"]["new"] == 3


async def test_the_account_export_holds_the_jobs_data(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    await add_source(client, headers, kind="ashby", identifier="initech")
    job = (await search(client, headers))["items"][0]
    await client.post(
        "/api/applications", json={"job_id": job["id"], "status": "applied"}, headers=headers
    )
    response = await client.get("/api/account/export", headers=headers)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("account.json"))
    jobs = data["jobs"]
    assert [s["identifier"] for s in jobs["sources"]] == ["initech"]
    assert [p["title"] for p in jobs["postings"]] == ["DevOps Engineer"]
    assert "embedding" not in jobs["postings"][0]
    assert jobs["applications"][0]["status"] == "applied"


# --- the application tracker --------------------------------------------------------------------


async def test_the_application_tracker_keeps_a_history(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    source = await add_source(client, headers, kind="greenhouse", identifier="acme")
    job = (await search(client, headers, q="data analyst"))["items"][0]

    created = await client.post("/api/applications", json={"job_id": job["id"]}, headers=headers)
    assert created.status_code == 201, created.text
    app = created.json()
    assert (app["title"], app["company"], app["status"]) == (
        "Data Analyst",
        "Acme Payments",
        "saved",
    )
    assert app["job_status"] == "open" and app["url"].endswith("/jobs/4013")
    assert [h["to_status"] for h in app["history"]] == ["saved"]
    duplicate = await client.post("/api/applications", json={"job_id": job["id"]}, headers=headers)
    assert duplicate.status_code == 409 and duplicate.json()["application_id"] == app["id"]

    # A resume that is not the user's (here: none at all) is not linked (tests/jobs/
    # test_application_links.py links real ones).
    resume_id = "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
    unknown = await client.patch(
        f"/api/applications/{app['id']}", json={"resume_id": resume_id}, headers=headers
    )
    assert unknown.status_code == 404 and "resume_id" in unknown.json()["detail"]
    applied = await client.patch(
        f"/api/applications/{app['id']}",
        json={"status": "applied", "note": "Sent through the careers site", "resume_id": None},
        headers=headers,
    )
    assert applied.status_code == 200, applied.text
    body = applied.json()
    assert body["status"] == "applied" and body["applied_at"] is not None
    assert body["resume_id"] is None
    interview = await client.patch(
        f"/api/applications/{app['id']}",
        json={
            "status": "interviewing",
            "interview_at": "2026-12-01T15:00:00+01:00",
            "notes": "Panel with the Insights team",
        },
        headers=headers,
    )
    body = interview.json()
    assert body["interview_at"] == "2026-12-01T14:00:00Z"
    assert body["notes"] == "Panel with the Insights team"
    assert [(h["from_status"], h["to_status"]) for h in body["history"]] == [
        (None, "saved"),
        ("saved", "applied"),
        ("applied", "interviewing"),
    ]
    assert body["history"][1]["note"] == "Sent through the careers site"
    cleared = await client.patch(
        f"/api/applications/{app['id']}", json={"resume_id": None}, headers=headers
    )
    assert cleared.json()["resume_id"] is None and cleared.json()["status"] == "interviewing"
    assert len(cleared.json()["history"]) == 3  # no status change, no event
    bad = await client.patch(
        f"/api/applications/{app['id']}", json={"status": "hired"}, headers=headers
    )
    assert bad.status_code == 422

    external = await client.post(
        "/api/applications",
        json={
            "external": {
                "title": "Platform Engineer",
                "company": "Hooli",
                "url": "https://hooli.example/jobs/9",
            },
            "status": "applied",
        },
        headers=headers,
    )
    assert external.status_code == 201 and external.json()["job_id"] is None
    assert external.json()["applied_at"] is not None and external.json()["job_status"] is None
    neither = await client.post("/api/applications", json={"status": "saved"}, headers=headers)
    assert neither.status_code == 422
    unknown = await client.post(
        "/api/applications",
        json={"job_id": "00000000-0000-4000-8000-000000000000"},
        headers=headers,
    )
    assert unknown.status_code == 404

    interviewing = (
        await client.get("/api/applications", params={"status": "interviewing"}, headers=headers)
    ).json()
    assert [a["id"] for a in interviewing] == [app["id"]]
    everything = (await client.get("/api/applications", headers=headers)).json()
    assert {a["title"] for a in everything} == {"Data Analyst", "Platform Engineer"}
    wrong = await client.get("/api/applications", params={"status": "ghosted"}, headers=headers)
    assert wrong.status_code == 422

    # The posting closes at its source: the application says so and keeps its snapshot.
    boards.add("/greenhouse/v1/boards/acme/jobs", file_reply("greenhouse-acme-after.json"))
    await client.post(f"/api/jobs/sources/{source['id']}/refresh", headers=headers)
    await wait_for_refresh(client, source["id"], headers)
    one = (await client.get(f"/api/applications/{app['id']}", headers=headers)).json()
    assert one["job_status"] == "closed" and one["title"] == "Data Analyst"

    removed = await client.delete(f"/api/applications/{app['id']}", headers=headers)
    assert removed.status_code == 204
    assert (await client.get(f"/api/applications/{app['id']}", headers=headers)).status_code == 404


async def test_a_source_cannot_be_removed_while_it_refreshes(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    import asyncio

    headers = (await make_user())["headers"]
    boards.add("/ashby/posting-api/job-board/initech", file_reply("ashby-initech.json", delay=1.5))
    created = await client.post(
        "/api/jobs/sources", json={"kind": "ashby", "identifier": "initech"}, headers=headers
    )
    source_id = created.json()["id"]
    for _ in range(200):
        status = (await client.get(f"/api/jobs/sources/{source_id}", headers=headers)).json()
        if status["status"] == "running":
            break
        await asyncio.sleep(0.02)
    busy = await client.delete(f"/api/jobs/sources/{source_id}", headers=headers)
    assert busy.status_code == 409 and "being refreshed" in busy.json()["detail"]
    await wait_for_refresh(client, source_id, headers)
    assert (
        await client.delete(f"/api/jobs/sources/{source_id}", headers=headers)
    ).status_code == 204
