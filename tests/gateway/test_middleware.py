"""Request ids, security headers, CORS, size limits, rate limits, errors and metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.core.errors import Conflict
from careergini.gateway.auth.dependencies import AIRateLimit, CurrentUser
from careergini.runtime.resources import build_resources
from tests.conftest import UserMaker, make_settings


async def test_request_id_is_generated_or_echoed(client: httpx.AsyncClient) -> None:
    generated = await client.get("/api/health")
    assert len(generated.headers["x-request-id"]) == 32
    echoed = await client.get("/api/health", headers={"X-Request-ID": "trace-123.abc"})
    assert echoed.headers["x-request-id"] == "trace-123.abc"
    # Header injection attempts are not echoed back.
    hostile = await client.get("/api/health", headers={"X-Request-ID": "a b\tc" + "x" * 200})
    assert hostile.headers["x-request-id"] != "a b\tc" + "x" * 200


async def test_security_headers_on_every_response(client: httpx.AsyncClient) -> None:
    for path in ("/api/health", "/api/nope"):
        response = await client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers  # not production


async def test_unknown_route_is_a_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/does-not-exist")
    assert response.status_code == 404
    assert response.json() == {
        "error": "NotFound",
        "detail": "No such endpoint: GET /api/does-not-exist.",
    }
    wrong_method = await client.put("/api/health")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"] == "MethodNotAllowed"


@pytest.fixture
def extra_routes_app(tmp_path: Path, embedder: Embedder) -> Any:
    """The app with routes that only tests need: a crash, an AppError, an AI endpoint."""
    settings = make_settings(
        tmp_path,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        rate_limit_per_minute=30,
        ai_rate_limit_per_minute=3,
        max_request_bytes=4096,
        cors_origins="https://app.example.com",
    )
    from careergini.core import migrate

    migrate.upgrade(settings.effective_database_url)
    app = create_app(resources=build_resources(settings, embedder=embedder))
    router = APIRouter()

    @router.get("/api/test/crash")
    async def crash() -> None:
        raise RuntimeError("secret internal detail: password=hunter2")

    @router.get("/api/test/conflict")
    async def conflict() -> None:
        raise Conflict("That already exists; pick another name.")

    @router.post("/api/test/ai", dependencies=[AIRateLimit])
    async def ai(user: CurrentUser) -> dict[str, str]:
        return {"ok": str(user.id)}

    @router.post("/api/test/echo")
    async def echo(body: dict[str, Any]) -> dict[str, int]:
        return {"keys": len(body)}

    app.include_router(router)
    return app


@pytest.fixture
async def extra_client(extra_routes_app: Any) -> Any:
    app = extra_routes_app
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("10.0.0.7", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c
        await app.state.resources.aclose()


async def test_unexpected_error_is_a_generic_500_without_internals(extra_client: Any) -> None:
    response = await extra_client.get("/api/test/crash", headers={"X-Request-ID": "rid-500"})
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "InternalError"
    assert body["request_id"] == "rid-500"
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert response.headers["x-request-id"] == "rid-500"


async def test_app_errors_render_as_class_name_and_detail(extra_client: Any) -> None:
    response = await extra_client.get("/api/test/conflict")
    assert response.status_code == 409
    assert response.json() == {
        "error": "Conflict",
        "detail": "That already exists; pick another name.",
    }


async def test_oversized_bodies_get_413_whether_declared_or_streamed(extra_client: Any) -> None:
    declared = await extra_client.post("/api/test/echo", content=b"x" * 5000)
    assert declared.status_code == 413
    assert declared.json()["error"] == "PayloadTooLarge"

    async def chunks():
        for _ in range(10):
            yield b'{"a": "' + b"y" * 1000 + b'"}'

    streamed = await extra_client.post(
        "/api/test/echo", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    small = await extra_client.post("/api/test/echo", json={"a": 1})
    assert small.status_code == 200


async def test_cors_allows_only_configured_origins(extra_client: Any) -> None:
    allowed = await extra_client.options(
        "/api/auth/login",
        headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert allowed.headers["access-control-allow-credentials"] == "true"
    refused = await extra_client.options(
        "/api/auth/login",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in refused.headers


async def test_per_ip_rate_limit_answers_429_with_retry_after(extra_client: Any) -> None:
    statuses = [(await extra_client.get("/api/test/conflict")).status_code for _ in range(30)]
    assert set(statuses) == {409}
    limited = await extra_client.get("/api/test/conflict")
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert limited.json()["error"] == "TooManyRequests"
    # Health checks are never rate limited (the orchestrator must always see them).
    assert (await extra_client.get("/api/health")).status_code == 200


async def test_ai_endpoints_have_a_per_user_budget(extra_client: Any) -> None:
    await extra_client.post(
        "/api/auth/register", json={"email": "ai@x.io", "password": "password123"}
    )
    login = await extra_client.post(
        "/api/auth/login", json={"email": "ai@x.io", "password": "password123"}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    extra_client.cookies.clear()
    for _ in range(3):
        assert (await extra_client.post("/api/test/ai", headers=headers)).status_code == 200
    limited = await extra_client.post("/api/test/ai", headers=headers)
    assert limited.status_code == 429
    assert "Retry-After" in limited.headers
    assert "3 a minute" in limited.json()["detail"]


async def test_metrics_count_requests_by_route_template(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    await client.get("/api/auth/me", headers=user["headers"])
    await client.get("/api/random/path/123")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert (
        'careergini_http_requests_total{method="GET",route="/api/auth/me",status="200"} 1.0' in text
    )
    assert 'route="unmatched"' in text
    assert "careergini_http_request_duration_seconds_bucket" in text
    assert "/api/random/path/123" not in text


async def test_isolation_needs_no_auth_header_leak_between_users(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice = await make_user()
    bob = await make_user()
    me_a = (await client.get("/api/auth/me", headers=alice["headers"])).json()
    me_b = (await client.get("/api/auth/me", headers=bob["headers"])).json()
    assert me_a["id"] == alice["id"] and me_b["id"] == bob["id"]
