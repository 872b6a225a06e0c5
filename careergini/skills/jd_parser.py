"""Read a job description into a ParsedJob: title, level, years, skills by importance, pay, place.

Pure and deterministic: text in, data out, no I/O. Every value keeps the words that decided it.
The JD is data: nothing written in it is ever followed. A line that reads like an instruction to
a model ("ignore previous instructions...") is set aside, unparsed, and named in ``warnings`` for
whoever later puts the JD in front of one.

How skills get their importance: the section a mention sits in decides first (a requirements
heading -> required, a nice-to-have heading -> preferred, the intro and the duties -> mentioned),
then cues in the mention's own clause override it ("... is a plus", "(preferred)" -> preferred;
"(required)", "must have" -> required; in the intro and the duties, requirement wording such as
"experience with" or "3+ years" -> required). A skill named in several places takes the most
explicit ask: required, else preferred, else mentioned. Benefits, how-to-apply and EEO text
name no skills the candidate is asked for, so mentions there are not counted.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from careergini.skills.jd_schemas import (
    Cue,
    EmploymentInfo,
    EmploymentType,
    ExperienceRequirement,
    JobSection,
    JobSkill,
    ParsedJob,
    RemoteInfo,
    RemotePolicy,
    SalaryPeriod,
    SalaryRange,
    SectionKind,
    Seniority,
    SeniorityInfo,
    SkillEvidence,
    SkillImportance,
)

_EVIDENCE_CHARS = 300  # an evidence line longer than this is cut around the mention
_HEADER_LINES = 8  # title, company and place are read from the first lines only
_MAX_YEARS = 40.0

# Merging mentions of one skill: an explicit ask (required, then preferred) beats a bare mention,
# so "Kafka" in the intro and under "Nice to have" is preferred.
_IMPORTANCE_RANK = {
    SkillImportance.REQUIRED: 0,
    SkillImportance.PREFERRED: 1,
    SkillImportance.MENTIONED: 2,
}
# Listing: a mentioned skill is asked for, if less firmly than a required one; before preferred.
_LISTING_RANK = {
    SkillImportance.REQUIRED: 0,
    SkillImportance.MENTIONED: 1,
    SkillImportance.PREFERRED: 2,
}
# Skills named here are not asked of the candidate (a benefit, the application address).
_UNCOUNTED_SECTIONS = frozenset({SectionKind.BENEFITS, SectionKind.APPLY, SectionKind.LEGAL})
# Where requirement wording in a clause ("experience with X") makes X required.
_PROMOTING_SECTIONS = frozenset(
    {SectionKind.INTRO, SectionKind.OTHER, SectionKind.RESPONSIBILITIES}
)
_SECTION_IMPORTANCE = {
    SectionKind.REQUIREMENTS: SkillImportance.REQUIRED,
    SectionKind.PREFERRED: SkillImportance.PREFERRED,
}

# ---------------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


_BULLET_RE = re.compile(
    r"^\s*(?:[•◦◆◇▪▫■□●○◉►▶▸▹‣⁃∙·➢➤✓✔❖★☆⦿–—]|[-*+](?=\s)|\d{1,2}[.)](?=\s)|\(?[a-zA-Z]\)(?=\s))\s*"
)
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+?)\1")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TERMINAL_PUNCT = (".", "!", "?", ":")
_CONNECTOR_END_RE = re.compile(
    r"(?:[,/&(-]|\b(?:and|or|of|the|a|an|to|in|with|for|on|by|as|at|from|including|like|"
    r"such as|via|into|using|across|between|our|your|their|its|is|are|be|will|that|which))$",
    re.IGNORECASE,
)
# A word broken at a line end whose hyphen is part of the compound ("low-" + "latency").
_HYPHEN_PREFIXES = frozenset(
    _words(
        "low high well self full real cross multi non co end front back open event data "
        "test user client server cloud object cutting fast long short team customer "
        "mission cost time"
    )
)


@dataclass(slots=True)
class _Heading:
    kind: SectionKind | None  # None: a label or sub-heading that does not start a section
    text: str  # the heading as written, without its trailing colon
    rest: str  # text after "Heading:" on the same line
    job_specific: bool  # a heading a resume would not have ("Responsibilities", not "Skills")


@dataclass(slots=True)
class _PhysicalLine:
    number: int  # 1-based line of the input text
    text: str  # cleaned, without its bullet mark
    bullet: bool
    blank_before: bool
    heading: _Heading | None = None


@dataclass(slots=True)
class _LogicalLine:
    """One item or paragraph: wrapped physical lines joined, with where each piece came from."""

    text: str
    pieces: list[tuple[int, int]]  # (offset in text, physical line number)
    bullet: bool
    section: int = 0
    heading: _Heading | None = None
    body_start: int = 0  # where the content starts after an inline "Heading:"
    blank_before: bool = False
    lower: str = ""  # the text lowercased, for cheap keyword checks before a regex runs

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def number(self) -> int:
        return self.pieces[0][1]

    def line_at(self, offset: int) -> int:
        index = bisect.bisect_right([p[0] for p in self.pieces], offset) - 1
        return self.pieces[max(index, 0)][1]


@dataclass(slots=True)
class _Section:
    kind: SectionKind
    heading: str | None
    start_line: int
    end_line: int
    job_specific: bool = False


@dataclass(slots=True)
class _Document:
    lines: list[_LogicalLine]
    sections: list[_Section]
    first_lines: list[_PhysicalLine] = field(default_factory=list)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE_RE.sub("", text)
    text = _MD_EMPHASIS_RE.sub(r"\2", text)
    text = text.replace("`", "")
    return _SPACES_RE.sub(" ", text).strip()


def _read_lines(text: str) -> list[_PhysicalLine]:
    lines: list[_PhysicalLine] = []
    blank = False
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        markdown_heading = bool(_MD_HEADING_RE.match(raw))
        cleaned = _clean(_MD_HEADING_RE.sub("", raw))
        bullet_match = _BULLET_RE.match(cleaned) if not markdown_heading else None
        if bullet_match:
            cleaned = cleaned[bullet_match.end() :].strip()
        if not re.search(r"\w", cleaned):
            blank = True
            continue
        line = _PhysicalLine(number, cleaned, bool(bullet_match), blank or not lines)
        line.heading = _detect_heading(cleaned, bullet=line.bullet, marked=markdown_heading)
        lines.append(line)
        blank = False
    return lines


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


def _norm_heading(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("’", "'").replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


_H_PREFIX = (
    r"(?:(?:key|basic|minimum|min|job|technical|essential|mandatory|required|necessary|core|"
    r"general|professional|relevant|work|your|the|our|desired|must|soft|hard|functional|"
    r"specific|educational|academic)\s+)*"
)
# Full-line headings, tried in order; the first match decides the kind.
_KNOWN_HEADINGS: tuple[tuple[SectionKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            SectionKind.PREFERRED,
            r"(?:(?:nice|good|great) to haves?|bonus(?: points)?|extra credit|pluses|plus|"
            r"preferred|desirable|optional|ideally|even better|it s a plus|"
            r"(?:bonus|additional|preferred|desirable|desired|optional|nice to have) "
            r"(?:skills?|qualifications?|experience|requirements?|knowledge|points)|"
            r"(?:skills?|qualifications?|experience) (?:preferred|desired|nice to have)|"
            r"what would make you stand out|you might also have|it would be (?:great|nice).*|"
            r"(?:nice|good|great) to have .*)",
        ),
        (
            SectionKind.REQUIREMENTS,
            r"(?:(?:duties|responsibilities|skills|experience) and "
            r"(?:requirements|qualifications|skills|experience)|"
            r"(?:requirements|qualifications|skills) and (?:qualifications|experience|skills|"
            r"requirements|abilities|competencies)|"
            rf"{_H_PREFIX}(?:requirements?|qualifications?|qulifications?|skills?|skill ?sets?|"
            r"prerequisites?|competencies|competences|experience|education|languages?|"
            r"skills? required|skills? needed|required skills?|requirements? and skills|"
            r"skill ?sets? requirements|programming languages? (?:needed|required)|"
            r"knowledge skills and abilities|years of experience)(?: required| needed)?|"
            r"(?:necessary )?prerequisites?(?: .*)?|what you ?(?:ll|will)? need(?: to succeed)?|"
            r"what you need|what we re looking for|what we are looking for|"
            r"who (?:you are|we re looking for|we are looking for)|about you|you have|you are|"
            r"you should have|you will have|you bring|what you ?(?:ll|will)? bring|"
            r"must haves?|must have skills|(?:the )?ideal candidate(?: profile)?|"
            r"(?:desired )?candidate(?:s)? profile|your (?:profile|skills|background|"
            r"experience|qualifications)|is this you|what it takes|what you ll need)",
        ),
        (
            SectionKind.RESPONSIBILITIES,
            r"(?:(?:key|main|primary|core|your|job|major|essential|the|day to day) )*"
            r"(?:responsibilities|responsibility|duties|accountabilities|tasks|"
            r"responsibility areas|result areas)(?: and (?:duties|responsibilities))?|"
            r"roles? and responsibilities|role responsibilities|what you ?(?:ll|will)? do|"
            r"what you ll be doing|what you will be doing|(?:the|your) role|in this role.*|"
            r"day to day|a day in the life|the job|what the job involves|your (?:mission|impact)|"
            r"what you ll work on|what you will work on|the work|your day",
        ),
        (
            SectionKind.BENEFITS,
            r"(?:our )?(?:benefits|perks)(?: and (?:benefits|perks))?|what we offer|we offer|"
            r"what (?:you ll|you will|you) get|compensation(?: and benefits)?|remuneration|"
            r"salary(?: and benefits)?|why (?:join us|us|work with us|work for us|you ll love.*)|"
            r"what s in it for you|pay and benefits",
        ),
        (
            SectionKind.APPLY,
            r"how to apply|to apply|application process|next steps|interview process|"
            r"our hiring process|hiring process",
        ),
        (
            SectionKind.LEGAL,
            r"(?:equal (?:opportunity|employment).*|eeo.*|diversity.*|"
            r"(?:our )?commitment to diversity.*|accommodations?.*)",
        ),
        (
            SectionKind.INTRO,
            r"(?:job|role|position) (?:description|summary|overview|profile|purpose)|"
            r"about (?:the|this) (?:job|role|position|opportunity)|"
            r"(?:the )?(?:opportunity|summary|overview|description|position)|job brief",
        ),
        (
            SectionKind.ABOUT,
            r"about(?: us| the company| the team| our company| our team)?|who we are|"
            r"(?:the|our) (?:company|team|mission|story)|company (?:overview|profile|description)|"
            r"about [a-z0-9][a-z0-9 ]{0,40}",
        ),
    )
)
# Keywords that classify a line ending with ":" or "-" that is not a known heading.
_KEYWORD_HEADINGS: tuple[tuple[SectionKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            SectionKind.PREFERRED,
            r"\b(?:nice to have|good to have|bonus|preferred|desirable|pluses|optional)\b",
        ),
        (
            SectionKind.REQUIREMENTS,
            r"\b(?:requirements?|qualifications?|prerequisites?|must have|skills?|"
            r"experience|education|what you ?(?:ll|will)? need|candidate)\b",
        ),
        (
            SectionKind.RESPONSIBILITIES,
            r"\b(?:responsibilit\w*|duties|what you ?(?:ll|will)? do|role)\b",
        ),
        (
            SectionKind.BENEFITS,
            r"\b(?:benefits?|perks?|we offer|compensation|remuneration)\b",
        ),
        (SectionKind.APPLY, r"\b(?:how to apply|apply)\b"),
    )
)
# Section kinds a "Heading: text" line may open; others ("Salary: $90k") are facts, not sections.
_INLINE_KINDS = frozenset(
    {SectionKind.REQUIREMENTS, SectionKind.PREFERRED, SectionKind.RESPONSIBILITIES}
)
# Headings a resume has too: they don't make a text look like a job description.
_RESUME_HEADINGS = frozenset(
    _phrases(
        "experience|education|skills|skill|languages|language|qualifications|qualification|"
        "summary|overview|description|profile|professional experience|work experience|"
        "technical skills"
    )
)
_HEADING_SEPARATOR_RE = re.compile(r"\s*(?::|：|\s[-–—]|[-–—]$)\s*")


def _known_kind(norm: str) -> SectionKind | None:
    for kind, pattern in _KNOWN_HEADINGS:
        if pattern.fullmatch(norm):
            return kind
    return None


def _detect_heading(text: str, *, bullet: bool, marked: bool) -> _Heading | None:
    """Tell whether a line is a section heading, a label, or "Heading: content"."""
    if bullet or text.count("(") != text.count(")"):
        return None  # "Experience)" closes a wrapped title; it heads nothing
    head, rest = text, ""
    trailing = False
    match = _HEADING_SEPARATOR_RE.search(text)
    if match:
        head, rest = text[: match.start()].strip(), text[match.end() :].strip()
        trailing = not rest
    if not head or head.endswith(".") or len(head.split()) > 8 or len(head) > 80:
        return None
    norm = _norm_heading(head)
    if not norm:
        return None
    job_specific = norm not in _RESUME_HEADINGS
    kind = _known_kind(norm)
    if rest:
        if kind in _INLINE_KINDS and len(head.split()) <= 5:
            return _Heading(kind, head, rest, job_specific)
        # "Necessary prerequisites - skills": a known heading whose tail is a qualifier.
        whole = _norm_heading(text)
        if not text.endswith(".") and len(text.split()) <= 8 and (k := _known_kind(whole)):
            return _Heading(k, text, "", job_specific)
        return None
    if kind is not None:
        return _Heading(kind, head, "", job_specific)
    if not (trailing or marked):
        return None
    if marked and not trailing and _ROLE_NOUN_RE.search(head):
        return None  # "# Senior Data Engineer" is the title, not a section
    for keyword_kind, pattern in _KEYWORD_HEADINGS:
        if pattern.search(norm):
            return _Heading(keyword_kind, head, "", job_specific)
    if marked or (trailing and head.isupper()):
        return _Heading(SectionKind.OTHER, head, "", True)
    return _Heading(None, head, "", False)


_LABEL_LINE_RE = re.compile(r"^[A-Z][\w'’ /&()-]{0,40}:\s*\S")


def _continues(previous: _LogicalLine, line: _PhysicalLine, *, wrapped_text: bool) -> bool:
    """Tell whether a physical line carries on the logical line before it (a wrapped line)."""
    if line.bullet or line.blank_before or (line.heading is not None and line.heading.kind):
        return False
    prev = previous.text
    if prev.endswith(_TERMINAL_PUNCT):
        return False
    first = line.text[0]
    if first.islower() or first in "(&":
        return True
    if _CONNECTOR_END_RE.search(prev[-30:]):
        return True
    if _LABEL_LINE_RE.match(line.text):
        return False  # "Job Type: Full-time" starts afresh
    # Hard-wrapped paragraphs, where blank lines part the paragraphs, not line ends.
    return wrapped_text and len(prev) - previous.pieces[-1][0] >= 60


def _join(previous: _LogicalLine, line: _PhysicalLine) -> None:
    prev = previous.text
    word = re.search(r"([A-Za-z]+)-$", prev)
    if word and line.text[0].islower():
        keep = word.group(1).lower() in _HYPHEN_PREFIXES
        joined = prev if keep else prev[:-1]
    else:
        joined = prev + " "
    previous.pieces.append((len(joined), line.number))
    previous.text = joined + line.text


def _build_document(physical: list[_PhysicalLine]) -> _Document:
    wrapped_text = any(p.blank_before for p in physical[1:])
    logical: list[_LogicalLine] = []
    sections = [_Section(SectionKind.INTRO, None, physical[0].number, physical[0].number)]
    for line in physical:
        heading = line.heading
        if heading is not None and heading.kind is not None:
            sections[-1].end_line = max(sections[-1].start_line, line.number - 1)
            if len(sections) == 1 and not logical:
                sections.clear()
            sections.append(
                _Section(heading.kind, heading.text, line.number, line.number, heading.job_specific)
            )
            item = _LogicalLine(line.text, [(0, line.number)], False, len(sections) - 1, heading)
            # "Requirements: 4+ years of Python": the first item is what follows the colon.
            item.body_start = len(line.text) - len(heading.rest) if heading.rest else 0
            item.blank_before = line.blank_before
            logical.append(item)
            continue
        previous = logical[-1] if logical else None
        if (
            previous is not None
            and (previous.heading is None or previous.heading.rest)
            and _continues(previous, line, wrapped_text=wrapped_text)
        ):
            _join(previous, line)
        else:
            item = _LogicalLine(line.text, [(0, line.number)], line.bullet, len(sections) - 1)
            item.heading = heading  # a label such as "Work Remotely:", or None
            item.blank_before = line.blank_before
            logical.append(item)
        sections[-1].end_line = line.number
    for item in logical:
        item.lower = item.text.lower()
    return _Document(lines=logical, sections=sections, first_lines=physical[:_HEADER_LINES])


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


# ---------------------------------------------------------------------------------------------
# Clauses and cues
# ---------------------------------------------------------------------------------------------

_SENTENCE_SPLIT_RE = re.compile(
    r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bvs\.)(?<!\bSr\.)(?<!\bJr\.)"
    r"\s+(?=[A-Z(\"'])|\s*;\s*"
)
_PREFERRED_CUE_RE = re.compile(
    r"\b(?:preferred|preferably|(?:is|are|would be|will be|as)?\s*an? (?:big |huge )?plus|"
    r"nice[- ]to[- ]have|good[- ]to[- ]have|bonus(?: points)?|desirable|advantageous|"
    r"(?:is |would be )?an advantage|ideally|would be (?:great|nice|helpful|beneficial)|"
    r"an asset|is helpful|not (?:required|mandatory|essential|a must)|appreciated|"
    r"optional|extra credit|even better)\b",
    re.IGNORECASE,
)
_REQUIRED_CUE_RE = re.compile(
    r"\((?:required|mandatory|must|must have|essential)\)|"
    r"\b(?:is|are)\s+(?:required|mandatory|essential|a must)\b|"
    r"\brequired\s*[.!]?\s*$|\bmust[- ]haves?\b|"
    r"\bmust (?:have|know|possess|be (?:proficient|familiar|fluent|experienced|able|skilled))\b|"
    r"^\s*(?:required|mandatory)\b",
    re.IGNORECASE,
)
_NOT_REQUIRED_RE = re.compile(r"\bnot (?:required|mandatory|essential|a must)\b", re.IGNORECASE)
_REQUIREMENT_WORDING_RE = re.compile(
    r"\b(?:(?:experience|exp)\s+(?:with|in|using|of|on|building|developing|working|writing|"
    r"designing|deploying|running)|"
    r"(?:knowledge|understanding|proficiency|familiarity|expertise|command|mastery|grasp|"
    r"fluency)\s+(?:of|in|with|on|over)|"
    r"(?:proficient|experienced|skilled|fluent|versed|familiar|comfortable)\s+(?:in|with|using)|"
    r"hands[- ]on\s+experience|\d+\s*\+?\s*(?:years?|yrs)|must\s+(?:have|know|be)|"
    r"(?:you|candidates?)\s+(?:have|know|bring|should have|must have)|should\s+(?:have|know))\b",
    re.IGNORECASE,
)
_PAREN_RE = re.compile(r"\(([^()]{1,200})\)")


@dataclass(slots=True)
class _Clause:
    start: int
    end: int
    preferred: bool
    required: bool
    requirement_wording: bool
    parens: list[tuple[int, int, bool, bool]]  # (start, end, preferred, required) of (...)


def _clauses(text: str) -> list[_Clause]:
    clauses = []
    position = 0
    bounds = [(m.start(), m.end()) for m in _SENTENCE_SPLIT_RE.finditer(text)]
    for split_start, split_end in [*bounds, (len(text), len(text))]:
        if split_start > position:
            clauses.append(_make_clause(text, position, split_start))
        position = split_end
    return clauses


def _make_clause(text: str, start: int, end: int) -> _Clause:
    body = text[start:end]
    parens = []
    outside = body
    for match in _PAREN_RE.finditer(body):
        inner = match.group(1)
        preferred = bool(_PREFERRED_CUE_RE.search(inner))
        required = bool(_REQUIRED_CUE_RE.search(f"({inner})")) and not preferred
        words = re.sub(_PREFERRED_CUE_RE, "", inner)
        words = re.sub(r"\b(?:required|mandatory|must|essential)\b", "", words, flags=re.I)
        if (preferred or required) and re.search(r"\w{2,}", words):
            # "(MBA preferred)": the cue is about what the parentheses name, not the clause.
            parens.append((start + match.start(), start + match.end(), preferred, required))
            outside = outside.replace(match.group(0), " " * len(match.group(0)), 1)
    preferred = bool(_PREFERRED_CUE_RE.search(outside))
    required = not preferred and bool(_REQUIRED_CUE_RE.search(outside.rstrip()))
    if _NOT_REQUIRED_RE.search(outside):
        preferred, required = True, False
    wording = bool(_REQUIREMENT_WORDING_RE.search(outside))
    return _Clause(start, end, preferred, required, wording, parens)


def _importance_at(clauses: list[_Clause], offset: int, kind: SectionKind) -> SkillImportance:
    """Return the importance of a mention at this offset of a logical line in this section."""
    base = _SECTION_IMPORTANCE.get(kind, SkillImportance.MENTIONED)
    clause = next((c for c in clauses if c.start <= offset < c.end), None)
    if clause is None:
        return base
    for start, end, preferred, required in clause.parens:
        if start <= offset < end:
            if preferred:
                return SkillImportance.PREFERRED
            if required:
                return SkillImportance.REQUIRED
    if clause.preferred:
        return SkillImportance.PREFERRED
    if clause.required:
        return SkillImportance.REQUIRED
    if kind in _PROMOTING_SECTIONS and clause.requirement_wording:
        return SkillImportance.REQUIRED
    return base


# ---------------------------------------------------------------------------------------------
# Title, company, location
# ---------------------------------------------------------------------------------------------

_ROLE_NOUNS = (
    "engineer|engineers|developer|developers|programmer|manager|managers|scientist|scientists|"
    "analyst|analysts|designer|designers|architect|architects|administrator|consultant|"
    "specialist|lead|director|head|officer|intern|teacher|tutor|facilitator|accountant|"
    "coordinator|associate|assistant|technician|executive|representative|recruiter|writer|"
    "editor|researcher|nurse|physician|strategist|owner|sre|devops|tester|vp|president|chief|"
    "cto|cio|ceo|cfo|coo|auditor|advisor|adviser|agent|operator|clerk|supervisor|marketer|"
    "trainer|instructor|professor|lecturer|mechanic|electrician|driver|counsel|lawyer|attorney|"
    "paralegal|pharmacist|therapist|economist|statistician|webmaster|artist|animator|producer|"
    "planner|buyer|controller|bookkeeper|cashier|chef|cook|hacker|evangelist|advocate|partner|"
    "expert|professional|generalist|steward|investigator|inspector|surveyor|trader|underwriter|"
    "internship|apprenticeship|fellowship|trainee"
)
_ROLE_NOUN_RE = re.compile(rf"\b(?:{_ROLE_NOUNS})\b", re.IGNORECASE)
_TITLE_LABEL_RE = re.compile(
    r"^(?:job\s+title|position\s+title|position|role|title|job\s+description|job\s+posting|"
    r"vacancy|opening|jd|job)\s*[:\-–—]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_STRONG_TITLE_LABEL_RE = re.compile(
    r"^(?:job\s+title|title|role\s+title)\s*[:\-–—]\s*(?P<value>.+)$", re.IGNORECASE
)
_HIRING_TITLE_RE = re.compile(
    r"\b(?:looking\s+for|hiring|seeking|searching\s+for|recruiting|in\s+search\s+of)\s+"
    r"(?:an?\s+|the\s+|our\s+(?:next\s+|new\s+|first\s+)?|one\s+)?"
    r"(?:(?:talented|experienced|skilled|outstanding|motivated|passionate|seasoned|exceptional|"
    r"incredible|strong|great|dedicated|highly[- ]motivated|driven|creative|brilliant|"
    r"enthusiastic|curious|proactive|detail[- ]oriented)\s*,?\s+(?:and\s+)?)*"
    rf"(?P<title>(?:[\w/+#.&-]+\s+){{0,5}}?(?:{_ROLE_NOUNS})\b(?:\s+(?:I{{1,3}}|IV|[1-4]))?)",
    re.IGNORECASE,
)
_TITLE_STOPWORDS_RE = re.compile(
    r"\b(?:to|for|who|that|which|with|will|can|and\s+a|is|are|you|we|our|your)\b", re.IGNORECASE
)
_TITLE_YEARS_RE = re.compile(r"\s*\((?:[^)]*\b(?:years?|yrs)\b[^)]*)(?:\)|$)", re.IGNORECASE)
_LOOKS_LIKE_SENTENCE_RE = re.compile(
    r"^(?:we|our|you|the|this|as|at|in|join|are|do|if)\b", re.IGNORECASE
)

_US_STATES = _words(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC ON QC BC AB MB NS NSW "
    "VIC QLD"
)
_REGIONS = frozenset(
    s.lower()
    for s in (
        *_US_STATES,
        *_words("USA US U.S. U.S.A. UK U.K. UAE EU EMEA APAC LATAM NCR"),
        *_phrases(
            "United States|United Kingdom|England|Scotland|Wales|Ireland|Northern Ireland|"
            "Canada|Australia|New Zealand|India|Germany|France|Spain|Portugal|Italy|"
            "Netherlands|Belgium|Switzerland|Austria|Sweden|Norway|Denmark|Finland|Poland|"
            "Czech Republic|Czechia|Romania|Hungary|Greece|Turkey|Israel|Egypt|Nigeria|"
            "Kenya|South Africa|Brazil|Mexico|Argentina|Chile|Colombia|Japan|China|"
            "Singapore|Malaysia|Indonesia|Philippines|Vietnam|Thailand|South Korea|Korea|"
            "Pakistan|Bangladesh|Sri Lanka|Ukraine|Estonia|Lithuania|Latvia|Luxembourg|"
            "Remote|California|New York|Texas|Washington|Massachusetts|Illinois|Florida|"
            "Colorado|Georgia|Ontario|Quebec|British Columbia|Haryana|Karnataka|"
            "Maharashtra|Tamil Nadu|Telangana|Delhi|Delhi NCR|Uttar Pradesh|West Bengal|"
            "Gujarat|Kerala|Punjab|Rajasthan|Bavaria|Greater London"
        ),
    )
)
_LOCATION_LABEL_RE = re.compile(
    r"^(?:job\s+|work\s+|office\s+|primary\s+)?(?:locat\w*|based\s+in|city|where|workplace)"
    r"\s*[:\-–—]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_BASED_IN_RE = re.compile(
    r"\bbased\s+(?:in|out\s+of)\s+(?P<value>[A-Z][\w'’-]*(?:(?:\s+|,\s*)[A-Z][\w'’-]*){0,3})"
)
_HEADER_SPLIT_RE = re.compile(r"\s+[·|•—–]\s+|\s+-\s+|\s{2,}")
_COMPANY_LABEL_RE = re.compile(
    r"^(?:company(?:\s+name|\s+profile)?|employer|organi[sz]ation|hiring\s+company|client)"
    r"\s*[:\-–—]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:[A-Z0-9][\w&.'’-]*|&|of|and|de|la))*?"
# Each pattern with the words a line must hold for it to be worth trying.
_COMPANY_PROSE_RES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(rf"(?:^|[.!?]\s+)At\s+(?P<value>{_NAME}),\s+(?:we|our)\b"), ("at ",)),
    (
        re.compile(
            rf"(?:^|[.!?]\s+)(?P<value>{_NAME})\s+(?:is|are)\s+(?:an?|the)\s+"
            r"(?:[\w-]+\s+){0,6}?(?:company|leader|startup|firm|provider|business|organi[sz]ation|"
            r"agency|platform|team|group|studio|consultancy|marketplace|bank|employer)\b"
        ),
        (" is ", " are "),
    ),
    (
        re.compile(
            rf"\b(?:as|is)\s+an?\s+(?:[\w-]+\s+){{1,5}}?at\s+(?P<value>{_NAME})"
            r"(?=[,.]|\s+(?:you|is|will))"
        ),
        (" at ",),
    ),
    (re.compile(rf"\bjoin\s+(?P<value>{_NAME})(?:'s)?\s+(?:as|in|and|to|on)\b"), ("join ",)),
)
_NOT_COMPANY = frozenset(
    _words(
        "we our the this it there that here you he she they each a an us job role team "
        "position company about"
    )
)


def _dedupe_repeat(text: str) -> str:
    """Undo a title pasted twice ("Director, Cloud" + "Director, Cloud")."""
    half = len(text) // 2
    if len(text) % 2 == 0 and half > 3 and text[:half] == text[half:]:
        return text[:half]
    return text


def _tidy_title(text: str) -> str:
    text = _dedupe_repeat(text.strip())
    text = _TITLE_YEARS_RE.sub("", text)
    text = re.sub(r"^(?:job\s+description|job\s+title|position)\s*[:\-–—]\s*", "", text, flags=re.I)
    return text.strip(" -–—:|,.")


def _looks_like_title(text: str) -> bool:
    text = _tidy_title(text)
    words = text.split()
    if not 1 <= len(words) <= 10 or text.endswith((".", "!", "?")):
        return False
    if _LOOKS_LIKE_SENTENCE_RE.match(text) or ":" in text:
        return False
    return bool(_ROLE_NOUN_RE.search(text))


def _find_title(doc: _Document) -> tuple[str | None, Cue | None]:
    first = doc.first_lines
    for line in first:
        label = _STRONG_TITLE_LABEL_RE.match(line.text)
        if label and _looks_like_title(label.group("value")):
            return _tidy_title(label.group("value")), Cue(text=line.text, line=line.number)
    for line in first[:3]:
        if line.heading is not None and line.heading.kind is not None and not line.heading.rest:
            continue
        label = _TITLE_LABEL_RE.match(line.text)
        if label and _looks_like_title(label.group("value")):
            return _tidy_title(label.group("value")), Cue(text=line.text, line=line.number)
        if _looks_like_title(line.text):
            return _tidy_title(line.text), Cue(text=line.text, line=line.number)
        break  # only the very first content line may be a bare title
    for line in first:
        label = _TITLE_LABEL_RE.match(line.text)
        if label and _looks_like_title(label.group("value")):
            return _tidy_title(label.group("value")), Cue(text=line.text, line=line.number)
    for logical in doc.lines[:12]:
        for match in _HIRING_TITLE_RE.finditer(logical.text):
            title = match.group("title").strip()
            if _TITLE_STOPWORDS_RE.search(title):
                continue
            if title.islower():
                title = " ".join(w if w.isupper() else w.capitalize() for w in title.split())
            line = logical.line_at(match.start("title"))
            return title, Cue(text=match.group(0), line=line)
    return None, None


def _split_place(text: str) -> tuple[str | None, str | None]:
    """Split "Acme, San Francisco, CA, USA" into (company, place); (None, None) if no place."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or len(parts) > 5 or not all(parts) or len(text) > 80:
        if text.strip().lower() in _REGIONS and text.strip().lower() != "remote":
            return None, text.strip()
        return None, None
    regions = 0
    while regions < len(parts) and parts[len(parts) - 1 - regions].lower() in _REGIONS:
        regions += 1
    if regions == 0:
        return None, None
    rest = parts[: len(parts) - regions]
    if not rest:
        return None, ", ".join(parts)
    if not all(re.fullmatch(r"[A-Z][\w.'’ -]*", p) for p in rest):
        return None, None
    if len(rest) == 1:
        return None, ", ".join(parts)
    return ", ".join(rest[:-1]), ", ".join(parts[len(rest) - 1 :])


