"""Greenhouse's job-board API: ``GET {base}/{board}/jobs?content=true``.

The answer is ``{"jobs": [...], "meta": {"total": n}}``; each job has ``id``, ``title``,
``location.name``, ``absolute_url``, ``updated_at``, ``first_published`` (newer boards),
``company_name`` (newer boards) and, with ``content=true``, ``content``: entity-escaped HTML.
"""

from __future__ import annotations

from typing import Any

from careergini.jobs.sources.base import (
    FetchResult,
    RawPosting,
    SourceContext,
    SourceError,
    get_board_json,
    slug_from,
)
from careergini.jobs.sources.text import clean_line, html_to_text, parse_datetime

KIND = "greenhouse"
HOSTS = ("boards.greenhouse.io", "job-boards.greenhouse.io", "boards-api.greenhouse.io")


def normalise_identifier(identifier: str) -> str:
    return slug_from(identifier, hosts=HOSTS, what="Greenhouse board").lower()


def default_name(identifier: str) -> str:
    return identifier.replace("-", " ").title()


def parse(payload: Any, *, company: str | None) -> FetchResult:
    """Read a Greenhouse jobs listing; raise SourceError when it is not one."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise SourceError('Greenhouse answered, but not with a job list (no "jobs" array).')
    result = FetchResult()
    for item in payload["jobs"]:
        external = str(item.get("id") or "") if isinstance(item, dict) else ""
        title = clean_line(item.get("title")) if isinstance(item, dict) else None
        if not external or not title:
            result.skip_unreadable(external)
            continue
        location = item.get("location") if isinstance(item.get("location"), dict) else {}
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=clean_line(item.get("company_name")) or company,
                location=clean_line(location.get("name")),
                description=html_to_text(item.get("content")),
                url=clean_line(item.get("absolute_url"), limit=1000),
                posted_at=parse_datetime(item.get("first_published"))
                or parse_datetime(item.get("updated_at")),
            )
        )
    return result


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    base = ctx.settings.jobs_greenhouse_api_url.rstrip("/")
    payload = await get_board_json(
        ctx,
        f"{base}/{identifier}/jobs?content=true",
        board=f'Greenhouse board "{identifier}"',
        missing=f'Greenhouse has no job board named "{identifier}" (HTTP 404). Check the board '
        "token: it is the last part of boards.greenhouse.io/<token>.",
    )
    return parse(payload, company=name)
