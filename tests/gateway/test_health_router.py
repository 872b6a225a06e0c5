"""Liveness, readiness (with a service really down) and the model server's health."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import httpx
import redis

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.runtime.resources import build_resources
from tests.conftest import free_port, make_settings, wait_for
from tests.doubles.ollama import OllamaDouble


async def _get(app, path: str) -> httpx.Response:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return await c.get(path)


async def test_liveness(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_readiness_reports_each_component(client: httpx.AsyncClient, settings) -> None:
    response = await client.get("/api/health/ready")
    assert response.status_code == 200, response.text
    components = response.json()["components"]
    assert set(components) == {"database", "cache", "vectors", "embeddings"}
    assert all(c["status"] == "ok" and c["latency_ms"] >= 0 for c in components.values())
    expected = (
        ("postgresql", "redis", "chroma-server")
        if settings.redis_url
        else (
            "sqlite",
            "memory",
            "chroma-embedded",
        )
    )
    assert (
        components["database"]["backend"],
        components["cache"]["backend"],
        components["vectors"]["backend"],
    ) == expected


class _GatedEmbedder(Embedder):
    """An embedder whose load waits for the test: a warm process would load it at once."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def _load(self) -> Any:
        self.gate.wait(timeout=120)
        return super()._load()


async def test_readiness_says_warming_until_the_embedding_model_is_loaded(
    tmp_path: Path, sqlite_template: Path
) -> None:
    shutil.copy(sqlite_template, tmp_path / "db.sqlite")
    settings = make_settings(tmp_path, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    cold = _GatedEmbedder()  # not loaded: the app starts loading it in the background
    resources = build_resources(settings, embedder=cold)
    app = create_app(resources=resources)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            first = await c.get("/api/health/ready")
            assert first.status_code == 503, first.text
            assert first.json()["status"] == "warming"
            assert first.json()["components"]["embeddings"]["status"] == "warming"
            assert first.json()["components"]["database"]["status"] == "ok"
            # The app answers meanwhile.
            assert (await c.get("/api/health")).status_code == 200
            cold.gate.set()  # the model may now finish loading
            deadline = asyncio.get_running_loop().time() + 120
            while not cold.loaded:
                assert asyncio.get_running_loop().time() < deadline, "model never loaded"
                await asyncio.sleep(0.1)
            ready = await c.get("/api/health/ready")
            assert ready.status_code == 200 and ready.json()["status"] == "ok"
    await resources.aclose()


async def test_readiness_is_503_when_redis_is_stopped(
    tmp_path: Path, embedder: Embedder, sqlite_template: Path
) -> None:
    """Start a private redis-server, check ready, stop it, check 503 naming the cache."""
    port = free_port()
    server = subprocess.Popen(  # noqa: ASYNC220 - a child server, not awaited
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: redis.Redis(port=port).ping(), timeout=10, what="private redis-server")
        shutil.copy(sqlite_template, tmp_path / "db.sqlite")
        settings = make_settings(
            tmp_path,
            database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
            redis_url=f"redis://127.0.0.1:{port}/0",
        )
        resources = build_resources(settings, embedder=embedder)
        app = create_app(resources=resources)
        assert (await _get(app, "/api/health/ready")).status_code == 200
        server.terminate()
        server.wait(timeout=10)
        await asyncio.sleep(0.1)
        down = await _get(app, "/api/health/ready")
        assert down.status_code == 503
        body = down.json()
        assert body["status"] == "unavailable"
        assert body["components"]["cache"]["status"] == "down"
        assert body["components"]["database"]["status"] == "ok"
        # The app keeps serving what does not need the cache.
        assert (await _get(app, "/api/health")).status_code == 200
        await resources.aclose()
    finally:
        if server.poll() is None:
            server.kill()


async def test_readiness_is_503_when_the_database_is_unreachable(
    tmp_path: Path, embedder: Embedder
) -> None:
    settings = make_settings(
        tmp_path, database_url=f"postgresql://nobody@127.0.0.1:{free_port()}/none"
    )
    resources = build_resources(settings, embedder=embedder)
    response = await _get(create_app(resources=resources), "/api/health/ready")
    assert response.status_code == 503
    assert response.json()["components"]["database"]["status"] == "down"
    await resources.aclose()


async def test_llm_health_when_ollama_is_absent(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health/llm")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "offline"
    assert body["reachable"] is False
    assert "degraded mode" in body["detail"]
    assert "qwen2.5:7b-instruct-q4_K_M" in body["models_configured"]


async def test_llm_health_lists_present_and_missing_models(
    tmp_path: Path, embedder: Embedder
) -> None:
    with OllamaDouble(["qwen2.5:7b-instruct-q4_K_M", "llama3:latest"]) as ollama:
        settings = make_settings(tmp_path, ollama_url=ollama.url)
        resources = build_resources(settings, embedder=embedder)
        response = await _get(create_app(resources=resources), "/api/health/llm")
        await resources.aclose()
    body = response.json()
    assert body["reachable"] is True
    assert body["status"] == "degraded"
    assert "qwen2.5:7b-instruct-q4_K_M" in body["models_present"]
    assert set(body["models_missing"]) == {
        "phi3:3.8b-mini-4k-instruct-q4_K_M",
        "qwen2.5-coder:7b-instruct-q4_K_M",
    }
    assert "GET /api/tags" in ollama.requests
