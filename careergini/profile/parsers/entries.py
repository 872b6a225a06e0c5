"""Cut a section into entries (a job, a degree, a project) and read each entry's header."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from careergini.documents.layout import Line, LinkRef, is_bullet, strip_bullet, word_set
from careergini.documents.textpredicates import (
    is_date_only,
    is_duration,
    is_location,
    split_location_tail,
)
from careergini.profile.parsers.dates import DateRange, parse_date_range, strip_dates
from careergini.profile.schemas import EducationEntry, Project, WorkEntry


@dataclass(slots=True)
class Row:
    """A line with its date-only and duration pieces taken out."""

    line: Line
    kind: str  # "bullet", "cont" (continues the line above), "wrap" (its words) or "text"
    segments: list[str]
    dates: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.segments).strip()


@dataclass(slots=True)
class RawEntry:
    header: list[Row] = field(default_factory=list)
    bullets: list[tuple[str, int]] = field(default_factory=list)  # (text, line index)
    prose: list[tuple[str, int]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    open_list: str | None = None  # which list the next continuation line extends

    @property
    def has_body(self) -> bool:
        return bool(self.bullets or self.prose)

    @property
    def has_dates(self) -> bool:
        return bool(self.dates) or any(_header_date(r.text) for r in self.header)

    def body(self) -> list[tuple[str, int]]:
        """Return bullets, with prose paragraphs split into one item per sentence."""
        items = list(self.bullets)
        for text, index in self.prose:
            items.extend((s, index) for s in _sentences(text))
        return items


_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.split(text) if s.strip()]


# Words that say what a date is ("Grad. May 2011", "Expected June 2023"), not part of a name.
_DATE_MARKER_RE = re.compile(
    r"^(?:grad(?:uated|uation)?|expected|exp|anticipated|completed|awarded|class of|since|"
    r"seit|depuis|desde|dal|sinds|start|started|starting|from|ab)\.?:?$",
    re.IGNORECASE,
)
# Markers that make a lone date a start, with the end not given ("Start June 2017").
_START_MARKER_RE = re.compile(r"^(?:start|started|starting|from|ab)\.?:?$", re.IGNORECASE)


def _header_date(text: str) -> DateRange | None:
    """Return a date range that sits at the start or end of a header line, as headers put it."""
    found = parse_date_range(text)
    if found is None:
        return None
    start, end = found.span
    tail = text[end:].strip(" .,;)|")
    if start <= 2 or not tail or _DATE_MARKER_RE.match(text[:start].strip()):
        return found
    return None


def is_prose(text: str) -> bool:
    """Tell whether a line is running text rather than a short header."""
    words = text.split()
    if len(words) < 4:
        return False
    lower = sum(1 for w in words if w[:1].islower()) / len(words)
    if text.rstrip().endswith((".", "!", "?")):
        return len(words) >= 8 or lower >= 0.5  # "Designed dashboards for banking clients."
    return len(words) >= 8 and lower >= 0.45


def _join(previous: str, addition: str) -> str:
    if re.search(r"[A-Za-z]-$", previous) and addition[:1].islower():
        return previous[:-1] + addition  # a word hyphenated across the line break
    return f"{previous} {addition}".strip()


def _to_rows(lines: Sequence[Line]) -> list[Row]:
    rows: list[Row] = []
    bullet_x: float | None = None
    right = max((ln.x1 for ln in lines if ln.x1 is not None), default=None)
    for line in lines:
        glyph = is_bullet(line)
        bullet = glyph and not _bulleted_header(line)
        segments: list[str] = []
        dates: list[str] = []
        for n, segment in enumerate(line.segments):
            text = strip_bullet(segment) if glyph and n == 0 else segment.strip()
            if not text:
                continue
            if is_duration(text):
                continue  # "2 years 10 months" beside a job only restates its dates
            if is_date_only(text) and (len(line.segments) > 1 or not bullet):
                dates.append(text)
                continue
            segments.append(text)
        kind = "bullet" if bullet else "text"
        if not bullet and rows and segments:
            kind = _continuation_kind(line, segments, rows[-1], bullet_x, bool(dates))
            if kind == "text" and not dates and _wraps(rows[-1], line, segments, right):
                kind = "wrap"
        if bullet:
            bullet_x = line.x0
        elif kind == "text":
            bullet_x = None
        if segments or dates:
            rows.append(Row(line=line, kind=kind, segments=segments, dates=dates))
    return rows


def _wraps(previous: Row, line: Line, segments: list[str], right: float | None) -> bool:
    """Tell whether a row carries on the words of the header row above, which ran out of room
    ("Bachelor of Science in Computer" / "Science" in a narrow side column)."""
    above = previous.line
    if previous.kind != "text" or previous.dates or right is None:
        return False
    if above.x0 is None or line.x0 is None or above.x1 is None:
        return False
    return (
        len(segments) == 1
        and len(previous.segments) == 1
        and len(segments[0].split()) <= 3
        and abs(line.x0 - above.x0) <= 2
        and right - above.x1 < 2.5 * (above.size or 10)
        and above.size == line.size
        and above.bold == line.bold
        and not _header_date(previous.text)
    )


def _bulleted_header(line: Line) -> bool:
    """Tell a bulleted entry header ("• Google ... Mountain View, CA") from a bullet point.

    Job-board templates set each entry in an outer list, with its place right-aligned on the
    same row; a bullet point is longer, and what sits beside it is a date, never a place.
    """
    if line.x0 is None or len(line.segments) < 2 or line.bullet_hint:
        return False
    return len(line.segments[0].split()) <= 8 and is_location(line.segments[-1].strip())


def _continuation_kind(
    line: Line, segments: list[str], previous: Row, bullet_x: float | None, has_dates: bool
) -> str:
    text = " ".join(segments)
    if has_dates or _header_date(text):
        return "text"
    prev_text = previous.text
    if previous.kind in ("bullet", "cont"):
        if line.x0 is not None and bullet_x is not None:
            return "cont" if line.x0 > bullet_x + 2 else "text"
        if text[:1].islower() or re.search(r"(?:[-,&/]|\band|\bor|\bof|\bthe)$", prev_text):
            return "cont"
        return "text"
    if previous.kind == "text" and is_prose(prev_text) and not prev_text.endswith((".", "!", "?")):
        return "cont"  # a wrapped paragraph
    return "text"


def _continue(current: RawEntry, row: Row) -> None:
    """Add a row that carries on the entry's last line (a wrapped bullet, paragraph or name)."""
    if row.kind == "wrap":
        last = current.header[-1]
        last.segments[-1] = f"{last.segments[-1]} {row.text}"
        return
    target = current.open_list
    if target == "bullets" and current.bullets:
        text, i = current.bullets[-1]
        current.bullets[-1] = (_join(text, row.text), i)
    elif target == "prose" and current.prose:
        text, i = current.prose[-1]
        current.prose[-1] = (_join(text, row.text), i)
    elif current.header:
        current.header[-1].segments.extend(row.segments)
    current.dates.extend(row.dates)


