"""Workable's public job widget: ``GET {base}/{account}?details=true``.

The answer is ``{"name": ..., "description": ..., "jobs": [...]}``; each job has ``title``,
``shortcode``, ``code``, ``employment_type`` ("Full-time"...), ``telecommuting`` (bool),
``department``, ``url``, ``shortlink``, ``application_url``, ``published_on`` / ``created_at``
(dates), ``country``, ``city``, ``state``, ``locations`` (``city``, ``region``, ``country``,
``hidden``) and, with ``details=true``, ``description`` (HTML).
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

KIND = "workable"
HOSTS = ("apply.workable.com", "jobs.workable.com", "www.workable.com")
EMPLOYMENT = {
    "full-time": "full-time",
    "full time": "full-time",
    "part-time": "part-time",
    "part time": "part-time",
    "contract": "contract",
    "temporary": "temporary",
    "internship": "internship",
}


def normalise_identifier(identifier: str) -> str:
    return slug_from(identifier, hosts=HOSTS, what="Workable account").lower()


def default_name(identifier: str) -> str:
    return identifier.replace("-", " ").title()


def _location(item: dict[str, Any]) -> str | None:
    places = []
    for place in item.get("locations") or []:
        if isinstance(place, dict) and not place.get("hidden"):
            parts = [place.get("city"), place.get("region"), place.get("country")]
            places.append(", ".join(str(p) for p in parts if p))
    if not places:
        parts = [item.get("city"), item.get("state"), item.get("country")]
        places.append(", ".join(str(p) for p in parts if p))
    return clean_line("; ".join(p for p in places if p))


def parse(payload: Any, *, company: str | None) -> FetchResult:
    """Read a Workable account's jobs; raise SourceError when it is not a job list."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise SourceError('Workable answered, but not with a job list (no "jobs" array).')
    account_name = clean_line(payload.get("name"), limit=200)
    result = FetchResult()
    for item in payload["jobs"]:
        external = str(item.get("shortcode") or "") if isinstance(item, dict) else ""
        title = clean_line(item.get("title")) if isinstance(item, dict) else None
        if not external or not title:
            result.skip_unreadable(external)
            continue
        employment = str(item.get("employment_type") or "").strip().lower()
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company or account_name,
                location=_location(item),
                description=html_to_text(item.get("description")),
                url=clean_line(item.get("url") or item.get("shortlink"), limit=1000),
                posted_at=parse_datetime(item.get("published_on"))
                or parse_datetime(item.get("created_at")),
                remote="remote" if item.get("telecommuting") is True else None,
                employment_type=EMPLOYMENT.get(employment),
            )
        )
    return result


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    base = ctx.settings.jobs_workable_api_url.rstrip("/")
    payload = await get_board_json(
        ctx,
        f"{base}/{identifier}?details=true",
        board=f'Workable account "{identifier}"',
        missing=f'Workable has no account named "{identifier}" (HTTP 404). Check the name: it is '
        "the last part of apply.workable.com/<name>.",
    )
    return parse(payload, company=name)
