"""The one way the product talks to the model server (Ollama).

``await llm.complete(role, messages, schema)`` and ``llm.stream(role, messages)`` route the role
to its model (``models/models.yaml``), trim the context to the role's budget, wait for a model
slot in a bounded queue, call Ollama with timeouts (connect, first token, total), retry
connection errors and 5xx with jitter (non-streaming only), fall back to the role's second
model when the first is missing, times out or has its circuit breaker open, validate structured
output (one repair round), cache deterministic answers and account for every call.

Failures are :class:`LLMError` subclasses: ``LLMUnavailable`` (degraded mode), ``LLMBusy``,
``LLMBadOutput``, ``LLMPromptTooLong``. A streamed answer must be closed when abandoned::

    async with contextlib.aclosing(llm.stream("learning", messages)) as events:
        async for event in events: ...
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import httpx
from ollama import AsyncClient, ResponseError
from pydantic import BaseModel, ValidationError

from careergini.config import Settings
from careergini.core.cache import Cache
from careergini.core.logging import get_logger
from careergini.core.metrics import Metrics
from careergini.llm.accounting import Accountant, CallRecord
from careergini.llm.breaker import BreakerPolicy, BreakerState, CircuitBreaker
from careergini.llm.budget import TrimReport, fit_messages
from careergini.llm.cache import CachedAnswer, ResponseCache, cache_key
from careergini.llm.config import LLMConfig, Route, load_config
from careergini.llm.errors import (
    LLMBadOutput,
    LLMError,
    LLMStreamInterrupted,
    LLMUnavailable,
)
from careergini.llm.limiter import SlotLimiter
from careergini.llm.prompts import (
    DATA_RULE,
    OUTPUT_REPAIR,
    Prompt,
    has_data_block,
    wrap_untrusted,
)
from careergini.llm.schemas import Completion, StreamEvent, UsageReport
from careergini.llm.watchdog import PrefillRates, StallWatch

log = get_logger(__name__)

T = TypeVar("T", bound=BaseModel)
_ROLES = {"system", "user", "assistant", "tool"}
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
FailureKind = Literal["connect", "server", "dropped", "timeout", "missing", "rejected", "stalled"]
# Failures worth another attempt at the same model, and failures the fallback model may avoid.
_RETRYABLE = {"connect", "server", "dropped"}
_FALLBACK = {"server", "dropped", "timeout", "missing"}


class _Failure(Exception):
    def __init__(self, kind: FailureKind, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.tries = 1


@dataclass(frozen=True)
class LLMProgress:
    """How far one model call is: what a background task shows while it waits."""

    # waiting (for a model slot) | reading (the prompt, before the first token) | writing
    stage: str
    tokens: int = 0
    # The most tokens the answer may have (the role's num_predict): a ceiling for a percentage.
    max_tokens: int = 0

    @property
    def percent(self) -> float | None:
        if self.stage != "writing" or not self.max_tokens:
            return None
        return min(99.0, 100.0 * self.tokens / self.max_tokens)


ProgressCallback = Callable[[LLMProgress], Awaitable[None]]


@dataclass
class _Request:
    messages: list[dict[str, str]]
    options: dict[str, Any]
    keep_alive: str | float | None
    format: dict[str, Any] | None
    trim: TrimReport
    progress: ProgressCallback | None = None

    async def report(self, stage: str, tokens: int = 0) -> None:
        if self.progress is not None:
            limit = int(self.options.get("num_predict") or 0)
            await self.progress(LLMProgress(stage=stage, tokens=tokens, max_tokens=limit))


@dataclass
class _Attempt:
    """What one call to one model produced (filled as chunks arrive)."""

    model: str
    pieces: list[str] = field(default_factory=list)
    first_token_at: float | None = None
    done: bool = False
    done_reason: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    eval_seconds: float | None = None

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def tokens_per_second(self, now: float) -> float | None:
        seconds = self.eval_seconds
        if not seconds and self.first_token_at is not None:
            seconds = now - self.first_token_at
        return round(self.completion_tokens / seconds, 2) if seconds else None


@dataclass
class _Outcome:
    attempt: _Attempt
    fallback_used: bool
    attempts: int
    extra_prompt_tokens: int = 0
    extra_completion_tokens: int = 0


def _normalize(messages: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    if not messages:
        raise ValueError("an LLM call needs at least one message")
    normalized = []
    for message in messages:
        role = str(message.get("role", ""))
        if role not in _ROLES:
            raise ValueError(f"message role must be one of {sorted(_ROLES)}, not {role!r}")
        normalized.append({"role": role, "content": str(message.get("content") or "")})
    return normalized


def _with_data_rule(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Make sure a call that carries ``<data>`` blocks tells the model they are data only."""
    if not any(has_data_block(m["content"]) for m in messages):
        return messages
    if any(m["role"] == "system" and DATA_RULE in m["content"] for m in messages):
        return messages
    if messages[0]["role"] == "system":
        first = {**messages[0], "content": messages[0]["content"].rstrip() + "\n\n" + DATA_RULE}
        return [first, *messages[1:]]
    return [{"role": "system", "content": DATA_RULE}, *messages]


