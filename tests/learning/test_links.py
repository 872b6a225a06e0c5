"""The resource link checker against a real HTTP server on 127.0.0.1: live, redirected, gone,
refusing HEAD, failing and hanging links; bounded concurrency and time; the CLI and its report;
the app leaving out what the report marks broken (new and stored roadmaps alike)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from careergini.config import Settings
from careergini.jobs.service import PoliteFetcher
from careergini.learning import links
from careergini.learning.catalogue import load_catalogue
from tests.conftest import UserMaker

CLI = [sys.executable, "-m", "careergini.cli"]


class LinkServer:
    """Pages with known fates; counts the requests in flight at once."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.most_in_flight = 0
        self.methods: list[tuple[str, str]] = []
        self.release = threading.Event()  # ends the hanging page's wait at shutdown
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def _answer(self, body: bool) -> None:
                with server._lock:
                    server.methods.append((self.command, self.path))
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                try:
                    self._route(body)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _route(self, body: bool) -> None:
                path = self.path
                if path == "/hang":
                    server.release.wait(30)
                    return
                if path.startswith("/slow/"):
                    time.sleep(0.3)
                    path = "/live"
                if path == "/moved":
                    self.send_response(301)
                    self.send_header("Location", "/live")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if path == "/no-head" and self.command == "HEAD":
                    status = 405
                elif path in ("/live", "/no-head"):
                    status = 200
                elif path == "/broken-server":
                    status = 500
                else:
                    status = 404
                page = b"<html><title>page</title></html>"
                self.send_response(status)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                if body:
                    self.wfile.write(page)

            def do_GET(self) -> None:
                self._answer(body=True)

            def do_HEAD(self) -> None:
                self._answer(body=False)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> LinkServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with LinkServer() as running:
        yield running


def pairs(server: LinkServer) -> list[tuple[str, str]]:
    return [
        ("live", f"{server.base}/live"),
        ("moved", f"{server.base}/moved"),
        ("gone", f"{server.base}/gone"),
        ("no-head", f"{server.base}/no-head"),
        ("server-error", f"{server.base}/broken-server"),
        ("hanging", f"{server.base}/hang"),
        ("refused", "http://127.0.0.1:9/nothing-listens-here"),
    ]


async def test_each_kind_of_link_gets_its_verdict(server: LinkServer) -> None:
    async with httpx.AsyncClient() as client:
        fetcher = PoliteFetcher(client=client, per_host=4, timeout=5.0, retries=0)
        checks = await links.check_links(pairs(server), fetcher=fetcher, seconds=1.0)
    by_id = {c.resource_id: c for c in checks}
    assert [c.resource_id for c in checks] == [rid for rid, _ in pairs(server)]
    assert by_id["live"].status == "ok" and by_id["live"].http_status == 200
    assert by_id["moved"].status == "redirected"
    assert by_id["moved"].final_url == f"{server.base}/live"
    assert by_id["gone"].status == "dead" and by_id["gone"].http_status == 404
    # A server that refuses HEAD is asked with GET and its page is alive.
    assert by_id["no-head"].status == "ok"
    assert ("GET", "/no-head") in server.methods and ("HEAD", "/no-head") in server.methods
    # A live page is not downloaded: HEAD was enough.
    assert ("GET", "/live") not in server.methods
    assert by_id["server-error"].status == "failed" and by_id["server-error"].http_status == 500
    assert by_id["hanging"].status == "failed"
    assert by_id["hanging"].detail == "no answer within 1 s"
    assert by_id["refused"].status == "failed" and "could not be reached" in by_id["refused"].detail
    assert {c.resource_id for c in checks if c.broken} == {
        "gone",
        "server-error",
        "hanging",
        "refused",
    }


async def test_no_more_links_than_the_concurrency_are_checked_at_once(server: LinkServer) -> None:
    slow = [(f"slow-{i}", f"{server.base}/slow/{i}") for i in range(6)]
    async with httpx.AsyncClient() as client:
        fetcher = PoliteFetcher(client=client, per_host=16, timeout=5.0, retries=0)
        checks = await links.check_links(slow, fetcher=fetcher, concurrency=2, seconds=5.0)
    assert all(c.status == "ok" for c in checks)
    assert server.most_in_flight == 2


