"""Errors of the tasks domain."""

from __future__ import annotations

from careergini.core.errors import Conflict, InvalidInput, NotFound


class TaskNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such task.")


class TaskNotRetryable(Conflict):
    """Only a failed or cancelled task can run again (409)."""


class IdempotencyKeyReused(InvalidInput):
    """The same Idempotency-Key came with a different request body (422)."""


class IdempotencyKeyInvalid(InvalidInput):
    """The Idempotency-Key header is empty or too long (422)."""
