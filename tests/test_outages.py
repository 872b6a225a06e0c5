"""Outages of Redis and PostgreSQL: 503s with a reason and ``Retry-After``, never a 500, and
recovery without a restart.

Redis is a ``redis-server`` process this test starts and kills (SIGKILL) mid-run. PostgreSQL is
reached through a TCP proxy this test owns: cutting the proxy drops every open connection and
refuses new ones, which is what the app sees when the server dies (a private cluster would need
``initdb``, which refuses to run as root here).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy.engine import make_url

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.gateway.auth import service as auth_service
from careergini.runtime.resources import build_resources
from tests.conftest import PASSWORD, free_port, make_settings, truncate_postgres, wait_for

# Authenticated reads across domains: each needs PostgreSQL, none needs Redis.
READS = (
    "/api/auth/me",
    "/api/auth/sessions",
    "/api/resumes",
    "/api/analysis",
    "/api/applications",
    "/api/tasks",
    "/api/learning/roadmaps",
    "/api/interview/stories",
)


class RedisProcess:
    """A private redis-server on a free port that a test can kill and start again."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(
            lambda: bool(redis.Redis.from_url(self.url, socket_timeout=1).ping()),
            timeout=10,
            what="redis-server",
        )

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None


@dataclass
class TcpProxy:
    """Forwards 127.0.0.1:<port> to a server; ``cut()`` drops every connection and the port."""

    target_port: int
    port: int = field(default_factory=free_port)
    server: asyncio.Server | None = None
    writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.transport.abort()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.writers -= {writer, up_writer}


@dataclass
class OutageStack:
    client: httpx.AsyncClient
    redis: RedisProcess
    postgres: TcpProxy
    headers: dict[str, str]
    email: str


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisProcess]:
    server = RedisProcess(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
async def outage_stack(
    tmp_path: Path, postgres_database: str, private_redis: RedisProcess, embedder: Embedder
) -> AsyncIterator[OutageStack]:
    truncate_postgres(postgres_database)
    proxy = TcpProxy(target_port=make_url(postgres_database).port or 5432)
    await proxy.start()
    database_url = (
        make_url(postgres_database)
        .set(host="127.0.0.1", port=proxy.port)
        .render_as_string(hide_password=False)
    )
    settings = make_settings(
        tmp_path, database_url=database_url, redis_url=private_redis.url, database_pool_size=2
    )
    resources = build_resources(settings, embedder=embedder)
    app = create_app(resources=resources)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                email = "outage@example.com"
                creds = {"email": email, "password": PASSWORD}
                assert (await c.post("/api/auth/register", json=creds)).status_code == 201
                login = await c.post("/api/auth/login", json=creds)
                assert login.status_code == 200, login.text
                c.cookies.clear()
                headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
                yield OutageStack(c, private_redis, proxy, headers, email)
    finally:
        await proxy.cut()
        await resources.aclose()
        truncate_postgres(postgres_database)


async def _sweep(stack: OutageStack, paths: tuple[str, ...] = READS) -> list[httpx.Response]:
    return list(
        await asyncio.gather(*(stack.client.get(path, headers=stack.headers) for path in paths))
    )


def _assert_unavailable(response: httpx.Response, dependency: str) -> None:
    assert response.status_code == 503, (response.request.url, response.text)
    body = response.json()
    assert body["error"] == "DependencyUnavailable"
    assert body["dependency"] == dependency
    assert "unreachable" in body["detail"] or "unavailable" in body["detail"]
    assert int(response.headers["Retry-After"]) == body["retry_after"] > 0
    # Even the outage answer is a normal API answer: security headers and a request id.
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-request-id"]


async def test_redis_killed_mid_run_auth_falls_back_to_the_database(
    outage_stack: OutageStack,
) -> None:
    stack = outage_stack
    assert all(r.status_code == 200 for r in await _sweep(stack))

    stack.redis.kill()
    # Authenticated routes need only the database: the deny-list check fails to the database.
    answers = await _sweep(stack) + await _sweep(stack)
    assert [r.status_code for r in answers] == [200] * len(answers), [
        (str(r.request.url), r.text) for r in answers if r.status_code != 200
    ]
    # Login fails closed without its throttle's counters: a 503 naming the cache.
    creds = {"email": stack.email, "password": PASSWORD}
    _assert_unavailable(await stack.client.post("/api/auth/login", json=creds), "cache")
    # So does the per-user AI budget: model use stays bounded.
    tailor = await stack.client.post(
        "/api/resumes/tailor", json={"role_id": "x"}, headers=stack.headers
    )
    _assert_unavailable(tailor, "cache")
    # Logging out still works, and still ends the token, with only the database.
    second = await stack.client.post("/api/auth/refresh", json={"refresh_token": "x" * 20})
    assert second.status_code == 401
    out = await stack.client.post("/api/auth/logout", headers=stack.headers)
    assert out.status_code == 204
    assert (await stack.client.get("/api/auth/me", headers=stack.headers)).status_code == 401

    stack.redis.start()  # same port: the app reconnects on its own
    login = await stack.client.post("/api/auth/login", json=creds)
    assert login.status_code == 200, login.text
    stack.client.cookies.clear()
    stack.headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert all(r.status_code == 200 for r in await _sweep(stack))
    # The token logged out while Redis was down stays logged out once Redis is back.
    old = await stack.client.get(
        "/api/auth/me", headers={"Authorization": out.request.headers["authorization"]}
    )
    assert old.status_code == 401


async def test_postgres_cut_mid_run_is_503_with_reason_then_recovers(
    outage_stack: OutageStack,
) -> None:
    stack = outage_stack
    assert all(r.status_code == 200 for r in await _sweep(stack))

    # Cut while requests are in flight, then keep asking.
    in_flight = asyncio.gather(*(_sweep(stack) for _ in range(2)))
    await asyncio.sleep(0)
    await stack.postgres.cut()
    during = [r for batch in await in_flight for r in batch]
    assert {r.status_code for r in during} <= {200, 503}
    for response in [*await _sweep(stack), *await _sweep(stack)]:
        _assert_unavailable(response, "database")
    creds = {"email": "new@example.com", "password": PASSWORD}
    _assert_unavailable(await stack.client.post("/api/auth/register", json=creds), "database")
    ready = await stack.client.get("/api/health/ready")
    assert ready.status_code == 503

    await stack.postgres.start()  # the server is back: no restart of the app
    assert all(r.status_code == 200 for r in await _sweep(stack))
    assert (await stack.client.post("/api/auth/register", json=creds)).status_code == 201


async def test_an_unexpected_crash_is_a_500_with_the_security_headers(
    outage_stack: OutageStack, monkeypatch: Any
) -> None:
    async def crash(**_: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(auth_service, "list_active_sessions", crash)
    response = await outage_stack.client.get("/api/auth/sessions", headers=outage_stack.headers)
    assert response.status_code == 500
    assert response.json()["error"] == "InternalError"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in response.headers
    assert response.headers["cache-control"] == "no-store"
