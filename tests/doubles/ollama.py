"""A small Ollama stand-in on 127.0.0.1 that speaks Ollama's HTTP API, so the real ``ollama``
client runs against it: ``/api/tags``, ``/api/version``, ``/api/show``, ``/api/pull``,
``/api/create`` and ``/api/chat`` (streaming NDJSON and non-streaming).

What ``/api/chat`` answers is scripted per test: replies queued with :meth:`OllamaDouble.reply`
are used in order, then ``script(body)`` if given, then ``default``. A reply is a string or a
:class:`Reply` (slowness, HTTP errors, a connection dropped mid-stream). A chat for a model the
double does not have is a 404 ``{"error": "model 'x' not found"}``, as Ollama answers. Every
request is recorded: ``requests`` ("POST /api/chat") and ``bodies`` ((path, JSON body)).

"Model" mode (``model_path=`` a GGUF file): chats without a queued reply are answered by a real
model through xllamacpp (llama.cpp's own server engine, from a prebuilt wheel: nothing to
compile), streamed token by token, honouring ``num_predict``, ``temperature`` and a JSON-schema
``format`` (grammar-constrained), with real token counts. One generation at a time, as Ollama
with ``OLLAMA_NUM_PARALLEL=1``.

For a double as slow as a CPU box (prompt and output rates, one request at a time per model,
stalls, malformed JSON), see :class:`tests.doubles.realistic.RealisticOllama`.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_TOKEN = re.compile(r"\s*\S+|\s+")


@dataclass
class Reply:
    text: str = "ok"
    status: int = 200  # anything else is an error answer with ``error``
    error: str = "internal error"
    first_token_delay: float = 0.0  # seconds before the response starts
    tokens_per_second: float | None = None  # None: as fast as possible
    drop_after: int | None = None  # close the connection after this many chunks
    done_reason: str = "stop"


def tokens(text: str) -> list[str]:
    """Split text the way the double streams it: one word (with its leading space) a chunk."""
    return _TOKEN.findall(text) or [""]


def full_name(model: str) -> str:
    return model if ":" in model else f"{model}:latest"


def _load_model(path: str, *, threads: int) -> Any:
    """Load a GGUF file into llama.cpp's server engine (one slot, quiet, no warm-up)."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = path
    params.n_ctx = 4096
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.warmup = False
    params.verbosity = -1
    return xllamacpp.Server(params)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Room for a burst of connections (ten users at once) without SYN retries.
    request_queue_size = 128


