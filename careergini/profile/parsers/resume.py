"""Turn ordered layout lines (from PDF, DOCX or text) into a structured profile."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from careergini.documents.layout import Line, LinkRef, is_bullet, strip_bullet
from careergini.profile.errors import NoResumeContent
from careergini.profile.parsers.contact import (
    CONTACT_HEADINGS,
    PERSONAL_HEADINGS,
    contact_footer,
    parse_header,
    read_personal_details,
)
from careergini.profile.parsers.dates import strip_dates
from careergini.profile.parsers.entries import (
    RawEntry,
    is_internship_title,
    parse_education,
    parse_project,
    parse_work,
    split_entries,
)
from careergini.profile.parsers.findings import (
    LANGUAGE_NAMES,
    SUPPORTED_LANGUAGES,
    detect_language,
)
from careergini.profile.parsers.sections import (
    Section,
    SectionKind,
    heading_kind,
    normalize_heading,
    split_sections,
)
from careergini.profile.parsers.skills import SkillCollector
from careergini.profile.schemas import Certification, EducationEntry, Language, ParsedProfile

_FLUENCY_RE = re.compile(
    r"\b(native|mother tongue|bilingual|fluent|proficient|professional(?: working)?|"
    r"full professional|limited working|elementary|conversational|intermediate|advanced|"
    r"basic|beginner|upper[- ]intermediate|[ABC][12])\b",
    re.IGNORECASE,
)
_ISSUER_RE = re.compile(
    r"\b(?:amazon|aws|google|microsoft|oracle|cisco|comptia|pmi|isc2|\(isc\)2|isaca|coursera|"
    r"udemy|edx|linux foundation|cncf|hashicorp|salesforce|red hat|ibm|meta|scrum alliance|"
    r"scrum\.org|axelos|databricks|snowflake|mongodb|university|institute|academy|inc|llc|ltd)\b",
    re.IGNORECASE,
)
_JOB_POSTING_HEADINGS = frozenset(
    {
        "about us", "responsibilities", "requirements", "job description", "what you'll do",
        "what we offer", "benefits", "who you are", "nice to have", "qualifications required",
        "preferred qualifications", "minimum qualifications", "about the role", "the role",
        "key responsibilities", "what you will do", "perks", "how to apply", "about the job",
    }
)  # fmt: skip
_CERT_SEP_RE = re.compile(r"\s+[–—|-]\s+|,\s+|\s*\(")
_SKILL_LABEL_RE = re.compile(r"^\s*[A-Za-z][\w &/+-]{0,40}?\s*:\s")
_PROFILE_LINK_RE = re.compile(r"linkedin\.com/in/|github\.com/[\w-]+/?$", re.IGNORECASE)
# "Português (Nativo)", "Anglais (Courant (C1))", "Deutsch: Muttersprache", "Tamil – Native".
_LANGUAGE_ITEM_RE = re.compile(
    r"^\s*([^\W\d_][^\W\d_]{1,20}(?:\s[^\W\d_]{2,20}){0,2}?)\s*(?:([(:–—-])\s*(.*?))?\s*$"
)


@dataclass(slots=True)
class _Draft:
    """The profile being built, and what its skills are later collected from."""

    profile: ParsedProfile
    collector: SkillCollector
    links: Sequence[LinkRef]
    summary: list[tuple[str, int]] = field(default_factory=list)  # (text, line)
    work: list[RawEntry] = field(default_factory=list)
    projects: list[RawEntry] = field(default_factory=list)


def build_profile(
    lines: Sequence[Line],
    *,
    links: Sequence[LinkRef] = (),
    taxonomy: Any = None,
    notes: list[str] | None = None,
) -> ParsedProfile:
    """Build the profile from numbered lines; raise NoResumeContent if nothing resume-like.

    What was read on a guess is said in ``notes`` (warnings for the import's result).
    """
    sections = split_sections(lines)
    profile = ParsedProfile()
    contact_block = [
        line
        for section in sections[1:]
        if section.kind is SectionKind.OTHER
        and normalize_heading(section.title) in CONTACT_HEADINGS
        for line in section.lines
    ]
    footer = contact_footer(sections[-1].lines) if len(sections) > 1 else []
    profile.basics = parse_header(
        sections[0].lines,
        all_lines=lines,
        links=_header_links(sections, links, footer=footer[0] if footer else None),
        contact_block=[*contact_block, *footer],
    )
    # Labelled rows ("Name  Michael") in the header or a personal-details block fill the gaps.
    personal = [
        line
        for section in sections[1:]
        if section.kind is SectionKind.OTHER
        and normalize_heading(section.title) in PERSONAL_HEADINGS
        for line in section.lines
    ]
    read_personal_details([*sections[0].lines, *personal], profile.basics)
    draft = _Draft(profile=profile, collector=SkillCollector(taxonomy=taxonomy), links=links)
    for section in sections[1:]:
        if read := _SECTION_READERS.get(section.kind):
            read(section, draft)
    if not profile.work:
        _read_dated_entries_under_unknown_headings(sections, draft, notes)
    _collect_text_skills(draft)
    profile.skills = draft.collector.skills()
    _anchor_evidence(profile, [line.text for line in lines])
    known_sections = {s.kind for s in sections[1:]} - {SectionKind.OTHER}
    _refuse_job_description(profile, lines)
    require_resume_content(
        profile,
        has_sections=bool(known_sections),
        language=detect_language("\n".join(line.text for line in lines)),
    )
    return profile


def _read_dated_entries_under_unknown_headings(
    sections: Sequence[Section], draft: _Draft, notes: list[str] | None
) -> None:
    """Read positions from a section whose heading we do not know, when nothing else gave any.

    "School education and CV" over four dated jobs holds positions all the same; they are read
    only if at least two entries there have dates, and the import says so.
    """
    for section in sections[1:]:
        title = normalize_heading(section.title)
        if (
            section.kind is not SectionKind.OTHER
            or heading_kind(section.title) is not None
            or title in PERSONAL_HEADINGS
            or title in CONTACT_HEADINGS
        ):
            continue
        found = [
            (work, entry)
            for entry in split_entries(section.lines)
            for work in [parse_work(entry)]
            if (work.company or work.title) and (work.start or work.end)
        ]
        if len(found) < 2:
            continue
        for work, entry in found:
            work.kind = "internship" if is_internship_title(work.title) else "job"
            draft.profile.work.append(work)
            draft.work.append(entry)
        if notes is not None:
            notes.append(
                f"positions_unknown_heading: We read {len(found)} positions under "
                f"“{section.title}”, a heading we do not know; check them below, or name the "
                "heading “Experience”."
            )


def _read_summary(section: Section, draft: _Draft) -> None:
    draft.summary.extend((ln.text, ln.index) for ln in section.lines)


def _read_experience(section: Section, draft: _Draft) -> None:
    kind = _WORK_KINDS.get(section.kind, "job")
    for entry in split_entries(section.lines):
        work = parse_work(entry)
        work.kind = "internship" if kind == "job" and is_internship_title(work.title) else kind
        if work.company or work.title:
            draft.profile.work.append(work)
            draft.work.append(entry)


def _read_education(section: Section, draft: _Draft) -> None:
    added: list[EducationEntry] = []
    for entry in split_entries(section.lines):
        edu = parse_education(entry)
        if added and not (edu.degree or edu.start or edu.end) and added[-1].end is not None:
            # "College of Engineering" / "Magna Cum Laude" / "Cum. GPA: 3.83" under a dated
            # degree tell more about it; they are no school of their own.
            added[-1].bullets.extend(r.text for r in entry.header)
            added[-1].bullets.extend(t for t, _ in entry.body())
            added[-1].grade = added[-1].grade or edu.grade
            continue
        if edu.institution or edu.degree:
            added.append(edu)
    draft.profile.education.extend(added)


def _read_projects(section: Section, draft: _Draft) -> None:
    for entry in split_entries(section.lines):
        project = parse_project(entry, links=draft.links)
        if project.name:
            draft.profile.projects.append(project)
            draft.projects.append(entry)


def _read_skills(section: Section, draft: _Draft) -> None:
    # A "Sprachen  Deutsch (Muttersprache), Englisch" row among the skills lists spoken
    # languages: they are read as languages, never as skills.
    spoken = [
        line
        for line in section.lines
        if len(line.segments) >= 2
        and heading_kind(line.segments[0].strip().rstrip(":")) is SectionKind.LANGUAGES
    ]
    if spoken:
        rows = [Line(segments=line.segments[1:], index=line.index) for line in spoken]
        _read_languages(Section(kind=SectionKind.LANGUAGES, title="", lines=rows), draft)
        section = Section(
            kind=section.kind,
            title=section.title,
            heading=section.heading,
            lines=[line for line in section.lines if line not in spoken],
        )
    for item in _skill_items(section, draft.collector):
        draft.collector.add_listed(item)


def _read_certifications(section: Section, draft: _Draft) -> None:
    draft.profile.certifications.extend(_certifications(section))


def _read_languages(section: Section, draft: _Draft) -> None:
    collector = draft.collector
    for language in _languages(section):
        # "Languages: Python, Go" under its own heading lists programming languages.
        if collector.spans(language.language) == [(0, len(language.language))]:
            collector.add_listed([(language.language, None)])
        else:
            draft.profile.languages.append(language)


_WORK_KINDS = {SectionKind.INTERNSHIPS: "internship", SectionKind.VOLUNTEER: "volunteer"}
_SECTION_READERS: dict[SectionKind, Callable[[Section, _Draft], None]] = {
    SectionKind.SUMMARY: _read_summary,
    SectionKind.EXPERIENCE: _read_experience,
    SectionKind.INTERNSHIPS: _read_experience,
    SectionKind.VOLUNTEER: _read_experience,
    SectionKind.EDUCATION: _read_education,
    SectionKind.PROJECTS: _read_projects,
    SectionKind.SKILLS: _read_skills,
    SectionKind.CERTIFICATIONS: _read_certifications,
    SectionKind.LANGUAGES: _read_languages,
}


def _collect_text_skills(draft: _Draft) -> None:
    """Collect the skills named in the summary, the jobs and the projects, with their lines."""
    profile, collector = draft.profile, draft.collector
    if draft.summary:
        profile.summary = _paragraph([text for text, _ in draft.summary])
        for text, index in draft.summary:
            collector.add_text(text, section="summary", line=index)
    for i, entry in enumerate(draft.work):
        for text, index in entry.body():
            collector.add_text(text, section="work", line=index, work_index=i)
    for i, entry in enumerate(draft.projects):
        keys: list[str] = []
        texts = [(r.text, r.line.index) for r in entry.header[1:]] + entry.body()
        for text, index in texts:
            keys.extend(collector.add_text(text, section="projects", line=index, project_index=i))
        profile.projects[i].skills = list(dict.fromkeys(keys))


def _anchor_evidence(profile: ParsedProfile, texts: Sequence[str]) -> None:
    """Point bullet evidence at the line and offset where its words are printed.

    Bullets are read without their glyph and joined across wrapped lines, so an offset into
    the bullet is not an offset into the line.
    """
    for skill in profile.skills:
        for evidence in skill.evidence:
            if evidence.line is None or evidence.section not in ("work", "projects"):
                continue
            evidence.start = evidence.end = None
            for number in range(evidence.line, min(evidence.line + 6, len(texts) + 1)):
                found = texts[number - 1].find(evidence.surface)
                if found >= 0:
                    evidence.line = number
                    evidence.start, evidence.end = found, found + len(evidence.surface)
                    break


def _header_links(
    sections: Sequence[Section], links: Sequence[LinkRef], *, footer: Line | None = None
) -> list[LinkRef]:
    """Keep the links of the header (and of a contact footer), and profile links wherever
    they are.

    A link in a project or publication (a repository, a DOI) is not the person's website.
    """
    first = next((s.heading for s in sections[1:] if s.heading is not None), None)
    kept = []
    for link in links:
        in_header = first is None or (link.page, link.top) < (first.page, first.top)
        # A link annotation's top sits a little above its text's.
        in_footer = footer is not None and (link.page, link.top) >= (footer.page, footer.top - 6)
        if (
            in_header
            or in_footer
            or _PROFILE_LINK_RE.search(link.uri)
            or link.uri.startswith(("mailto:", "tel:"))
        ):
            kept.append(link)
    return kept


def _skill_items(section: Section, collector: SkillCollector) -> list[list[tuple[str, int]]]:
    """Group skills lines into items, rejoining a list that wraps onto the next line."""
    items: list[list[tuple[str, int]]] = []
    right = max((ln.x1 for ln in section.lines if ln.x1 is not None), default=None)
    previous: Line | None = None
    for line in section.lines:
        text = line.text
        wraps = (
            items
            and previous is not None
            and not is_bullet(line)
            and not _SKILL_LABEL_RE.match(text)
            and _continues(previous, text, right, collector)
        )
        previous = line
        if wraps:
            items[-1].append((text, line.index))
        else:
            items.append([(text, line.index)])
    return items


def _continues(previous: Line, text: str, right: float | None, collector: SkillCollector) -> bool:
    """Tell whether a skills line carries on the list (or the very item) of the line above."""
    before = previous.text.rstrip()
    if before.endswith((",", ";", "&", " and")):
        return True
    if "," not in before or not _fills_width(previous, right):
        return False
    # The line broke mid-item ("Natural / Language Processing") unless both halves are
    # skills in their own right ("PostgreSQL / Docker").
    tail = re.split(r"[,;]\s*", before)[-1]
    head = re.split(r"[,;]\s*", text.strip())[0]
    joined = f"{tail} {head}"
    if any(start < len(tail) < end for start, end in collector.spans(joined)):
        return True
    known = collector.spans(tail) + [
        (s + len(tail) + 1, e + len(tail) + 1) for s, e in collector.spans(head)
    ]
    return not known


def _fills_width(line: Line, right: float | None) -> bool:
    """Tell whether a line runs to the right edge, so the text wrapped after it."""
    if line.x1 is not None and right is not None:
        return right - line.x1 < 4 * (line.size or 10)
    return len(line.text) >= 65  # a hard-wrapped text file


def _paragraph(texts: Sequence[str]) -> str:
    joined = ""
    for text in texts:
        text = strip_bullet(text)
        if re.search(r"[A-Za-z]-$", joined) and text[:1].islower():
            joined = joined[:-1] + text
        else:
            joined = f"{joined} {text}".strip()
    return joined


def _section_items(section: Section) -> list[str]:
    """Return the section's items: bullets, or lines, with wrapped lines joined."""
    items: list[str] = []
    for line in section.lines:
        text = strip_bullet(line.text) if is_bullet(line) else line.text.strip()
        if not text:
            continue
        if items and not is_bullet(line) and (text[:1].islower() or items[-1].endswith(",")):
            items[-1] = f"{items[-1]} {text}"
        else:
            items.append(text)
    return items


def _certifications(section: Section) -> list[Certification]:
    found = []
    for item in _section_items(section):
        item = re.sub(r"\s{2,}", " ", item)
        rest, dates = strip_dates(item)
        date = (dates.end or dates.start) if dates else None
        name, issuer = rest.strip(" ,;"), None
        if by := re.search(r"\s+(?:issued by|by|from)\s+(.+)$", rest, re.IGNORECASE):
            name, issuer = rest[: by.start()].strip(" ,;"), by.group(1).strip(" ,;()")
        else:
            # "AWS Certified Developer – Associate" is one name; only an issuer-looking tail splits.
            for separator in reversed(list(_CERT_SEP_RE.finditer(rest))):
                tail = rest[separator.end() :].strip(" ,;()")
                if _ISSUER_RE.search(tail) and len(tail.split()) <= 5:
                    name, issuer = rest[: separator.start()].strip(" ,;"), tail
                    break
        if name:
            found.append(Certification(name=name, issuer=issuer, date=date))
    return found


def _languages(section: Section) -> list[Language]:
    found = []
    for item in _section_items(section):
        for piece in re.split(r"\s*[,;|•·]\s*(?![^()]*\))", item):
            match = _LANGUAGE_ITEM_RE.match(piece)
            if not match:
                continue
            language = match.group(1).strip()
            fluency = (match.group(3) or "").strip()
            if match.group(2) == "(" and fluency.endswith(")"):
                fluency = fluency[:-1].strip()
            fluency = fluency or None
            if fluency is None and (level := _FLUENCY_RE.search(language)):
                fluency = level.group(0)
                language = language[: level.start()].strip()
            if language:
                found.append(Language(language=language, fluency=fluency))
    return found


def _refuse_job_description(profile: ParsedProfile, lines: Sequence[Line]) -> None:
    """Refuse a job posting: its headings ask for experience instead of listing it."""
    if any(w.start or w.end for w in profile.work):
        return
    headings = {
        re.sub(r"[^a-z' ]", "", line.text.lower()).strip() for line in lines if len(line.text) < 40
    }
    if len(headings & _JOB_POSTING_HEADINGS) >= 2:
        raise NoResumeContent(
            "This looks like a job description, not a resume. Upload your resume instead."
        )


def require_resume_content(
    profile: ParsedProfile, *, has_sections: bool, language: str | None = None
) -> None:
    """Refuse to hand back a profile invented from something that isn't a resume.

    A profile with nothing usable (no position, education, skill, project or certificate) is
    refused too, with the reason and what to upload instead.
    """
    basics = profile.basics
    has_contact = bool(basics.email or basics.phone or basics.links.linkedin)
    has_history = any(w.start or w.end for w in profile.work) or any(
        e.start or e.end or e.degree for e in profile.education
    )
    usable = bool(
        profile.work
        or profile.education
        or profile.skills
        or profile.projects
        or profile.certifications
    )
    if usable and (has_history or (has_contact and (has_sections or basics.name))):
        return
    if language is not None and language not in SUPPORTED_LANGUAGES:
        name = LANGUAGE_NAMES.get(language, language)
        raise NoResumeContent(
            f"The resume reads as {name}, which we cannot read yet: no positions, education "
            "or skills were found. Upload an English, German, French, Spanish, Portuguese, "
            "Italian or Dutch version."
        )
    if has_contact and not usable:
        raise NoResumeContent(
            "Only contact details were found: no positions, education or skills. If the file "
            "is a scan or an image, upload the Word file or a PDF exported from it; otherwise "
            "check that your experience sits under a heading such as “Experience”."
        )
    raise NoResumeContent(
        "No resume content was found: the document has no work history, education or contact "
        "details that we could recognise. Upload your resume as a PDF or Word file exported "
        "from the editor you wrote it in (not a scan or a photo)."
    )
