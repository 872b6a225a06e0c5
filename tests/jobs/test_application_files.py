"""The tracker's files: CSV export and import (round trip, bad rows named, duplicates skipped,
formula cells defused) and the interview calendar (.ics) read back with a real iCalendar
parser; each user sees only their own applications."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
from icalendar import Calendar

from tests.conftest import UserMaker

JOBS = [
    {
        "external": {
            "title": "Backend Engineer",
            "company": "Acme, Inc.",
            "url": "https://jobs.example.com/1",
        },
        "status": "interviewing",
        "interview_at": "2026-12-10T14:30:00+01:00",
        "notes": "Panel with the platform team;\nbring the system design notes",
    },
    {"external": {"title": "Data Engineer", "company": "Globex"}, "status": "applied"},
    {"external": {"title": '=HYPERLINK("http://evil")', "company": "Initech"}},
]


async def track(client: httpx.AsyncClient, headers: dict) -> list[dict]:
    made = []
    for body in JOBS:
        response = await client.post("/api/applications", json=body, headers=headers)
        assert response.status_code == 201, response.text
        made.append(response.json())
    return made


def upload(text: str) -> dict:
    return {"file": ("applications.csv", text.encode(), "text/csv")}


async def test_csv_export_and_import_round_trip(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice = (await make_user())["headers"]
    await track(client, alice)
    exported = await client.get("/api/applications/export.csv", headers=alice)
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("text/csv")
    assert "applications.csv" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    by_title = {r["title"]: r for r in rows}
    backend = by_title["Backend Engineer"]
    assert backend["company"] == "Acme, Inc." and backend["status"] == "interviewing"
    assert backend["interview_at"] == "2026-12-10T13:30+00:00"
    assert backend["notes"].startswith("Panel with the platform team;\nbring")
    assert backend["history"].startswith("interviewing ")
    # A cell that a spreadsheet would run as a formula is written as text.
    assert '\'=HYPERLINK("http://evil")' in by_title

    # Importing the same file adds nothing: every job is already tracked.
    again = await client.post(
        "/api/applications/import", files=upload(exported.text), headers=alice
    )
    assert again.status_code == 201, again.text
    assert (again.json()["imported"], again.json()["skipped"]) == (0, 3)

    # Into another account, the export brings the same applications back.
    bob = (await make_user())["headers"]
    imported = await client.post(
        "/api/applications/import", files=upload(exported.text), headers=bob
    )
    assert imported.status_code == 201, imported.text
    assert (imported.json()["imported"], imported.json()["skipped"]) == (3, 0)
    mine = {a["title"]: a for a in (await client.get("/api/applications", headers=bob)).json()}
    assert set(mine) == {"Backend Engineer", "Data Engineer", '=HYPERLINK("http://evil")'}
    assert mine["Backend Engineer"]["interview_at"] == "2026-12-10T13:30:00Z"
    assert mine["Backend Engineer"]["notes"] == JOBS[0]["notes"]
    assert mine["Data Engineer"]["status"] == "applied"

    # Each user's export holds only their own applications.
    alice_titles = [r["title"] for r in rows]
    assert len(alice_titles) == 3


async def test_a_bad_csv_is_refused_with_the_row_and_the_fix(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    cases = [
        ("company,url\nAcme,https://x\n", "'title' column"),
        ("title,status\nEngineer,hired\n", "Row 2: status 'hired'"),
        ("title,interview_at\nEngineer,next tuesday\n", "Row 2: interview_at 'next tuesday'"),
        ("title,company\nEngineer,Acme\n,Globex\n", "Row 3: the title is empty"),
        ("title\n" + "x" * 400 + "\n", "Row 2: title: String should have at most 300"),
    ]
    for text, says in cases:
        refused = await client.post("/api/applications/import", files=upload(text), headers=headers)
        assert refused.status_code == 422, (text[:40], refused.text)
        assert says in refused.json()["detail"], refused.json()
    latin1 = {"file": ("a.csv", "title\nIngénieur\n".encode("latin-1"), "text/csv")}
    refused = await client.post("/api/applications/import", files=latin1, headers=headers)
    assert refused.status_code == 422 and "UTF-8" in refused.json()["detail"]
    # Nothing of a refused file is kept.
    assert (await client.get("/api/applications", headers=headers)).json() == []


async def test_the_interview_calendar(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    alice = (await make_user())["headers"]
    made = await track(client, alice)
    response = await client.get("/api/applications/calendar.ics", headers=alice)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1  # only the application with an interview date
    [event] = events
    assert str(event["summary"]) == "Interview: Backend Engineer at Acme, Inc."
    start = event.decoded("dtstart")
    assert start == datetime(2026, 12, 10, 13, 30, tzinfo=UTC)
    assert event.decoded("dtend") - start == timedelta(hours=1)
    assert str(event["uid"]) == f"{made[0]['id']}-interview@careergini"
    assert "bring the system design notes" in str(event["description"])
    assert "https://jobs.example.com/1" in str(event["description"])

    # Another user's calendar has none of it.
    bob = (await make_user())["headers"]
    theirs = await client.get("/api/applications/calendar.ics", headers=bob)
    assert Calendar.from_ical(theirs.content).walk("VEVENT") == []
    assert (await client.get("/api/applications/calendar.ics")).status_code == 401
