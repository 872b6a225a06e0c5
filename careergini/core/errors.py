"""One error family for the whole product, rendered as ``{"error": "ClassName", "detail": "..."}``.

Every expected failure raises a subclass of :class:`AppError`; the handler in ``app.py`` turns it
into a JSON response with the class's status code. Anything else is a bug and becomes a generic 500.
"""

from __future__ import annotations

from typing import Any

from redis import exceptions as redis_exceptions
from sqlalchemy import exc as sa_exc


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


class DependencyUnavailable(Unavailable):
    """The database or the cache cannot be reached: a 503 naming it, with ``Retry-After``."""

    def __init__(self, dependency: str, *, retry_after: int = 5, detail: str | None = None) -> None:
        what = _DEPENDENCY_WORDS.get(dependency, dependency)
        super().__init__(
            detail or f"The {what} is unreachable right now. Try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
            extra={"dependency": dependency, "retry_after": retry_after},
        )
        self.dependency = dependency


_DEPENDENCY_WORDS = {"database": "database", "cache": "cache (Redis)"}
# What an outage looks like from each client library: connection refused or reset, a timeout,
# a server that is still starting. Other errors of these libraries are bugs, not outages.
_REDIS_OUTAGES: tuple[type[Exception], ...] = (
    redis_exceptions.ConnectionError,
    redis_exceptions.TimeoutError,
    redis_exceptions.BusyLoadingError,
)
_DB_OUTAGES: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
)

# The exception types the app's handler turns into a 503 (``outage_of`` names the dependency).
OUTAGE_ERRORS = _REDIS_OUTAGES + _DB_OUTAGES


def outage_of(exc: BaseException) -> str | None:
    """Name the dependency (``database`` / ``cache``) whose outage raised ``exc``, else None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _REDIS_OUTAGES):
            return "cache"
        if isinstance(current, _DB_OUTAGES):
            return "database"
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return "database"
        current = current.__cause__ or current.__context__
    return None
