"""Career pages that build their JSON-LD with JavaScript, rendered by Debian's Chromium through
Playwright. The browser starts on first use (most installs never need it) and is closed by the
app's lifespan; ``playwright install`` is never needed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from careergini.core.logging import get_logger

log = get_logger(__name__)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
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


class PageRenderer:
    """One headless Chromium shared by every render, a few pages at a time."""

    def __init__(
        self, *, executable_path: str, timeout: float, user_agent: str, concurrency: int = 2
    ) -> None:
        self.executable_path = executable_path
        self.timeout = timeout
        self.user_agent = user_agent
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
                from playwright.async_api import async_playwright

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
        """Load a page with JavaScript; return its final HTML, visible text and JSON-LD blocks."""
        browser = await self._browser_instance()
        timeout_ms = self.timeout * 1000
        async with self._pages:
            context = await browser.new_context(user_agent=self.user_agent)
            try:
                page = await context.new_page()
                try:
                    await page.goto(url, wait_until="load", timeout=timeout_ms)
                    if wait_for_jsonld:
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
                    raise RenderError(
                        f"{url} could not be rendered: {str(exc).splitlines()[0]}"
                    ) from exc
                return RenderedPage(url=page.url, html=html, text=text or "", jsonld=list(blocks))
            finally:
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
