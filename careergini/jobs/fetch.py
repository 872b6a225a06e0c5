"""Polite fetching: a few requests at once per host, retries with backoff on 429/5xx/timeouts
(``Retry-After`` honoured), our User-Agent, robots.txt for page scraping, and no private
addresses behind user-supplied URLs unless the installation allows them (all of them, or a few
named hosts).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from careergini.core.logging import get_logger

log = get_logger(__name__)

ROBOTS_AGENT = "CareerGini"
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
ROBOTS_TTL_SECONDS = 3600.0
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# Methods sent again after a 429/5xx/timeout; anything else may have had an effect already.
RETRIED_METHODS = ("GET", "HEAD")


class FetchError(Exception):
    """A request failed for good (after its retries); ``detail`` is readable by a user."""

    def __init__(self, detail: str, *, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


class PrivateAddressError(FetchError):
    """A user-supplied URL (or one of its redirects) leads to a private or local address."""


@dataclass(slots=True)
class Fetched:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").lower()

    @property
    def text(self) -> str:
        charset = "utf-8"
        for part in self.content_type.split(";"):
            name, _, value = part.strip().partition("=")
            if name == "charset" and value:
                charset = value.strip('"')
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


@dataclass(slots=True)
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed
    disallow_all: bool
    fetched_at: float


@dataclass
class PoliteFetcher:
    client: httpx.AsyncClient
    per_host: int = 2
    timeout: float = 15.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    allow_private: bool = False
    # Host names that pass the private-address check (one trusted internal career site).
    private_hosts: Iterable[str] = ()
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _slots: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    _robots: dict[str, _Robots] = field(default_factory=dict)
    _robots_locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    # --- public -------------------------------------------------------------------------------

    def __post_init__(self) -> None:
        self.private_hosts = frozenset(
            host.strip().lower().rstrip(".") for host in self.private_hosts if host.strip()
        )

    async def get(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        robots: bool = False,
        user_url: bool = False,
        retries: int | None = None,
        checked: dict[str, FetchError | None] | None = None,
    ) -> Fetched:
        """GET a URL politely; raise FetchError when it cannot be had.

        ``robots``: obey the host's robots.txt (page scraping). ``user_url``: the URL came from
        a user, so refuse private addresses (unless allowed) on every redirect hop.
        ``retries`` overrides the fetcher's; ``checked`` keeps address checks by host for a
        while (one page render shares one).
        """
        return await self.request(
            "GET",
            url,
            headers=headers,
            robots=robots,
            user_url=user_url,
            retries=retries,
            checked=checked,
        )

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        robots: bool = False,
        user_url: bool = False,
        retries: int | None = None,
        checked: dict[str, FetchError | None] | None = None,
    ) -> Fetched:
        """Send a request politely, following redirects hop by hop; see :meth:`get`.

        Only GET and HEAD are retried unless ``retries`` says otherwise.
        """
        method = method.upper()
        if retries is None:
            retries = self.retries if method in RETRIED_METHODS else 0
        current = url
        sent = dict(headers or {})
        for _ in range(MAX_REDIRECTS + 1):
            if user_url:
                await self.check_public(current, checked=checked)
            if robots and not await self.allowed(current):
                host = urlsplit(current).hostname
                raise FetchError(
                    f"{host}'s robots.txt does not allow {ROBOTS_AGENT} to fetch "
                    f"{urlsplit(current).path or '/'}; add the site's feed or job board instead."
                )
            response = await self._with_retries(
                method, current, headers=sent, content=content, retries=retries
            )
            if response.status in REDIRECT_STATUSES and "location" in response.headers:
                target = urljoin(current, response.headers["location"])
                scheme = urlsplit(target).scheme.lower()
                if scheme not in ("http", "https"):
                    raise FetchError(f"{url} redirects to a {scheme}: address, not a web page.")
                if (response.status == 303 and method != "HEAD") or (
                    response.status in (301, 302) and method == "POST"
                ):
                    # As browsers do: the redirect is fetched with GET and without the body.
                    method, content = "GET", None
                    sent = {k: v for k, v in sent.items() if k.lower() != "content-type"}
                if _origin(target) != _origin(current):
                    sent = {k: v for k, v in sent.items() if k.lower() != "authorization"}
                current = target
                continue
            return response
        raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times.")

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets us fetch it (cached for an hour)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._robots.get(origin)
            if cached is None or time.monotonic() - cached.fetched_at > ROBOTS_TTL_SECONDS:
                cached = await self._read_robots(origin)
                self._robots[origin] = cached
        if cached.disallow_all:
            return False
        if cached.parser is None:
            return True
        return cached.parser.can_fetch(ROBOTS_AGENT, url)

    async def check_public(
        self, url: str, *, checked: dict[str, FetchError | None] | None = None
    ) -> None:
        """Refuse a URL whose host resolves to a private, loopback or link-local address.

        Hosts in ``private_hosts`` pass, and everything does when private addresses are allowed.
        ``checked`` keeps the answer by host name for later calls that share it.
        """
        if self.allow_private:
            return
        host = (urlsplit(url).hostname or "").rstrip(".")
        if checked is not None and host in checked:
            known = checked[host]
            if known is not None:
                raise type(known)(known.detail, status=known.status)
            return
        problem = None if host in self.private_hosts else await _address_problem(host)
        if checked is not None:
            checked[host] = problem
        if problem is not None:
            raise problem

    async def is_public(
        self, url: str, *, checked: dict[str, FetchError | None] | None = None
    ) -> bool:
        """Whether a user-supplied URL may be fetched (see :meth:`check_public`)."""
        try:
            await self.check_public(url, checked=checked)
        except FetchError:
            return False
        return True

    # --- internals ----------------------------------------------------------------------------

    def _slot(self, host: str) -> asyncio.Semaphore:
        if host not in self._slots:
            self._slots[host] = asyncio.Semaphore(self.per_host)
        return self._slots[host]

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        delay = self.backoff * (2**attempt)
        if retry_after:
            value = retry_after.strip()
            try:
                delay = float(value)
            except ValueError:
                try:
                    when = parsedate_to_datetime(value)
                    delay = when.timestamp() - time.time()
                except (TypeError, ValueError):
                    pass
        return max(0.0, min(delay, self.max_backoff))

    async def _once(
        self, method: str, url: str, headers: dict[str, str] | None, content: bytes | None
    ) -> Fetched:
        host = urlsplit(url).netloc.lower()
        async with (
            self._slot(host),
            self.client.stream(
                method,
                url,
                headers=headers,
                content=content,
                timeout=self.timeout,
                follow_redirects=False,
            ) as response,
        ):
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise FetchError(f"{url} sent more than {MAX_BODY_BYTES // (1024 * 1024)} MB.")
                chunks.append(chunk)
            return Fetched(
                str(response.url), response.status_code, response.headers, b"".join(chunks)
            )

    async def _with_retries(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None,
        content: bytes | None,
        retries: int,
    ) -> Fetched:
        host = urlsplit(url).hostname
        last: str = ""
        for attempt in range(retries + 1):
            retry_after: str | None = None
            try:
                response = await self._once(method, url, headers, content)
            except httpx.TimeoutException:
                last = f"{host} did not answer within {self.timeout:g} s"
            except httpx.TransportError as exc:
                last = f"{host} could not be reached ({type(exc).__name__})"
            else:
                if response.status != 429 and response.status < 500:
                    return response
                retry_after = response.headers.get("retry-after")
                last = f"{host} answered HTTP {response.status}"
                if attempt == retries:
                    raise FetchError(
                        f"{last} {retries + 1} times; try again later.",
                        status=response.status,
                    )
            if attempt < retries:
                delay = self._delay(attempt, retry_after)
                log.info("jobs.fetch.retry", host=host, attempt=attempt + 1, delay=delay)
                await self.sleep(delay)
        raise FetchError(f"{last} ({retries + 1} attempts); try again later.")

    async def _read_robots(self, origin: str) -> _Robots:
        now = time.monotonic()
        try:
            # A user's page: robots.txt may not redirect to a private address either.
            response = await self.get(f"{origin}/robots.txt", user_url=True)
        except FetchError as exc:
            # Unreadable robots.txt (5xx, timeouts): stay away until it can be read.
            log.info("jobs.robots.unreadable", origin=origin, detail=exc.detail)
            return _Robots(None, True, now)
        if response.status in (401, 403):
            return _Robots(None, True, now)
        if response.status >= 400:
            return _Robots(None, False, now)  # no robots.txt: everything is allowed
        parser = RobotFileParser()
        parser.parse(response.text.splitlines())
        return _Robots(parser, False, now)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


async def _address_problem(host: str) -> FetchError | None:
    """Return why ``host`` may not be fetched for a user (None: every address is public)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        return FetchError(f"{host} could not be resolved: {exc.strerror or exc}.")
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return PrivateAddressError(
                f"{host} is a private or local address; CareerGini only fetches public web "
                "pages (CAREERGINI_JOBS_PRIVATE_HOSTS names trusted internal hosts, "
                "CAREERGINI_JOBS_ALLOW_PRIVATE_URLS allows every address)."
            )
    return None
