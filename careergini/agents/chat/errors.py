"""The chat's expected failures, in the core ``AppError`` family."""

from __future__ import annotations

from careergini.core.errors import Conflict, InvalidInput, NotFound, Unavailable


class ThreadNotFound(NotFound):
    """No such thread for this user (another user's thread is not found either) (404)."""

    def __init__(self) -> None:
        super().__init__("No such chat thread. List yours with GET /api/chat/threads.")


class TurnInProgress(Conflict):
    """The coach is still answering the previous message of this thread (409)."""

    def __init__(self) -> None:
        super().__init__(
            "The coach is still answering your previous message in this thread. Wait for it, or "
            "cancel it with POST /api/chat/threads/{id}/cancel."
        )


class CoachBusy(Unavailable):
    """Too many answers are being generated at once (503 with Retry-After)."""

    def __init__(self, active: int, retry_after: int = 5) -> None:
        super().__init__(
            f"The coach is answering {active} messages already. Try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
            extra={"retry_after": retry_after},
        )


class MessageTooLong(InvalidInput):
    """The message is over the configured length (422)."""
