"""Liveness, readiness of the backing services, and the model server's state."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from ollama import AsyncClient
from sqlalchemy import text

from careergini.config import Settings
from careergini.gateway.health.schemas import ComponentHealth, LLMHealth, Readiness
from careergini.llm.config import configured_models
from careergini.llm.gateway import LLMGateway
from careergini.runtime.resources import Resources

_CHECK_TIMEOUT = 3.0


async def _timed(check: Callable[[], Awaitable[None]], backend: str) -> ComponentHealth:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), timeout=_CHECK_TIMEOUT)
    except Exception as exc:  # every failure mode of a dependency means "down"
        return ComponentHealth(
            status="down",
            backend=backend,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            error=f"{type(exc).__name__}: {exc}"[:300] or type(exc).__name__,
        )
    return ComponentHealth(
        status="ok", backend=backend, latency_ms=round((time.perf_counter() - started) * 1000, 2)
    )


async def check_readiness(*, resources: Resources) -> Readiness:
    """Probe the database, the cache and the vector store, concurrently."""

    async def database() -> None:
        async with resources.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    results = await asyncio.gather(
        _timed(database, resources.engine.dialect.name),
        _timed(resources.cache.ping, resources.cache.backend),
        _timed(resources.vectors.heartbeat, f"chroma-{resources.vectors.backend}"),
    )
    components = dict(zip(("database", "cache", "vectors"), results, strict=True))
    # Searching, importing and matching embed text: until the model is in memory (the app
    # loads it in the background at start) those requests would wait for it.
    components["embeddings"] = ComponentHealth(
        status="ok" if resources.embedder.loaded else "warming",
        backend="all-MiniLM-L6-v2",
        latency_ms=0.0,
    )
    if any(c.status == "down" for c in components.values()):
        status: Literal["ok", "warming", "unavailable"] = "unavailable"
    elif components["embeddings"].status == "warming":
        status = "warming"
    else:
        status = "ok"
    return Readiness(status=status, components=components)


def _same_model(configured: str, present: set[str]) -> bool:
    # Ollama lists "name:tag"; a configured name without a tag means ":latest".
    return configured in present or (":" not in configured and f"{configured}:latest" in present)


async def check_llm(*, settings: Settings, llm: LLMGateway | None = None) -> LLMHealth:
    """Say whether Ollama answers, which configured models it has, and why AI is degraded."""
    report = await _probe_llm(settings=settings)
    if llm is None:
        return report
    breakers = llm.breaker_states()
    limiter = llm.limiter
    report.breakers = breakers
    report.slots = {
        "active": limiter.active,
        "waiting": limiter.waiting,
        "slots": limiter.slots,
        "queue_size": limiter.queue_size,
    }
    tripped = sorted(model for model, state in breakers.items() if state != "closed")
    if llm.watch.stalled and report.status != "offline":
        report.status = "stalled"
        report.detail = (
            f"{llm.watch.state.detail} AI features answer in their degraded mode (the "
            "deterministic results) until the server answers a test again; restarting Ollama "
            "usually helps."
        )
    elif tripped:
        if report.status == "ok":
            report.status = "degraded"
        report.detail += (
            f" Circuit breaker open for {', '.join(tripped)} after repeated failures: calls to "
            "it are paused and the coach answers in degraded mode until a probe succeeds."
        )
    if limiter.active >= limiter.slots and limiter.waiting >= limiter.queue_size:
        report.detail += (
            " Every model slot is busy and the queue is full: new AI calls are refused until "
            "one frees (the coach answers from the analysis meanwhile)."
        )
    return report


async def _probe_llm(*, settings: Settings) -> LLMHealth:
    wanted = configured_models(settings.models_file)
    started = time.perf_counter()
    try:
        client = AsyncClient(host=settings.ollama_url, timeout=settings.ollama_probe_timeout)
        listing = await client.list()
    except Exception as exc:  # connection refused, timeout, bad answer: all mean offline
        return LLMHealth(
            status="offline",
            url=settings.ollama_url,
            reachable=False,
            models_configured=wanted,
            models_present=[],
            models_missing=wanted,
            detail=(
                f"Ollama is not reachable at {settings.ollama_url} ({type(exc).__name__}). "
                "CareerGini keeps working in its degraded mode: analysis, scores and documents "
                "without AI rewriting. Start Ollama and run `make models`."
            ),
        )
    present = sorted(m.model for m in listing.models if m.model)
    missing = [name for name in wanted if not _same_model(name, set(present))]
    return LLMHealth(
        status="ok" if not missing else "degraded",
        url=settings.ollama_url,
        reachable=True,
        latency_ms=round((time.perf_counter() - started) * 1000, 2),
        models_configured=wanted,
        models_present=present,
        models_missing=missing,
        detail="All configured models are present."
        if not missing
        else "Some configured models are missing: run `make models` to pull and build them.",
    )
