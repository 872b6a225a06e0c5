"""Uploaded and generated files behind one interface, chosen by ``CAREERGINI_FILE_STORAGE``.

- ``local`` (the embedded default): files under ``<data_dir>/files``, seen by one machine only.
- ``database``: the bytes in the app's own database (table ``stored_files``), so every replica
  reads what any replica wrote, and the database backup holds them too.

A key is a relative path whose first segment is the owner (``<owner_id>/imports/<id>.pdf``), so
``delete_prefix(f"{owner_id}/")`` removes everything one user has. Every call takes the caller's
session when there is one: on the database backend the file then commits or rolls back with the
rows that name it (and SQLite never sees two writers from one request).
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Protocol

import anyio.to_thread
from sqlalchemy import LargeBinary, delete
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.config import FileStorage
from careergini.core.db import created_at_field, session_scope

MAX_KEY_CHARS = 512


class StoredFile(SQLModel, table=True):
    """One file's bytes, for the ``database`` backend."""

    __tablename__ = "stored_files"

    key: str = Field(primary_key=True, max_length=MAX_KEY_CHARS)
    data: bytes = Field(sa_type=LargeBinary, nullable=False)
    size_bytes: int = Field(ge=0)
    created_at: datetime = created_at_field()


def check_key(key: str) -> str:
    """Return the key if it is a plain relative path (no ``..``, no leading ``/``), else raise."""
    path = PurePosixPath(key)
    if (
        not key
        or len(key) > MAX_KEY_CHARS
        or path.is_absolute()
        or "\\" in key
        or "\x00" in key
        or any(part in ("", ".", "..") for part in key.split("/"))
    ):
        raise ValueError(f"not a storage key: {key!r}")
    return key


def _check_prefix(prefix: str) -> str:
    if not prefix.endswith("/"):
        raise ValueError(f"a prefix names a folder and ends with '/': {prefix!r}")
    check_key(prefix[:-1])
    return prefix


class FileStore(Protocol):
    backend: str

    async def put(self, key: str, data: bytes, *, session: AsyncSession | None = None) -> None:
        """Store the bytes under the key, replacing what was there."""
        ...

    async def get(self, key: str, *, session: AsyncSession | None = None) -> bytes | None:
        """Return the bytes under the key, or None if there are none."""
        ...

    async def delete(self, key: str, *, session: AsyncSession | None = None) -> None:
        """Remove the key (no error if it is gone)."""
        ...

    async def delete_prefix(self, prefix: str, *, session: AsyncSession | None = None) -> int:
        """Remove every key under the folder ``prefix`` (ending in ``/``); return how many."""
        ...

    async def keys(self, prefix: str, *, session: AsyncSession | None = None) -> list[str]:
        """Return every key under the folder ``prefix`` (ending in ``/``), sorted."""
        ...


class LocalFileStore:
    """Files in one folder of this machine: the embedded default."""

    backend = FileStorage.LOCAL.value

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def _write(self, key: str, data: bytes) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        partial.replace(path)

    def _read(self, key: str) -> bytes | None:
        path = self.path(key)
        return path.read_bytes() if path.is_file() else None

    def _remove_tree(self, prefix: str) -> int:
        folder = self.root / _check_prefix(prefix)
        if not folder.is_dir():
            return 0
        count = sum(1 for path in folder.rglob("*") if path.is_file())
        shutil.rmtree(folder, ignore_errors=True)
        return count

    def _list(self, prefix: str) -> list[str]:
        folder = self.root / _check_prefix(prefix)
        if not folder.is_dir():
            return []
        return sorted(
            path.relative_to(self.root).as_posix()
            for path in folder.rglob("*")
            if path.is_file() and not path.name.endswith(".partial")
        )

    async def put(self, key: str, data: bytes, *, session: AsyncSession | None = None) -> None:
        await anyio.to_thread.run_sync(self._write, key, data)

    async def get(self, key: str, *, session: AsyncSession | None = None) -> bytes | None:
        return await anyio.to_thread.run_sync(self._read, key)

    async def delete(self, key: str, *, session: AsyncSession | None = None) -> None:
        self.path(key).unlink(missing_ok=True)

    async def delete_prefix(self, prefix: str, *, session: AsyncSession | None = None) -> int:
        return await anyio.to_thread.run_sync(self._remove_tree, prefix)

    async def keys(self, prefix: str, *, session: AsyncSession | None = None) -> list[str]:
        return await anyio.to_thread.run_sync(self._list, prefix)


class DatabaseFileStore:
    """Files as rows of the app's database: every replica sees them, backups include them."""

    backend = FileStorage.DATABASE.value

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    @asynccontextmanager
    async def _session(self, session: AsyncSession | None) -> AsyncIterator[AsyncSession]:
        if session is not None:
            yield session
            return
        async with session_scope(self._sessionmaker) as own:
            yield own

    async def put(self, key: str, data: bytes, *, session: AsyncSession | None = None) -> None:
        check_key(key)
        async with self._session(session) as db:
            row = await db.get(StoredFile, key)
            if row is None:
                db.add(StoredFile(key=key, data=data, size_bytes=len(data)))
            else:
                row.data, row.size_bytes = data, len(data)
                db.add(row)
            await db.flush()

    async def get(self, key: str, *, session: AsyncSession | None = None) -> bytes | None:
        check_key(key)
        async with self._session(session) as db:
            data = (await db.exec(select(StoredFile.data).where(StoredFile.key == key))).first()
            return None if data is None else bytes(data)

    async def delete(self, key: str, *, session: AsyncSession | None = None) -> None:
        check_key(key)
        async with self._session(session) as db:
            await db.exec(delete(StoredFile).where(col(StoredFile.key) == key))

    async def delete_prefix(self, prefix: str, *, session: AsyncSession | None = None) -> int:
        _check_prefix(prefix)
        async with self._session(session) as db:
            result = await db.exec(
                delete(StoredFile).where(col(StoredFile.key).startswith(prefix, autoescape=True))
            )
            return int(result.rowcount or 0)

    async def keys(self, prefix: str, *, session: AsyncSession | None = None) -> list[str]:
        _check_prefix(prefix)
        async with self._session(session) as db:
            rows = await db.exec(
                select(StoredFile.key)
                .where(col(StoredFile.key).startswith(prefix, autoescape=True))
                .order_by(col(StoredFile.key))
            )
            return list(rows.all())


def create_file_store(
    storage: FileStorage, *, root: Path, sessionmaker: async_sessionmaker[AsyncSession]
) -> FileStore:
    """Return the file store the settings choose."""
    if storage is FileStorage.DATABASE:
        return DatabaseFileStore(sessionmaker)
    return LocalFileStore(root)