def _find_place_and_company(
    doc: _Document, title_line: int | None
) -> tuple[str | None, str | None]:
    location: str | None = None
    company: str | None = None
    for text in [line.text for line in doc.first_lines] + [ln.text for ln in doc.lines[:40]]:
        if company is None and (match := _COMPANY_LABEL_RE.match(text)):
            company = match.group("value").strip(" .")
        if location is None and (match := _LOCATION_LABEL_RE.match(text)):
            location = match.group("value").strip(" .!")
            if _REMOTE_RE.search(location) and not location.lower().startswith("remote"):
                location = "Remote"  # "Location: the comfort of your own home!"
    header = [
        line
        for line in doc.first_lines
        if line.heading is None and line.number != title_line and not line.bullet
    ]
    if location is None or company is None:
        for line in header[:4]:
            # "Acme, Berlin, Germany" or "Acme · Berlin, Germany · Hybrid"
            parts = [p.strip() for p in _HEADER_SPLIT_RE.split(line.text) if p.strip()]
            for index, part in enumerate(parts):
                named, place = _split_place(part)
                if not place and index > 0 and re.match(r"(?i)remote\b", part):
                    # "Acme Payments - Remote (US)": the place is "remote", maybe with a region.
                    named, place = None, part
                if not place:
                    continue
                location = location or place
                if company is None and named:
                    company = named
                elif company is None and index > 0 and _looks_like_company_line(parts[0]):
                    company = parts[0]
                break
            if location is not None:
                break
    if company is None and title_line is not None:
        after = [ln for ln in doc.first_lines if ln.number > title_line][:2]
        for line in after:
            if line.heading is not None and line.heading.kind is not None:
                break
            if _looks_like_company_line(line.text):
                company = line.text
                break
    if company is None:
        company = _company_from_about(doc) or _company_from_prose(doc)
    if location is None:
        for logical in doc.lines[:30]:
            if match := _BASED_IN_RE.search(logical.text):
                location = match.group("value").strip(" ,.")
                break
    return company, location


