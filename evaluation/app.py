"""The app on the embedded stack (SQLite, embedded Chroma, in-process cache) in a temporary
folder, with one registered user, for the suites that go through the HTTP API."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from careergini.app import create_app
from careergini.config import Settings
from careergini.core import migrate
from careergini.core.embeddings import Embedder
from careergini.runtime.resources import Resources, build_resources

PASSWORD = "a long evaluation password"


def settings_for(workdir: Path, **overrides: Any) -> Settings:
    """Settings of an embedded install under ``workdir``: no rate limits, model unreachable
    unless ``ollama_url`` is given."""
    values: dict[str, Any] = {
        "_env_file": None,
        "env": "test",
        "data_dir": workdir / "var",
        "database_url": f"sqlite:///{workdir / 'eval.db'}",
        "log_level": "ERROR",
        "secret_key": "eval-" + "x" * 40,
        "ollama_url": "http://127.0.0.1:9",
        "rate_limit_per_minute": 1_000_000,
        "ai_rate_limit_per_minute": 1_000_000,
        "jobs_scheduler_tick_seconds": 3600,
        "access_token_minutes": 24 * 60,
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class Session:
    """A running app, a client on it and one logged-in user."""

    client: httpx.AsyncClient
    resources: Resources
    settings: Settings
    owner_id: uuid.UUID
    headers: dict[str, str]


@asynccontextmanager
async def embedded_app(
    *, embedder: Embedder | None = None, **overrides: Any
) -> AsyncIterator[Session]:
    """Start the app on a fresh embedded install; yield it with a registered user."""
    workdir = Path(tempfile.mkdtemp(prefix="careergini-eval-"))
    try:
        settings = settings_for(workdir, **overrides)
        migrate.upgrade(settings.effective_database_url)
        resources = build_resources(settings, embedder=embedder)
        app = create_app(resources=resources)
        try:
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://eval", timeout=120
                ) as client:
                    creds = {"email": "eval@example.com", "password": PASSWORD}
                    registered = await client.post("/api/auth/register", json=creds)
                    registered.raise_for_status()
                    login = await client.post("/api/auth/login", json=creds)
                    login.raise_for_status()
                    client.cookies.clear()
                    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
                    yield Session(
                        client, resources, settings, uuid.UUID(registered.json()["id"]), headers
                    )
        finally:
            await resources.aclose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
