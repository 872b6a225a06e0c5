"""Career pages that build their JSON-LD with JavaScript, rendered by Debian's Chromium through
Playwright. The browser starts on first use (most installs never need it) and is closed by the
app's lifespan; ``playwright install`` is never needed.

A rendered page is a stranger's code running on the server, so Chromium gets no network of its
own: every http(s) request of the page (documents, scripts, XHR/fetch, frames, workers) is routed
to the :class:`PoliteFetcher`, which checks each redirect hop against the private-address rule
and keeps our User-Agent and per-host limits, and its answer is handed back to the page. Other
schemes are refused, and whatever escapes routing (WebSockets, preconnects, WebRTC) finds no
host or may not send.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from careergini.core.logging import get_logger
from careergini.jobs.fetch import Fetched, FetchError, PoliteFetcher, PrivateAddressError

log = get_logger(__name__)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Every request is fetched by the PoliteFetcher (see _Guard); Chromium itself resolves
    # nothing, so what routing does not see (WebSockets, preconnects) reaches no address, and
    # WebRTC sends no UDP (a STUN server is an address too).
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
]
# Schemes that never leave the browser.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
# Request headers the fetcher sets itself (our User-Agent, its own encodings) or that belong to
# Chromium's connection, and response headers that no longer describe the decoded body.
_NOT_FORWARDED = frozenset(
    {
        "accept-encoding",
        "connection",
        "content-length",
        "cookie",
        "host",
        "keep-alive",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
    }
)
_NOT_RETURNED = frozenset(
    {"connection", "content-encoding", "content-length", "keep-alive", "transfer-encoding"}
)
_JSONLD_JS = """() => Array.from(
  document.querySelectorAll('script[type="application/ld+json"]')
).map((s) => s.textContent || '')"""


class RenderError(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(slots=True)
class RenderedPage:
    url: str
    html: str
    text: str
    jsonld: list[str]
    blocked: int = 0  # requests of the page refused (private addresses, other schemes)


class _Guard:
    """One render's gate: fetches every request of the page through the PoliteFetcher."""

    def __init__(self, fetcher: PoliteFetcher, url: str) -> None:
        self.fetcher = fetcher
        self.url = url
        self.checked: dict[str, FetchError | None] = {}  # address checks by host, this render
        self.prefetched: dict[str, Fetched] = {}  # the main document, already fetched
        self.main_frame: Any = None
        self.main_error: str | None = None  # why the page's own document was refused
        self.blocked = 0

    async def handle(self, route: Any, request: Any) -> None:
        try:
            await self._handle(route, request)
        except Exception:  # mostly the page closing under the request: nothing to answer
            log.info("jobs.browser.route_failed", url=self.url, exc_info=True)
            with contextlib.suppress(Exception):  # already answered, or gone
                await route.abort("failed")

    def _is_main(self, request: Any) -> bool:
        if not request.is_navigation_request():
            return False
        try:
            return request.frame == self.main_frame
        except Exception:  # a worker's request has no frame
            return False

    async def _handle(self, route: Any, request: Any) -> None:
        url = request.url
        scheme = urlsplit(url).scheme.lower()
        if scheme in LOCAL_SCHEMES:
            await route.continue_()
            return
        main = self._is_main(request)
        if scheme not in ("http", "https"):
            await self._block(route, request, main, f"{url} uses the {scheme}: scheme.")
            return
        fetched = self.prefetched.pop(url, None) if main else None
        if fetched is None:
            try:
                fetched = await self.fetcher.request(
                    request.method,
                    url,
                    headers={
                        name: value
                        for name, value in request.headers.items()
                        if name.lower() not in _NOT_FORWARDED
                    },
                    content=request.post_data_buffer,
                    robots=main,
                    user_url=True,
                    retries=None if main else 0,  # a page's parts: no waiting on backoffs
                    checked=self.checked,
                )
            except PrivateAddressError as exc:
                await self._block(route, request, main, exc.detail)
                return
            except FetchError as exc:
                if exc.status is not None:  # a 429/5xx: the page sees it as it was
                    await route.fulfill(status=exc.status, body=b"")
                    return
                if main:
                    self.main_error = exc.detail
                await route.abort("failed")
                return
        await route.fulfill(
            status=fetched.status, headers=_returned(fetched.headers), body=fetched.content
        )

    async def _block(self, route: Any, request: Any, main: bool, detail: str) -> None:
        self.blocked += 1
        if main:
            self.main_error = detail
        log.info(
            "jobs.browser.request_blocked",
            page=self.url,
            host=urlsplit(request.url).hostname,
            resource=request.resource_type,
            main=main,
        )
        await route.abort("blockedbyclient")


