"""Job boards, feeds and career pages on 127.0.0.1, for the app's real HTTP client (and
Chromium) to read.

One server plays every source, each under its own prefix, with the fixtures of
``tests/fixtures/jobboards``:

- ``/greenhouse/v1/boards/{board}/jobs``: ``greenhouse-{board}.json``, else Greenhouse's 404;
- ``/lever/v0/postings/{company}``: ``lever-{company}.json``, else Lever's 404;
- ``/ashby/posting-api/job-board/{board}``: ``ashby-{board}.json``, else a 404;
- ``/workable/api/v1/widget/accounts/{account}``: ``workable-{account}.json``;
- ``/smartrecruiters/v1/companies/{company}/postings`` (and ``/{id}``):
  ``smartrecruiters-{company}.json`` (and ``smartrecruiters-{company}-{id}.json``);
- ``/recruitee/{company}/api/offers/``: ``recruitee-{company}.json`` (the app's
  ``https://{company}.recruitee.com`` becomes ``{url}/recruitee/{company}``; so for the others);
- ``/personio/{company}/xml``: ``personio-{company}.xml``;
- ``/teamtailor/{company}/jobs.rss``: ``teamtailor-{company}.rss``;
- ``/bamboohr/{company}/careers/list`` (and ``/{id}/detail``): ``bamboohr-{company}.json`` (and
  ``bamboohr-{company}-{id}.json``);
- ``POST /workday/{tenant}/{pod}/wday/cxs/{tenant}/{site}/jobs`` (and ``GET .../job/.../{slug}``):
  ``workday-{tenant}.json`` (and ``workday-{tenant}-{slug}.json``); each an HTTP 404 when the
  file is missing;
- ``/feeds/{file}``, ``/careers/{file}``: the fixture file (RSS, Atom, HTML);
- ``/robots.txt``: ``robots`` (everything allowed but ``/private/``).

Tests change answers with ``add`` (one reply) or ``add_sequence`` (replies in turn, the last one
repeating), and read back what was asked (``requests``, POSTs with their body) and how many
requests to one host were in flight at once (``max_in_flight``).
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

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "jobboards"
DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\n"
_TYPES = {
    ".json": "application/json; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
}


def fixture(name: str) -> bytes:
    """Return one fixture file's bytes."""
    return (FIXTURES / name).read_bytes()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def json_reply(payload: Any, *, status: int = 200, **kwargs: Any) -> Reply:
    return Reply(status=status, body=json.dumps(payload).encode(), **kwargs)


def file_reply(name: str, *, status: int = 200, **kwargs: Any) -> Reply:
    suffix = Path(name).suffix
    return Reply(
        status=status, body=fixture(name), content_type=_TYPES.get(suffix, "text/plain"), **kwargs
    )


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float
    method: str = "GET"
    body: bytes = b""


