"""The learning domain with a model server: the Ollama stand-in answers the "learning" role.

Roadmap texts (valid, ungrounded, broken JSON), generated quiz questions (valid, two correct
options, duplicates) and rubric feedback (valid, wrong criteria), each with its fallback. The
request answers at once with the deterministic result and a task; the model's version is checked
on the resource once the task has ended.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from tests.doubles.ollama import OllamaDouble, Reply
from tests.learning.conftest import FAST, login, wait_task

SLOW = 3.0  # seconds before the model's first token (under the 5 s timeout): the request must
# not wait for it. 1.5 s was crossed on an idle CI box by the first roadmap of a fresh app (1.50 s)

FRONTEND_JD = """\
Junior Frontend Developer
Brightside Studio - Remote

Responsibilities
- Build accessible pages for our clients

Requirements
- HTML and CSS
- Responsive web design
"""


def texts_reply(**overrides: Any) -> str:
    body = {
        "overview": "Three months to go from your first web page to responsive layouts.",
        "weeks": [
            {"week": 1, "description": "Write your first semantic HTML pages."},
            {"week": 2, "description": "Deploy your pages to Kubernetes clusters."},
        ],
        "checkpoints": [
            {"month": 1, "checkpoint": "can write semantic pages and style them with CSS"},
            {"month": 2, "checkpoint": "Knows CSS grid"},
        ],
    }
    body.update(overrides)
    return json.dumps(body)


def question(text: str, options: list[tuple[str, bool]]) -> dict[str, Any]:
    return {
        "question": text,
        "options": [{"text": t, "correct": c} for t, c in options],
        "explanation": "Because the documentation says so.",
    }


async def test_the_model_writes_roadmap_texts_and_ungrounded_ones_are_dropped(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    ollama.reply(Reply(texts_reply(), first_token_delay=SLOW))
    started = time.monotonic()
    response = await llm_client.post(
        "/api/learning/roadmaps",
        json={"job_description": FRONTEND_JD, "hours_per_week": 6},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert time.monotonic() - started < SLOW
    first = response.json()
    # At once: the template texts, and the task in which the model writes its own.
    assert first["shows"] == "deterministic" and first["texts"]["writer"] == "template"
    assert all(w["description_source"] == "template" for w in first["weeks"])
    task = first["task"]
    assert task["kind"] == "learning.roadmap_texts" and task["status"] in ("queued", "running")
    assert task["result"] == {
        "kind": "learning_roadmap",
        "id": first["id"],
        "url": f"/api/learning/roadmaps/{first['id']}",
    }
    done = await wait_task(llm_client, headers, task["id"], "succeeded", "failed")
    assert done["status"] == "succeeded", done
    plan = (await llm_client.get(f"/api/learning/roadmaps/{first['id']}", headers=headers)).json()
    assert plan["shows"] == "model" and plan["task"]["status"] == "succeeded"
    assert plan["revision"] == first["revision"]
    assert [u["skill_id"] for u in plan["units"]] == ["html", "css", "responsive-design"]
    assert plan["texts"]["writer"] == "llm"
    assert plan["texts"]["model"] == FAST
    assert plan["texts"]["prompt"] == "learning.roadmap_texts@v1"
    assert plan["overview"].startswith("Three months")
    weeks = {w["index"]: w for w in plan["weeks"]}
    assert weeks[1]["description"] == "Write your first semantic HTML pages."
    assert weeks[1]["description_source"] == "llm"
    # Kubernetes is not in the plan: that week keeps its template text.
    assert weeks[2]["description_source"] == "template"
    assert weeks[2]["description"].startswith("This week:")
    months = {m["index"]: m for m in plan["months"]}
    assert months[1]["checkpoint"] == "Can write semantic pages and style them with CSS"
    assert months[1]["checkpoint_source"] == "llm"
    assert months[2]["checkpoint_source"] == "template"  # does not start with "can"
    assert "2 text(s)" in plan["texts"]["note"]
    chat = ollama.chats[-1]
    assert chat["model"] == FAST
    assert chat["format"]["properties"].keys() >= {"overview", "weeks", "checkpoints"}
    user_message = chat["messages"][-1]["content"]
    assert user_message.startswith('<data source="roadmap">')
    assert "Responsive web design" in user_message


async def test_broken_model_output_keeps_the_template_texts(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    ollama.reply("Sure! Here is your roadmap:", "{not json")  # the answer, then the repair
    response = await llm_client.post(
        "/api/learning/roadmaps",
        json={"job_description": FRONTEND_JD, "hours_per_week": 6},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    failed = await wait_task(llm_client, headers, response.json()["task"]["id"], "failed")
    assert "did not match the expected format" in failed["error"]
    url = f"/api/learning/roadmaps/{response.json()['id']}"
    plan = (await llm_client.get(url, headers=headers)).json()
    assert plan["shows"] == "deterministic" and plan["task"]["status"] == "failed"
    assert plan["texts"]["writer"] == "template"
    assert "LLMBadOutput" in plan["texts"]["note"]
    assert all(w["description_source"] == "template" for w in plan["weeks"])
    assert len(ollama.chats) == 2


async def test_generated_questions_make_a_quiz_for_a_skill_outside_the_bank(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    ollama.reply(
        json.dumps(
            {
                "questions": [
                    question(
                        "Which keyword declares a read-only variable in Kotlin?",
                        [("val", True), ("var", False), ("const var", False), ("let", False)],
                    ),
                    question(
                        "What does the ?. operator do?",
                        [
                            ("Calls a member only when the receiver is not null", True),
                            ("Casts a value", False),
                            ("Declares a nullable type", False),
                        ],
                    ),
                ]
            }
        )
    )
    response = await llm_client.post(
        "/api/quizzes", json={"skill": "kotlin", "n": 2}, headers=headers
    )
    assert response.status_code == 201, response.text
    empty = response.json()
    # Nothing on Kotlin in the bank: the quiz waits for the model's questions.
    assert empty["questions"] == [] and empty["source"] == "none"
    assert empty["task"]["kind"] == "learning.quiz"
    early = await llm_client.post(
        f"/api/quizzes/{empty['id']}/answers",
        json={"answers": [{"question_id": "x", "choice": 0}]},
        headers=headers,
    )
    assert early.status_code in (409, 422)  # no questions yet (409) or not one of them (422)
    await wait_task(llm_client, headers, empty["task"]["id"], "succeeded")
    quiz = (await llm_client.get(f"/api/quizzes/{empty['id']}", headers=headers)).json()
    assert quiz["source"] == "generated" and quiz["warnings"] == []
    assert quiz["shows"] == "model" and quiz["task"]["status"] == "succeeded"
    assert [q["source"] for q in quiz["questions"]] == ["generated", "generated"]
    assert "Kotlin" in ollama.chats[-1]["messages"][0]["content"]
    first = quiz["questions"][0]
    result = await llm_client.post(
        f"/api/quizzes/{quiz['id']}/answers",
        json={"answers": [{"question_id": first["id"], "choice": first["options"].index("val")}]},
        headers=headers,
    )
    assert result.json()["result"]["correct"] == 1


async def test_invalid_generated_questions_are_rejected_and_the_bank_is_used(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    ollama.reply(
        json.dumps(
            {
                "questions": [
                    question(
                        "Which of these are Python web frameworks?",
                        [("Django", True), ("Flask", True), ("Rails", False), ("Spring", False)],
                    ),
                    question(
                        "What does len('abc') return?",
                        [("3", True), ("3 ", False), ("2", False), ("4", False)],
                    ),
                ]
            }
        )
    )
    response = await llm_client.post(
        "/api/quizzes", json={"skill": "spring-boot", "n": 7}, headers=headers
    )
    assert response.status_code == 201, response.text
    assert len(response.json()["questions"]) == 5  # the whole bank on Spring Boot, at once
    failed = await wait_task(llm_client, headers, response.json()["task"]["id"], "failed")
    assert "None of the AI model's questions on Spring Boot passed the checks" in failed["error"]
    quiz = (await llm_client.get(f"/api/quizzes/{response.json()['id']}", headers=headers)).json()
    assert quiz["source"] == "bank" and quiz["shows"] == "deterministic"
    assert len(quiz["questions"]) == 5
    warnings = " ".join(quiz["warnings"])
    assert "2 generated question(s) were rejected" in warnings
    assert "2 correct options (exactly one expected)" in warnings
    assert "two options say the same thing" in warnings
    assert "Only 5 question(s)" in warnings


async def test_without_the_model_the_bank_still_makes_quizzes(
    client: httpx.AsyncClient,
) -> None:
    headers = await login(client)
    response = await client.post(
        "/api/quizzes", json={"skill": "spring-boot", "n": 7}, headers=headers
    )
    assert response.status_code == 201, response.text
    assert len(response.json()["questions"]) == 5
    failed = await wait_task(client, headers, response.json()["task"]["id"], "failed")
    assert failed["error"]  # the gateway's reason: the model server is offline
    quiz = (await client.get(f"/api/quizzes/{response.json()['id']}", headers=headers)).json()
    assert len(quiz["questions"]) == 5 and quiz["shows"] == "deterministic"
    assert any("could not write new questions (LLMUnavailable)" in w for w in quiz["warnings"])


async def _first_answer(
    client: httpx.AsyncClient, headers: dict[str, str], answer: str, *, status: str
) -> dict[str, Any]:
    """Answer a new session's first question; return its feedback once the task is ``status``."""
    session = (
        await client.post(
            "/api/interview/sessions",
            json={"target_role": "web developer", "technical": 0, "role_specific": 0},
            headers=headers,
        )
    ).json()
    started = time.monotonic()
    reply = await client.post(
        f"/api/interview/sessions/{session['id']}/answers",
        json={"answer": answer},
        headers=headers,
    )
    assert reply.status_code == 200, reply.text
    assert time.monotonic() - started < SLOW
    body = reply.json()
    assert body["feedback"]["source"] == "rubric" and body["shows"] == "deterministic"
    assert body["task"]["kind"] == "learning.feedback"
    assert body["session"]["answers"][0]["id"] == body["answer_id"]
    await wait_task(client, headers, body["task"]["id"], status)
    url = f"/api/interview/sessions/{session['id']}"
    stored = (await client.get(url, headers=headers)).json()
    assert stored["task"]["id"] == body["task"]["id"]
    answer_row = stored["answers"][0]
    assert answer_row["task"]["status"] == status and answer_row["answer"] == answer
    assert answer_row["shows"] == ("model" if status == "succeeded" else "deterministic")
    return answer_row["feedback"]


