"""Export everything as a zip; delete everything (rows, files, vectors, cache, telemetry)."""

from __future__ import annotations

import io
import json
import logging
import uuid
import zipfile
from pathlib import Path

import httpx
import redis
from sqlalchemy import text

from careergini.config import Settings
from careergini.core.cache import MemoryCache
from careergini.gateway.auth.lockout import pair_key
from careergini.jobs.pipeline import collection_for
from careergini.llm.accounting import CallRecord
from careergini.models import metadata
from careergini.runtime.resources import Resources
from tests.conftest import PASSWORD, UserMaker
from tests.profile.test_router import RESUME_A


async def test_export_is_a_zip_with_the_account_and_files(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    files = resources.settings.files_dir / user["id"] / "imports"
    files.mkdir(parents=True)
    (files / "resume.pdf").write_bytes(b"%PDF-1.7 test")
    response = await client.get("/api/account/export", headers=user["headers"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("account.json"))
    assert data["account"]["email"] == user["email"]
    assert data["account"]["id"] == user["id"]
    assert len(data["sessions"]) == 1
    assert "token_hash" not in json.dumps(data)
    assert archive.read("files/imports/resume.pdf") == b"%PDF-1.7 test"


async def test_export_holds_only_the_callers_data(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    alice = await make_user()
    bob = await make_user()
    (resources.settings.files_dir / alice["id"]).mkdir(parents=True)
    (resources.settings.files_dir / alice["id"] / "a.txt").write_text("alice's")
    response = await client.get("/api/account/export", headers=bob["headers"])
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["account.json"]
    assert alice["email"] not in archive.read("account.json").decode()


async def test_delete_removes_rows_files_vectors_and_cache(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    alice = await make_user()
    bob = await make_user()
    for user in (alice, bob):
        folder = resources.settings.files_dir / user["id"]
        folder.mkdir(parents=True)
        (folder / "resume.txt").write_text("text")
        await resources.cache.set(f"user:{user['id']}:profile", "cached")
        await resources.vectors.upsert(
            "profile_chunks",
            ids=[f"{user['id']}-1"],
            documents=["Python developer with FastAPI experience"],
            metadatas=[{"owner_id": user["id"]}],
        )

    response = await client.delete("/api/account", headers=alice["headers"])
    assert response.status_code == 204

    assert (await client.get("/api/auth/me", headers=alice["headers"])).status_code == 401
    login = await client.post(
        "/api/auth/login", json={"email": alice["email"], "password": PASSWORD}
    )
    assert login.status_code == 401
    assert not (resources.settings.files_dir / alice["id"]).exists()
    assert await resources.cache.get(f"user:{alice['id']}:profile") is None
    assert await resources.vectors.count("profile_chunks", where={"owner_id": alice["id"]}) == 0

    # Bob keeps everything.
    assert (await client.get("/api/auth/me", headers=bob["headers"])).status_code == 200
    assert (resources.settings.files_dir / bob["id"] / "resume.txt").exists()
    assert await resources.cache.get(f"user:{bob['id']}:profile") == b"cached"
    assert await resources.vectors.count("profile_chunks", where={"owner_id": bob["id"]}) == 1
    # The email is free again.
    again = await client.post(
        "/api/auth/register", json={"email": alice["email"], "password": PASSWORD}
    )
    assert again.status_code == 201


def _cache_keys(resources: Resources) -> list[str]:
    """Every key the app's cache holds, on either backend."""
    cache = resources.cache
    if isinstance(cache, MemoryCache):
        return list(cache._data)
    namespace = resources.settings.redis_namespace
    client = redis.Redis.from_url(resources.settings.redis_url)
    try:
        return [key.decode() for key in client.scan_iter(match=f"{namespace}*", count=1000)]
    finally:
        client.close()


def _telemetry(resources: Resources) -> str:
    folder = resources.llm.accounting.telemetry_dir
    return "".join(path.read_text() for path in sorted(folder.glob("llm-usage-*.jsonl")))


async def test_delete_leaves_no_user_id_in_cache_or_telemetry(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    alice = await make_user()
    bob = await make_user()
    posting = "Data Engineer\nCompany: Acme\n\nRequirements\n- Python and SQL\n"
    for user in (alice, bob):
        added = await client.post("/api/jobs", json={"text": posting}, headers=user["headers"])
        assert added.status_code == 201, added.text
        searched = await client.get("/api/jobs?q=python", headers=user["headers"])
        assert searched.status_code == 200, searched.text
        await resources.rate_limiter.hit("ai-user", user["id"], limit=10, window=60)
        for _ in range(3):
            resources.llm.accounting.record(
                CallRecord(role="coach", model="m", outcome="ok", user_id=user["id"])
            )
    resources.llm.accounting.record(CallRecord(role="jobs", model="m", outcome="ok"))
    wrong = await client.post(
        "/api/auth/login", json={"email": alice["email"], "password": "not-" + PASSWORD}
    )
    assert wrong.status_code == 401
    # The setup reached every kind of key: otherwise the checks below could not fail.
    keys = _cache_keys(resources)
    assert any(f"user:{alice['id']}:jobs:search:" in key for key in keys), keys
    assert any(f"rl:ai-user:{alice['id']}" in key for key in keys), keys
    # Failed logins are counted per account and address under a hash of both (no email kept).
    assert any(pair_key(alice["email"], "127.0.0.1") in key for key in keys), keys
    assert _telemetry(resources).count(alice["id"]) == 3
    alices, bobs = (collection_for(uuid.UUID(u["id"])) for u in (alice, bob))
    assert await resources.vectors.count(alices) == 1

    response = await client.delete("/api/account", headers=alice["headers"])
    assert response.status_code == 204

    keys = _cache_keys(resources)
    assert [key for key in keys if alice["id"] in key or alice["email"] in key] == []
    assert any(bob["id"] in key for key in keys)
    assert alices not in await resources.vectors.names()  # the collection itself is gone
    assert await resources.vectors.count(bobs) == 1
    lines = _telemetry(resources)
    assert alice["id"] not in lines
    assert lines.count(bob["id"]) == 3
    assert len(lines.splitlines()) == 4  # bob's three and the anonymous call
    for line in lines.splitlines():
        json.loads(line)


async def test_account_endpoints_need_a_login(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/account/export")).status_code == 401
    assert (await client.delete("/api/account")).status_code == 401


# A word no resume, posting or prompt contains: found in a file only if the user's text is there.
MARKER = "Quixbrowzelt"


def _files_holding(root: Path, needle: bytes) -> list[str]:
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    )


async def _rows_holding(resources: Resources, needle: str) -> list[str]:
    """Tables of the PostgreSQL database with a row whose text holds the needle."""
    found = []
    async with resources.engine.connect() as conn:
        for table in metadata.sorted_tables:
            count = await conn.scalar(
                text(f'SELECT count(*) FROM "{table.name}" t WHERE t::text LIKE :n'),
                {"n": f"%{needle}%"},
            )
            if count:
                found.append(table.name)
    return found


async def test_deletion_leaves_no_text_behind(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources, settings: Settings
) -> None:
    alice, bob = await make_user(), await make_user()
    resume = RESUME_A.replace("Backend engineer building", f"{MARKER} engineer building")
    for user, text_ in ((alice, resume), (bob, RESUME_A)):
        files = {"file": ("resume.txt", text_.encode(), "text/plain")}
        imported = await client.post("/api/profile/imports", files=files, headers=user["headers"])
        assert imported.status_code == 201, imported.text
    sqlite = settings.database_url.startswith("sqlite")
    if sqlite:
        # Before: the text is in the database and embedded Chroma's files (the check can fail).
        assert _files_holding(settings.data_dir.parent, MARKER.encode())
    else:
        assert await _rows_holding(resources, MARKER) == ["profile_imports"]

    assert (await client.delete("/api/account", headers=alice["headers"])).status_code == 204

    if sqlite:
        assert _files_holding(settings.data_dir.parent, MARKER.encode()) == []
    else:
        assert await _rows_holding(resources, MARKER) == []
    owned = {"owner_id": alice["id"]}
    assert await resources.vectors.count("profile_chunks", where=owned) == 0
    # Bob's profile and its vectors are untouched by the compaction.
    assert await resources.vectors.count("profile_chunks", where={"owner_id": bob["id"]}) > 0
    assert (await client.get("/api/profile", headers=bob["headers"])).status_code == 200


async def test_the_logs_name_no_deleted_user(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice = await make_user()
    root = logging.getLogger()
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(root.handlers[0].formatter)
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        assert (await client.get("/api/auth/me", headers=alice["headers"])).status_code == 200
        assert (await client.delete("/api/account", headers=alice["headers"])).status_code == 204
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert alice["id"] not in buffer.getvalue()
    deleted = [r for r in records if r["event"] == "account.deleted"]
    requests = [r for r in records if r["event"] == "request" and r["route"] == "/api/auth/me"]
    assert len(deleted) == 1 and len(requests) == 1
    # One pseudonym for the user on every line: still countable, never the id.
    assert deleted[0]["user"] == requests[0]["user"]
    assert deleted[0]["user"].startswith("u-")


async def test_the_export_holds_ai_usage_and_background_tasks(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    alice, bob = await make_user(), await make_user()
    for user in (alice, bob):
        resources.llm.accounting.record(
            CallRecord(role="coach", model="m", outcome="ok", user_id=user["id"])
        )
    response = await client.get("/api/account/export", headers=alice["headers"])
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("account.json"))
    assert [line["user_id"] for line in data["ai_usage"]] == [alice["id"]]
    assert data["background_tasks"] == {"tasks": [], "repeated_requests": []}