def _opens_entry(current: RawEntry | None, row: Row, row_has_dates: bool) -> bool:
    """Tell whether a header row starts the next entry rather than adding to this one."""
    text = row.text
    return (
        current is None
        or current.has_body
        or (current.has_dates and row_has_dates and _starts_range(row.dates or [text]))
        # "Georgia Tech  Atlanta, GA" after a dated entry that has its place opens the next
        # one; "PayPal  Apr 2020 – Present" over "Engineer  San Jose, CA" is one entry.
        or (
            current.has_dates
            and len(row.segments) >= 2
            and is_location(row.segments[-1])
            and (len(current.header) != 1 or not current.header[0].dates)
        )
        # A row of dates under a three-row header ("University" / "Hamburg" / "M.Sc.")
        # still dates that entry.
        or (len(current.header) >= 3 and (current.has_dates or bool(row.segments)))
        # "FACEBOOK | SOFTWARE ENGINEER" over its dates, then "COURSERA | INTERN" set the
        # same way: the next entry, though its dates come on the row below.
        or (
            current.has_dates
            and not row.dates
            and len(current.header) >= 2
            and _same_look(row.line, current.header[0].line)
        )
    )


def split_entries(lines: Sequence[Line]) -> list[RawEntry]:
    """Group a section's lines into entries: header lines, then bullets or paragraphs."""
    entries: list[RawEntry] = []
    current: RawEntry | None = None
    for row in _to_rows(lines):
        index = row.line.index
        if current is not None and ((row.kind == "wrap" and current.header) or row.kind == "cont"):
            _continue(current, row)
            continue
        if row.kind in ("bullet", "cont", "wrap"):
            if current is None:
                current = RawEntry()
                entries.append(current)
            if row.text:
                current.bullets.append((row.text, index))
                current.open_list = "bullets"
            current.dates.extend(row.dates)
            continue
        text = row.text
        if text and is_prose(text) and not _header_date(text):
            if current is None or (row.dates and current.has_body and _starts_range(row.dates)):
                current = RawEntry()
                entries.append(current)
            current.prose.append((text, index))
            current.dates.extend(row.dates)
            current.open_list = "prose"
            continue
        row_has_dates = bool(row.dates) or _header_date(text) is not None
        if (
            current is not None
            and len(current.header) >= 3
            and current.header[0].dates
            and not current.has_body
            and not row_has_dates
            and text
        ):
            # An entry dated on its first row is full ("Seit 05/2019  Firma 2 (Ort)" / "Titel
            # 1" / "Titel 2"): a further plain row describes it ("Kurzbeschreibung").
            current.prose.append((text, index))
            current.open_list = "prose"
            continue
        if _opens_entry(current, row, row_has_dates):
            current = RawEntry()
            entries.append(current)
        assert current is not None
        if text:
            current.header.append(row)
            current.open_list = "header"
        current.dates.extend(row.dates)
    return [e for e in entries if e.header or e.bullets or e.prose]


