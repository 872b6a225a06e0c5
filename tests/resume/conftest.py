"""The resume tests' app with a scripted model server (the Ollama stand-in)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.runtime.resources import build_resources
from tests.conftest import make_settings
from tests.doubles.ollama import OllamaDouble

REASONING = "qwen2.5:7b-instruct-q4_K_M"
FAST = "phi3:3.8b-mini-4k-instruct-q4_K_M"
Client = tuple[httpx.AsyncClient, OllamaDouble]


@pytest.fixture
async def llm_client(stack: dict, tmp_path: Path, embedder: Embedder) -> AsyncIterator[Client]:
    """The app on each stack, its model server being the stand-in."""
    with OllamaDouble([REASONING, FAST]) as double:
        settings = make_settings(
            tmp_path,
            **stack,
            ollama_url=double.url,
            llm_max_retries=0,
            llm_first_token_timeout=10.0,
            llm_total_timeout=20.0,
        )
        resources = build_resources(settings, embedder=embedder)
        app = create_app(resources=resources)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                yield client, double
        await resources.aclose()
