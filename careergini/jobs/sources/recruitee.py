"""Recruitee's careers-site API: ``GET https://{company}.recruitee.com/api/offers/``.

The answer is ``{"offers": [...]}``; each offer has ``id``, ``slug``, ``title``, ``status``,
``description`` and ``requirements`` (HTML), ``location`` / ``city`` / ``country``, ``remote`` /
``hybrid`` / ``on_site`` (bools), ``employment_type_code`` ("fulltime"...), ``careers_url``,
``company_name``, ``published_at`` / ``created_at`` ("2026-11-02 09:00:00 UTC") and ``salary``
(``min``, ``max``, ``currency``, ``period``).
"""

from __future__ import annotations

from typing import Any

from careergini.jobs.sources.base import (
    FetchResult,
    RawPosting,
    SalaryHint,
    SourceContext,
    SourceError,
    company_url,
    get_board_json,
    subdomain_from,
)
from careergini.jobs.sources.text import clean_line, html_to_text, parse_datetime

KIND = "recruitee"
DOMAIN = "recruitee.com"
EMPLOYMENT = {
    "fulltime": "full-time",
    "fulltime_permanent": "full-time",
    "fulltime_fixed_term": "full-time",
    "parttime": "part-time",
    "parttime_permanent": "part-time",
    "parttime_fixed_term": "part-time",
    "contract": "contract",
    "freelance": "contract",
    "temporary": "temporary",
    "internship": "internship",
}
PERIODS = {"year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour"}


def normalise_identifier(identifier: str) -> str:
    return subdomain_from(identifier, domain=DOMAIN, what="Recruitee company")


def default_name(identifier: str) -> str:
    return identifier.replace("-", " ").title()


def _when(value: Any) -> Any:
    return parse_datetime(value.replace(" UTC", "+00:00")) if isinstance(value, str) else None


def _salary(value: Any) -> SalaryHint | None:
    if not isinstance(value, dict) or (not value.get("min") and not value.get("max")):
        return None
    try:
        low = float(value["min"]) if value.get("min") else None
        high = float(value["max"]) if value.get("max") else None
    except (TypeError, ValueError):
        return None
    return SalaryHint(
        low, high, clean_line(value.get("currency")), PERIODS.get(str(value.get("period")))
    )


def parse(payload: Any, *, company: str | None) -> FetchResult:
    """Read Recruitee's offers; raise SourceError when they are not there."""
    if not isinstance(payload, dict) or not isinstance(payload.get("offers"), list):
        raise SourceError('Recruitee answered, but not with job offers (no "offers" array).')
    result = FetchResult()
    for item in payload["offers"]:
        external = str(item.get("id") or "") if isinstance(item, dict) else ""
        title = clean_line(item.get("title")) if isinstance(item, dict) else None
        if not external or not title:
            result.skip_unreadable(external)
            continue
        if item.get("status") not in (None, "published"):
            continue
        remote = (
            "remote"
            if item.get("remote")
            else "hybrid"
            if item.get("hybrid")
            else "onsite"
            if item.get("on_site")
            else None
        )
        texts = (html_to_text(item.get("description")), html_to_text(item.get("requirements")))
        description = "\n".join(text for text in texts if text)
        code = str(item.get("employment_type_code") or "").lower()
        result.postings.append(
            RawPosting(
                external_id=external,
                title=title,
                company=company or clean_line(item.get("company_name"), limit=200),
                location=clean_line(item.get("location"))
                or clean_line(", ".join(str(item[k]) for k in ("city", "country") if item.get(k))),
                description=description,
                url=clean_line(item.get("careers_url"), limit=1000),
                posted_at=_when(item.get("published_at")) or _when(item.get("created_at")),
                remote=remote,
                employment_type=EMPLOYMENT.get(code),
                salary=_salary(item.get("salary")),
            )
        )
    return result


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    base = company_url(ctx.settings.jobs_recruitee_url, identifier)
    payload = await get_board_json(
        ctx,
        f"{base}/api/offers/",
        board=f'Recruitee company "{identifier}"',
        missing=f'Recruitee has no careers site "{identifier}" (HTTP 404). Check the name: it is '
        "the first part of <name>.recruitee.com.",
    )
    return parse(payload, company=name)