class OllamaDouble:
    def __init__(
        self,
        models: list[str] | None = None,
        *,
        script: Callable[[dict[str, Any]], Reply | str] | None = None,
        default: Reply | str = "ok",
        slots: int | None = None,
        pull_total: int = 4_000_000,
        model_path: str | None = None,
        model_threads: int = 2,
    ) -> None:
        self.models = [full_name(m) for m in models or []]
        self._llama: Any = None
        self._llama_lock = threading.Lock()
        if model_path is not None:
            self._llama = _load_model(model_path, threads=model_threads)
        self.script = script
        self.default = default
        self.pull_total = pull_total
        self.requests: list[str] = []
        self.bodies: list[tuple[str, dict[str, Any]]] = []
        self._queue: deque[Reply | str] = deque()
        self._lock = threading.Lock()
        # Ollama serves OLLAMA_NUM_PARALLEL requests at once and queues the rest.
        self._slots = threading.Semaphore(slots) if slots else None
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # As Go's net/http (Ollama) does: no Nagle delay between headers and body.
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                double.requests.append(f"GET {self.path}")
                route = double._get_routes().get(self.path)
                if route is None:
                    self._json(404, {"error": "not found"})
                else:
                    route(self)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                double.requests.append(f"POST {self.path}")
                double.bodies.append((self.path, body))
                route = double._post_routes().get(self.path)
                if route is None:
                    self._json(404, {"error": "not found"})
                    return
                try:
                    route(self, body)
                except (BrokenPipeError, ConnectionResetError):
                    # The client hung up mid-answer (a cancelled stream): not an error here.
                    self.close_connection = True

            def _json(self, status: int, body: Any) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def start_stream(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()

            def line(self, body: Any) -> None:
                data = json.dumps(body).encode() + b"\n"
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def end_stream(self) -> None:
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

            def drop(self) -> None:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- scripting and inspection ---------------------------------------------------------

    def reply(self, *replies: Reply | str) -> OllamaDouble:
        """Queue the next chat replies, used in order before ``script`` and ``default``."""
        with self._lock:
            self._queue.extend(replies)
        return self

    @property
    def chats(self) -> list[dict[str, Any]]:
        """The JSON bodies of the chat requests received so far."""
        return [body for path, body in self.bodies if path == "/api/chat"]

    def _next_reply(self, body: dict[str, Any]) -> Reply | None:
        with self._lock:
            reply = self._queue.popleft() if self._queue else None
        if reply is None and self._llama is not None:
            return None  # model mode: the model answers
        if reply is None:
            reply = self.script(body) if self.script else self.default
        return Reply(text=reply) if isinstance(reply, str) else reply

    def _tag(self, name: str) -> dict[str, Any]:
        return {
            "name": name,
            "model": name,
            "modified_at": "2026-11-01T00:00:00Z",
            "size": 4_000_000_000,
            "digest": "0" * 64,
            "details": {"format": "gguf", "family": "qwen2"},
        }

    # --- endpoints ------------------------------------------------------------------------

    def _get_routes(self) -> dict[str, Callable[[Any], None]]:
        """GET paths and their handlers (a subclass may add some)."""
        return {
            "/api/tags": lambda h: h._json(200, {"models": [self._tag(n) for n in self.models]}),
            "/api/version": lambda h: h._json(200, {"version": "0.12.6"}),
        }

    def _post_routes(self) -> dict[str, Callable[[Any, dict[str, Any]], None]]:
        """POST paths and their handlers, called with the request handler and the JSON body."""
        return {
            "/api/chat": self._chat,
            "/api/show": self._show,
            "/api/pull": self._pull,
            "/api/create": self._create,
        }

    def _chat(self, handler: Any, body: dict[str, Any]) -> None:
        model = body.get("model", "")
        if full_name(model) not in self.models:
            handler._json(404, {"error": f"model '{model}' not found"})
            return
        reply = self._next_reply(body)
        if self._slots:
            self._slots.acquire()
        try:
            if reply is None:
                self._generate_with_model(handler, body)
            else:
                self._generate(handler, body, reply)
        finally:
            if self._slots:
                self._slots.release()

    def _generate(self, handler: Any, body: dict[str, Any], reply: Reply) -> None:
        time.sleep(reply.first_token_delay)
        if reply.status != 200:
            handler._json(reply.status, {"error": reply.error})
            return
        pieces = tokens(reply.text)
        pause = 1 / reply.tokens_per_second if reply.tokens_per_second else 0.0
        prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
        final = {
            "model": body["model"],
            "created_at": "2026-11-21T00:00:00Z",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": reply.done_reason,
            "total_duration": int((reply.first_token_delay + pause * len(pieces)) * 1e9),
            "prompt_eval_count": max(1, prompt // 4),
            "eval_count": len(pieces),
            "eval_duration": int(max(pause * len(pieces), 0.001) * 1e9),
        }
        if body.get("stream", True) is False:
            time.sleep(pause * len(pieces))
            handler._json(200, {**final, "message": {"role": "assistant", "content": reply.text}})
            return
        handler.start_stream()
        for index, piece in enumerate(pieces):
            if reply.drop_after is not None and index >= reply.drop_after:
                handler.drop()
                return
            if index:
                time.sleep(pause)
            handler.line(
                {
                    "model": body["model"],
                    "created_at": "2026-11-21T00:00:00Z",
                    "message": {"role": "assistant", "content": piece},
                    "done": False,
                }
            )
        handler.line(final)
        handler.end_stream()

    def _generate_with_model(self, handler: Any, body: dict[str, Any]) -> None:
        options = body.get("options") or {}
        request: dict[str, Any] = {
            "messages": [
                {"role": m.get("role", "user"), "content": str(m.get("content") or "")}
                for m in body.get("messages", [])
            ],
            "max_tokens": int(options.get("num_predict") or 128),
            "temperature": float(options.get("temperature", 0.8)),
            "stream": True,
        }
        if isinstance(body.get("format"), dict):
            request["response_format"] = {"type": "json_object", "schema": body["format"]}
        elif body.get("format") == "json":
            request["response_format"] = {"type": "json_object"}
        streaming = body.get("stream", True) is not False
        pieces: list[str] = []
        timings: dict[str, Any] = {}
        done_reason = "stop"
        broken: list[BaseException] = []

        def on_chunk(chunk: dict[str, Any]) -> bool:
            """Pass one streamed piece on; True stops the model (the client has gone)."""
            nonlocal done_reason
            timings.update(chunk.get("timings") or {})
            choices = chunk.get("choices") or [{}]
            if choices[0].get("finish_reason") == "length":
                done_reason = "length"
            piece = (choices[0].get("delta") or {}).get("content") or ""
            if not piece:
                return False
            pieces.append(piece)
            if streaming:
                try:
                    handler.line(
                        {
                            "model": body["model"],
                            "created_at": "2026-11-21T00:00:00Z",
                            "message": {"role": "assistant", "content": piece},
                            "done": False,
                        }
                    )
                except OSError as exc:
                    broken.append(exc)
                    return True
            return False

        started = time.perf_counter()
        with self._llama_lock:
            if streaming:
                handler.start_stream()
            self._llama.handle_chat_completions(request, on_chunk)
        if broken:
            raise broken[0]
        elapsed = time.perf_counter() - started
        # llama.cpp reports the prompt as read now plus what its prompt cache already held.
        prompt_tokens = int(timings.get("prompt_n", 0)) + int(timings.get("cache_n", 0))
        final = {
            "model": body["model"],
            "created_at": "2026-11-21T00:00:00Z",
            "message": {"role": "assistant", "content": "" if streaming else "".join(pieces)},
            "done": True,
            "done_reason": done_reason,
            "total_duration": int(elapsed * 1e9),
            "prompt_eval_count": max(1, prompt_tokens),
            "eval_count": int(timings.get("predicted_n", len(pieces))),
            "eval_duration": int(max(elapsed, 0.001) * 1e9),
        }
        if streaming:
            handler.line(final)
            handler.end_stream()
        else:
            handler._json(200, final)

    def _show(self, handler: Any, body: dict[str, Any]) -> None:
        model = body.get("model", "")
        if full_name(model) not in self.models:
            handler._json(404, {"error": f"model '{model}' not found"})
            return
        handler._json(
            200,
            {
                "modelfile": f"FROM {model}",
                "parameters": "num_ctx 2048",
                "template": "{{ .Prompt }}",
                "details": {"format": "gguf", "family": "qwen2"},
                "model_info": {"general.architecture": "qwen2"},
            },
        )

    def _pull(self, handler: Any, body: dict[str, Any]) -> None:
        handler.start_stream()
        handler.line({"status": "pulling manifest"})
        digest = "sha256:" + "ab" * 32
        step = max(1, self.pull_total // 4)
        for completed in range(0, self.pull_total + 1, step):
            handler.line(
                {
                    "status": f"pulling {digest[7:19]}",
                    "digest": digest,
                    "total": self.pull_total,
                    "completed": completed,
                }
            )
        for status in ("verifying sha256 digest", "writing manifest", "success"):
            handler.line({"status": status})
        handler.end_stream()
        with self._lock:
            if full_name(body["model"]) not in self.models:
                self.models.append(full_name(body["model"]))

    def _create(self, handler: Any, body: dict[str, Any]) -> None:
        base = body.get("from", "")
        if full_name(base) not in self.models:
            handler._json(404, {"error": f"model '{base}' not found"})
            return
        handler.start_stream()
        for status in ("using existing layer sha256:" + "ab" * 32, "writing manifest", "success"):
            handler.line({"status": status})
        handler.end_stream()
        with self._lock:
            if full_name(body["model"]) not in self.models:
                self.models.append(full_name(body["model"]))

    # --- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> OllamaDouble:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
