"""Render a resume version or a cover letter: HTML (Jinja2), PDF (WeasyPrint), DOCX, JSON Resume.

Pure apart from CPU: a document in, bytes or text out. Every template is ATS-friendly: one
column of real text in reading order, the standard section headings ("Summary", "Experience",
"Skills", "Education"...), real lists, no text in images, contact details in the body (not in a
page header). Fonts: DejaVu Sans, then Liberation Sans, then Noto Sans CJK, so accented and CJK
names render and can be selected and extracted.

The position line is written "Title at Company", then the place and the dates in their own
columns: the product's own importer reads it back exactly (``tests/resume`` checks the round
trip).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import jinja2
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from careergini.profile.schemas import PartialDate
from careergini.resume.errors import UnknownTemplate
from careergini.resume.schemas import (
    TEMPLATES,
    Item,
    LetterDocument,
    Position,
    ResumeDocument,
    ResumeProject,
)

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FONT_STACK = '"DejaVu Sans", "Liberation Sans", "Noto Sans CJK SC", sans-serif'

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("careergini.resume", "templates"),
    autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def format_date(date: PartialDate | None) -> str:
    """Return "Jan 2021", "2017" or "Present"."""
    if date is None:
        return ""
    if date.present:
        return "Present"
    if not date.year:
        return date.raw
    return f"{_MONTHS[date.month - 1]} {date.year}" if date.month else str(date.year)


def date_range(start: PartialDate | None, end: PartialDate | None, current: bool = False) -> str:
    """Return "Jan 2021 – Present", "2017 – 2020" or one date."""
    first = format_date(start)
    last = "Present" if current and (end is None or end.present) else format_date(end)
    if first and last and first != last:
        return f"{first} – {last}"
    return first or last


def position_heading(position: Position) -> str:
    """Return "Title at Company" (or whichever of the two is known)."""
    if position.title and position.company:
        return f"{position.title} at {position.company}"
    return position.title or position.company or ""


def education_heading(entry: Any) -> str:
    degree = " in ".join(filter(None, [entry.degree, entry.field]))
    return ", ".join(filter(None, [degree, entry.institution]))


@dataclass(frozen=True)
class ContactItem:
    text: str
    href: str | None = None


def contact_items(basics: Any) -> list[ContactItem]:
    items = []
    if basics.email:
        items.append(ContactItem(basics.email, f"mailto:{basics.email}"))
    if basics.phone:
        items.append(ContactItem(basics.phone))
    if basics.location:
        items.append(ContactItem(basics.location))
    for url in (basics.linkedin, basics.github, basics.website):
        if url:
            shown = url.removeprefix("https://").removeprefix("http://").removeprefix("www.")
            href = url if url.startswith(("http://", "https://")) else f"https://{url}"
            items.append(ContactItem(shown.rstrip("/"), href))
    return items


def check_template(name: str) -> str:
    """Return the template name, or raise UnknownTemplate listing the valid ones."""
    if name not in TEMPLATES:
        raise UnknownTemplate(name, TEMPLATES)
    return name


# --- the document as the templates see it -----------------------------------------------------


def _accepted(item: Item) -> str:
    """Return the item's text as the user has accepted it: a change still waiting is not in."""
    return item.source if item.decision == "pending" else item.text


def _view(document: ResumeDocument) -> dict[str, Any]:
    positions = []
    for position in document.positions:
        if not position.included:
            continue
        positions.append(
            {
                "heading": position_heading(position),
                "title": position.title,
                "company": position.company,
                "location": position.location,
                "dates": date_range(position.start, position.end, position.current),
                "bullets": [
                    {"text": _accepted(b), "pending": b.decision == "pending"}
                    for b in position.bullets
                    if b.included
                ],
            }
        )
    education = [
        {
            "heading": education_heading(entry),
            "location": entry.location,
            "dates": date_range(entry.start, entry.end),
            "grade": entry.grade,
        }
        for entry in document.education
    ]
    certifications = [
        ", ".join(filter(None, [c.name, c.issuer, format_date(c.date)]))
        for c in document.certifications
    ]
    languages = [
        f"{lang.language} ({lang.fluency})" if lang.fluency else lang.language
        for lang in document.languages
    ]
    return {
        "basics": document.basics,
        "contact": contact_items(document.basics),
        "summary": _accepted(document.summary),
        "summary_pending": document.summary.decision == "pending",
        "positions": positions,
        "education": education,
        "skills": [s.name for s in document.skills],
        "projects": document.projects,
        "certifications": certifications,
        "languages": languages,
    }


