"""Postings uploaded as a CSV or JSON file.

Columns (or JSON keys) are matched case-insensitively, with common aliases, so exports from other
tools and the NYC Open Data "Jobs NYC Postings" file load as they are. ``title`` and ``company``
are required; a file without them is refused with the missing columns named.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from typing import Any

from careergini.core.untrusted import MAX_JSON_DEPTH, json_depth
from careergini.jobs.sources.base import FetchResult, RawPosting, SalaryHint
from careergini.jobs.sources.jsonld import find_postings, posting_from_jsonld
from careergini.jobs.sources.text import clean_line, html_to_text, parse_datetime

KIND = "upload"
MAX_ROWS = 20_000

COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "job title", "business title", "position", "job_title", "role"),
    "company": (
        "company",
        "company name",
        "employer",
        "agency",
        "organization",
        "organisation",
        "hiring organization",
        "company_name",
    ),
    "description": ("description", "job description", "job_description", "details", "summary"),
    "requirements": (
        "requirements",
        "minimum qual requirements",
        "qualifications",
        "minimum qualifications",
    ),
    "preferred": ("preferred skills", "preferred qualifications", "nice to have"),
    "category": ("category", "job category", "job_category"),
    "department": ("department", "team", "division/work unit", "division"),
    "location": ("location", "work location", "city", "job location", "job_location"),
    "url": ("url", "link", "job url", "apply url", "posting url", "job_url"),
    "posted_at": (
        "posted_at",
        "posted",
        "date posted",
        "posting date",
        "date_posted",
        "published",
        "published_at",
    ),
    "external_id": ("id", "job id", "external_id", "job_id", "reference", "requisition id"),
    "employment_type": (
        "employment_type",
        "employment type",
        "job type",
        "full-time/part-time indicator",
        "commitment",
    ),
    "remote": ("remote", "workplace type", "workplace_type", "remote policy"),
    "salary_min": ("salary_min", "salary min", "salary range from", "min salary"),
    "salary_max": ("salary_max", "salary max", "salary range to", "max salary"),
    "salary_currency": ("salary_currency", "currency"),
    "salary_period": ("salary_period", "salary frequency", "pay period"),
}
REQUIRED = ("title", "company")
_EMPLOYMENT = {
    "f": "full-time",
    "full-time": "full-time",
    "full time": "full-time",
    "fulltime": "full-time",
    "p": "part-time",
    "part-time": "part-time",
    "part time": "part-time",
    "contract": "contract",
    "contractor": "contract",
    "internship": "internship",
    "intern": "internship",
    "temporary": "temporary",
    "temp": "temporary",
}
_PERIOD = {
    "annual": "year",
    "yearly": "year",
    "year": "year",
    "monthly": "month",
    "month": "month",
    "weekly": "week",
    "daily": "day",
    "day": "day",
    "hourly": "hour",
    "hour": "hour",
}
_REMOTE = {
    "remote": "remote",
    "hybrid": "hybrid",
    "onsite": "onsite",
    "on-site": "onsite",
    "on site": "onsite",
    "yes": "remote",
    "true": "remote",
}


class UploadProblem(ValueError):
    """The file cannot be used; ``missing`` lists required columns that are absent."""

    def __init__(self, detail: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.missing = missing


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").strip().lower())


def map_columns(headers: Iterable[str]) -> dict[str, str]:
    """Return our field -> the file's column, for every field the headers provide."""
    by_key = {_key(h): h for h in headers if h}
    mapping: dict[str, str] = {}
    for field, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in by_key:
                mapping[field] = by_key[alias]
                break
    return mapping


def missing_columns(mapping: dict[str, str]) -> tuple[str, ...]:
    return tuple(field for field in REQUIRED if field not in mapping)


