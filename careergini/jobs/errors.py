"""Errors of the jobs domain."""

from __future__ import annotations

from careergini.core.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge


class SourceNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such job source.")


class JobNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such job posting.")


class ApplicationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such application.")


class DuplicateSource(Conflict):
    """The user already has this source (409)."""


class SourceBusy(Conflict):
    """The source's refresh is running; it cannot be removed under it (409)."""


class DuplicateApplication(Conflict):
    """The user already tracks an application for this posting (409)."""


class InvalidSource(InvalidInput):
    """The kind or identifier of a source cannot be used (422)."""


class InvalidUpload(InvalidInput):
    """An uploaded CSV/JSON cannot be read, or lacks required columns (422)."""


class UploadTooLarge(PayloadTooLarge):
    """The uploaded file is over the size limit (413)."""


class UnreadablePosting(InvalidInput):
    """A pasted URL or text does not give a posting (422)."""


class InvalidCursor(InvalidInput):
    """A pagination cursor is malformed or belongs to another search (422)."""
