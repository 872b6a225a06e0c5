"""A LangGraph checkpointer on our own tables, so the coach's state lives in the app's database.

Same rows on SQLite and PostgreSQL, created by our migrations (no ``setup()`` at run time), and
deleted with their thread (``ON DELETE CASCADE``), hence with the account. Each checkpoint is
stored whole, serialised by LangGraph's serde; the coach keeps only the latest checkpoints of a
thread (``keep``: older ones go in the transaction that stores a new one), so rows stay few.

Async only: the coach runs the graph with ``astream``; the synchronous methods are not
implemented (the base class raises ``NotImplementedError``).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any, TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    get_checkpoint_id,
    get_checkpoint_metadata,
    writes_sort_key,
)
from sqlalchemy import and_, delete, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.agents.chat.models import ChatCheckpoint, ChatCheckpointWrite


class _CheckpointRow(TypedDict):
    """The columns of a stored checkpoint (:class:`ChatCheckpoint`) that ``aput`` writes."""

    thread_id: uuid.UUID
    checkpoint_ns: str
    checkpoint_id: str
    parent_checkpoint_id: str | None
    checkpoint_type: str
    checkpoint: bytes
    metadata_type: str
    checkpoint_metadata: bytes


def _thread(config: RunnableConfig) -> uuid.UUID:
    return uuid.UUID(str(config["configurable"]["thread_id"]))


def _ns(config: RunnableConfig) -> str:
    return str(config["configurable"].get("checkpoint_ns") or "")


def _config(thread_id: uuid.UUID, ns: str, checkpoint_id: str) -> RunnableConfig:
    return {
        "configurable": {
            "thread_id": str(thread_id),
            "checkpoint_ns": ns,
            "checkpoint_id": checkpoint_id,
        }
    }


class DatabaseSaver(BaseCheckpointSaver[int]):
    """``keep``: checkpoints kept per thread and namespace, older ones deleted in the same
    transaction as each new one (None keeps them all)."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, keep: int | None = None
    ) -> None:
        super().__init__()
        self._sessionmaker = sessionmaker
        self._keep = keep

    # --- reading ------------------------------------------------------------------------------

    async def _tuple(self, session: AsyncSession, row: ChatCheckpoint) -> CheckpointTuple:
        writes = (
            await session.exec(
                select(ChatCheckpointWrite).where(
                    ChatCheckpointWrite.thread_id == row.thread_id,
                    ChatCheckpointWrite.checkpoint_ns == row.checkpoint_ns,
                    ChatCheckpointWrite.checkpoint_id == row.checkpoint_id,
                )
            )
        ).all()
        ordered = sorted(writes, key=lambda w: writes_sort_key(w.task_path, w.task_id, w.idx))
        return CheckpointTuple(
            config=_config(row.thread_id, row.checkpoint_ns, row.checkpoint_id),
            checkpoint=self.serde.loads_typed((row.checkpoint_type, row.checkpoint)),
            metadata=self.serde.loads_typed((row.metadata_type, row.checkpoint_metadata)),
            parent_config=_config(row.thread_id, row.checkpoint_ns, row.parent_checkpoint_id)
            if row.parent_checkpoint_id
            else None,
            pending_writes=[
                (w.task_id, w.channel, self.serde.loads_typed((w.value_type, w.value)))
                for w in ordered
            ],
        )

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """Return the checkpoint the config names, or the thread's latest."""
        query = select(ChatCheckpoint).where(
            ChatCheckpoint.thread_id == _thread(config),
            ChatCheckpoint.checkpoint_ns == _ns(config),
        )
        if checkpoint_id := get_checkpoint_id(config):
            query = query.where(ChatCheckpoint.checkpoint_id == checkpoint_id)
        query = query.order_by(col(ChatCheckpoint.checkpoint_id).desc()).limit(1)
        async with self._sessionmaker() as session:
            row = (await session.exec(query)).first()
            return await self._tuple(session, row) if row is not None else None

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        """Yield checkpoints newest first, filtered by thread, metadata and ``before``."""
        query = select(ChatCheckpoint)
        if config is not None:
            query = query.where(ChatCheckpoint.thread_id == _thread(config))
            if config["configurable"].get("checkpoint_ns") is not None:
                query = query.where(ChatCheckpoint.checkpoint_ns == _ns(config))
            if checkpoint_id := get_checkpoint_id(config):
                query = query.where(ChatCheckpoint.checkpoint_id == checkpoint_id)
        if before is not None and (before_id := get_checkpoint_id(before)):
            query = query.where(col(ChatCheckpoint.checkpoint_id) < before_id)
        query = query.order_by(col(ChatCheckpoint.checkpoint_id).desc())
        async with self._sessionmaker() as session:
            rows = (await session.exec(query)).all()
            found = 0
            for row in rows:
                if limit is not None and found >= limit:
                    break
                item = await self._tuple(session, row)
                if filter and any(item.metadata.get(k) != v for k, v in filter.items()):
                    continue
                found += 1
                yield item

    # --- writing ------------------------------------------------------------------------------

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """Store a whole checkpoint (its channel values included) after its parent."""
        thread_id, ns = _thread(config), _ns(config)
        kind, payload = self.serde.dumps_typed(checkpoint)
        meta_kind, meta = self.serde.dumps_typed(get_checkpoint_metadata(config, metadata))
        values = _CheckpointRow(
            thread_id=thread_id,
            checkpoint_ns=ns,
            checkpoint_id=checkpoint["id"],
            parent_checkpoint_id=get_checkpoint_id(config),
            checkpoint_type=kind,
            checkpoint=payload,
            metadata_type=meta_kind,
            checkpoint_metadata=meta,
        )
        async with self._sessionmaker() as session:
            row = await session.get(ChatCheckpoint, (thread_id, ns, checkpoint["id"]))
            if row is None:
                session.add(ChatCheckpoint(**values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            if self._keep is not None:
                await session.flush()
                await self._delete_older(session, thread_id, ns, keep=self._keep)
            await session.commit()
        return _config(thread_id, ns, checkpoint["id"])

    async def _delete_older(
        self, session: AsyncSession, thread_id: uuid.UUID, ns: str, *, keep: int
    ) -> None:
        ids = (
            await session.exec(
                select(ChatCheckpoint.checkpoint_id)
                .where(ChatCheckpoint.thread_id == thread_id, ChatCheckpoint.checkpoint_ns == ns)
                .order_by(col(ChatCheckpoint.checkpoint_id).desc())
                .offset(keep)
            )
        ).all()
        if not ids:
            return
        for table in (ChatCheckpointWrite, ChatCheckpoint):
            await session.exec(
                delete(table).where(
                    col(table.thread_id) == thread_id,
                    col(table.checkpoint_ns) == ns,
                    col(table.checkpoint_id).in_(list(ids)),
                )
            )

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes; a regular write already stored is kept, special ones replaced."""
        if not writes:
            return
        thread_id, ns = _thread(config), _ns(config)
        checkpoint_id = str(config["configurable"]["checkpoint_id"])
        async with self._sessionmaker() as session:
            dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            for index, (channel, value) in enumerate(writes):
                kind, payload = self.serde.dumps_typed(value)
                idx = WRITES_IDX_MAP.get(channel, index)
                stmt = insert(ChatCheckpointWrite).values(
                    thread_id=thread_id,
                    checkpoint_ns=ns,
                    checkpoint_id=checkpoint_id,
                    task_id=task_id,
                    idx=idx,
                    channel=channel,
                    value_type=kind,
                    value=payload,
                    task_path=task_path,
                )
                keys = ["thread_id", "checkpoint_ns", "checkpoint_id", "task_id", "idx"]
                if idx >= 0:
                    stmt = stmt.on_conflict_do_nothing(index_elements=keys)
                else:
                    stmt = stmt.on_conflict_do_update(
                        index_elements=keys,
                        set_={
                            "channel": channel,
                            "value_type": kind,
                            "value": payload,
                            "task_path": task_path,
                        },
                    )
                await session.exec(stmt)
            await session.commit()

    # --- deleting -----------------------------------------------------------------------------

    async def adelete_thread(self, thread_id: str) -> None:
        """Delete every checkpoint and write of a thread."""
        key = uuid.UUID(str(thread_id))
        async with self._sessionmaker() as session:
            await session.exec(
                delete(ChatCheckpointWrite).where(col(ChatCheckpointWrite.thread_id) == key)
            )
            await session.exec(delete(ChatCheckpoint).where(col(ChatCheckpoint.thread_id) == key))
            await session.commit()

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Keep only each thread's latest checkpoint per namespace (or delete all of them)."""
        if strategy == "delete":
            for thread_id in thread_ids:
                await self.adelete_thread(thread_id)
            return
        if strategy != "keep_latest":
            raise ValueError(f"unknown prune strategy {strategy!r}")
        async with self._sessionmaker() as session:
            for thread_id in thread_ids:
                key = uuid.UUID(str(thread_id))
                rows = (
                    await session.exec(
                        select(ChatCheckpoint.checkpoint_ns, ChatCheckpoint.checkpoint_id)
                        .where(ChatCheckpoint.thread_id == key)
                        .order_by(col(ChatCheckpoint.checkpoint_id).desc())
                    )
                ).all()
                latest: dict[str, str] = {}
                stale: list[tuple[str, str]] = []
                for ns, checkpoint_id in rows:
                    if ns in latest:
                        stale.append((ns, checkpoint_id))
                    else:
                        latest[ns] = checkpoint_id
                if not stale:
                    continue
                for table in (ChatCheckpointWrite, ChatCheckpoint):
                    await session.exec(
                        delete(table).where(
                            and_(
                                col(table.thread_id) == key,
                                tuple_(col(table.checkpoint_ns), col(table.checkpoint_id)).in_(
                                    stale
                                ),
                            )
                        )
                    )
            await session.commit()
