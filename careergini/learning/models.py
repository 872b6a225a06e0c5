"""Roadmaps and their progress, quizzes with the skill confidence they give, interview sessions
and the STAR story bank."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, UTCDateTime, created_at_field, utcnow


def _updated_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class LearningRoadmap(SQLModel, table=True):
    """A roadmap: its target, the parameters it was built with and the plan (weeks, months)."""

    __tablename__ = "learning_roadmaps"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    title: str = Field(max_length=300)
    target: dict[str, Any] = Field(sa_type=JSONType)
    parameters: dict[str, Any] = Field(sa_type=JSONType)
    plan: dict[str, Any] = Field(sa_type=JSONType)
    revision: int = 1
    created_at: datetime = created_at_field()
    updated_at: datetime = _updated_at_field()


class LearningTaskProgress(SQLModel, table=True):
    """The person's status and notes on one task of a roadmap (absent: still to do)."""

    __tablename__ = "learning_task_progress"

    roadmap_id: uuid.UUID = Field(
        foreign_key="learning_roadmaps.id", ondelete="CASCADE", primary_key=True
    )
    task_id: str = Field(max_length=40, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    status: str = Field(max_length=16)
    notes: str | None = Field(default=None, sa_type=Text)
    updated_at: datetime = _updated_at_field()


class SkillConfidence(SQLModel, table=True):
    """How sure we are that the person knows a skill, from their quiz results (0 to 1)."""

    __tablename__ = "skill_confidence"

    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    skill_id: str = Field(max_length=120, primary_key=True)
    confidence: float
    quizzes: int = 0
    last_score: float
    last_level: str = Field(max_length=16)
    updated_at: datetime = _updated_at_field()


class LearningQuiz(SQLModel, table=True):
    """A quiz: its questions with the answers kept server-side, then the result."""

    __tablename__ = "learning_quizzes"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    skill_id: str = Field(max_length=120)
    level: str = Field(max_length=16)
    source: str = Field(max_length=16)
    items: list[dict[str, Any]] = Field(sa_type=JSONType)
    warnings: list[str] = Field(default_factory=list, sa_type=JSONType)
    result: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    created_at: datetime = created_at_field()
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class InterviewSession(SQLModel, table=True):
    """A practice interview: its questions, asked one at a time."""

    __tablename__ = "interview_sessions"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    target: dict[str, Any] = Field(sa_type=JSONType)
    questions: list[dict[str, Any]] = Field(sa_type=JSONType)
    current: int = 0
    created_at: datetime = created_at_field()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class InterviewAnswer(SQLModel, table=True):
    """An answer to one question of a session, with the feedback it got."""

    __tablename__ = "interview_answers"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    session_id: uuid.UUID = Field(
        foreign_key="interview_sessions.id", ondelete="CASCADE", index=True
    )
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    question_id: str = Field(max_length=80)
    answer: str = Field(sa_type=Text)
    feedback: dict[str, Any] = Field(sa_type=JSONType)
    created_at: datetime = created_at_field()


class InterviewStory(SQLModel, table=True):
    """A STAR story of the person's, drafted from a profile bullet or written by them."""

    __tablename__ = "interview_stories"
    __table_args__ = (UniqueConstraint("owner_id", "key"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=40)
    title: str = Field(max_length=200)
    situation: str = Field(sa_type=Text)
    task: str | None = Field(default=None, sa_type=Text)
    action: str = Field(sa_type=Text)
    result: str | None = Field(default=None, sa_type=Text)
    source: str = Field(max_length=80)
    skills: list[str] = Field(default_factory=list, sa_type=JSONType)
    edited: bool = False
    created_at: datetime = created_at_field()
    updated_at: datetime = _updated_at_field()