def _same_look(line: Line, first: Line) -> bool:
    """Tell whether a row is set as an entry's first row was (place, size, weight)."""
    if line.x0 is None or first.x0 is None or not first.size:
        return False
    return (
        abs(line.x0 - first.x0) <= 2
        and abs(line.size - first.size) <= 0.2
        and line.bold == first.bold
        and len(line.segments) == len(first.segments)
        and (len(line.segments) >= 2 or line.bold)
    )


def _starts_range(texts: Sequence[str]) -> bool:
    """Tell whether date text opens a period ("2012 – 2017", "2017 –"), not just ends one."""
    found = parse_date_range(" ".join(texts))
    return found is not None and (found.start is not None or not found.end or not found.end.present)


# --- reading an entry's header ---------------------------------------------------------------

_PIECE_SPLIT_RE = re.compile(r"\s+[–—|·•]\s+|\s+-\s+|\s*\|\s*|\t")
_COMMA_SPLIT_RE = re.compile(r",\s*(?![^()]*\))")
_SUFFIX_RE = re.compile(
    r"^(?:inc|llc|l\.l\.c|ltd|limited|corp|co|gmbh|s\.?a|plc|llp|ag|bv|b\.v|pvt\.? ltd|pty ltd)"
    r"\.?$",
    re.IGNORECASE,
)
_AT_RE = re.compile(r"\s+(?:at|@)\s+")


@dataclass(slots=True)
class HeaderParts:
    chunks: list[str]
    location: str | None
    dates: DateRange | None
    ordered_pairs: list[tuple[str, str]]  # (title, company) read from "Title at Company"
    placed: set[str] = field(default_factory=set)  # chunks that carried "(Town)": employers


# "Firma 2 (Hamburg)": an employer or school with its town in brackets, as German CVs write it.
_PLACED_RE = re.compile(
    r"^(?P<name>\S.*?)\s*\((?P<town>[A-ZÀ-Þ][a-zà-ÿ'’.-]+(?:[ -][A-ZÀ-Þ][a-zà-ÿ'’.-]+){0,2})\)$"
)
_NOT_TOWNS = frozenset(
    [
        "remote",
        "contract",
        "freelance",
        "hybrid",
        "internship",
        "intern",
        "part-time",
        "full-time",
        "temporary",
        "volunteer",
        "sabbatical",
        "onsite",
    ]
)