def _looks_like_company_line(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or text.endswith((".", ":", "!", "?")) or ":" in text:
        return False
    if _ROLE_NOUN_RE.search(text) or _split_place(text)[1]:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w in ("&", "of", "and") for w in words)


def _company_from_about(doc: _Document) -> str | None:
    for section in doc.sections:
        if section.kind is SectionKind.ABOUT and section.heading:
            match = re.match(r"^about\s+(?P<name>.+)$", section.heading, re.IGNORECASE)
            if match:
                name = match.group("name").strip(" :")
                if name.split()[0].lower() not in _NOT_COMPANY and name[0].isupper():
                    return name
    return None


def _company_from_prose(doc: _Document) -> str | None:
    for logical in doc.lines[:20]:
        for pattern, hints in _COMPANY_PROSE_RES:
            if not _has_any(logical.lower, hints):
                continue
            for match in pattern.finditer(logical.text):
                name = match.group("value").strip(" ,.")
                first = name.split()[0].lower() if name else ""
                if not name or first in _NOT_COMPANY or _ROLE_NOUN_RE.search(name):
                    continue
                if len(name.split()) > 5:
                    continue
                return name
    return None


# ---------------------------------------------------------------------------------------------
# Seniority
# ---------------------------------------------------------------------------------------------

_TITLE_LEVELS: tuple[tuple[Seniority, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE))
    for level, pattern in (
        (Seniority.INTERN, r"\b(?:intern(?:ship)?s?|co-?op|trainee|apprentice(?:ship)?)\b"),
        (
            Seniority.MANAGER,
            r"\b(?:director|head\s+of|vp|vice\s+president|chief|cto|cio|ceo|cfo|coo|"
            r"engineering\s+manager|manager\s*,?\s*(?:of\s+)?engineering)\b",
        ),
        (
            Seniority.STAFF,
            r"\b(?:principal|distinguished|fellow)\b|\bstaff(?=\s+(?:[\w-]+\s+){0,2}"
            r"(?:engineer|developer|scientist|designer|architect|sre|researcher|analyst)\b)",
        ),
        (Seniority.SENIOR, r"\b(?:senior|snr\.?|sr\.?)(?=[\s,/-]|$)|\b(?:III|IV|3)\s*$"),
        (Seniority.LEAD, r"\b(?:tech(?:nical)?\s+lead|team\s+lead|lead|leader)\b"),
        (
            Seniority.JUNIOR,
            r"\b(?:junior|jr\.?|graduate|grad|entry[- ]level|new\s+grad|trainee)(?=[\s,/-]|$)|"
            r"\b(?:I|1)\s*$",
        ),
        (Seniority.MID, r"\b(?:mid[- ]?level|mid(?=[\s-](?!senior))|intermediate)\b|\bII\s*$"),
        (Seniority.MANAGER, r"\bmanager\b"),
    )
)
_TEXT_LEVELS: tuple[tuple[Seniority, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE))
    for level, pattern in (
        (Seniority.INTERN, r"\b(?:internship|intern\s+(?:position|role|program(?:me)?))\b"),
        (
            Seniority.JUNIOR,
            r"\b(?:entry[- ]level|graduate\s+(?:role|position|program(?:me)?|scheme|opportunity)|"
            r"new\s+grad(?:uate)?s?|recent\s+graduates?|junior[- ]level|junior\s+(?:role|position)|"
            r"early[- ]career)\b",
        ),
        (Seniority.MID, r"\b(?:mid[- ]level|intermediate[- ]level)\b"),
        (Seniority.SENIOR, r"\b(?:senior[- ]level|senior\s+(?:role|position))\b"),
        (Seniority.STAFF, r"\b(?:principal|staff)[- ]level\b"),
        (
            Seniority.MANAGER,
            r"\b(?:people\s+manager|manag(?:e|ing)\s+(?:and\s+grow\s+)?(?:a|the)\s+team\s+of)\b",
        ),
        (
            Seniority.LEAD,
            r"\b(?:lead(?:ing)?\s+(?:a|the)\s+team\s+of|as\s+(?:a|the)\s+tech\s+lead)\b",
        ),
    )
)


