"""Liveness: the postings a user saved or applied to are fetched again and the closed ones are
marked closed (pure verdicts on pages, and end to end against the job-board double)."""

from __future__ import annotations

import httpx

from careergini.jobs.liveness import page_verdict
from tests.conftest import UserMaker
from tests.doubles.jobboards import JobBoardsDouble, Reply, file_reply, fixture
from tests.jobs.conftest import add_source
from tests.notifications.conftest import wait_task


def _jsonld(valid_through: str) -> str:
    return (
        '<html><head><script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "JobPosting", "title": "QA Engineer", "description": "Test things", '
        f'"datePosted": "2026-10-01", "validThrough": "{valid_through}"}}</script></head>'
        "<body><h1>QA Engineer</h1></body></html>"
    )


def test_what_a_job_page_says_about_its_job() -> None:
    assert page_verdict(404, "")[0] == "closed"
    assert page_verdict(410, "")[0] == "closed"
    assert page_verdict(503, "")[0] == "unknown"  # a bad moment never closes a job
    assert page_verdict(200, _jsonld("2020-01-31"))[0] == "closed"
    assert page_verdict(200, _jsonld("2099-01-31"))[0] == "open"
    state, why = page_verdict(
        200, "<main><h1>Backend Developer</h1><p>This job is no longer accepting applications.</p>"
    )
    assert state == "closed" and "no longer accepting applications" in why
    assert page_verdict(200, "<p>Sorry, this position has been filled.</p>")[0] == "closed"
    assert page_verdict(200, fixture("job-page-plain.html").decode())[0] == "open"


async def test_saved_and_applied_postings_that_closed_are_marked_closed(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    await add_source(client, headers, kind="greenhouse", identifier="acme")
    listed = (await client.get("/api/jobs", params={"limit": 50}, headers=headers)).json()
    by_title = {item["title"]: item["id"] for item in listed["items"]}
    plain = await client.post(
        "/api/jobs", json={"url": f"{boards.url}/careers/job-page-plain.html"}, headers=headers
    )
    cyberdyne = await client.post(
        "/api/jobs", json={"url": f"{boards.url}/careers/cyberdyne-job-1.html"}, headers=headers
    )
    assert plain.status_code == cyberdyne.status_code == 201
    tracked = {
        by_title["Data Analyst"]: "saved",
        by_title["Senior Backend Engineer"]: "rejected",  # not followed any more: not checked
        plain.json()["id"]: "applied",
        cyberdyne.json()["id"]: "interviewing",
    }
    for job_id, status in tracked.items():
        made = await client.post(
            "/api/applications", json={"job_id": job_id, "status": status}, headers=headers
        )
        assert made.status_code == 201, made.text

    # The board drops the analyst job and the plain page is gone; nothing is refreshed.
    boards.add("/greenhouse/v1/boards/acme/jobs", file_reply("greenhouse-acme-after.json"))
    boards.add("/careers/job-page-plain.html", Reply(status=404, body=b"gone"))
    asked = await client.post("/api/applications/check-postings", headers=headers)
    assert asked.status_code == 202, asked.text
    ended = await wait_task(client, headers, asked.json()["id"])
    assert ended["status"] == "succeeded", ended

    statuses = {
        a["title"]: a["job_status"]
        for a in (await client.get("/api/applications", headers=headers)).json()
    }
    assert statuses == {
        "Data Analyst": "closed",
        "Senior Backend Engineer": "open",
        "Backend Developer": "closed",
        "QA Engineer": "open",
    }
    analyst = (await client.get(f"/api/jobs/{by_title['Data Analyst']}", headers=headers)).json()
    assert analyst["status"] == "closed" and analyst["closed_at"] is not None
    # The board's listing was read once for its one tracked posting; the live page once.
    assert len(boards.seen("/greenhouse/v1/boards/acme/jobs")) == 2  # the add, the check
    assert len(boards.seen("/careers/cyberdyne-job-1.html")) == 2


async def test_a_board_that_cannot_be_read_closes_nothing(
    client: httpx.AsyncClient, make_user: UserMaker, boards: JobBoardsDouble
) -> None:
    headers = (await make_user())["headers"]
    await add_source(client, headers, kind="greenhouse", identifier="acme")
    listed = (await client.get("/api/jobs", params={"limit": 50}, headers=headers)).json()
    analyst = next(i for i in listed["items"] if i["title"] == "Data Analyst")
    await client.post("/api/applications", json={"job_id": analyst["id"]}, headers=headers)
    boards.add("/greenhouse/v1/boards/acme/jobs", Reply(status=503, body=b"busy"))
    asked = await client.post("/api/applications/check-postings", headers=headers)
    assert (await wait_task(client, headers, asked.json()["id"]))["status"] == "succeeded"
    job = (await client.get(f"/api/jobs/{analyst['id']}", headers=headers)).json()
    assert job["status"] == "open"
