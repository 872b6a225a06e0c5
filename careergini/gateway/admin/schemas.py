from __future__ import annotations

from sqlmodel import SQLModel


class StorageUse(SQLModel):
    """What the install holds, in bytes and rows (operators' screen)."""

    database_backend: str
    database_bytes: int | None
    file_storage: str
    files: int
    files_bytes: int
    vectors_backend: str
    # Embedded Chroma only: the size of its folder (a Chroma server keeps its own disk).
    vectors_bytes: int | None
    users: int
    audit_events: int
