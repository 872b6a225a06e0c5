"""schema.org ``JobPosting`` in JSON-LD, the markup Google for Jobs reads from career pages.

Pure helpers: find the JSON-LD blocks of a page, the JobPostings in them (top level, lists,
``@graph``, ``ItemList``), the job pages an ``ItemList`` links to, and turn one JobPosting into
a :class:`RawPosting`.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from careergini.jobs.sources.base import RawPosting, SalaryHint
from careergini.jobs.sources.text import clean_line, html_to_text, parse_datetime

_EMPLOYMENT = {
    "FULL_TIME": "full-time",
    "PART_TIME": "part-time",
    "CONTRACTOR": "contract",
    "CONTRACT": "contract",
    "TEMPORARY": "temporary",
    "INTERN": "internship",
    "INTERNSHIP": "internship",
}
_UNIT = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}


class _ScriptParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.title: str | None = None
        self._in_jsonld = False
        self._in_title = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
            self._in_jsonld = kind == "application/ld+json"
            self._buffer = []
        elif tag == "title" and self.title is None:
            self._in_title = True
            self._buffer = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_jsonld:
            self.blocks.append("".join(self._buffer))
            self._in_jsonld = False
        elif tag == "title" and self._in_title:
            self.title = clean_line("".join(self._buffer))
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld or self._in_title:
            self._buffer.append(data)


def extract_blocks(html: str) -> tuple[list[str], str | None]:
    """Return the text of every ``<script type="application/ld+json">`` and the page title."""
    parser = _ScriptParser()
    parser.feed(html)
    parser.close()
    return parser.blocks, parser.title


def load_blocks(blocks: list[str]) -> tuple[list[Any], int]:
    """Parse JSON-LD blocks; return the documents and how many blocks were not valid JSON."""
    documents, bad = [], 0
    for block in blocks:
        text = block.strip()
        if text.startswith("<!--"):
            text = text.removeprefix("<!--").removesuffix("-->").strip()
        if not text:
            continue
        try:
            documents.append(json.loads(text))
        except ValueError:
            # A common slip: raw newlines inside strings. Try once more without them.
            try:
                documents.append(json.loads(re.sub(r"[\r\n\t]+", " ", text)))
            except ValueError:
                bad += 1
    return documents, bad


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


def find_postings(data: Any) -> list[dict[str, Any]]:
    """Return every JobPosting object in a JSON-LD document, in document order."""
    found: list[dict[str, Any]] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            if "JobPosting" in _types(node):
                found.append(node)
                return
            for key in ("@graph", "itemListElement", "item", "mainEntity", "hasPart"):
                if key in node:
                    walk(node[key], depth + 1)

    walk(data, 0)
    return found


def find_listed_urls(data: Any, *, base_url: str) -> list[str]:
    """Return the URLs an ItemList of job pages links to (items that are not JobPostings)."""
    urls: list[str] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            if "ItemList" in _types(node):
                for element in node.get("itemListElement") or []:
                    target = element.get("item", element) if isinstance(element, dict) else element
                    if isinstance(target, str):
                        urls.append(urljoin(base_url, target))
                    elif isinstance(target, dict) and "JobPosting" not in _types(target):
                        url = target.get("url") or target.get("@id")
                        if isinstance(url, str):
                            urls.append(urljoin(base_url, url))
            for key in ("@graph", "mainEntity"):
                if key in node:
                    walk(node[key], depth + 1)

    walk(data, 0)
    return list(dict.fromkeys(u for u in urls if u.startswith(("http://", "https://"))))


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return clean_line(value.get("name"), limit=200)
    if isinstance(value, list) and value:
        return _name(value[0])
    return clean_line(value, limit=200)


def _place(value: Any) -> str | None:
    places = value if isinstance(value, list) else [value]
    names: list[str] = []
    for place in places:
        address = place.get("address") if isinstance(place, dict) else place
        if isinstance(address, str):
            names.append(address)
        elif isinstance(address, dict):
            country = address.get("addressCountry")
            if isinstance(country, dict):
                country = country.get("name")
            parts = [address.get("addressLocality"), address.get("addressRegion"), country]
            text = ", ".join(str(p).strip() for p in parts if p and str(p).strip())
            if text:
                names.append(text)
        elif isinstance(place, dict) and place.get("name"):
            names.append(str(place["name"]))
    joined = "; ".join(dict.fromkeys(names))
    return clean_line(joined) if joined else None


def _employment(value: Any) -> str | None:
    values = value if isinstance(value, list) else [value]
    for item in values:
        mapped = _EMPLOYMENT.get(str(item or "").upper().replace("-", "_").replace(" ", "_"))
        if mapped:
            return mapped
    return None


def _salary(value: Any) -> SalaryHint | None:
    if not isinstance(value, dict):
        return None
    amount = value.get("value")
    low = high = None
    unit = None
    if isinstance(amount, dict):
        low = amount.get("minValue", amount.get("value"))
        high = amount.get("maxValue", amount.get("value"))
        unit = amount.get("unitText")
    elif isinstance(amount, (int, float, str)):
        low = high = amount
    try:
        low = float(low) if low not in (None, "") else None
        high = float(high) if high not in (None, "") else None
    except (TypeError, ValueError):
        return None
    if low is None and high is None:
        return None
    return SalaryHint(
        low, high, clean_line(value.get("currency"), limit=8), _UNIT.get(str(unit or "").upper())
    )


def _identifier(node: dict[str, Any]) -> str | None:
    value = node.get("identifier")
    if isinstance(value, dict):
        value = value.get("value") or value.get("@id")
    if isinstance(value, (str, int)) and str(value).strip():
        return str(value).strip()[:300]
    return None


def posting_from_jsonld(
    node: dict[str, Any], *, page_url: str, company: str | None, now: datetime
) -> RawPosting | None:
    """Turn one JobPosting into a RawPosting; None when it has no title or has expired."""
    title = clean_line(node.get("title") or node.get("name"))
    if not title:
        return None
    valid_through = parse_datetime(node.get("validThrough"))
    if valid_through is not None and valid_through < now:
        return None
    own_url = node.get("url") if isinstance(node.get("url"), str) else None
    url = urljoin(page_url, own_url) if own_url else page_url
    location = _place(node.get("jobLocation"))
    location_type = str(node.get("jobLocationType") or "").upper()
    remote = "remote" if location_type == "TELECOMMUTE" else None
    if remote and not location:
        location = "Remote"
    hiring = _name(node.get("hiringOrganization")) or company
    external = _identifier(node) or (url if own_url else None)
    if external is None:
        # Postings listed on one page share its URL: tell them apart by title and place.
        digest = hashlib.sha256(f"{title}|{location}".encode()).hexdigest()[:16]
        external = f"{page_url}#{digest}"
    description = node.get("description")
    return RawPosting(
        external_id=external[:300],
        title=title,
        company=hiring,
        location=location,
        description=html_to_text(description if isinstance(description, str) else None),
        url=url[:1000],
        posted_at=parse_datetime(node.get("datePosted")),
        remote=remote,
        employment_type=_employment(node.get("employmentType")),
        salary=_salary(node.get("baseSalary")),
        url_identifies=own_url is not None,
    )
