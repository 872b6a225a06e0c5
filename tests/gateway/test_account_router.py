"""Export everything as a zip; delete everything (rows, files, vectors, cache, telemetry)."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
import redis

from careergini.core.cache import MemoryCache
from careergini.llm.accounting import CallRecord
from careergini.runtime.resources import Resources
from tests.conftest import PASSWORD, UserMaker


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
    assert any(f"jobs:index:{alice['id']}" in key for key in keys), keys
    assert any(f"rl:ai-user:{alice['id']}" in key for key in keys), keys
    assert any(alice["email"] in key for key in keys), keys
    assert _telemetry(resources).count(alice["id"]) == 3
    owned = {"owner_id": alice["id"]}
    assert await resources.vectors.count("job_postings", where=owned) == 1

    response = await client.delete("/api/account", headers=alice["headers"])
    assert response.status_code == 204

    keys = _cache_keys(resources)
    assert [key for key in keys if alice["id"] in key or alice["email"] in key] == []
    assert any(bob["id"] in key for key in keys)
    assert await resources.vectors.count("job_postings", where=owned) == 0
    assert await resources.vectors.count("job_postings", where={"owner_id": bob["id"]}) == 1
    lines = _telemetry(resources)
    assert alice["id"] not in lines
    assert lines.count(bob["id"]) == 3
    assert len(lines.splitlines()) == 4  # bob's three and the anonymous call
    for line in lines.splitlines():
        json.loads(line)


async def test_account_endpoints_need_a_login(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/account/export")).status_code == 401
    assert (await client.delete("/api/account")).status_code == 401
