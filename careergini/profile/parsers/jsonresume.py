"""Read a JSON Resume (jsonresume.org schema) into a profile."""

from __future__ import annotations

import json
from typing import Any

from careergini.documents.detect import decode_text, load_json_resume
from careergini.documents.errors import UnreadableDocument
from careergini.profile.errors import NoResumeContent
from careergini.profile.parsers.contact import normalize_url
from careergini.profile.parsers.dates import parse_date
from careergini.profile.parsers.resume import require_resume_content
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


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: Any) -> PartialDate | None:
    text = _str(value)
    return parse_date(text) if text else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [s for s in (_str(v) for v in _list(value) if not isinstance(v, dict | list)) if s]


def parse_json_resume(data: bytes, *, taxonomy: Any = None) -> ParseResult:
    """Parse a JSON Resume document into a profile."""
    text = decode_text(data)
    document = load_json_resume(text) if text is not None else None
    if document is None:
        raise UnreadableDocument("The JSON file is not a valid JSON Resume document.")
    profile = ParsedProfile(basics=_basics(_dict(document.get("basics"))))
    profile.summary = _str(_dict(document.get("basics")).get("summary"))
    collector = SkillCollector(taxonomy=taxonomy)

    for work in map(_work, _items(document, "work")):
        if work.company or work.title:
            index = len(profile.work)
            profile.work.append(work)
            for bullet in work.bullets:
                collector.add_text(bullet, section="work", work_index=index)
    educations = map(_education, _items(document, "education"))
    profile.education = [edu for edu in educations if edu.institution or edu.degree]
    for item in _items(document, "skills"):
        for skill in [n for n in [_str(item.get("name"))] if n] + _strings(item.get("keywords")):
            collector.add_listed([(skill, None)])
    for item in _items(document, "projects"):
        _add_project(item, profile, collector)
    profile.certifications = [
        Certification(name=name, issuer=_str(item.get("issuer")), date=_date(item.get("date")))
        for item in _items(document, "certificates")
        if (name := _str(item.get("name")))
    ]
    profile.languages = [
        Language(language=language, fluency=_str(item.get("fluency")))
        for item in _items(document, "languages")
        if (language := _str(item.get("language")))
    ]

    if profile.summary:
        collector.add_text(profile.summary, section="summary")
    profile.skills = collector.skills()
    try:
        require_resume_content(profile, has_sections=bool(profile.work or profile.education))
    except NoResumeContent:
        if not profile.skills:
            raise
    return ParseResult(
        profile=profile,
        document_type=DocumentType.JSON_RESUME,
        text=json.dumps(document, indent=2, ensure_ascii=False),
    )


def _items(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """Return the objects listed under the key; anything else there reads as empty."""
    return [_dict(item) for item in _list(document.get(key))]


def _work(item: dict[str, Any]) -> WorkEntry:
    start, end = _date(item.get("startDate")), _date(item.get("endDate"))
    if start and end is None:
        end = PartialDate(present=True, raw="")  # JSON Resume leaves endDate out while current
    bullets = _strings(item.get("highlights"))
    if summary := _str(item.get("summary")):
        bullets.insert(0, summary)
    return WorkEntry(
        company=_str(item.get("name") or item.get("company")),
        title=_str(item.get("position")),
        location=_str(item.get("location")),
        start=start,
        end=end,
        current=bool(end and end.present),
        bullets=bullets,
    )


def _education(item: dict[str, Any]) -> EducationEntry:
    return EducationEntry(
        institution=_str(item.get("institution")),
        degree=_str(item.get("studyType")),
        field=_str(item.get("area")),
        start=_date(item.get("startDate")),
        end=_date(item.get("endDate")),
        grade=_str(item.get("score")),
        bullets=_strings(item.get("courses")),
    )


def _add_project(item: dict[str, Any], profile: ParsedProfile, collector: SkillCollector) -> None:
    name = _str(item.get("name"))
    if not name:
        return
    project = Project(
        name=name,
        description=_str(item.get("description")),
        url=_str(item.get("url")),
        start=_date(item.get("startDate")),
        end=_date(item.get("endDate")),
        bullets=_strings(item.get("highlights")),
    )
    index = len(profile.projects)
    keys: list[str] = []
    for text in [project.description or "", *project.bullets]:
        keys += collector.add_text(text, section="projects", project_index=index)
    for keyword in _strings(item.get("keywords")):
        collector.add_listed([(keyword, None)], section="projects")
    project.skills = list(dict.fromkeys(keys))
    profile.projects.append(project)


def _basics(basics: dict[str, Any]) -> Basics:
    location = _dict(basics.get("location"))
    place = ", ".join(
        p for p in (_str(location.get(k)) for k in ("city", "region", "countryCode")) if p
    )
    links = Links()
    if url := _str(basics.get("url") or basics.get("website")):
        links.website = normalize_url(url)
    for profile in map(_dict, _list(basics.get("profiles"))):
        network = (_str(profile.get("network")) or "").lower()
        url = _str(profile.get("url"))
        username = _str(profile.get("username"))
        if network == "linkedin" and (url or username):
            links.linkedin = normalize_url(url or f"linkedin.com/in/{username}")
        elif network == "github" and (url or username):
            links.github = normalize_url(url or f"github.com/{username}")
        elif url:
            links.other.append(normalize_url(url))
    return Basics(
        name=_str(basics.get("name")),
        headline=_str(basics.get("label")),
        email=_str(basics.get("email")),
        phone=_str(basics.get("phone")),
        location=place or _str(location.get("address")),
        links=links,
    )
