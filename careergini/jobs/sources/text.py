"""HTML to the plain, line-structured text the job-description parser reads.

Boards send descriptions as HTML (Greenhouse even entity-escapes it once more). Headings,
paragraphs and list items become their own lines, list items get a "- " bullet, so the parser
still sees "Requirements" as a heading and each requirement as a line.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "br",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "form", "button"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


class _TextParser(HTMLParser):
    def __init__(self, *, skip_navigation: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._skip = _SKIP | ({"nav"} if skip_navigation else set())

    def _break(self) -> None:
        line = _SPACES.sub(" ", "".join(self._current)).strip()
        if line:
            self.lines.append(line)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._skip:
            self._skip_depth += 1
            return
        if self._skip_depth:
            return
        if tag == "li":
            self._break()
            self._current.append("- ")
        elif tag in _BLOCK:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip_depth and tag in _BLOCK:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skip:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if not self._skip_depth and (tag in _BLOCK or tag == "li"):
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._current.append(data.replace("\n", " "))

    def text(self) -> str:
        self._break()
        lines = [line for line in self.lines if line != "-"]
        return "\n".join(lines)


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"</?(p|div|br|li|ul|h[1-6]|span|strong|b|em)\b", text, re.I))


def html_to_text(markup: str | None, *, skip_navigation: bool = False) -> str:
    """Return the text of an HTML fragment, one line per block, list items as "- " bullets."""
    if not markup:
        return ""
    if "&lt;" in markup and "<" not in markup.replace("&lt;", ""):
        markup = html.unescape(markup)  # Greenhouse escapes its HTML once more
    if not looks_like_html(markup):
        # Plain text: exports often mark paragraphs with runs of spaces instead of newlines.
        text = re.sub(r" {3,}", "\n", html.unescape(markup))
        return "\n".join(
            _SPACES.sub(" ", line).strip() for line in text.splitlines() if line.strip()
        )
    parser = _TextParser(skip_navigation=skip_navigation)
    parser.feed(markup)
    parser.close()
    return parser.text()


def clean_line(value: Any, *, limit: int = 300) -> str | None:
    """Return a one-line, trimmed string (or None) from whatever a source sent."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = _SPACES.sub(" ", html.unescape(value).replace("\n", " ")).strip()
    return value[:limit] or None


def parse_datetime(value: Any) -> datetime | None:
    """Read an ISO 8601 string, a date, or epoch seconds/milliseconds as an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 10_000_000_000 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += "T00:00:00"
    text = text.replace("Z", "+00:00").replace("z", "+00:00")
    # Python's parser wants at most six digits of fraction ("…T18:36:29.484+00:00" is fine).
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
