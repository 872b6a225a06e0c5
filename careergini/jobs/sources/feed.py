"""RSS and Atom feeds of job postings (feedparser reads both, and their dialects)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from careergini.jobs.fetch import FetchError
from careergini.jobs.sources.base import (
    FetchResult,
    RawPosting,
    SourceContext,
    SourceError,
    validate_http_url,
)
from careergini.jobs.sources.text import clean_line, html_to_text

KIND = "feed"


def normalise_identifier(identifier: str) -> str:
    return validate_http_url(identifier)


def default_name(identifier: str) -> str:
    return urlsplit(identifier).hostname or identifier


def _when(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def parse(data: bytes, *, company: str | None) -> FetchResult:
    """Read an RSS or Atom document; raise SourceError when it is neither."""
    feed = feedparser.parse(data)
    if not feed.entries and (feed.bozo or not feed.get("version")):
        reason = getattr(feed.get("bozo_exception"), "args", [""])[0] if feed.bozo else ""
        raise SourceError(
            "This is not a readable RSS or Atom feed" + (f" ({reason})" if reason else "") + "."
        )
    feed_title = clean_line(feed.feed.get("title"), limit=200)
    result = FetchResult()
    for entry in feed.entries:
        link = clean_line(entry.get("link"), limit=1000)
        external = clean_line(entry.get("id") or link, limit=300)
        title = clean_line(entry.get("title"))
        if not external or not title:
            result.skip_unreadable(external)
            continue
        content = entry.get("content") or []
        body = (
            content[0].get("value") if content else entry.get("summary") or entry.get("description")
        )
        location = entry.get("location") or entry.get("job_location") or entry.get("jobs_location")
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company or clean_line(entry.get("author"), limit=200) or feed_title,
                location=clean_line(location),
                description=html_to_text(body),
                url=link,
                posted_at=_when(entry),
            )
        )
    if feed.bozo and feed.entries:
        result.complete = False  # a damaged feed may have lost entries: close nothing
        result.warnings.append("The feed is not well-formed; entries that could be read were kept.")
    return result


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    try:
        response = await ctx.fetcher.get(
            identifier,
            headers={"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"},
            user_url=True,
        )
    except FetchError as exc:
        raise SourceError(exc.detail) from exc
    if response.status == 404:
        raise SourceError(f"{identifier} does not exist (HTTP 404).", permanent=True)
    if response.status >= 400:
        raise SourceError(f"{identifier} answered HTTP {response.status}.")
    return parse(response.content, company=name)
