"""What the tasks API returns."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

TaskStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
TASK_STATUSES: tuple[TaskStatus, ...] = ("queued", "running", "succeeded", "failed", "cancelled")
FINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled"})


class TaskProgress(BaseModel):
    # queued | reading the prompt | writing | checking | saving | done
    stage: str = "queued"
    queue_position: int | None = Field(
        default=None, description="tasks ahead of this one for the model (0: next)"
    )
    percent: float | None = Field(default=None, ge=0, le=100)
    tokens: int = Field(default=0, description="tokens the model has written so far")


class TaskResultRef(BaseModel):
    kind: str
    id: str
    url: str


class TaskLinks(BaseModel):
    self: str
    events: str
    cancel: str


class TaskPublic(BaseModel):
    id: str
    kind: str
    status: TaskStatus
    progress: TaskProgress
    result: TaskResultRef | None = None
    error: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    links: TaskLinks


class TaskList(BaseModel):
    items: list[TaskPublic]