_LEVEL_HINTS = _phrases("level|grad|intern|junior|senior|team of|lead|manag|early|staff|principal")


def _seniority(title: str | None, title_cue: Cue | None, doc: _Document) -> SeniorityInfo | None:
    if title:
        for level, pattern in _TITLE_LEVELS:
            if match := pattern.search(title):
                line = title_cue.line if title_cue else None
                return SeniorityInfo(
                    level=level, cue=Cue(text=match.group(0).strip(), line=line), source="title"
                )
    for logical in doc.lines:
        if doc.sections[logical.section].kind in _UNCOUNTED_SECTIONS:
            continue
        if not _has_any(logical.lower, _LEVEL_HINTS):
            continue
        for level, pattern in _TEXT_LEVELS:
            if match := pattern.search(logical.text):
                line = logical.line_at(match.start())
                return SeniorityInfo(
                    level=level, cue=Cue(text=match.group(0), line=line), source="text"
                )
    return None


# ---------------------------------------------------------------------------------------------
# Years of experience
# ---------------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
}
_NUM = (
    r"(?:\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:-five)?|thirty)"
)
_YEARS = r"(?:years?|yrs?)\b"
_EXPERIENCE_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (shape, re.compile(pattern, re.IGNORECASE))
    for shape, pattern in (
        (
            "range",
            rf"\bbetween\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})\s*\+?\s*{_YEARS}|"
            rf"\b(?P<a2>{_NUM})\s*\+?\s*(?:-|–|—|to|through)\s*(?P<b2>{_NUM})\s*\+?\s*"
            rf"(?:{_YEARS}|(?:years?|yrs?)['’])",
        ),
        (
            "min",
            rf"\b(?:at\s+least|minimum(?:\s+of)?|min\.?|a\s+minimum\s+of|over|more\s+than|"
            rf"no\s+less\s+than|upwards\s+of|in\s+excess\s+of)\s+(?P<a>{_NUM}|a|an)\s*\+?\s*"
            rf"(?:full\s+)?{_YEARS}",
        ),
        (
            "max",
            rf"\b(?:up\s+to|maximum(?:\s+of)?|max\.?|no\s+more\s+than)\s+(?P<b>{_NUM})\s*{_YEARS}",
        ),
        (
            "min",
            rf"\b(?P<a>{_NUM})\s*(?:\+|plus|or\s+more)\s*{_YEARS}|"
            rf"\b(?P<a2>{_NUM})\s*{_YEARS}\s*(?:\+|or\s+more|minimum|min\b|at\s+least)",
        ),
        ("plain", rf"\b(?P<a>{_NUM})\s*(?:full\s+)?{_YEARS}"),
    )
)
_EXPERIENCE_CONTEXT_RE = re.compile(
    r"\b(?:experience|exp|background|track\s+record|working|work|professional|industry|"
    r"building|developing|hands-on|in\s+(?:a|the)\s+(?:role|field)|as\s+an?|programming|"
    r"development|commercial|relevant|managing|leading)\b",
    re.IGNORECASE,
)
# "founded 20 years ago", "children aged 6-10 years", "a 2-year contract": not experience asked.
_NOT_EXPERIENCE_AFTER_RE = re.compile(
    r"^\s*(?:ago|old|of\s+age|in\s+business|running|in\s+a\s+row|of\s+(?:history|growth|"
    r"operations?|service|successful)|warranty|guarantee|contract|fixed[- ]term|term|"
    r"programme|program|degree|course|scholarship|anniversary)\b",
    re.IGNORECASE,
)
_NOT_EXPERIENCE_CLAUSE_RE = re.compile(
    r"\b(?:founded|established|anniversary|aged?|ages|in\s+business|history|warranty)\b",
    re.IGNORECASE,
)


