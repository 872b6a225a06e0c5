"""The tracker's files: applications as CSV (export, and import of the same columns) and the
interview dates as an iCalendar file. Pure: applications in, text out; text in, rows out."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event
from pydantic import ValidationError

from careergini import __version__
from careergini.core.errors import InvalidInput
from careergini.jobs.schemas import (
    APPLICATION_STATUSES,
    ApplicationCreate,
    ApplicationPublic,
    ExternalJob,
)

# What an import reads; the rest of an export (ids, history, timestamps) is the app's own record.
IMPORTED = (
    "title",
    "company",
    "url",
    "status",
    "applied_at",
    "interview_at",
    "follow_up_at",
    "notes",
)
CSV_COLUMNS = (
    *IMPORTED,
    "resume_id",
    "cover_letter_id",
    "history",
    "created_at",
    "updated_at",
)
MAX_IMPORT_ROWS = 2000
INTERVIEW_LENGTH = timedelta(hours=1)


def _iso(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat(timespec="minutes") if value else ""


def _history(app: ApplicationPublic) -> str:
    return "; ".join(
        f"{event.to_status} {event.at.astimezone(UTC).date().isoformat()}"
        + (f" ({event.note})" if event.note else "")
        for event in app.history
    )


def _cell(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(applications: Sequence[ApplicationPublic]) -> str:
    """Return the applications as CSV with a header row, one application a line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for app in applications:
        writer.writerow(
            _cell(value)
            for value in (
                app.title,
                app.company or "",
                app.url or "",
                app.status,
                _iso(app.applied_at),
                _iso(app.interview_at),
                _iso(app.follow_up_at),
                app.notes,
                app.resume_id or "",
                app.cover_letter_id or "",
                _history(app),
                _iso(app.created_at),
                _iso(app.updated_at),
            )
        )
    return out.getvalue()


def _date(value: str, *, row: int, column: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"Row {row}: {column} {value!r} is not a date; write it as 2026-03-14 or "
            "2026-03-14T15:30 (times in UTC unless they carry an offset)."
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_csv(data: bytes) -> list[ApplicationCreate]:
    """Read applications from CSV (a header row with at least ``title``); raise on a bad row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "The file is not UTF-8 text; save it as CSV (UTF-8) and retry."
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if "title" not in header:
        raise InvalidInput(
            "The CSV needs a header row with a 'title' column (and optionally "
            + ", ".join(IMPORTED[1:])
            + "); an export from the tracker has them."
        )
    reader.fieldnames = header
    rows: list[ApplicationCreate] = []
    try:
        for number, raw in enumerate(reader, start=2):
            if number - 1 > MAX_IMPORT_ROWS:
                raise InvalidInput(
                    f"The file has more than {MAX_IMPORT_ROWS} applications; split it and import "
                    "the parts one after another."
                )
            values = {k: (v or "").strip() for k, v in raw.items() if k in IMPORTED}
            if not any(values.values()):
                continue
            rows.append(_row(values, number))
    except csv.Error as exc:
        raise InvalidInput(f"The file could not be read as CSV ({exc}).") from None
    return rows


def _row(values: dict[str, str], number: int) -> ApplicationCreate:
    status = (values.get("status") or "saved").lower()
    if status not in APPLICATION_STATUSES:
        raise InvalidInput(
            f"Row {number}: status {values['status']!r} is not one of "
            + ", ".join(APPLICATION_STATUSES)
            + "."
        )
    if not values.get("title"):
        raise InvalidInput(f"Row {number}: the title is empty; every application needs one.")
    # An exported cell that began like a formula was written with a leading quote.
    unquote = {k: v[1:] if v[:2] in ("'=", "'+", "'-", "'@") else v for k, v in values.items()}
    try:
        return ApplicationCreate(
            external=ExternalJob(
                title=unquote["title"],
                company=unquote.get("company") or None,
                url=unquote.get("url") or None,
            ),
            status=status,  # checked against the statuses above
            notes=unquote.get("notes", ""),
            applied_at=_date(values.get("applied_at", ""), row=number, column="applied_at"),
            interview_at=_date(values.get("interview_at", ""), row=number, column="interview_at"),
            follow_up_at=_date(values.get("follow_up_at", ""), row=number, column="follow_up_at"),
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"]) or "the row"
        raise InvalidInput(f"Row {number}: {where}: {problem['msg']}.") from None


def to_ical(applications: Sequence[ApplicationPublic], *, stamp: datetime) -> bytes:
    """Return the interview dates as iCalendar: a one-hour event per scheduled interview."""
    calendar = Calendar()
    calendar.add("prodid", f"-//CareerGini {__version__}//Job applications//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "CareerGini: interviews")
    for app in applications:
        if app.interview_at is None:
            continue
        start = app.interview_at.astimezone(UTC)
        event = Event()
        event.add("uid", f"{app.id}-interview@careergini")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + INTERVIEW_LENGTH)
        place = f" at {app.company}" if app.company else ""
        event.add("summary", f"Interview: {app.title}{place}")
        details = [app.notes.strip()] if app.notes.strip() else []
        if app.url:
            details.append(f"The posting: {app.url}")
            event.add("url", app.url)
        if details:
            event.add("description", "\n\n".join(details))
        calendar.add_component(event)
    return calendar.to_ical()