def _placed(part: str) -> tuple[str, str] | None:
    """Split "Firma 2 (Hamburg)" into the name and the town; None if it isn't one."""
    match = _PLACED_RE.match(part)
    if match is None or match.group("town").lower() in _NOT_TOWNS:
        return None
    if _title_score(match.group("town")) or _company_score(match.group("town")):
        return None
    if _title_score(match.group("name")):
        return None  # "Software Engineer (Front-End)": a title with its speciality
    return match.group("name").strip(), match.group("town")


def _split_commas(text: str) -> list[str]:
    parts: list[str] = []
    for part in _COMMA_SPLIT_RE.split(text):
        part = part.strip()
        if not part:
            continue
        if parts and _SUFFIX_RE.match(part):
            parts[-1] = f"{parts[-1]}, {part}"
        else:
            parts.append(part)
    return parts


def read_header(entry: RawEntry) -> HeaderParts:
    """Split the entry's header lines into name-like chunks, a location and dates."""
    chunks: list[str] = []
    location: str | None = None
    date_texts: list[str] = []
    pairs: list[tuple[str, str]] = []
    placed: set[str] = set()
    starts_only = False
    for segment in _header_segments(entry):
        if is_duration(segment):
            continue
        rest, found = strip_dates(segment) if _header_date(segment) else (segment, None)
        if found is not None and not date_texts:
            date_texts.append(segment[found.span[0] : found.span[1]])
        for piece in _PIECE_SPLIT_RE.split(rest):
            piece = piece.strip(" ,;:")
            if not piece or _DATE_MARKER_RE.match(piece):
                starts_only = starts_only or bool(_START_MARKER_RE.match(piece))
                continue
            if is_location(piece):
                location = location or piece
                continue
            parts, tail = split_location_tail(_split_commas(piece))
            if tail:
                location = location or tail
            for part in parts:
                if split := _placed(part):
                    part, town = split
                    location = location or town
                    placed.add(part)
                at = _AT_RE.split(part, maxsplit=1)
                if len(at) == 2 and at[0] and at[1]:
                    pairs.append((at[0].strip(), at[1].strip()))
                chunks.append(part)
    dates = _combine_dates(date_texts + entry.dates)
    lone_end = dates.end if dates is not None and dates.start is None else None
    if starts_only and dates is not None and lone_end is not None and not lone_end.present:
        dates = DateRange(start=lone_end, end=None, span=dates.span)
    return HeaderParts(
        chunks=chunks,
        location=location,
        dates=dates,
        ordered_pairs=pairs,
        placed=placed,
    )


def _header_segments(entry: RawEntry) -> list[str]:
    """Return the header's text pieces, rejoining a header wrapped after a comma."""
    segments: list[str] = []
    wrapped = False
    for row in entry.header:
        for n, segment in enumerate(row.segments):
            if n == 0 and wrapped and segments:
                segments[-1] = f"{segments[-1]} {segment}"
            else:
                segments.append(segment)
        wrapped = bool(segments) and segments[-1].rstrip().endswith(",")
    return segments


def _combine_dates(texts: list[str]) -> DateRange | None:
    """Parse date pieces found apart ("2017 –" beside one line, "Present" beside the next)."""
    texts = [t.strip() for t in texts if t.strip()]
    if not texts:
        return None
    combined = texts[0]
    for text in texts[1:]:
        first = parse_date_range(combined)
        if first is not None and first.start is not None and first.end is not None:
            break  # already a full range; later pieces are extra (a second date column)
        if re.search(r"(?:[-–—~]|\bto)\s*$", combined) or re.match(r"^\s*[-–—~]", text):
            combined = f"{combined} {text}"
        else:
            combined = f"{combined} – {text}"
    return parse_date_range(combined)


