"""A small GitHub REST API stand-in on 127.0.0.1, scripted per test.

Each test registers the responses it needs (``add``, ``add_pages``) and reads back what the client
sent (``requests``). Anything not registered answers 404 with GitHub's own error body. Responses
carry the ``X-RateLimit-*`` and ``X-GitHub-Api-Version`` headers that the real API sends.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "github"

NOT_FOUND_BODY = {
    "message": "Not Found",
    "documentation_url": "https://docs.github.com/rest",
    "status": "404",
}


def load_fixture(name: str) -> Any:
    """Return one recorded GitHub response body from ``tests/fixtures/github``."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    raw: bytes | None = None  # sent as is (for malformed bodies); overrides body
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class SeenRequest:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # keys lower-cased

    @property
    def route(self) -> str:
        return urlsplit(self.path).path


class GitHubDouble:
    def __init__(self, *, rate_limit: int = 60) -> None:
        self.replies: dict[str, Reply] = {}
        self.requests: list[SeenRequest] = []
        self.rate_limit = rate_limit
        self._lock = threading.Lock()
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                headers = {key.lower(): value for key, value in self.headers.items()}
                with double._lock:
                    double.requests.append(SeenRequest("GET", self.path, headers))
                    used = len(double.requests)
                reply = double._reply_for(self.path)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    for name, value in double._headers(reply, used, len(payload)).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (a timeout test)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- scripting ----------------------------------------------------------------------------

    def add(
        self,
        path: str,
        body: Any = None,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        delay: float = 0.0,
    ) -> None:
        """Answer GET ``path`` (matched with its query string first, then without it)."""
        self.replies[path] = Reply(status, body, raw, dict(headers or {}), delay)

    def add_pages(
        self, path: str, pages: list[Any], *, query: str = "", link_path: str | None = None
    ) -> list[str]:
        """Serve ``pages`` with GitHub's ``Link`` header; return the paths a client should GET.

        Page 1 is at ``path?{query}&page=1``. The links point at ``link_path`` when given, as
        GitHub's do: ``/users/{name}/repos`` pages link to ``/user/{id}/repos?...&page=N``.
        """
        link_path = link_path or path
        prefix = f"{link_path}?{query}&" if query else f"{link_path}?"
        first = f"{path}?{query}&page=1" if query else f"{path}?page=1"
        paths = [first] + [f"{prefix}page={number}" for number in range(2, len(pages) + 1)]
        last = len(pages)
        for number, (page_path, body) in enumerate(zip(paths, pages, strict=True), start=1):
            links = []
            if number > 1:
                links.append(f'<{self.url}{prefix}page={number - 1}>; rel="prev"')
            if number < last:
                links.append(f'<{self.url}{prefix}page={number + 1}>; rel="next"')
                links.append(f'<{self.url}{prefix}page={last}>; rel="last"')
            if number > 1:
                links.append(f'<{self.url}{prefix}page=1>; rel="first"')
            self.add(page_path, body, headers={"Link": ", ".join(links)} if links else None)
        return paths

    def rate_limited(self, path: str, *, reset: int, status: int = 403) -> None:
        """Answer ``path`` the way GitHub does once the primary rate limit is spent."""
        self.add(
            path,
            load_fixture("error-rate-limit.json"),
            status=status,
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
        )

    def seen(self, route: str) -> list[SeenRequest]:
        """Return the requests made to ``route`` (a path without its query string)."""
        return [request for request in self.requests if request.route == route]

    def _headers(self, reply: Reply, used: int, length: int) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Length": str(length),
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, self.rate_limit - used)),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Resource": "core",
        }
        overrides = {name.lower() for name in reply.headers}
        headers = {name: value for name, value in headers.items() if name.lower() not in overrides}
        return headers | reply.headers

    def _reply_for(self, path: str) -> Reply:
        reply = self.replies.get(path) or self.replies.get(urlsplit(path).path)
        return reply or Reply(404, NOT_FOUND_BODY)

    # --- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> GitHubDouble:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
