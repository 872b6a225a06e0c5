"""Job postings with full text (USAJOBS, public domain; 18F/TTS, CC0) as the pipeline takes them.

Shared by the search benchmark (the whole files in ``../shared/data/jobs``) and the search
evaluation (a fixed sample of them in ``tests/eval/search/postings.jsonl.gz``).
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from careergini.jobs.sources.base import RawPosting, SalaryHint

TTS_REPO = "18F/join.tts.gsa.gov"


def _value(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or str(value) in ("", "None", "nan"):
        return None
    return str(value)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def records(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the JSON records of a gzipped JSON-lines file."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def raw_posting(record: dict[str, Any]) -> RawPosting | None:
    """Return the posting of a USAJOBS or TTS record; None without a description or when it
    re-announces another posting."""
    description = _value(record, "description")
    if not description or _value(record, "near_duplicate_of"):
        return None
    if record.get("source_repo") == TTS_REPO:
        return RawPosting(
            external_id=str(record["id"]),
            title=str(record["title"]),
            company=_value(record, "organization"),
            location=_value(record, "location") or "Remote",
            description=description,
            url=_value(record, "usajobs_url"),
            posted_at=_date(_value(record, "date_opens"))
            or _date(_value(record, "source_commit_date")),
        )
    places = _value(record, "locations") or ""
    location = places.strip("[]").split("', '")[0].strip("'\" ") or None
    low, high = _float(_value(record, "salary_min")), _float(_value(record, "salary_max"))
    period = (_value(record, "salary_period") or "").lower()
    return RawPosting(
        external_id=str(record["id"]),
        title=str(record["title"]),
        company=_value(record, "organization"),
        location=location,
        description=description,
        url=_value(record, "url"),
        posted_at=_date(_value(record, "date_posted")),
        salary=SalaryHint(low, high, "USD", "hour" if "hour" in period else "year")
        if low or high
        else None,
    )


def postings(paths: Iterable[Path]) -> list[RawPosting]:
    """Every posting with a description in the given files."""
    return [raw for path in paths for record in records(path) if (raw := raw_posting(record))]


def shared_files(data: Path) -> list[Path]:
    """The USAJOBS and TTS files of the shared data folder."""
    jobs = data / "jobs"
    return [
        jobs / "usajobs" / "usajobs_postings.jsonl.gz",
        jobs / "tts-join" / "tts_postings.jsonl.gz",
    ]


def sample_records(data: Path, *, usajobs: int, tts: int, seed: int = 23) -> list[dict[str, Any]]:
    """Return a seeded sample of usable records: ``usajobs`` federal postings and ``tts`` TTS
    pages (one per title: the TTS history keeps several versions of a page)."""
    usa_path, tts_path = shared_files(data)
    usable = [r for r in records(usa_path) if raw_posting(r)]
    by_title: dict[str, dict[str, Any]] = {}
    for r in records(tts_path):
        if raw_posting(r):
            by_title[str(r["title"]).casefold()] = r  # the file is oldest first: keep the newest
    pick = random.Random(seed)
    chosen = pick.sample(usable, min(usajobs, len(usable)))
    chosen += pick.sample(sorted(by_title.values(), key=lambda r: r["id"]), min(tts, len(by_title)))
    return chosen


# The fields raw_posting reads, and where a record came from: what a sample keeps.
KEPT_FIELDS = (
    "id", "title", "organization", "department", "location", "locations", "description",
    "url", "usajobs_url", "date_posted", "date_opens", "source_commit_date", "salary_min",
    "salary_max", "salary_period", "near_duplicate_of", "source_repo", "source_commit",
)  # fmt: skip


def write_sample(data: Path, target: Path, *, usajobs: int, tts: int, seed: int = 23) -> int:
    """Write a seeded sample of the shared files to ``target`` (gzipped JSON lines)."""
    chosen = sample_records(data, usajobs=usajobs, tts=tts, seed=seed)
    with gzip.open(target, "wt", encoding="utf-8") as out:
        for record in chosen:
            kept = {k: record.get(k) for k in KEPT_FIELDS if k in record}
            out.write(json.dumps(kept, ensure_ascii=False) + "\n")
    return len(chosen)
