"""An Ollama stand-in that is as slow as a local model on a CPU box.

:class:`RealisticOllama` is an :class:`~tests.doubles.ollama.OllamaDouble` (same HTTP API, same
scripting: ``reply()``, ``script``, ``default``, ``requests``, ``bodies``) whose ``/api/chat``
and ``/api/generate`` behave like Ollama serving a 7-9B Q4 model on 4-8 vCPUs:

- **Prompt reading** at ``Realism.prefill_tps`` tokens/s (default 40): the first chunk comes
  ``prompt_tokens / prefill_tps`` seconds after the request got its slot, plus one decode step.
  Prompt tokens are counted as ``ceil(characters / 4)`` over every message's ``content`` (for
  ``/api/generate``: ``system`` and ``prompt``), at least 1, capped at ``num_ctx`` (Ollama
  truncates a longer prompt to the context window).
- **Writing** at ``Realism.decode_tps`` tokens/s (default 5), streamed one token a chunk (a token
  is a word with its leading space, as :func:`tests.doubles.ollama.tokens` splits), stopping at
  ``options.num_predict`` (``done_reason: "length"``). The final chunk carries
  ``prompt_eval_count``, ``eval_count``, ``load_duration``, ``prompt_eval_duration``,
  ``eval_duration`` and ``total_duration`` in nanoseconds of wall-clock time, so the rates a
  client measures from them are the effective ones (``prefill_tps / time_scale``). As Ollama
  does, ``total_duration`` and ``load_duration`` include the time spent queued.
- **One request at a time per model** (``OLLAMA_NUM_PARALLEL=1``; ``Realism.parallel``): later
  requests wait in a FIFO queue; beyond ``Realism.max_queue`` waiting requests the answer is
  Ollama's 503 "server busy". Different models run at once but, with ``cpu_shared`` (default),
  share the CPU: each computing request goes at ``rate / requests computing``.
- A request whose client hangs up (while queued or generating) is dropped and frees its slot,
  as Ollama cancels a request whose connection closed.
- **Model time**: every duration given to the double (rates, ``load_seconds``, stall seconds,
  ``Reply.first_token_delay``) is model time; the double waits ``duration * time_scale``. Tests
  simulate a 5 tokens/s model at ``time_scale=0.05``; a benchmark runs at 1.0.

Misbehaviour, for the code that must survive it:

- :meth:`RealisticOllama.stall`: the next chats (or all, until :meth:`resume`) hang while holding
  their model's slot (a hung runner blocks the queue): headers sent or not, after some tokens or
  before the first, for some model seconds (then the answer goes on) or until :meth:`resume` or
  the double closes (then the connection is dropped). ``/api/tags`` still answers, as Ollama's
  does while its runner hangs.
- :meth:`RealisticOllama.malform`: the next answers to ``format`` requests come out truncated,
  wrapped in prose, or with the wrong keys (:func:`malformed_json`). Lying answers are scripted
  replies as with the plain double.
- A chat without a scripted reply is answered with a minimal valid instance of its ``format``
  schema (:func:`schema_instance`), ``{}`` for ``format: "json"``, or else
  ``Realism.answer_tokens`` words of filler.

What happened is in ``stats`` (one :class:`RequestStats` per generation request, wall-clock
seconds) and ``max_queue_depth`` / ``max_queue_depths`` (requests that had to wait at once).
"""

from __future__ import annotations

import json
import math
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from tests.doubles.ollama import OllamaDouble, Reply, full_name, tokens

Malformation = Literal["truncated", "prose", "wrong_keys"]

# Seconds between looks at the client's connection and the double's state while waiting.
_POLL = 0.02
_FILLER = (
    "Based on what you shared, here is a careful answer that covers the points in order, "
    "with the most relevant details first and a short summary at the end."
)


@dataclass(frozen=True)
class Realism:
    prefill_tps: float = 40.0  # prompt tokens read a second
    decode_tps: float = 5.0  # tokens written a second
    parallel: int = 1  # OLLAMA_NUM_PARALLEL: requests one model serves at once
    time_scale: float = 1.0  # real seconds per model second
    load_seconds: float = 0.0  # loading a model on its first request
    num_ctx: int = 4096  # context window when a request sets no options.num_ctx
    max_queue: int = 512  # OLLAMA_MAX_QUEUE: waiting requests beyond this get a 503
    answer_tokens: int = 120  # length of the filler answer
    cpu_shared: bool = True  # requests computing at once (any model) share the rates


