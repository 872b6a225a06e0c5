"""The app under uvicorn on 127.0.0.1, so the MCP SDK's own client talks real HTTP to /mcp."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.runtime.resources import Resources, build_resources
from tests.conftest import PASSWORD, free_port, make_settings
from tests.jobs.test_router import RESUME
from tests.samples import BACKEND_JD


@dataclass
class Served:
    url: str
    http: httpx.AsyncClient
    resources: Resources

    async def user(self, *, resume: bool = True) -> dict[str, Any]:
        """Register and log in a user (with an imported resume); return its Bearer headers."""
        email = f"mcp-{uuid.uuid4().hex[:10]}@example.com"
        made = await self.http.post(
            "/api/auth/register", json={"email": email, "password": PASSWORD}
        )
        assert made.status_code == 201, made.text
        login = await self.http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        self.http.cookies.clear()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        if resume:
            files = {"file": ("resume.txt", RESUME.encode(), "text/plain")}
            imported = await self.http.post("/api/profile/imports", files=files, headers=headers)
            assert imported.status_code == 201, imported.text
        return {"id": made.json()["id"], "headers": headers}

    async def token(self, user: dict[str, Any], scopes: list[str] | None = None) -> str:
        made = await self.http.post(
            "/api/account/tokens",
            json={"name": "assistant", "scopes": scopes or ["read", "write"]},
            headers=user["headers"],
        )
        assert made.status_code == 201, made.text
        return str(made.json()["token"])

    async def save_job(self, user: dict[str, Any], text: str = BACKEND_JD) -> str:
        added = await self.http.post("/api/jobs", json={"text": text}, headers=user["headers"])
        assert added.status_code == 201, added.text
        return str(added.json()["id"])

    def client(self, token: str | None) -> Client:
        """The SDK's client over streamable HTTP to /mcp with this token."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        http = httpx2.AsyncClient(headers=headers, timeout=60)
        return Client(streamable_http_client(f"{self.url}/mcp", http_client=http))


@pytest.fixture
async def served(stack: dict, tmp_path: Path, embedder: Embedder) -> AsyncIterator[Served]:
    settings = make_settings(
        tmp_path, **stack, rate_limit_per_minute=10_000, ai_rate_limit_per_minute=1000
    )
    resources = build_resources(settings, embedder=embedder)
    app = create_app(resources=resources)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        yield Served(url=url, http=http, resources=resources)
    server.should_exit = True
    await task
    await resources.aclose()
