"""Roadmaps, progress, re-planning, exports, resources and confidence through the HTTP API."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from careergini.core.db import utcnow
from tests.analysis.test_router import closed_and_bare_postings, saved_posting
from tests.conftest import UserMaker
from tests.profile.test_router import RESUME_A, upload
from tests.samples import BACKEND_JD

DATA_SCIENTISTS = "onet:15-2051.00"


async def roadmap(client: httpx.AsyncClient, user: dict, **body: Any) -> httpx.Response:
    body.setdefault("hours_per_week", 10)
    return await client.post("/api/learning/roadmaps", json=body, headers=user["headers"])


async def created(client: httpx.AsyncClient, user: dict, **body: Any) -> dict[str, Any]:
    response = await roadmap(client, user, **body)
    assert response.status_code == 201, response.text
    return response.json()


def tasks_of(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for w in plan["weeks"] for t in w["tasks"]]


async def test_a_roadmap_for_a_role_title_without_a_profile(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    plan = await created(client, user, target_role="Data Scientists", hours_per_week=12)
    assert plan["target"]["role_id"] == DATA_SCIENTISTS
    assert plan["profile_used"] is False
    assert "no profile yet" in plan["notes"][0]
    assert "outside the core scope" in plan["notes"][-1]
    units = [u["skill_id"] for u in plan["units"]]
    assert units.index("python") < units.index("pandas") < units.index("scikit-learn")
    assert units.index("statistics") < units.index("machine-learning")
    assert all(w["hours"] <= 12 for w in plan["weeks"])
    assert plan["summary"]["fits"] is True
    assert plan["summary"]["percent_done"] == 0
    assert plan["texts"]["writer"] == "template"  # the model server is offline
    month = plan["months"][0]
    assert month["project"]["name"] and month["checkpoint"]
    task = plan["weeks"][0]["tasks"][0]
    assert task["resources"][0]["url"].startswith("https://")
    assert task["status"] == "todo"
    outside = [d for d in plan["dropped"] if "core scope" in d["reason"]]
    assert {"alteryx", "jira"} <= {d["skill_id"] for d in outside}
    full = await created(client, user, target_role=DATA_SCIENTISTS, scope="full", hours_per_week=40)
    assert "alteryx" not in {d["skill_id"] for d in full["dropped"]}
    assert len(full["units"]) > len(plan["units"])


async def test_a_roadmap_from_a_job_description_skips_what_the_profile_has(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    response = await client.post(
        "/api/profile/imports", files=upload(RESUME_A), headers=user["headers"]
    )
    assert response.status_code == 201, response.text
    plan = await created(client, user, job_description=BACKEND_JD, months=6)
    assert plan["target"]["type"] == "job_description"
    assert plan["profile_used"] is True
    units = {u["skill_id"] for u in plan["units"]}
    assert not units & {"python", "fastapi", "postgresql", "docker", "kubernetes", "sql"}
    known = {k["skill_id"]: k["why"] for k in plan["known"]}
    assert known["fastapi"].startswith("In your profile")
    assert {"aws", "go", "terraform"} & units
    assert plan["summary"]["requested_months"] == 6


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"target_role": DATA_SCIENTISTS, "hours_per_week": 0}, "hours_per_week"),
        ({"target_role": DATA_SCIENTISTS, "hours_per_week": 81}, "hours_per_week"),
        ({"target_role": DATA_SCIENTISTS, "hours_per_week": 5, "months": 0}, "months"),
        ({"hours_per_week": 5}, "exactly one"),
        ({"target_role": "x", "job_description": "y", "hours_per_week": 5}, "exactly one"),
        ({"job_id": "42", "hours_per_week": 5}, "not a posting id"),
        ({"job_id": str(uuid.uuid4()), "target_role": "x", "hours_per_week": 5}, "exactly one"),
        (
            {"job_id": str(uuid.uuid4()), "job_description": BACKEND_JD, "hours_per_week": 5},
            "exactly one",
        ),
        ({"job_description": "  ", "hours_per_week": 5}, "empty"),
    ],
)
async def test_bad_roadmap_requests_are_422(
    client: httpx.AsyncClient, make_user: UserMaker, body: dict, needle: str
) -> None:
    user = await make_user()
    response = await client.post("/api/learning/roadmaps", json=body, headers=user["headers"])
    assert response.status_code == 422
    assert needle in response.text


async def test_unknown_roles_are_404_with_close_matches(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    by_title = await roadmap(client, user, target_role="Quantum data wrangler")
    assert by_title.status_code == 404
    body = by_title.json()
    assert body["error"] == "RoleNotFound"
    assert "careergini:data-engineer" in body["suggestions"]
    assert "Close titles:" in body["detail"] and "Data engineer" in body["detail"]
    by_id = await roadmap(client, user, target_role="onet:data-scientist")
    assert by_id.status_code == 404
    assert by_id.json()["error"] == "UnknownRole"
    not_a_job = await roadmap(client, user, job_description="We love our office dog, Biscuit.")
    assert not_a_job.status_code == 422
    assert "No skills" in not_a_job.json()["detail"]


async def test_a_budget_too_small_says_so_and_proposes_the_shortest_plan(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    plan = await created(client, user, target_role=DATA_SCIENTISTS, hours_per_week=5, months=3)
    summary = plan["summary"]
    assert summary["fits"] is False
    assert summary["months_total"] > 3
    assert summary["hours_per_week_needed"] > 5
    assert summary["message"].startswith("Does not fit in 3 month(s) at 5 h/week")
    assert all(w["hours"] <= 5 for w in plan["weeks"])


async def test_roadmaps_are_listed_read_deleted_and_private(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    owner, other = await make_user(), await make_user()
    plan = await created(client, owner, target_role="web developer")
    url = f"/api/learning/roadmaps/{plan['id']}"
    listed = (await client.get("/api/learning/roadmaps", headers=owner["headers"])).json()
    assert [r["id"] for r in listed] == [plan["id"]]
    assert (await client.get(url, headers=owner["headers"])).json()["units"] == plan["units"]
    for method, suffix in (("GET", ""), ("GET", "/mermaid"), ("GET", "/ics"), ("DELETE", "")):
        response = await client.request(method, url + suffix, headers=other["headers"])
        assert response.status_code == 404, (method, suffix)
    task_id = plan["weeks"][0]["tasks"][0]["id"]
    sneaky = await client.patch(
        f"{url}/tasks/{task_id}", json={"status": "done"}, headers=other["headers"]
    )
    assert sneaky.status_code == 404
    assert (await client.get("/api/learning/roadmaps", headers=other["headers"])).json() == []
    assert (await client.delete(url, headers=owner["headers"])).status_code == 204
    assert (await client.get(url, headers=owner["headers"])).status_code == 404
    assert (await client.get(url)).status_code == 401


async def test_progress_per_week_and_month(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    user = await make_user()
    plan = await created(client, user, target_role="web developer", hours_per_week=6)
    url = f"/api/learning/roadmaps/{plan['id']}"
    week1 = plan["weeks"][0]
    for task in week1["tasks"]:
        response = await client.patch(
            f"{url}/tasks/{task['id']}", json={"status": "done"}, headers=user["headers"]
        )
        assert response.status_code == 200, response.text
    second = plan["weeks"][1]["tasks"][0]
    updated = (
        await client.patch(
            f"{url}/tasks/{second['id']}",
            json={"status": "skipped", "notes": "Already did this at work."},
            headers=user["headers"],
        )
    ).json()
    weeks = {w["index"]: w for w in updated["weeks"]}
    assert weeks[1]["percent_done"] == 100
    assert weeks[2]["percent_done"] == 0
    task = next(t for t in weeks[2]["tasks"] if t["id"] == second["id"])
    assert task["status"] == "skipped" and task["notes"] == "Already did this at work."
    month_hours = sum(w["hours"] for w in updated["weeks"] if w["month"] == 1)
    assert updated["months"][0]["percent_done"] == round(100 * 6 / month_hours)
    assert updated["summary"]["done_hours"] == 6
    # Notes alone keep the status; "todo" without notes clears the task.
    notes_only = await client.patch(
        f"{url}/tasks/{second['id']}", json={"notes": "Revisit later"}, headers=user["headers"]
    )
    task = next(t for t in tasks_of(notes_only.json()) if t["id"] == second["id"])
    assert task["status"] == "skipped" and task["notes"] == "Revisit later"
    cleared = await client.patch(
        f"{url}/tasks/{second['id']}",
        json={"status": "todo", "notes": None},
        headers=user["headers"],
    )
    task = next(t for t in tasks_of(cleared.json()) if t["id"] == second["id"])
    assert task["status"] == "todo" and task["notes"] is None
    bad = await client.patch(
        f"{url}/tasks/{second['id']}", json={"status": "finished"}, headers=user["headers"]
    )
    assert bad.status_code == 422
    empty = await client.patch(f"{url}/tasks/{second['id']}", json={}, headers=user["headers"])
    assert empty.status_code == 422
    missing = await client.patch(
        f"{url}/tasks/r9-w1-1", json={"status": "done"}, headers=user["headers"]
    )
    assert missing.status_code == 404
    assert missing.json()["error"] == "TaskNotFound"


async def test_falling_behind_and_replanning(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    start = utcnow().date() - timedelta(days=21)  # today is in week 4
    plan = await created(
        client, user, target_role="web developer", hours_per_week=8, start_date=start.isoformat()
    )
    url = f"/api/learning/roadmaps/{plan['id']}"
    for task in plan["weeks"][0]["tasks"]:
        await client.patch(
            f"{url}/tasks/{task['id']}", json={"status": "done"}, headers=user["headers"]
        )
    current = (await client.get(url, headers=user["headers"])).json()["summary"]
    assert current["current_week"] == 4
    assert current["behind_hours"] == 16  # weeks 2 and 3 untouched
    new = await client.post(f"{url}/replan", json={"hours_per_week": 4}, headers=user["headers"])
    assert new.status_code == 200, new.text
    body = new.json()
    assert body["revision"] == 2
    assert body["summary"]["behind_hours"] == 0
    assert body["summary"]["hours_per_week"] == 4
    assert body["parameters"]["replanned"]["from_week"] == 4
    week1 = body["weeks"][0]
    assert all(t["status"] == "done" for t in week1["tasks"])
    moved = [t for w in body["weeks"][1:3] for t in w["tasks"]]
    assert moved and all(t["status"] == "rescheduled" for t in moved)
    future = [w for w in body["weeks"] if w["index"] >= 4]
    assert future[0]["start"] == (start + timedelta(days=21)).isoformat()
    assert all(w["hours"] <= 4 for w in future)
    conflict = await client.patch(
        f"{url}/tasks/{moved[0]['id']}", json={"status": "done"}, headers=user["headers"]
    )
    assert conflict.status_code == 409
    deadline = await client.post(
        f"{url}/replan", json={"months": 1, "hours_per_week": 1}, headers=user["headers"]
    )
    assert deadline.json()["summary"]["fits"] is False
    assert "does not fit in 1 month(s)" in deadline.json()["summary"]["message"]
    bad = await client.post(f"{url}/replan", json={"hours_per_week": 90}, headers=user["headers"])
    assert bad.status_code == 422


async def test_mermaid_and_icalendar_exports(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    plan = await created(
        client, user, target_role="web developer", hours_per_week=10, start_date="2027-01-04"
    )
    url = f"/api/learning/roadmaps/{plan['id']}"
    await client.patch(
        f"{url}/tasks/{plan['weeks'][0]['tasks'][0]['id']}",
        json={"status": "done"},
        headers=user["headers"],
    )
    mermaid = await client.get(f"{url}/mermaid", headers=user["headers"])
    assert mermaid.status_code == 200
    assert mermaid.headers["content-type"].startswith("text/plain")
    lines = mermaid.text.splitlines()
    assert lines[0] == "gantt" and "dateFormat YYYY-MM-DD" in lines[2]
    assert sum(1 for line in lines if line.strip().startswith("section ")) == len(plan["months"])
    bars = [line for line in lines if re.search(r":(done, |active, )?w\d+, ", line)]
    assert len(bars) == len(plan["weeks"])
    assert bars[0].strip().startswith("Week 1 - ") and "2027-01-04, 7d" in bars[0]
    assert all(line.count(":") == 1 for line in bars)
    ics = await client.get(f"{url}/ics", headers=user["headers"])
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    calendar = Calendar.from_ical(ics.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == len(plan["weeks"]) + len(plan["months"])
    first = events[0]
    assert first.get("dtstart").dt == date(2027, 1, 4)
    assert first.get("dtend").dt == date(2027, 1, 11)
    assert str(first.get("summary")).startswith("Week 1:")
    assert "[x]" in str(first.get("description")) and "https://" in str(first.get("description"))
    assert len({str(e.get("uid")) for e in events}) == len(events)


async def test_resources_by_skill_level_and_kind(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    headers = user["headers"]
    python = (await client.get("/api/learning/resources?skill=python", headers=headers)).json()
    assert python["skill"]["id"] == "python"
    urls = {r["url"] for r in python["resources"]}
    assert "https://docs.python.org/3/tutorial/" in urls
    assert {r["kind"] for r in python["resources"]} >= {"course", "documentation", "practice"}
    assert python["live"] == []
    docs = await client.get(
        "/api/learning/resources?skill=Python&level=advanced&kind=documentation", headers=headers
    )
    assert docs.status_code == 200
    assert all(r["kind"] == "documentation" for r in docs.json()["resources"])
    assert all(r["level"] in ("advanced", "all") for r in docs.json()["resources"])
    everything = await client.get("/api/learning/resources?kind=video&limit=3", headers=headers)
    assert len(everything.json()["resources"]) == 3
    excluded = await client.get("/api/learning/resources?skill=epic-systems", headers=headers)
    assert "Epic trains" in excluded.json()["note"]
    unknown = await client.get("/api/learning/resources?skill=qwertyuiop", headers=headers)
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "UnknownSkill"
    bad = await client.get("/api/learning/resources?kind=podcast", headers=headers)
    assert bad.status_code == 422
    live = await client.get("/api/learning/resources?skill=python&live=true", headers=headers)
    assert {s["name"]: s["status"] for s in live.json()["live"]} == {
        "youtube": "off",
        "github": "off",
    }


async def test_the_account_export_holds_learning_data(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    await created(client, user, target_role="web developer")
    quiz = await client.post("/api/quizzes", json={"skill": "sql", "n": 2}, headers=user["headers"])
    assert quiz.status_code == 201, quiz.text
    exported = await client.get("/api/account/export", headers=user["headers"])
    assert exported.status_code == 200, exported.text
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".json"))
        data = json.loads(archive.read(name))
    learning = data["learning"]
    assert len(learning["roadmaps"]) == 1 and len(learning["quizzes"]) == 1
    assert learning["roadmaps"][0]["plan"]["weeks"]


async def test_a_roadmap_for_a_saved_posting(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    response = await client.post(
        "/api/profile/imports", files=upload(RESUME_A), headers=user["headers"]
    )
    assert response.status_code == 201, response.text
    posting = await saved_posting(client, user["headers"])
    plan = await created(client, user, job_id=posting["id"], months=6)
    assert plan["target"] == {
        "type": "job",
        "title": "Senior Backend Engineer",
        "role_id": None,
        "source": None,
        "company": "Acme Payments",
        "job_id": posting["id"],
        "skills": plan["target"]["skills"],
    }
    assert plan["title"] == "Roadmap: Senior Backend Engineer"
    # The posting's requirements, like its pasted text: what the profile has is not taught.
    units = {u["skill_id"] for u in plan["units"]}
    assert not units & {"python", "fastapi", "postgresql", "docker", "kubernetes", "sql"}
    assert {"aws", "go", "terraform"} & units
    assert "fastapi" in {k["skill_id"] for k in plan["known"]}
    got = await client.get(f"/api/learning/roadmaps/{plan['id']}", headers=user["headers"])
    assert got.json()["target"]["job_id"] == posting["id"]


async def test_a_roadmap_job_id_is_one_of_your_postings_closed_ones_too(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    owner, other = await make_user(), await make_user()
    posting = await saved_posting(client, owner["headers"])
    for job_id in (posting["id"], str(uuid.uuid4())):
        response = await roadmap(client, other, job_id=job_id)
        assert response.status_code == 404, response.text
        assert response.json()["error"] == "JobNotFound"
    assert (await client.get("/api/learning/roadmaps", headers=other["headers"])).json() == []

    closed, bare = await closed_and_bare_postings(client, owner["headers"])
    plan = await created(client, owner, job_id=closed)
    assert plan["target"]["title"] == "Platform Engineer"
    assert "terraform" in {u["skill_id"] for u in plan["units"]}
    empty = await roadmap(client, owner, job_id=bare)
    assert empty.status_code == 422
    assert "no description" in empty.json()["detail"]
    listed = (await client.get("/api/learning/roadmaps", headers=owner["headers"])).json()
    assert [r["id"] for r in listed] == [plan["id"]]
