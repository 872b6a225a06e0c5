"""Find the name, contact details, links and location in a resume's header."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from careergini.profile.parsers.dates import find_date_ranges
from careergini.profile.parsers.layout import Line, word_set
from careergini.profile.schemas import Basics, Links

EMAIL_RE = re.compile(r"[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
_PHONE_RE = re.compile(
    r"(?<![\w/.])(?:\+\s?\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{6,16}\d(?![\w/])"
)
_URL_RE = re.compile(
    r"(?<![@\w.])(?:https?://)?(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|org|net|io|dev|ai|app|co|me|info|tech|xyz|site|page|blog|codes|cloud|design|"
    r"(?!js\b|ts\b|py\b|rb\b|md\b|sh\b)[a-z]{2})(?:/[^\s,;|()<>\"\[\]]*)?(?![\w@])",
    re.IGNORECASE,
)
_LINKEDIN_RE = re.compile(r"linkedin\.com/(?:in|pub)/[^/\s?#]+", re.IGNORECASE)
_GITHUB_RE = re.compile(r"github\.com/(?!(?:orgs|topics|about|features)/)[A-Za-z0-9-]+/?$", re.I)
# Words that mark a contact item's kind when a resume spells it out ("LinkedIn: janedoe").
_LABEL_RE = re.compile(
    r"^(?:e-?mail|phone|tel|mobile|cell|linkedin|github|website|web|portfolio|address|location)"
    r"\s*[:\-]\s*",
    re.IGNORECASE,
)
_SPLIT_RE = re.compile(r"\s+[|•·◦◆—–]\s+|\s{2,}|\s*[|•·◦◆]\s*|\t|;\s+")

US_STATES = word_set(
    """
    AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ
    NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR ON QC BC AB MB SK NS NB
    NL PE
    """
)
COUNTRIES = frozenset(
    c.lower()
    for c in (
        "USA", "US", "U.S.", "U.S.A.", "United States", "United States of America", "UK", "U.K.",
        "United Kingdom", "England", "Scotland", "Wales", "Ireland", "Canada", "Mexico", "Brazil",
        "Argentina", "Chile", "Colombia", "Peru", "Germany", "France", "Spain", "Portugal", "Italy",
        "Netherlands", "The Netherlands", "Belgium", "Luxembourg", "Switzerland", "Austria",
        "Denmark", "Sweden", "Norway", "Finland", "Iceland", "Poland", "Czechia",
        "Czech Republic", "Slovakia", "Hungary", "Romania", "Bulgaria", "Greece", "Turkey",
        "Türkiye", "Turkiye", "Ukraine", "Russia", "Estonia", "Latvia", "Lithuania", "Serbia",
        "Croatia", "Slovenia", "Israel", "UAE", "United Arab Emirates", "Saudi Arabia", "Qatar",
        "Egypt", "Morocco", "Nigeria", "Kenya", "Ghana", "South Africa", "Ethiopia", "India",
        "Pakistan", "Bangladesh", "Sri Lanka", "Nepal", "China", "Hong Kong", "Taiwan", "Japan",
        "South Korea", "Korea", "Singapore", "Malaysia", "Indonesia", "Philippines", "Thailand",
        "Vietnam", "Viet Nam", "Australia", "New Zealand", "Iran", "Iraq", "Jordan", "Lebanon",
        "Tunisia", "Algeria", "Uruguay", "Venezuela", "Ecuador", "Costa Rica", "Cyprus", "Malta",
    )
)  # fmt: skip
_REMOTE_RE = re.compile(r"^(?:remote|hybrid|on-?site)(?:\s*\(.*\))?$", re.IGNORECASE)
_PLACE_WORD_RE = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'.-]*(?:\s+[A-Za-zÀ-ÿ][\w'.-]*){0,3}$")


def is_state_or_country(chunk: str) -> bool:
    chunk = chunk.strip().rstrip(".")
    return chunk in US_STATES or chunk.lower() in COUNTRIES or chunk.lower() + "." in COUNTRIES


def is_location(text: str) -> bool:
    """Tell whether the text is a place: "Princeton, NJ", "London, UK", "Remote"."""
    text = text.strip().strip(",")
    if _REMOTE_RE.match(text):
        return True
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or len(parts) > 4 or not all(parts):
        return text.lower() in COUNTRIES
    places = len(parts)
    while places > 0 and is_state_or_country(parts[places - 1]):
        places -= 1
    # One city before the region and country: "Mountain View, CA, USA", not "Uber, Seattle, WA".
    if places == len(parts) or places > 1:
        return False
    return places == 0 or (bool(_PLACE_WORD_RE.match(parts[0])) and not _has_org_word(parts[0]))


def split_location_tail(chunks: list[str]) -> tuple[list[str], str | None]:
    """Peel a trailing location ("Seattle", "WA", "USA") off comma-separated chunks."""
    end = len(chunks)
    while end > 0 and is_state_or_country(chunks[end - 1]):
        end -= 1
    if end == len(chunks):
        if end and _REMOTE_RE.match(chunks[-1].strip()):
            return chunks[:-1], chunks[-1].strip()
        return chunks, None
    # The city precedes the state or country, unless nothing else would be left.
    if end > 1 and _PLACE_WORD_RE.match(chunks[end - 1]) and not _has_org_word(chunks[end - 1]):
        end -= 1
    return chunks[:end], ", ".join(c.strip() for c in chunks[end:])


_ORG_WORDS_RE = re.compile(
    r"\b(?:university|college|institute|school|academy|inc|llc|ltd|corp|corporation|company|"
    r"technologies|labs?|research|solutions|group|systems)\b",
    re.IGNORECASE,
)


def _has_org_word(text: str) -> bool:
    return bool(_ORG_WORDS_RE.search(text))


@dataclass(slots=True)
class LinkRef:
    """A hyperlink found in the document, with the page and height it sits at."""

    uri: str
    page: int = 0
    top: float = 0.0


def normalize_url(url: str) -> str:
    url = url.strip().rstrip(".,;)")
    if url.lower().startswith(("http://", "https://")):
        return url
    return "https://" + url


def _same_url(a: str | None, b: str) -> bool:
    def key(url: str) -> str:
        return re.sub(r"^https?://(?:www\.)?", "", url.strip().lower()).rstrip("/")

    return a is not None and key(a) == key(b)


def _classify_url(url: str, links: Links) -> None:
    bare = re.sub(r"^https?://(?:www\.)?", "", url.strip(), flags=re.IGNORECASE)
    known = [links.linkedin, links.github, links.website, *links.other]
    if any(_same_url(seen, url) for seen in known):
        return
    if _LINKEDIN_RE.search(bare):
        links.linkedin = links.linkedin or normalize_url(url)
    elif _GITHUB_RE.match(bare):
        links.github = links.github or normalize_url(url).rstrip("/")
    elif bare.lower().startswith(("linkedin.com", "github.com")):
        return  # a bare site link ("github.com/") says nothing about the person
    elif not links.website:
        links.website = normalize_url(url)
    else:
        links.other.append(normalize_url(url))


def find_phone(text: str) -> str | None:
    for match in _PHONE_RE.finditer(text):
        candidate = match.group(0).strip()
        digits = re.sub(r"\D", "", candidate)
        if not 9 <= len(digits) <= 15:
            continue
        if find_date_ranges(candidate) and len(digits) <= 12 and "(" not in candidate:
            continue  # "2018 - 2022" and friends
        return candidate
    return None


def find_urls(text: str) -> list[str]:
    found = []
    for match in _URL_RE.finditer(text):
        url = match.group(0)
        if "@" in text[max(0, match.start() - 1) : match.start()]:
            continue
        found.append(url)
    return found


_NAME_WORD_RE = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.-]*$")
_NOT_NAME_WORDS = word_set(
    """
    about us our job description position role company team responsibilities requirements
    resume curriculum vitae cv profile contact summary engineer developer manager designer
    scientist analyst consultant intern student director architect specialist
    """
)


def looks_like_name(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 5 or len(text) > 60:
        return False
    if any(w.lower().strip(".") in _NOT_NAME_WORDS for w in words):
        return False
    return all(_NAME_WORD_RE.match(w) for w in words)


def _tidy_name(text: str) -> str:
    if text.isupper():
        return " ".join(w.capitalize() if len(w) > 2 else w for w in text.split())
    return text


# Link texts and labels that stand for a contact item, not for what the person does.
_NOT_HEADLINES = word_set(
    """
    resume cv curriculum vitae linkedin github gitlab website portfolio blog email e-mail
    phone mobile homepage twitter x stack overflow contact
    """
)


def _pieces(line: Line) -> Iterable[str]:
    for segment in line.segments:
        for piece in _SPLIT_RE.split(segment):
            piece = piece.strip(" ,")
            if piece:
                yield piece


def _looks_like_headline(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 10
        and not re.search(r"\d|@|https?:|www\.", text)
        and not is_location(text)
        and text[0].isupper()
        and not text.endswith(".")
    )


def parse_header(
    header: Sequence[Line], *, all_lines: Sequence[Line], links: Sequence[LinkRef] = ()
) -> Basics:
    """Build the basics from the lines before the first section and the document's links."""
    basics = Basics()
    found = Links()
    name_line: Line | None = None

    sized = [ln for ln in header if ln.size]
    if sized:
        biggest = max(sized, key=lambda ln: ln.size)
        sizes = sorted(ln.size for ln in all_lines if ln.size)
        body = sizes[len(sizes) // 2]
        if biggest.size > body * 1.15 and looks_like_name(biggest.text.strip()):
            name_line = biggest
    if name_line is None:
        name_line = next(
            (ln for ln in header if len(ln.segments) >= 1 and looks_like_name(ln.segments[0])),
            None,
        )
    if name_line is not None:
        basics.name = _tidy_name(name_line.segments[0].strip())

    for link in links:
        uri = link.uri.strip()
        lowered = uri.lower()
        if lowered.startswith("mailto:"):
            basics.email = basics.email or uri[7:].split("?")[0]
        elif lowered.startswith("tel:"):
            basics.phone = basics.phone or uri[4:]
        elif lowered.startswith(("http://", "https://", "www.")):
            _classify_url(uri, found)

    for line in header:
        if line is name_line:
            rest = line.segments[1:]
            if not rest:
                continue
            line = Line(segments=rest)
        for piece in _pieces(line):
            piece = _LABEL_RE.sub("", piece)
            if not piece:
                continue
            if email := EMAIL_RE.search(piece):
                basics.email = basics.email or email.group(0)
                continue
            if phone := find_phone(piece):
                if basics.phone is None or re.sub(r"\D", "", basics.phone) == re.sub(
                    r"\D", "", phone
                ):
                    basics.phone = phone  # the text keeps the formatting the tel: link drops
                continue
            if urls := find_urls(piece):
                for url in urls:
                    _classify_url(url, found)
                continue
            if find_date_ranges(piece):
                continue  # "Last updated in Mar 2026"
            chunks = [c.strip() for c in piece.split(",")]
            # A street address or a building before the city: keep the city and what follows.
            while len(chunks) > 2 and not is_location(", ".join(chunks)):
                chunks = chunks[1:]
            if is_location(", ".join(chunks)):
                basics.location = basics.location or ", ".join(chunks)
                continue
            if (
                basics.headline is None
                and basics.name
                and _looks_like_headline(piece)
                and not looks_like_name(piece)
                and piece.lower() not in _NOT_HEADLINES
            ):
                basics.headline = piece
    basics.links = found
    if basics.phone:
        basics.phone = re.sub(r"\s+", " ", basics.phone).strip()
    return basics
