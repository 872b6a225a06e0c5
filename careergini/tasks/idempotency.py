"""Idempotency-Key on task-creating requests: the same key and body within 24 h replay the answer.

The key is reserved inside the request's transaction before any work is done, so two requests
with one key at the same moment cannot both create a resource: the second waits for the first
transaction (PostgreSQL's unique index) or finds its row, and is told to retry (409).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, TypeVar

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import utcnow
from careergini.core.errors import Conflict
from careergini.tasks.errors import IdempotencyKeyInvalid, IdempotencyKeyReused
from careergini.tasks.models import IdempotencyRecord

KEY_TTL = timedelta(hours=24)
M = TypeVar("M", bound=BaseModel)
MAX_KEY_LENGTH = 255

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description=(
            "Any unique string (e.g. a UUID). The same key with the same body within 24 h "
            "returns the first answer again and starts no second model call; the same key with "
            "another body is a 422."
        ),
    ),
]


def request_hash(body: Any) -> str:
    """Return a stable hash of a request body (a Pydantic model or JSON-able data)."""
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Replay:
    """A reserved key: ``response`` is set when the request was answered before."""

    record: IdempotencyRecord | None
    response: JSONResponse | None = None

    def remember(self, answer: BaseModel, *, status_code: int = 200) -> None:
        """Keep the answer to replay it for the same key (no-op without a key)."""
        if self.record is None:
            return
        self.record.response = answer.model_dump(mode="json")
        self.record.status_code = status_code


@asynccontextmanager
async def idempotent(
    session: AsyncSession,
    *,
    owner_id: uuid.UUID,
    key: str | None,
    scope: str,
    body: Any,
) -> AsyncIterator[Replay]:
    """Reserve ``key`` for this request, or give the stored answer to replay.

    Inside the block, return ``replay.response`` when it is set; otherwise do the work and call
    ``replay.remember(answer)``.
    """
    if key is None:
        yield Replay(record=None)
        return
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise IdempotencyKeyInvalid(
            f"The Idempotency-Key header must be 1 to {MAX_KEY_LENGTH} characters "
            "(a UUID is a good choice)."
        )
    digest = request_hash(body)
    existing = (
        await session.exec(
            select(IdempotencyRecord).where(
                IdempotencyRecord.owner_id == owner_id,
                IdempotencyRecord.key == key,
                IdempotencyRecord.scope == scope,
            )
        )
    ).first()
    if existing is not None and existing.created_at < utcnow() - KEY_TTL:
        await session.delete(existing)
        await session.flush()
        existing = None
    if existing is not None:
        if existing.request_hash != digest:
            raise IdempotencyKeyReused(
                "This Idempotency-Key was already used with a different request body. Use a "
                "new key for a new request, or send the same body to get the first answer again."
            )
        if not existing.response:
            raise Conflict(
                "A request with this Idempotency-Key is still being processed: retry in a moment."
            )
        yield Replay(
            record=None,
            response=JSONResponse(existing.response, status_code=existing.status_code),
        )
        return
    record = IdempotencyRecord(owner_id=owner_id, key=key, scope=scope, request_hash=digest)
    try:
        async with session.begin_nested():
            session.add(record)
            await session.flush()
    except IntegrityError:
        raise Conflict(
            "A request with this Idempotency-Key is still being processed: retry in a moment."
        ) from None
    yield Replay(record=record)
    session.add(record)


async def answer_once(
    session: AsyncSession,
    *,
    owner_id: uuid.UUID,
    key: str | None,
    scope: str,
    body: Any,
    make: Callable[[], Awaitable[M]],
    status_code: int = 200,
) -> M | JSONResponse:
    """Return the stored answer for ``key`` and ``body``, or ``await make()`` and keep it."""
    async with idempotent(session, owner_id=owner_id, key=key, scope=scope, body=body) as replay:
        if replay.response is not None:
            return replay.response
        answer = await make()
        replay.remember(answer, status_code=status_code)
        return answer
