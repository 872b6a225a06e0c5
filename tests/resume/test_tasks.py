"""The model's rewording as a background task (issue 14), on both stacks.

The POST answers at once with the deterministic version stored and a ``task``; the task asks
the model (the Ollama stand-in, scripted to be slow or to wait for the test) and, when it
succeeds, the version shows the model's grounded wording. A user's edit made meanwhile wins; a
failing model leaves the deterministic version; another user sees neither the version nor the
task; an Idempotency-Key replays the first answer without a second model call.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.conftest import UserMaker
from tests.doubles.ollama import Reply
from tests.resume.background import settled, wait_task
from tests.resume.conftest import REASONING, Client
from tests.resume.samples import (
    BACKEND_JD,
    bullets_in_prompt,
    login_with_profile,
    paragraphs_in_prompt,
    user_with_profile,
)

LATENCY = "Cut p99 latency by 40% with Redis caching"
INVENTED = "Cut p99 latency by 45% with Redis caching"  # not in the profile: reverted


def rewording(
    *, delay: float = 0.0, per_second: float | None = None, gate: threading.Event | None = None
) -> Callable[[dict[str, Any]], Reply]:
    """Script the model: reword every bullet (inventing one metric), slowly or after ``gate``."""

    def script(body: dict[str, Any]) -> Reply:
        if gate is not None:
            gate.wait(15)
        if "bullets" not in body["format"]["properties"]:  # a cover letter
            paragraphs = paragraphs_in_prompt(body)
            text = json.dumps(
                {"paragraphs": [{"source_id": s, "text": t} for s, t in paragraphs.items()]}
            )
        else:
            bullets = [
                {
                    "source_id": short,
                    "text": INVENTED
                    if source == LATENCY
                    else f"Successfully {source[0].lower()}" + source[1:],
                }
                for short, source in bullets_in_prompt(body).items()
            ]
            text = json.dumps({"summary": "", "bullets": bullets})
        return Reply(text=text, first_token_delay=delay, tokens_per_second=per_second)

    return script


async def until(check: Callable[[], Any], *, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        await asyncio.sleep(0.05)


async def post(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    path: str = "/api/resumes/tailor",
    *,
    key: str | None = None,
    **body: Any,
) -> httpx.Response:
    if key is not None:
        headers = {**headers, "Idempotency-Key": key}
    return await client.post(path, json={"job_description": BACKEND_JD, **body}, headers=headers)


async def test_the_post_answers_at_once_and_the_task_brings_the_models_version(
    llm_client: Client,
) -> None:
    client, ollama = llm_client
    headers = await login_with_profile(client)
    # A slow model: 1.5 s before the first token, then 40 tokens a second (several seconds).
    ollama.script = rewording(delay=1.5, per_second=40)
    started = time.monotonic()
    response = await post(client, headers)
    assert time.monotonic() - started < 2.0
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["shows"] == "deterministic" and created["llm_used"] is False
    assert "on its way" in created["report"]["llm"]["note"]
    assert all(b["status"] == "kept" for b in created["report"]["bullets"])
    task = created["task"]
    assert task["kind"] == "resume.tailor" and task["status"] in ("queued", "running")
    assert task["result"] == {
        "kind": "resume",
        "id": created["id"],
        "url": f"/api/resumes/{created['id']}",
    }
    assert task["links"]["self"] == f"/api/tasks/{task['id']}"

    # While the model works, the stored version is the deterministic one, and the task shows
    # the model call's progress.
    waiting = (await client.get(f"/api/resumes/{created['id']}", headers=headers)).json()
    assert waiting["shows"] == "deterministic" and waiting["content"] == created["content"]
    assert waiting["task"]["id"] == task["id"]

    async def model_progress() -> bool:
        body = (await client.get(f"/api/tasks/{task['id']}", headers=headers)).json()
        assert body["status"] != "failed", body
        return body["progress"]["stage"] in ("reading", "writing")

    await until(model_progress)

    resume = await settled(client, headers, created)
    assert resume["llm_used"] is True and resume["report"]["llm"]["used"] is True
    assert resume["report"]["llm"]["model"] == REASONING
    assert resume["report"]["llm"]["prompt_version"] == "resume.tailor@v1"
    assert resume["report"]["llm"]["note"] is None
    bullets = {b["source"]: b for b in resume["report"]["bullets"]}
    # The invented metric is refused by the grounding check, as on the synchronous path.
    assert bullets[LATENCY]["status"] == "reverted" and bullets[LATENCY]["output"] == LATENCY
    assert bullets[LATENCY]["proposed"] == INVENTED
    rewritten = [b for source, b in bullets.items() if source != LATENCY]
    assert rewritten and all(b["status"] == "rewritten" for b in rewritten)
    assert all(b["output"].startswith("Successfully ") for b in rewritten)
    assert len(ollama.chats) == 1

    [listed] = (await client.get("/api/resumes", headers=headers)).json()
    assert listed["shows"] == "model" and listed["task"]["status"] == "succeeded"


async def test_an_edit_made_while_the_model_works_wins(llm_client: Client) -> None:
    client, ollama = llm_client
    headers = await login_with_profile(client)
    gate = threading.Event()
    ollama.script = rewording(gate=gate)
    try:
        created = (await post(client, headers)).json()
        task_id = created["task"]["id"]
        await wait_task(client, headers, task_id, until=("running",))

        async def model_asked() -> bool:
            return len(ollama.chats) == 1

        await until(model_asked)
        coffee = next(
            b["id"]
            for b in created["report"]["bullets"]
            if b["source"] == "Served coffee to 300 customers a day"
        )
        edited = await client.patch(
            f"/api/resumes/{created['id']}",
            json={"bullets": [{"id": coffee, "action": "drop"}]},
            headers=headers,
        )
        assert edited.status_code == 200, edited.text
        assert edited.json()["task"]["status"] == "running"
    finally:
        gate.set()

    resume = await settled(client, headers, created, outcome="failed")
    error = resume["task"]["error"]
    assert "changed (edited) while the model was rewording it" in error
    assert "your changes are kept" in error and "tailor the resume again" in error
    assert resume["llm_used"] is False and resume["report"]["llm"]["note"] == error
    assert resume["content"] == edited.json()["content"]  # the edit, not the model's version
    assert all(b["status"] == "kept" for b in resume["report"]["bullets"])
    dropped = next(b for b in resume["report"]["bullets"] if b["id"] == coffee)
    assert dropped["included"] is False


async def test_a_letter_deleted_while_the_model_works_fails_its_task(llm_client: Client) -> None:
    client, ollama = llm_client
    headers = await login_with_profile(client)
    gate = threading.Event()
    ollama.script = rewording(gate=gate)
    try:
        created = (await post(client, headers, "/api/cover-letters")).json()
        assert created["task"]["kind"] == "resume.letter"
        assert created["task"]["result"]["url"] == f"/api/cover-letters/{created['id']}"
        await wait_task(client, headers, created["task"]["id"], until=("running",))
        gone = await client.delete(f"/api/cover-letters/{created['id']}", headers=headers)
        assert gone.status_code == 204
    finally:
        gate.set()
    ended = await wait_task(client, headers, created["task"]["id"])
    assert ended["status"] == "failed"
    assert "was deleted while the model was rewording it" in ended["error"]
    assert "write the cover letter again" in ended["error"]


async def test_an_offline_model_fails_the_task_and_the_deterministic_letter_stays(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    response = await post(client, user["headers"], "/api/cover-letters")
    assert response.status_code == 201, response.text
    created = response.json()
    letter = await settled(client, user["headers"], created, outcome="failed")
    assert "not reachable" in letter["task"]["error"]  # the gateway's reason
    llm = letter["report"]["llm"]
    assert llm["degraded"] is True and "could not be made" in llm["note"]
    assert "not reachable" in llm["note"] and "deterministic version" in llm["note"]
    assert "retry the task (Retry" in llm["note"] and "/api/" not in llm["note"]
    assert letter["content"] == created["content"]
    [listed] = (await client.get("/api/cover-letters", headers=user["headers"])).json()
    assert listed["shows"] == "deterministic" and listed["task"]["status"] == "failed"


async def test_no_model_wanted_means_no_task(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    for path in ("/api/resumes/tailor", "/api/cover-letters"):
        created = (await post(client, user["headers"], path, llm=False)).json()
        assert created["task"] is None and created["shows"] == "deterministic"
        assert "llm: false" in created["report"]["llm"]["note"]
        again = (await client.get(f"{path.removesuffix('/tailor')}/{created['id']}",
                                  headers=user["headers"])).json()  # fmt: skip
        assert again["task"] is None
    assert (await client.get("/api/tasks", headers=user["headers"])).json()["items"] == []


async def test_another_users_version_and_task_are_not_found(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice = await user_with_profile(client, make_user)
    bob = await user_with_profile(client, make_user)
    created = (await post(client, alice["headers"])).json()
    task_id = created["task"]["id"]
    for method, path in (
        ("GET", f"/api/resumes/{created['id']}"),
        ("GET", f"/api/tasks/{task_id}"),
        ("GET", f"/api/tasks/{task_id}/events"),
        ("POST", f"/api/tasks/{task_id}/cancel"),
        ("POST", f"/api/tasks/{task_id}/retry"),
    ):
        response = await client.request(method, path, headers=bob["headers"])
        assert response.status_code == 404, (path, response.text)
    patched = await client.patch(
        f"/api/resumes/{created['id']}", json={"template": "modern"}, headers=bob["headers"]
    )
    assert patched.status_code == 404
    assert (await client.get("/api/tasks", headers=bob["headers"])).json()["items"] == []
    assert (await wait_task(client, alice["headers"], task_id))["status"] == "failed"


async def test_an_idempotency_key_replays_the_answer_without_a_second_model_call(
    llm_client: Client,
) -> None:
    client, ollama = llm_client
    headers = await login_with_profile(client)
    ollama.script = rewording(delay=0.5)
    for path, kind in (("/api/resumes/tailor", "resume.tailor"), ("/api/cover-letters", None)):
        first = await post(client, headers, path, key="key-1", tone="warm")
        assert first.status_code == 201, first.text
        again = await post(client, headers, path, key="key-1", tone="warm")
        assert again.status_code == 201, again.text
        assert again.json()["id"] == first.json()["id"]
        assert again.json()["task"]["id"] == first.json()["task"]["id"]
        if kind is not None:
            assert first.json()["task"]["kind"] == kind
        await settled(client, headers, first.json())
        other = await post(client, headers, path, key="key-1", tone="formal")
        assert other.status_code == 422, other.text
        assert other.json()["error"] == "IdempotencyKeyReused"
        # After the task, the same key still gives the first answer and no new model call.
        late = await post(client, headers, path, key="key-1", tone="warm")
        assert late.status_code == 201 and late.json()["id"] == first.json()["id"]
    # One model call per document, whatever the number of requests.
    assert len(ollama.chats) == 2
    assert len((await client.get("/api/resumes", headers=headers)).json()) == 1
    assert len((await client.get("/api/cover-letters", headers=headers)).json()) == 1
    tasks = (await client.get("/api/tasks", headers=headers)).json()["items"]
    assert sorted(t["kind"] for t in tasks) == ["resume.letter", "resume.tailor"]
