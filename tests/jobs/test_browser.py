"""Chromium renders a stranger's page on the server: its own requests (scripts, fetch/XHR,
frames, WebSockets, redirects, navigations) may not reach private addresses either.

Two job-board doubles run on 127.0.0.1: ``boards`` plays the career site, reached as
``localhost`` (the one host the install trusts, ``jobs_private_hosts``), and ``internal`` plays
a service of the internal network, reached as ``127.0.0.1``, which must never see a request.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Error as PlaywrightError

from careergini.jobs.browser import PageRenderer, RenderError
from careergini.jobs.fetch import PoliteFetcher
from careergini.runtime.resources import user_agent
from tests.doubles.jobboards import JobBoardsDouble, Reply, json_reply

SECRET = "TOP-SECRET-7f3a"


@pytest.fixture
def internal() -> Iterator[JobBoardsDouble]:
    with JobBoardsDouble() as double:
        double.add(
            "/secret",
            Reply(
                body=SECRET.encode(),
                content_type="text/plain",
                headers={"Access-Control-Allow-Origin": "*"},
            ),
        )
        yield double


class UdpListener:
    """A UDP port on 127.0.0.1 (a STUN server, to WebRTC) that counts the packets it gets."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.packets = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                self.socket.recvfrom(2048)
            except TimeoutError:
                continue
            self.packets += 1

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def stun() -> Iterator[UdpListener]:
    listener = UdpListener()
    yield listener
    listener.close()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(headers={"User-Agent": user_agent()}) as client:
        yield client


async def renderer_for(
    http: httpx.AsyncClient, *, allow_private: bool, private_hosts: list[str]
) -> PageRenderer:
    fetcher = PoliteFetcher(
        client=http,
        retries=0,
        timeout=5.0,
        allow_private=allow_private,
        private_hosts=private_hosts,
    )
    return PageRenderer(
        executable_path="/usr/bin/chromium", timeout=20.0, user_agent=user_agent(), fetcher=fetcher
    )


def on_localhost(double: JobBoardsDouble) -> str:
    return f"http://localhost:{urlsplit(double.url).port}"


def probing_page(target: str, stun_port: int) -> bytes:
    """A career page whose script tries to read ``target`` every way it can, writes what it got
    into the page and into its JobPosting, and builds the JSON-LD only once every try is over."""
    script = f"""
    const target = {json.dumps(target)};
    const found = [];
    const note = (name, p) => p.then(
      (text) => found.push(name + ": " + text), () => found.push(name + ": failed"));
    const socket = new Promise((resolve) => {{
      const ws = new WebSocket(target.replace("http", "ws") + "/ws");
      ws.onopen = () => resolve("open");
      ws.onerror = ws.onclose = () => resolve("failed");
    }});
    const rtc = new Promise((resolve) => {{
      // ICE gathering sends STUN packets to the server; bounded, in case one never answers.
      const pc = new RTCPeerConnection({{iceServers: [{{urls: "stun:127.0.0.1:{stun_port}"}}]}});
      pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && resolve();
      setTimeout(resolve, 3000);
      pc.createDataChannel("probe");
      pc.createOffer().then((offer) => pc.setLocalDescription(offer));
    }});
    const frame = new Promise((resolve) => {{
      const f = document.createElement("iframe");
      f.src = target + "/frame";
      f.onload = f.onerror = () => resolve("loaded");
      document.body.appendChild(f);
    }});
    Promise.allSettled([
      note("direct", fetch(target + "/secret").then((r) => r.text())),
      note("redirect", fetch("/hop").then((r) => r.text())),
      note("post", fetch(target + "/secret", {{method: "POST", body: "x"}}).then((r) => r.text())),
      note("echo", fetch("/api/echo", {{method: "POST", body: "hello"}}).then((r) => r.text())),
      note("socket", socket.then((s) => s === "open" ? s : Promise.reject())),
      frame,
      rtc,
      fetch("/api/roles").then((r) => r.json()),
    ]).then((results) => {{
      const roles = results[results.length - 1].value;
      document.getElementById("found").textContent = found.sort().join(" | ");
      const tag = document.createElement("script");
      tag.type = "application/ld+json";
      tag.textContent = JSON.stringify({{
        "@context": "https://schema.org", "@type": "JobPosting", "title": roles.title,
        "description": "Probes: " + found.join(" | "), "datePosted": "2026-11-14",
        "hiringOrganization": {{"@type": "Organization", "name": "Stark Industries"}}}});
      document.head.appendChild(tag);
    }});
    """
    html = (
        "<!doctype html><html><head><title>Jobs</title>"
        f'<script src="{target}/evil.js"></script></head>'
        f'<body><h1>Jobs</h1><div id="found">probing</div><script>{script}</script></body></html>'
    )
    return html.encode()


def serve_probing_page(
    boards: JobBoardsDouble, internal: JobBoardsDouble, stun: UdpListener
) -> None:
    page = probing_page(internal.url, stun.port)
    boards.add("/careers/app.html", Reply(body=page, content_type="text/html"))
    boards.add("/hop", Reply(status=302, headers={"Location": f"{internal.url}/secret"}))
    boards.add("/api/roles", json_reply({"title": "Reactor Engineer"}))
    boards.add("/api/echo", Reply(body=b"echoed", content_type="text/plain"))
    internal.add(
        "/evil.js", Reply(body=b"document.title = 'pwned';", content_type="text/javascript")
    )


