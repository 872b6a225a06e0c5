"""Turning a source's posting into what we store: the text the JD parser reads, the parse's
facts, and the keys that find the same job again across sources.

Pure: no database, no network. Two postings are the same job when they share a canonical URL,
or the same normalised company + title + location.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from careergini.jobs.salary import yearly
from careergini.jobs.sources.base import RawPosting
from careergini.skills.schemas import ParsedJob

# Bumped when what is stored per posting changes (parse, skills, embedding text).
PARSER_VERSION = "1"
EMBED_CHARS = 4000
_TRACKING = re.compile(
    r"^(utm_.*|gh_src|lever-source(\[\])?|lever-origin|source|src|ref|referrer|trk|trackingid|"
    r"fbclid|gclid|mc_cid|mc_eid|_hsenc|_hsmi|icid)$",
    re.I,
)
_COMPANY_SUFFIX = re.compile(
    r"\b(incorporated|inc|llc|l\.l\.c|ltd|limited|gmbh|corp|corporation|co|plc|s\.?a|ag|bv|"
    r"pty|sarl|sas)\b\.?",
    re.I,
)
_TITLE_WORDS = {
    "sr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "eng": "engineer",
    "dev": "developer",
    "&": "and",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9+#]+|&", _fold(text))


def normalise_title(title: str) -> str:
    """ "Sr. Backend Engineer (Remote) - II" and "senior backend engineer ii" read the same."""
    text = re.sub(r"\((remote|hybrid|on-?site)[^)]*\)", " ", title, flags=re.I)
    text = re.sub(r"\s[-–|]\s*(remote|hybrid|on-?site)\b.*$", " ", text, flags=re.I)
    return " ".join(_TITLE_WORDS.get(w, w) for w in _words(text))


def normalise_company(company: str | None) -> str:
    if not company:
        return ""
    return " ".join(_words(_COMPANY_SUFFIX.sub(" ", company)))


def normalise_location(location: str | None) -> str:
    if not location:
        return ""
    words = [
        w for w in _words(location) if w not in {"usa", "us", "united", "states", "of", "america"}
    ]
    return " ".join(words)


def canonical_url(url: str | None) -> str | None:
    """Lower-case the host, drop www., tracking parameters, the fragment and a trailing slash."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False) if not _TRACKING.match(k)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, urlencode(query), ""))[:1000]


def dedup_key(*, company: str | None, title: str, location: str | None) -> str:
    basis = "|".join(
        [normalise_company(company), normalise_title(title), normalise_location(location)]
    )
    return hashlib.sha256(basis.encode()).hexdigest()


def job_text(raw: RawPosting) -> str:
    """The text the JD parser reads: labelled header lines, then the description."""
    lines = [raw.title]
    if raw.company:
        lines.append(f"Company: {raw.company}")
    if raw.location:
        lines.append(f"Location: {raw.location}")
    return "\n".join(lines) + "\n\n" + (raw.description or "")


def embedding_text(raw: RawPosting) -> str:
    """Title, company and the start of the description: what the posting's vector encodes."""
    head = " - ".join(filter(None, [raw.title, raw.company, raw.location]))
    return f"{head}\n{(raw.description or '')[:EMBED_CHARS]}".strip()


def content_hash(raw: RawPosting) -> str:
    salary = raw.salary
    parts: list[Any] = [
        raw.title,
        raw.company,
        raw.location,
        raw.description,
        raw.url,
        raw.posted_at.isoformat() if raw.posted_at else None,
        raw.remote,
        raw.employment_type,
        (salary.min_amount, salary.max_amount, salary.currency, salary.period) if salary else None,
        PARSER_VERSION,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class PostingFields(TypedDict):
    """The columns of a stored posting that its source and its parse decide."""

    title: str
    company: str | None
    location: str | None
    url: str | None
    canonical_url: str | None
    dedup_key: str
    description: str
    content_hash: str
    remote: str | None
    seniority: str | None
    employment_type: str | None
    years_min: float | None
    years_max: float | None
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_period: str | None
    salary_yearly_min: float | None
    salary_yearly_max: float | None
    skills: list[list[str]]
    looks_like_job: bool
    parsed: dict[str, Any]
    parser_version: str
    posted_at: datetime | None


@dataclass(slots=True)
class Prepared:
    """The stored facts of one posting (column -> value), its keys and its embedding text."""

    fields: PostingFields
    dedup_key: str
    canonical_url: str | None
    content_hash: str
    embedding_text: str
    warnings: list[str]


def prepare(raw: RawPosting, parsed: ParsedJob) -> Prepared:
    """Combine what the source says with what the parser read; the source wins where it speaks."""
    salary = raw.salary
    parsed_salary = parsed.salary
    experience = parsed.experience
    warnings = []
    if not raw.description.strip():
        warnings.append("The source gave no description: only the title, company and place.")
    remote = raw.remote or (parsed.remote.policy.value if parsed.remote else None)
    employment = raw.employment_type or (
        parsed.employment.primary.value if parsed.employment else None
    )
    canonical = canonical_url(raw.url) if raw.url_identifies else None
    key = dedup_key(company=raw.company, title=raw.title, location=raw.location)
    digest = content_hash(raw)
    company = raw.company or parsed.company or None
    location = raw.location or parsed.location or None
    fields: PostingFields = {
        "title": raw.title[:300],
        # Column widths: a source may send more.
        "company": company[:200] if company else company,
        "location": location[:300] if location else location,
        "url": raw.url,
        "canonical_url": canonical,
        "dedup_key": key,
        "description": raw.description,
        "content_hash": digest,
        "remote": remote,
        "seniority": parsed.seniority.level.value if parsed.seniority else None,
        "employment_type": employment,
        "years_min": experience.min_years if experience else None,
        "years_max": experience.max_years if experience else None,
        "salary_min": salary.min_amount
        if salary
        else (parsed_salary.min_amount if parsed_salary else None),
        "salary_max": salary.max_amount
        if salary
        else (parsed_salary.max_amount if parsed_salary else None),
        "salary_currency": (salary.currency if salary else None)
        or (parsed_salary.currency if parsed_salary else None),
        "salary_period": (salary.period if salary else None)
        or (parsed_salary.period.value if parsed_salary and parsed_salary.period else None),
        "salary_yearly_min": None,
        "salary_yearly_max": None,
        "skills": [[s.skill_id, s.importance.value] for s in parsed.skills],
        "looks_like_job": parsed.looks_like_job,
        "parsed": parsed.model_dump(mode="json", exclude={"sections"}),
        "parser_version": PARSER_VERSION,
        "posted_at": raw.posted_at,
    }
    fields["salary_yearly_min"] = yearly(fields["salary_min"], fields["salary_period"])
    fields["salary_yearly_max"] = yearly(fields["salary_max"], fields["salary_period"])
    return Prepared(fields, key, canonical, digest, embedding_text(raw), warnings)
