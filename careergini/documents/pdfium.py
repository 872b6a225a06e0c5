"""Read a PDF page's characters and links with PDFium (C, via pypdfium2).

pdfminer interprets every drawing operator in Python: a page with a drawn background or many
rules costs seconds. PDFium does the same work in C. This module returns the characters in the
shape the layout code in `pdf.py` expects (text, x0, x1, top, bottom, size, fontname), measured
the way pdfminer measures them (x0 at the glyph's origin, x1 at its advance, size scaled by the
text matrix), so both readers give the same lines.

A page where PDFium could not map a glyph to Unicode (ligatures or icons of a font without a
ToUnicode map) raises `NeedsFallback`: pdfminer decodes those through the font's encoding, so the
caller reads that page with pdfminer instead.

PDFium is not thread-safe: every call here holds one process-wide lock.
"""

from __future__ import annotations

import ctypes
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

_LOCK = threading.Lock()
# The text object's address as a plain int (or None): a cache key without a ctypes.cast per char.
_text_object_address = ctypes.CFUNCTYPE(ctypes.c_void_p, raw.FPDF_TEXTPAGE, ctypes.c_int)(
    ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value or 0
)
_SOFT_HYPHEN_MARK = 2  # PDFium's code for a hyphen that ends a line
_UPRIGHT_TOLERANCE = 0.01  # radians
_IMAGE_DEPTH = 4  # form objects nest; a scan is never deeper than this


class NeedsFallback(Exception):
    """This page holds glyphs PDFium cannot decode; read it with pdfminer."""


@dataclass(slots=True)
class PageText:
    chars: list[dict]
    images: int
    links: list[tuple[str, float]] = field(default_factory=list)  # (uri, top)


@contextmanager
def open_document(data: bytes) -> Iterator[pdfium.PdfDocument | None]:
    """Open the PDF with PDFium, or yield None when PDFium cannot (pdfminer then reads it)."""
    with _LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            yield None
            return
        try:
            yield document
        finally:
            document.close()


def read_page(
    document: pdfium.PdfDocument, number: int, *, mb_x0: float, mb_y0: float, height: float
) -> PageText:
    """Return page `number`'s upright characters, its image count and its links.

    Coordinates follow pdfplumber's: `top` and `bottom` measured down from the top of the page.
    The caller holds the document from `open_document`, so the lock is already held.
    """
    page = document[number]
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage.raw, mb_y0=mb_y0, height=height)
        images = _count_images(page.raw) if len(chars) < 100 else 0
        links = _links(page.raw, document.raw, mb_y0=mb_y0, height=height)
    finally:
        textpage.close()
        page.close()
    return PageText(chars=chars, images=images, links=links)


def _chars(textpage: raw.FPDF_TEXTPAGE, *, mb_y0: float, height: float) -> list[dict]:
    count = raw.FPDFText_CountChars(textpage)
    box = raw.FS_RECTF()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    fonts: dict[int | None, tuple[str, float, bool]] = {}
    chars: list[dict] = []
    previous: dict | None = None
    for index in range(count):
        code = raw.FPDFText_GetUnicode(textpage, index)
        key = _text_object_address(textpage, index)
        if key is None:  # a space or line break PDFium inserted between words
            if previous is not None and chr(code).isspace():
                chars.append(dict(previous, text=" ", x0=previous["x1"]))
            continue
        if raw.FPDFText_HasUnicodeMapError(textpage, index):
            raise NeedsFallback
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = _font(textpage, index)
        name, size, upright = font
        if not upright:
            continue  # rotated text (a vertical sidebar label) would scramble the lines
        raw.FPDFText_GetLooseCharBox(textpage, index, box)
        raw.FPDFText_GetCharOrigin(textpage, index, origin_x, origin_y)
        x0 = origin_x.value
        char = {
            "text": "-" if code == _SOFT_HYPHEN_MARK else chr(code),
            "x0": x0,
            "x1": max(box.right, x0),
            "top": height - (box.bottom - mb_y0) + mb_y0 - size,  # as pdfminer: one em tall
            "bottom": height - (box.bottom - mb_y0) + mb_y0,
            "size": size,
            "fontname": name,
            "_y": origin_y.value,
        }
        if code == _SOFT_HYPHEN_MARK and previous is not None:
            char["top"], char["bottom"] = previous["top"], previous["bottom"]
        if previous is not None and abs(previous["_y"] - char["_y"]) < 0.1:
            if previous["x0"] < x0 < previous["x1"]:
                previous["x1"] = x0  # a glyph overhanging its advance (an italic f)
            elif x0 - previous["x1"] > 0.1 * size and not (
                chars[-1]["text"].isspace() or char["text"].isspace()
            ):
                # A word space the producer drew overlapping the next glyph, which PDFium drops.
                chars.append(dict(previous, text=" ", x0=previous["x1"]))
        chars.append(char)
        previous = char
    return chars


def _font(textpage: raw.FPDF_TEXTPAGE, index: int) -> tuple[str, float, bool]:
    """Return a text object's font name, its size as printed and whether it is upright."""
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    raw.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), flags)
    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage, index, matrix)
    scale = math.hypot(matrix.c, matrix.d) or 1.0
    size = raw.FPDFText_GetFontSize(textpage, index) * scale
    angle = raw.FPDFText_GetCharAngle(textpage, index)
    upright = 0 <= angle <= _UPRIGHT_TOLERANCE or angle >= 2 * math.pi - _UPRIGHT_TOLERANCE
    return buffer.value.decode("utf-8", "replace"), size, upright


def _count_images(page: raw.FPDF_PAGE) -> int:
    def count(get_object: object, total: int, depth: int) -> int:
        images = 0
        for i in range(total):
            obj = get_object(i)  # type: ignore[operator]
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < _IMAGE_DEPTH:
                images += count(
                    lambda j, form=obj: raw.FPDFFormObj_GetObject(form, j),
                    raw.FPDFFormObj_CountObjects(obj),
                    depth + 1,
                )
        return images

    return count(lambda i: raw.FPDFPage_GetObject(page, i), raw.FPDFPage_CountObjects(page), 0)


def _links(
    page: raw.FPDF_PAGE, document: raw.FPDF_DOCUMENT, *, mb_y0: float, height: float
) -> list[tuple[str, float]]:
    links: list[tuple[str, float]] = []
    position = ctypes.c_int(0)
    link = raw.FPDF_LINK()
    rect = raw.FS_RECTF()
    while raw.FPDFLink_Enumerate(page, position, link):
        action = raw.FPDFLink_GetAction(link)
        if not action or raw.FPDFAction_GetType(action) != raw.PDFACTION_URI:
            continue
        size = raw.FPDFAction_GetURIPath(document, action, None, 0)
        if size <= 1:
            continue
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFAction_GetURIPath(document, action, buffer, size)
        uri = buffer.value.decode("utf-8", "replace")
        top = 0.0
        if raw.FPDFLink_GetAnnotRect(link, rect):
            top = height - (max(rect.top, rect.bottom) - mb_y0) + mb_y0
        links.append((uri, top))
    return links
