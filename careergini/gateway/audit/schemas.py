from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import SQLModel


class AuditEventPublic(SQLModel):
    id: uuid.UUID
    at: datetime
    event: str
    user_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    ip: str | None
    request_id: str | None
    detail: dict[str, Any]


class AuditPage(SQLModel):
    events: list[AuditEventPublic]
    # Pass as ``before`` for the next (older) page; null on the last page.
    next_before: uuid.UUID | None = None
