"""Read plain-text and Markdown documents into layout lines."""

from __future__ import annotations

import re

from careergini.documents.layout import Line, LinkRef, clean_text

_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+")
# "[text](url)". Neither part may hold its own opening bracket, so a failed match stops at the
# next "[" or "(" and the scan stays linear ("[[[[..." was quadratic).
_MD_LINK_RE = re.compile(r"\[([^\[\]]*)\]\(([^\s()]+)\)")
_MD_EMPHASIS_RE = re.compile(r"(?<!\w)(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_RULE_RE = re.compile(r"^\s*(?:[-=_*]\s*){3,}$")
_UNDERLINE_RE = re.compile(r"^\s*(?:=+|-+)\s*$")
_COLUMN_GAP_RE = re.compile(r"\t+|\s{3,}")


def read_text(text: str) -> tuple[list[Line], list[LinkRef]]:
    """Return the text's lines, with Markdown marks turned into layout hints, and its links."""
    lines: list[Line] = []
    links: list[LinkRef] = []
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, raw in enumerate(raw_lines):
        if not raw.strip():
            continue
        if _UNDERLINE_RE.match(raw) and lines and i > 0 and raw_lines[i - 1].strip():
            lines[-1].heading_hint = True  # Setext: a line underlined with === or ---
            continue
        if _RULE_RE.match(raw):
            continue
        heading = bool(_MD_HEADING_RE.match(raw))
        bullet = bool(_MD_LIST_RE.match(raw))
        body = _MD_HEADING_RE.sub("", raw)
        for match in _MD_LINK_RE.finditer(body):
            links.append(LinkRef(uri=match.group(2), top=float(len(lines))))
        body = _MD_LINK_RE.sub(lambda m: m.group(1) or m.group(2), body)
        body = _MD_EMPHASIS_RE.sub(r"\2", body)
        if bullet:
            body = "• " + _MD_LIST_RE.sub("", body, count=1)
        segments = [clean_text(s) for s in _COLUMN_GAP_RE.split(body.strip())]
        segments = [s for s in segments if s]
        if not segments:
            continue
        lines.append(
            Line(
                segments=segments,
                x0=None,
                heading_hint=heading,
                bullet_hint=bullet,
                top=float(len(lines)),  # the line's order stands in for its height
            )
        )
    return lines, links
