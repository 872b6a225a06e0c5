"""Ashby's public job-board API: ``GET {base}/{board}?includeCompensation=true``.

The answer is ``{"apiVersion": "1", "jobs": [...]}``; each job has ``title``, ``location``,
``department``, ``isListed``, ``isRemote``, ``workplaceType`` (``OnSite``/``Remote``/``Hybrid``),
``descriptionHtml`` / ``descriptionPlain``, ``publishedAt``, ``employmentType`` (``FullTime``...),
``jobUrl``, ``applyUrl`` and, with compensation, ``compensation.summaryComponents``.
"""

from __future__ import annotations

from typing import Any

from careergini.jobs.sources.base import (
    FetchResult,
    RawPosting,
    SalaryHint,
    SourceContext,
    SourceError,
    get_board_json,
    slug_from,
)
from careergini.jobs.sources.text import clean_line, html_to_text, parse_datetime

KIND = "ashby"
HOSTS = ("jobs.ashbyhq.com", "api.ashbyhq.com")
_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "onsite": "onsite"}
_EMPLOYMENT = {
    "fulltime": "full-time",
    "parttime": "part-time",
    "intern": "internship",
    "contract": "contract",
    "temporary": "temporary",
}
_INTERVAL = {
    "1 YEAR": "year",
    "1 MONTH": "month",
    "1 WEEK": "week",
    "1 DAY": "day",
    "1 HOUR": "hour",
}


def normalise_identifier(identifier: str) -> str:
    return slug_from(identifier, hosts=HOSTS, what="Ashby job board")


def default_name(identifier: str) -> str:
    return identifier.replace("-", " ")


def _salary(compensation: Any) -> SalaryHint | None:
    if not isinstance(compensation, dict):
        return None
    for component in compensation.get("summaryComponents") or []:
        if isinstance(component, dict) and component.get("compensationType") == "Salary":
            low, high = component.get("minValue"), component.get("maxValue")
            if low is None and high is None:
                continue
            return SalaryHint(
                float(low) if low is not None else None,
                float(high) if high is not None else None,
                clean_line(component.get("currencyCode")),
                _INTERVAL.get(str(component.get("interval") or "").upper()),
            )
    return None


def parse(payload: Any, *, company: str | None, board: str) -> FetchResult:
    """Read an Ashby job board; raise SourceError when it is not one."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise SourceError('Ashby answered, but not with a job board (no "jobs" array).')
    result = FetchResult()
    for item in payload["jobs"]:
        if not isinstance(item, dict):
            result.skip_unreadable()
            continue
        if item.get("isListed") is False:
            continue
        url = clean_line(item.get("jobUrl"), limit=1000)
        external = str(item.get("id") or url or "")
        title = clean_line(item.get("title"))
        if not external or not title:
            result.skip_unreadable(external)
            continue
        workplace = str(item.get("workplaceType") or "").lower().replace("-", "")
        remote = _WORKPLACE.get(workplace) or ("remote" if item.get("isRemote") else None)
        employment = str(item.get("employmentType") or "").lower()
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company,
                location=clean_line(item.get("location")),
                description=item.get("descriptionPlain")
                or html_to_text(item.get("descriptionHtml")),
                url=url,
                posted_at=parse_datetime(item.get("publishedAt")),
                remote=remote,
                employment_type=_EMPLOYMENT.get(employment),
                salary=_salary(item.get("compensation")),
            )
        )
    return result


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    base = ctx.settings.jobs_ashby_api_url.rstrip("/")
    payload = await get_board_json(
        ctx,
        f"{base}/{identifier}?includeCompensation=true",
        board=f'Ashby job board "{identifier}"',
        missing=f'Ashby has no job board named "{identifier}" (HTTP 404). Check the name: it is '
        "the last part of jobs.ashbyhq.com/<name>.",
    )
    return parse(payload, company=name, board=identifier)
