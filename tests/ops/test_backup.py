"""Back up an install, wipe it, restore into an empty one, and find the same data: both stacks."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
import pytest

from careergini.app import create_app
from careergini.config import FileStorage, Settings
from careergini.core import migrate
from careergini.core.embeddings import Embedder
from careergini.jobs.pipeline import collection_for
from careergini.ops import backup, reindex
from careergini.profile.service import PROFILE_COLLECTION
from careergini.runtime.resources import Resources, build_resources
from tests.conftest import PASSWORD, UserMaker, make_settings, truncate_postgres

RESUME = """\
Jane Doe
jane.doe@example.com

Experience
Senior Software Engineer at Acme Corp (2019 - present)
- Built Python services with FastAPI and PostgreSQL
- Led the migration of 40 services to Docker and Kubernetes

Skills
Python, FastAPI, PostgreSQL, Docker, Kubernetes
"""


@asynccontextmanager
async def _serving(resources: Resources) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(resources=resources)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


POSTING = (
    "Staff Data Engineer\nCompany: Soylent Corp\nLocation: Remote\n\n"
    "Requirements\n- 8+ years of data engineering with Python and Spark\n- Airflow\n"
)


async def _state(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    profile = await client.get("/api/profile", headers=headers)
    imports = await client.get("/api/profile/imports", headers=headers)
    jobs = await client.get("/api/jobs", headers=headers)
    assert profile.status_code == imports.status_code == jobs.status_code == 200, jobs.text
    return {"profile": profile.json(), "imports": imports.json(), "jobs": jobs.json()}


async def _vectors(resources: Resources, owner: str) -> tuple[int, int]:
    where = {"owner_id": owner}
    return (
        await resources.vectors.count(PROFILE_COLLECTION, where=where),
        await resources.vectors.count(collection_for(uuid.UUID(owner))),
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _empty_install(settings: Settings, tmp_path: Path) -> Settings:
    """A second install on the same stack: its own data_dir; SQLite in a new file, PostgreSQL
    in the same (wiped) database."""
    overrides: dict[str, Any] = {
        "redis_url": settings.redis_url,
        "chroma_url": settings.chroma_url,
        "data_dir": tmp_path / "restored",
    }
    if settings.effective_database_url.startswith("sqlite"):
        overrides["database_url"] = f"sqlite:///{tmp_path / 'restored' / 'careergini.db'}"
        migrate.upgrade(overrides["database_url"])
    else:
        overrides["database_url"] = settings.database_url
        truncate_postgres(settings.database_url)
    return make_settings(tmp_path, **overrides)


async def test_backup_wipe_restore_gives_the_same_data(
    client: httpx.AsyncClient,
    make_user: UserMaker,
    resources: Resources,
    embedder: Embedder,
    tmp_path: Path,
) -> None:
    user = await make_user()
    upload = {"file": ("resume.txt", RESUME.encode(), "text/plain")}
    created = await client.post("/api/profile/imports", files=upload, headers=user["headers"])
    assert created.status_code == 201, created.text
    pasted = await client.post("/api/jobs", json={"text": POSTING}, headers=user["headers"])
    assert pasted.status_code == 201, pasted.text
    before = await _state(client, user["headers"])
    files_before = _tree(resources.settings.files_dir)
    assert files_before, "the import stored no file: nothing would test the files' copy"
    vectors_before = await _vectors(resources, user["id"])
    assert vectors_before[0] > 0 and vectors_before[1] == 1

    made = backup.create_backup(
        settings=resources.settings, destination=tmp_path / "backups", include_secret=True
    )
    manifest = backup.verify_backup(made)
    kind = "sqlite" if resources.settings.effective_database_url.startswith("sqlite") else None
    assert manifest.database == (kind or "postgresql")
    listed = {entry.path for entry in manifest.files}
    assert (backup.SQLITE_FILE if kind else backup.PGDUMP_FILE) in listed
    assert {f"files/{path}" for path in files_before} <= listed
    assert manifest.alembic_revision

    # Wipe: the vectors go (the database and files are left behind with the old install).
    await resources.vectors.delete_owner(user["id"])
    await resources.engine.dispose()
    target = _empty_install(resources.settings, tmp_path)
    assert not target.files_dir.exists()

    notes = backup.restore_backup(settings=target, source=made)
    assert notes == []
    migrate.upgrade(target.effective_database_url)
    restored = build_resources(target, embedder=embedder)
    try:
        assert await _vectors(restored, user["id"]) == (0, 0)
        done = await reindex.reindex_all(resources=restored)
        assert (done.profile_chunks, done.postings) == vectors_before
        assert await _vectors(restored, user["id"]) == vectors_before
        assert _tree(target.files_dir) == files_before
        async with _serving(restored) as again:
            login = await again.post(
                "/api/auth/login", json={"email": user["email"], "password": PASSWORD}
            )
            assert login.status_code == 200, login.text
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            assert await _state(again, headers) == before
            # A token issued before the backup still works: the same signing key.
            assert (await again.get("/api/auth/me", headers=user["headers"])).status_code == 200
    finally:
        await restored.aclose()


async def test_restore_refuses_a_damaged_backup_and_a_non_empty_install(
    make_user: UserMaker, resources: Resources, tmp_path: Path
) -> None:
    await make_user()
    (resources.settings.files_dir / "x").mkdir(parents=True)
    (resources.settings.files_dir / "x" / "a.txt").write_text("alice")
    made = backup.create_backup(settings=resources.settings, destination=tmp_path / "b")

    with pytest.raises(backup.BackupError, match="already has accounts"):
        backup.restore_backup(settings=resources.settings, source=made)

    (made / "files" / "x" / "a.txt").write_text("mallory")
    with pytest.raises(backup.BackupError, match="checksum"):
        backup.verify_backup(made)
    (made / "files" / "x" / "a.txt").write_text("alice")
    (made / "files" / "extra.txt").write_text("?")
    with pytest.raises(backup.BackupError, match="not in the manifest"):
        backup.verify_backup(made)
    (made / "files" / "extra.txt").unlink()
    (made / "files" / "x" / "a.txt").unlink()
    with pytest.raises(backup.BackupError, match="missing"):
        backup.verify_backup(made)


def test_a_backup_restores_only_into_the_same_database_kind(tmp_path: Path) -> None:
    folder = tmp_path / "careergini-20260101T000000Z"
    folder.mkdir()
    manifest = backup.Manifest(database="postgresql", alembic_revision=None, created_at="now")
    (folder / backup.MANIFEST).write_text(json.dumps(asdict(manifest)))
    settings = make_settings(tmp_path, database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate.upgrade(settings.effective_database_url)
    with pytest.raises(backup.BackupError, match="postgresql backup and the install uses sqlite"):
        backup.restore_backup(settings=settings, source=folder)
    newer = backup.Manifest(database="sqlite", alembic_revision="f00dfeed", created_at="now")
    (folder / backup.MANIFEST).write_text(json.dumps(asdict(newer)))
    with pytest.raises(backup.BackupError, match="f00dfeed, which this CareerGini"):
        backup.restore_backup(settings=settings, source=folder)
    (folder / backup.MANIFEST).write_text(json.dumps({"format": "other"}))
    with pytest.raises(backup.BackupError, match="is not careergini-backup"):
        backup.verify_backup(folder)


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    names = [f"careergini-2026010{day}T030000Z" for day in range(1, 6)]
    for name in names:
        (tmp_path / name).mkdir()
    (tmp_path / "unrelated").mkdir()
    removed = backup.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == [*names[3:], "unrelated"]


def test_pg_dump_older_than_the_server_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_database: str
) -> None:
    """A pg_dump of an older major than the server names the version to install."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pg_dump").write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    (fake / "pg_dump").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    settings = make_settings(tmp_path, database_url=postgres_database)
    with pytest.raises(backup.BackupError, match="install the client tools of version"):
        backup.create_backup(settings=settings, destination=tmp_path / "b")
    assert not any((tmp_path / "b").iterdir())


