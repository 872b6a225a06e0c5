"""Polite fetching: a few requests at once per host, retries with backoff on 429/5xx/timeouts
(``Retry-After`` honoured), our User-Agent, robots.txt for page scraping, and no private
addresses behind user-supplied URLs unless the installation allows them (all of them, or a few
named hosts).

A user-supplied URL is resolved once: the addresses that pass the private-address check are the
ones connected to (the URL is sent to the address, with the host name in ``Host`` and in TLS SNI
and certificate checks), so a name whose DNS answer changes after the check (DNS rebinding)
cannot lead to a private address. robots.txt is read with protego, which knows the wildcard
(``*``) and end-of-path (``$``) rules crawlers follow.
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

import httpx
from protego import Protego

from careergini.core.logging import get_logger
from careergini.core.text import strip_nul

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
        # NULs carry nothing in a page and PostgreSQL cannot store them: dropped on reading.
        try:
            return strip_nul(self.content.decode(charset, errors="replace"))
        except LookupError:
            return strip_nul(self.content.decode("utf-8", errors="replace"))

    def json(self) -> Any:
        return strip_nul(json.loads(self.content))


@dataclass(slots=True)
class _Robots:
    parser: Protego | None  # None: everything allowed
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
            pins = await self._pinned_addresses(current, checked) if user_url else ()
            if robots and not await self.allowed(current):
                host = urlsplit(current).hostname
                raise FetchError(
                    f"{host}'s robots.txt does not allow {ROBOTS_AGENT} to fetch "
                    f"{urlsplit(current).path or '/'}; add the site's feed or job board instead."
                )
            response = await self._with_retries(
                method, current, headers=sent, content=content, retries=retries, pins=pins
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
        return bool(cached.parser.can_fetch(url, ROBOTS_AGENT))

    async def check_public(
        self, url: str, *, checked: dict[str, FetchError | None] | None = None
    ) -> None:
        """Refuse a URL whose host resolves to a private, loopback or link-local address.

        Hosts in ``private_hosts`` pass, and everything does when private addresses are allowed.
        ``checked`` keeps the answer by host name for later calls that share it.
        """
        if self.allow_private:
            return
        host = _host(url)
        if checked is not None and host in checked:
            _raise_kept(checked[host])
            return
        problem = None if host in self.private_hosts else (await _resolve_public(host))[1]
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

    async def _pinned_addresses(
        self, url: str, checked: dict[str, FetchError | None] | None
    ) -> tuple[str, ...]:
        """Resolve a user URL's host once; return the checked addresses to connect to.

        Empty: nothing was checked (private addresses allowed, or a named private host), so
        the connection resolves the name as usual. A kept refusal in ``checked`` is raised
        again; a kept approval is not trusted for connecting: the name is resolved anew.
        """
        if self.allow_private:
            return ()
        host = _host(url)
        if host in self.private_hosts:
            if checked is not None:
                checked[host] = None
            return ()
        if checked is not None:
            _raise_kept(checked.get(host))
        addresses, problem = await _resolve_public(host)
        if checked is not None:
            checked[host] = problem
        if problem is not None:
            raise problem
        return addresses

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
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None,
        content: bytes | None,
        pins: tuple[str, ...],
    ) -> Fetched:
        if not pins:
            return await self._send(method, url, headers, content, {})
        refused: httpx.ConnectError | None = None
        for address in pins:  # every one passed the check; the next if one cannot be reached
            target, pinned, extensions = pinned_request(url, address, headers)
            try:
                fetched = await self._send(method, target, pinned, content, extensions)
            except httpx.ConnectError as exc:
                refused = exc
                continue
            fetched.url = url
            return fetched
        assert refused is not None  # pins is not empty
        raise refused

    async def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None,
        content: bytes | None,
        extensions: dict[str, Any],
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
                extensions=extensions,
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
        pins: tuple[str, ...] = (),
    ) -> Fetched:
        host = urlsplit(url).hostname
        last: str = ""
        for attempt in range(retries + 1):
            retry_after: str | None = None
            try:
                response = await self._once(method, url, headers, content, pins)
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
        return _Robots(Protego.parse(response.text), False, now)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".")


def _raise_kept(known: FetchError | None) -> None:
    if known is not None:
        raise type(known)(known.detail, status=known.status)


def pinned_request(
    url: str, address: str, headers: dict[str, str] | None
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """Return the URL, headers and extensions that send a request for ``url`` to ``address``.

    The URL names the address (so the connection goes nowhere else); ``Host`` carries the host
    name and port, and for HTTPS the name is the TLS SNI and the name the certificate must match.
    ``Connection: close``: a connection opened under one name is not reused for another name
    that shares the address.
    """
    parsed = httpx.URL(url)
    sent = {k: v for k, v in (headers or {}).items() if k.lower() not in ("host", "connection")}
    sent["Host"] = parsed.netloc.decode("ascii")
    sent["Connection"] = "close"
    extensions: dict[str, Any] = {}
    if parsed.scheme == "https":
        extensions["sni_hostname"] = parsed.raw_host.decode("ascii")
    return str(parsed.copy_with(host=address)), sent, extensions


async def _resolve_public(host: str) -> tuple[tuple[str, ...], FetchError | None]:
    """Resolve ``host``; return its addresses and why it may not be fetched for a user."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        return (), FetchError(f"{host} could not be resolved: {exc.strerror or exc}.")
    addresses: list[str] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).partition("%")[0])
        if not address.is_global:
            return (), PrivateAddressError(
                f"{host} is a private or local address; CareerGini only fetches public web "
                "pages (CAREERGINI_JOBS_PRIVATE_HOSTS names trusted internal hosts, "
                "CAREERGINI_JOBS_ALLOW_PRIVATE_URLS allows every address)."
            )
        if str(address) not in addresses:
            addresses.append(str(address))
    if not addresses:
        return (), FetchError(f"{host} could not be resolved: no address.")
    return tuple(addresses), None
