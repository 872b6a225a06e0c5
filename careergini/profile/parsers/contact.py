"""Find the name, contact details, links and location in a resume's header."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from careergini.documents.layout import Line, LinkRef, word_set
from careergini.documents.textpredicates import is_location
from careergini.profile.parsers.dates import find_date_ranges
from careergini.profile.schemas import Basics, Links

# Starts only where a run of local-part characters starts: trying every position inside a long run
# ("a.a.a.a...") made a failed search quadratic.
EMAIL_RE = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
_PHONE_RE = re.compile(
    r"(?<![\w/.])(?:\+\s?\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{5,16}\d(?![\w/])"
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
    elif _GITHUB_RE.match(bare.split("?")[0]):
        # "github.com/Madic-?tab=repositories" is the profile; the query is only a view of it.
        links.github = links.github or normalize_url(url.split("?")[0]).rstrip("/")
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
_NAME_PARTICLES = word_set("de da das do dos del della di van von der den ter ten la le du y e")
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
    # Particles inside a name ("Sanne de Vries", "Ana da Silva", "Ludwig van Beethoven").
    inner = [w for w in words[1:-1] if w not in _NAME_PARTICLES]
    return all(_NAME_WORD_RE.match(w) for w in [words[0], *inner, words[-1]])


def _tidy_name(text: str) -> str:
    if text.isupper():
        return " ".join(w.capitalize() if len(w) > 2 else w for w in text.split())
    return text


# Link texts and labels that stand for a contact item, not for what the person does.
_NOT_HEADLINES = word_set(
    """
    resume cv curriculum vitae linkedin github gitlab website portfolio blog email e-mail
    phone mobile homepage twitter x stack overflow contact lebenslauf résumé currículum
    curriculo currículo levenslauf
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
    header: Sequence[Line],
    *,
    all_lines: Sequence[Line],
    links: Sequence[LinkRef] = (),
    contact_block: Sequence[Line] = (),
) -> Basics:
    """Build the basics from the lines before the first section and the document's links.

    The lines of a "Contact" block (often a side column) are read as the header's, and a
    town alone on one of its rows is the location.
    """
    basics = Basics()
    found = Links()
    header = [*header, *contact_block]
    name_line = _name_line(header, all_lines)
    if name_line is None and (titled := _name_with_title(header, all_lines)) is not None:
        # "John Doe | Resumé title": the name, then the title on the same biggest line.
        index, name_line = titled
        header[index] = name_line
    if name_line is not None:
        basics.name = _tidy_name(name_line.segments[0].strip())
    for link in links:
        _read_link(link.uri.strip(), basics, found)
    # A town alone on its row counts as the location when it sits among the contact rows
    # ("Hamburg" under the e-mail and phone rows of a side column).
    # Neighbours count inside the header only, never across into the contact block.
    own = len(header) - len(contact_block)
    has_contact = [_has_contact(line) for line in header[:own]]
    near_contact = [
        flag or (i > 0 and has_contact[i - 1]) or (i + 1 < own and has_contact[i + 1])
        for i, flag in enumerate(has_contact)
    ] + [True] * len(contact_block)
    for number, line in enumerate(header):
        if line is name_line:
            rest = line.segments[1:]
            if not rest:
                continue
            line = Line(segments=rest)
        pieces = [_LABEL_RE.sub("", piece) for piece in _pieces(line)]
        contact_line = near_contact[number]
        for piece in pieces:
            if contact_line and basics.location is None and _lone_town(piece):
                basics.location = piece  # "anna@example.de | +49 30 1234567 | Berlin"
            elif piece:
                _read_piece(piece, basics, found)
    basics.links = found
    if basics.phone:
        basics.phone = re.sub(r"\s+", " ", basics.phone).strip()
    return basics


_TOWN_RE = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ'’.-]+(?:[ -][A-ZÀ-Þ][a-zà-ÿ'’.-]+){0,2}")


def _lone_town(piece: str) -> bool:
    """Tell whether a piece beside an e-mail or phone is a town on its own ("Berlin")."""
    return (
        bool(_TOWN_RE.fullmatch(piece))
        and not looks_like_name(piece)
        and piece.lower() not in _NOT_HEADLINES
        and len(piece) <= 30
    )


