"""Two app replicas on one PostgreSQL, Redis and Chroma: what one stores, the other reads.

Two real ``careergini serve`` processes (as two containers of the compose stack would run) with
``CAREERGINI_FILE_STORAGE=database``: a resume imported through one is reparsed, exported and
deleted through the other, an account made on one is erased through the other, and the coach's
one-answer-per-thread lock holds across both (the model is the Ollama double, slowed down).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.agents.chat_support import parse_sse
from tests.conftest import (
    PASSWORD,
    REDIS_NAMESPACE,
    flush_redis,
    free_port,
    reset_chroma_server,
    truncate_postgres,
)
from tests.doubles.ollama import OllamaDouble, Reply
from tests.llm.conftest import ALL_MODELS
from tests.profile.test_router import RESUME_A

ROOT = Path(__file__).resolve().parents[1]
# 40 words at 5 a second: the answer runs for about 8 s, time to try the other replica.
SLOW_ANSWER = " ".join(["Your profile shows steady backend work."] * 8)


def _script(body: dict[str, Any]) -> Reply | str:
    if body.get("format"):  # the coach's routing call
        return json.dumps({"agents": []})
    return Reply(SLOW_ANSWER, tokens_per_second=5)


@dataclass
class Replicas:
    a: str
    b: str
    database_url: str
    ollama: OllamaDouble


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the app exited: {log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within 240 s: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def replicas(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_database: str,
    redis_url: str,
    chroma_server: str,
) -> Iterator[Replicas]:
    truncate_postgres(postgres_database)
    flush_redis(redis_url)
    root = tmp_path_factory.mktemp("replicas")
    secret = "replicas-test-secret-" + uuid.uuid4().hex
    processes: list[subprocess.Popen[bytes]] = []
    with OllamaDouble(ALL_MODELS, script=_script) as ollama:
        urls = []
        try:
            for name in ("a", "b"):
                port = free_port()
                env = {
                    **os.environ,
                    "CAREERGINI_ENV": "test",
                    "CAREERGINI_PASSWORD_HASH_MEMORY_KIB": "8192",
                    "CAREERGINI_PASSWORD_HASH_TIME_COST": "1",
                    # Each replica has its own disk: nothing may be shared through it.
                    "CAREERGINI_DATA_DIR": str(root / name),
                    "CAREERGINI_SECRET_KEY": secret,
                    "CAREERGINI_DATABASE_URL": postgres_database,
                    "CAREERGINI_REDIS_URL": redis_url,
                    "CAREERGINI_REDIS_NAMESPACE": REDIS_NAMESPACE,
                    "CAREERGINI_CHROMA_URL": chroma_server,
                    "CAREERGINI_FILE_STORAGE": "database",
                    "CAREERGINI_OLLAMA_URL": ollama.url,
                    "CAREERGINI_LOG_LEVEL": "WARNING",
                    "CAREERGINI_RATE_LIMIT_PER_MINUTE": "100000",
                    "CAREERGINI_AI_RATE_LIMIT_PER_MINUTE": "1000",
                }
                log = root / f"{name}.log"
                process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "careergini.cli",
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=log.open("ab"),
                )
                processes.append(process)
                urls.append((f"http://127.0.0.1:{port}", process, log))
            for url, process, log in urls:
                _wait_ready(url, process, log)
            yield Replicas(
                a=urls[0][0], b=urls[1][0], database_url=postgres_database, ollama=ollama
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
            truncate_postgres(postgres_database)
            flush_redis(redis_url)
            reset_chroma_server(chroma_server)


def _stored_keys(database_url: str) -> list[str]:
    plain = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(plain.render_as_string(hide_password=False)) as conn:
        return [row[0] for row in conn.execute("SELECT key FROM stored_files ORDER BY key")]


def _user(base: str) -> dict[str, Any]:
    creds = {"email": f"replica-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD}
    created = httpx.post(f"{base}/api/auth/register", json=creds, timeout=30)
    assert created.status_code == 201, created.text
    login = httpx.post(f"{base}/api/auth/login", json=creds, timeout=30)
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    return {"id": created.json()["id"], "headers": {"Authorization": f"Bearer {token}"}}


def _import(base: str, user: dict[str, Any]) -> str:
    files = {"file": ("resume.txt", RESUME_A.encode(), "text/plain")}
    created = httpx.post(
        f"{base}/api/profile/imports", files=files, headers=user["headers"], timeout=60
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_a_resume_imported_on_one_replica_is_used_on_the_other(replicas: Replicas) -> None:
    a, b = replicas.a, replicas.b
    user = _user(a)
    import_id = _import(a, user)
    key = f"{user['id']}/imports/{import_id}.txt"
    assert key in _stored_keys(replicas.database_url)

    reparsed = httpx.post(
        f"{b}/api/profile/imports/{import_id}/reparse", headers=user["headers"], timeout=60
    )
    assert reparsed.status_code == 200, reparsed.text
    assert reparsed.json()["result"]["profile"]["basics"]["email"] == "jane.doe@example.com"

    export = httpx.get(f"{b}/api/account/export", headers=user["headers"], timeout=60)
    assert export.status_code == 200, export.text
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    assert archive.read(f"files/imports/{import_id}.txt") == RESUME_A.encode()

    deleted = httpx.delete(
        f"{b}/api/profile/imports/{import_id}", headers=user["headers"], timeout=60
    )
    assert deleted.status_code == 204
    assert key not in _stored_keys(replicas.database_url)
    gone = httpx.get(f"{a}/api/profile/imports/{import_id}", headers=user["headers"], timeout=30)
    assert gone.status_code == 404


def test_an_account_made_on_one_replica_is_erased_through_the_other(replicas: Replicas) -> None:
    user, other = _user(replicas.a), _user(replicas.a)
    _import(replicas.a, user)
    _import(replicas.a, other)
    deleted = httpx.delete(f"{replicas.b}/api/account", headers=user["headers"], timeout=60)
    assert deleted.status_code == 204
    keys = _stored_keys(replicas.database_url)
    assert [k for k in keys if k.startswith(user["id"])] == []
    assert len([k for k in keys if k.startswith(other["id"])]) == 1
    me = httpx.get(f"{replicas.a}/api/auth/me", headers=user["headers"], timeout=30)
    assert me.status_code == 401


async def _answer(
    client: httpx.AsyncClient, base: str, user: dict[str, Any], thread: str, started: asyncio.Event
) -> str:
    """Send a message and read the answer to its end; return the final status."""
    async with client.stream(
        "POST",
        f"{base}/api/chat/threads/{thread}/messages",
        json={"content": "Tell me about my profile"},
        headers=user["headers"],
    ) as response:
        assert response.status_code == 200, await response.aread()
        block: list[str] = []
        async for line in response.aiter_lines():
            if line:
                block.append(line)
                continue
            events, _ = parse_sse([*block, ""])
            block = []
            for name, data in events:
                started.set()
                if name == "done":
                    return str(data["status"])
    raise AssertionError("the answer ended without a done event")


async def test_the_coach_answers_once_per_thread_across_replicas(replicas: Replicas) -> None:
    a, b = replicas.a, replicas.b
    user = _user(a)
    _import(a, user)
    async with httpx.AsyncClient(timeout=120) as client:
        created = await client.post(f"{a}/api/chat/threads", json={}, headers=user["headers"])
        assert created.status_code == 201, created.text
        thread = created.json()["id"]
        started = asyncio.Event()
        answering = asyncio.create_task(_answer(client, a, user, thread, started))
        await asyncio.wait_for(started.wait(), timeout=60)

        second = await client.post(
            f"{b}/api/chat/threads/{thread}/messages",
            json={"content": "And my skills?"},
            headers=user["headers"],
        )
        assert second.status_code == 409, second.text
        assert second.json()["error"] == "TurnInProgress"

        # Stopped through the other replica (the cancel flag in Redis), the lease goes with it.
        cancelled = await client.post(
            f"{b}/api/chat/threads/{thread}/cancel", headers=user["headers"]
        )
        assert cancelled.status_code in (200, 202), cancelled.text
        assert await asyncio.wait_for(answering, timeout=60) == "interrupted"

        again = asyncio.Event()
        assert await _answer(client, b, user, thread, again) == "complete"
