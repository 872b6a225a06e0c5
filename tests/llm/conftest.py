"""Fixtures for the LLM gateway: the Ollama stand-in, a fake clock and a gateway factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from careergini.core.cache import Cache, MemoryCache
from careergini.core.metrics import Metrics
from careergini.llm.breaker import BreakerPolicy
from careergini.llm.gateway import LLMGateway
from tests.conftest import make_settings
from tests.doubles.ollama import OllamaDouble

REASONING = "qwen2.5:7b-instruct-q4_K_M"
FAST = "phi3:3.8b-mini-4k-instruct-q4_K_M"
CODER = "qwen2.5-coder:7b-instruct-q4_K_M"
ALL_MODELS = [REASONING, FAST, CODER]


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ollama() -> Iterator[OllamaDouble]:
    with OllamaDouble(ALL_MODELS) as double:
        yield double


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


GatewayMaker = Callable[..., LLMGateway]


@pytest.fixture
async def make_gateway(
    tmp_path: Path, ollama: OllamaDouble, clock: FakeClock
) -> AsyncIterator[GatewayMaker]:
    """Build gateways against the stand-in; settings overrides as keyword arguments."""
    built: list[LLMGateway] = []

    def _make(
        *,
        cache: Cache | None = None,
        metrics: Metrics | None = None,
        policy: BreakerPolicy | None = None,
        url: str | None = None,
        **overrides: Any,
    ) -> LLMGateway:
        overrides.setdefault("llm_first_token_timeout", 5.0)
        overrides.setdefault("llm_total_timeout", 10.0)
        settings = make_settings(tmp_path, ollama_url=url or ollama.url, **overrides)
        gateway = LLMGateway(
            settings=settings,
            cache=cache if cache is not None else MemoryCache(),
            metrics=metrics if metrics is not None else Metrics(),
            clock=clock,
            breaker_policy=policy,
            retry_backoff=0.01,
        )
        built.append(gateway)
        return gateway

    yield _make
    for gateway in built:
        await gateway.aclose()


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def system(text: str) -> dict[str, str]:
    return {"role": "system", "content": text}
