"""BambooHR's public careers site: ``GET https://{company}.bamboohr.com/careers/list`` lists the
open jobs as ``{"meta": {"totalCount": n}, "result": [...]}`` (``id``, ``jobOpeningName``,
``departmentLabel``, ``employmentStatusLabel``, ``location`` / ``atsLocation`` with ``city``,
``state``, ``country``, ``isRemote``, ``locationType``: "0" on-site, "1" remote, "2" hybrid).
Each job's text is at ``/careers/{id}/detail``: ``{"result": {"jobOpening": {...}}}`` with
``description`` (HTML), ``datePosted``, ``jobOpeningShareUrl`` and ``jobOpeningStatus``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from careergini.jobs.sources.base import (
    FetchResult,
    RawPosting,
    SourceContext,
    SourceError,
    company_url,
    get_board_json,
    subdomain_from,
)
from careergini.jobs.sources.text import clean_line, html_to_text, parse_datetime

KIND = "bamboohr"
DOMAIN = "bamboohr.com"
DETAILS_AT_ONCE = 4
LOCATION_TYPES = {"0": "onsite", "1": "remote", "2": "hybrid"}
EMPLOYMENT = {
    "full-time": "full-time",
    "part-time": "part-time",
    "contract": "contract",
    "contractor": "contract",
    "temporary": "temporary",
    "intern": "internship",
    "internship": "internship",
}


def normalise_identifier(identifier: str) -> str:
    return subdomain_from(identifier, domain=DOMAIN, what="BambooHR company")


def default_name(identifier: str) -> str:
    return identifier.replace("-", " ").title()


def _location(item: dict[str, Any]) -> str | None:
    for key in ("atsLocation", "location"):
        place = item.get(key)
        if isinstance(place, dict):
            parts = [place.get("city"), place.get("state") or place.get("province")]
            parts.append(place.get("country"))
            text = ", ".join(str(p) for p in parts if p)
            if text:
                return clean_line(text)
    return None


def parse(listing: Any, details: dict[str, Any], *, company: str | None) -> FetchResult:
    """Read BambooHR's job list with the details read; raise SourceError when it is not one."""
    if not isinstance(listing, dict) or not isinstance(listing.get("result"), list):
        raise SourceError('BambooHR answered, but not with a job list (no "result" array).')
    result = FetchResult()
    for item in listing["result"]:
        external = str(item.get("id") or "") if isinstance(item, dict) else ""
        title = clean_line(item.get("jobOpeningName")) if isinstance(item, dict) else None
        if not external or not title:
            result.skip_unreadable(external)
            continue
        detail = details.get(external) or {}
        remote = LOCATION_TYPES.get(str(item.get("locationType") or detail.get("locationType")))
        if item.get("isRemote") is True:
            remote = "remote"
        status = str(item.get("employmentStatusLabel") or "").strip().lower()
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company,
                location=_location(item),
                description=html_to_text(detail.get("description")),
                url=clean_line(detail.get("jobOpeningShareUrl"), limit=1000),
                posted_at=parse_datetime(detail.get("datePosted")),
                remote=remote,
                employment_type=EMPLOYMENT.get(status),
            )
        )
    return result


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    base = f"{company_url(ctx.settings.jobs_bamboohr_url, identifier)}/careers"
    board = f'BambooHR company "{identifier}"'
    listing = await get_board_json(
        ctx,
        f"{base}/list",
        board=board,
        missing=f'BambooHR has no careers site "{identifier}" (HTTP 404). Check the name: it is '
        "the first part of <name>.bamboohr.com.",
    )
    items = listing.get("result") if isinstance(listing, dict) else None
    gate = asyncio.Semaphore(DETAILS_AT_ONCE)
    details: dict[str, Any] = {}
    warnings: list[str] = []

    async def detail_of(external: str) -> None:
        async with gate:
            try:
                body = await get_board_json(
                    ctx, f"{base}/{external}/detail", board=board, missing="gone"
                )
            except SourceError as exc:
                warnings.append(f"Job {external}: {exc.detail}")
                return
            opening = body.get("result") if isinstance(body, dict) else None
            if isinstance(opening, dict) and isinstance(opening.get("jobOpening"), dict):
                details[external] = opening["jobOpening"]

    if isinstance(items, list):
        limit = ctx.settings.jobs_max_postings_per_source
        ids = [str(i["id"]) for i in items[:limit] if isinstance(i, dict) and i.get("id")]
        await asyncio.gather(*(detail_of(external) for external in ids))
    result = parse(listing, details, company=name)
    result.warnings.extend(warnings)
    return result