@dataclass(frozen=True)
class Stall:
    seconds: float | None = None  # model seconds without a byte; None: until resume()/close
    headers: bool = False  # send the 200 and its headers before going silent
    after_tokens: int = 0  # go silent after this many tokens (0: before the first)


@dataclass
class RequestStats:
    """One generation request, in wall-clock seconds."""

    path: str
    model: str
    prompt_tokens: int  # as read (capped at num_ctx)
    ahead: int = 0  # requests queued or running for the model when this one arrived
    queue_wait: float = 0.0
    load: float = 0.0
    prefill: float = 0.0
    decode: float = 0.0
    stalled: float = 0.0
    eval_count: int = 0
    done_reason: str | None = None
    # queued, running, done, error, busy (503), cancelled (the client left), closed (the double
    # closed), dropped (Reply.drop_after)
    outcome: str = "queued"
    first_token_at: float | None = None  # perf_counter() when the first token was sent


class _Gone(Exception):
    """The client hung up."""


class _Closed(Exception):
    """The double is closing."""


class _Busy(Exception):
    """The model's queue is full."""


@dataclass
class _ModelQueue:
    waiting: deque[object] = field(default_factory=deque)
    running: int = 0


def prompt_tokens(path: str, body: dict[str, Any]) -> int:
    """Count a request's prompt tokens as the double does: ceil(characters / 4), at least 1."""
    if path == "/api/generate":
        texts = [str(body.get("system") or ""), str(body.get("prompt") or "")]
    else:
        texts = [str(m.get("content") or "") for m in body.get("messages") or []]
    return max(1, math.ceil(sum(len(text) for text in texts) / 4))


