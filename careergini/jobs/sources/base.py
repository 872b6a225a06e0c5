"""What every source module returns, and the context a fetch runs in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from careergini.config import Settings
from careergini.jobs.browser import PageRenderer
from careergini.jobs.fetch import Fetched, FetchError, PoliteFetcher

SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True, slots=True)
class SalaryHint:
    min_amount: float | None
    max_amount: float | None
    currency: str | None
    period: str | None  # year | month | week | day | hour


@dataclass(slots=True)
class RawPosting:
    """One posting as a source describes it, before parsing."""

    external_id: str
    title: str
    company: str | None = None
    location: str | None = None
    description: str = ""  # plain text, one block a line
    url: str | None = None
    posted_at: datetime | None = None
    remote: str | None = None  # remote | hybrid | onsite, when the source says so
    employment_type: str | None = None
    salary: SalaryHint | None = None
    # False when the URL is a page several postings share (a listing): it then says nothing
    # about which job this is and is not used to find duplicates.
    url_identifies: bool = True


@dataclass(slots=True)
class FetchResult:
    """A source's listing. ``complete`` is False when the listing may be partial: then postings
    missing from it are not closed."""

    postings: list[RawPosting] = field(default_factory=list)
    # Items the source listed but we could not read; their ids (when known) still count as
    # seen, so a half-broken response never closes them.
    failed: int = 0
    unreadable_ids: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    complete: bool = True

    def skip_unreadable(self, external_id: str | None = None) -> None:
        """Count one item that could not be read, keeping its id (when known) as seen."""
        self.failed += 1
        if external_id:
            self.unreadable_ids.add(external_id)


class SourceError(Exception):
    """The source could not be read; ``detail`` is shown to the user as the source's error."""

    def __init__(self, detail: str, *, permanent: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent


@dataclass(slots=True)
class SourceContext:
    settings: Settings
    fetcher: PoliteFetcher
    renderer: PageRenderer | None


class SourceModule(Protocol):
    KIND: str

    def normalise_identifier(self, identifier: str) -> str: ...

    def default_name(self, identifier: str) -> str: ...

    async def fetch(
        self, ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
    ) -> FetchResult: ...


def slug_from(identifier: str, *, hosts: tuple[str, ...], what: str) -> str:
    """Accept a bare board token or a board URL on one of ``hosts``; return the token."""
    text = identifier.strip().rstrip("/")
    match = re.match(r"^https?://([^/]+)/([^/?#]+)", text)
    if match:
        host = match.group(1).lower()
        if not any(host == h or host.endswith("." + h) for h in hosts):
            raise ValueError(f"{text} is not a {what} URL; give the board's name instead.")
        text = match.group(2)
    if not SLUG_RE.match(text):
        raise ValueError(
            f'"{identifier}" is not a {what} name: use letters, digits, ".", "_" or "-" '
            f"(the part after {hosts[0]}/ in the board's address)."
        )
    return text


def subdomain_from(identifier: str, *, domain: str | tuple[str, ...], what: str) -> str:
    """Accept a bare company name or a URL on ``<name>.<domain>``; return the name."""
    domains = (domain,) if isinstance(domain, str) else domain
    text = identifier.strip().rstrip("/")
    match = re.match(r"^(?:https?://)?([^/?#]+)", text)
    if match and ("/" in text or "." in match.group(1)):
        host = match.group(1).lower().split(":")[0]
        for suffix in domains:
            if host.endswith("." + suffix):
                text = host[: -len(suffix) - 1]
                break
        else:
            raise ValueError(
                f"{identifier} is not a {what} address; give the name in <name>.{domains[0]}."
            )
    if "." in text or not SLUG_RE.match(text):
        raise ValueError(
            f'"{identifier}" is not a {what} name: use letters, digits, "_" or "-" '
            f"(the <name> of <name>.{domains[0]})."
        )
    return text.lower()


def validate_http_url(identifier: str) -> str:
    """Return an absolute http(s) URL without its fragment, or raise ValueError."""
    text = identifier.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f'"{identifier}" is not an http(s) URL.')
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def html_error_hint(content_type: str, body: bytes) -> str:
    if "html" in content_type or body.lstrip()[:1] == b"<":
        return " (the server sent a web page instead)"
    return ""


def company_url(template: str, company: str) -> str:
    """Put a company's name into a base URL such as ``https://{company}.recruitee.com``."""
    return template.replace("{company}", company).rstrip("/")


async def get_board(
    ctx: SourceContext, url: str, *, board: str, missing: str, accept: str = "application/json"
) -> Fetched:
    """GET a board's answer; raise SourceError naming ``board`` when it fails.

    ``missing`` is the whole message for an HTTP 404 (or 410), which is permanent: the board does
    not exist.
    """
    try:
        response = await ctx.fetcher.get(url, headers={"Accept": accept})
    except FetchError as exc:
        raise SourceError(f"{board}: {exc.detail}") from exc
    if response.status in (404, 410):
        raise SourceError(missing, permanent=True)
    if response.status >= 400:
        raise SourceError(f"{board} answered HTTP {response.status}.")
    return response


def board_json(response: Fetched, *, board: str) -> Any:
    """Decode a board's JSON answer; raise SourceError when it is not JSON."""
    try:
        return response.json()
    except ValueError as exc:
        hint = html_error_hint(response.content_type, response.content)
        raise SourceError(
            f"{board} sent a response that is not valid JSON{hint}; nothing was changed."
        ) from exc


async def get_board_json(ctx: SourceContext, url: str, *, board: str, missing: str) -> Any:
    """GET a board API's JSON answer; raise SourceError naming ``board`` when it fails.

    ``missing`` is the whole message for an HTTP 404, which is permanent: the board does not exist.
    """
    response = await get_board(ctx, url, board=board, missing=missing)
    return board_json(response, board=board)