_TITLE_WORDS = word_set(
    """
    engineer engineers developer developers programmer manager managers intern internship
    founder co-founder cofounder cto ceo cfo coo cio cpo cmo vp president director head lead
    leader scientist researcher analyst consultant designer architect administrator admin
    specialist associate assistant officer coordinator technician strategist owner partner
    principal staff senior sr junior jr fellow professor lecturer teacher tutor instructor
    postdoc postdoctoral student trainee apprentice executive representative advisor adviser
    editor writer devops sre qa tester accountant auditor nurse physician attorney lawyer
    paralegal clerk supervisor operator mechanic electrician chef volunteer member contractor
    freelancer freelance maintainer contributor evangelist advocate recruiter marketer planner
    secretary receptionist therapist pharmacist surgeon mentor coach trainer chair chairman
    sde swe mts ai/ml treasurer captain ambassador organizer organiser cashier barista
    lifeguard counselor counsellor server waiter waitress
    entwickler entwicklerin softwareentwickler softwareentwicklerin ingenieur ingenieurin
    werkstudent werkstudentin praktikant praktikantin berater beraterin leiter leiterin
    ingénieur ingénieure développeur développeuse stagiaire responsable chargé chargée
    desarrollador desarrolladora ingeniero ingeniera becario becaria jefe jefa analista
    engenheiro engenheira desenvolvedor desenvolvedora estagiário estagiária gerente
    sviluppatore sviluppatrice ingegnere stagista consulente programmatore tirocinante
    stagiair ontwikkelaar adviseur medewerker
    assistante consultante directeur directrice gestionnaire technicienne analyste
    asistente coordinador coordinadora cientista analista assistente coordenador
    ingegnera progettista responsabile impiegato impiegata productmanager analist
    beheerder
    """
)
# German and Dutch write titles as compounds ("Backend-Entwickler", "Softwareentwicklerin").
_TITLE_SUFFIXES = (
    "entwickler", "entwicklerin", "ingenieur", "ingenieurin", "berater", "beraterin", "leiter",
    "leiterin", "manager", "managerin", "analyst", "analystin", "architekt", "architektin",
    "engineer", "developer", "ontwikkelaar", "adviseur", "analist", "beheerder",
)  # fmt: skip
# Titles that say the role is an internship, whatever heading it sits under.
_INTERN_RE = re.compile(
    r"\b(?:intern|internship|werkstudent(?:in)?|praktikant(?:in)?|stagiaire|becari[oa]|"
    r"estagi[áa]ri[oa]|tirocinante|stagista|stagiair|summer (?:analyst|associate))\b",
    re.IGNORECASE,
)


def is_internship_title(title: str | None) -> bool:
    """Tell whether a job title names an internship ("Software Engineering Intern")."""
    return bool(title and _INTERN_RE.search(title))


_COMPANY_WORDS = word_set(
    """
    inc inc. llc ltd ltd. corp corp. corporation company co. technologies technology labs lab
    research solutions group systems software bank university college institute ai studio
    studios agency partners capital ventures consulting health foundation gmbh plc holdings
    networks media games interactive club society association council committee trust
    hospital
    """
)


def _words(text: str) -> list[str]:
    return [w.strip("(),.:;").lower() for w in re.split(r"[\s/]+", text) if w.strip("(),.:;")]


def _title_word(word: str) -> bool:
    if word in _TITLE_WORDS:
        return True
    return len(word) > 6 and word.split("-")[-1].endswith(_TITLE_SUFFIXES)


def _title_score(text: str) -> int:
    return sum(1 for w in _words(text) for part in w.split("&") if _title_word(part))


def _company_score(text: str) -> int:
    score = sum(1 for w in _words(text) if w in _COMPANY_WORDS)
    return score + (1 if _SUFFIX_RE.search(text.split(",")[-1].strip()) else 0)


def _finish_dates(entry: WorkEntry | EducationEntry, dates: DateRange | None) -> None:
    if dates is None:
        return
    entry.start = dates.start
    entry.end = dates.end


