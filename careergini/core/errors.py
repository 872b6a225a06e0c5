"""One error family for the whole product, rendered as ``{"error": "ClassName", "detail": "..."}``.

Every expected failure raises a subclass of :class:`AppError`; the handler in ``app.py`` turns it
into a JSON response with the class's status code. Anything else is a bug and becomes a generic 500.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every expected failure."""

    status_code: int = 400
    # Changes made in the request's transaction are committed even though this error is raised
    # (e.g. revoking a stolen token family must survive the 401 that reports it).
    keep_changes: bool = False

    def __init__(
        self,
        detail: str,
        *,
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if status_code is not None:
            self.status_code = status_code
        self.headers = headers or {}
        self.extra = extra or {}

    @property
    def name(self) -> str:
        return type(self).__name__

    def to_body(self) -> dict[str, Any]:
        return {"error": self.name, "detail": self.detail, **self.extra}


class InvalidInput(AppError):
    """The request is well-formed but its content cannot be used (422)."""

    status_code = 422


class BadRequest(AppError):
    status_code = 400


class Unauthorized(AppError):
    status_code = 401

    def __init__(self, detail: str = "Authentication required.", **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class Forbidden(AppError):
    status_code = 403


class NotFound(AppError):
    status_code = 404


class Conflict(AppError):
    status_code = 409


class PayloadTooLarge(AppError):
    status_code = 413


class UnsupportedMediaType(AppError):
    status_code = 415


class TooManyRequests(AppError):
    status_code = 429

    def __init__(self, detail: str, *, retry_after: int, **kwargs: Any) -> None:
        retry_after = max(1, int(retry_after))
        kwargs.setdefault("headers", {"Retry-After": str(retry_after)})
        kwargs.setdefault("extra", {"retry_after": retry_after})
        super().__init__(detail, **kwargs)


class Unavailable(AppError):
    """A dependency (database, model server, job board) cannot serve right now (503)."""

    status_code = 503