# "Django Development: 1 year (Preferred)" asks for one skill; "total work: 2 years" for all.
_SKILL_LABEL_RE = re.compile(r"^\s*([^:]{1,40}?)\s*:\s*$")
_GENERAL_LABEL_RE = re.compile(
    r"(?:total\s+|overall\s+|relevant\s+|professional\s+)?(?:work(?:\s+experience)?|experience|"
    r"total|years\s+of\s+experience|exp)",
    re.IGNORECASE,
)


def _to_years(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.lower()
    if value in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[value])
    try:
        return float(value)
    except ValueError:
        return None


def _experience_mentions(doc: _Document) -> list[tuple[ExperienceRequirement, bool]]:
    """Return every years-of-experience ask, and whether it is general (not one skill's)."""
    mentions: list[tuple[ExperienceRequirement, bool]] = []
    for logical in doc.lines:
        kind = doc.sections[logical.section].kind
        if kind in _UNCOUNTED_SECTIONS or kind is SectionKind.ABOUT:
            continue
        text = logical.text
        if not re.search(r"\b(?:years?|yrs?)\b", text, re.IGNORECASE):
            continue
        clauses = _clauses(text)
        taken: list[tuple[int, int]] = []
        for shape, pattern in _EXPERIENCE_RES:
            for match in pattern.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                groups = match.groupdict()
                low = _to_years(groups.get("a") or groups.get("a2"))
                high = _to_years(groups.get("b") or groups.get("b2"))
                if shape == "min" or shape == "plain":
                    high = None
                if shape == "max":
                    low = None
                if low is None and high is None:
                    continue
                if (low or 0) > _MAX_YEARS or (high or 0) > _MAX_YEARS:
                    continue
                if low is not None and high is not None and low > high:
                    continue
                clause = next((c for c in clauses if c.start <= match.start() < c.end), None)
                body = text[clause.start : clause.end] if clause else text
                if _NOT_EXPERIENCE_CLAUSE_RE.search(body) or _NOT_EXPERIENCE_AFTER_RE.match(
                    text[match.end() : match.end() + 30]
                ):
                    continue
                asked_section = kind in (SectionKind.REQUIREMENTS, SectionKind.PREFERRED)
                if not asked_section and not _EXPERIENCE_CONTEXT_RE.search(body):
                    continue
                preferred = kind is SectionKind.PREFERRED or bool(
                    clause and clause.preferred and not clause.required
                )
                taken.append((match.start(), match.end()))
                lead_in = text[
                    max(clause.start if clause else 0, logical.body_start) : match.start()
                ]
                label = _SKILL_LABEL_RE.match(lead_in)
                general = label is None or bool(_GENERAL_LABEL_RE.fullmatch(label.group(1)))
                mention = ExperienceRequirement(
                    min_years=low,
                    max_years=high,
                    preferred=preferred,
                    cue=Cue(text=match.group(0).strip(), line=logical.line_at(match.start())),
                )
                mentions.append((mention, general))
    mentions.sort(key=lambda m: (m[0].cue.line or 0, m[0].cue.text))
    return mentions


def _headline_experience(
    mentions: list[tuple[ExperienceRequirement, bool]],
) -> ExperienceRequirement | None:
    """Return the first required general mention, else the first required, else any."""
    ranked = sorted(
        range(len(mentions)),
        key=lambda i: (mentions[i][0].preferred, not mentions[i][1], i),
    )
    return mentions[ranked[0]][0] if ranked else None


# ---------------------------------------------------------------------------------------------
# Salary
# ---------------------------------------------------------------------------------------------

_CURRENCY_CODES = (
    "USD|EUR|GBP|INR|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|JPY|SGD|ZAR|HKD|BRL|MXN|AED|ILS|CZK|HUF|RON"
)
_CURRENCY_PREFIX = (
    rf"(?:US\$|CA\$|C\$|AU\$|A\$|NZ\$|S\$|HK\$|R\$|\$|£|€|₹|¥|Rs\.?|{_CURRENCY_CODES})"
)
_AMOUNT = r"\d{1,3}(?:,\d{2,3})+(?:\.\d{1,2})?|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:\.\d+)?"
_MULTIPLIER = r"(?:\s?(?:k|K)(?![\w(])|\s?(?:m|M|mn|million)\b|\s?(?:lakhs?|lacs?|LPA|lpa)\b)"
# "per year", "/yr", "a month", "hourly"; a bare "2 years" is a duration, never a pay period.
_PERIOD = (
    r"\s*(?:/\s*|\bper\s+|\ba\s+|\ban\s+|\beach\s+)(?P<per>year|yr|annum|month|mo|week|wk|day|"
    r"hour|hr)\b|\s*(?P<per2>annually|yearly|monthly|weekly|daily|hourly|p\.\s?a\.|pa|p/a|"
    r"ph|LPA|lpa)\b"
)
# "a project with a value of $1,000,000", "raised $20M": amounts that are not pay.
_NOT_PAY_BEFORE_RE = re.compile(
    r"\b(?:value|worth|budgets?|revenues?|raised|funding|valuation|turnover|sales|contracts?|"
    r"projects?|portfolio|assets|spend|savings)\s+(?:of\s+)?(?:over\s+|more\s+than\s+|up\s+to\s+)?"
    r"(?:approximately\s+|about\s+)?$",
    re.IGNORECASE,
)
_SALARY_RE = re.compile(
    rf"(?P<upto>\b(?i:up\s*to|upto|maximum(?:\s+of)?|max\.?)\s+)?"
    rf"(?P<from>\b(?i:from|starting\s+(?:at|from)|minimum(?:\s+of)?)\s+)?"
    rf"(?P<c1>{_CURRENCY_PREFIX})?\s?(?P<a1>{_AMOUNT})(?P<k1>{_MULTIPLIER})?"
    rf"(?:\s?(?P<c1b>{_CURRENCY_CODES}|€|£)\b)?"
    rf"(?:\s*(?:-|–|—|to|and)\s*(?P<c2>{_CURRENCY_PREFIX})?\s?(?P<a2>{_AMOUNT})"
    rf"(?P<k2>{_MULTIPLIER})?(?:\s?(?P<c2b>{_CURRENCY_CODES}|€|£)\b)?)?"
    rf"(?i:{_PERIOD})?"
)
_SALARY_HINT_RE = re.compile(rf"[$£€₹¥]|\b(?:{_CURRENCY_CODES}|Rs\.?|LPA)\b|\d\s?[kK]\b")
_SALARY_CUE_RE = re.compile(
    r"\b(?:salary|salaries|compensation|pay|paid|wages?|remuneration|stipend|ctc|package|"
    r"base|ote|rate|earn|income|per\s+(?:annum|year|month|hour)|an?\s+(?:year|hour)|hourly|"
    r"annually|monthly)\b",
    re.IGNORECASE,
)
_FUNDING_RE = re.compile(
    r"\b(?:raised|funding|funded|revenue|valuation|series\s+[a-e]|arr|investors?|turnover|"
    r"market\s+cap|customers?|users)\b",
    re.IGNORECASE,
)
_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "£": "GBP",
    "€": "EUR",
    "₹": "INR",
    "¥": "JPY",
    "RS": "INR",
    "RS.": "INR",
}
_PERIODS = {
    "year": SalaryPeriod.YEAR,
    "yr": SalaryPeriod.YEAR,
    "annum": SalaryPeriod.YEAR,
    "annually": SalaryPeriod.YEAR,
    "yearly": SalaryPeriod.YEAR,
    "p.a.": SalaryPeriod.YEAR,
    "pa": SalaryPeriod.YEAR,
    "p/a": SalaryPeriod.YEAR,
    "lpa": SalaryPeriod.YEAR,
    "month": SalaryPeriod.MONTH,
    "mo": SalaryPeriod.MONTH,
    "monthly": SalaryPeriod.MONTH,
    "week": SalaryPeriod.WEEK,
    "wk": SalaryPeriod.WEEK,
    "weekly": SalaryPeriod.WEEK,
    "day": SalaryPeriod.DAY,
    "daily": SalaryPeriod.DAY,
    "hour": SalaryPeriod.HOUR,
    "hr": SalaryPeriod.HOUR,
    "hourly": SalaryPeriod.HOUR,
    "ph": SalaryPeriod.HOUR,
}
_LINE_PERIOD_RE = re.compile(
    r"\b(?:per\s+(?P<p1>year|annum|month|week|day|hour)|(?P<p2>annual(?:ly)?|yearly|monthly|"
    r"weekly|daily|hourly|p\.\s?a)\b)",
    re.IGNORECASE,
)


