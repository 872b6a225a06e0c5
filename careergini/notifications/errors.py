"""The notifications domain's errors."""

from __future__ import annotations

from careergini.core.errors import InvalidInput, NotFound


class NotificationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such notification: it is not yours, or it was deleted.")


class BadUnsubscribeLink(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "This unsubscribe link is not valid (it may have been cut short by your mail "
            "program); turn the email digest off under Notifications in CareerGini instead."
        )


class UnknownSources(InvalidInput):
    def __init__(self, ids: list[str]) -> None:
        super().__init__(
            f"These are not your job sources: {', '.join(ids)}. Give ids from GET "
            "/api/jobs/sources, or an empty list for every source.",
            extra={"unknown_source_ids": ids},
        )
