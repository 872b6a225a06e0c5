"""Workday career sites' public job JSON (the API behind ``{tenant}.wd{n}.myworkdayjobs.com``).

``POST {site}/wday/cxs/{tenant}/{site_name}/jobs`` with ``{"appliedFacets": {}, "limit": 20,
"offset": n, "searchText": ""}`` pages through ``{"total", "jobPostings": [...]}`` (``title``,
``externalPath``, ``locationsText``, ``postedOn``: "Posted 3 Days Ago", ``bulletFields``); each
job's ``GET .../{site_name}{externalPath}`` answers ``{"jobPostingInfo": {...}}`` with
``jobDescription`` (HTML), ``location``, ``startDate``, ``timeType``, ``jobReqId``, ``externalUrl``
and ``remoteType``, and ``hiringOrganization.name``.

The source's identifier is ``tenant/wdN/site`` (the career site's address is accepted too).
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timedelta
from typing import Any

from careergini.core.db import utcnow
from careergini.jobs.fetch import FetchError
from careergini.jobs.sources.base import (
    FetchResult,
    RawPosting,
    SourceContext,
    SourceError,
    board_json,
    get_board_json,
)
from careergini.jobs.sources.text import clean_line, html_to_text, parse_datetime

KIND = "workday"
PAGE = 20  # the most Workday answers per page
DETAILS_AT_ONCE = 4
_URL = re.compile(
    r"^https?://([a-z0-9-]+)\.(wd\d{1,3})\.myworkdayjobs\.com/(?:[a-z]{2}-[A-Z]{2}/)?"
    r"([A-Za-z0-9_-]+)",
    re.I,
)
_IDENTIFIER = re.compile(r"^([a-z0-9-]+)/(wd\d{1,3})/([A-Za-z0-9_-]+)$", re.I)
_AGO = re.compile(r"posted\s+(today|yesterday|(\d+)\+?\s+days?\s+ago)", re.I)
_REMOTE = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite", "onsite": "onsite"}
_TIME = {"full time": "full-time", "full-time": "full-time", "part time": "part-time"}


def normalise_identifier(identifier: str) -> str:
    text = identifier.strip().rstrip("/")
    found = _URL.match(text) or _IDENTIFIER.match(text)
    if not found:
        raise ValueError(
            f'"{identifier}" is not a Workday career site: give its address '
            "(https://<company>.wd5.myworkdayjobs.com/<site>) or <company>/wd5/<site>."
        )
    tenant, pod, site = found.groups()
    return f"{tenant.lower()}/{pod.lower()}/{site}"


def default_name(identifier: str) -> str:
    return identifier.split("/")[0].replace("-", " ").title()


def posted_on(text: Any, now: datetime) -> datetime | None:
    """Read Workday's "Posted 3 Days Ago" (at most that long ago for "30+ Days")."""
    found = _AGO.search(str(text or ""))
    if not found:
        return None
    word = found.group(1).lower()
    days = 0 if word == "today" else 1 if word == "yesterday" else int(found.group(2))
    return (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)


def parse(
    items: list[Any], details: dict[str, Any], *, company: str | None, now: datetime
) -> FetchResult:
    """Read Workday's job postings with the details that were read."""
    result = FetchResult()
    for item in items:
        external = (
            clean_line(item.get("externalPath"), limit=300) if isinstance(item, dict) else None
        )
        title = clean_line(item.get("title")) if isinstance(item, dict) else None
        if not external or not title:
            result.skip_unreadable(external)
            continue
        detail = details.get(external)
        detail = detail if isinstance(detail, dict) else {}
        found = detail.get("jobPostingInfo")
        info: dict[str, Any] = found if isinstance(found, dict) else {}
        hiring = detail.get("hiringOrganization")
        owner = hiring.get("name") if isinstance(hiring, dict) else None
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company or clean_line(owner, limit=200),
                location=clean_line(info.get("location") or item.get("locationsText")),
                description=html_to_text(info.get("jobDescription")),
                url=clean_line(info.get("externalUrl"), limit=1000),
                posted_at=parse_datetime(info.get("startDate"))
                or posted_on(item.get("postedOn"), now),
                remote=_REMOTE.get(str(info.get("remoteType") or "").lower()),
                employment_type=_TIME.get(str(info.get("timeType") or "").lower()),
            )
        )
    return result


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    tenant, pod, site = identifier.split("/")
    base = ctx.settings.jobs_workday_url.replace("{tenant}", tenant).replace("{pod}", pod)
    api = f"{base.rstrip('/')}/wday/cxs/{tenant}/{site}"
    board = f'Workday career site "{identifier}"'
    limit = ctx.settings.jobs_max_postings_per_source
    items: list[Any] = []
    offset = 0
    while len(items) < limit:
        body = {"appliedFacets": {}, "limit": PAGE, "offset": offset, "searchText": ""}
        try:
            response = await ctx.fetcher.request(
                "POST",
                f"{api}/jobs",
                headers={"Accept": "application/json", "Content-Type": "application/json"},
                content=json.dumps(body).encode(),
            )
        except FetchError as exc:
            raise SourceError(f"{board}: {exc.detail}") from exc
        if response.status in (404, 410, 422):
            raise SourceError(
                f"Workday has no career site {identifier} (HTTP {response.status}). Check the "
                "address: https://<company>.wd<n>.myworkdayjobs.com/<site>.",
                permanent=True,
            )
        if response.status >= 400:
            raise SourceError(f"{board} answered HTTP {response.status}.")
        payload = board_json(response, board=board)
        if not isinstance(payload, dict) or not isinstance(payload.get("jobPostings"), list):
            raise SourceError('Workday answered, but not with job postings (no "jobPostings").')
        page = payload["jobPostings"]
        items.extend(page)
        offset += len(page)
        total = payload.get("total")
        if not page or not isinstance(total, int) or offset >= total:
            break
    result_complete = len(items) <= limit
    items = items[:limit]

    gate = asyncio.Semaphore(DETAILS_AT_ONCE)
    details: dict[str, Any] = {}
    warnings: list[str] = []

    async def detail_of(path: str) -> None:
        async with gate:
            try:
                details[path] = await get_board_json(
                    ctx, f"{api}{path}", board=board, missing="gone"
                )
            except SourceError as exc:
                warnings.append(f"{path}: {exc.detail}")

    paths = [str(i["externalPath"]) for i in items if isinstance(i, dict) and i.get("externalPath")]
    await asyncio.gather(*(detail_of(path) for path in paths))
    result = parse(items, details, company=name, now=utcnow())
    result.complete = result_complete
    result.warnings.extend(warnings)
    return result
