"""Work that waits for the request's transaction: queueing a refresh, removing a file.

Both happen only once the transaction has committed, never after a rollback, so a worker never
looks for a source that was not stored and a file is removed only with its row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import event
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.jobs.runtime import JobsRuntime


def after_commit(session: AsyncSession, action: Callable[[], None]) -> None:
    """Run ``action`` once the request's transaction has committed (never after a rollback)."""
    event.listen(session.sync_session, "after_commit", lambda _session: action(), once=True)


def enqueue_after_commit(session: AsyncSession, runtime: JobsRuntime, source_id: uuid.UUID) -> None:
    """Queue a refresh of the source once the transaction has committed."""
    after_commit(
        session, lambda: runtime.spawn(runtime.enqueue(source_id), name=f"enqueue-{source_id}")
    )