def schema_instance(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """Return a small value that satisfies a JSON schema (what a constrained model writes)."""
    root = root if root is not None else schema
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return schema_instance(target, root)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return schema_instance(options[0], root)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties") or {}
        return {
            name: schema_instance(properties.get(name, {}), root)
            for name in schema.get("required", [])
        }
    if kind == "array":
        count = max(int(schema.get("minItems", 0)), 1)
        count = min(count, int(schema.get("maxItems", count)))
        return [schema_instance(schema.get("items") or {"type": "string"}, root)] * count
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
        value = min(max(low, 0), schema.get("maximum", max(low, 0)))
        return int(value) if kind == "integer" else float(value)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    formats = {"date": "2025-01-01", "date-time": "2025-01-01T00:00:00Z", "email": "a@example.com"}
    text = formats.get(schema.get("format", ""), "example")
    text = text.ljust(int(schema.get("minLength", 0)), "x")
    return text[: int(schema.get("maxLength", len(text)))]


def malformed_json(text: str, kind: Malformation) -> str:
    """Spoil a JSON answer as small models do: cut short, wrapped in prose, or wrong keys."""
    if kind == "truncated":
        return text[: max(1, len(text) // 2)]
    if kind == "prose":
        return (
            f"Sure! Here is the JSON you asked for:\n```json\n{text}\n```\n"
            "Let me know if you need anything else."
        )
    try:
        value = json.loads(text)
    except ValueError:
        return json.dumps({"Answer": text})
    if not isinstance(value, dict):
        return json.dumps({"Result": value})
    # snake_case -> PascalCase: valid JSON, keys the schema does not know.
    return json.dumps({k.replace("_", " ").title().replace(" ", ""): v for k, v in value.items()})


def _client_gone(handler: Any) -> bool:
    """Whether the client closed its end (readable with nothing to read) or reset it."""
    sock = handler.connection
    # poll(), not select(): select() refuses descriptors above 1023, which a long test run's
    # process reaches, and every request would then look abandoned.
    poller = select.poll()
    try:
        poller.register(sock, select.POLLIN | select.POLLERR | select.POLLHUP)
        events = poller.poll(0)
        if any(mask & (select.POLLERR | select.POLLHUP) for _, mask in events):
            return True
        return bool(events) and sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _ns(seconds: float) -> int:
    return int(seconds * 1e9)


class RealisticOllama(OllamaDouble):
    def __init__(
        self,
        models: list[str] | None = None,
        *,
        realism: Realism | None = None,
        script: Callable[[dict[str, Any]], Reply | str | None] | None = None,
        default: Reply | str | None = None,
        pull_total: int = 4_000_000,
    ) -> None:
        super().__init__(models, default=default or "ok", pull_total=pull_total)
        self.script: Any = script  # may return None: the double's own answer
        self.realism = realism or Realism()
        self._auto_default = default is None
        self.stats: list[RequestStats] = []
        self.max_queue_depths: dict[str, int] = {}
        self.loaded: set[str] = set()
        self._cond = threading.Condition()
        self._queues: dict[str, _ModelQueue] = {}
        self._computing = 0
        self._closing = threading.Event()
        self._stall: tuple[Stall, int | None] | None = None
        self._malform: tuple[Malformation, int | None] | None = None
        self._resumes = 0

    # --- misbehaviour ---------------------------------------------------------------------

    def stall(
        self,
        seconds: float | None = None,
        *,
        headers: bool = False,
        after_tokens: int = 0,
        count: int | None = None,
    ) -> RealisticOllama:
        """Make the next ``count`` generations (None: all, until resume()) hang."""
        with self._cond:
            self._stall = (Stall(seconds, headers, after_tokens), count)
        return self

    def resume(self) -> RealisticOllama:
        """End the stall mode and let the stalled requests go on."""
        with self._cond:
            self._stall = None
            self._resumes += 1
            self._cond.notify_all()
        return self

    def malform(self, kind: Malformation | None, *, count: int | None = None) -> RealisticOllama:
        """Spoil the next ``count`` answers to ``format`` requests (None: all; kind None: stop)."""
        with self._cond:
            self._malform = None if kind is None else (kind, count)
        return self

    # --- inspection -----------------------------------------------------------------------

    @property
    def max_queue_depth(self) -> int:
        """The most requests that waited for one model at once."""
        with self._cond:
            return max(self.max_queue_depths.values(), default=0)

    def queue_depth(self, model: str) -> int:
        """Requests waiting (not running) for a model now."""
        with self._cond:
            queue = self._queues.get(full_name(model))
            return len(queue.waiting) if queue else 0

    # --- routes ---------------------------------------------------------------------------

    def _get_routes(self) -> dict[str, Callable[[Any], None]]:
        return {**super()._get_routes(), "/api/ps": self._ps}

    def _post_routes(self) -> dict[str, Callable[[Any, dict[str, Any]], None]]:
        return {
            **super()._post_routes(),
            "/api/chat": lambda h, body: self._serve(h, "/api/chat", body),
            "/api/generate": lambda h, body: self._serve(h, "/api/generate", body),
        }

    def _ps(self, handler: Any) -> None:
        with self._cond:
            loaded = sorted(self.loaded)
        handler._json(200, {"models": [{**self._tag(n), "size_vram": 0} for n in loaded]})

    # --- one generation -------------------------------------------------------------------

    def _serve(self, handler: Any, path: str, body: dict[str, Any]) -> None:
        model = full_name(str(body.get("model", "")))
        if model not in self.models:
            handler._json(404, {"error": f"model '{body.get('model', '')}' not found"})
            return
        options = body.get("options") or {}
        num_ctx = int(options.get("num_ctx") or self.realism.num_ctx)
        stats = RequestStats(path, model, min(prompt_tokens(path, body), num_ctx))
        with self._cond:
            self.stats.append(stats)
        reply = self._pick_reply(body)
        arrived = time.perf_counter()
        try:
            self._enter(model, stats, handler)
            try:
                stats.queue_wait = time.perf_counter() - arrived
                stats.outcome = "running"
                self._answer(handler, path, body, reply, stats, arrived)
            finally:
                with self._cond:
                    self._queues[model].running -= 1
                    self._cond.notify_all()
        except _Busy:
            stats.outcome = "busy"
            handler._json(
                503, {"error": "server busy, please try again.  maximum pending requests exceeded"}
            )
        except (_Gone, BrokenPipeError, ConnectionResetError):
            stats.outcome = "cancelled"
            handler.close_connection = True
        except _Closed:
            stats.outcome = "closed"
            try:
                handler.drop()
            except OSError:
                handler.close_connection = True

    def _pick_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            reply: Reply | str | None = self._queue.popleft() if self._queue else None
        if reply is None and self.script is not None:
            reply = self.script(body)
        if reply is None:
            reply = self._own_answer(body) if self._auto_default else self.default
        reply = Reply(text=reply) if isinstance(reply, str) else reply
        with self._cond:
            spoil = self._malform if body.get("format") else None
            if spoil is not None:
                kind, left = spoil
                self._malform = None if left == 1 else (kind, None if left is None else left - 1)
        if spoil is not None:
            reply = replace(reply, text=malformed_json(reply.text, spoil[0]))
        return reply

    def _own_answer(self, body: dict[str, Any]) -> str:
        wanted = body.get("format")
        if isinstance(wanted, dict):
            return json.dumps(schema_instance(wanted))
        if wanted:
            return "{}"
        words = _FILLER.split()
        return " ".join(words[i % len(words)] for i in range(self.realism.answer_tokens))

    def _enter(self, model: str, stats: RequestStats, handler: Any) -> None:
        """Wait for a slot of the model, first come first served."""
        ticket = object()
        with self._cond:
            queue = self._queues.setdefault(model, _ModelQueue())
            if len(queue.waiting) >= self.realism.max_queue:
                raise _Busy
            stats.ahead = len(queue.waiting) + queue.running
            queue.waiting.append(ticket)
            try:
                while not (queue.waiting[0] is ticket and queue.running < self.realism.parallel):
                    depth = len(queue.waiting)
                    self.max_queue_depths[model] = max(self.max_queue_depths.get(model, 0), depth)
                    self._cond.wait(_POLL)
                    self._check(handler)
            except BaseException:
                queue.waiting.remove(ticket)
                self._cond.notify_all()
                raise
            queue.waiting.popleft()
            queue.running += 1
            self.max_queue_depths.setdefault(model, 0)

    def _answer(
        self,
        handler: Any,
        path: str,
        body: dict[str, Any],
        reply: Reply,
        stats: RequestStats,
        arrived: float,
    ) -> None:
        realism = self.realism
        streaming = body.get("stream", True) is not False
        stall = self._take_stall()
        self._load(handler, stats)
        opened = False
        if stall is not None and stall.after_tokens <= 0:
            opened = stall.headers and self._open(handler, streaming)
            stats.stalled += self._stalled(handler, stall)
        self._pause(handler, reply.first_token_delay * realism.time_scale)
        if reply.status != 200:
            stats.outcome = "error"
            if opened:  # the status went out already: the error travels in the stream
                handler.line({"error": reply.error})
                handler.end_stream()
            else:
                handler._json(reply.status, {"error": reply.error})
            return
        pieces = [piece for piece in tokens(reply.text) if piece]
        limit = int((body.get("options") or {}).get("num_predict") or -1)
        done_reason = reply.done_reason
        if 0 <= limit < len(pieces):
            pieces, done_reason = pieces[:limit], "length"
        rate = reply.tokens_per_second or realism.decode_tps
        field_name = "response" if path == "/api/generate" else "message"
        with self._computing_changes(+1):
            started = time.perf_counter()
            self._compute(handler, stats.prompt_tokens, realism.prefill_tps)
            stats.prefill = time.perf_counter() - started
            carry = 0.0  # tokens' worth of time already spent (sleeps overshoot a little)
            for index, piece in enumerate(pieces):
                if stall is not None and index == stall.after_tokens > 0:
                    with self._computing_changes(-1):
                        stats.stalled += self._stalled(handler, stall)
                started = time.perf_counter()
                carry = self._compute(handler, 1 - carry, rate)
                stats.decode += time.perf_counter() - started
                if reply.drop_after is not None and index >= reply.drop_after:
                    stats.outcome = "dropped"
                    if not opened:
                        self._open(handler, streaming)
                    handler.drop()
                    return
                stats.eval_count += 1
                if stats.first_token_at is None:
                    stats.first_token_at = time.perf_counter()
                if streaming:
                    opened = opened or self._open(handler, streaming)
                    handler.line(self._chunk(body, field_name, piece, done=False))
        final = self._chunk(body, field_name, "" if streaming else "".join(pieces), done=True)
        final.update(
            done_reason=done_reason,
            total_duration=_ns(time.perf_counter() - arrived),
            load_duration=_ns(stats.queue_wait + stats.load),
            prompt_eval_count=stats.prompt_tokens,
            prompt_eval_duration=_ns(stats.prefill),
            eval_count=stats.eval_count,
            eval_duration=_ns(stats.decode),
        )
        stats.done_reason = done_reason
        # Done before the last line goes out: a client that has read it may look at the stats at
        # once. If the line cannot be sent, the caller marks the request cancelled instead.
        stats.outcome = "done"
        if streaming or opened:
            if not opened:
                self._open(handler, streaming)
            handler.line(final)
            handler.end_stream()
        else:
            handler._json(200, final)

    def _load(self, handler: Any, stats: RequestStats) -> None:
        """Load the model on its first request."""
        if stats.model in self.loaded:
            return
        started = time.perf_counter()
        self._pause(handler, self.realism.load_seconds * self.realism.time_scale)
        with self._cond:
            self.loaded.add(stats.model)
        stats.load = time.perf_counter() - started

    def _chunk(
        self, body: dict[str, Any], field_name: str, text: str, *, done: bool
    ) -> dict[str, Any]:
        content: Any = text if field_name == "response" else {"role": "assistant", "content": text}
        return {"model": body.get("model"), "created_at": _now(), field_name: content, "done": done}

    def _open(self, handler: Any, streaming: bool) -> bool:
        """Send the 200 and headers of a chunked answer (NDJSON, or one JSON object)."""
        handler.send_response(200)
        handler.send_header(
            "Content-Type", "application/x-ndjson" if streaming else "application/json"
        )
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        return True

    def _take_stall(self) -> Stall | None:
        with self._cond:
            if self._stall is None:
                return None
            stall, left = self._stall
            self._stall = None if left == 1 else (stall, None if left is None else left - 1)
            return stall

    # --- time -----------------------------------------------------------------------------

    def _check(self, handler: Any) -> None:
        if self._closing.is_set():
            raise _Closed
        if _client_gone(handler):
            raise _Gone

    def _pause(self, handler: Any, seconds: float) -> None:
        """Sleep, giving up when the client leaves or the double closes."""
        deadline = time.perf_counter() + seconds
        while (remaining := deadline - time.perf_counter()) > 0:
            self._closing.wait(min(remaining, _POLL))
            self._check(handler)

    @contextmanager
    def _computing_changes(self, delta: int) -> Iterator[None]:
        """Count this request among those sharing the CPU (+1), or not while it stalls (-1)."""
        with self._cond:
            self._computing += delta
        try:
            yield
        finally:
            with self._cond:
                self._computing -= delta

    def _compute(self, handler: Any, work: float, rate: float) -> float:
        """Spend the time of ``work`` tokens at ``rate`` tokens/s, shared with the requests
        computing at once; return the tokens' worth of time spent beyond ``work``."""
        scale = self.realism.time_scale
        last = time.perf_counter()
        while work > 0:
            with self._cond:
                share = max(1, self._computing) if self.realism.cpu_shared else 1
            effective = rate / share
            if scale <= 0:
                return 0.0
            self._pause(handler, min(work / effective * scale, _POLL))
            now = time.perf_counter()
            work -= (now - last) / scale * effective
            last = now
        return -work

    def _stalled(self, handler: Any, stall: Stall) -> float:
        """Send nothing for the stall's seconds, until resume(), or until the double closes."""
        started = time.perf_counter()
        deadline = (
            None if stall.seconds is None else started + stall.seconds * self.realism.time_scale
        )
        with self._cond:
            resumes = self._resumes
        while deadline is None or time.perf_counter() < deadline:
            with self._cond:
                if self._resumes != resumes:
                    break
            wait = (
                _POLL if deadline is None else min(_POLL, max(0.0, deadline - time.perf_counter()))
            )
            self._closing.wait(wait)
            self._check(handler)
        return time.perf_counter() - started

    # --- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> RealisticOllama:
        super().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        super().__exit__(*exc)
