from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ComponentHealth(BaseModel):
    status: Literal["ok", "down", "warming"]
    backend: str
    latency_ms: float
    error: str | None = None


class Readiness(BaseModel):
    status: Literal["ok", "warming", "unavailable"] = Field(
        description="ok; warming while the embedding model loads after a start (a 503 for a few "
        "seconds); unavailable when a service is down"
    )
    components: dict[str, ComponentHealth]


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class LLMHealth(BaseModel):
    status: Literal["ok", "degraded", "stalled", "offline"]
    url: str
    reachable: bool
    latency_ms: float | None = None
    models_configured: list[str]
    models_present: list[str]
    models_missing: list[str]
    detail: str
    breakers: dict[str, str] = Field(
        default_factory=dict, description="circuit breaker of each model called so far"
    )
    slots: dict[str, int] = Field(
        default_factory=dict, description="model calls running and waiting, and the limits"
    )
