"""The LLM gateway's failures, in the core ``AppError`` family.

Callers that have a degraded mode catch :class:`LLMError` (or just :class:`LLMUnavailable`);
uncaught, each renders as its status with a ``Retry-After`` where waiting helps.
"""

from __future__ import annotations

import math
from typing import Any

from careergini.core.errors import AppError, InvalidInput, Unavailable


class LLMError(AppError):
    """Base of every failure of the LLM gateway."""


class LLMUnavailable(LLMError, Unavailable):
    """The model server is down, too slow, or every model of the role is failing (503)."""

    def __init__(self, detail: str, *, retry_after: float = 30, **kwargs: Any) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        kwargs.setdefault("headers", {"Retry-After": str(self.retry_after)})
        kwargs.setdefault("extra", {"retry_after": self.retry_after})
        super().__init__(detail, **kwargs)


class LLMStreamInterrupted(LLMUnavailable):
    """The model server stopped in the middle of a streamed answer; ``partial`` holds the text."""

    def __init__(self, detail: str, *, partial: str, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.partial = partial


class LLMBusy(LLMError, Unavailable):
    """Every model slot is taken and the wait queue is full (503 with Retry-After)."""

    def __init__(self, detail: str, *, retry_after: float, **kwargs: Any) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        kwargs.setdefault("headers", {"Retry-After": str(self.retry_after)})
        kwargs.setdefault("extra", {"retry_after": self.retry_after})
        super().__init__(detail, **kwargs)


class LLMBadOutput(LLMError):
    """The model's answer did not match the expected schema, even after one repair (502)."""

    status_code = 502

    def __init__(self, detail: str, *, raw: str, errors: str, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.raw = raw
        self.errors = errors


class LLMPromptTooLong(LLMError, InvalidInput):
    """The instructions alone exceed the role's prompt budget; nothing can be trimmed (422)."""
