"""Checking that the learning catalogue's links are alive: every resource URL is asked for with
HEAD (GET when HEAD is refused or fails) through the jobs domain's polite fetcher (our
User-Agent, a few requests at once per host, redirects followed hop by hop), with a bounded
number of links at once and a time limit per link, so a run over the whole catalogue ends in
about ``ceil(links / concurrency) * link_timeout`` seconds at worst.

``careergini links`` runs it and writes the report (``<data dir>/learning/links.json``); the
resources API and roadmaps leave out the links that report marks broken until the next run
finds them alive again.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import httpx

from careergini.config import Settings
from careergini.jobs.service import FetchError, PoliteFetcher
from careergini.learning.catalogue import Catalogue, load_catalogue
from careergini.runtime.resources import user_agent

LinkStatus = Literal["ok", "redirected", "dead", "failed"]
BROKEN: tuple[str, ...] = ("dead", "failed")
REPORT_FORMAT = 1


@dataclass(frozen=True, slots=True)
class LinkCheck:
    """What one resource's link answered."""

    resource_id: str
    url: str
    status: LinkStatus  # dead: the page is gone (4xx); failed: 5xx, no answer, too slow
    http_status: int | None
    final_url: str | None  # where redirects led, when they did
    detail: str
    seconds: float

    @property
    def broken(self) -> bool:
        return self.status in BROKEN


async def _ask(fetcher: PoliteFetcher, url: str) -> tuple[int, str]:
    """Return the HTTP status and the URL after redirects; HEAD first, GET when HEAD fails
    (servers that refuse HEAD answer 403, 405 or 501 and serve the page to a GET)."""
    try:
        head = await fetcher.request("HEAD", url, retries=0)
        if head.status < 400:
            return head.status, head.url
    except FetchError:
        pass
    got = await fetcher.request("GET", url, retries=0)
    return got.status, got.url


async def check_link(
    fetcher: PoliteFetcher, *, resource_id: str, url: str, seconds: float
) -> LinkCheck:
    """Check one link within ``seconds`` (HEAD, then GET)."""
    started = time.monotonic()

    def result(status: LinkStatus, code: int | None, final: str | None, detail: str) -> LinkCheck:
        return LinkCheck(
            resource_id=resource_id,
            url=url,
            status=status,
            http_status=code,
            final_url=final,
            detail=detail,
            seconds=round(time.monotonic() - started, 3),
        )

    try:
        async with asyncio.timeout(seconds):
            code, final = await _ask(fetcher, url)
    except TimeoutError:
        return result("failed", None, None, f"no answer within {seconds:g} s")
    except FetchError as exc:
        return result("failed", exc.status, None, exc.detail)
    moved = final if final != url else None
    if code >= 400:
        kind: LinkStatus = "dead" if code < 500 else "failed"
        return result(kind, code, moved, f"answered HTTP {code}")
    if moved is not None:
        return result("redirected", code, moved, f"redirects to {moved}")
    return result("ok", code, None, f"answered HTTP {code}")


async def check_links(
    links: Iterable[tuple[str, str]],
    *,
    fetcher: PoliteFetcher,
    concurrency: int = 8,
    seconds: float = 20.0,
) -> list[LinkCheck]:
    """Check (resource id, URL) pairs, ``concurrency`` at a time; return them in input order."""
    slots = asyncio.Semaphore(max(1, concurrency))

    async def one(resource_id: str, url: str) -> LinkCheck:
        async with slots:
            return await check_link(fetcher, resource_id=resource_id, url=url, seconds=seconds)

    return list(await asyncio.gather(*(one(rid, url) for rid, url in links)))


async def check_catalogue(
    doc: dict[str, Any], *, settings: Settings, concurrency: int, seconds: float
) -> list[LinkCheck]:
    """Check every link of a resources document with a polite fetcher of its own."""
    async with httpx.AsyncClient(headers={"User-Agent": user_agent()}) as client:
        fetcher = PoliteFetcher(
            client=client,
            per_host=settings.jobs_per_host_concurrency,
            timeout=seconds,
            retries=0,
        )
        return await check_links(
            catalogue_links(doc), fetcher=fetcher, concurrency=concurrency, seconds=seconds
        )


def catalogue_links(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the (resource id, URL) pairs of a resources document (``resources.json``)."""
    return [(item["id"], item["url"]) for item in doc.get("resources", [])]


def write_link_report(path: Path, checks: Sequence[LinkCheck], *, checked_at: str) -> None:
    """Write a link report as JSON (atomically: a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "format": REPORT_FORMAT,
        "checked_at": checked_at,
        "links": [asdict(c) for c in checks],
    }
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    partial.replace(path)


_broken_cache: dict[Path, tuple[float, frozenset[str]]] = {}


def broken_resources(path: Path) -> frozenset[str]:
    """Return the ids of resources whose link the last report found broken (none without a
    report; read again when the file changes)."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return frozenset()
    cached = _broken_cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        broken = frozenset(
            item["resource_id"] for item in doc.get("links", []) if item.get("status") in BROKEN
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        broken = frozenset()  # an unreadable report hides nothing
    _broken_cache[path] = (mtime, broken)
    return broken


def link_report_path(data_dir: Path) -> Path:
    """Return where ``careergini links`` writes its report under the data directory."""
    return data_dir / "learning" / "links.json"


@lru_cache(maxsize=4)
def _catalogue_without(broken: frozenset[str]) -> Catalogue:
    return load_catalogue().without(broken)


def usable_catalogue(data_dir: Path) -> Catalogue:
    """Return the catalogue without the resources the last link check found broken."""
    return _catalogue_without(broken_resources(link_report_path(data_dir)))
