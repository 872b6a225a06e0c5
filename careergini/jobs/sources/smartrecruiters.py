"""SmartRecruiters' Posting API: ``GET {base}/{company}/postings?limit=100&offset=n`` pages
through ``{"offset", "limit", "totalFound", "content": [...]}``; each item has ``id``, ``name``
(the title), ``company.name``, ``releasedDate``, ``location`` (``city``, ``region``, ``country``,
``remote``, ``hybrid``, ``fullLocation``) and ``typeOfEmployment.label``. The text is in each
posting's own ``GET {base}/{company}/postings/{id}``: ``jobAd.sections`` (``companyDescription``,
``jobDescription``, ``qualifications``, ``additionalInformation``, each ``title`` + HTML
``text``) and its public ``postingUrl``.
"""

from __future__ import annotations

import asyncio
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

KIND = "smartrecruiters"
HOSTS = ("jobs.smartrecruiters.com", "careers.smartrecruiters.com", "api.smartrecruiters.com")
PAGE = 100
DETAILS_AT_ONCE = 4
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
EMPLOYMENT = {
    "full-time": "full-time",
    "permanent": "full-time",
    "part-time": "part-time",
    "contract": "contract",
    "contractor": "contract",
    "temporary": "temporary",
    "intern": "internship",
    "internship": "internship",
}


def normalise_identifier(identifier: str) -> str:
    return slug_from(identifier, hosts=HOSTS, what="SmartRecruiters company")


def default_name(identifier: str) -> str:
    return identifier.replace("-", " ")


def _description(detail: Any) -> str:
    if not isinstance(detail, dict) or not isinstance(detail.get("jobAd"), dict):
        return ""
    sections = detail["jobAd"].get("sections")
    if not isinstance(sections, dict):
        return ""
    parts = []
    for key in SECTIONS:
        section = sections.get(key)
        if isinstance(section, dict):
            heading = clean_line(section.get("title"))
            body = html_to_text(section.get("text"))
            if body:
                parts.append("\n".join(filter(None, [heading, body])))
    return "\n".join(parts)


def _location(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    remote = "remote" if value.get("remote") else "hybrid" if value.get("hybrid") else None
    text = value.get("fullLocation") or ", ".join(
        str(value[k]) for k in ("city", "region", "country") if value.get(k)
    )
    return clean_line(text), remote


def parse_listing(
    items: list[Any], details: dict[str, Any], *, company: str | None, result: FetchResult
) -> None:
    """Add the postings of one listing page (with their details, where read) to ``result``."""
    for item in items:
        external = str(item.get("id") or "") if isinstance(item, dict) else ""
        title = clean_line(item.get("name")) if isinstance(item, dict) else None
        if not external or not title:
            result.skip_unreadable(external)
            continue
        detail = details.get(external)
        location, remote = _location(item.get("location"))
        employment = item.get("typeOfEmployment")
        label = str(employment.get("label") or "") if isinstance(employment, dict) else ""
        owner = item.get("company") if isinstance(item.get("company"), dict) else {}
        url = detail.get("postingUrl") if isinstance(detail, dict) else None
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company or clean_line(owner.get("name"), limit=200),
                location=location,
                description=_description(detail),
                url=clean_line(url, limit=1000),
                posted_at=parse_datetime(item.get("releasedDate")),
                remote=remote,
                employment_type=EMPLOYMENT.get(label.strip().lower()),
            )
        )


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    base = f"{ctx.settings.jobs_smartrecruiters_api_url.rstrip('/')}/{identifier}/postings"
    board = f'SmartRecruiters company "{identifier}"'
    limit = ctx.settings.jobs_max_postings_per_source
    result = FetchResult()
    items: list[Any] = []
    offset = 0
    while len(items) < limit:
        payload = await get_board_json(
            ctx,
            f"{base}?limit={PAGE}&offset={offset}",
            board=board,
            missing=f'SmartRecruiters has no company "{identifier}" (HTTP 404). Check the name: '
            "it is the part after jobs.smartrecruiters.com/.",
        )
        if not isinstance(payload, dict) or not isinstance(payload.get("content"), list):
            raise SourceError('SmartRecruiters answered, but not with postings (no "content").')
        page = payload["content"]
        items.extend(page)
        offset += len(page)
        total = payload.get("totalFound")
        if not page or not isinstance(total, int) or offset >= total:
            break
    if len(items) > limit:
        items = items[:limit]
        result.complete = False

    gate = asyncio.Semaphore(DETAILS_AT_ONCE)
    details: dict[str, Any] = {}

    async def detail_of(external: str) -> None:
        async with gate:
            try:
                details[external] = await get_board_json(
                    ctx, f"{base}/{external}", board=board, missing="gone"
                )
            except SourceError as exc:
                result.warnings.append(f"Posting {external}: {exc.detail}")

    ids = [str(i.get("id")) for i in items if isinstance(i, dict) and i.get("id")]
    await asyncio.gather(*(detail_of(external) for external in ids))
    parse_listing(items, details, company=name, result=result)
    return result