def render_html(
    document: ResumeDocument, *, template: str, page_size: str = "A4", preview: bool = False
) -> str:
    """Render the resume as a standalone HTML page (styles inline).

    The text is the accepted state (a change waiting for the user shows the original); a preview
    also marks the places where a change is waiting.
    """
    check_template(template)
    return _env.get_template(f"{template}.html.jinja").render(
        template=template,
        page_size=page_size,
        font_stack=FONT_STACK,
        preview=preview,
        **_view(document),
    )


def render_letter_html(letter: LetterDocument, *, template: str, page_size: str = "A4") -> str:
    """Render the cover letter as a standalone HTML page."""
    check_template(template)
    return _env.get_template("cover_letter.html.jinja").render(
        template=template,
        page_size=page_size,
        font_stack=FONT_STACK,
        letter=letter,
        basics=letter.basics,
        contact=contact_items(letter.basics),
    )


def html_to_pdf(html: str) -> bytes:
    """Lay out HTML as PDF with WeasyPrint; nothing outside the page is ever fetched."""
    # Imported here: WeasyPrint loads Pango and its fonts, which app start-up does not need.
    from weasyprint import HTML  # noqa: PLC0415
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_pdf(document: ResumeDocument, *, template: str, page_size: str = "A4") -> bytes:
    """Render the resume as PDF."""
    return html_to_pdf(render_html(document, template=template, page_size=page_size))


def render_letter_pdf(letter: LetterDocument, *, template: str, page_size: str = "A4") -> bytes:
    return html_to_pdf(render_letter_html(letter, template=template, page_size=page_size))


# --- DOCX -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DocxStyle:
    body_pt: float
    name_pt: float
    heading_pt: float
    accent: str  # RGB hex for headings
    margin_mm: float
    space_after_pt: float
    font: str = "Liberation Sans"
    east_asian: str = "Noto Sans CJK SC"
    heading_font: str | None = None  # None: the body font


_SERIF = {"font": "Liberation Serif", "east_asian": "Noto Serif CJK SC"}
# The same look as each template's CSS: type, sizes (Word keeps half points), accent colour,
# margins, spacing.
DOCX_STYLES = {
    "classic": _DocxStyle(10.5, 20, 12, "222222", 18, 2, **_SERIF),
    "modern": _DocxStyle(10.5, 22, 12, "1F5F8B", 16, 2),
    "compact": _DocxStyle(9.5, 17, 10.5, "333333", 12, 0),
    "ats": _DocxStyle(10.5, 18, 11, "000000", 18, 2),
    "executive": _DocxStyle(10.5, 24, 12, "1A1A1A", 22, 4, **_SERIF),
    "minimal": _DocxStyle(10, 22, 8.5, "6B6B6B", 20, 4, font="DejaVu Sans"),
    "technical": _DocxStyle(9.5, 19, 10.5, "0F4C3A", 16, 1, heading_font="DejaVu Sans Mono"),
    "bold": _DocxStyle(10, 27, 11, "7A1F3D", 16, 2, font="DejaVu Sans"),
}
# Each template's sections after the summary, as its HTML template orders them (a test holds
# the DOCX to the HTML).
_STANDARD = ("experience", "skills", "education", "projects", "certifications", "languages")
SECTION_ORDER: dict[str, tuple[str, ...]] = {
    "classic": _STANDARD,
    "modern": ("skills", "experience", "education", "projects", "certifications", "languages"),
    "compact": ("skills", "experience", "education", "projects", "certifications", "languages"),
    "ats": ("skills", "experience", "education", "certifications", "projects", "languages"),
    "executive": ("experience", "education", "skills", "certifications", "projects", "languages"),
    "minimal": ("experience", "projects", "skills", "education", "certifications", "languages"),
    "technical": ("skills", "projects", "experience", "education", "certifications", "languages"),
    "bold": ("experience", "skills", "projects", "education", "certifications", "languages"),
}
_PAGE_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