def test_the_command_reports_broken_links_and_writes_the_report(
    server: LinkServer, tmp_path: Path
) -> None:
    resources = tmp_path / "resources.json"
    resources.write_text(
        json.dumps({"resources": [{"id": rid, "url": url} for rid, url in pairs(server)]})
    )
    report = tmp_path / "links.json"
    env = {"CAREERGINI_DATA_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [*CLI, "links", "--file", str(resources), "--report", str(report), "--timeout", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert f"DEAD gone: {server.base}/gone (answered HTTP 404)" in lines
    assert f"FAILED hanging: {server.base}/hang (no answer within 1 s)" in lines
    assert not any(" live:" in line or " moved:" in line for line in lines)
    assert "7 links checked" in lines[-1] and "3 alive (1 redirected), 4 broken" in lines[-1]
    written = json.loads(report.read_text())
    assert written["format"] == 1 and len(written["links"]) == 7
    assert links.broken_resources(report) == {"gone", "server-error", "hanging", "refused"}

    alive = tmp_path / "alive.json"
    alive.write_text(json.dumps({"resources": [{"id": "live", "url": f"{server.base}/live"}]}))
    done = subprocess.run(
        [*CLI, "links", "--file", str(alive), "--report", str(report)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert links.broken_resources(report) == frozenset()

    bad = subprocess.run(
        [*CLI, "links", "--concurrency", "0"], env=env, capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and "must be from 1 to 64" in bad.stderr


def test_an_unreadable_or_missing_report_hides_nothing(tmp_path: Path) -> None:
    assert links.broken_resources(tmp_path / "none.json") == frozenset()
    garbled = tmp_path / "garbled.json"
    garbled.write_text("{not json")
    assert links.broken_resources(garbled) == frozenset()
    assert links.usable_catalogue(tmp_path) is load_catalogue()


def _mark_broken(data_dir: Path, *resource_ids: str) -> None:
    checks = [
        links.LinkCheck(
            resource_id=rid,
            url=load_catalogue().resources[rid].url,
            status="dead",
            http_status=404,
            final_url=None,
            detail="answered HTTP 404",
            seconds=0.1,
        )
        for rid in resource_ids
    ]
    links.write_link_report(
        links.link_report_path(data_dir), checks, checked_at="2026-12-07T20:00:00+00:00"
    )


async def test_the_app_leaves_out_resources_the_report_marks_broken(
    client: httpx.AsyncClient, make_user: UserMaker, settings: Settings
) -> None:
    user = await make_user()
    body = {"target_role": "software engineer", "hours_per_week": 20}
    plan = await client.post("/api/learning/roadmaps", json=body, headers=user["headers"])
    assert plan.status_code == 201, plan.text
    assert "cs50.harvard.edu/python" in plan.text
    first_id = plan.json()["id"]
    before = (
        await client.get("/api/learning/resources?skill=python", headers=user["headers"])
    ).json()
    ids = [r["id"] for r in before["resources"]]
    assert "cs50p" in ids
    _mark_broken(settings.data_dir, "cs50p")
    after = (
        await client.get("/api/learning/resources?skill=python", headers=user["headers"])
    ).json()
    assert "cs50p" not in [r["id"] for r in after["resources"]]
    assert after["resources"]  # the other Python resources are still there
    plan = await client.post("/api/learning/roadmaps", json=body, headers=user["headers"])
    assert plan.status_code == 201, plan.text
    assert "cs50.harvard.edu/python" not in plan.text
    # A roadmap made before the check no longer shows the broken link either.
    old = await client.get(f"/api/learning/roadmaps/{first_id}", headers=user["headers"])
    assert old.status_code == 200
    assert "cs50.harvard.edu/python" not in old.text
    assert any(t["resources"] for w in old.json()["weeks"] for t in w["tasks"])
