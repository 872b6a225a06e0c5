"""The circuit breaker's states, on an injected clock."""

from __future__ import annotations

from careergini.llm.breaker import BreakerPolicy, BreakerState, CircuitBreaker
from tests.llm.conftest import FakeClock


def breaker(clock: FakeClock, **policy: float) -> CircuitBreaker:
    return CircuitBreaker(BreakerPolicy(**policy), clock=clock)  # type: ignore[arg-type]


def test_five_consecutive_failures_open_it() -> None:
    clock = FakeClock()
    b = breaker(clock)
    for _ in range(4):
        b.record_failure()
    assert b.state is BreakerState.CLOSED and b.allow()
    b.record_failure()
    assert b.state is BreakerState.OPEN and not b.allow()
    assert b.retry_after() == 30


def test_a_success_resets_the_consecutive_count() -> None:
    b = breaker(FakeClock())
    for _ in range(4):
        b.record_failure()
    b.record_success()
    for _ in range(4):
        b.record_failure()
    assert b.state is BreakerState.CLOSED


def test_half_the_calls_failing_over_the_window_opens_it() -> None:
    clock = FakeClock()
    b = breaker(clock)
    for _ in range(4):  # alternate: never 5 in a row, but 50% errors
        b.record_success()
        clock.advance(1)
        b.record_failure()
        clock.advance(1)
    assert b.state is BreakerState.CLOSED  # 8 calls: below the minimum volume of 10
    b.record_success()
    b.record_failure()
    assert b.state is BreakerState.OPEN


def test_old_calls_leave_the_window() -> None:
    clock = FakeClock()
    b = breaker(clock, window=60)
    for _ in range(4):
        b.record_failure()
        b.record_success()
    clock.advance(61)
    for _ in range(6):
        b.record_success()
    b.record_failure()
    assert b.state is BreakerState.CLOSED  # 1 failure in 7 recent calls


def test_after_the_cooldown_one_probe_passes_and_its_success_closes() -> None:
    clock = FakeClock()
    b = breaker(clock)
    for _ in range(5):
        b.record_failure()
    clock.advance(29.9)
    assert not b.allow()
    clock.advance(0.1)
    assert b.state is BreakerState.HALF_OPEN
    assert b.allow() is True
    assert b.allow() is False  # only one probe at a time
    b.record_success()
    assert b.state is BreakerState.CLOSED and b.allow() and b.retry_after() == 0


def test_a_failed_probe_opens_it_for_another_cooldown() -> None:
    clock = FakeClock()
    b = breaker(clock)
    for _ in range(5):
        b.record_failure()
    clock.advance(30)
    assert b.allow()
    b.record_failure()
    assert b.state is BreakerState.OPEN and not b.allow()
    clock.advance(30)
    assert b.allow()


def test_a_probe_that_never_reports_expires() -> None:
    clock = FakeClock()
    b = breaker(clock)
    for _ in range(5):
        b.record_failure()
    clock.advance(30)
    assert b.allow()  # claimed, then the caller was cancelled
    clock.advance(30)
    assert b.allow()
