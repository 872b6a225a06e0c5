"""The ATS report: will an applicant tracking system read this resume, and find the job's terms?

Pure functions over the resume's text and parse result, plus layout facts read from the original
file (``inspect_layout``): tables, images, contact details in page headers or footers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import docx
import pdfplumber
from pydantic import BaseModel

from careergini.skills.requirements import JobRequirements

STANDARD_SECTIONS = {
    "summary": ("summary", "profile", "about me", "objective", "professional summary"),
    "experience": ("experience", "work experience", "employment", "professional experience",
                   "work history", "career history"),
    "education": ("education", "academic background", "qualifications"),
    "skills": ("skills", "technical skills", "core competencies", "technologies", "tech stack"),
    "projects": ("projects", "selected projects", "personal projects"),
    "certifications": ("certifications", "certificates", "licenses", "licenses & certifications"),
}  # fmt: skip
# Bounded repeats (a local part is at most 64 characters, a phone at most ~20): a long run of
# "a.a.a…" or "1-1-1…" must not make these searches quadratic.
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,190}")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,22}\d")


class KeywordHit(BaseModel):
    term: str
    skill_id: str
    importance: str
    found: str  # exact | alias | missing
    resume_surface: str | None = None


class AtsCheck(BaseModel):
    name: str
    passed: bool
    detail: str


class AtsReport(BaseModel):
    score: float
    keyword_coverage: float
    keywords: list[KeywordHit]
    missing_keywords: list[str]
    sections_found: list[str]
    sections_missing: list[str]
    contact: dict[str, bool]
    dates_parseable: float
    checks: list[AtsCheck]
    warnings: list[str]


@dataclass(frozen=True, slots=True)
class LayoutFacts:
    """What the original file shows beyond its text."""

    tables: int = 0
    images: int = 0
    text_chars: int = 0
    contact_in_header_footer: bool = False
    columns: int = 1


def inspect_layout(data: bytes, kind: str) -> LayoutFacts:
    """Read tables, images and header/footer contact details from a PDF or DOCX resume."""
    if kind == "pdf":
        return _pdf_layout(data)
    if kind == "docx":
        return _docx_layout(data)
    return LayoutFacts()


def _pdf_layout(data: bytes) -> LayoutFacts:
    tables = images = chars = 0
    edge_contact = False
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:6]:
            images += len(page.images)
            tables += len(page.find_tables())
            chars += len(page.chars)
            margin = page.height * 0.06
            for band in (
                page.crop((0, 0, page.width, margin)),
                page.crop((0, page.height - margin, page.width, page.height)),
            ):
                text = band.extract_text() or ""
                if _EMAIL.search(text) or _PHONE.search(text):
                    edge_contact = True
    return LayoutFacts(tables=tables, images=images, text_chars=chars,
                       contact_in_header_footer=edge_contact)  # fmt: skip


def _docx_layout(data: bytes) -> LayoutFacts:
    document = docx.Document(io.BytesIO(data))
    edge_text: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            edge_text.extend(p.text for p in part.paragraphs)
    joined = "\n".join(edge_text)
    return LayoutFacts(
        tables=len(document.tables),
        images=len(document.inline_shapes),
        text_chars=sum(len(p.text) for p in document.paragraphs),
        contact_in_header_footer=bool(_EMAIL.search(joined) or _PHONE.search(joined)),
    )


def find_sections(text: str) -> list[str]:
    """Return the standard sections whose heading appears on a line of its own."""
    found = []
    lines = {re.sub(r"[^a-z& ]", "", line.casefold()).strip() for line in text.splitlines()}
    for section, headings in STANDARD_SECTIONS.items():
        if any(h in lines for h in headings):
            found.append(section)
    return found


def ats_report(
    *,
    job: JobRequirements,
    resume_text: str,
    resume_skill_surfaces: dict[str, str],
    contact: dict[str, str | None],
    work_dates: Sequence[tuple[Any, Any, bool]],
    parse_warnings: Sequence[str],
    layout: LayoutFacts,
    aliases: dict[str, Sequence[str]],
) -> AtsReport:
    """Score how well an ATS would read the resume and find the job's terms."""
    lowered = resume_text.casefold()
    keywords: list[KeywordHit] = []
    for skill in job.skills:
        terms = [skill.name, *aliases.get(skill.skill_id, ())]
        exact = next(
            (
                t
                for t in terms
                if re.search(rf"(?<![\w]){re.escape(t.casefold())}(?![\w])", lowered)
            ),
            None,
        )
        if exact is not None and exact.casefold() == skill.name.casefold():
            keywords.append(KeywordHit(term=skill.name, skill_id=skill.skill_id,
                                       importance=skill.importance, found="exact",
                                       resume_surface=exact))  # fmt: skip
        elif skill.skill_id in resume_skill_surfaces or exact is not None:
            surface = resume_skill_surfaces.get(skill.skill_id, exact)
            keywords.append(KeywordHit(term=skill.name, skill_id=skill.skill_id,
                                       importance=skill.importance, found="alias",
                                       resume_surface=surface))  # fmt: skip
        else:
            keywords.append(KeywordHit(term=skill.name, skill_id=skill.skill_id,
                                       importance=skill.importance, found="missing"))  # fmt: skip
    weights = {"required": 1.0, "mentioned": 0.5, "preferred": 0.5}
    total = sum(weights[k.importance] for k in keywords)
    # An ATS matches words: a skill written differently (JS for JavaScript) counts for half.
    got = sum(
        weights[k.importance] * {"exact": 1.0, "alias": 0.5}.get(k.found, 0.0) for k in keywords
    )
    coverage = got / total if total else 0.0

    sections = find_sections(resume_text)
    missing_sections = [s for s in ("experience", "education", "skills") if s not in sections]
    contact_found = {
        "email": bool(contact.get("email")),
        "phone": bool(contact.get("phone")),
        "location": bool(contact.get("location")),
        "linkedin": bool(contact.get("linkedin")),
    }
    dated = sum(1 for start, end, current in work_dates if start and (end or current))
    dates_ok = dated / len(work_dates) if work_dates else 0.0

    checks = [
        AtsCheck(name="no_tables", passed=layout.tables == 0 and not any(
            w.startswith("tables_found") for w in parse_warnings),
            detail="Tables scramble the reading order in many ATS parsers; use plain lines."
            if layout.tables else "No tables."),
        AtsCheck(name="no_text_in_images", passed=not (layout.images and layout.text_chars < 200),
                 detail="Most of the resume seems to be images: an ATS reads no text from them."
                 if layout.images and layout.text_chars < 200 else
                 f"{layout.images} image(s); the text itself is real text."),
        AtsCheck(name="single_column", passed="two_column_layout" not in parse_warnings,
                 detail="Two columns: some ATS read straight across and mix the columns."
                 if "two_column_layout" in parse_warnings else "One column."),
        AtsCheck(name="contact_in_body", passed=not layout.contact_in_header_footer,
                 detail="Contact details sit in the page header or footer, which many ATS skip."
                 if layout.contact_in_header_footer else "Contact details are in the body."),
        AtsCheck(name="dates_on_every_position", passed=dates_ok == 1.0 or not work_dates,
                 detail=f"{dated} of {len(work_dates)} positions have dates an ATS can read."),
        AtsCheck(name="standard_headings", passed=not missing_sections,
                 detail="Missing standard headings: " + ", ".join(missing_sections)
                 if missing_sections else "Experience, Education and Skills headings found."),
    ]  # fmt: skip
    warnings = [c.detail for c in checks if not c.passed]
    if not contact_found["email"]:
        warnings.append("No email address found: recruiters and ATS need one.")
    contact_share = sum(contact_found[k] for k in ("email", "phone", "location")) / 3
    score = 100 * (
        0.50 * coverage
        + 0.20 * (1 - len(missing_sections) / 3)
        + 0.10 * contact_share
        + 0.10 * dates_ok
        + 0.10 * sum(c.passed for c in checks[:4]) / 4
    )
    return AtsReport(
        score=round(score, 1),
        keyword_coverage=round(coverage, 4),
        keywords=keywords,
        missing_keywords=[k.term for k in keywords if k.found == "missing"],
        sections_found=sections,
        sections_missing=missing_sections,
        contact=contact_found,
        dates_parseable=round(dates_ok, 4),
        checks=checks,
        warnings=warnings,
    )
