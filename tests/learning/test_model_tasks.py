"""The learning domain's model tasks: a person's later change wins over the model's version,
other users see neither the resource nor its task, Idempotency-Key replays the first answer, and
with AI writing off there is no task at all."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.runtime.resources import build_resources
from tests.conftest import make_settings
from tests.doubles.ollama import OllamaDouble, Reply
from tests.learning.conftest import login, wait_task
from tests.learning.test_llm import FRONTEND_JD, question, texts_reply
from tests.learning.test_practice_router import answers_for

KOTLIN = json.dumps(
    {
        "questions": [
            question(
                "Which keyword declares a read-only variable in Kotlin?",
                [("val", True), ("var", False), ("const var", False), ("let", False)],
            ),
        ]
    }
)
PYTHON_EXTRA = json.dumps(
    {
        "questions": [
            question(
                "Which built-in returns the number of items in a list?",
                [("len", True), ("count", False), ("size", False)],
            ),
            question(
                "Which keyword starts a function definition?",
                [("def", True), ("fun", False), ("function", False)],
            ),
        ]
    }
)
FEEDBACK = json.dumps(
    {
        "scores": [
            {"criterion": c, "score": 3, "comment": "Fine."}
            for c in ("situation", "task", "action", "result")
        ],
        "summary": "A fair answer.",
    }
)


@pytest.fixture
async def off_client(
    stack: dict, tmp_path: Path, embedder: Embedder, ollama: OllamaDouble
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app with AI writing off for learning (the model server is up)."""
    settings = make_settings(tmp_path, **stack, ollama_url=ollama.url, learning_use_llm=False)
    resources = build_resources(settings, embedder=embedder)
    app = create_app(resources=resources)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client
    await resources.aclose()


