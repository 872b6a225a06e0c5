"""What the gateway returns (:class:`Completion`, :class:`StreamEvent`) and the usage report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Completion(Generic[T]):
    """One answer of the model, with what it cost.

    ``parsed`` is the validated schema instance when a schema was given. Token counts are what
    the model server processed for this call (zero when ``cached``); ``latency`` and
    ``first_token_latency`` are seconds from the call, queueing included.
    """

    text: str
    role: str
    model: str
    parsed: T | None = None
    fallback_used: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency: float = 0.0
    first_token_latency: float | None = None
    tokens_per_second: float | None = None
    cached: bool = False
    prompt_version: str | None = None
    trimmed: bool = False
    repaired: bool = False
    done_reason: str | None = None


@dataclass(frozen=True)
class StreamEvent:
    """A streamed token (``kind="token"``), then one ``"end"`` event with the text and usage."""

    kind: Literal["token", "end"]
    text: str
    completion: Completion | None = None


class UsageTotals(BaseModel):
    calls: int = 0
    errors: int = 0
    cache_hits: int = 0
    fallbacks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    avg_latency_seconds: float | None = None
    avg_first_token_seconds: float | None = None
    avg_tokens_per_second: float | None = None
    outcomes: dict[str, int] = Field(default_factory=dict)


class UsageReport(BaseModel):
    """LLM usage over a window, from the gateway's telemetry files."""

    since: datetime
    until: datetime
    total: UsageTotals
    by_role: dict[str, UsageTotals]
    by_model: dict[str, UsageTotals]
    by_user: dict[str, UsageTotals]
