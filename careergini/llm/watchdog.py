"""Tell a slow model from a stalled one, and stop waiting on a stalled one.

A 7B model on a CPU box reads a long prompt for a minute before its first byte and then writes a
few tokens a second: silence alone says nothing. So when a call has been silent for
``llm_stall_seconds``, the watchdog asks the server for one token of a tiny prompt, on a model
that has no call of ours running (Ollama runs each loaded model on its own): an answer means the
server is alive and the silent call is just slow; no answer within ``llm_probe_timeout`` means
the server is stalled (the connection is open, nothing comes). Then every call waiting on it
stops at once, new calls are refused with a 503 (the deterministic path answers), and probes
continue until one answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ollama import AsyncClient

from careergini.core.logging import get_logger

log = get_logger(__name__)

PROBE_PROMPT = "Reply with the single word OK."


@dataclass(eq=False)
class Flight:
    """One call on the wire: when it started, when its last byte came, how to stop it."""

    model: str
    started: float
    last_byte: float
    timeout: asyncio.Timeout | None = None
    stalled: bool = False

    def touch(self) -> None:
        self.last_byte = time.monotonic()

    def abort(self) -> None:
        """End the call's current read now (it raises TimeoutError, seen as a stall)."""
        self.stalled = True
        if self.timeout is not None:
            with contextlib.suppress(RuntimeError):
                self.timeout.reschedule(asyncio.get_running_loop().time())


@dataclass
class StallState:
    stalled: bool = False
    since: float | None = None
    last_probe: float | None = None
    last_probe_ok: bool | None = None
    detail: str = ""
    probes: int = 0


class StallWatch:
    """Watches the calls in flight; probes the server when one goes silent."""

    def __init__(
        self,
        *,
        client: AsyncClient,
        models: Callable[[], Iterable[str]],
        stall_seconds: float,
        probe_timeout: float,
        interval: float,
        on_stall: Callable[[], None],
        on_recover: Callable[[], None],
    ) -> None:
        self._client = client
        self._models = models
        self.stall_seconds = stall_seconds
        self.probe_timeout = probe_timeout
        self.interval = interval
        self._on_stall = on_stall
        self._on_recover = on_recover
        self.flights: set[Flight] = set()
        self.state = StallState()
        self._task: asyncio.Task[None] | None = None
        self._probing = False

    # --- calls ---------------------------------------------------------------------------

    def begin(self, model: str) -> Flight:
        now = time.monotonic()
        flight = Flight(model=model, started=now, last_byte=now)
        self.flights.add(flight)
        self._ensure_running()
        return flight

    def end(self, flight: Flight) -> None:
        self.flights.discard(flight)

    @property
    def stalled(self) -> bool:
        return self.state.stalled

    # --- the loop ------------------------------------------------------------------------

    def _ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="llm.watchdog")

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("llm.watchdog_error")
            if not self.flights and not self.state.stalled:
                self._task = None
                return  # idle: the next call starts the loop again

    async def tick(self) -> None:
        """Probe when a call went silent (or while stalled); act on the answer."""
        now = time.monotonic()
        silent = [f for f in self.flights if now - f.last_byte >= self.stall_seconds]
        due = self.state.stalled and (
            self.state.last_probe is None or now - self.state.last_probe >= self.stall_seconds
        )
        if (silent or due) and not self._probing:
            await self.probe(busy={f.model for f in self.flights})

    async def probe(self, *, busy: set[str] | None = None) -> bool:
        """Ask for one token on an idle model; record whether the server answered in time."""
        self._probing = True
        try:
            answered = await self._probe_once(busy or set())
        finally:
            self._probing = False
        self.state.last_probe = time.monotonic()
        self.state.last_probe_ok = answered
        self.state.probes += 1
        if answered and self.state.stalled:
            log.warning(
                "llm.recovered", after_seconds=round(time.monotonic() - (self.state.since or 0))
            )
            self.state = StallState(last_probe=self.state.last_probe, last_probe_ok=True)
            self._on_recover()
        elif not answered and not self.state.stalled:
            self.state.stalled = True
            self.state.since = time.monotonic()
            self.state.detail = (
                f"The model server accepted a request but sent nothing for "
                f"{self.stall_seconds:g} s, and a one-token test got no answer within "
                f"{self.probe_timeout:g} s: it is stalled."
            )
            log.warning("llm.stalled", calls_in_flight=len(self.flights))
            for flight in list(self.flights):
                flight.abort()
            self._on_stall()
        return answered

    async def _probe_once(self, busy: set[str]) -> bool:
        models = list(dict.fromkeys(self._models()))
        idle = [m for m in models if m not in busy] or models
        if not idle:
            return True
        try:
            async with asyncio.timeout(self.probe_timeout):
                stream = await self._client.generate(
                    model=idle[0],
                    prompt=PROBE_PROMPT,
                    stream=True,
                    options={"num_predict": 1, "temperature": 0},
                )
                async for _ in stream:
                    return True  # any byte of an answer: the server is alive
                return True
        except TimeoutError:
            return False
        except Exception:
            # Refused, unknown model, an error answer: a server that answers is not stalled
            # (being down is the connection errors' business).
            return True

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
            self._task = None


@dataclass
class PrefillRates:
    """Prompt tokens a second each model really read (a moving average of finished calls)."""

    rates: dict[str, float] = field(default_factory=dict)

    def observe(self, model: str, tokens: int, seconds: float) -> None:
        if tokens < 32 or seconds <= 0:
            return  # too small to say anything
        rate = tokens / seconds
        old = self.rates.get(model)
        self.rates[model] = rate if old is None else 0.7 * old + 0.3 * rate

    def rate(self, model: str, configured: float) -> float:
        """The slower of the configured and the measured rate: deadlines err on the long side."""
        measured = self.rates.get(model)
        return configured if measured is None else min(configured, measured)