async def test_files_kept_in_the_database_come_back_with_it(
    stack: dict, embedder: Embedder, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path / "source", file_storage="database", **stack)
    source = build_resources(settings, embedder=embedder)
    try:
        async with _serving(source) as client:
            email = "db-files@example.com"
            creds = {"email": email, "password": PASSWORD}
            assert (await client.post("/api/auth/register", json=creds)).status_code == 201
            login = await client.post("/api/auth/login", json=creds)
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            upload = {"file": ("resume.txt", RESUME.encode(), "text/plain")}
            created = await client.post("/api/profile/imports", files=upload, headers=headers)
            assert created.status_code == 201, created.text
            import_id = created.json()["id"]
        assert _tree(settings.files_dir) == {}
        made = backup.create_backup(
            settings=settings, destination=tmp_path / "backups", include_secret=True
        )
    finally:
        await source.aclose()
    manifest = backup.verify_backup(made)
    assert manifest.file_storage == "database"
    assert not [e.path for e in manifest.files if e.path.startswith("files/")]

    target = _empty_install(settings, tmp_path)
    # An install keeping files on disk would not see them: refused, saying what to set.
    with pytest.raises(backup.BackupError, match="CAREERGINI_FILE_STORAGE=database"):
        backup.restore_backup(settings=target, source=made)
    target = target.model_copy(update={"file_storage": FileStorage.DATABASE})
    backup.restore_backup(settings=target, source=made)
    migrate.upgrade(target.effective_database_url)
    restored = build_resources(target, embedder=embedder)
    try:
        async with _serving(restored) as again:
            login = await again.post("/api/auth/login", json=creds)
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            reparsed = await again.post(
                f"/api/profile/imports/{import_id}/reparse", headers=headers
            )
            assert reparsed.status_code == 200, reparsed.text
            assert reparsed.json()["result"]["profile"]["basics"]["email"] == "jane.doe@example.com"
    finally:
        await restored.aclose()
