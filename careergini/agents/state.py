"""The coach graph's typed state (checkpointed per thread) and its run-time context (not).

The state holds only JSON-ready values: the conversation, this turn's request and routing, the
target of the analysis (kept across turns, so "and what should I learn?" follows the job pasted
earlier), the specialists' tool results and the model calls of the turn. Who is asking and the
clients to reach the data are the :class:`CoachContext`, given by the service for each run and
never stored or shown to the model.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Literal, NotRequired, TypedDict

from careergini.agents.results import ToolResult as ToolResult
from careergini.runtime.resources import Resources

AgentName = Literal["profile", "skills", "jobs", "resume", "learning"]
AGENT_NAMES: tuple[AgentName, ...] = ("profile", "skills", "jobs", "resume", "learning")
# Why the answer comes from the tools' results rather than the model.
DegradedReason = Literal["offline", "busy"]
# Who chose the turn's specialists.
RoutedBy = Literal["rules", "model", "default"]
# A hard bound on the conversation kept in a checkpoint; the model sees fewer (settings).
MAX_STATE_MESSAGES = 100


class HistoryMessage(TypedDict):
    role: Literal["user", "assistant"]
    content: str
    # Replaces the last message of the same role instead of following it: the answer as the
    # user saw it (after the claims check) takes the place of the model's raw answer.
    revises: NotRequired[bool]


class TurnRequest(TypedDict, total=False):
    """What came with the user's message besides its text."""

    job_description: str | None
    role_id: str | None
    job_id: str | None


class Target(TypedDict, total=False):
    """What the analysis compares the person with: a pasted job description, a role, or one of
    the person's saved postings (``job``: read by its id, owner-scoped, whenever it is used)."""

    kind: Literal["job_description", "role", "job"]
    title: str | None
    company: str | None
    role_id: str | None
    text: str | None
    job_id: str | None


class CallUsage(TypedDict):
    purpose: Literal["route", "answer"]
    role: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    prompt_version: str | None
    cached: bool
    trimmed: bool


def keep_recent(left: list[HistoryMessage] | None, right: list[HistoryMessage] | None) -> list:
    """Append messages (a revision replaces its predecessor), keeping the last
    :data:`MAX_STATE_MESSAGES`."""
    merged = list(left or [])
    for message in right or []:
        if message.get("revises"):
            message = HistoryMessage(role=message["role"], content=message["content"])
            if merged and merged[-1]["role"] == message["role"]:
                merged[-1] = message
                continue
        merged.append(message)
    return merged[-MAX_STATE_MESSAGES:]


def per_turn(left: list | None, right: list | None) -> list:
    """Accumulate within a turn; ``None`` (written by the supervisor) starts a new turn."""
    if right is None:
        return []
    return [*(left or []), *right]


class CoachState(TypedDict, total=False):
    messages: Annotated[list[HistoryMessage], keep_recent]
    request: TurnRequest
    agents: list[AgentName]
    routed_by: RoutedBy
    target: Target | None
    results: Annotated[list[ToolResult], per_turn]
    calls: Annotated[list[CallUsage], per_turn]
    answer: str
    degraded: bool
    degraded_reason: DegradedReason | None


class AgentTask(TypedDict):
    """What the supervisor sends one specialist (LangGraph ``Send``)."""

    agent: AgentName
    message: str
    target: Target | None


@dataclass(frozen=True)
class CoachContext:
    """Who asks, and the clients to reach their data: given per run, never checkpointed."""

    user_id: uuid.UUID
    resources: Resources
    history_messages: int = 20
    llm_routing: bool = True
    # Shared by every run of the app: how many specialists may run their tools at once (each
    # holds database connections; the rest of the app needs some too).
    tool_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(4))
