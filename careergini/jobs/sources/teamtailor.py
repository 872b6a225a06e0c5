"""Teamtailor career sites' RSS: ``GET https://{company}.teamtailor.com/jobs.rss``.

RSS 2.0 ``<item>``s with ``title``, ``description`` (HTML), ``pubDate``, ``link``, ``guid``,
``remoteStatus`` (none, hybrid, temporary, fully) and Teamtailor's own ``tt:department`` and
``tt:locations/tt:location`` (``tt:name``, ``tt:city``, ``tt:country``).
"""

from __future__ import annotations

from typing import Any

from careergini.jobs.sources.base import (
    FetchResult,
    RawPosting,
    SourceContext,
    SourceError,
    company_url,
    get_board,
    subdomain_from,
)
from careergini.jobs.sources.text import clean_line, html_to_text
from careergini.jobs.sources.xmlfeed import child_text, children, load, local, rfc822

KIND = "teamtailor"
DOMAIN = "teamtailor.com"
REMOTE = {"fully": "remote", "temporary": "remote", "hybrid": "hybrid", "none": "onsite"}


def normalise_identifier(identifier: str) -> str:
    return subdomain_from(identifier, domain=DOMAIN, what="Teamtailor career site")


def default_name(identifier: str) -> str:
    return identifier.replace("-", " ").title()


def _location(item: Any) -> str | None:
    places = []
    for block in children(item, "locations"):
        for place in children(block, "location"):
            city, country = child_text(place, "city"), child_text(place, "country")
            text = ", ".join(p for p in (city, country) if p) or child_text(place, "name")
            if text:
                places.append(text)
    return clean_line("; ".join(places))


def parse(data: bytes, *, company: str | None) -> FetchResult:
    """Read a Teamtailor jobs RSS; raise SourceError when it is not one."""
    root = load(data, what="Teamtailor")
    channel = children(root, "channel")
    if local(root.tag) != "rss" or not channel:
        raise SourceError("Teamtailor answered, but not with its jobs RSS (no <rss><channel>).")
    result = FetchResult()
    for item in children(channel[0], "item"):
        link = clean_line(child_text(item, "link"), limit=1000)
        external = clean_line(child_text(item, "guid") or link, limit=300)
        title = clean_line(child_text(item, "title"))
        if not external or not title:
            result.skip_unreadable(external)
            continue
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company,
                location=_location(item),
                description=html_to_text(child_text(item, "description")),
                url=link,
                posted_at=rfc822(child_text(item, "pubDate")),
                remote=REMOTE.get(str(child_text(item, "remoteStatus") or "").lower()),
            )
        )
    return result


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    base = company_url(ctx.settings.jobs_teamtailor_url, identifier)
    response = await get_board(
        ctx,
        f"{base}/jobs.rss",
        board=f'Teamtailor career site "{identifier}"',
        missing=f'Teamtailor has no career site "{identifier}" (HTTP 404). Check the name: it '
        "is the first part of <name>.teamtailor.com.",
        accept="application/rss+xml, application/xml",
    )
    return parse(response.content, company=name)