def _returned(headers: httpx.Headers) -> dict[str, str]:
    returned: dict[str, str] = {}
    for name, value in headers.multi_items():
        name = name.lower()
        if name in _NOT_RETURNED:
            continue
        if name in returned:
            # Playwright splits Set-Cookie on new lines; other repeated headers are lists.
            value = returned[name] + ("\n" if name == "set-cookie" else ", ") + value
        returned[name] = value
    return returned


class PageRenderer:
    """One headless Chromium shared by every render, a few pages at a time.

    ``fetcher`` fetches every request of a rendered page (see :class:`_Guard`).
    """

    def __init__(
        self,
        *,
        executable_path: str,
        timeout: float,
        user_agent: str,
        fetcher: PoliteFetcher,
        concurrency: int = 2,
    ) -> None:
        self.executable_path = executable_path
        self.timeout = timeout
        self.user_agent = user_agent
        self.fetcher = fetcher
        self._pages = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self.launches = 0

    @property
    def started(self) -> bool:
        return self._browser is not None

    async def _browser_instance(self) -> Any:
        async with self._lock:
            if self._browser is None or not self._browser.is_connected():
                # Imported on the first rendered page only: Playwright costs start-up time.
                from playwright.async_api import async_playwright  # noqa: PLC0415

                if self._playwright is None:
                    self._playwright = await async_playwright().start()
                try:
                    self._browser = await self._playwright.chromium.launch(
                        executable_path=self.executable_path, args=CHROMIUM_ARGS
                    )
                except Exception as exc:
                    raise RenderError(
                        f"Chromium could not be started from {self.executable_path}: "
                        f"{str(exc).splitlines()[0]}"
                    ) from exc
                self.launches += 1
                log.info("jobs.browser.started", path=self.executable_path)
            return self._browser

    async def render(self, url: str, *, wait_for_jsonld: bool = True) -> RenderedPage:
        """Load a page with JavaScript; return its final HTML, visible text and JSON-LD blocks.

        The document is fetched first (robots.txt and the address rule on every redirect hop),
        so the page is opened at its final URL; a page refused there raises RenderError.
        """
        guard = _Guard(self.fetcher, url)
        try:
            first = await self.fetcher.get(url, robots=True, user_url=True, checked=guard.checked)
        except FetchError as exc:
            raise RenderError(exc.detail) from exc
        guard.prefetched[first.url] = first
        browser = await self._browser_instance()
        timeout_ms = self.timeout * 1000
        async with self._pages:
            context = await browser.new_context(
                user_agent=self.user_agent, service_workers="block", accept_downloads=False
            )
            try:
                await context.route("**/*", guard.handle)
                page = await context.new_page()
                guard.main_frame = page.main_frame
                try:
                    await page.goto(first.url, wait_until="load", timeout=timeout_ms)
                    if wait_for_jsonld and guard.main_error is None:
                        try:
                            await page.wait_for_selector(
                                'script[type="application/ld+json"]',
                                state="attached",
                                timeout=min(timeout_ms, 5000),
                            )
                        except Exception:  # none appeared: the caller reports what it found
                            log.info("jobs.browser.no_jsonld", url=url)
                    blocks = await page.evaluate(_JSONLD_JS)
                    html = await page.content()
                    text = await page.evaluate("() => document.body ? document.body.innerText : ''")
                except Exception as exc:
                    if guard.main_error is not None:
                        raise RenderError(guard.main_error) from exc
                    raise RenderError(
                        f"{url} could not be rendered: {str(exc).splitlines()[0]}"
                    ) from exc
                if guard.main_error is not None:  # the page navigated somewhere it may not go
                    raise RenderError(guard.main_error)
                return RenderedPage(
                    url=page.url,
                    html=html,
                    text=text or "",
                    jsonld=list(blocks),
                    blocked=guard.blocked,
                )
            finally:
                if guard.blocked:
                    log.warning("jobs.browser.requests_blocked", url=url, blocked=guard.blocked)
                await context.close()

    async def aclose(self) -> None:
        async with self._lock:
            if self._browser is not None:
                try:
                    await self._browser.close()
                except Exception:  # already gone
                    log.info("jobs.browser.close_failed")
                self._browser = None
            if self._playwright is not None:
                await self._playwright.stop()
                self._playwright = None