def _name_line(header: Sequence[Line], all_lines: Sequence[Line]) -> Line | None:
    """Return the line holding the name: the biggest type if it stands out, else the first."""
    sized = [ln for ln in header if ln.size]
    if sized:
        biggest = max(sized, key=lambda ln: ln.size)
        sizes = sorted(ln.size for ln in all_lines if ln.size)
        body = sizes[len(sizes) // 2]
        if biggest.size > body * 1.15 and (
            looks_like_name(biggest.text.strip())
            or (biggest is header[0] and _is_name_value(biggest.text.strip()))
        ):
            return biggest  # a one-word name ("Alice") only as the first, biggest line
    return next(
        (ln for ln in header if len(ln.segments) >= 1 and looks_like_name(ln.segments[0])),
        None,
    )


def _name_with_title(header: Sequence[Line], all_lines: Sequence[Line]) -> tuple[int, Line] | None:
    """Return the biggest line split into name and title ("John Doe | Data Engineer")."""
    sized = [(i, ln) for i, ln in enumerate(header) if ln.size and ln.segments]
    if not sized:
        return None
    index, biggest = max(sized, key=lambda pair: pair[1].size)
    sizes = sorted(ln.size for ln in all_lines if ln.size)
    if biggest.size <= sizes[len(sizes) // 2] * 1.15:
        return None
    pieces = re.split(r"\s+[|–—·•]\s+", biggest.segments[0].strip(), maxsplit=1)
    if len(pieces) != 2 or not looks_like_name(pieces[0]):
        return None
    split = Line(
        segments=[pieces[0], pieces[1], *biggest.segments[1:]],
        page=biggest.page,
        x0=biggest.x0,
        x1=biggest.x1,
        top=biggest.top,
        size=biggest.size,
        bold=biggest.bold,
        index=biggest.index,
    )
    return index, split


def contact_footer(lines: Sequence[Line]) -> list[Line]:
    """Return the contact rows some CVs print at the very end ("e-mail • phone", address, site).

    Only the last five rows are looked at, from the first one holding an e-mail or a phone.
    """
    tail = list(lines[-5:])
    first = next((i for i, line in enumerate(tail) if _has_contact(line)), None)
    return [] if first is None else tail[first:]


def _has_contact(line: Line) -> bool:
    return any(EMAIL_RE.search(p) or _PHONE_RE.search(p) for p in _pieces(line))


def _read_link(uri: str, basics: Basics, found: Links) -> None:
    # "https:////www.linkedin.com/in/x" (a LaTeX \href of "//www...") is still that address.
    uri = re.sub(r"^(https?:)/{3,}", r"\1//", uri, flags=re.IGNORECASE)
    lowered = uri.lower()
    if lowered.startswith("mailto:"):
        basics.email = basics.email or uri[7:].split("?")[0]
    elif lowered.startswith("tel:"):
        basics.phone = basics.phone or uri[4:]
    elif lowered.startswith(("http://", "https://", "www.")):
        _classify_url(uri, found)


def _read_email(piece: str, basics: Basics, found: Links) -> bool:
    if email := EMAIL_RE.search(piece):
        basics.email = basics.email or email.group(0)
        return True
    return False


def _read_phone(piece: str, basics: Basics, found: Links) -> bool:
    phone = find_phone(piece)
    if phone is None:
        return False
    if basics.phone is None or re.sub(r"\D", "", basics.phone) == re.sub(r"\D", "", phone):
        basics.phone = phone  # the text keeps the formatting the tel: link drops
    return True


def _read_urls(piece: str, basics: Basics, found: Links) -> bool:
    urls = find_urls(piece)
    for url in urls:
        _classify_url(url, found)
    return bool(urls)


def _skip_dates(piece: str, basics: Basics, found: Links) -> bool:
    return bool(find_date_ranges(piece))  # "Last updated in Mar 2026"


def _read_location(piece: str, basics: Basics, found: Links) -> bool:
    chunks = [c.strip() for c in piece.split(",")]
    # More than four parts is never a place (is_location): start from the last four, or a line
    # of thousands of commas is joined and split once per part (minutes of work).
    if len(chunks) > 4 and not is_location(piece):
        chunks = chunks[-4:]
    # A street address or a building before the city: keep the city and what follows.
    while len(chunks) > 2 and not is_location(", ".join(chunks)):
        chunks = chunks[1:]
    if is_location(", ".join(chunks)):
        basics.location = basics.location or ", ".join(chunks)
        return True
    return False


def _read_headline(piece: str, basics: Basics, found: Links) -> bool:
    if (
        basics.headline is None
        and basics.name
        and _looks_like_headline(piece)
        and not looks_like_name(piece)
        and piece.lower() not in _NOT_HEADLINES
    ):
        basics.headline = piece
    return True


def _read_piece(piece: str, basics: Basics, found: Links) -> None:
    """Give the piece to the first reader that knows what it is."""
    for read in _PIECE_READERS:
        if read(piece, basics, found):
            return


# What a piece of the header can be, in the order it is tried.
_PIECE_READERS: tuple[Callable[[str, Basics, Links], bool], ...] = (
    _read_email,
    _read_phone,
    _read_urls,
    _skip_dates,
    _read_location,
    _read_headline,
)


# Headings of a block of labelled personal details ("Persönliche Daten: Name  Michael").
PERSONAL_HEADINGS = frozenset(
    (
        "personal details", "personal information", "personal data", "contact",
        "contact details", "contact information", "contact info", "persönliche daten",
        "persönliche angaben", "kontakt", "kontaktdaten", "datos personales",
        "informations personnelles", "coordonnées", "dados pessoais", "dati personali",
        "contatti", "persoonlijke gegevens", "personalia", "contactgegevens", "contacto",
        "contato", "contatto",
    )
)  # fmt: skip
# Headings of a block that holds only the contact details, often in a side column: its rows
# are read as the header's are, labelled or not.
CONTACT_HEADINGS = frozenset(
    (
        "contact", "contact details", "contact information", "contact info", "kontakt",
        "kontaktdaten", "coordonnées", "contatti", "contactgegevens", "contacto", "contato",
        "contatto",
    )
)  # fmt: skip

# A row's label, in the languages the parser reads, and the field it fills.
_LABELS_BY_FIELD: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "full name", "vollständiger name", "nom", "nom complet", "nombre",
        "nombre completo", "nome", "nome completo", "naam", "volledige naam",
    ),
    "first": (
        "first name", "given name", "vorname", "prénom", "prenom", "nombres", "primeiro nome",
        "voornaam",
    ),
    "last": (
        "last name", "surname", "family name", "nachname", "familienname", "nom de famille",
        "apellido", "apellidos", "sobrenome", "apelido", "cognome", "achternaam",
    ),
    "email": (
        "email", "e-mail", "e mail", "mail", "courriel", "correo", "correo electrónico",
        "correo electronico", "posta elettronica",
    ),
    "phone": (
        "phone", "telephone", "tel", "tel.", "mobile", "cell", "telefon", "telefonnummer",
        "handy", "mobil", "téléphone", "portable", "teléfono", "telefono", "móvil", "movil",
        "celular", "telefone", "cellulare", "telefoon", "mobiel",
    ),
    "location": (
        "address", "location", "city", "adresse", "anschrift", "wohnort", "ort", "domicile",
        "ville", "dirección", "direccion", "domicilio", "ciudad", "endereço", "endereco",
        "morada", "cidade", "indirizzo", "residenza", "città", "citta", "adres", "woonplaats",
    ),
}  # fmt: skip
_FIELD_LABELS = {label: f for f, labels in _LABELS_BY_FIELD.items() for label in labels}
_LABELLED_RE = re.compile(r"^\s*([^\W\d][\w .-]{0,28}?)\s*(?::\s*|\t+|\s{2,})(\S.{0,200})$")
_ONE_NAME_WORD_RE = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.-]*$")