async def test_a_rendered_page_reaches_no_private_address(
    boards: JobBoardsDouble, internal: JobBoardsDouble, stun: UdpListener, http: httpx.AsyncClient
) -> None:
    serve_probing_page(boards, internal, stun)
    renderer = await renderer_for(http, allow_private=False, private_hosts=["localhost"])
    try:
        page = await renderer.render(f"{on_localhost(boards)}/careers/app.html")
    finally:
        await renderer.aclose()

    # The page's own JSON-LD, built from its own API on the trusted host, is still read.
    assert len(page.jsonld) == 1
    posting = json.loads(page.jsonld[0])
    assert posting["title"] == "Reactor Engineer"
    # Every way towards the internal service failed, and it never saw a request.
    expected = "direct: failed | echo: echoed | post: failed | redirect: failed | socket: failed"
    assert expected in page.text
    assert posting["description"].count("failed") == 4
    assert internal.requests == [] and stun.packets == 0
    for rendered in (page.text, page.html, *page.jsonld):
        assert SECRET not in rendered and "pwned" not in rendered
    # script, fetch, POST, the redirect's hop, the frame (the WebSocket finds no host at all,
    # WebRTC sends nothing)
    assert page.blocked >= 5
    # The trusted host was read by the fetcher: our User-Agent, the POST with its body.
    assert boards.seen("/hop") and boards.seen("/api/roles")
    (echo,) = boards.seen("/api/echo")
    assert echo.method == "POST" and echo.body == b"hello"
    assert all(r.headers["user-agent"].startswith("CareerGini/") for r in boards.requests)


async def test_a_page_that_leads_to_a_private_address_is_not_rendered(
    boards: JobBoardsDouble, internal: JobBoardsDouble, http: httpx.AsyncClient
) -> None:
    internal.add("/careers/inside.html", Reply(body=b"<p>inside</p>", content_type="text/html"))
    boards.add(
        "/careers/moved.html",
        Reply(status=302, headers={"Location": f"{internal.url}/careers/inside.html"}),
    )
    script = (
        f"<script>location.href = {json.dumps(internal.url + '/careers/inside.html')};</script>"
    )
    boards.add("/careers/leaves.html", Reply(body=script.encode(), content_type="text/html"))
    renderer = await renderer_for(http, allow_private=False, private_hosts=["localhost"])
    try:
        # The document redirects there ...
        with pytest.raises(RenderError, match=r"127\.0\.0\.1 is a private or local address"):
            await renderer.render(f"{on_localhost(boards)}/careers/moved.html")
        # ... or its script navigates there.
        with pytest.raises(RenderError, match=r"127\.0\.0\.1 is a private or local address"):
            await renderer.render(f"{on_localhost(boards)}/careers/leaves.html")
        # And a page on an address nobody trusted is refused before Chromium starts.
        with pytest.raises(RenderError, match="private or local address"):
            await renderer.render(f"{boards.url}/careers/careers-js.html")
        assert renderer.launches == 1
    finally:
        await renderer.aclose()
    assert len(boards.seen("/careers/moved.html")) == 1
    assert len(boards.seen("/careers/leaves.html")) == 1
    assert boards.seen("/careers/careers-js.html") == []
    assert internal.requests == []


async def test_a_trusted_install_renders_everything(
    boards: JobBoardsDouble, internal: JobBoardsDouble, stun: UdpListener, http: httpx.AsyncClient
) -> None:
    serve_probing_page(boards, internal, stun)
    renderer = await renderer_for(http, allow_private=True, private_hosts=[])
    try:
        page = await renderer.render(f"{boards.url}/careers/app.html")
        listing = await renderer.render(f"{boards.url}/careers/careers-js.html")
    finally:
        await renderer.aclose()
    assert f"direct: {SECRET}" in page.text and f"redirect: {SECRET}" in page.text
    assert f"post: {SECRET}" in page.text
    assert SECRET in json.loads(page.jsonld[0])["description"]
    assert page.blocked == 0
    assert internal.seen("/evil.js") and internal.seen("/frame")
    assert sorted(r.method for r in internal.seen("/secret")) == ["GET", "GET", "POST"]
    assert "Robotics Software Engineer" in listing.jsonld[0]
    assert listing.url == f"{boards.url}/careers/careers-js.html"


async def test_a_redirected_page_is_rendered_at_its_final_address(
    boards: JobBoardsDouble, http: httpx.AsyncClient
) -> None:
    boards.add("/jobs", Reply(status=301, headers={"Location": "/careers/careers-js.html"}))
    renderer = await renderer_for(http, allow_private=False, private_hosts=["localhost"])
    try:
        page = await renderer.render(f"{on_localhost(boards)}/jobs")
    finally:
        await renderer.aclose()
    assert page.url == f"{on_localhost(boards)}/careers/careers-js.html"
    assert "Computer Vision Engineer" in page.jsonld[0] and page.blocked == 0
    assert len(boards.seen("/careers/careers-js.html")) == 1  # fetched once, not twice


async def test_chromium_itself_reaches_no_address(
    boards: JobBoardsDouble, http: httpx.AsyncClient
) -> None:
    """What routing never sees (WebSockets, preconnects) finds no host: Chromium resolves none.

    (Chromium's own local-network checks stop a public page's WebSocket to a private address
    too; this holds whatever they decide.)"""
    renderer = await renderer_for(http, allow_private=True, private_hosts=[])
    try:
        browser = await renderer._browser_instance()
        context = await browser.new_context()  # no routing: straight to Chromium's network
        try:
            page = await context.new_page()
            for url in (f"{boards.url}/robots.txt", f"{on_localhost(boards)}/robots.txt"):
                with pytest.raises(PlaywrightError, match="ERR_NAME_NOT_RESOLVED"):
                    await page.goto(url)
        finally:
            await context.close()
    finally:
        await renderer.aclose()
    assert boards.requests == []