def _amount(value: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{2,3})+(?:\.\d{1,2})?", value):
        return float(value.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", value):
        return float(value.replace(".", "").replace(",", "."))
    return float(value)


def _multiplier(suffix: str | None) -> float:
    if not suffix:
        return 1.0
    suffix = suffix.strip().lower()
    if suffix == "k":
        return 1_000.0
    if suffix in ("m", "mn", "million"):
        return 1_000_000.0
    return 100_000.0  # lakh, lac, LPA


def _currency(*symbols: str | None) -> str | None:
    for symbol in symbols:
        if symbol:
            key = symbol.upper().replace(" ", "")
            return _SYMBOLS.get(key, key if key.isalpha() else None)
    return None


def _infer_period(currency: str | None, value: float) -> SalaryPeriod | None:
    if currency == "INR":
        if value >= 200_000:
            return SalaryPeriod.YEAR
        return SalaryPeriod.MONTH if value >= 5_000 else None
    if currency == "JPY":
        return SalaryPeriod.YEAR if value >= 1_000_000 else None
    if value >= 15_000:
        return SalaryPeriod.YEAR
    if value < 300:
        return SalaryPeriod.HOUR
    return None


def _salary_in(text: str, line: int) -> list[tuple[int, SalaryRange]]:
    found: list[tuple[int, SalaryRange]] = []
    for match in _SALARY_RE.finditer(text):
        g = match.groupdict()
        window = text[max(0, match.start() - 80) : match.end() + 40]
        has_cue = bool(_SALARY_CUE_RE.search(window))
        if _NOT_PAY_BEFORE_RE.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        currency = _currency(g["c1"], g["c1b"], g["c2"], g["c2b"])
        after = text[match.end() : match.end() + 12]
        if re.match(
            r"\s*(?:\(k\)|%|\+?\s*(?:years?|yrs?)\b|x\b|employees|people|users)", after, re.I
        ):
            continue
        if currency is None and not has_cue:
            continue
        k1, k2 = g["k1"], g["k2"]
        millions = bool(k1 and k1.strip().lower() in ("m", "mn", "million"))
        if (millions or _FUNDING_RE.search(window)) and not has_cue:
            continue  # "raised $20M", "revenue of $5 million"
        low = _amount(g["a1"])
        high = _amount(g["a2"]) if g["a2"] else None
        if high is not None and k2 and not k1 and low <= high:
            k1 = k2  # "$50-60k": the multiplier covers both ends
        low *= _multiplier(k1)
        if high is not None:
            high *= _multiplier(k2)
        if high is not None and high < low:
            continue
        period_word = (g["per"] or g["per2"] or "").lower().replace(" ", "")
        if not period_word and k1 and k1.strip().lower() == "lpa":
            period_word = "lpa"
        if not period_word and (line_period := _LINE_PERIOD_RE.search(text)):
            period_word = (line_period.group("p1") or line_period.group("p2")).lower()
            period_word = "year" if period_word.startswith(("annual", "p.")) else period_word
        period = _PERIODS.get(period_word)
        if currency is None and max(low, high or 0) < 1_000 and period is not SalaryPeriod.HOUR:
            continue
        if period is None and currency not in ("INR", "JPY") and max(low, high or 0) >= 1e6:
            continue  # nobody's pay: a project value or a company's revenue
        if currency and period is None and high is None and not has_cue and not k1 and low < 1_000:
            continue  # "$5": a price, not a salary
        if low <= 0:
            continue
        inferred = False
        if period is None:
            period = _infer_period(currency, high or low)
            inferred = period is not None
        if g["upto"]:
            low, high = None, high or low
        elif high is None and not g["from"]:
            high = low
        salary = SalaryRange(
            min_amount=low,
            max_amount=high,
            currency=currency,
            period=period,
            period_inferred=inferred,
            cue=Cue(text=match.group(0).strip(), line=line),
        )
        score = (2 if currency else 0) + (1 if g["a2"] or period_word else 0) + has_cue
        found.append((score, salary))
    return found


def _salary(doc: _Document) -> SalaryRange | None:
    best: tuple[int, SalaryRange] | None = None
    for logical in doc.lines:
        text = logical.text
        if not (_SALARY_HINT_RE.search(text) or _SALARY_CUE_RE.search(text)):
            continue
        if not re.search(r"\d", text):
            continue
        for score, salary in _salary_in(text, logical.number):
            if best is None or score > best[0]:
                best = (score, salary)
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------
# Remote policy and employment type
# ---------------------------------------------------------------------------------------------

_REMOTE_LABEL_RE = re.compile(
    r"^(?:work(?:ing)?\s+remotely|remote(?:\s+work(?:ing)?)?|remote\s+(?:option|possible|policy)|"
    r"work\s+(?:model|mode|arrangement|location|setup|type|style)|workplace(?:\s+type)?|"
    r"location\s+type)\s*[:\-–—]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_REMOTE_NEGATION_RE = re.compile(
    r"\b(?:not\s+(?:a\s+)?(?:fully\s+)?remote|no\s+remote|remote\s+(?:work\s+)?(?:is\s+)?not\s+"
    r"(?:possible|available|an\s+option|offered|supported)|not\s+(?:available|eligible|open)\s+"
    r"(?:for|to)\s+remote|non[- ]remote)\b",
    re.IGNORECASE,
)
_HYBRID_RE = re.compile(
    r"\bhybrid\b(?!\s+(?:cloud|apps?|mobile|models?|vehicles?|cars?|engines?|approach|"
    r"infrastructure|environments?|systems?|solutions?|architectures?|workloads?|integration|"
    r"search|deployments?))|"
    r"\b\d\s*(?:days?)\s*(?:a|per|/)\s*week\s+(?:in|at|from)\s+(?:the|our)\s+office\b|"
    r"\b(?:in|at)\s+(?:the|our)\s+office\s+\d\s*days?\b|\bpartially\s+remote\b|"
    r"\bpartly\s+remote\b|\bremote\s+and\s+(?:in[- ]office|on[- ]?site)\b",
    re.IGNORECASE,
)
_REMOTE_RE = re.compile(
    r"\b(?:(?:fully|100\s?%|completely|temporarily|permanently|entirely|totally)\s+remote(?:ly)?|"
    r"remote(?:ly)?[- ](?:first|friendly|only|ok|eligible|optional|possible|based)|"
    r"remote\s+(?:position|role|job|work(?:ing)?|opportunity|option|setup|contract|team\s+member)|"
    r"work(?:ing)?\s+(?:from\s+home|remotely|from\s+anywhere|fully\s+remote)|wfh|"
    r"telecommut\w*|from\s+(?:the\s+)?comfort\s+of\s+your\s+(?:own\s+)?home|"
    r"comfort\s+of\s+your\s+own\s+home|anywhere\s+in\s+the\s+world)\b|"
    r"\((?:fully\s+)?remote\b[^)]*\)|^\s*remote(?=\s*(?:$|[-–—(,|/:]))",
    re.IGNORECASE,
)
_ONSITE_RE = re.compile(
    r"\bon[- ]?site\b(?!\s+(?:visits?|support|training|meetings?|interviews?|customers?|"
    r"clients?|events?|gym|cafeteria|parking|childcare|amenities))|"
    r"\b(?:in[- ]office|office[- ]based|in[- ]person\s+(?:role|position|job|work))\b|"
    r"\b(?:work|working|based|located)\s+(?:from|in|at)\s+(?:our|the)\s+(?:office|offices|"
    r"headquarters|hq)\b",
    re.IGNORECASE,
)


def _remote_from_value(value: str) -> RemotePolicy | None:
    value = value.strip().lower()
    if not value:
        return None
    if re.match(r"(?:no|none|not|never|false|0)\b", value) or re.search(r"on[- ]?site", value):
        return RemotePolicy.ONSITE
    if re.search(r"hybrid|partial|some days|flexible", value):
        return RemotePolicy.HYBRID
    if re.match(r"(?:yes|fully|100|temporar|remote|always|true|permanent)", value) or re.search(
        r"remote|from home|own home", value
    ):
        return RemotePolicy.REMOTE
    return None


_REMOTE_HINTS = _phrases(
    "remote|hybrid|site|office|home|person|wfh|telecommut|anywhere|headquarters|hq"
)


def _remote(doc: _Document, location: str | None) -> RemoteInfo | None:
    found: dict[str, RemoteInfo] = {}
    lines = doc.lines
    for index, logical in enumerate(lines):
        kind = doc.sections[logical.section].kind
        if kind in (SectionKind.APPLY, SectionKind.LEGAL):
            continue
        text = logical.text
        label = _REMOTE_LABEL_RE.match(text) or _LOCATION_LABEL_RE.match(text)
        if label and "label" not in found:
            value = label.group("value")
            if not value and index + 1 < len(lines):
                value = lines[index + 1].text
            policy = _remote_from_value(value)
            if policy is not None and (
                _REMOTE_LABEL_RE.match(text) or policy is not RemotePolicy.ONSITE
            ):
                cue = text if label.group("value") else f"{text} {value}"
                found["label"] = RemoteInfo(policy=policy, cue=Cue(text=cue, line=logical.number))
        if not _has_any(logical.lower, _REMOTE_HINTS):
            continue
        for name, pattern, policy in (
            ("negation", _REMOTE_NEGATION_RE, RemotePolicy.ONSITE),
            ("hybrid", _HYBRID_RE, RemotePolicy.HYBRID),
            ("remote", _REMOTE_RE, RemotePolicy.REMOTE),
            ("onsite", _ONSITE_RE, RemotePolicy.ONSITE),
        ):
            if name in found:
                continue
            if name == "remote" and _REMOTE_NEGATION_RE.search(text):
                continue
            if match := pattern.search(text):
                found[name] = RemoteInfo(
                    policy=policy,
                    cue=Cue(text=match.group(0).strip(), line=logical.line_at(match.start())),
                )
    for name in ("label", "negation", "hybrid", "remote", "onsite"):
        if name in found:
            return found[name]
    if location and re.search(r"\bremote\b", location, re.IGNORECASE):
        return RemoteInfo(policy=RemotePolicy.REMOTE, cue=Cue(text=location))
    return None


_EMPLOYMENT_LABEL_RE = re.compile(
    r"^(?:job\s+types?|employment(?:\s+types?)?|type\s+of\s+(?:employment|position|contract)|"
    r"contract\s+types?|position\s+types?|work\s+types?|schedule|engagement(?:\s+type)?|"
    r"job\s+category)\s*[:\-–—]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_EMPLOYMENT_WORDS: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (EmploymentType.FULL_TIME, r"\bfull[- ]?time\b(?!\s+equivalent)|\bpermanent\b"),
        (EmploymentType.PART_TIME, r"\bpart[- ]?time\b"),
        (
            EmploymentType.CONTRACT,
            r"\bcontract(?:or)?s?\b|\bfreelance(?:r)?\b|\bc2c\b|\b1099\b|\bconsultancy\b",
        ),
        (EmploymentType.INTERNSHIP, r"\bintern(?:ship)?s?\b"),
        (EmploymentType.TEMPORARY, r"\btemporary\b|\btemp\b|\bseasonal\b|\bfixed[- ]term\b"),
    )
)
_EMPLOYMENT_TEXT: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (EmploymentType.FULL_TIME, r"\bfull[- ]?time\b(?!\s+equivalent)"),
        (EmploymentType.PART_TIME, r"\bpart[- ]?time\b"),
        (
            EmploymentType.CONTRACT,
            r"\bcontract(?:or)?\s+(?:role|position|basis|job|work|assignment|engagement|length|"
            r"duration|opportunity|to\s+hire|-to-hire)\b|\b(?:on\s+an?|\d+[- ]months?|"
            r"fixed[- ]term|short[- ]term|long[- ]term|freelance|initial|b2b)\s+contract\b|"
            r"\bfreelance(?:r)?\b|\(contract\)|\bcontract\s*:|\bc2c\b",
        ),
        (EmploymentType.INTERNSHIP, r"\binternships?\b|\bintern\s+(?:role|position|program)"),
        (
            EmploymentType.TEMPORARY,
            r"\btemporary\s+(?:role|position|job|contract|assignment|employment|basis|work|"
            r"staff)\b|\btemp\s+(?:role|position|job)\b|\bseasonal\s+(?:role|position|job|work)\b|"
            r"\bfixed[- ]term\b|\btemp-to-perm\b",
        ),
    )
)
_EMPLOYMENT_NEGATION_RE = re.compile(
    r"\bnot\s+(?:be\s+)?(?:an?\s+)?(?:looking\s+for\s+)?(?:a\s+)?$", re.IGNORECASE
)