def describe_missing(missing: tuple[str, ...]) -> str:
    parts = [f"{m} (or one of: {', '.join(COLUMNS[m][1:4])})" for m in missing]
    return "The file is missing the required column(s): " + "; ".join(parts) + "."


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_rows(data: bytes, filename: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Return ("csv" | "json", rows) or raise UploadProblem."""
    text = _decode(data)
    stripped = text.lstrip()
    looks_json = stripped[:1] in ("[", "{") or (filename or "").lower().endswith(".json")
    if looks_json:
        if json_depth(stripped) > MAX_JSON_DEPTH:
            raise UploadProblem(
                f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep; a list of postings "
                'needs three or four. Send a list of postings, or {"jobs": [...]}.'
            )
        try:
            payload = json.loads(stripped)
        except (ValueError, RecursionError) as exc:
            raise UploadProblem(f"The file is not valid JSON: {exc}.") from exc
        found: object
        if isinstance(payload, dict):
            if find_postings(payload) and "jobs" not in payload:
                found = find_postings(payload)
            else:
                found = payload.get("jobs") or payload.get("postings") or payload.get("items")
        else:
            found = payload
        if not isinstance(found, list) or not all(isinstance(r, dict) for r in found):
            raise UploadProblem(
                'A JSON upload must be a list of postings (objects), or {"jobs": [...]}.'
            )
        return "json", found
    try:
        sample = text[:20_000]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    if not reader.fieldnames:
        raise UploadProblem("The CSV file is empty: it needs a header row and one row a posting.")
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise UploadProblem(f"The CSV file could not be read: {exc}.") from exc
    return "csv", rows


def validate(data: bytes, filename: str | None) -> tuple[str, int]:
    """Check an upload before it is stored: return (format, rows) or raise UploadProblem."""
    fmt, rows = read_rows(data, filename)
    if not rows:
        raise UploadProblem("The file holds no postings.")
    if len(rows) > MAX_ROWS:
        raise UploadProblem(f"The file holds {len(rows):,} postings; {MAX_ROWS:,} at most.")
    if fmt == "csv":
        missing = missing_columns(map_columns(rows[0].keys()))
        if missing:
            raise UploadProblem(describe_missing(missing), missing=missing)
    else:
        plain = [r for r in rows if "JobPosting" not in str(r.get("@type", ""))]
        headers = set().union(*(r.keys() for r in plain)) if plain else set()
        missing = missing_columns(map_columns(headers)) if plain else ()
        if missing:
            raise UploadProblem(describe_missing(missing), missing=missing)
    return fmt, len(rows)


def _float(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", "").replace("$", "").strip())
    except ValueError:
        return None


def posting_from_row(row: dict[str, Any], mapping: dict[str, str]) -> RawPosting | None:
    def get(field: str) -> Any:
        column = mapping.get(field)
        return row.get(column) if column else None

    title = clean_line(get("title"))
    if not title:
        return None
    company = clean_line(get("company"), limit=200)
    location = clean_line(get("location"))
    description = html_to_text(str(get("description") or ""))
    for label in ("category", "department"):
        value = clean_line(get(label))
        if value:
            description = f"{label.title()}: {value}\n{description}"
    extra = [
        ("Minimum qualifications", get("requirements")),
        ("Preferred skills", get("preferred")),
    ]
    for heading, value in extra:
        text = html_to_text(str(value or "")).strip(" •\n")
        if text:
            description += f"\n{heading}\n{text}"
    low, high = _float(get("salary_min")), _float(get("salary_max"))
    salary = None
    if low is not None or high is not None:
        period = _PERIOD.get(str(get("salary_period") or "").strip().lower())
        salary = SalaryHint(low, high, clean_line(get("salary_currency"), limit=8), period)
    external = clean_line(get("external_id"), limit=300)
    if not external:
        basis = "|".join(str(v) for v in (title, company, location, get("url")))
        external = "row:" + hashlib.sha256(basis.encode()).hexdigest()[:24]
    return RawPosting(
        external_id=external,
        title=title,
        company=company,
        location=location,
        description=description.strip(),
        url=clean_line(get("url"), limit=1000),
        posted_at=parse_datetime(get("posted_at")),
        remote=_REMOTE.get(str(get("remote") or "").strip().lower()),
        employment_type=_EMPLOYMENT.get(str(get("employment_type") or "").strip().lower()),
        salary=salary,
    )


def parse(data: bytes, *, filename: str | None, company: str | None, now: Any) -> FetchResult:
    """Read every posting of an upload; rows without a title count as failed."""
    _, rows = read_rows(data, filename)
    result = FetchResult()
    headers = set().union(*(r.keys() for r in rows)) if rows else set()
    mapping = map_columns(headers)
    seen: set[str] = set()
    for row in rows[:MAX_ROWS]:
        if "JobPosting" in str(row.get("@type", "")):
            posting = posting_from_jsonld(
                row, page_url=str(row.get("url") or ""), company=company, now=now
            )
        else:
            posting = posting_from_row(row, mapping)
        if posting is None:
            result.failed += 1
            continue
        if posting.external_id in seen:
            continue  # the NYC file lists each posting once per posting type
        seen.add(posting.external_id)
        if company and not posting.company:
            posting.company = company
        result.postings.append(posting)
    return result


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