def _validation_summary(exc: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(p) for p in error['loc']) or '(root)'}: {error['msg']}"
        for error in exc.errors()[:8]
    ]
    return "; ".join(problems)


def parse_structured(schema: type[T], text: str) -> T:
    """Validate a JSON answer against the schema (a ```json fence around it is tolerated)."""
    fenced = _FENCE.match(text)
    return schema.model_validate_json(fenced.group(1) if fenced else text.strip())


class LLMGateway:
    """Built once by the lifespan (``Resources.llm``); limits come from the settings.

    ``clock`` (breaker cooldowns), ``breaker_policy`` and ``retry_backoff`` are injectable so
    tests need neither real waits nor patches.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        cache: Cache | None = None,
        metrics: Metrics | None = None,
        config: LLMConfig | None = None,
        clock: Callable[[], float] = time.monotonic,
        breaker_policy: BreakerPolicy | None = None,
        retry_backoff: float = 0.5,
    ) -> None:
        self.settings = settings
        self.config = config or load_config(settings)
        self.metrics = metrics
        self._clock = clock
        self._breaker_policy = breaker_policy or BreakerPolicy()
        self._breakers: dict[str, CircuitBreaker] = {}
        self._retry_backoff = retry_backoff
        self._cache = ResponseCache(cache, ttl=settings.llm_cache_ttl) if cache else None
        self.limiter = SlotLimiter(
            slots=settings.llm_concurrency,
            queue_size=settings.llm_queue_size,
            queue_timeout=settings.llm_queue_timeout,
            metrics=metrics,
        )
        self.accounting = Accountant(
            metrics=metrics,
            telemetry_dir=Path(settings.llm_telemetry_dir or settings.data_dir / "telemetry"),
            retention_days=settings.llm_telemetry_retention_days,
        )
        self._client = AsyncClient(
            host=settings.ollama_url,
            timeout=httpx.Timeout(
                connect=settings.llm_connect_timeout,
                # A safety net only: the first-token and total deadlines below fire first.
                read=settings.llm_total_timeout + 5,
                write=30.0,
                pool=settings.llm_connect_timeout,
            ),
        )
        self.prefill = PrefillRates()
        self.watch = StallWatch(
            client=AsyncClient(host=settings.ollama_url, timeout=settings.llm_probe_timeout + 5),
            models=self.config.model_names,
            stall_seconds=settings.llm_stall_seconds,
            probe_timeout=settings.llm_probe_timeout,
            interval=min(2.0, settings.llm_stall_seconds / 4),
            on_stall=self._trip_breakers,
            on_recover=self._reset_breakers,
        )

    async def aclose(self) -> None:
        await self.watch.aclose()
        await self._client.close()

    def _trip_breakers(self) -> None:
        for model in self.config.model_names():
            self._breaker(model).trip()
            if self.metrics is not None:
                self.metrics.llm_breaker_open.labels(model).set(True)

    def _reset_breakers(self) -> None:
        for model in self.config.model_names():
            self._breaker(model).reset()
            if self.metrics is not None:
                self.metrics.llm_breaker_open.labels(model).set(False)

    def first_token_deadline(self, model: str, prompt_tokens: int) -> float:
        """Seconds to wait for a first token: the slack plus the time to read the prompt."""
        rate = self.prefill.rate(model, self.settings.llm_prefill_tokens_per_second)
        return self.settings.llm_first_token_timeout + prompt_tokens / rate

    # --- public API -----------------------------------------------------------------------

    async def complete(
        self,
        role: str,
        messages: Sequence[Mapping[str, Any]],
        schema: type[T] | None = None,
        *,
        user_id: str | uuid.UUID | None = None,
        cache: bool | None = None,
        prompt: Prompt | None = None,
        progress: ProgressCallback | None = None,
    ) -> Completion[T]:
        """Return the role's model's answer to the messages (validated when a schema is given).

        ``cache``: None caches deterministic calls (temperature 0, or a fixed ``seed``), True
        caches whatever the options, False never reads nor writes the cache. ``progress`` is
        awaited as the call waits for a slot, reads the prompt and writes (background tasks).
        """
        started = time.perf_counter()
        route = self.config.route(role)
        record = CallRecord(
            role=role,
            model=route.model,
            outcome="ok",
            user_id=str(user_id) if user_id else None,
            prompt_version=prompt.ref if prompt else None,
        )
        try:
            request = self._prepare(route, messages, schema)
            request.progress = progress
            record.trimmed = request.trim.trimmed
            key = None
            use_cache = route.deterministic if cache is None else cache
            answers = self._cache if use_cache else None
            if answers is not None:
                key = cache_key(
                    model=route.model,
                    options=request.options,
                    messages=request.messages,
                    schema=request.format,
                )
                stored = await answers.get(key)
                hit = self._from_cache(stored, route, request, schema, record, started)
                if hit is not None:
                    return hit
            self._refuse_when_stalled(route)
            await request.report("waiting")
            async with self.limiter.slot():
                outcome = await self._complete_routed(route, request)
                parsed, repaired = None, False
                if schema is not None:
                    parsed, repaired = await self._parse_or_repair(
                        route, request, schema, outcome, record
                    )
        except LLMError as exc:
            record.outcome = _outcome_of(exc)
            record.latency = time.perf_counter() - started
            self.accounting.record(record)
            raise
        attempt = outcome.attempt
        completion: Completion[T] = Completion(
            text=attempt.text,
            parsed=parsed,
            role=role,
            model=attempt.model,
            fallback_used=outcome.fallback_used,
            prompt_tokens=attempt.prompt_tokens + outcome.extra_prompt_tokens,
            completion_tokens=attempt.completion_tokens + outcome.extra_completion_tokens,
            latency=time.perf_counter() - started,
            first_token_latency=_since(attempt.first_token_at, started),
            tokens_per_second=attempt.tokens_per_second(time.perf_counter()),
            prompt_version=record.prompt_version,
            trimmed=request.trim.trimmed,
            repaired=repaired,
            done_reason=attempt.done_reason,
        )
        if answers is not None and key is not None and not outcome.fallback_used:
            await answers.set(
                key,
                CachedAnswer(
                    text=completion.text, model=completion.model, done_reason=completion.done_reason
                ),
            )
        self._account_success(record, completion, attempts=outcome.attempts)
        return completion

    async def stream(
        self,
        role: str,
        messages: Sequence[Mapping[str, Any]],
        *,
        user_id: str | uuid.UUID | None = None,
        prompt: Prompt | None = None,
    ) -> AsyncGenerator[StreamEvent, None]:
        """Yield the answer token by token, then an ``end`` event with the text and usage.

        Falls back to the role's second model only before the first token; a connection lost
        after it raises :class:`LLMStreamInterrupted` carrying the partial text.
        """
        started = time.perf_counter()
        route = self.config.route(role)
        record = CallRecord(
            role=role,
            model=route.model,
            outcome="cancelled",
            user_id=str(user_id) if user_id else None,
            streamed=True,
            prompt_version=prompt.ref if prompt else None,
        )
        try:
            request = self._prepare(route, messages, None)
            record.trimmed = request.trim.trimmed
            self._refuse_when_stalled(route)
            async with self.limiter.slot():
                last: _Failure | None = None
                refused: list[float] = []
                for index, model in enumerate(route.models):
                    breaker = self._breaker(model)
                    if not breaker.allow():
                        refused.append(breaker.retry_after())
                        continue
                    attempt = _Attempt(model=model)
                    record.attempts += 1
                    try:
                        async with aclosing(self._chunks(model, request, attempt)) as chunks:
                            async for piece in chunks:
                                yield StreamEvent(kind="token", text=piece)
                    except _Failure as failure:
                        self._report(model, failure)
                        if attempt.pieces:
                            raise LLMStreamInterrupted(
                                f"The model server stopped in the middle of the answer "
                                f"({failure.detail}); {len(attempt.text)} characters arrived.",
                                partial=attempt.text,
                            ) from None
                        if failure.kind not in _FALLBACK:
                            raise self._unavailable(route, failure, refused) from None
                        last = failure
                        continue
                    self._report(model, None)
                    completion: Completion[Any] = Completion(
                        text=attempt.text,
                        role=role,
                        model=model,
                        fallback_used=index > 0,
                        prompt_tokens=attempt.prompt_tokens,
                        completion_tokens=attempt.completion_tokens,
                        latency=time.perf_counter() - started,
                        first_token_latency=_since(attempt.first_token_at, started),
                        tokens_per_second=attempt.tokens_per_second(time.perf_counter()),
                        prompt_version=record.prompt_version,
                        trimmed=request.trim.trimmed,
                        done_reason=attempt.done_reason,
                    )
                    self._account_success(record, completion, attempts=record.attempts)
                    yield StreamEvent(kind="end", text=completion.text, completion=completion)
                    return
                raise self._unavailable(route, last, refused)
        except LLMError as exc:
            record.outcome = _outcome_of(exc)
            raise
        finally:
            if record.outcome != "ok":
                record.latency = time.perf_counter() - started
                self.accounting.record(record)

    async def usage(self, *, hours: int = 24) -> UsageReport:
        """Aggregate recorded usage over the last ``hours`` per role, model and user."""
        return await self.accounting.summarize(hours=hours)

    def breaker_states(self) -> dict[str, str]:
        """Return the circuit breaker state of every model called so far."""
        return {model: b.state.value for model, b in sorted(self._breakers.items())}

    # --- preparation, cache ---------------------------------------------------------------

    def _prepare(
        self, route: Route, messages: Sequence[Mapping[str, Any]], schema: type[BaseModel] | None
    ) -> _Request:
        fitted, report = fit_messages(_with_data_rule(_normalize(messages)), route.prompt_budget)
        if report.trimmed:
            log.info(
                "llm.context_trimmed",
                role=route.role,
                tokens_before=report.tokens_before,
                tokens_after=report.tokens_after,
                dropped_messages=report.dropped_messages,
                shortened_documents=report.shortened_documents,
            )
        return _Request(
            messages=fitted,
            options=dict(route.options),
            keep_alive=route.keep_alive,
            format=schema.model_json_schema() if schema is not None else None,
            trim=report,
        )

    def _from_cache(
        self,
        stored: CachedAnswer | None,
        route: Route,
        request: _Request,
        schema: type[T] | None,
        record: CallRecord,
        started: float,
    ) -> Completion[T] | None:
        if stored is None:
            return None
        parsed = None
        if schema is not None:
            try:
                parsed = parse_structured(schema, stored["text"])
            except ValidationError:
                return None  # the schema changed shape under the same name: ask again
        completion: Completion[T] = Completion(
            text=stored["text"],
            parsed=parsed,
            role=route.role,
            model=stored.get("model", route.model),
            latency=time.perf_counter() - started,
            cached=True,
            prompt_version=record.prompt_version,
            trimmed=request.trim.trimmed,
            done_reason=stored.get("done_reason"),
        )
        record.outcome = "cached"
        self._account_success(record, completion, attempts=0)
        return completion

    def _account_success(
        self, record: CallRecord, completion: Completion, *, attempts: int
    ) -> None:
        record.outcome = "cached" if completion.cached else "ok"
        record.model = completion.model
        record.prompt_tokens = completion.prompt_tokens
        record.completion_tokens = completion.completion_tokens
        record.latency = completion.latency
        record.first_token_latency = completion.first_token_latency
        record.tokens_per_second = completion.tokens_per_second
        record.cached = completion.cached
        record.fallback_used = completion.fallback_used
        record.repaired = completion.repaired
        record.attempts = attempts
        self.accounting.record(record)

    # --- routing, retries, breakers -------------------------------------------------------

    def _breaker(self, model: str) -> CircuitBreaker:
        breaker = self._breakers.get(model)
        if breaker is None:
            breaker = self._breakers[model] = CircuitBreaker(
                self._breaker_policy, clock=self._clock
            )
        return breaker

    def _report(self, model: str, failure: _Failure | None) -> None:
        """Tell the model's breaker how a call went (a rejected request is our fault, not its)."""
        breaker = self._breaker(model)
        if failure is None:
            breaker.record_success()
        elif failure.kind != "rejected":
            breaker.record_failure()
        if self.metrics is not None:
            state = breaker.state
            self.metrics.llm_breaker_open.labels(model).set(state is not BreakerState.CLOSED)
        if failure is not None:
            log.warning("llm.attempt_failed", model=model, kind=failure.kind, detail=failure.detail)

    def _refuse_when_stalled(self, route: Route) -> None:
        if self.watch.stalled:
            raise self._unavailable(
                route, _Failure("stalled", self.watch.state.detail), [self._breaker_policy.cooldown]
            )

    async def _complete_routed(self, route: Route, request: _Request) -> _Outcome:
        last: _Failure | None = None
        refused: list[float] = []
        attempts = 0
        for index, model in enumerate(route.models):
            breaker = self._breaker(model)
            if not breaker.allow():
                refused.append(breaker.retry_after())
                continue
            try:
                attempt, tries = await self._call_with_retries(model, request)
            except _Failure as failure:
                attempts += failure.tries
                if failure.kind not in _FALLBACK:
                    raise self._unavailable(route, failure, refused) from None
                last = failure
                continue
            return _Outcome(attempt=attempt, fallback_used=index > 0, attempts=attempts + tries)
        raise self._unavailable(route, last, refused)

    async def _call_with_retries(self, model: str, request: _Request) -> tuple[_Attempt, int]:
        """Call one model, again after a connection error or a 5xx, with jittered backoff."""
        retries = self.settings.llm_max_retries
        for number in range(retries + 1):
            attempt = _Attempt(model=model)
            try:
                async with aclosing(self._chunks(model, request, attempt)) as chunks:
                    async for _ in chunks:
                        pass
            except _Failure as failure:
                self._report(model, failure)
                failure.tries = number + 1
                if failure.kind not in _RETRYABLE or number == retries:
                    raise
                if not self._breaker(model).allow():
                    raise
                if self.metrics is not None:
                    self.metrics.llm_retries.labels(model).inc()
                await asyncio.sleep(self._retry_backoff * 2**number * (0.5 + random.random()))
                continue
            self._report(model, None)
            return attempt, number + 1
        raise AssertionError("unreachable")  # pragma: no cover

    def _unavailable(
        self, route: Route, failure: _Failure | None, refused: list[float]
    ) -> LLMUnavailable:
        if failure is None:
            wait = min(refused) if refused else self._breaker_policy.cooldown
            return LLMUnavailable(
                f"The AI models for {route.role!r} keep failing and are paused "
                f"(circuit breaker open); AI features are in degraded mode. "
                f"Try again in {max(1, round(wait))} s.",
                retry_after=wait,
            )
        messages = {
            "connect": f"The AI model server is not reachable at {self.settings.ollama_url}; "
            "AI features are in degraded mode.",
            "timeout": f"The AI model for {route.role!r} did not answer in time.",
            "missing": f"The AI models for {route.role!r} are not installed on the model server: "
            "run `make models`.",
            "rejected": "The AI model server refused the request.",
            "stalled": "The AI model server stopped answering (it accepts requests but sends "
            "nothing); AI features are in degraded mode until it recovers.",
        }
        detail = messages.get(failure.kind, "The AI model server failed.")
        if failure.kind == "stalled":
            return LLMUnavailable(detail, retry_after=self.settings.llm_stall_seconds)
        return LLMUnavailable(f"{detail} ({failure.detail})")

    # --- structured output ----------------------------------------------------------------

    async def _parse_or_repair(
        self,
        route: Route,
        request: _Request,
        schema: type[T],
        outcome: _Outcome,
        record: CallRecord,
    ) -> tuple[T, bool]:
        try:
            return parse_structured(schema, outcome.attempt.text), False
        except ValidationError as exc:
            errors = _validation_summary(exc)
        log.info("llm.output_invalid", role=route.role, model=outcome.attempt.model, errors=errors)
        repair = {
            "role": "user",
            "content": OUTPUT_REPAIR.render(
                errors=errors,
                reply=wrap_untrusted(outcome.attempt.text, source="previous_reply"),
                schema=json.dumps(request.format, separators=(",", ":")),
            ),
        }
        messages, _ = fit_messages([*request.messages, repair], route.prompt_budget)
        retry = _Request(
            messages=messages,
            options=request.options,
            keep_alive=request.keep_alive,
            format=request.format,
            trim=request.trim,
        )
        model = record.model = outcome.attempt.model
        if not self._breaker(model).allow():
            raise self._unavailable(route, None, [self._breaker(model).retry_after()])
        try:
            second, tries = await self._call_with_retries(model, retry)
        except _Failure as failure:
            raise self._unavailable(route, failure, []) from None
        outcome.attempts += tries
        outcome.extra_prompt_tokens += outcome.attempt.prompt_tokens
        outcome.extra_completion_tokens += outcome.attempt.completion_tokens
        second.first_token_at = outcome.attempt.first_token_at
        outcome.attempt = second
        try:
            return parse_structured(schema, second.text), True
        except ValidationError as exc:
            record.repaired = True
            errors = _validation_summary(exc)
            raise LLMBadOutput(
                f"The AI model's answer did not match the expected format, even after one "
                f"correction: {errors}",
                raw=second.text,
                errors=errors,
            ) from None

    # --- one call to one model ------------------------------------------------------------

    async def _chunks(
        self, model: str, request: _Request, attempt: _Attempt
    ) -> AsyncGenerator[str, None]:
        """Yield the answer's text pieces; raise ``_Failure`` classified for retry/fallback.

        The first token may take as long as reading the prompt takes (its tokens at the model's
        prefill rate) plus the first-token slack; a call the watchdog finds stalled ends at once.
        """
        loop = asyncio.get_running_loop()
        start = loop.time()
        first_limit = self.first_token_deadline(model, request.trim.tokens_after)
        total_deadline = start + self.settings.llm_total_timeout
        first_deadline = min(start + first_limit, total_deadline)
        flight = self.watch.begin(model)
        try:
            await request.report("reading")
            stream = await self._client.chat(
                model=model,
                messages=request.messages,
                stream=True,
                format=request.format,
                options=request.options,
                keep_alive=request.keep_alive,
            )
            async with aclosing(stream):  # type: ignore[type-var]
                while True:
                    deadline = first_deadline if attempt.first_token_at is None else total_deadline
                    try:
                        # A deadline around each read only: never around the caller's work.
                        async with asyncio.timeout_at(deadline) as timeout:
                            flight.timeout = timeout
                            if flight.stalled:
                                timeout.reschedule(loop.time())
                            chunk = await anext(stream)
                    except StopAsyncIteration:
                        break
                    finally:
                        flight.timeout = None
                    flight.touch()
                    piece = (chunk.message.content or "") if chunk.message else ""
                    if (piece or chunk.done) and attempt.first_token_at is None:
                        attempt.first_token_at = time.perf_counter()
                    if chunk.done:
                        self._finished(model, attempt, chunk)
                    if piece:
                        attempt.pieces.append(piece)
                        await request.report("writing", len(attempt.pieces))
                        yield piece
        except TimeoutError:
            if flight.stalled:
                raise _Failure("stalled", f"{model}: the model server stalled") from None
            if attempt.first_token_at is None:
                limit = min(first_limit, self.settings.llm_total_timeout)
                raise _Failure("timeout", f"{model}: no first token within {limit:g} s") from None
            raise _Failure(
                "timeout", f"{model}: not finished within {self.settings.llm_total_timeout:g} s"
            ) from None
        except ResponseError as exc:
            raise _classify_response(model, exc) from None
        except (ConnectionError, httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Failure("connect", f"{type(exc).__name__}: {exc}") from None
        except (httpx.TransportError, json.JSONDecodeError) as exc:
            raise _Failure("dropped", f"{model}: {type(exc).__name__}: {exc}") from None
        finally:
            self.watch.end(flight)
        if not attempt.done:
            raise _Failure("dropped", f"{model}: the answer ended before the model finished")

    def _finished(self, model: str, attempt: _Attempt, chunk: Any) -> None:
        attempt.done = True
        attempt.done_reason = chunk.done_reason
        attempt.prompt_tokens = chunk.prompt_eval_count or 0
        attempt.completion_tokens = chunk.eval_count or 0
        if chunk.eval_duration:
            attempt.eval_seconds = chunk.eval_duration / 1e9
        if chunk.prompt_eval_duration:
            self.prefill.observe(model, attempt.prompt_tokens, chunk.prompt_eval_duration / 1e9)


def _classify_response(model: str, exc: ResponseError) -> _Failure:
    status, error = exc.status_code, str(exc.error)
    if status == 404 or (status == -1 and "not found" in error):
        return _Failure("missing", f"{model}: {error}")
    if status >= 500 or status == -1:
        return _Failure("server", f"{model}: HTTP {status}: {error}")
    return _Failure("rejected", f"{model}: HTTP {status}: {error}")


def _since(moment: float | None, started: float) -> float | None:
    return None if moment is None else max(0.0, moment - started)


def _outcome_of(exc: LLMError) -> str:
    names = {
        "LLMBusy": "busy",
        "LLMBadOutput": "bad_output",
        "LLMStreamInterrupted": "interrupted",
        "LLMPromptTooLong": "too_long",
    }
    return names.get(type(exc).__name__, "unavailable")