_EMPLOYMENT_HINTS = _phrases("time|contract|freelanc|intern|temp|seasonal|fixed|c2c|perm")


def _employment(doc: _Document, title: str | None) -> EmploymentInfo | None:
    for logical in doc.lines:
        if match := _EMPLOYMENT_LABEL_RE.match(logical.text):
            value = match.group("value")
            hits = [
                (m.start(), kind)
                for kind, pattern in _EMPLOYMENT_WORDS
                if (m := pattern.search(value))
            ]
            if hits:
                types = list(dict.fromkeys(kind for _, kind in sorted(hits, key=lambda h: h[0])))
                return EmploymentInfo(types=types, cue=Cue(text=logical.text, line=logical.number))
    hits_text: list[tuple[int, int, EmploymentType, Cue]] = []
    if title and re.search(r"\bintern(?:ship)?s?\b", title, re.IGNORECASE):
        hits_text.append((0, 0, EmploymentType.INTERNSHIP, Cue(text=title)))
    for logical in doc.lines:
        if doc.sections[logical.section].kind in (SectionKind.LEGAL, SectionKind.APPLY):
            continue
        text = logical.text
        if not _has_any(logical.lower, _EMPLOYMENT_HINTS):
            continue
        for kind, pattern in _EMPLOYMENT_TEXT:
            for match in pattern.finditer(text):
                if _EMPLOYMENT_NEGATION_RE.search(text[max(0, match.start() - 30) : match.start()]):
                    continue
                line = logical.line_at(match.start())
                hits_text.append((line, match.start(), kind, Cue(text=match.group(0), line=line)))
                break
    if not hits_text:
        return None
    hits_text.sort(key=lambda h: (h[0], h[1]))
    types = list(dict.fromkeys(kind for _, _, kind, _ in hits_text))
    return EmploymentInfo(types=types, cue=hits_text[0][3])


# ---------------------------------------------------------------------------------------------
# Responsibilities
# ---------------------------------------------------------------------------------------------

_YOU_WILL_RE = re.compile(r"^(?:you\s+will|you['’]ll|you\s+would)\s+(?!be\s+(?:a|an|the)\b)", re.I)


_PROSE_ITEM_RE = re.compile(
    r"^(?:we|we['’]re|our|this\s+is|this\s+role\s+is|the\s+(?:team|company)|it\s+is|they)\b",
    re.IGNORECASE,
)


def _tidy_item(text: str) -> str:
    return text.strip().strip(";,").strip()


def _responsibilities(doc: _Document) -> list[str]:
    items: list[str] = []
    has_section = any(s.kind is SectionKind.RESPONSIBILITIES for s in doc.sections)
    for logical in doc.lines:
        kind = doc.sections[logical.section].kind
        if has_section:
            if kind is not SectionKind.RESPONSIBILITIES:
                continue
            if logical.heading is not None and not logical.heading.rest:
                continue
            if logical.text.endswith(":"):
                continue  # a sub-heading inside the duties ("Improving constantly:")
            if _PROSE_ITEM_RE.match(logical.body):
                continue  # "We are looking to bring into our fold...": about the role, not a duty
            parts = [logical.body]
            if not logical.bullet and ";" in logical.body:
                parts = logical.body.split(";")
            for part in parts:
                item = _tidy_item(part)
                if item:
                    items.append(item[0].upper() + item[1:])
            continue
        if kind in _UNCOUNTED_SECTIONS:
            continue
        # No duties heading: the "You will ..." sentences are the duties.
        for clause in _SENTENCE_SPLIT_RE.split(logical.text):
            clause = clause.strip() if clause else ""
            if match := _YOU_WILL_RE.match(clause):
                item = _tidy_item(clause[match.end() :]).rstrip(".")
                if item:
                    items.append(item[0].upper() + item[1:])
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------------------------------------
# Skills
# ---------------------------------------------------------------------------------------------


def _extract(text: str, taxonomy: Any) -> list[Any]:
    from careergini.skills.extraction import extract_skills

    if taxonomy is None:
        return list(extract_skills(text))
    return list(extract_skills(text, taxonomy=taxonomy))


