"""The events of a turn, as the client receives them (SSE event name = ``event``).

The graph's nodes write ``agent``, ``tool`` and ``token`` events (LangGraph's custom stream);
the chat service adds ``withheld`` (a sentence about the user that failed the claims check),
``error`` and ``done``. Each is a plain JSON-ready ``TypedDict``; the key
order is the order on the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NotRequired, TypedDict

from careergini.agents.state import AgentName, CallUsage


class AgentEvent(TypedDict):
    """The supervisor routing or writing, a specialist starting or done."""

    event: Literal["agent"]
    agent: str
    status: Literal["started", "done", "routed", "writing"]
    detail: NotRequired[str]  # started: what the specialist does
    agents: NotRequired[list[AgentName]]  # routed
    routed_by: NotRequired[str]  # routed
    role: NotRequired[str]  # writing: the LLM role that writes the answer


class ArtifactLinks(TypedDict):
    """What a tool created, and where it opens or downloads."""

    kind: str
    id: str
    links: dict[str, str]


class ToolEvent(TypedDict):
    """A tool starting (with what it does) or done (with how it ended)."""

    event: Literal["tool"]
    agent: str
    tool: str
    status: Literal["started", "done"]
    detail: NotRequired[str]  # started
    ok: NotRequired[bool]  # done
    title: NotRequired[str]  # done
    artifact: NotRequired[ArtifactLinks]  # done, when the tool created something


class TokenEvent(TypedDict):
    """A piece of the answer."""

    event: Literal["token"]
    text: str


class WithheldEvent(TypedDict):
    """A sentence of the answer held back: it stated something about the user that their
    profile does not support. ``replacement`` is the question shown instead, or None."""

    event: Literal["withheld"]
    reasons: list[str]
    replacement: str | None


class ErrorEvent(TypedDict):
    event: Literal["error"]
    error: str
    detail: str


class StoredArtifact(TypedDict):
    """What a turn created, as stored with the answer (``ArtifactPublic``)."""

    kind: str
    id: str
    title: str | None
    links: dict[str, str]


class TurnUsage(TypedDict):
    """The model calls of a turn, as stored with the answer."""

    calls: list[CallUsage]
    prompt_tokens: int
    completion_tokens: int
    routed_by: str | None


class DoneEvent(TypedDict):
    event: Literal["done"]
    message_id: str | None
    user_message_id: str
    thread_id: str
    status: str
    reason: str | None
    degraded: bool
    degraded_reason: str | None
    agents: list[str]
    usage: TurnUsage
    artifacts: list[StoredArtifact]


# What the graph's nodes write; what the client receives.
GraphEvent = AgentEvent | ToolEvent | TokenEvent
TurnEvent = GraphEvent | WithheldEvent | ErrorEvent | DoneEvent
Emit = Callable[[GraphEvent], None]
