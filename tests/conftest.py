"""Shared fixtures: the app on two real stacks, and each backing service on its own.

Stacks (the ``stack`` parameter of the ``app``/``client`` fixtures):
- ``embedded``: SQLite file, in-process cache and rate limiter, embedded Chroma;
- ``services``: PostgreSQL, Redis and a ``chroma run`` server started here on 127.0.0.1.

Service addresses come from ``CAREERGINI_TEST_POSTGRES_URL`` / ``CAREERGINI_TEST_REDIS_URL``
(defaults: the local services of this machine). When one is unreachable its tests are skipped,
unless ``CAREERGINI_TEST_REQUIRE_SERVICES=1`` (CI), where that is an error and any skip fails
the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis
from sqlalchemy.engine import make_url

from careergini.app import create_app
from careergini.config import Settings
from careergini.core import migrate
from careergini.core.embeddings import Embedder
from careergini.models import metadata
from careergini.runtime.resources import Resources, build_resources

POSTGRES_URL = os.environ.get(
    "CAREERGINI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/careergini_test"
)
REDIS_URL = os.environ.get("CAREERGINI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRE_SERVICES = os.environ.get("CAREERGINI_TEST_REQUIRE_SERVICES") == "1"
# Each run has its own database and Redis key prefix, so runs on one machine never collide;
# so has each pytest-xdist worker of a run (`make test`), being a process of its own.
RUN_ID = f"{os.getpid()}"
REDIS_NAMESPACE = f"cg-test-{RUN_ID}:"
TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-0123456789"
PASSWORD = "correct horse battery staple"


# --- skips are failures in CI -----------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped while CAREERGINI_TEST_REQUIRE_SERVICES=1: {report.longrepr}"


def _unavailable(what: str, exc: BaseException) -> None:
    message = f"{what} unavailable: {type(exc).__name__}: {exc}"
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # not up yet
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout} s")


# --- backing services -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """One real all-MiniLM-L6-v2 for the whole run, loaded once (it takes seconds), so every
    app built on it is ready at once."""
    loaded = Embedder()
    loaded.embed_sync(["warm up"])
    return loaded


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, migrated to head, dropped at the end."""
    base = make_url(POSTGRES_URL)
    name = f"{base.database or 'careergini_test'}_{RUN_ID}"
    url = base.set(database=name).render_as_string(hide_password=False)
    admin = base.set(database="postgres", drivername="postgresql")
    admin_url = admin.render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _unavailable("PostgreSQL", exc)
    migrate.upgrade(url)
    yield url
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def truncate_postgres(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        # Between tests no app runs, so a session of this database still in a transaction was
        # left by one that stopped mid-query (its event loop no longer runs it): it would hold
        # its locks and make TRUNCATE wait forever. End it, and never wait long for a lock.
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
        )
        conn.execute("SET lock_timeout = '30s'")
        conn.execute(f"TRUNCATE {tables} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "careergini.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_database")
    truncate_postgres(url)
    yield url
    truncate_postgres(url)


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        _unavailable("Redis", exc)
    return REDIS_URL


def flush_redis(url: str) -> None:
    """Delete this run's keys (only them: other runs may share the server)."""
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{REDIS_NAMESPACE}*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``chroma run`` server on 127.0.0.1, for the whole run."""
    chroma = Path(sys.executable).with_name("chroma")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "wb")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200,
            timeout=60,
            what="chroma run",
        )
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def reset_chroma_server(url: str) -> None:
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=int(url.rsplit(":", 1)[1]))
    for collection in client.list_collections():
        client.delete_collection(collection if isinstance(collection, str) else collection.name)


# --- settings, resources, app -----------------------------------------------------------------


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "test",
        "data_dir": tmp_path / "var",
        "secret_key": TEST_SECRET,
        # Port 9 (discard) on loopback: nothing listens, so the model server is "offline".
        "ollama_url": "http://127.0.0.1:9",
        "ollama_probe_timeout": 0.5,
        # Flat first-token deadlines in tests: the prompt's reading time is tested on its own
        # (tests/llm/test_watchdog.py) with the realistic double.
        "llm_prefill_tokens_per_second": 1e6,
        "log_json": True,
        "log_level": "WARNING",
        "redis_namespace": REDIS_NAMESPACE,
        # argon2id at a low cost: the suite registers about a thousand users (0.25 s each at the
        # default cost on this box); the cost itself is a setting, tested in tests/core.
        "password_hash_memory_kib": 8192,
        "password_hash_time_cost": 1,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(params=["embedded", "services"])
def stack(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[dict]:
    """Settings overrides for one whole stack, with its services cleaned around the test."""
    if request.param == "embedded":
        path = tmp_path / "careergini.db"
        shutil.copy(sqlite_template, path)
        yield {"database_url": f"sqlite:///{path}"}
        return
    db = request.getfixturevalue("postgres_database")
    cache = request.getfixturevalue("redis_url")
    chroma = request.getfixturevalue("chroma_server")
    truncate_postgres(db)
    flush_redis(cache)
    yield {"database_url": db, "redis_url": cache, "chroma_url": chroma}
    truncate_postgres(db)
    flush_redis(cache)
    reset_chroma_server(chroma)


@pytest.fixture
def settings(stack: dict, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, **stack)


@pytest.fixture
async def resources(settings: Settings, embedder: Embedder) -> AsyncIterator[Resources]:
    built = build_resources(settings, embedder=embedder)
    yield built
    await built.aclose()


@pytest.fixture
def app(resources: Resources) -> Any:
    return create_app(resources=resources)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


UserMaker = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_user(client: httpx.AsyncClient) -> UserMaker:
    """Register and log in a user; return its id, email and Bearer headers."""

    async def _make(email: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
        email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
        created = await client.post(
            "/api/auth/register", json={"email": email, "password": password}
        )
        assert created.status_code == 201, created.text
        login = await client.post("/api/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200, login.text
        # Bearer only: drop the cookies the login set, so users don't leak into each other.
        client.cookies.clear()
        token = login.json()["access_token"]
        return {
            "id": created.json()["id"],
            "email": email,
            "headers": {"Authorization": f"Bearer {token}"},
            "access_token": token,
            "refresh_token": login.cookies.get("cg_refresh"),
        }

    return _make