def _evidence_text(text: str, start: int) -> str:
    if len(text) <= _EVIDENCE_CHARS:
        return text
    left = max(0, start - _EVIDENCE_CHARS // 2)
    window = text[left : left + _EVIDENCE_CHARS]
    return (
        ("…" if left else "") + window.strip() + ("…" if left + _EVIDENCE_CHARS < len(text) else "")
    )


def _skills(doc: _Document, taxonomy: Any) -> list[JobSkill]:
    # One text for the extractor, with the JD's blank lines kept: it reads list context from them.
    starts: list[int] = []
    chunks: list[str] = []
    position = 0
    for logical in doc.lines:
        if logical.blank_before and chunks:
            chunks.append("")
            position += 1
        starts.append(position)
        chunks.append(logical.text)
        position += len(logical.text) + 1
    full_text = "\n".join(chunks)
    clauses_cache: dict[int, list[_Clause]] = {}
    gathered: dict[str, dict[str, Any]] = {}
    for mention in _extract(full_text, taxonomy):
        index = bisect.bisect_right(starts, mention.start) - 1
        if index < 0:
            continue
        logical = doc.lines[index]
        kind = doc.sections[logical.section].kind
        if kind in _UNCOUNTED_SECTIONS:
            continue
        offset = mention.start - starts[index]
        if logical.heading is not None and not logical.heading.rest and logical.heading.kind:
            importance = _SECTION_IMPORTANCE.get(kind, SkillImportance.MENTIONED)
        else:
            if index not in clauses_cache:
                clauses_cache[index] = _clauses(logical.text)
            importance = _importance_at(clauses_cache[index], offset, kind)
        entry = gathered.setdefault(
            mention.skill_id,
            {
                "order": mention.start,
                "name": mention.name,
                "category": getattr(mention, "category", None),
                "count": 0,
                "evidence": {},
                "importance": importance,
            },
        )
        entry["count"] += 1
        if _IMPORTANCE_RANK[importance] < _IMPORTANCE_RANK[entry["importance"]]:
            entry["importance"] = importance
        line = logical.line_at(offset)
        seen = entry["evidence"].get(line)
        if seen is None or _IMPORTANCE_RANK[importance] < _IMPORTANCE_RANK[seen.importance]:
            entry["evidence"][line] = SkillEvidence(
                line=line,
                text=_evidence_text(logical.text, offset),
                surface=mention.surface,
                section=kind,
                importance=importance,
            )
    skills = [
        JobSkill(
            skill_id=skill_id,
            name=entry["name"],
            category=entry["category"],
            importance=entry["importance"],
            count=entry["count"],
            evidence=sorted(entry["evidence"].values(), key=lambda e: e.line),
        )
        for skill_id, entry in gathered.items()
    ]
    skills.sort(
        key=lambda s: (_LISTING_RANK[s.importance], gathered[s.skill_id]["order"], s.skill_id)
    )
    return skills


# ---------------------------------------------------------------------------------------------
# Is it a job description at all?
# ---------------------------------------------------------------------------------------------

_HIRING_LANGUAGE_RE = re.compile(
    r"\b(?:we(?:['’]re|\s+are)\s+(?:looking\s+for|hiring|seeking|searching)|"
    r"(?:is|are)\s+(?:looking\s+for|seeking|hiring)|join\s+(?:our|the)\s+(?:\w+\s+)?team|"
    r"you\s+will|you['’]ll|the\s+(?:ideal|successful)\s+candidate|apply\s+now|how\s+to\s+apply|"
    r"candidates?\s+(?:should|must|will)|responsibilities\s+include|this\s+role|the\s+role|"
    r"the\s+position|job\s+(?:type|description|summary))\b",
    re.IGNORECASE,
)
_RESUME_DATES_RE = re.compile(
    r"\b(?:19|20)\d\d\s*[-–—]\s*(?:(?:19|20)\d\d|present|current|now|today)\b", re.IGNORECASE
)
_CONTACT_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d ()-]{8,}\d")
_INSTRUCTION_RE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)*"
    r"(?:previous|prior|above|earlier|preceding|other|system)\s+(?:instructions?|prompts?|"
    r"directions?|rules|messages?)|\bsystem\s+prompt\b|"
    r"\byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:ai|llm|language\s+model|chatbot|chatgpt|gpt)\b|"
    r"\b(?:ai|llm|language\s+model|chatbot|gpt)s?\s*,\s*(?:please\s+)?(?:ignore|rate|score|give|"
    r"rank)\b|\b(?:give|rate|score|rank)\s+(?:this|the|every|each)\s+(?:candidate|applicant|"
    r"resume|cv)\b|<\|im_start\|>|\[/?INST\]|^\s*(?:system|assistant)\s*:",
    re.IGNORECASE,
)


def _job_cues(
    doc: _Document,
    *,
    title: str | None,
    experience: list[ExperienceRequirement],
    salary: SalaryRange | None,
    employment: EmploymentInfo | None,
    remote: RemoteInfo | None,
    responsibilities: list[str],
) -> list[str]:
    cues = []
    if title:
        cues.append("title")
    if any(_HIRING_LANGUAGE_RE.search(logical.text) for logical in doc.lines):
        cues.append("hiring_language")
    if any(s.job_specific and s.heading for s in doc.sections):
        cues.append("job_sections")
    if experience:
        cues.append("years_of_experience")
    if responsibilities:
        cues.append("responsibilities")
    if salary:
        cues.append("salary")
    if employment:
        cues.append("employment_type")
    if remote:
        cues.append("remote_policy")
    return cues


def _looks_like_resume(doc: _Document, cues: list[str]) -> bool:
    if "hiring_language" in cues:
        return False
    top = " ".join(line.text for line in doc.first_lines[:6])
    ranges = sum(len(_RESUME_DATES_RE.findall(logical.text)) for logical in doc.lines)
    return bool(_CONTACT_RE.search(top)) and ranges >= 2


# Every alternative of _INSTRUCTION_RE holds one of these; most lines hold none.
_INSTRUCTION_HINTS = _phrases(
    "ignore|disregard|forget|override|system|you are|ai,|llm|gpt|chatbot|model,|candidate|"
    "applicant|resume|cv|im_start|inst]|assistant"
)


def _set_aside_instructions(
    physical: list[_PhysicalLine],
) -> tuple[list[_PhysicalLine], list[str]]:
    """Drop lines addressed to an AI model ("ignore previous instructions..."), with a warning.

    They are not part of the job: nothing is read from them, so they can't add a skill or a
    years figure either. Whoever shows the JD to a model later can see the warning.
    """
    flagged = [
        line.number
        for line in physical
        if _has_any(line.text.lower(), _INSTRUCTION_HINTS) and _INSTRUCTION_RE.search(line.text)
    ]
    if not flagged:
        return physical, []
    where = ", ".join(str(n) for n in flagged[:5])
    warning = (
        f"instruction_like_text: line {where} reads like an instruction to an AI model; "
        "it was set aside and nothing in it was followed or parsed"
    )
    return [line for line in physical if line.number not in flagged], [warning]


# ---------------------------------------------------------------------------------------------
# The public functions
# ---------------------------------------------------------------------------------------------


def parse_job_description(
    text: str, *, title_hint: str | None = None, taxonomy: Any = None
) -> ParsedJob:
    """Parse the text of a job description into its title, level, skills, pay and terms."""
    physical, set_aside = _set_aside_instructions(_read_lines(text or ""))
    if not physical:
        return ParsedJob(
            title=_clean(title_hint) if title_hint and _clean(title_hint) else None,
            looks_like_job=False,
            warnings=["not_a_job_description: the text is empty", *set_aside],
        )
    doc = _build_document(physical)
    if title_hint and _clean(title_hint):
        title: str | None = _tidy_title(_clean(title_hint)) or _clean(title_hint)
        title_cue: Cue | None = Cue(text=_clean(title_hint))
        _, found_cue = _find_title(doc)
        title_line = found_cue.line if found_cue else None
    else:
        title, title_cue = _find_title(doc)
        title_line = title_cue.line if title_cue else None
    company, location = _find_place_and_company(doc, title_line)
    experience_found = _experience_mentions(doc)
    experience = [mention for mention, _ in experience_found]
    salary = _salary(doc)
    employment = _employment(doc, title)
    remote = _remote(doc, location)
    responsibilities = _responsibilities(doc)
    skills = _skills(doc, taxonomy)
    cues = _job_cues(
        doc,
        title=title if (title and _ROLE_NOUN_RE.search(title)) else None,
        experience=experience,
        salary=salary,
        employment=employment,
        remote=remote,
        responsibilities=responsibilities,
    )
    warnings: list[str] = []
    looks_like_job = len(cues) >= 2 or (len(cues) == 1 and bool(skills))
    if looks_like_job and _looks_like_resume(doc, cues):
        looks_like_job = False
        warnings.append(
            "not_a_job_description: this text looks like a resume (contact details and dated "
            "positions), not a job description"
        )
    elif not looks_like_job:
        if not skills and not cues:
            reason = "no skills and no role cues"
        elif not skills:
            reason = f"no skills and only one role cue ({cues[0]})"
        else:
            reason = "skills but no role cues"
        warnings.append(
            f"not_a_job_description: this text does not look like a job description: {reason}"
        )
    if looks_like_job and title is None:
        warnings.append("no_title: no job title found; pass title_hint")
    if looks_like_job and not skills:
        warnings.append("no_skills: no skill from the taxonomy is named")
    if looks_like_job and not any(
        s.kind in (SectionKind.REQUIREMENTS, SectionKind.PREFERRED) for s in doc.sections
    ):
        warnings.append(
            "no_requirements_section: no requirements heading; skills are required only where "
            "the wording asks for them"
        )
    warnings.extend(set_aside)
    return ParsedJob(
        title=title,
        company=company,
        location=location,
        seniority=_seniority(title, title_cue, doc),
        experience=_headline_experience(experience_found),
        experience_mentions=experience,
        skills=skills,
        responsibilities=responsibilities,
        remote=remote,
        salary=salary,
        employment=employment,
        sections=[
            JobSection(kind=s.kind, heading=s.heading, start_line=s.start_line, end_line=s.end_line)
            for s in doc.sections
        ],
        warnings=warnings,
        looks_like_job=looks_like_job,
        job_cues=cues,
    )


__all__ = ["parse_job_description"]
