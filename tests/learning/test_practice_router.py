"""Quizzes, skill confidence, interview sessions and the story bank through the HTTP API, with the
model server offline (the shipped bank and the rubric carry the features)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from careergini.learning.quizzes import load_bank
from tests.analysis.test_router import saved_posting
from tests.conftest import UserMaker
from tests.learning.conftest import wait_task
from tests.profile.test_router import RESUME_A, upload
from tests.samples import BACKEND_JD

GOOD_STAR = (
    "Last year, when I was the backend lead at Acme, our payment API timed out during peak "
    "sales and the team was blamed for lost orders. My task was to bring p95 latency under "
    "300 ms before Black Friday, six weeks away. I profiled the slowest endpoints, found that "
    "I could cache the currency rates in Redis, and I rewrote two N+1 queries in PostgreSQL. I "
    "also set up an alert so that we would see regressions the same day. As a result, latency "
    "dropped by 60%, from 800 ms to 320 ms, and we lost no orders on Black Friday. I learned to "
    "measure before changing anything, and next time I would add load tests earlier."
)


def answers_for(quiz: dict[str, Any], *, right: int) -> list[dict[str, Any]]:
    """Answer the first ``right`` questions correctly (from the bank) and the rest wrongly."""
    bank = load_bank()
    answers = []
    for number, question in enumerate(quiz["questions"]):
        stored = bank.questions[question["id"]]
        correct_text = next(text for text, ok in stored.options if ok)
        correct = question["options"].index(correct_text)
        choice = correct if number < right else (correct + 1) % len(question["options"])
        answers.append({"question_id": question["id"], "choice": choice})
    return answers


async def test_a_quiz_from_the_bank_scores_and_feeds_confidence(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    headers = user["headers"]
    response = await client.post(
        "/api/quizzes", json={"skill": "Python", "level": "beginner", "n": 4}, headers=headers
    )
    assert response.status_code == 201, response.text
    quiz = response.json()
    assert quiz["skill_id"] == "python" and quiz["source"] == "bank"
    assert len(quiz["questions"]) == 4
    assert all(len(q["options"]) == 4 for q in quiz["questions"])
    assert "answer" not in quiz["questions"][0] and quiz["result"] is None
    # The model is offline but the bank had enough: no warning about generation.
    assert quiz["warnings"] == []
    result = await client.post(
        f"/api/quizzes/{quiz['id']}/answers",
        json={"answers": answers_for(quiz, right=3)},
        headers=headers,
    )
    assert result.status_code == 200, result.text
    scored = result.json()["result"]
    assert scored["correct"] == 3 and scored["total"] == 4 and scored["score"] == 0.75
    wrong = next(r for r in scored["results"] if not r["correct"])
    assert wrong["explanation"] and wrong["correct_option"]
    assert scored["confidence"]["confidence"] == 0.45  # 0.75 x the beginner ceiling 0.6
    assert scored["confidence"]["previous"] is None
    again = await client.post(
        f"/api/quizzes/{quiz['id']}/answers",
        json={"answers": answers_for(quiz, right=4)},
        headers=headers,
    )
    assert again.status_code == 409
    second = (
        await client.post(
            "/api/quizzes", json={"skill": "python", "level": "advanced", "n": 4}, headers=headers
        )
    ).json()
    await client.post(
        f"/api/quizzes/{second['id']}/answers",
        json={"answers": answers_for(second, right=4)},
        headers=headers,
    )
    confidence = (await client.get("/api/learning/skills/confidence", headers=headers)).json()
    assert confidence == [
        {
            **confidence[0],
            "skill_id": "python",
            "name": "Python",
            "quizzes": 2,
            "confidence": 0.725,  # 0.5 x 0.45 + 0.5 x (1.0 x 1.0)
            "last_score": 1.0,
            "last_level": "advanced",
        }
    ]
    stored = (await client.get(f"/api/quizzes/{quiz['id']}", headers=headers)).json()
    assert stored["result"]["correct"] == 3


async def test_quiz_confidence_shortens_the_next_roadmap(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    headers = user["headers"]
    for _ in range(3):
        quiz = (
            await client.post(
                "/api/quizzes", json={"skill": "sql", "level": "advanced", "n": 5}, headers=headers
            )
        ).json()
        await client.post(
            f"/api/quizzes/{quiz['id']}/answers",
            json={"answers": answers_for(quiz, right=len(quiz["questions"]))},
            headers=headers,
        )
    plan = (
        await client.post(
            "/api/learning/roadmaps",
            json={"target_role": "onet:15-2051.00", "hours_per_week": 10},
            headers=headers,
        )
    ).json()
    assert "sql" not in {u["skill_id"] for u in plan["units"]}
    assert "sql" in {k["skill_id"] for k in plan["known"]}


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"skill": "python", "n": 0}, 422, "n"),
        ({"skill": "python", "n": 21}, 422, "n"),
        ({"skill": "python", "level": "expert"}, 422, "level"),
        ({"skill": "zzqqxx"}, 404, "UnknownSkill"),
    ],
)
async def test_bad_quiz_requests(
    client: httpx.AsyncClient, make_user: UserMaker, body: dict, status: int, needle: str
) -> None:
    user = await make_user()
    response = await client.post("/api/quizzes", json=body, headers=user["headers"])
    assert response.status_code == status
    assert needle in response.text


async def test_bad_quiz_answers_are_422_and_quizzes_are_private(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    owner, other = await make_user(), await make_user()
    quiz = (
        await client.post("/api/quizzes", json={"skill": "git", "n": 2}, headers=owner["headers"])
    ).json()
    url = f"/api/quizzes/{quiz['id']}"
    first = quiz["questions"][0]["id"]
    unknown = await client.post(
        f"{url}/answers",
        json={"answers": [{"question_id": "nope", "choice": 0}]},
        headers=owner["headers"],
    )
    assert unknown.status_code == 422
    out_of_range = await client.post(
        f"{url}/answers",
        json={"answers": [{"question_id": first, "choice": 7}]},
        headers=owner["headers"],
    )
    assert out_of_range.status_code == 422
    assert (await client.get(url, headers=other["headers"])).status_code == 404
    stolen = await client.post(
        f"{url}/answers",
        json={"answers": [{"question_id": first, "choice": 0}]},
        headers=other["headers"],
    )
    assert stolen.status_code == 404
    # An unanswered question counts as wrong.
    partial = await client.post(
        f"{url}/answers",
        json={"answers": [{"question_id": first, "choice": 0}]},
        headers=owner["headers"],
    )
    assert partial.json()["result"]["total"] == 2


async def test_an_interview_session_one_question_at_a_time(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    headers = user["headers"]
    response = await client.post(
        "/api/interview/sessions",
        json={"job_description": BACKEND_JD, "technical": 2, "behavioural": 1, "role_specific": 1},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    session = response.json()
    assert session["total"] == 4 and session["answered"] == 0
    assert "no profile yet" in session["notes"][0]
    first = session["current_question"]
    assert first["number"] == 1 and first["kind"] == "technical"
    assert first["skill_id"] in {"python", "fastapi", "postgresql", "sql", "docker", "kubernetes"}
    assert [r["criterion"] for r in first["rubric"]] == [
        "correctness",
        "depth",
        "practice",
        "clarity",
    ]
    url = f"/api/interview/sessions/{session['id']}/answers"
    wrong_question = await client.post(
        url, json={"answer": "x", "question_id": "beh-conflict"}, headers=headers
    )
    assert wrong_question.status_code == 409
    kinds: list[str] = []
    tasks: list[str] = []
    current = first
    while current is not None:
        answer = GOOD_STAR if current["kind"] != "technical" else "It depends."
        reply = await client.post(
            url, json={"answer": answer, "question_id": current["id"]}, headers=headers
        )
        assert reply.status_code == 200, reply.text
        body = reply.json()
        feedback = body["feedback"]
        assert feedback["source"] == "rubric"
        assert feedback["outline"] and feedback["rubric"]
        assert "The AI model is writing its version" in feedback["note"]
        assert body["task"]["kind"] == "learning.feedback"
        tasks.append(body["task"]["id"])
        kinds.append(current["kind"])
        if current["kind"] == "behavioural":
            passed = {c["check"] for c in feedback["checklist"] if c["passed"]}
            assert {"situation", "your actions", "result", "a number", "reflection"} <= passed
        if current["kind"] == "technical":
            failed = {c["check"] for c in feedback["checklist"] if not c["passed"]}
            assert {"length", "an example"} <= failed
            assert feedback["improvements"]
        current = body["session"]["current_question"]
    assert kinds == ["technical", "technical", "role", "behavioural"]
    assert body["session"]["finished"] is True
    done = await client.post(url, json={"answer": "more"}, headers=headers)
    assert done.status_code == 409
    listed = (await client.get("/api/interview/sessions", headers=headers)).json()
    assert listed[0]["answered"] == 4 and listed[0]["answers"] == []
    # The model is offline: each feedback task fails and the rubric's feedback stays.
    for task_id in tasks:
        failed = await wait_task(client, headers, task_id, "failed")
        assert failed["error"]
    stored = (await client.get(f"/api/interview/sessions/{session['id']}", headers=headers)).json()
    assert [a["number"] for a in stored["answers"]] == [1, 2, 3, 4]
    assert [a["task"]["id"] for a in stored["answers"]] == tasks
    for answer in stored["answers"]:
        assert answer["shows"] == "deterministic" and answer["feedback"]["source"] == "rubric"
        assert "AI model was not available" in answer["feedback"]["note"]


async def test_interview_requests_validate_and_sessions_are_private(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    owner, other = await make_user(), await make_user()
    nothing = await client.post(
        "/api/interview/sessions",
        json={"target_role": "web developer", "technical": 0, "behavioural": 0, "role_specific": 0},
        headers=owner["headers"],
    )
    assert nothing.status_code == 422
    unknown = await client.post(
        "/api/interview/sessions", json={"target_role": "Wizard of Oz"}, headers=owner["headers"]
    )
    assert unknown.status_code == 404
    session = (
        await client.post(
            "/api/interview/sessions",
            json={"target_role": "web developer"},
            headers=owner["headers"],
        )
    ).json()
    role_questions = [session["current_question"]]
    assert role_questions[0]["kind"] == "technical"
    url = f"/api/interview/sessions/{session['id']}"
    assert (await client.get(url, headers=other["headers"])).status_code == 404
    stolen = await client.post(f"{url}/answers", json={"answer": "hi"}, headers=other["headers"])
    assert stolen.status_code == 404
    too_long = await client.post(
        f"{url}/answers", json={"answer": "x" * 6001}, headers=owner["headers"]
    )
    assert too_long.status_code == 422


async def test_an_interview_for_a_saved_posting(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    owner, other = await make_user(), await make_user()
    posting = await saved_posting(client, owner["headers"])
    body = {"job_id": posting["id"], "technical": 2, "behavioural": 1, "role_specific": 1}
    response = await client.post("/api/interview/sessions", json=body, headers=owner["headers"])
    assert response.status_code == 201, response.text
    session = response.json()
    assert session["target"]["type"] == "job" and session["target"]["job_id"] == posting["id"]
    assert (session["target"]["title"], session["target"]["company"]) == (
        "Senior Backend Engineer",
        "Acme Payments",
    )
    assert session["total"] == 4
    first = session["current_question"]
    assert first["skill_id"] in {"python", "fastapi", "postgresql", "sql", "docker", "kubernetes"}

    for job_id in (posting["id"], str(uuid.uuid4())):
        stolen = await client.post(
            "/api/interview/sessions", json={**body, "job_id": job_id}, headers=other["headers"]
        )
        assert stolen.status_code == 404 and stolen.json()["error"] == "JobNotFound"
    assert (await client.get("/api/interview/sessions", headers=other["headers"])).json() == []
    for bad, needle in (
        ({"job_id": "not-an-id"}, "not a posting id"),
        ({"job_id": posting["id"], "target_role": "web developer"}, "exactly one"),
    ):
        refused = await client.post("/api/interview/sessions", json=bad, headers=owner["headers"])
        assert refused.status_code == 422 and needle in refused.text
    assert len((await client.get("/api/interview/sessions", headers=owner["headers"])).json()) == 1


async def test_the_story_bank(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    user = await make_user()
    headers = user["headers"]
    no_profile = await client.post("/api/interview/stories/build", headers=headers)
    assert no_profile.status_code == 409
    await client.post("/api/profile/imports", files=upload(RESUME_A), headers=headers)
    built = (await client.post("/api/interview/stories/build", headers=headers)).json()
    assert built["created"] >= 3 and built["kept"] == 0
    stories = built["stories"]
    top = stories[0]
    assert top["situation"].startswith("As Senior Backend Engineer at Acme Corp")
    assert top["result"] and "2M requests a day" in top["result"]
    assert "task" in top["missing"]
    assert {"fastapi", "postgresql"} <= set(top["skills"])
    edited = await client.patch(
        f"/api/interview/stories/{top['id']}",
        json={"task": "Scale the payments API for a new client."},
        headers=headers,
    )
    assert edited.status_code == 200 and edited.json()["edited"] is True
    assert edited.json()["missing"] == []
    rebuilt = (await client.post("/api/interview/stories/build", headers=headers)).json()
    assert rebuilt["created"] == 0 and rebuilt["kept"] == len(stories)
    again = next(s for s in rebuilt["stories"] if s["id"] == top["id"])
    assert again["task"] == "Scale the payments API for a new client."
    own = await client.post(
        "/api/interview/stories",
        json={
            "title": "Mentoring",
            "situation": "A new hire struggled with our codebase.",
            "action": "I paired with them daily on Kubernetes deployments.",
            "result": "They shipped alone after three weeks.",
        },
        headers=headers,
    )
    assert own.status_code == 201 and own.json()["skills"] == ["kubernetes"]
    other = await make_user()
    assert (
        await client.delete(f"/api/interview/stories/{top['id']}", headers=other["headers"])
    ).status_code == 404
    assert (
        await client.delete(f"/api/interview/stories/{top['id']}", headers=headers)
    ).status_code == 204
    listed = (await client.get("/api/interview/stories", headers=headers)).json()
    assert top["id"] not in {s["id"] for s in listed}
    # A behavioural answer's feedback suggests a story from the bank.
    session = (
        await client.post(
            "/api/interview/sessions",
            json={"target_role": "web developer", "technical": 0, "role_specific": 0},
            headers=headers,
        )
    ).json()
    reply = await client.post(
        f"/api/interview/sessions/{session['id']}/answers",
        json={"answer": GOOD_STAR},
        headers=headers,
    )
    assert reply.json()["feedback"]["suggested_story"] is not None


async def test_quiz_retakes_do_not_repeat_questions_until_the_bank_is_exhausted(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    asked: list[set[str]] = []
    for _ in range(3):
        response = await client.post(
            "/api/quizzes", json={"skill": "spring-boot", "n": 2}, headers=user["headers"]
        )
        assert response.status_code == 201, response.text
        asked.append({q["id"] for q in response.json()["questions"]})
    assert not asked[0] & asked[1]  # the bank has 5 Spring Boot questions
    assert len(asked[2] - asked[0] - asked[1]) == 1  # the fifth, then a new round begins
    # Another person's quizzes don't count towards theirs.
    other = await make_user()
    fresh = await client.post(
        "/api/quizzes", json={"skill": "spring-boot", "n": 5}, headers=other["headers"]
    )
    assert len({q["id"] for q in fresh.json()["questions"]}) == 5