async def _session(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.post(
        "/api/interview/sessions",
        json={"target_role": "web developer", "technical": 0, "role_specific": 0},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_roadmap_replanned_meanwhile_keeps_the_new_plans_texts(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    # The first texts come late; the re-plan's come at once.
    ollama.reply(Reply(texts_reply(), first_token_delay=1.0), texts_reply())
    created = await llm_client.post(
        "/api/learning/roadmaps",
        json={"job_description": FRONTEND_JD, "hours_per_week": 6},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    roadmap = created.json()
    deadline = time.monotonic() + 10
    while not ollama.chats:  # re-plan while the model writes the first texts
        assert time.monotonic() < deadline, "the texts task never asked the model"
        await asyncio.sleep(0.02)
    replanned = await llm_client.post(
        f"/api/learning/roadmaps/{roadmap['id']}/replan",
        json={"hours_per_week": 3},
        headers=headers,
    )
    assert replanned.status_code == 200, replanned.text
    second = replanned.json()
    assert second["revision"] == roadmap["revision"] + 1 and second["shows"] == "deterministic"
    assert second["task"]["id"] != roadmap["task"]["id"]
    first_task = await wait_task(llm_client, headers, roadmap["task"]["id"], "failed", "succeeded")
    assert first_task["status"] == "failed"
    assert "re-planned" in first_task["error"] and "not applied" in first_task["error"]
    await wait_task(llm_client, headers, second["task"]["id"], "succeeded")
    url = f"/api/learning/roadmaps/{roadmap['id']}"
    plan = (await llm_client.get(url, headers=headers)).json()
    assert plan["revision"] == second["revision"] and plan["shows"] == "model"
    assert plan["task"]["id"] == second["task"]["id"]
    assert plan["summary"]["hours_per_week"] == 3  # the re-plan is intact
    # The re-plan's texts were written for its weeks only.
    assert len(ollama.chats) == 2
    assert all(w["hours"] <= 3 for w in plan["weeks"] if w["description_source"] == "llm")


async def test_questions_the_model_adds_after_the_quiz_was_answered_are_not_added(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    ollama.reply(Reply(PYTHON_EXTRA, first_token_delay=1.0))
    quiz = (
        await llm_client.post(
            "/api/quizzes", json={"skill": "spring-boot", "n": 7}, headers=headers
        )
    ).json()
    assert len(quiz["questions"]) == 5 and quiz["task"]["status"] in ("queued", "running")
    answered = await llm_client.post(
        f"/api/quizzes/{quiz['id']}/answers",
        json={"answers": answers_for(quiz, right=5)},
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    failed = await wait_task(llm_client, headers, quiz["task"]["id"], "failed")
    assert "You answered this quiz before" in failed["error"]
    stored = (await llm_client.get(f"/api/quizzes/{quiz['id']}", headers=headers)).json()
    assert len(stored["questions"]) == 5 and stored["shows"] == "deterministic"
    assert stored["result"]["total"] == 5 and stored["result"]["correct"] == 5


async def test_added_questions_count_only_when_answered(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    ollama.reply(PYTHON_EXTRA)
    quiz = (
        await llm_client.post(
            "/api/quizzes", json={"skill": "spring-boot", "n": 7}, headers=headers
        )
    ).json()
    await wait_task(llm_client, headers, quiz["task"]["id"], "succeeded")
    stored = (await llm_client.get(f"/api/quizzes/{quiz['id']}", headers=headers)).json()
    assert [q["source"] for q in stored["questions"]] == ["bank"] * 5 + ["generated"] * 2
    assert stored["source"] == "mixed" and stored["shows"] == "model"
    assert stored["warnings"] == []
    # Answered from the list the POST gave (before the model's questions arrived).
    result = await llm_client.post(
        f"/api/quizzes/{quiz['id']}/answers",
        json={"answers": answers_for(quiz, right=4)},
        headers=headers,
    )
    assert result.status_code == 200, result.text
    assert result.json()["result"]["total"] == 5 and result.json()["result"]["correct"] == 4


async def test_another_users_resources_and_tasks_are_not_found(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    owner = await login(llm_client, "owner@example.com")
    other = await login(llm_client, "other@example.com")
    ollama.default = Reply(KOTLIN, first_token_delay=0.3)
    quiz = (
        await llm_client.post("/api/quizzes", json={"skill": "kotlin", "n": 1}, headers=owner)
    ).json()
    session = await _session(llm_client, owner)
    answered = (
        await llm_client.post(
            f"/api/interview/sessions/{session['id']}/answers",
            json={"answer": "I fixed the build."},
            headers=owner,
        )
    ).json()
    roadmap = (
        await llm_client.post(
            "/api/learning/roadmaps",
            json={"job_description": FRONTEND_JD, "hours_per_week": 6},
            headers=owner,
        )
    ).json()
    for path in (
        f"/api/quizzes/{quiz['id']}",
        f"/api/interview/sessions/{session['id']}",
        f"/api/learning/roadmaps/{roadmap['id']}",
        f"/api/tasks/{quiz['task']['id']}",
        f"/api/tasks/{answered['task']['id']}",
        f"/api/tasks/{roadmap['task']['id']}",
    ):
        response = await llm_client.get(path, headers=other)
        assert response.status_code == 404, (path, response.text)
    listed = (await llm_client.get("/api/tasks", headers=other)).json()
    assert listed == {"items": []}
    kinds = {t["kind"] for t in (await llm_client.get("/api/tasks", headers=owner)).json()["items"]}
    assert kinds == {"learning.quiz", "learning.feedback", "learning.roadmap_texts"}


async def test_idempotency_keys_replay_the_first_answer(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    ollama.default = Reply(KOTLIN, first_token_delay=0.3)
    keyed = {**headers, "Idempotency-Key": "quiz-1"}
    first = await llm_client.post("/api/quizzes", json={"skill": "kotlin", "n": 1}, headers=keyed)
    again = await llm_client.post("/api/quizzes", json={"skill": "kotlin", "n": 1}, headers=keyed)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["task"]["id"] == first.json()["task"]["id"]
    other = await llm_client.post("/api/quizzes", json={"skill": "kotlin", "n": 2}, headers=keyed)
    assert other.status_code == 422 and other.json()["error"] == "IdempotencyKeyReused"
    await wait_task(llm_client, headers, first.json()["task"]["id"], "succeeded")
    assert len(ollama.chats) == 1  # one model call for the two requests

    session = await _session(llm_client, headers)
    url = f"/api/interview/sessions/{session['id']}/answers"
    keyed = {**headers, "Idempotency-Key": "answer-1"}
    one = await llm_client.post(url, json={"answer": "I fixed it."}, headers=keyed)
    two = await llm_client.post(url, json={"answer": "I fixed it."}, headers=keyed)
    assert one.status_code == two.status_code == 200
    assert two.json()["answer_id"] == one.json()["answer_id"]
    assert two.json()["task"]["id"] == one.json()["task"]["id"]
    assert two.json()["session"]["answered"] == 1  # recorded once: no question skipped
    changed = await llm_client.post(url, json={"answer": "Something else."}, headers=keyed)
    assert changed.status_code == 422

    keyed = {**headers, "Idempotency-Key": "roadmap-1"}
    body = {"job_description": FRONTEND_JD, "hours_per_week": 6}
    made = await llm_client.post("/api/learning/roadmaps", json=body, headers=keyed)
    same = await llm_client.post("/api/learning/roadmaps", json=body, headers=keyed)
    assert made.status_code == same.status_code == 201
    assert same.json()["id"] == made.json()["id"]
    listed = (await llm_client.get("/api/learning/roadmaps", headers=headers)).json()
    assert len(listed) == 1
    changed = await llm_client.post(
        "/api/learning/roadmaps", json={**body, "hours_per_week": 7}, headers=keyed
    )
    assert changed.status_code == 422
    replan_key = {**headers, "Idempotency-Key": "replan-1"}
    replan_url = f"/api/learning/roadmaps/{made.json()['id']}/replan"
    r1 = await llm_client.post(replan_url, json={"hours_per_week": 4}, headers=replan_key)
    r2 = await llm_client.post(replan_url, json={"hours_per_week": 4}, headers=replan_key)
    assert r1.status_code == r2.status_code == 200
    assert r1.json()["revision"] == r2.json()["revision"] == made.json()["revision"] + 1


async def test_with_ai_writing_off_there_is_no_task(
    off_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(off_client)
    roadmap = await off_client.post(
        "/api/learning/roadmaps",
        json={"job_description": FRONTEND_JD, "hours_per_week": 6},
        headers=headers,
    )
    assert roadmap.status_code == 201, roadmap.text
    assert roadmap.json()["task"] is None and roadmap.json()["shows"] == "deterministic"
    assert roadmap.json()["texts"]["note"] == "AI writing is off (settings)."
    quiz = await off_client.post(
        "/api/quizzes", json={"skill": "spring-boot", "n": 7}, headers=headers
    )
    assert quiz.json()["task"] is None
    assert quiz.json()["warnings"] == ["Only 5 question(s) on Spring Boot are available."]
    nothing = await off_client.post("/api/quizzes", json={"skill": "kotlin"}, headers=headers)
    assert nothing.status_code == 503 and "no ready-made questions on Kotlin" in nothing.text
    session = await _session(off_client, headers)
    reply = await off_client.post(
        f"/api/interview/sessions/{session['id']}/answers",
        json={"answer": "I fixed the build."},
        headers=headers,
    )
    assert reply.json()["task"] is None and reply.json()["feedback"]["note"] is None
    stored = (
        await off_client.get(f"/api/interview/sessions/{session['id']}", headers=headers)
    ).json()
    assert stored["task"] is None and stored["answers"][0]["task"] is None
    assert ollama.chats == []
    assert (await off_client.get("/api/tasks", headers=headers)).json() == {"items": []}


async def test_an_empty_quiz_waits_for_the_model_and_says_why_it_failed(
    client: httpx.AsyncClient,
) -> None:
    headers = await login(client)
    response = await client.post("/api/quizzes", json={"skill": "kotlin"}, headers=headers)
    assert response.status_code == 201, response.text
    quiz = response.json()
    assert quiz["questions"] == [] and quiz["task"]["kind"] == "learning.quiz"
    failed = await wait_task(client, headers, quiz["task"]["id"], "failed")
    assert failed["error"]
    stored = (await client.get(f"/api/quizzes/{quiz['id']}", headers=headers)).json()
    assert stored["task"]["status"] == "failed"
    assert "could not write new questions" in stored["warnings"][0]
    early = await client.post(
        f"/api/quizzes/{quiz['id']}/answers",
        json={"answers": [{"question_id": "x", "choice": 0}]},
        headers=headers,
    )
    assert early.status_code == 409 and "no questions yet" in early.text


async def test_the_models_feedback_keeps_the_rubrics_checks(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    ollama.reply(FEEDBACK)
    session = await _session(llm_client, headers)
    body = (
        await llm_client.post(
            f"/api/interview/sessions/{session['id']}/answers",
            json={"answer": "I fixed the build."},
            headers=headers,
        )
    ).json()
    await wait_task(llm_client, headers, body["task"]["id"], "succeeded")
    url = f"/api/interview/sessions/{session['id']}"
    stored = (await llm_client.get(url, headers=headers)).json()
    assert stored["answers"][0]["feedback"]["summary"] == "A fair answer."
    assert stored["answers"][0]["feedback"]["note"] is None
    assert stored["answers"][0]["feedback"]["checklist"]  # the rubric's checks stay
    assert len(ollama.chats) == 1