def read_personal_details(lines: Sequence[Line], basics: Basics) -> None:
    """Fill what the basics lack from labelled rows ("Name  Michael", "Telefon: 030 1234567").

    Only rows whose label names a contact field are read. A labelled name replaces the one
    guessed from the header's biggest line; other fields already found in the header are kept.
    """
    found = Links()
    first = last = labelled_name = None
    for line in lines:
        labelled = _labelled(line)
        if labelled is None:
            continue
        field, value = labelled
        if field == "name" and _is_name_value(value):
            labelled_name = _tidy_name(value)
        elif field == "first" and _is_name_value(value):
            first = value
        elif field == "last" and _is_name_value(value):
            last = value
        elif field == "email":
            _read_email(value, basics, found)
        elif field == "phone":
            _read_phone(value, basics, found)
        elif field == "location" and basics.location is None and not find_phone(value):
            basics.location = value.strip(" ,")
    if first and last:
        labelled_name = labelled_name or _tidy_name(f"{first} {last}")
    if labelled_name:
        basics.name = labelled_name  # a name the person labelled beats one guessed from type size
    if basics.phone:
        basics.phone = re.sub(r"\s+", " ", basics.phone).strip()


def _labelled(line: Line) -> tuple[str, str] | None:
    if len(line.segments) >= 2:
        label, value = line.segments[0], " ".join(line.segments[1:])
    elif match := _LABELLED_RE.match(line.text):
        label, value = match.group(1), match.group(2)
    else:
        return None
    field = _FIELD_LABELS.get(" ".join(label.lower().strip(" :").split()))
    value = value.strip()
    return (field, value) if field and value else None


def _is_name_value(value: str) -> bool:
    """A labelled name may be one word ("Michael"); it still has to look like a name."""
    words = value.split()
    if len(words) == 1:
        return bool(_ONE_NAME_WORD_RE.match(words[0])) and words[0].lower() not in _NOT_NAME_WORDS
    return looks_like_name(value)
