"""Request and response models of the chat API, and the events of a streamed answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from careergini.analysis.schemas import JOB_ID_HINT, JobId
from careergini.core.text import NoNulModel

MAX_MESSAGE_CHARS = 50_000


class ThreadCreate(NoNulModel):
    model_config = {"extra": "forbid"}

    title: str | None = Field(
        default=None, max_length=200, description="default: from the first message"
    )


class ThreadPublic(BaseModel):
    id: str
    title: str
    created_at: str
    updated_at: str


class ArtifactPublic(BaseModel):
    """A stored item the coach created in a turn, and where it opens or downloads."""

    kind: str = Field(description="resume | cover_letter | roadmap | interview_session")
    id: str
    title: str | None = None
    links: dict[str, str] = Field(default_factory=dict)


class MessagePublic(BaseModel):
    id: str
    role: Literal["user", "assistant"]
    content: str
    status: Literal["complete", "interrupted", "failed"]
    agents: list[str] = Field(default_factory=list)
    degraded: bool = False
    usage: dict[str, Any] = Field(default_factory=dict)
    artifacts: list[ArtifactPublic] = Field(
        default_factory=list, description="what the coach created in this answer"
    )
    created_at: str


class ThreadDetail(ThreadPublic):
    messages: list[MessagePublic]
    answering: bool = Field(description="the coach is generating an answer right now")


class MessageCreate(NoNulModel):
    """A message to the coach, optionally with a job description, a role or one of your saved
    postings to compare with."""

    model_config = {"extra": "forbid"}

    content: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    job_description: str | None = Field(default=None, max_length=MAX_MESSAGE_CHARS)
    role_id: str | None = Field(default=None, max_length=100)
    job_id: JobId | None = Field(default=None, description=JOB_ID_HINT)

    @field_validator("content")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the message is empty")
        return value

    @model_validator(mode="after")
    def _one_target_at_most(self) -> MessageCreate:
        given = [n for n in ("job_description", "role_id", "job_id") if getattr(self, n)]
        if len(given) > 1:
            raise ValueError(
                "give at most one of job_description, role_id or job_id with a message"
            )
        return self


class CancelResult(BaseModel):
    thread_id: str
    cancelled: bool = Field(description="an answer was being generated and is being stopped")


EventName = Literal["agent", "tool", "token", "done", "error"]
