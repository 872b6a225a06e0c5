"""``/api/tasks``: a task runs in the background, reports progress, can be cancelled and retried;
another user's task is a 404."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx

from careergini.runtime.resources import Resources
from tests.conftest import UserMaker
from tests.llm.test_llm_admin_router import make_admin
from tests.tasks.conftest import GATES, SEEN, submit, wait_status


async def test_a_task_runs_and_reports_its_result(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    task = await submit(resources, user["id"], "test.echo", {"n": 1})
    assert task.status == "queued"
    assert task.links.events == f"/api/tasks/{task.id}/events"
    done = await wait_status(client, user["headers"], task.id, "succeeded")
    assert done["progress"]["percent"] == 100.0 and done["progress"]["tokens"] == 7
    assert done["progress"]["stage"] == "done"
    assert done["result"] == {"kind": "thing", "id": "t-1", "url": "/api/things/t-1"}
    assert done["started_at"] and done["finished_at"] and done["error"] is None
    assert SEEN[task.id] == {"payload": {"n": 1}, "owner": user["id"]}


async def test_another_users_task_is_not_found(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    owner, other = await make_user(), await make_user()
    task = await submit(resources, owner["id"], "test.echo")
    for method, path in (
        ("GET", f"/api/tasks/{task.id}"),
        ("GET", f"/api/tasks/{task.id}/events"),
        ("POST", f"/api/tasks/{task.id}/cancel"),
        ("POST", f"/api/tasks/{task.id}/retry"),
    ):
        response = await client.request(method, path, headers=other["headers"])
        assert response.status_code == 404, (path, response.text)
        assert response.json() == {"error": "TaskNotFound", "detail": "No such task."}
    listed = await client.get("/api/tasks", headers=other["headers"])
    assert listed.json() == {"items": []}
    missing = await client.get(f"/api/tasks/{uuid.uuid4()}", headers=owner["headers"])
    assert missing.status_code == 404


async def test_failures_keep_a_reason_and_can_run_again(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    failed = await submit(resources, user["id"], "test.fail")
    crashed = await submit(resources, user["id"], "test.crash")
    body = await wait_status(client, user["headers"], failed.id, "failed")
    assert "not reachable" in body["error"] and body["progress"]["stage"] == "failed"
    body = await wait_status(client, user["headers"], crashed.id, "failed")
    # An unexpected error is logged for the operator, not shown to the user.
    assert "secret" not in body["error"] and "unexpectedly" in body["error"]
    listed = await client.get(
        "/api/tasks", params={"status": "failed", "kind": "test.fail"}, headers=user["headers"]
    )
    assert [t["id"] for t in listed.json()["items"]] == [failed.id]
    again = await client.post(f"/api/tasks/{failed.id}/retry", headers=user["headers"])
    assert again.status_code == 200 and again.json()["status"] in ("queued", "running", "failed")
    await wait_status(client, user["headers"], failed.id, "failed")
    done = await submit(resources, user["id"], "test.echo")
    await wait_status(client, user["headers"], done.id, "succeeded")
    refused = await client.post(f"/api/tasks/{done.id}/retry", headers=user["headers"])
    assert refused.status_code == 409 and "only a failed or cancelled" in refused.json()["detail"]


async def test_cancel_stops_a_running_task_and_a_queued_one(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    gate = uuid.uuid4().hex
    running = await submit(resources, user["id"], "test.wait", {"gate": gate})
    await wait_status(client, user["headers"], running.id, "running")
    # The same kind (so the same lane): the second task waits behind the first, and says so.
    queued = await submit(resources, user["id"], "test.wait", {"gate": uuid.uuid4().hex})
    body = (await client.get(f"/api/tasks/{queued.id}", headers=user["headers"])).json()
    assert body["status"] == "queued" and body["progress"]["queue_position"] == 1
    cancelled = await client.post(f"/api/tasks/{queued.id}/cancel", headers=user["headers"])
    assert cancelled.json()["status"] == "cancelled"
    stopped = await client.post(f"/api/tasks/{running.id}/cancel", headers=user["headers"])
    assert stopped.json()["status"] == "cancelled"
    await asyncio.sleep(0.5)
    GATES[gate].set()
    await asyncio.sleep(0.3)
    assert "finished" not in SEEN[running.id]  # the handler was stopped, not left running
    final = (await client.get(f"/api/tasks/{running.id}", headers=user["headers"])).json()
    assert final["status"] == "cancelled" and final["finished_at"]
    again = await client.post(f"/api/tasks/{running.id}/cancel", headers=user["headers"])
    assert again.json()["status"] == "cancelled"  # idempotent


async def test_a_task_that_runs_too_long_fails_with_a_reason(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    task = await submit(resources, user["id"], "test.slow", {"gate": uuid.uuid4().hex})
    body = await wait_status(client, user["headers"], task.id, "failed")
    assert "did not finish within 0.3 s" in body["error"]


async def test_events_stream_the_task_until_it_ends(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    gate = uuid.uuid4().hex
    task = await submit(resources, user["id"], "test.wait", {"gate": gate})
    statuses: list[str] = []

    async def release() -> None:
        await wait_status(client, user["headers"], task.id, "running")
        await asyncio.sleep(1.2)  # more than two looks of the stream at the running task
        GATES.setdefault(gate, asyncio.Event()).set()

    releaser = asyncio.create_task(release())
    async with client.stream(
        "GET", f"/api/tasks/{task.id}/events", headers=user["headers"]
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        async for line in response.aiter_lines():
            if line.startswith("data: "):
                statuses.append(json.loads(line[6:])["status"])
    await releaser
    assert statuses[-1] == "succeeded"
    assert "running" in statuses
    assert statuses.count("succeeded") == 1


async def test_operators_list_dead_letters_and_retry_them(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    # The first account of an install is its admin: the operator registers first.
    operator, user = await make_user(), await make_user()
    await make_admin(resources, operator["id"])
    failed = await submit(resources, user["id"], "test.fail")
    await wait_status(client, user["headers"], failed.id, "failed")
    # Not an operator: the admin routes do not exist for them.
    hidden = await client.get("/api/admin/tasks", headers=user["headers"])
    assert hidden.status_code == 404
    dead = await client.get(
        "/api/admin/tasks", params={"status": "failed"}, headers=operator["headers"]
    )
    assert dead.status_code == 200
    assert [t["id"] for t in dead.json()["items"]] == [failed.id]
    assert "not reachable" in dead.json()["items"][0]["error"]
    again = await client.post(f"/api/admin/tasks/{failed.id}/retry", headers=operator["headers"])
    assert again.status_code == 200 and again.json()["status"] in ("queued", "running", "failed")
    await wait_status(client, user["headers"], failed.id, "failed")
    # The retry is in the audit log, with the operator who did it.
    log = await client.get(
        "/api/admin/audit", params={"event": "admin.task_retried"}, headers=operator["headers"]
    )
    [retried] = log.json()["events"]
    assert retried["actor_id"] == operator["id"]
    assert retried["detail"] == {"task_id": failed.id}


async def test_a_busy_model_holds_its_tasks_while_another_models_task_runs(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    gates = [uuid.uuid4().hex for _ in range(3)]
    writing = await submit(resources, user["id"], "test.writing", {"gate": gates[0]})
    letter = await submit(resources, user["id"], "test.letter", {"gate": gates[1]})
    quiz = await submit(resources, user["id"], "test.quiz", {"gate": gates[2]})
    try:
        await wait_status(client, user["headers"], writing.id, "running")
        # The quiz's model is free: it runs beside the writing, not behind it.
        await wait_status(client, user["headers"], quiz.id, "running")
        # The letter needs the writing's model: it waits, one task ahead of it for that model.
        waiting = await wait_status(client, user["headers"], letter.id, "queued")
        assert waiting["progress"]["queue_position"] == 1
        GATES.setdefault(gates[0], asyncio.Event()).set()
        await wait_status(client, user["headers"], writing.id, "succeeded")
        await wait_status(client, user["headers"], letter.id, "running")
    finally:
        for gate in gates:
            GATES.setdefault(gate, asyncio.Event()).set()
    for task in (letter, quiz):
        await wait_status(client, user["headers"], task.id, "succeeded")