def _docx_fonts(
    style: Any,
    *,
    name: str = "Liberation Sans",
    east_asian: str = "Noto Sans CJK SC",
    size: float | None = None,
    bold: bool | None = None,
) -> None:
    font = style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    # East Asian text (a CJK name) needs its own font slot, or Word shows boxes.
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), name)
    fonts.set(qn("w:eastAsia"), east_asian)


class _Docx:
    """A DOCX resume or letter: real headings (Heading 1), real lists (List Bullet)."""

    def __init__(self, *, template: str, page_size: str) -> None:
        self.style = DOCX_STYLES[template]
        self.doc = Document()
        section = self.doc.sections[0]
        width, height = _PAGE_MM.get(page_size, _PAGE_MM["A4"])
        section.page_width, section.page_height = Mm(width), Mm(height)
        margin = Mm(self.style.margin_mm)
        section.left_margin = section.right_margin = margin
        section.top_margin = section.bottom_margin = margin
        self.text_width = section.page_width - section.left_margin - section.right_margin
        styles = self.doc.styles
        look = self.style
        body, heads, cjk = look.font, look.heading_font or look.font, look.east_asian
        _docx_fonts(styles["Normal"], name=body, east_asian=cjk, size=look.body_pt)
        styles["Normal"].paragraph_format.space_after = Pt(look.space_after_pt)
        _docx_fonts(styles["Title"], name=heads, east_asian=cjk, size=look.name_pt, bold=True)
        styles["Title"].font.color.rgb = RGBColor.from_string(self.style.accent)
        _docx_fonts(
            styles["Heading 1"], name=heads, east_asian=cjk, size=look.heading_pt, bold=True
        )
        styles["Heading 1"].font.color.rgb = RGBColor.from_string(self.style.accent)
        styles["Heading 1"].paragraph_format.space_before = Pt(8)
        styles["Heading 1"].paragraph_format.space_after = Pt(2)
        _docx_fonts(styles["List Bullet"], name=body, east_asian=cjk, size=look.body_pt)

    def title(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Title")

    def line(self, text: str, *, italic: bool = False) -> None:
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(text)
        run.italic = italic

    def heading(self, text: str) -> None:
        self.doc.add_heading(text, level=1)

    def entry(self, lead: str, columns: Iterable[str | None]) -> None:
        """One line: the entry's name in bold, then tab-separated columns, the last flush right."""
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        stops = paragraph.paragraph_format.tab_stops
        rest = [c for c in columns if c]
        if len(rest) == 2:
            stops.add_tab_stop(int(self.text_width * 0.62), WD_TAB_ALIGNMENT.LEFT)
        stops.add_tab_stop(self.text_width, WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(lead).bold = True
        for column in rest:
            paragraph.add_run("\t" + column)

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _docx_head(out: _Docx, document: ResumeDocument, view: dict[str, Any]) -> None:
    """The name, headline, contact line and summary."""
    basics = document.basics
    out.title(basics.name or "Resume")
    if basics.headline:
        out.line(basics.headline)
    contact = " | ".join(item.text for item in view["contact"])
    if contact:
        out.line(contact)
    if view["summary"]:
        out.heading("Summary")
        out.line(view["summary"])


def _docx_education(out: _Docx, entries: list[dict[str, Any]]) -> None:
    if entries:
        out.heading("Education")
    for entry in entries:
        out.entry(entry["heading"], [entry["location"], entry["dates"]])
        if entry["grade"]:
            out.line(f"Grade: {entry['grade']}")


def _docx_projects(out: _Docx, projects: list[ResumeProject]) -> None:
    if projects:
        out.heading("Projects")
    for project in projects:
        out.entry(project.name or "Project", [project.url])
        if project.description:
            out.line(project.description)
        out.bullets(project.bullets)


def render_docx(document: ResumeDocument, *, template: str, page_size: str = "A4") -> bytes:
    """Render the resume as a DOCX with real headings and lists (not a picture of the PDF)."""
    check_template(template)
    view = _view(document)
    out = _Docx(template=template, page_size=page_size)
    _docx_head(out, document, view)
    for section in SECTION_ORDER[template]:
        _DOCX_SECTIONS[section](out, view)
    return out.save()


def _docx_experience(out: _Docx, view: dict[str, Any]) -> None:
    if view["positions"]:
        out.heading("Experience")
        for position in view["positions"]:
            out.entry(position["heading"], [position["location"], position["dates"]])
            out.bullets(bullet["text"] for bullet in position["bullets"])


def _docx_line_section(title: str, key: str) -> Callable[[_Docx, dict[str, Any]], None]:
    def write(out: _Docx, view: dict[str, Any]) -> None:
        if view[key]:
            out.heading(title)
            if key == "certifications":
                out.bullets(view[key])
            else:
                out.line(", ".join(view[key]))

    return write


_DOCX_SECTIONS: dict[str, Callable[[_Docx, dict[str, Any]], None]] = {
    "experience": _docx_experience,
    "skills": _docx_line_section("Skills", "skills"),
    "education": lambda out, view: _docx_education(out, view["education"]),
    "projects": lambda out, view: _docx_projects(out, view["projects"]),
    "certifications": _docx_line_section("Certifications", "certifications"),
    "languages": _docx_line_section("Languages", "languages"),
}


def render_letter_docx(letter: LetterDocument, *, template: str, page_size: str = "A4") -> bytes:
    """Render the cover letter as a DOCX."""
    check_template(template)
    out = _Docx(template=template, page_size=page_size)
    out.title(letter.basics.name or "Cover letter")
    contact = " | ".join(item.text for item in contact_items(letter.basics))
    if contact:
        out.line(contact)
    out.line(letter.date)
    if letter.role_title or letter.company:
        out.line(
            "Re: " + " – ".join(filter(None, [letter.role_title, letter.company])), italic=True
        )
    out.line(letter.greeting)
    for paragraph in letter.paragraphs:
        out.line(paragraph.text)
    out.line(letter.closing)
    if letter.signature:
        out.line(letter.signature)
    return out.save()


# --- JSON Resume ------------------------------------------------------------------------------


def _json_date(date: PartialDate | None) -> str | None:
    if date is None or date.present or not date.year:
        return None
    return f"{date.year:04d}-{date.month:02d}" if date.month else f"{date.year:04d}"


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}


def to_json_resume(document: ResumeDocument, *, meta: dict[str, Any] | None = None) -> dict:
    """Return the tailored resume in the JSON Resume schema (jsonresume.org, v1.0.0)."""
    basics = document.basics
    profiles = [
        {"network": network, "url": url}
        for network, url in (("LinkedIn", basics.linkedin), ("GitHub", basics.github))
        if url
    ]
    return _compact(
        {
            "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/"
            "schema.json",
            "basics": _compact(
                {
                    "name": basics.name,
                    "label": basics.headline,
                    "email": basics.email,
                    "phone": basics.phone,
                    "url": basics.website,
                    "summary": _accepted(document.summary),
                    "location": {"address": basics.location} if basics.location else None,
                    "profiles": profiles,
                }
            ),
            "work": [
                _compact(
                    {
                        "name": p.company,
                        "position": p.title,
                        "location": p.location,
                        "startDate": _json_date(p.start),
                        "endDate": _json_date(p.end),
                        "highlights": [_accepted(b) for b in p.bullets if b.included],
                    }
                )
                for p in document.positions
                if p.included
            ],
            "education": [
                _compact(
                    {
                        "institution": e.institution,
                        "studyType": e.degree,
                        "area": e.field,
                        "score": e.grade,
                        "startDate": _json_date(e.start),
                        "endDate": _json_date(e.end),
                    }
                )
                for e in document.education
            ],
            "skills": [{"name": s.name} for s in document.skills],
            "projects": [
                _compact(
                    {
                        "name": p.name,
                        "description": p.description,
                        "url": p.url,
                        "highlights": p.bullets,
                    }
                )
                for p in document.projects
            ],
            "certificates": [
                _compact({"name": c.name, "issuer": c.issuer, "date": _json_date(c.date)})
                for c in document.certifications
            ],
            "languages": [
                _compact({"language": lang.language, "fluency": lang.fluency})
                for lang in document.languages
            ],
            "meta": meta,
        }
    )