class JobBoardsDouble:
    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self.robots = DEFAULT_ROBOTS
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                headers = {key.lower(): value for key, value in self.headers.items()}
                length = int(headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                with double._lock:
                    double.requests.append(
                        Seen(self.path, headers, time.monotonic(), self.command, body)
                    )
                    double.in_flight += 1
                    double.max_in_flight = max(double.max_in_flight, double.in_flight)
                try:
                    reply = double._reply_for(self.path)
                    if reply.delay:
                        time.sleep(reply.delay)
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (a timeout test)
                finally:
                    with double._lock:
                        double.in_flight -= 1

            do_POST = do_GET  # answered alike; the method and body are kept in ``requests``

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- scripting ----------------------------------------------------------------------------

    def add(self, path: str, reply: Reply) -> None:
        """Answer ``path`` (with its query string first, then without) with ``reply``."""
        self.replies[path] = [reply]

    def add_sequence(self, path: str, replies: list[Reply]) -> None:
        """Answer GET ``path`` with these replies in turn; the last one repeats."""
        self.replies[path] = list(replies)

    def seen(self, route: str) -> list[Seen]:
        """Return the requests made to ``route`` (a path without its query string)."""
        return [r for r in self.requests if urlsplit(r.path).path == route]

    def settings(self) -> dict[str, Any]:
        """Settings overrides that point the app's sources at this double."""
        return {
            "jobs_greenhouse_api_url": f"{self.url}/greenhouse/v1/boards",
            "jobs_lever_api_url": f"{self.url}/lever/v0/postings",
            "jobs_ashby_api_url": f"{self.url}/ashby/posting-api/job-board",
            "jobs_workable_api_url": f"{self.url}/workable/api/v1/widget/accounts",
            "jobs_smartrecruiters_api_url": f"{self.url}/smartrecruiters/v1/companies",
            "jobs_recruitee_url": f"{self.url}/recruitee/{{company}}",
            "jobs_personio_url": f"{self.url}/personio/{{company}}",
            "jobs_teamtailor_url": f"{self.url}/teamtailor/{{company}}",
            "jobs_bamboohr_url": f"{self.url}/bamboohr/{{company}}",
            "jobs_workday_url": f"{self.url}/workday/{{tenant}}/{{pod}}",
            "jobs_allow_private_urls": True,
        }

    # --- answers ------------------------------------------------------------------------------

    def _reply_for(self, path: str) -> Reply:
        with self._lock:
            queue = self.replies.get(path) or self.replies.get(urlsplit(path).path)
            if queue:
                return queue.pop(0) if len(queue) > 1 else queue[0]
        return self._default(urlsplit(path).path)

    def _default(self, route: str) -> Reply:
        parts = [p for p in route.split("/") if p]
        if route == "/robots.txt":
            return Reply(body=self.robots.encode(), content_type="text/plain")
        if parts[:3] == ["greenhouse", "v1", "boards"] and len(parts) == 5 and parts[4] == "jobs":
            name = f"greenhouse-{parts[3]}.json"
            if (FIXTURES / name).is_file():
                return file_reply(name)
            return file_reply("greenhouse-not-found.json", status=404)
        if parts[:3] == ["lever", "v0", "postings"] and len(parts) == 4:
            name = f"lever-{parts[3]}.json"
            if (FIXTURES / name).is_file():
                return file_reply(name)
            return file_reply("lever-not-found.json", status=404)
        if parts[:3] == ["ashby", "posting-api", "job-board"] and len(parts) == 4:
            name = f"ashby-{parts[3]}.json"
            if (FIXTURES / name).is_file():
                return file_reply(name)
            return json_reply({"success": False, "errors": ["Job board not found"]}, status=404)
        name = self._ats_fixture(parts)
        if name is not None:
            if (FIXTURES / name).is_file():
                return file_reply(name)
            return json_reply({"error": "Not found"}, status=404)
        if len(parts) == 2 and parts[0] in ("feeds", "careers", "private"):
            name = parts[1]
            if (FIXTURES / name).is_file():
                return file_reply(name)
        return Reply(status=404, body=b"<h1>Not Found</h1>", content_type="text/html")

    @staticmethod
    def _ats_fixture(parts: list[str]) -> str | None:
        """The fixture file an applicant-tracking system's route names, or None."""
        match parts:
            case ["workable", "api", "v1", "widget", "accounts", account]:
                return f"workable-{account}.json"
            case ["smartrecruiters", "v1", "companies", company, "postings"]:
                return f"smartrecruiters-{company}.json"
            case ["smartrecruiters", "v1", "companies", company, "postings", posting]:
                return f"smartrecruiters-{company}-{posting}.json"
            case ["recruitee", company, "api", "offers"]:
                return f"recruitee-{company}.json"
            case ["personio", company, "xml"]:
                return f"personio-{company}.xml"
            case ["teamtailor", company, "jobs.rss"]:
                return f"teamtailor-{company}.rss"
            case ["bamboohr", company, "careers", "list"]:
                return f"bamboohr-{company}.json"
            case ["bamboohr", company, "careers", job, "detail"]:
                return f"bamboohr-{company}-{job}.json"
            case ["workday", tenant, _pod, "wday", "cxs", _tenant, _site, "jobs"]:
                return f"workday-{tenant}.json"
            case ["workday", tenant, _pod, "wday", "cxs", _tenant, _site, "job", *rest] if rest:
                return f"workday-{tenant}-{rest[-1]}.json"
        return None

    # --- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> JobBoardsDouble:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
