"""Reuse deterministic answers: a response cache on the core ``Cache`` (Redis or in-process).

The key is a SHA-256 of everything that decides the answer: the model, its options, the
messages and the output schema. Only deterministic calls (temperature 0) are cached by default,
and only answers of the role's primary model (a fallback's answer is not pinned for a day).
The cache is an optimisation: when its backend fails, calls go to the model as if it missed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict

from careergini.core.cache import Cache
from careergini.core.logging import get_logger

log = get_logger(__name__)

KEY_PREFIX = "llm:v1:"


def cache_key(
    *,
    model: str,
    options: Mapping[str, Any],
    messages: Sequence[Mapping[str, Any]],
    schema: Mapping[str, Any] | None,
) -> str:
    """Return the cache key of one call."""
    canonical = json.dumps(
        {"model": model, "options": options, "messages": messages, "schema": schema},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return KEY_PREFIX + hashlib.sha256(canonical.encode()).hexdigest()


class CachedAnswer(TypedDict):
    """One stored answer: the text and which model gave it, why it stopped."""

    text: str
    model: NotRequired[str]
    done_reason: NotRequired[str | None]


class ResponseCache:
    def __init__(self, cache: Cache, *, ttl: int) -> None:
        self._cache = cache
        self.ttl = ttl

    async def get(self, key: str) -> CachedAnswer | None:
        """Return the stored answer, or None on a miss or a cache failure."""
        try:
            raw = await self._cache.get(key)
            return None if raw is None else json.loads(raw)
        except Exception as exc:  # a cache outage must not fail the call
            log.warning("llm.cache_error", op="get", error=f"{type(exc).__name__}: {exc}")
            return None

    async def set(self, key: str, value: CachedAnswer) -> None:
        """Store an answer for the TTL; failures are logged and ignored."""
        try:
            await self._cache.set(key, json.dumps(value, separators=(",", ":")), ttl=self.ttl)
        except Exception as exc:  # a cache outage must not fail the call
            log.warning("llm.cache_error", op="set", error=f"{type(exc).__name__}: {exc}")

    async def clear(self) -> int:
        """Forget every cached answer; return how many were removed."""
        return await self._cache.delete_prefix(KEY_PREFIX)
