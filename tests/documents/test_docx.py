"""Reading Word files as a person sees them: soft line breaks, tabs, text boxes, tables, headers."""

from __future__ import annotations

from careergini.documents.docx import read_docx
from tests.fixtures.corpus import word_shapes

_SEEN = [text for text, _ in word_shapes.SOFT_BREAK_CV if text]


def _texts(data: bytes) -> list[str]:
    return [line.text for line in read_docx(data).lines]


def test_soft_line_breaks_are_lines():
    lines = read_docx(word_shapes.soft_break_cv()).lines
    assert [line.text for line in lines] == [t.replace("\t", "  ") for t in _SEEN]
    assert lines[5].segments == ["Senior Data Engineer, Auto Trader UK", "Mar 2021 – Present"]
    # Bold is judged per visual line, from the runs on that line.
    assert lines[4].text == "WORK EXPERIENCE" and lines[4].bold
    assert not lines[6].bold


def test_two_soft_broken_paragraphs_read_the_same_as_one():
    assert _texts(word_shapes.soft_break_cv(paragraphs=2)) == _texts(word_shapes.soft_break_cv())


def test_a_text_box_is_read_once_in_place():
    texts = _texts(word_shapes.text_box_cv())
    assert texts[:2] == _SEEN[:2]
    assert texts.count("Priya Raman") == 1  # not again from the VML fallback


def test_header_lines_come_first():
    assert _texts(word_shapes.header_contact_cv())[:3] == _SEEN[:3]


def test_table_cells_holding_paragraphs_are_read_as_columns():
    texts = _texts(word_shapes.table_cv())
    assert texts[0] == "Priya Raman"
    assert texts.index("WORK EXPERIENCE") < texts.index("EDUCATION")
