"""Lever's postings API: ``GET {base}/{company}?mode=json``.

The answer is a JSON array of postings with ``id``, ``text`` (the title), ``categories``
(``location``, ``team``, ``commitment``, ``allLocations``), ``descriptionPlain`` /
``description``, ``lists`` (``text`` heading + HTML ``content``), ``additionalPlain``,
``hostedUrl``, ``createdAt`` (epoch milliseconds), ``workplaceType`` and ``salaryRange``.
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

KIND = "lever"
HOSTS = ("jobs.lever.co", "jobs.eu.lever.co", "api.lever.co")
_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite", "onsite": "onsite"}
_COMMITMENT = {
    "full-time": "full-time",
    "full time": "full-time",
    "part-time": "part-time",
    "part time": "part-time",
    "contract": "contract",
    "contractor": "contract",
    "intern": "internship",
    "internship": "internship",
    "temporary": "temporary",
}
_INTERVAL = {
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-week-salary": "week",
    "per-day-wage": "day",
    "per-hour-wage": "hour",
}


def normalise_identifier(identifier: str) -> str:
    return slug_from(identifier, hosts=HOSTS, what="Lever company").lower()


def default_name(identifier: str) -> str:
    return identifier.replace("-", " ").title()


def _description(item: dict[str, Any]) -> str:
    parts = [item.get("descriptionPlain") or html_to_text(item.get("description"))]
    for block in item.get("lists") or []:
        if isinstance(block, dict):
            heading = clean_line(block.get("text"))
            body = html_to_text(block.get("content"))
            if body and not body.lstrip().startswith("-"):
                body = "\n".join(f"- {line}" for line in body.splitlines())
            parts.append("\n".join(filter(None, [heading, body])))
    parts.append(item.get("additionalPlain") or html_to_text(item.get("additional")))
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _salary(value: Any) -> SalaryHint | None:
    if not isinstance(value, dict) or (value.get("min") is None and value.get("max") is None):
        return None
    try:
        low = float(value["min"]) if value.get("min") is not None else None
        high = float(value["max"]) if value.get("max") is not None else None
    except (TypeError, ValueError):
        return None
    return SalaryHint(
        low,
        high,
        clean_line(value.get("currency")),
        _INTERVAL.get(str(value.get("interval") or "")),
    )


def parse(payload: Any, *, company: str | None) -> FetchResult:
    """Read a Lever postings array; raise SourceError when it is not one."""
    if not isinstance(payload, list):
        raise SourceError("Lever answered, but not with a list of postings.")
    result = FetchResult()
    for item in payload:
        external = str(item.get("id") or "") if isinstance(item, dict) else ""
        title = clean_line(item.get("text")) if isinstance(item, dict) else None
        if not external or not title:
            result.skip_unreadable(external)
            continue
        categories = item.get("categories") if isinstance(item.get("categories"), dict) else {}
        commitment = str(categories.get("commitment") or "").strip().lower()
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company,
                location=clean_line(categories.get("location")),
                description=_description(item),
                url=clean_line(item.get("hostedUrl"), limit=1000),
                posted_at=parse_datetime(item.get("createdAt")),
                remote=_WORKPLACE.get(str(item.get("workplaceType") or "").lower()),
                employment_type=_COMMITMENT.get(commitment),
                salary=_salary(item.get("salaryRange")),
            )
        )
    return result


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    base = ctx.settings.jobs_lever_api_url.rstrip("/")
    payload = await get_board_json(
        ctx,
        f"{base}/{identifier}?mode=json",
        board=f'Lever company "{identifier}"',
        missing=f'Lever has no postings site named "{identifier}" (HTTP 404). Check the name: '
        "it is the last part of jobs.lever.co/<name>.",
    )
    return parse(payload, company=name)
