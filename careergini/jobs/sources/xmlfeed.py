"""Reading the XML feeds of applicant-tracking systems (Personio, Teamtailor) safely."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

from careergini.jobs.sources.base import SourceError

# A job feed never needs a DTD; refusing one rules out entity expansion of any kind.
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


def load(data: bytes, *, what: str) -> ElementTree.Element:
    """Parse an XML document without DTDs; raise SourceError when it is not XML."""
    if _DOCTYPE.search(data[:4096]) or b"<!ENTITY" in data:
        raise SourceError(f"{what} sent XML with a DTD, which a job feed never needs; refused.")
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - DTDs refused above
    except ElementTree.ParseError as exc:
        raise SourceError(f"{what} sent a response that is not valid XML ({exc}).") from exc


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def child_text(node: ElementTree.Element, name: str) -> str | None:
    """The text of the first child called ``name`` (any namespace), or None."""
    for child in node:
        if local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def children(node: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """The children called ``name`` (any namespace)."""
    return [child for child in node if local(child.tag) == name]


def rfc822(value: str | None) -> datetime | None:
    """Read an RSS date ("Mon, 02 Nov 2026 09:00:00 +0100") as aware UTC."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
