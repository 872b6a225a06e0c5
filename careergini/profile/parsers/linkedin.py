"""Read a LinkedIn data export (the ZIP of CSV files) into a profile."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from careergini.documents.archive import open_zip, read_member
from careergini.profile.errors import NoResumeContent
from careergini.profile.parsers.contact import EMAIL_RE, find_urls, normalize_url
from careergini.profile.parsers.dates import parse_date
from careergini.profile.parsers.findings import profile_warnings
from careergini.profile.parsers.skills import SkillCollector
from careergini.profile.schemas import (
    Basics,
    Certification,
    DocumentType,
    EducationEntry,
    Language,
    Links,
    ParsedProfile,
    ParseResult,
    PartialDate,
    Project,
    WorkEntry,
)

_CSV_LIMIT = 5 * 1024 * 1024  # one CSV of a profile export is kilobytes; cap what we read
_DEGREE_SUFFIX_RE = re.compile(r"\s+-\s+[A-Z][A-Za-z.]{1,8}$")  # "Bachelor of Science - BS"


Row = dict[str, str]


def _rows(files: dict[str, bytes], name: str, expected: tuple[str, ...]) -> list[Row]:
    """Return a CSV's rows with lower-cased column names; [] if the file is missing."""
    data = files.get(name)
    if data is None:
        return []
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    # Some exports open with "Notes:" lines before the header; start at the real header.
    start = next(
        (i for i, line in enumerate(lines) if any(col in line.lower() for col in expected)), 0
    )
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])))
    rows = []
    for raw in reader:
        row = {
            (key or "").strip().lower(): (value or "").strip()
            for key, value in raw.items()
            if isinstance(value, str)
        }
        if any(row.values()):
            rows.append(row)
    return rows


def _get(row: Row, *names: str) -> str | None:
    for name in names:
        value = row.get(name)
        if value:
            return value
    return None


def _date(value: str | None) -> PartialDate | None:
    if not value:
        return None
    # LinkedIn writes "Jan 2020" or "2020", and in some exports "15 Jan 2020".
    return parse_date(re.sub(r"^\d{1,2}\s+(?=[A-Za-z])", "", value.strip()))


def _lines(text: str | None) -> list[str]:
    if not text:
        return []
    return [ln.strip(" •-*\t") for ln in re.split(r"[\r\n]+", text) if ln.strip(" •-*\t")]


def _files(data: bytes) -> dict[str, bytes]:
    archive = open_zip(data)
    files: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            base = info.filename.rsplit("/", 1)[-1].lower()
            if base.endswith(".csv") and base not in files:
                files[base] = read_member(archive, info.filename, limit=_CSV_LIMIT)
    return files


def parse_linkedin_export(data: bytes, *, taxonomy: Any = None) -> ParseResult:
    """Parse a LinkedIn data export ZIP into a profile."""
    files = _files(data)
    profile = ParsedProfile(basics=_basics(files))
    collector = SkillCollector(taxonomy=taxonomy)
    warnings = [
        f"missing_file: {name}" for name in ("profile.csv", "positions.csv") if name not in files
    ]

    summary_rows = _rows(files, "profile.csv", ("first name",))
    if summary_rows:
        profile.summary = _get(summary_rows[0], "summary")
    for work in _positions(files):
        if work.company or work.title:
            index = len(profile.work)
            profile.work.append(work)
            for bullet in work.bullets:
                collector.add_text(bullet, section="work", work_index=index)
    profile.education = _education(files)
    for row in _rows(files, "skills.csv", ("name",)):
        if name := _get(row, "name", "skill"):
            collector.add_listed([(name, None)])
    for project in _projects(files):
        keys = collector.add_text(
            project.description or "", section="projects", project_index=len(profile.projects)
        )
        project.skills = list(dict.fromkeys(keys))
        profile.projects.append(project)
    profile.certifications = _certifications(files)
    profile.languages = _languages(files)

    if profile.summary:
        collector.add_text(profile.summary, section="summary")
    profile.skills = collector.skills()
    _require_export_content(profile)
    text = "\n".join(_summary_lines(profile))
    return ParseResult(
        profile=profile,
        document_type=DocumentType.LINKEDIN_EXPORT,
        warnings=[*warnings, *profile_warnings(profile, text=text)],
        text=text,
    )


def _require_export_content(profile: ParsedProfile) -> None:
    """Accept any subset of the export's files that tells something about the person."""
    if (
        profile.basics.name
        or profile.work
        or profile.education
        or profile.skills
        or profile.projects
        or profile.certifications
    ):
        return
    raise NoResumeContent(
        "The LinkedIn export holds no profile, positions, education or skills. Upload the ZIP "
        "LinkedIn e-mails you (Settings › Data privacy › Get a copy of your data) as it is."
    )


