"""The task worker with short intervals, and a few handlers that the tests register."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest

from careergini.config import Settings
from careergini.core.errors import Unavailable
from careergini.runtime.resources import Resources
from careergini.tasks import service as tasks_service
from careergini.tasks.schemas import TaskPublic, TaskResultRef
from tests.conftest import make_settings

# What the handlers saw, by task id (the tests read it back).
SEEN: dict[str, dict[str, Any]] = {}
# Released by a test to let a "wait" handler finish.
GATES: dict[str, asyncio.Event] = {}


async def _echo(ctx: tasks_service.TaskContext) -> None:
    await ctx.progress("writing", percent=50, tokens=7, force=True)
    SEEN[str(ctx.task_id)] = {"payload": ctx.payload, "owner": str(ctx.owner_id)}


async def _fail(ctx: tasks_service.TaskContext) -> None:
    raise Unavailable("The AI model server is not reachable; AI features are in degraded mode.")


async def _crash(ctx: tasks_service.TaskContext) -> None:
    raise RuntimeError("secret internal detail")


async def _wait(ctx: tasks_service.TaskContext) -> None:
    gate = GATES.setdefault(str(ctx.payload["gate"]), asyncio.Event())
    SEEN[str(ctx.task_id)] = {"started": True}
    while not gate.is_set():
        await ctx.progress("writing", tokens=1)
        await asyncio.sleep(0.05)
    SEEN[str(ctx.task_id)]["finished"] = True


tasks_service.register("test.echo", _echo)
tasks_service.register("test.fail", _fail)
tasks_service.register("test.crash", _crash)
tasks_service.register("test.wait", _wait)
tasks_service.register("test.slow", _wait, timeout=0.3)
# Two kinds whose handlers call the resume role's model, one the learning role's (another model).
tasks_service.register("test.writing", _wait, role="resume")
tasks_service.register("test.letter", _wait, role="resume")
tasks_service.register("test.quiz", _wait, role="learning")


@pytest.fixture
def settings(stack: dict, tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        tasks_poll_seconds=0.1,
        tasks_heartbeat_seconds=0.2,
        tasks_lease_seconds=1.0,
        **stack,
    )


async def submit(
    resources: Resources, owner_id: str, kind: str, payload: dict[str, Any] | None = None
) -> TaskPublic:
    """Store a task as a domain service would, in a transaction of its own."""
    async with resources.sessionmaker() as session:
        task = await tasks_service.submit(
            session=session,
            resources=resources,
            owner_id=uuid.UUID(owner_id),
            kind=kind,
            payload=payload or {},
            result=TaskResultRef(kind="thing", id="t-1", url="/api/things/t-1"),
        )
        await session.commit()
    return task


async def wait_status(client: Any, headers: dict, task_id: str, *statuses: str) -> dict:
    """Poll the task until it has one of ``statuses`` (10 s at most)."""
    body: dict = {}
    for _ in range(200):
        response = await client.get(f"/api/tasks/{task_id}", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in statuses:
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"task stayed {body.get('status')}: {body}")