def parse_work(entry: RawEntry) -> WorkEntry:
    """Read one job: company, title, location and dates from the header, then its bullets."""
    parts = read_header(entry)
    work = WorkEntry(location=parts.location, bullets=[t for t, _ in entry.body()])
    chunks = [c for c in parts.chunks if not re.fullmatch(r"[\W\d]+", c)]
    if parts.ordered_pairs:
        work.title, work.company = parts.ordered_pairs[0]
    elif len(chunks) == 1:
        if _title_score(chunks[0]) > _company_score(chunks[0]):
            work.title = chunks[0]
        else:
            work.company = chunks[0]
    elif chunks:
        # A job-title word decides ("Research Intern" beats "NVIDIA Research"); with none,
        # "Title, Company" is the most common order. A name with its town in brackets
        # ("Firma 2 (Ort)") is the employer.
        def company(i: int) -> int:
            return _company_score(chunks[i]) + (2 if chunks[i] in parts.placed else 0)

        title_i = max(
            range(len(chunks)),
            key=lambda i: (
                _title_score(chunks[i]) > 0,
                _title_score(chunks[i]) - company(i),
                -i,
            ),
        )
        rest = [i for i in range(len(chunks)) if i != title_i]
        company_i = max(rest, key=lambda i: (company(i) - _title_score(chunks[i]), -i))
        work.title = chunks[title_i]
        work.company = chunks[company_i]
    dates = parts.dates
    if dates is not None:
        work.end = dates.end
        # A lone date on a job ("Google, 2019") is both when it started and when it ended.
        work.start = dates.start or (dates.end if dates.end and not dates.end.present else None)
        work.current = bool(dates.end and dates.end.present)
    return work


_DEGREE_RE = re.compile(
    r"^(?:"
    r"(?:Bachelor|Master|Doctor|Associate)(?:'?s|’s)?(?:\s+(?:of|in)\s+(?:[A-Z][\w.]*)"
    r"(?:\s+(?:and\s+)?[A-Z][\w.]*)*)?(?:\s+\((?:Hons?|Honou?rs)\.?\))?"
    r"|Ph\.?\s?D\.?|D\.?\s?Phil\.?|Doctorate|M\.?\s?B\.?\s?A\.?|Executive MBA|EMBA"
    r"|M\.?\s?Sc\.?|M\.?\s?S\.?|M\.?\s?A\.?|M\.?\s?Eng\.?|M\.?\s?Tech\.?|M\.?\s?Phil\.?|M\.?\s?Res"
    r"|M\.?\s?Com|M\.?\s?C\.?\s?A\.?|M\.?\s?F\.?\s?A\.?|M\.?\s?P\.?\s?H\.?"
    r"|B\.?\s?Sc\.?|B\.?\s?S\.?|B\.?\s?A\.?|B\.?\s?Eng\.?|B\.?\s?E\.?|B\.?\s?Tech\.?|B\.?\s?Com"
    r"|B\.?\s?C\.?\s?A\.?|B\.?\s?F\.?\s?A\.?|B\.?\s?B\.?\s?A\.?|LL\.?\s?[BM]\.?|J\.?\s?D\.?"
    r"|M\.?\s?D\.?|A\.?\s?A\.?|A\.?\s?S\.?|HND|BTEC|A[- ]Levels?|GCSEs?|High School(?: Diploma)?"
    r"|(?:Postgraduate |Graduate )?Diploma|(?:Graduate )?Certificate"
    # German, French, Spanish, Portuguese, Italian and Dutch degrees.
    r"|Diplom(?:-\w+)?|Staatsexamen|Abitur|Licence(?: professionnelle)?|Ma[iî]trise|Doctorat"
    r"|Dipl[oô]me d['’]ing[ée]nieur|BTS|DUT|Grado|Licenciatura|Licenciado|M[áa]ster|Doctorado"
    r"|Mestrado|Doutorado|Laurea(?: (?:[Tt]riennale|[Mm]agistrale|[Ss]pecialistica))?|Dottorato"
    r"|HBO|WO|Propedeuse"
    r")(?![\w])",
)
_INSTITUTION_RE = re.compile(
    r"\b(?:university|universit[éyä]t?|universidad|università|college|institute|institut|"
    r"school|academy|polytechnic|politecnico|conservatory|seminary|iit|tech|universidade|"
    r"universiteit|hochschule|fachhochschule|école|ecole|escola|escuela|instituto|istituto|"
    r"politécnica|politécnico|hogeschool|universitat|iut|gymnasium|lycée|liceo|colegio)\b",
    re.IGNORECASE,
)
_GRADE_RE = re.compile(
    r"\b(?:c?gpa|grade|score|percentage|marks)\s*[:\-]?\s*(\d+(?:\.\d+)?\s*(?:/\s*\d+(?:\.\d+)?)?%?)"
    r"|\b(first[- ]class(?: honou?rs)?|upper second|2:1|distinction|"
    r"summa cum laude|magna cum laude|cum laude)\b",
    re.IGNORECASE,
)
_FIELD_WORD_RE = re.compile(
    r"\b(?:science|sciences|engineering|studies|mathematics|math|arts|management|administration|"
    r"design|technology|physics|chemistry|biology|economics|finance|law|medicine|psychology|"
    r"history|literature|philosophy|education|nursing|accounting|marketing|statistics|"
    r"informatics|computing|business|commerce|languages?|linguistics|architecture|music|"
    r"specialization|major|minor|concentration|honou?rs)\b",
    re.IGNORECASE,
)
_FIELD_PREFIX_RE = re.compile(r"^(?:(?:in|of|en|em|di|de)\b|,|:|-|–)\s*", re.IGNORECASE)


