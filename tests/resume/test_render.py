"""Rendering as a pure unit: ATS-friendly HTML, PDF with Unicode names, DOCX with real structure,
and the round trip through the product's own importer for every template."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import pdfplumber
import pytest

from careergini.profile.parsers import parse_document
from careergini.resume import render
from careergini.resume.errors import UnknownTemplate
from careergini.resume.schemas import TEMPLATES, ResumeDocument
from tests.resume.samples import RESUME, TWO_PAGE_RESUME, profile_from_text, rendered_text
from tests.resume.test_tailor import draft_for

HEADINGS = ("Summary", "Experience", "Skills", "Education")


@pytest.fixture(scope="module")
def document() -> ResumeDocument:
    return draft_for(profile_from_text(RESUME), position_order="chronological").document


def with_name(document: ResumeDocument, name: str) -> ResumeDocument:
    copy = document.model_copy(deep=True)
    copy.basics.name = name
    return copy


@pytest.mark.parametrize("template", TEMPLATES)
def test_html_is_one_column_of_real_text_with_standard_headings(
    document: ResumeDocument, template: str
) -> None:
    html = render.render_html(document, template=template)
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in html
    assert "<img" not in html and "<table" not in html and "float:" not in html
    assert "<li>Built FastAPI services on PostgreSQL serving 2M requests a day</li>" in html
    assert f'<body class="{template}">' in html
    assert "Zoë Álvarez-Núñez" in html


def test_templates_differ_in_look_and_order(document: ResumeDocument) -> None:
    pages = {t: render.render_html(document, template=t) for t in TEMPLATES}
    assert len(set(pages.values())) == len(TEMPLATES) >= 8
    classic, compact = pages["classic"], pages["compact"]
    assert classic.index("<h2>Experience</h2>") < classic.index("<h2>Skills</h2>")
    assert compact.index("<h2>Skills</h2>") < compact.index("<h2>Experience</h2>")
    assert "#1f5f8b" in pages["modern"]


def test_text_is_escaped(document: ResumeDocument) -> None:
    html = render.render_html(with_name(document, "<script>x</script> Doe"), template="classic")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_unknown_template_lists_the_valid_ones(document: ResumeDocument) -> None:
    with pytest.raises(UnknownTemplate) as raised:
        render.render_pdf(document, template="fancy")
    assert raised.value.status_code == 422
    assert raised.value.extra == {"valid_templates": list(TEMPLATES)}
    assert "classic, modern, compact" in raised.value.detail


@pytest.mark.parametrize("name", ["李小龍", "Zoë Álvarez-Núñez", "Ólafur Þórðarson 山田太郎"])
def test_unicode_names_render_and_extract_from_the_pdf(document: ResumeDocument, name: str) -> None:
    pdf = render.render_pdf(with_name(document, name), template="modern")
    assert name in rendered_text(pdf)  # poppler
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        first_line = opened.pages[0].extract_text().splitlines()[0]
        fonts = {c["fontname"].split("+")[-1] for c in opened.pages[0].chars}
    assert first_line == name  # pdfplumber (what the importer uses)
    assert not any(font.startswith(("Type3", "Symbol")) for font in fonts)
    if re.search(r"[\u4e00-\u9fff]", name):
        assert any("CJK" in font for font in fonts)


def test_the_docx_has_real_headings_and_lists(document: ResumeDocument) -> None:
    opened = docx.Document(io.BytesIO(render.render_docx(document, template="classic")))
    styles = [(p.style.name, p.text) for p in opened.paragraphs]
    assert styles[0] == ("Title", "Zoë Álvarez-Núñez")
    assert [t for s, t in styles if s == "Heading 1"] == [
        "Summary", "Experience", "Skills", "Education",
    ]  # fmt: skip
    bullets = [t for s, t in styles if s == "List Bullet"]
    assert "Built FastAPI services on PostgreSQL serving 2M requests a day" in bullets
    assert not opened.inline_shapes  # text, not a picture of the PDF
    east_asian = opened.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asian == "Noto Serif CJK SC"  # Classic is a serif template, in DOCX too


def test_each_docx_has_its_templates_look(document: ResumeDocument) -> None:
    looks = set()
    for template in TEMPLATES:
        opened = docx.Document(io.BytesIO(render.render_docx(document, template=template)))
        normal, heading = opened.styles["Normal"], opened.styles["Heading 1"]
        look = render.DOCX_STYLES[template]
        assert normal.font.name == look.font and normal.font.size.pt == look.body_pt
        assert heading.font.color.rgb == docx.shared.RGBColor.from_string(look.accent)
        headings = [p.text for p in opened.paragraphs if p.style.name == "Heading 1"]
        # The same section order as the template's HTML.
        html = render.render_html(document, template=template)
        assert headings == re.findall(r"<h2>([^<]+)</h2>", html)
        looks.add((normal.font.name, heading.font.name, look.accent, look.body_pt))
    assert len(looks) >= 7
    serif = render.DOCX_STYLES["classic"]
    assert (serif.font, serif.east_asian) == ("Liberation Serif", "Noto Serif CJK SC")


def _facts(parsed: Any) -> dict[str, Any]:
    profile = parsed.profile
    return {
        "name": profile.basics.name,
        "email": profile.basics.email,
        "work": [
            (
                w.company,
                w.title,
                (w.start.year, w.start.month) if w.start else None,
                (w.end.year, w.end.month, w.end.present) if w.end else None,
            )
            for w in profile.work
        ],
        "skills": sorted(s.skill_id or s.name for s in profile.skills),
    }


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_importer_reads_back_what_was_rendered(template: str, fmt: str) -> None:
    source = profile_from_text(TWO_PAGE_RESUME)
    document = draft_for(source, position_order="chronological", template=template).document
    data = (render.render_pdf if fmt == "pdf" else render.render_docx)(document, template=template)
    parsed = parse_document(data, f"resume.{fmt}")
    expected = {
        "name": source.basics["name"].value,
        "email": source.basics["email"].value,
        "work": [
            (
                w.company,
                w.title,
                (w.start.year, w.start.month),
                (w.end.year, w.end.month, w.end.present),
            )
            for w in source.work
        ],
        "skills": sorted(s.skill_id or s.name for s in source.skills),
    }
    assert _facts(parsed) == expected


def test_json_resume_has_the_tailored_content(document: ResumeDocument) -> None:
    data = render.to_json_resume(document, meta={"careergini": {"template": "classic"}})
    assert data["basics"]["name"] == "Zoë Álvarez-Núñez"
    assert data["basics"]["summary"] == document.summary.text
    assert [w["name"] for w in data["work"]] == ["Acme Corp", "Globex", "Initech"]
    assert data["work"][0]["startDate"] == "2021-01" and "endDate" not in data["work"][0]
    assert data["skills"][0] == {"name": "Python"}
    assert data["meta"] == {"careergini": {"template": "classic"}}


def test_dates_are_written_the_way_resumes_write_them() -> None:
    from careergini.profile.schemas import PartialDate

    assert render.date_range(PartialDate(year=2021, month=1), None, current=True) == (
        "Jan 2021 – Present"
    )
    assert render.date_range(PartialDate(year=2017), PartialDate(year=2020)) == "2017 – 2020"
    assert render.date_range(None, PartialDate(year=2020)) == "2020"
    assert render.date_range(None, None) == ""


def with_pending_change(document: ResumeDocument) -> tuple[ResumeDocument, str, str]:
    """Return a copy whose first bullet carries a rewrite still waiting for the user."""
    copy = document.model_copy(deep=True)
    bullet = copy.positions[0].bullets[0]
    proposed = "Led the rewrite of every FastAPI service for a 40% speed-up"
    bullet.text, bullet.status, bullet.decision = proposed, "rewritten", "pending"
    return copy, bullet.source, proposed


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_waiting_change_is_not_in_the_document_until_accepted(
    document: ResumeDocument, template: str
) -> None:
    pending, original, proposed = with_pending_change(document)
    page = render.render_html(pending, template=template)
    assert original in page and proposed not in page and "pending" not in page
    preview = render.render_html(pending, template=template, preview=True)
    assert f'<li class="pending" title="A suggested change is waiting for you">{original}</li>' in (
        preview
    )
    assert proposed not in preview
    words = " ".join(
        p.text
        for p in docx.Document(
            io.BytesIO(render.render_docx(pending, template=template))
        ).paragraphs
    )
    assert original in words and proposed not in words
    highlights = render.to_json_resume(pending)["work"][0]["highlights"]
    assert original in highlights and proposed not in highlights

    accepted = pending.model_copy(deep=True)
    accepted.positions[0].bullets[0].decision = "accepted"
    shown = render.render_html(accepted, template=template, preview=True)
    assert proposed in shown and 'class="pending"' not in shown
