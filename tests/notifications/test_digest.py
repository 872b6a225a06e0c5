"""Email digests and in-app notifications end to end, on both stacks: the scheduler queues a
round, the task worker runs it, a real SMTP server on loopback (aiosmtpd) receives the digest,
and its signed unsubscribe link turns the digest off."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from email.message import Message

import httpx

from tests.conftest import UserMaker
from tests.core.test_mail import Inbox
from tests.doubles.jobboards import JobBoardsDouble, file_reply
from tests.jobs.conftest import add_source
from tests.jobs.test_router import import_resume
from tests.notifications.conftest import PUBLIC_URL, wait_for_mail, wait_task


def parts(message: Message) -> tuple[str, str]:
    """The text and HTML parts of a message."""
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
    return text, html


async def test_a_digest_with_the_right_jobs_arrives_on_schedule_and_unsubscribe_works(
    client: httpx.AsyncClient,
    make_user: UserMaker,
    boards: JobBoardsDouble,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, _ = smtp
    user = await make_user()
    headers = user["headers"]
    await import_resume(client, headers)
    await add_source(client, headers, kind="greenhouse", identifier="acme")
    recommended = await client.get("/api/jobs/recommendations", headers=headers)
    scored = {r["job"]["title"]: r for r in recommended.json()["items"]}
    best = scored["Senior Backend Engineer"]
    others = [r["score"] for title, r in scored.items() if title != "Senior Backend Engineer"]
    assert best["score"] > max(others), scored
    threshold = (best["score"] + max(others)) / 2

    # Two tracked jobs: a follow-up that has come due, and one its board no longer lists.
    frontend = scored["Frontend Engineer (Remote)"]["job"]["id"]
    analyst = scored["Data Analyst"]["job"]["id"]
    due = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    for job_id, body in ((frontend, {"follow_up_at": due}), (analyst, {"status": "applied"})):
        created = await client.post(
            "/api/applications", json={"job_id": job_id, **body}, headers=headers
        )
        assert created.status_code == 201, created.text
    boards.add("/greenhouse/v1/boards/acme/jobs", file_reply("greenhouse-acme-after.json"))

    # Asking for a daily digest: the scheduler runs a round at its next tick (no /run call).
    prefs = await client.put(
        "/api/notifications/preferences",
        json={"email_digest": "daily", "min_score": threshold},
        headers=headers,
    )
    assert prefs.status_code == 200, prefs.text
    assert prefs.json()["email_available"] is True and prefs.json()["email"] == user["email"]
    await wait_for_mail(inbox, 1)

    recipients, message = inbox.received[0]
    assert recipients == [user["email"]]
    assert message["From"] == "CareerGini <digest@careers.example.org>"
    subject = message["Subject"]
    assert "1 new job for you" in subject and "1 follow-up due" in subject
    assert "1 tracked job closed" in subject
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(message)
    matches, rest = text.split("FOLLOW-UPS DUE")
    follow_ups, closed = rest.split("JOBS YOU TRACK THAT CLOSED")
    # Only the posting above the threshold, with its score, reasons and link.
    assert f"- Senior Backend Engineer at Acme Payments: {round(best['score'])}/100" in matches
    assert best["top_reasons"][0] in matches
    assert f"{PUBLIC_URL}/jobs/{best['job']['id']}" in matches
    assert "Data Analyst" not in matches and "Frontend" not in matches
    assert "Frontend Engineer (Remote) at Acme Payments" in follow_ups
    assert "Data Analyst at Acme Payments" in closed and "no longer lists it" in closed
    assert "Senior Backend Engineer" in html and f"{round(best['score'])}/100" in html
    assert message["List-Unsubscribe"].strip("<>") in text

    # The tracker says the job closed; the bell has the same three events, all emailed.
    applications = (await client.get("/api/applications", headers=headers)).json()
    statuses = {a["title"]: a["job_status"] for a in applications}
    assert statuses["Data Analyst"] == "closed" and statuses["Frontend Engineer (Remote)"] == "open"
    bell = (await client.get("/api/notifications", headers=headers)).json()
    assert bell["unread"] == 3
    assert sorted(n["kind"] for n in bell["items"]) == [
        "application.follow_up",
        "job.closed",
        "job.match",
    ]
    assert all(n["emailed_at"] for n in bell["items"])

    # Another round the same day tells nothing twice and sends no second daily digest.
    task = (await client.post("/api/notifications/run", headers=headers)).json()
    ended = await wait_task(client, headers, task["id"])
    assert ended["status"] == "succeeded", ended
    assert len(inbox.received) == 1
    last = (await client.get("/api/notifications/preferences", headers=headers)).json()
    assert last["last_round"]["created"] == 0 and last["last_round"]["emailed"] == 0
    assert last["last_round"]["checked"] == 1  # the follow-up's job; the closed one is done
    assert (await client.get("/api/notifications", headers=headers)).json()["unread"] == 3

    # The signed link unsubscribes in one click, without logging in; a forged one does not.
    link = re.search(re.escape(PUBLIC_URL) + r"(/api/notifications/unsubscribe\?\S+)", text)
    assert link is not None
    forged = link.group(1)[:-4] + ("AAAA" if not link.group(1).endswith("AAAA") else "BBBB")
    refused = await client.get(forged)
    assert refused.status_code == 404 and refused.json()["error"] == "BadUnsubscribeLink"
    assert (await client.get("/api/notifications/preferences", headers=headers)).json()[
        "email_digest"
    ] == "daily"
    done = await client.get(link.group(1))
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert user["email"] in done.text
    after = (await client.get("/api/notifications/preferences", headers=headers)).json()
    assert after["email_digest"] == "off"
    # The mail program's RFC 8058 POST to the same link answers alike.
    assert (await client.post(link.group(1))).status_code == 200


async def test_notifications_and_preferences_are_each_user_s_own(
    client: httpx.AsyncClient, make_user: UserMaker, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    alice, bob = await make_user(), await make_user()
    due = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    created = await client.post(
        "/api/applications",
        json={"external": {"title": "Platform Engineer", "company": "Hooli"}, "follow_up_at": due},
        headers=alice["headers"],
    )
    assert created.status_code == 201, created.text
    task = (await client.post("/api/notifications/run", headers=alice["headers"])).json()
    assert (await wait_task(client, alice["headers"], task["id"]))["status"] == "succeeded"
    mine = (await client.get("/api/notifications", headers=alice["headers"])).json()
    assert mine["unread"] == 1 and mine["items"][0]["title"] == "Platform Engineer at Hooli"
    notice = mine["items"][0]["id"]
    assert inbox.received == []  # the digest is off until asked for

    # Bob sees none of it, cannot mark it read, and his "read all" leaves it unread.
    theirs = (await client.get("/api/notifications", headers=bob["headers"])).json()
    assert theirs == {"items": [], "unread": 0}
    foreign = await client.post(f"/api/notifications/{notice}/read", headers=bob["headers"])
    assert foreign.status_code == 404 and foreign.json()["error"] == "NotificationNotFound"
    assert (await client.post("/api/notifications/read-all", headers=bob["headers"])).json() == {
        "marked": 0
    }
    assert (await client.get("/api/notifications", headers=alice["headers"])).json()["unread"] == 1
    read = await client.post(f"/api/notifications/{notice}/read", headers=alice["headers"])
    assert read.status_code == 200 and read.json()["read_at"] is not None

    # An unsigned link unsubscribes nobody.
    bad = await client.get(
        "/api/notifications/unsubscribe", params={"user": bob["id"], "token": "not-a-signature"}
    )
    assert bad.status_code == 404

    # Preferences name only one's own sources; bad values are 422s saying what is wrong.
    source = await client.post(
        "/api/jobs/sources",
        json={"kind": "greenhouse", "identifier": "acme"},
        headers=alice["headers"],
    )
    wrong = await client.put(
        "/api/notifications/preferences",
        json={"source_ids": [source.json()["id"]]},
        headers=bob["headers"],
    )
    assert wrong.status_code == 422 and wrong.json()["unknown_source_ids"] == [source.json()["id"]]
    for wrong_value in ({"email_digest": "hourly"}, {"min_score": 101}, {"colour": "red"}):
        refused = await client.put(
            "/api/notifications/preferences", json=wrong_value, headers=bob["headers"]
        )
        assert refused.status_code == 422, wrong_value
        assert refused.json()["error"] == "ValidationError"
    chosen = await client.put(
        "/api/notifications/preferences",
        json={"source_ids": [source.json()["id"]], "email_digest": "weekly", "min_score": 70},
        headers=alice["headers"],
    )
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["source_ids"] == [source.json()["id"]]
    assert (chosen.json()["email_digest"], chosen.json()["min_score"]) == ("weekly", 70)


async def test_a_mail_server_that_refuses_fails_the_round_and_the_next_digest_carries_it(
    client: httpx.AsyncClient, make_user: UserMaker, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    user = await make_user()
    headers = user["headers"]
    due = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    made = await client.post(
        "/api/applications",
        json={"external": {"title": "SRE", "company": "Initech"}, "follow_up_at": due},
        headers=headers,
    )
    assert made.status_code == 201, made.text

    async def refuse(server: object, session: object, envelope: object) -> str:
        return "451 4.3.0 Mailbox busy, try again later"

    inbox.handle_DATA = refuse  # type: ignore[method-assign]
    await client.put(
        "/api/notifications/preferences", json={"email_digest": "daily"}, headers=headers
    )
    tasks: list[dict] = []
    for _ in range(300):
        listed = await client.get(
            "/api/tasks", params={"kind": "notifications.round"}, headers=headers
        )
        tasks = listed.json()["items"]
        if tasks and tasks[0]["status"] in ("succeeded", "failed"):
            break
        await asyncio.sleep(0.2)
    assert tasks and tasks[0]["status"] == "failed", tasks
    assert "mail server could not send" in tasks[0]["error"]
    notices = (await client.get("/api/notifications", headers=headers)).json()["items"]
    assert [n["title"] for n in notices] == ["SRE at Initech"]
    assert notices[0]["emailed_at"] is None  # kept for the next digest

    del inbox.handle_DATA  # the server takes mail again
    task = (await client.post("/api/notifications/run", headers=headers)).json()
    assert (await wait_task(client, headers, task["id"]))["status"] == "succeeded"
    await wait_for_mail(inbox, 1)
    text, _ = parts(inbox.received[0][1])
    assert "- SRE at Initech: follow up (saved)" in text


async def test_two_rounds_at_once_tell_each_event_once(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    due = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    for title in ("Data Engineer", "ML Engineer", "Analytics Engineer"):
        made = await client.post(
            "/api/applications",
            json={"external": {"title": title, "company": "Globex"}, "follow_up_at": due},
            headers=headers,
        )
        assert made.status_code == 201, made.text
    first, second = [
        (await client.post("/api/notifications/run", headers=headers)).json() for _ in range(2)
    ]
    for task in (first, second):
        assert (await wait_task(client, headers, task["id"]))["status"] == "succeeded"
    notices = (await client.get("/api/notifications", headers=headers)).json()
    assert notices["unread"] == 3
    assert sorted(n["title"] for n in notices["items"]) == [
        "Analytics Engineer at Globex",
        "Data Engineer at Globex",
        "ML Engineer at Globex",
    ]
