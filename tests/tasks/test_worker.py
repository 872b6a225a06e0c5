"""The worker survives restarts: queued tasks run after a start, an orphaned running task runs
again once and then fails with a reason, and a graceful stop queues its tasks again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import update
from sqlmodel import col

from careergini.core.db import utcnow
from careergini.runtime.resources import Resources
from careergini.tasks.models import Task
from careergini.tasks.worker import INTERRUPTED_TWICE, TaskWorker
from tests.conftest import UserMaker
from tests.tasks.conftest import GATES, SEEN, submit, wait_status


async def _orphan(resources: Resources, task_id: str, *, attempts: int) -> None:
    """Make a task look like its worker died mid-run a minute ago."""
    async with resources.sessionmaker() as session:
        await session.exec(
            update(Task)
            .where(col(Task.id) == uuid.UUID(task_id))
            .values(
                status="running",
                attempts=attempts,
                worker="gone:1",
                started_at=utcnow() - timedelta(minutes=1),
                heartbeat_at=utcnow() - timedelta(minutes=1),
            )
        )
        await session.commit()


async def test_queued_tasks_run_after_a_restart(
    resources: Resources, client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    worker = resources.component(TaskWorker)
    assert worker is not None
    await worker.stop()  # as if the app were down when the task was stored
    task = await submit(resources, user["id"], "test.echo")
    await asyncio.sleep(0.3)
    body = (await client.get(f"/api/tasks/{task.id}", headers=user["headers"])).json()
    assert body["status"] == "queued"
    fresh = TaskWorker(resources)
    resources.attach(fresh)
    await fresh.start()
    try:
        await wait_status(client, user["headers"], task.id, "succeeded")
    finally:
        await fresh.stop()


async def test_an_orphaned_task_runs_again_once_then_fails(
    resources: Resources, client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    worker = resources.component(TaskWorker)
    assert worker is not None
    await worker.stop()
    first = await submit(resources, user["id"], "test.echo")
    second = await submit(resources, user["id"], "test.echo")
    await _orphan(resources, first.id, attempts=1)
    await _orphan(resources, second.id, attempts=2)
    fresh = TaskWorker(resources)
    resources.attach(fresh)
    await fresh.start()
    try:
        await wait_status(client, user["headers"], first.id, "succeeded")
        failed = await wait_status(client, user["headers"], second.id, "failed")
        assert failed["error"] == INTERRUPTED_TWICE
        assert second.id not in SEEN
    finally:
        await fresh.stop()


async def test_a_graceful_stop_queues_running_tasks_again(
    resources: Resources, client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    gate = uuid.uuid4().hex
    task = await submit(resources, user["id"], "test.wait", {"gate": gate})
    await wait_status(client, user["headers"], task.id, "running")
    worker = resources.component(TaskWorker)
    assert worker is not None
    await worker.stop()
    body = (await client.get(f"/api/tasks/{task.id}", headers=user["headers"])).json()
    assert body["status"] == "queued"
    GATES.setdefault(gate, asyncio.Event()).set()
    fresh = TaskWorker(resources)
    resources.attach(fresh)
    await fresh.start()
    try:
        await wait_status(client, user["headers"], task.id, "succeeded")
    finally:
        await fresh.stop()
