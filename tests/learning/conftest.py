"""Fixtures of the learning tests: the app on both stacks (model server offline, as in the
shared fixtures, but without connection retries), and an app whose model server is the Ollama
stand-in."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from careergini.app import create_app
from careergini.config import Settings
from careergini.core.embeddings import Embedder
from careergini.runtime.resources import build_resources
from tests.conftest import PASSWORD, make_settings
from tests.doubles.ollama import OllamaDouble

FAST = "phi3:3.8b-mini-4k-instruct-q4_K_M"  # the learning role's model (models/models.yaml)


@pytest.fixture
def settings(stack: dict, tmp_path: Path) -> Settings:
    # The model server is offline here (port 9): fail over to the degraded mode at once.
    return make_settings(tmp_path, **stack, llm_max_retries=0)


@pytest.fixture
def ollama() -> Iterator[OllamaDouble]:
    with OllamaDouble([FAST]) as double:
        yield double


@pytest.fixture
async def llm_client(
    stack: dict, tmp_path: Path, embedder: Embedder, ollama: OllamaDouble
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose learning model is the Ollama stand-in."""
    settings = make_settings(
        tmp_path,
        **stack,
        ollama_url=ollama.url,
        llm_max_retries=0,
        llm_first_token_timeout=5.0,
        llm_total_timeout=10.0,
    )
    resources = build_resources(settings, embedder=embedder)
    app = create_app(resources=resources)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client
    await resources.aclose()


async def login(client: httpx.AsyncClient, email: str = "learner@example.com") -> dict[str, Any]:
    creds = {"email": email, "password": PASSWORD}
    created = await client.post("/api/auth/register", json=creds)
    assert created.status_code == 201, created.text
    token = (await client.post("/api/auth/login", json=creds)).json()["access_token"]
    client.cookies.clear()
    return {"Authorization": f"Bearer {token}"}


async def wait_task(
    client: httpx.AsyncClient, headers: dict[str, str], task_id: str, *statuses: str
) -> dict[str, Any]:
    """Poll GET /api/tasks/{id} until the task has one of ``statuses`` (20 s at most)."""
    deadline = time.monotonic() + 20
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = await client.get(f"/api/tasks/{task_id}", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in statuses:
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"the task stayed {body.get('status')}: {body}")
