"""What each kind of task runs: handlers registered by the domains, and what they are given."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import session_scope, utcnow
from careergini.runtime.resources import Resources
from careergini.tasks.models import Task
from careergini.tasks.schemas import TaskProgress


class TaskCancelled(Exception):
    """The task was cancelled while it ran."""


@dataclass
class TaskContext:
    """What a handler gets: the app's clients, the task's identity and payload, a progress line."""

    resources: Resources
    task_id: uuid.UUID
    owner_id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    progress_interval: float = 1.0
    _progress: TaskProgress = field(default_factory=TaskProgress)
    _last_write: float = 0.0

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A transaction of its own, committed when the block ends."""
        async with session_scope(self.resources.sessionmaker) as session:
            yield session

    async def progress(
        self,
        stage: str | None = None,
        *,
        percent: float | None = None,
        tokens: int | None = None,
        force: bool = False,
    ) -> None:
        """Record how far the task is; written at most once a second unless the stage changes."""
        changed_stage = stage is not None and stage != self._progress.stage
        if stage is not None:
            self._progress.stage = stage
        if percent is not None:
            self._progress.percent = max(0.0, min(100.0, round(percent, 1)))
        if tokens is not None:
            self._progress.tokens = tokens
        now = time.monotonic()
        if not (force or changed_stage) and now - self._last_write < self.progress_interval:
            return
        self._last_write = now
        # Shielded: a cancellation (the user's, or a stopping app) lands after the write's
        # transaction ended, never inside it.
        if not await asyncio.shield(self._write_progress(self._progress.model_dump())):
            raise TaskCancelled()

    async def _write_progress(self, progress: dict[str, Any]) -> bool:
        async with self.session() as session:
            result = await session.exec(
                update(Task)
                .where(col(Task.id) == self.task_id, col(Task.status) == "running")
                .values(progress=progress, heartbeat_at=utcnow())
            )
        return bool(result.rowcount)


TaskHandler = Callable[[TaskContext], Awaitable[None]]


@dataclass(frozen=True)
class Registered:
    handler: TaskHandler
    # Seconds one run may take before it fails (None: the worker's default).
    timeout: float | None = None
    # The LLM role the handler calls. The model behind a role serves one request at a time, so
    # tasks whose roles share a model wait for each other (one lane), while a task of another
    # model runs beside them. None: a lane of its own kind.
    role: str | None = None


_HANDLERS: dict[str, Registered] = {}


def register(
    kind: str, handler: TaskHandler, *, timeout: float | None = None, role: str | None = None
) -> None:
    """Make ``handler`` run every task of ``kind`` (a domain registers its kinds at import);
    ``role`` is the LLM role it calls (see :attr:`Registered.role`)."""
    _HANDLERS[kind] = Registered(handler=handler, timeout=timeout, role=role)


# Which model serves an LLM role: set by the worker from the app's LLM configuration.
_model_of_role: Callable[[str], str | None] = lambda role: None  # noqa: E731


def set_model_of_role(resolve: Callable[[str], str | None]) -> None:
    global _model_of_role
    _model_of_role = resolve


def lane_of(kind: str) -> str:
    """The lane of a kind: the model its role is served by, or the kind itself."""
    registered = _HANDLERS.get(kind)
    role = registered.role if registered is not None else None
    if role is not None:
        model = _model_of_role(role)
        return f"model:{model}" if model else f"role:{role}"
    return f"kind:{kind}"


def kinds_in_lane(kind: str) -> list[str]:
    """Every registered kind that shares the lane of ``kind`` (itself included)."""
    lane = lane_of(kind)
    return sorted({kind, *(k for k in _HANDLERS if lane_of(k) == lane)})


def handler_for(kind: str) -> Registered | None:
    return _HANDLERS.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)
