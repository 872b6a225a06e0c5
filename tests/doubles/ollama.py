"""A small Ollama stand-in on 127.0.0.1 that speaks Ollama's HTTP API (for now ``/api/tags``
and ``/api/version``), so the real ``ollama`` client runs against it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class OllamaDouble:
    def __init__(self, models: list[str] | None = None) -> None:
        self.models = list(models or [])
        self.requests: list[str] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _json(self, status: int, body: Any) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                double.requests.append(f"GET {self.path}")
                if self.path == "/api/tags":
                    self._json(
                        200,
                        {
                            "models": [
                                {
                                    "name": name,
                                    "model": name,
                                    "modified_at": "2026-11-01T00:00:00Z",
                                    "size": 4_000_000_000,
                                    "digest": "0" * 64,
                                    "details": {"format": "gguf", "family": "qwen2"},
                                }
                                for name in double.models
                            ]
                        },
                    )
                elif self.path == "/api/version":
                    self._json(200, {"version": "0.12.6"})
                else:
                    self._json(404, {"error": "not found"})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OllamaDouble:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
