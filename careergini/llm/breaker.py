"""A circuit breaker per model: stop calling a model that keeps failing, probe it again later.

Closed: calls pass; it opens after ``failure_threshold`` consecutive failures, or when at least
``min_calls`` calls in the last ``window`` seconds failed at ``error_rate`` or more. Open: calls
are refused for ``cooldown`` seconds. Half-open: one probe call passes; its success closes the
breaker, its failure opens it for another cooldown. The clock is injectable for tests.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerPolicy:
    failure_threshold: int = 5
    error_rate: float = 0.5
    window: float = 60.0
    min_calls: int = 10
    cooldown: float = 30.0


class CircuitBreaker:
    def __init__(
        self,
        policy: BreakerPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or BreakerPolicy()
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._calls: deque[tuple[float, bool]] = deque()
        self._opened_at = 0.0
        self._probe_started: float | None = None

    @property
    def state(self) -> BreakerState:
        if self._state is BreakerState.OPEN and self._cooled_down():
            return BreakerState.HALF_OPEN
        return self._state

    def _cooled_down(self) -> bool:
        return self._clock() - self._opened_at >= self.policy.cooldown

    def allow(self) -> bool:
        """Say whether a call may go to the model now (claiming the probe when half-open)."""
        now = self._clock()
        if self._state is BreakerState.CLOSED:
            return True
        if self._state is BreakerState.OPEN:
            if not self._cooled_down():
                return False
            self._state = BreakerState.HALF_OPEN
            self._probe_started = None
        # Half-open: one probe at a time; a probe that never reported (cancelled) expires.
        if self._probe_started is None or now - self._probe_started >= self.policy.cooldown:
            self._probe_started = now
            return True
        return False

    def retry_after(self) -> float:
        """Return the seconds until the breaker lets a probe through (0 when closed)."""
        if self._state is BreakerState.CLOSED:
            return 0.0
        return max(0.0, self.policy.cooldown - (self._clock() - self._opened_at))

    def record_success(self) -> None:
        if self._state is not BreakerState.CLOSED:
            self._reset()
            return
        self._consecutive = 0
        self._remember(ok=True)

    def record_failure(self) -> None:
        if self._state is not BreakerState.CLOSED:
            self._open()
            return
        self._consecutive += 1
        self._remember(ok=False)
        failures = sum(1 for _, ok in self._calls if not ok)
        if self._consecutive >= self.policy.failure_threshold or (
            len(self._calls) >= self.policy.min_calls
            and failures / len(self._calls) >= self.policy.error_rate
        ):
            self._open()

    def trip(self) -> None:
        """Open now, whatever the counts (the server was found stalled)."""
        self._open()

    def reset(self) -> None:
        """Close now (the server answers again)."""
        self._reset()

    def _remember(self, *, ok: bool) -> None:
        now = self._clock()
        self._calls.append((now, ok))
        while self._calls and self._calls[0][0] < now - self.policy.window:
            self._calls.popleft()

    def _open(self) -> None:
        self._state = BreakerState.OPEN
        self._opened_at = self._clock()
        self._probe_started = None
        self._consecutive = 0
        self._calls.clear()

    def _reset(self) -> None:
        self._state = BreakerState.CLOSED
        self._probe_started = None
        self._consecutive = 0
        self._calls.clear()