_DEGREE_ANY_CASE_RE = re.compile(_DEGREE_RE.pattern, re.IGNORECASE)


def _split_degree(chunk: str) -> tuple[str, str | None] | None:
    # A heading set in capitals ("MENG IN COMPUTER SCIENCE") is read without case.
    pattern = _DEGREE_ANY_CASE_RE if chunk.isupper() else _DEGREE_RE
    match = pattern.match(chunk)
    if match is None:
        return None
    degree = match.group(0).strip()
    rest = _FIELD_PREFIX_RE.sub("", chunk[match.end() :].strip()).strip()
    return degree, (rest or None)


def parse_education(entry: RawEntry) -> EducationEntry:
    """Read one degree: institution, degree, field, dates and grade."""
    parts = read_header(entry)
    edu = EducationEntry(location=parts.location, bullets=[t for t, _ in entry.body()])
    remaining: list[str] = []
    degrees: list[tuple[str, str | None]] = []
    for chunk in parts.chunks:
        split = _split_degree(chunk)
        if split is not None:
            degrees.append(split)
        elif not _GRADE_RE.search(chunk):
            remaining.append(chunk)
    if degrees:
        edu.degree, edu.field = max(degrees, key=lambda d: d[1] is not None)
    institution_i = next((i for i, c in enumerate(remaining) if _INSTITUTION_RE.search(c)), None)
    if institution_i is None:
        institution_i = next((i for i, c in enumerate(remaining) if c in parts.placed), None)
    if institution_i is None and remaining:
        # No keyword ("MIT", "CalTech"): an acronym, else the chunk least like a field of study.
        acronyms = [i for i, c in enumerate(remaining) if re.fullmatch(r"[A-Z][A-Za-z&.]{1,9}", c)]
        plain = [i for i, c in enumerate(remaining) if not re.search(r"\b(?:in|of)\b", c)]
        institution_i = (acronyms or plain or [len(remaining) - 1])[-1 if not acronyms else 0]
    if institution_i is not None:
        edu.institution = remaining[institution_i]
        others = [c for i, c in enumerate(remaining) if i != institution_i]
        following = remaining[institution_i + 1] if institution_i + 1 < len(remaining) else None
        if (
            following
            and edu.institution not in parts.placed
            and len(following.split()) <= 2
            and not _FIELD_WORD_RE.search(following)
        ):
            # "University of California, Berkeley": the campus belongs to the name.
            edu.institution = f"{edu.institution}, {following}"
            others.remove(following)
        if edu.field is None and others:
            edu.field = others[0]
    _finish_dates(edu, parts.dates)
    texts = [r.text for r in entry.header] + [t for t, _ in entry.body()]
    for text in texts:
        if grade := _GRADE_RE.search(text):
            edu.grade = (grade.group(1) or grade.group(2)).strip()
            break
    _clean_institution(edu)
    return edu


