"""The file store: the same behaviour from a folder and from the database (SQLite, PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from careergini.config import FileStorage
from careergini.core.db import create_engine, create_sessionmaker, session_scope
from careergini.core.storage import FileStore, StoredFile, check_key, create_file_store


@pytest.fixture(params=["local", "database"])
async def store(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> AsyncIterator[FileStore]:
    engine = create_engine(database_url)
    try:
        yield create_file_store(
            FileStorage(request.param),
            root=tmp_path / "files",
            sessionmaker=create_sessionmaker(engine),
        )
    finally:
        await engine.dispose()


async def test_put_get_replace_and_delete(store: FileStore) -> None:
    owner = uuid.uuid4()
    key = f"{owner}/imports/a.pdf"
    assert await store.get(key) is None
    await store.put(key, b"%PDF-1.7 first")
    assert await store.get(key) == b"%PDF-1.7 first"
    await store.put(key, b"\x00\xffsecond")
    assert await store.get(key) == b"\x00\xffsecond"
    await store.delete(key)
    assert await store.get(key) is None
    await store.delete(key)  # gone already: no error


async def test_a_prefix_holds_one_owner_only(store: FileStore) -> None:
    alice, bob = uuid.uuid4(), uuid.uuid4()
    # An owner whose id starts like another's, and LIKE wildcards in a name, stay apart.
    await store.put(f"{alice}/imports/1.pdf", b"a1")
    await store.put(f"{alice}/jobs/2_%.csv", b"a2")
    await store.put(f"{bob}/imports/3.pdf", b"b3")
    await store.put(f"{alice}x/imports/4.pdf", b"not alice's")
    assert await store.keys(f"{alice}/") == [f"{alice}/imports/1.pdf", f"{alice}/jobs/2_%.csv"]
    assert await store.keys(f"{alice}/j_bs/") == []
    assert await store.keys(f"{alice}/%/") == []
    with pytest.raises(ValueError, match="ends with '/'"):
        await store.keys(str(alice))
    assert await store.delete_prefix(f"{alice}/") == 2
    assert await store.keys(f"{alice}/") == []
    assert await store.get(f"{bob}/imports/3.pdf") == b"b3"
    assert await store.get(f"{alice}x/imports/4.pdf") == b"not alice's"
    assert await store.delete_prefix(f"{alice}/") == 0


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\\b", "a\x00b", "x" * 600]
)
async def test_a_key_that_could_leave_the_store_is_refused(store: FileStore, key: str) -> None:
    with pytest.raises(ValueError, match="not a storage key"):
        await store.put(key, b"x")
    with pytest.raises(ValueError, match="not a storage key"):
        await store.get(key)


def test_a_plain_key_is_accepted() -> None:
    assert check_key("0b2c/imports/x.pdf") == "0b2c/imports/x.pdf"


async def test_database_files_follow_the_callers_transaction(database_url: str) -> None:
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    store = create_file_store(
        FileStorage.DATABASE, root=Path("/nonexistent"), sessionmaker=sessionmaker
    )
    try:
        with pytest.raises(RuntimeError):
            async with session_scope(sessionmaker) as session:
                await store.put("u/imports/rolled-back.pdf", b"gone", session=session)
                assert await store.get("u/imports/rolled-back.pdf", session=session) == b"gone"
                raise RuntimeError("the request failed")
        assert await store.get("u/imports/rolled-back.pdf") is None
        async with session_scope(sessionmaker) as session:
            await store.put("u/imports/kept.pdf", b"kept", session=session)
        assert await store.get("u/imports/kept.pdf") == b"kept"
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text(f"SELECT key, size_bytes FROM {StoredFile.__tablename__}"))
            ).all()
        assert [tuple(row) for row in rows] == [("u/imports/kept.pdf", 4)]
    finally:
        await engine.dispose()