def _positions(files: dict[str, bytes]) -> Iterator[WorkEntry]:
    rows = _rows(files, "positions.csv", ("company name", "title"))
    # Without an end-date column an empty end says nothing: the end is unknown, not "current".
    has_end_column = bool(rows) and any(name in rows[0] for name in ("finished on", "end date"))
    for row in rows:
        start = _date(_get(row, "started on", "start date"))
        end = _date(_get(row, "finished on", "end date"))
        if start and end is None and has_end_column:
            end = PartialDate(present=True, raw="")  # LinkedIn leaves the end empty while current
        yield WorkEntry(
            company=_get(row, "company name", "company"),
            title=_get(row, "title"),
            location=_get(row, "location"),
            start=start,
            end=end,
            current=bool(end and end.present),
            bullets=_lines(_get(row, "description")),
        )


def _education(files: dict[str, bytes]) -> list[EducationEntry]:
    found = []
    for row in _rows(files, "education.csv", ("school name",)):
        degree = _get(row, "degree name", "degree")
        if degree:
            degree = _DEGREE_SUFFIX_RE.sub("", degree)
        edu = EducationEntry(
            institution=_get(row, "school name", "school"),
            degree=degree,
            field=_get(row, "field of study", "field"),
            start=_date(_get(row, "start date", "started on")),
            end=_date(_get(row, "end date", "finished on")),
            grade=_get(row, "grade"),
            bullets=_lines(_get(row, "notes")) + _lines(_get(row, "activities")),
        )
        if edu.institution or edu.degree:
            found.append(edu)
    return found


def _projects(files: dict[str, bytes]) -> Iterator[Project]:
    for row in _rows(files, "projects.csv", ("title",)):
        if name := _get(row, "title", "name"):
            yield Project(
                name=name,
                description=_get(row, "description"),
                url=_get(row, "url"),
                start=_date(_get(row, "started on", "start date")),
                end=_date(_get(row, "finished on", "end date")),
            )


def _certifications(files: dict[str, bytes]) -> list[Certification]:
    return [
        Certification(
            name=name,
            issuer=_get(row, "authority"),
            date=_date(_get(row, "started on", "finished on")),
        )
        for row in _rows(files, "certifications.csv", ("name", "authority"))
        if (name := _get(row, "name"))
    ]


def _languages(files: dict[str, bytes]) -> list[Language]:
    return [
        Language(language=language, fluency=_get(row, "proficiency"))
        for row in _rows(files, "languages.csv", ("name", "proficiency"))
        if (language := _get(row, "name"))
    ]


def _basics(files: dict[str, bytes]) -> Basics:
    basics = Basics(links=Links())
    rows = _rows(files, "profile.csv", ("first name",))
    if rows:
        row = rows[0]
        name = " ".join(p for p in (_get(row, "first name"), _get(row, "last name")) if p)
        basics.name = name or None
        basics.headline = _get(row, "headline")
        basics.location = _get(row, "geo location", "location", "address")
        for url in find_urls(_get(row, "websites") or ""):
            url = normalize_url(url)
            if "linkedin.com/in/" in url:
                basics.links.linkedin = basics.links.linkedin or url
            elif re.search(r"github\.com/[\w-]+/?$", url):
                basics.links.github = basics.links.github or url
            elif basics.links.website is None:
                basics.links.website = url
            else:
                basics.links.other.append(url)
    emails = _rows(files, "email addresses.csv", ("email address",))
    primary = [r for r in emails if (_get(r, "primary") or "").lower() == "yes"] or emails
    for row in primary:
        address = _get(row, "email address", "email")
        if address and EMAIL_RE.fullmatch(address):
            basics.email = address
            break
    for row in _rows(files, "phonenumbers.csv", ("number",)):
        if number := _get(row, "number"):
            basics.phone = number
            break
    return basics


def _summary_lines(profile: ParsedProfile) -> Iterator[str]:
    """Render the profile as plain text, so the result has text like the other formats."""
    basics = profile.basics
    yield from (v for v in (basics.name, basics.headline, basics.email, basics.location) if v)
    if profile.summary:
        yield profile.summary
    for work in profile.work:
        yield " | ".join(v for v in (work.title, work.company, work.location) if v)
        yield from work.bullets
    for edu in profile.education:
        yield " | ".join(v for v in (edu.degree, edu.field, edu.institution) if v)
    if profile.skills:
        yield ", ".join(s.name for s in profile.skills)
