"""PDFium reads a PDF's characters the way pdfminer does, and hands back what it can't decode."""

from __future__ import annotations

from pathlib import Path

import pytest

from careergini.documents import pdf as pdf_reader, pdfium

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
READABLE = sorted(
    p
    for p in FIXTURES.rglob("*.pdf")
    if p.name not in {"encrypted.pdf", "pdf_bomb.pdf", "scanned.pdf", "truncated.pdf"}
)


def _summary(data: bytes) -> tuple[list[tuple], list[tuple], int, list[str]]:
    read = pdf_reader.read_pdf(data)
    lines = [
        (ln.segments, ln.page, round(ln.x0 or 0, 1), ln.size, ln.bold, ln.top) for ln in read.lines
    ]
    links = [(link.uri, link.page, link.top) for link in read.links]
    return lines, links, read.pages, read.warnings


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_pdfium_gives_the_lines_and_links_pdfminer_gives(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = path.read_bytes()
    fast_lines, fast_links, *fast_rest = _summary(data)
    monkeypatch.setattr(pdf_reader.pdfium, "open_document", lambda data: _NoDocument())
    slow_lines, slow_links, *slow_rest = _summary(data)
    assert fast_lines, "the fixture has text"
    assert fast_rest == slow_rest
    # The same text, columns, sizes and weights. Heights may differ by a font's descent: PDFium
    # takes it from the embedded font, pdfminer from the font's descriptor (Helvetica: 0.227 em
    # against 0.207 em), so a line's top may move by up to 0.3 of its size (a bullet drawn in a
    # symbol font).
    assert [(ln[0], ln[1], ln[3], ln[4]) for ln in fast_lines] == [
        (ln[0], ln[1], ln[3], ln[4]) for ln in slow_lines
    ]
    for fast, slow in zip(fast_lines, slow_lines, strict=True):
        assert fast[2] == pytest.approx(slow[2], abs=0.5), fast[0]
        assert fast[5] == pytest.approx(slow[5], abs=0.3 * fast[3]), fast[0]
    assert [link[:2] for link in fast_links] == [link[:2] for link in slow_links]
    for fast, slow in zip(fast_links, slow_links, strict=True):
        assert fast[2] == pytest.approx(slow[2], abs=6.0), fast[0]


class _NoDocument:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_a_page_with_glyphs_pdfium_cannot_decode_is_read_by_pdfminer() -> None:
    # The sidebar template prints its contact icons with a symbol font that has no Unicode map,
    # and "ffi" ligatures of a font without one: PDFium reads them as letters ("i", "B", "\x1b").
    data = (FIXTURES / "real-world" / "twentyseconds_sidebar_en.pdf").read_bytes()
    with pdfium.open_document(data) as document:
        assert document is not None
        with pytest.raises(pdfium.NeedsFallback):
            pdfium.read_page(document, 0, mb_x0=0.0, mb_y0=0.0, height=842.0)
    texts = [ln.text for ln in pdf_reader.read_pdf(data).lines]
    assert "26 November 1865" in texts  # not "i  26 November 1865"
    assert any("Ethel griffies" in t for t in texts)


def test_pdfium_keeps_the_word_space_a_producer_drew_over_the_next_glyph() -> None:
    data = (FIXTURES / "real-world" / "madic_lebenslauf_de.pdf").read_bytes()
    texts = [ln.text for ln in pdf_reader.read_pdf(data).lines]
    assert any("z.B. sendtomatrix oder dem nmap-vulnerability-scanner" in t for t in texts)