async def test_rubric_feedback_from_the_model_and_its_fallback(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    scores = [
        {"criterion": c, "score": 4, "comment": "Clear."}
        for c in ("situation", "task", "action", "result")
    ]
    model_answer = {
        "scores": scores,
        "strengths": ["A measurable result"],
        "improvements": ["Say more about the task"],
        "summary": "A solid STAR answer.",
    }
    ollama.reply(Reply(json.dumps(model_answer), first_token_delay=SLOW))
    feedback = await _first_answer(
        llm_client, headers, "I fixed the build. It took 2 days.", status="succeeded"
    )
    assert feedback["source"] == "llm"
    assert [s["criterion"] for s in feedback["scores"]] == ["situation", "task", "action", "result"]
    assert feedback["summary"] == "A solid STAR answer."
    assert feedback["checklist"]  # the deterministic checks come along
    sent = ollama.chats[-1]["messages"][-1]["content"]
    assert '<data source="candidate_answer">' in sent
    wrong = [{"criterion": "charisma", "score": 5, "comment": "Great."}]
    ollama.reply(json.dumps({"scores": wrong, "summary": "Great."}))
    fallback = await _first_answer(llm_client, headers, "I fixed the build.", status="failed")
    assert fallback["source"] == "rubric"
    assert "did not follow the rubric" in fallback["note"]
    assert fallback["scores"] == []


async def test_roadmap_texts_with_invented_outcomes_keep_the_template(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    """Issue 15: "raising revenue by 73%" and "which doubled user engagement" were printed."""
    headers = await login(llm_client)
    ollama.reply(
        texts_reply(
            overview="Three months of HTML and CSS, raising revenue by 73% for your clients.",
            weeks=[
                {"week": 1, "description": "Write semantic HTML pages, which doubled engagement."},
                {"week": 2, "description": "Style your pages with CSS."},
            ],
        )
    )
    first = (
        await llm_client.post(
            "/api/learning/roadmaps",
            json={"job_description": FRONTEND_JD, "hours_per_week": 6},
            headers=headers,
        )
    ).json()
    done = await wait_task(llm_client, headers, first["task"]["id"], "succeeded", "failed")
    assert done["status"] == "succeeded", done
    plan = (await llm_client.get(f"/api/learning/roadmaps/{first['id']}", headers=headers)).json()
    weeks = {w["index"]: w for w in plan["weeks"]}
    assert "73%" not in plan["overview"] and "doubled" not in weeks[1]["description"]
    assert weeks[1]["description_source"] == "template"
    assert weeks[2]["description"] == "Style your pages with CSS."  # honest: kept


async def test_model_feedback_never_states_what_the_user_did_not_say(
    llm_client: httpx.AsyncClient, ollama: OllamaDouble
) -> None:
    headers = await login(llm_client)
    scores = [
        {"criterion": c, "score": 4, "comment": "Clear."}
        for c in ("situation", "task", "action", "result")
    ]
    model_answer = {
        "scores": scores,
        "strengths": ["You fixed the build in 2 days.", "You led a team of 12 at Initech."],
        "improvements": ["Say more about the task"],
        "summary": "A solid STAR answer. You doubled the release speed at Initech.",
    }
    ollama.reply(json.dumps(model_answer))
    feedback = await _first_answer(
        llm_client, headers, "I fixed the build. It took 2 days.", status="succeeded"
    )
    assert feedback["source"] == "llm"
    assert feedback["strengths"] == ["You fixed the build in 2 days."]
    assert feedback["summary"] == "A solid STAR answer."
    assert "Initech" not in json.dumps(feedback)
