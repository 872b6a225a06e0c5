from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class ComponentHealth(BaseModel):
    status: Literal["ok", "down"]
    backend: str
    latency_ms: float
    error: str | None = None


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    components: dict[str, ComponentHealth]


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class LLMHealth(BaseModel):
    status: Literal["ok", "degraded", "offline"]
    url: str
    reachable: bool
    latency_ms: float | None = None
    models_configured: list[str]
    models_present: list[str]
    models_missing: list[str]
    detail: str
