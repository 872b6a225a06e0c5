"""POST /api/profile/imports/github: the app's HTTP client against the GitHub stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.runtime.resources import build_resources
from tests.conftest import PASSWORD, make_settings
from tests.doubles.github import GitHubDouble
from tests.profile.test_github import LOGIN, script_mira
from tests.profile.test_router import RESUME_A, upload


@pytest.fixture
async def github_client(
    tmp_path: Path, embedder: Embedder, sqlite_template: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, GitHubDouble]]:
    import shutil

    shutil.copy(sqlite_template, tmp_path / "db.sqlite")
    with GitHubDouble() as github:
        settings = make_settings(
            tmp_path,
            database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
            github_api_url=github.url,
            github_token="ghp_test_token",
        )
        resources = build_resources(settings, embedder=embedder)
        app = create_app(resources=resources)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                yield client, github
        await resources.aclose()


async def _login(client: httpx.AsyncClient) -> dict[str, Any]:
    creds = {"email": "gh@example.com", "password": PASSWORD}
    await client.post("/api/auth/register", json=creds)
    token = (await client.post("/api/auth/login", json=creds)).json()["access_token"]
    client.cookies.clear()
    return {"Authorization": f"Bearer {token}"}


async def test_github_import_merges_with_the_resume(github_client: Any) -> None:
    client, github = github_client
    script_mira(github)
    headers = await _login(client)
    await client.post("/api/profile/imports", files=upload(RESUME_A), headers=headers)
    response = await client.post(
        "/api/profile/imports/github", json={"username": LOGIN}, headers=headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "github" and body["source_ref"] == f"github:{LOGIN}"
    assert body["counts"]["projects"] > 0
    # The app's client sent the configured token and our User-Agent.
    seen = github.seen(f"/users/{LOGIN}")[0]
    assert seen.headers["authorization"] == "Bearer ghp_test_token"
    assert seen.headers["user-agent"].startswith("CareerGini/")

    profile = (await client.get("/api/profile", headers=headers)).json()
    go = next(s for s in profile["skills"] if s["skill_id"] == "go")
    assert any(e["section"] == "github" for e in go["evidence"])
    python = next(s for s in profile["skills"] if s["skill_id"] == "python")
    kinds = {src["kind"] for src in python["sources"]}
    assert kinds == {"text", "github"}


async def test_github_errors_are_clear_and_store_nothing(github_client: Any) -> None:
    client, github = github_client
    headers = await _login(client)
    missing = await client.post(
        "/api/profile/imports/github", json={"username": "nobody-here"}, headers=headers
    )
    assert missing.status_code == 404
    assert "nobody-here" in missing.json()["detail"]
    github.rate_limited("/users/someone", reset=2_000_000_000)
    limited = await client.post(
        "/api/profile/imports/github", json={"username": "someone"}, headers=headers
    )
    assert limited.status_code == 429
    assert "Retry-After" in limited.headers
    invalid = await client.post(
        "/api/profile/imports/github", json={"username": "-bad-"}, headers=headers
    )
    assert invalid.status_code == 422
    assert (await client.get("/api/profile/imports", headers=headers)).json() == []