# "3.8 GPA", "GPA 3.8/4.0", "(CGPA: 8.9)" glued to an institution's name.
_GLUED_GRADE_RE = re.compile(
    r"[\s,;(|-]*(?:\b(?:c?gpa|grade)\s*[:\-]?\s*)?(\d{1,2}(?:\.\d{1,2})?(?:\s*/\s*\d{1,3}"
    r"(?:\.\d+)?)?)\s*(?:c?gpa\b)?\)?\s*$",
    re.IGNORECASE,
)
# "College of Engineering Pune": a town after a name that ends in its field of study.
_GLUED_TOWN_RE = re.compile(
    r"^(?P<name>.*\b(?:college|institute|school|academy|university|faculty)\s+of\s+"
    r"(?:[A-Z][\w.]*\s+(?:and\s+|&\s+)?)*?(?:engineering|technology|sciences?|arts|commerce|"
    r"management|medicine|law|business|economics|design|pharmacy|education))"
    r"[\s,]+(?P<town>[A-Z][a-zà-ÿ]+(?:\s+[A-Z][a-zà-ÿ]+)?)$",
    re.IGNORECASE,
)


def _clean_institution(edu: EducationEntry) -> None:
    """Move a grade or a town glued onto the institution's name to their own fields."""
    if edu.field:
        # "Computer Science; GPA: 4.00": the grade is read on its own.
        edu.field = re.split(r"[;,(]\s*(?:c?gpa|grade)\b", edu.field, flags=re.IGNORECASE)[0]
        edu.field = edu.field.strip(" ,;") or None
    name = edu.institution
    if not name:
        return
    grade = _GLUED_GRADE_RE.search(name)
    if grade and re.search(r"gpa|grade", grade.group(0), re.IGNORECASE):
        edu.grade = edu.grade or grade.group(1).replace(" ", "")
        name = name[: grade.start()].strip(" ,;(|-")
    town = _GLUED_TOWN_RE.match(name)
    if town and town.group("town")[0].isupper():
        name = town.group("name")
        edu.location = edu.location or town.group("town")
    edu.institution = name or edu.institution


def parse_project(entry: RawEntry, *, links: Sequence[LinkRef] = ()) -> Project:
    """Read one project: its name, dates, description and bullets."""
    parts = read_header(entry)
    project = Project(bullets=[t for t, _ in entry.body()])
    first = entry.header[0] if entry.header else None
    if first is not None:
        name_text, _ = strip_dates(first.segments[0]) if first.segments else ("", None)
        name = _PIECE_SPLIT_RE.split(name_text)[0].strip(" ,;:")
        project.name = name or None
        extra = [r.text for r in entry.header[1:]]
        if extra:
            project.description = " ".join(extra)
        elif entry.prose:
            # A paragraph under a project describes it; bullets, if any, stay as bullets.
            project.description = " ".join(text for text, _ in entry.prose)
            project.bullets = [text for text, _ in entry.bullets]
    elif project.bullets:
        project.name = project.bullets.pop(0)
    if parts.dates is not None:
        project.start = parts.dates.start
        project.end = parts.dates.end
    texts = [r.text for r in entry.header] + project.bullets + [project.description or ""]
    for text in texts:
        if url := re.search(r"https?://\S+|(?:github\.com|gitlab\.com)/\S+", text):
            project.url = url.group(0).rstrip(".,;)")
            break
    else:
        # A PDF often links the project's name instead of printing the address.
        lines = [row.line for row in entry.header[:1]]
        for link in links:
            if link.uri.startswith("http") and any(
                link.page == ln.page and abs(link.top - ln.top) < (4 if ln.x0 is not None else 0.5)
                for ln in lines
            ):
                project.url = link.uri
                break
    return project
