"""The ATS report: will an applicant tracking system read this resume, and find the job's terms?

Pure functions over the resume's text and parse result, plus layout facts read from the original
file (``inspect_layout``): tables, images, contact details in page headers or footers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import docx
import pdfplumber
from pydantic import BaseModel

from careergini.documents.errors import (
    DocumentTooLarge,
    EncryptedDocument,
    ScannedDocument,
    UnreadableDocument,
)
from careergini.documents.layout import column_rows
from careergini.documents.pdf import read_pdf
from careergini.skills.requirements import JobRequirements, RequiredSkill

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
    found: str  # exact | alias | missing: what an ATS finds in this document
    resume_surface: str | None = None
    in_profile: bool = False  # the gap counts it as yours (your own or evidenced via another)
    note: str | None = None  # what to do when the profile has it and the document does not say it


class AtsDocument(BaseModel):
    """The document the report checked."""

    import_id: str | None = None
    name: str
    kind: str
    uploaded_at: str | None = None


class AtsCheck(BaseModel):
    name: str
    passed: bool
    detail: str


class AtsReport(BaseModel):
    document: AtsDocument | None = None
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
    # Images large enough to hold text (a skills chart, a block of logos): not a small icon,
    # and not the one portrait photo at the top of page 1.
    text_sized_images: int = 0
    column_rows: int = 0  # the longest run of rows read as two or more columns side by side


def inspect_layout(data: bytes, kind: str) -> LayoutFacts:
    """Read tables, images and header/footer contact details from a PDF or DOCX resume."""
    if kind == "pdf":
        return _pdf_layout(data)
    if kind == "docx":
        return _docx_layout(data)
    return LayoutFacts()


def _text_sized(image: dict[str, Any], page: Any, number: int) -> bool:
    """An image big enough to hold lines of text, other than a portrait photo at the top."""
    width = float(image.get("width") or 0)
    height = float(image.get("height") or 0)
    if width < 0.2 * float(page.width) or height < 24:
        return False  # an icon, a rule or a small logo
    square = height and 0.6 <= width / height <= 1.6
    photo = number == 0 and square and float(image.get("top") or 0) < 0.3 * float(page.height)
    return not photo


def _pdf_columns(data: bytes) -> int:
    try:
        return column_rows(read_pdf(data).lines)
    except (DocumentTooLarge, EncryptedDocument, ScannedDocument, UnreadableDocument):
        return 0  # unreadable or scanned: the other checks say so


def _pdf_layout(data: bytes) -> LayoutFacts:
    tables = images = chars = big = 0
    edge_contact = False
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages[:6]):
            images += len(page.images)
            big += sum(1 for image in page.images if _text_sized(image, page, number))
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
                       contact_in_header_footer=edge_contact, text_sized_images=big,
                       column_rows=_pdf_columns(data))  # fmt: skip


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


def _images_check(layout: LayoutFacts) -> AtsCheck:
    if layout.images and layout.text_chars < 200:
        detail = "Most of the resume seems to be images: an ATS reads no text from them."
    elif layout.text_sized_images:
        detail = (
            f"{layout.text_sized_images} large image(s) in the resume: an ATS reads no text in "
            "images. If one shows skills, a chart or logos, write them out as text."
        )
    else:
        return AtsCheck(name="no_text_in_images", passed=True,
                        detail="The text is real text, not pictures of text.")  # fmt: skip
    return AtsCheck(name="no_text_in_images", passed=False, detail=detail)


def _columns_check(layout: LayoutFacts, parse_warnings: Sequence[str]) -> AtsCheck:
    if any(w.startswith("two_column_layout") for w in parse_warnings):
        detail = "Two columns: some ATS read straight across and mix the columns."
    elif layout.column_rows:
        detail = (
            f"{layout.column_rows} lines hold two columns side by side: some ATS read straight "
            "across and mix them. Put that part in one column."
        )
    else:
        return AtsCheck(name="single_column", passed=True, detail="One column.")
    return AtsCheck(name="single_column", passed=False, detail=detail)


def find_sections(text: str) -> list[str]:
    """Return the standard sections whose heading appears on a line of its own."""
    found = []
    lines = {re.sub(r"[^a-z& ]", "", line.casefold()).strip() for line in text.splitlines()}
    for section, headings in STANDARD_SECTIONS.items():
        if any(h in lines for h in headings):
            found.append(section)
    return found


def _keyword(
    skill: RequiredSkill, document_skills: Mapping[str, str], profile: Mapping[str, str | None]
) -> KeywordHit:
    surface = document_skills.get(skill.skill_id)
    in_profile = skill.skill_id in profile
    hit = KeywordHit(term=skill.name, skill_id=skill.skill_id, importance=skill.importance,
                     found="missing", in_profile=in_profile)  # fmt: skip
    if surface is not None:
        hit.resume_surface = surface
        hit.found = "exact" if _same_words(surface, skill.name) else "alias"
        if hit.found == "alias":
            hit.note = f'Written as "{surface}": also write "{skill.name}", the job\'s word.'
    elif in_profile:
        via = profile[skill.skill_id]
        has = f"Your profile shows {skill.name}" + (f" (through {via})" if via else "")
        hit.note = (
            f'{has}, but this resume does not say it: write "{skill.name}" so an ATS finds it.'
        )
    return hit


def _same_words(a: str, b: str) -> bool:
    return re.sub(r"\W+", " ", a).strip().casefold() == re.sub(r"\W+", " ", b).strip().casefold()


def ats_report(
    *,
    job: JobRequirements,
    resume_text: str,
    document_skills: Mapping[str, str],
    contact: dict[str, str | None],
    work_dates: Sequence[tuple[Any, Any, bool]],
    parse_warnings: Sequence[str],
    layout: LayoutFacts,
    profile_skills: Mapping[str, str | None] | None = None,
    document: AtsDocument | None = None,
) -> AtsReport:
    """Score how well an ATS would read the resume and find the job's terms.

    ``document_skills`` are the skills the extractor finds in this document (skill id -> the
    words as written), the same extractor that builds the profile, so a term is found here
    exactly when the document names that skill. ``profile_skills`` are the job's skills the gap
    counts as the person's (skill id -> None for their own, or what evidences it): a skill in
    the profile but not in the document gets a note saying to write it out.
    """
    profile_skills = profile_skills or {}
    keywords = [_keyword(skill, document_skills, profile_skills) for skill in job.skills]
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
        _images_check(layout),
        _columns_check(layout, parse_warnings),
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
        document=document,
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
