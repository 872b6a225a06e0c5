"""Find skill mentions in free text (resumes, job descriptions), precisely, with character spans.

How it works:
1. Tokens. Text and aliases are cut into tokens the same way (the taxonomy builder uses this
   module too). Tokens keep the punctuation that belongs to technology names (``C++``, ``C#``,
   ``.NET``, ``Node.js``, ``ASP.NET``) and glue ``R&D``/``AT&T`` into one token, so neither holds an
   ``R`` or a ``T``; every other mark is a token of its own (``CI/CD`` is ``ci / cd``). Hyphens are
   dropped from aliases and skipped inside a match: ``scikit-learn`` = ``scikit learn``.
2. Candidates. A token trie of every alias of every skill finds, left to right, the longest alias
   starting at each token (so "Microsoft SQL Server" beats "SQL"); aliases that must keep their
   case ("Windows", "SAS", "Go") are checked against the text as written.
3. Context. Aliases that are also ordinary words or names (``Go``, ``R``, ``C``, ``Swift``,
   ``Spring``, ``Chef``, ``Access``...) are kept only with evidence that a technology is meant:
   a list that also names an unambiguous technology ("Python, R, SQL"), a skills line or skills
   section ("Languages: Go, Rust"), a trigger word after ("R programming", "Go developer") or a
   trigger phrase before ("proficient in C", weaker ones such as "in R" for the least ambiguous);
   and never in a known false-positive pattern ("go-to-market", "Spring 2019", "Excel at",
   "Rust Belt", "C-suite", "R&D").

Precision comes first: a mention is returned only when it can be defended.
"""

from __future__ import annotations

import re
import threading
import weakref
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from careergini.skills.taxonomy import (
    MODE_CASE,
    MODE_CUE,
    MODE_OFF,
    MODE_STRONG,
    Skill,
    Taxonomy,
    load_taxonomy,
)

# ----------------------------------------------------------------------------------------------
# Tokens

# A word, optionally starting with "." after a space or an opening mark (".NET"), with inner
# "." or "&" joints ("Node.js", "R&D"), and trailing "+"/"#" ("C++", "C#", "F#"); or one mark.
_TOKEN = re.compile(r"(?:(?<![^\s(/,;:|\[{\"'•·])\.)?\w+(?:[.&]\w+)*[+#]*|[^\w\s]")

_KEY_TABLE = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2019": "'",
        "\u2018": "'",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\uff0b": "+",
        "\uff03": "#",
    }
)

HYPHEN = "-"


class Token(NamedTuple):
    key: str  # lowercased, normalised form used for matching
    text: str  # the token as written
    start: int
    end: int


def normalize_key(token_text: str) -> str:
    """Return the matching key of one token: lowercase, with dashes and ligatures unified."""
    if token_text.isascii():
        return token_text.lower()
    return token_text.translate(_KEY_TABLE).lower()


def tokenize(text: str) -> list[Token]:
    """Cut text into tokens with their character spans."""
    return [
        Token(normalize_key(m.group()), m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]


def alias_tokens(alias: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (keys, surfaces) of an alias with hyphens dropped, as the matcher walks them."""
    pairs = [(normalize_key(t), t) for t in _TOKEN.findall(alias)]
    pairs = [(k, t) for k, t in pairs if k != HYPHEN]
    return tuple(k for k, _ in pairs), tuple(t for _, t in pairs)


def alias_key(alias: str) -> str:
    """Return the case-insensitive identity of an alias: its token keys joined by spaces."""
    return " ".join(alias_tokens(alias)[0])


# ----------------------------------------------------------------------------------------------
# Context rules for ambiguous aliases


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A word after the mention that says a technology is meant ("R programming", "Go developer").
RIGHT_TRIGGERS = _words(
    """
    programming program programs language languages lang developer developers development dev
    engineer engineers engineering programmer programmers code codes coding codebase codebases
    script scripts scripting framework frameworks library libraries sdk sdks api apis compiler
    compilers runtime toolchain ecosystem module modules package packages macro macros formula
    formulas spreadsheet spreadsheets pivot workbook workbooks playbook playbooks cookbook
    cookbooks manifest manifests pipeline pipelines plugin plugins server servers database
    databases cluster clusters queries query certification certified stack services
    microservices backend frontend apps app cli crate crates bindings
    """
)

# Words just before the mention, enough for the least ambiguous aliases ("in R", "using Go").
WEAK_LEFT_TRIGGERS = _words(
    """
    in using use uses used with via learn learned learning know knows knowing wrote write
    writing written coded coding program programmed programming develop developed developing
    build built building script scripted scripting
    """
)

# Phrases just before the mention, enough for every ambiguous alias ("proficient in Spring").
STRONG_LEFT_TRIGGERS = frozenset(
    tuple(p.split())
    for p in (
        "experience with",
        "experience in",
        "experience using",
        "experienced in",
        "experienced with",
        "proficient in",
        "proficient with",
        "proficiency in",
        "proficiency with",
        "knowledge of",
        "skilled in",
        "skills in",
        "expertise in",
        "expert in",
        "familiar with",
        "familiarity with",
        "fluent in",
        "fluency in",
        "written in",
        "programming in",
        "coding in",
        "code in",
        "developed in",
        "developing in",
        "development in",
        "implemented in",
        "built with",
        "built in",
        "background in",
        "competent in",
        "comfortable with",
        "understanding of",
        "exposure to",
        "certified in",
        "trained in",
        "versed in",
        "scripting in",
        "scripts in",
        "hands on with",
        "knowledge in",
        "such as",
    )
)

# Words of a line that announces a list of skills ("Technical skills:", "Tech stack").
HEADER_WORDS = _words(
    """
    skills skill languages technologies technology tech tools tooling frameworks libraries stack
    databases platforms software environment environments expertise proficiencies competencies
    programming toolkit toolbox technical devops cloud infrastructure
    """
)

# After a business or soft skill, a word that makes it a job title or a department, not a claim
# ("Procurement Manager", "Marketing consultants", "a recruitment agency").
ROLE_NOUNS = _words(
    """
    manager managers director directors consultant consultants consultancy consultancies analyst
    analysts specialist specialists officer officers assistant assistants executive executives
    coordinator coordinators administrator administrators clerk clerks expert experts agency
    agencies firm firms division department departments head heads supervisor supervisors
    technician technicians engineer engineers architect architects buyer buyers advisor advisors
    adviser advisers representative representatives associate associates recruiter recruiters
    professional professionals practitioner practitioners worker workers operative operatives
    staff personnel jobs roles vacancy vacancies position positions lead leads partner partners
    developer developers
    """
)
_TITLE_WORDS = _words("vp svp evp chief cto cfo ceo coo dean professor")
# After any skill, a word that makes it a company name ("Oracle Corporation", "Data Analytics Inc").
ORG_SUFFIXES = _words("inc ltd llc corp corporation gmbh plc limited co company")
_URL = re.compile(
    # Bounded repeats: a long token without spaces must not make the search quadratic.
    r"(?:https?://|www\.)\S+|[^\s@]{1,64}@\S{1,255}\.\w+"
    r"|\b(?:[\w-]{1,63}\.){1,10}(?:com|org|net|io|dev|ai|co|uk)/\S*",
    re.I,
)

_YEAR = re.compile(r"^(?:19|20)\d\d$|^'\d\d$")
_SEASON_NEXT = _words(
    """
    semester term terms break season quarter intake festival session sessions graduation
    internship internships fair cleaning collection campaign catalogue catalog training
    conference cohort class classes recruitment
    """
)

# Per-skill vetoes: the next word, the previous word, or (for aliases that are verbs at the start
# of a sentence, "Excel at ..."), the next word when the mention opens a sentence or a line.
VETO_NEXT: dict[str, frozenset[str]] = {
    sid: frozenset(words.split())
    for sid, words in {
        "spring": "",  # plus years and _SEASON_NEXT
        "go": "live ahead getter getters",
        "rust": "belt removal prevention proofing inhibitor inhibitors treatment stain stains",
        "c": "major minor sharp flat level suite grade class corporation",
        "r": "squared value rated",
        "make": "sure it a an the decisions decision use sense changes recommendations money time",
        "access": "to control controls management point points rights request requests card",
        "teams": "of across at to in",
        "project": "management manager managers plan plans planning lead leader leadership team "
        "teams scope coordinator coordination delivery schedule schedules budget budgets "
        "lifecycle portfolio execution sponsor work based",
        "zoom": "in out level",
        "less": "than",
        "sketch": "artist artists comedy book books pad",
        "electron": "microscopy microscope beam beams transport spin",
        "ionic": "liquid liquids bond bonds strength compound compounds conductivity",
        "dart": "board boards game games",
        "swift": "delivery response action turnaround resolution payment payments transfer",
        "saltstack": "water lake marsh spray",
        "aws-lambda": "calculus",
        "express": "delivery interest mail entry consent permission written",
        "word": "of count counts choice",
        "outlook": "for on is",
        "lean": "body muscle meat",
        "unity": "of in",
        "notion": "of that",
        "yarn": "dyeing spinning",
        "chef": "de",
        "oracle": "of",
        "http": ":",
    }.items()
}
VETO_PREV: dict[str, frozenset[str]] = {
    sid: frozenset(words.split())
    for sid, words in {
        "c": "vitamin grade class plan section part type option category tier level hepatitis usb "
        "series block",
        "r": "grade type class section part level option usb",
        "jersey": "new",
        "less": "more or much no far even little any",
        "spring": "this last next early late",
        "consul": "general",
        "word": "the a one this that every last final good key",
        "access": "the an easy direct remote limited full open public restricted unauthorized "
        "without",
        "project": "the a this each every side pet capstone final research",
        "teams": "the our cross functional multiple two three four",
        "make": "to will can could would should must",
        "go": "will can could would should must let we you they i",
    }.items()
}
VETO_START_NEXT: dict[str, frozenset[str]] = {
    sid: frozenset(words.split())
    for sid, words in {
        "excel": "at in as on under through beyond when while within academically professionally",
        "react": "to quickly promptly swiftly calmly appropriately positively fast immediately "
        "accordingly",
        "go": "to beyond above ahead the further",
    }.items()
}

# Words of a line that make a capitalised "IOS" Cisco's router software, not Apple's iOS.
_NETWORK_WORDS = _words(
    """
    cisco router routers routing switch switches switching ccna ccnp ccie ospf bgp eigrp vlan
    vlans network networks networking juniper junos firewall firewalls wan lan mpls nx-os ios-xe
    ios-xr catalyst nexus
    """
)

_SENTENCE_BREAK = frozenset(".!?:;•·*|>")
# Between two items of one list: "Python, R", "C/C++", "Go and Rust", "from Python to Go".
_LIST_GAP = re.compile(
    r"^[\s,;/|&+•·()\[\]*]*(?:(?:and|or|plus|as well as|to|vs\.?|versus)[\s,;/|&+•·()\[\]*]*)?$"
)
_LIST_MARK = re.compile(r"[,;/|&+•·()\[\]*]|\b(?:and|or|plus|to|vs|versus)\b")
_HONORIFICS = _words("dr mr mrs ms prof st")
# Single-word names that are also surnames or first names: not after another capitalised word
# in the middle of a sentence ("Dr. Sarah Jenkins", "Cassandra Smith" is caught by the next word).
_NAME_LIKE = _words("jenkins cassandra kafka")
_BULLET_HEAD = re.compile(r"\s*(?:[-*•·–—>▪◦●]|\d{1,2}[.)])\s*")
_INLINE_HEADER = re.compile(r"^\s*[^\w\n]*([A-Za-z][\w &/+.-]{0,48}?)\s*[:|\u2013\u2014]\s*")


# ----------------------------------------------------------------------------------------------
# The extractor


@dataclass(frozen=True, slots=True)
class SkillMention:
    skill_id: str
    name: str
    category: str
    start: int  # character offsets into the input text: text[start:end] == surface
    end: int
    surface: str


class _Entry(NamedTuple):
    skill: Skill
    mode: str | None
    surfaces: tuple[str, ...]  # the alias tokens as cased, for case-sensitive modes


class _Candidate(NamedTuple):
    first: int  # first token index
    last: int  # last token index (inclusive)
    entry: _Entry
    loose: bool = False  # a cased alias written in another case ("angular" in a tag list)


class _Node:
    """A node of the alias trie: the next tokens, and the aliases that end here."""

    __slots__ = ("children", "entries")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.entries: tuple[_Entry, ...] = ()


class SkillExtractor:
    """A token trie over every matchable alias of a taxonomy; build once, reuse for every text."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._root = _Node()
        for skill in taxonomy:
            modes = dict(skill.match_modes)
            for alias in (skill.name, *skill.aliases):
                mode = modes.get(alias)
                if mode == MODE_OFF:
                    continue
                keys, surfaces = alias_tokens(alias)
                if not keys:
                    continue
                self._insert(keys, _Entry(skill, mode, surfaces))
                if mode is None and len(keys) > 1 and keys[-1].isalpha() and len(keys[-1]) > 2:
                    # "REST API" also matches "REST APIs", "data pipeline" "data pipelines".
                    last = keys[-1]
                    plural = last[:-1] + "ies" if last.endswith("y") else last + "s"
                    if not last.endswith("s"):
                        self._insert((*keys[:-1], plural), _Entry(skill, mode, surfaces))

    def _insert(self, keys: tuple[str, ...], entry: _Entry) -> None:
        node = self._root
        for key in keys:
            child = node.children.get(key)
            if child is None:
                child = node.children[key] = _Node()
            node = child
        if entry not in node.entries:
            # Case-insensitive entries last, so a cased alias ("Go") is tried before a free one.
            entries = (*node.entries, entry)
            if entry.mode is not None:
                entries = tuple(sorted(entries, key=lambda e: e.mode is None))
            node.entries = entries

    # -- step 2: candidates ---------------------------------------------------------------------

    def _candidates(self, tokens: list[Token]) -> list[_Candidate]:
        out: list[_Candidate] = []
        root, n, i = self._root.children, len(tokens), 0
        while i < n:
            node = root.get(tokens[i].key)
            if node is None:
                i += 1
                continue
            best: _Candidate | None = None
            path = [i]
            j = i
            while True:
                entries = node.entries
                if entries:
                    entry = _first_case_match(entries, tokens, path)
                    if entry is not None:
                        best = _Candidate(i, j, entry)
                    elif best is None or best.loose:
                        # Only a list of skills can vouch for it ("angular, spring, azure").
                        best = _Candidate(i, j, entries[0], loose=True)
                k = j + 1
                # A hyphen joins the words of a name only when glued to them ("scikit-learn"),
                # not as a dash between words ("team - work").
                while k < n and tokens[k].key == HYPHEN and _glued(tokens[k - 1], tokens[k]):
                    k += 1
                if k > j + 1 and k < n and not _glued(tokens[k - 1], tokens[k]):
                    break
                if k >= n:
                    break
                nxt = node.children.get(tokens[k].key)
                if nxt is None:
                    break
                node, j = nxt, k
                path.append(k)
            if best is None:
                i += 1
            else:
                out.append(best)
                i = best.last + 1
        return out

    # -- step 3: context ------------------------------------------------------------------------

    def extract(self, text: str) -> list[SkillMention]:
        """Return the skill mentions of a text, sorted by position, non-overlapping."""
        tokens = tokenize(text)
        candidates = self._candidates(tokens)
        if not candidates:
            return []
        context = _Context(text, tokens, candidates)
        vetoed = [context.vetoed(c) for c in candidates]
        accepted = [
            not v
            and (
                context.in_skills_list(c)
                if c.loose
                else c.entry.mode in (None, MODE_CASE) or context.has_cue(c)
            )
            for c, v in zip(candidates, vetoed, strict=True)
        ]
        # Lists: an ambiguous alias next to a certain technology ("Python, R, SQL") is one too,
        # and a tag list (three or more technologies, mostly written in lower case) vouches for
        # its members ("angular, spring, azure, r").
        group_start = 0
        for idx in range(1, len(candidates) + 1):
            if idx < len(candidates) and context.list_gap(candidates[idx - 1], candidates[idx]):
                continue
            members = range(group_start, idx)
            if any(accepted[m] and candidates[m].entry.skill.is_technology for m in members):
                for m in members:
                    if not candidates[m].loose:
                        accepted[m] = accepted[m] or not vetoed[m]
            if _tag_list([candidates[m] for m in members]):
                for m in members:
                    accepted[m] = accepted[m] or not vetoed[m]
            group_start = idx
        mentions = []
        for cand, ok in zip(candidates, accepted, strict=True):
            if ok:
                start, end = tokens[cand.first].start, tokens[cand.last].end
                skill = cand.entry.skill
                mentions.append(
                    SkillMention(skill.id, skill.name, skill.category, start, end, text[start:end])
                )
        return mentions


def _tag_list(members: list[_Candidate]) -> bool:
    """Say whether a list is a lower-case tag list of technologies ("angular, spring, azure")."""
    if len({c.entry.skill.id for c in members}) < 3:
        return False
    if not all(c.entry.skill.is_technology for c in members):
        return False
    return 2 * sum(c.loose for c in members) >= len(members)


def _glued(a: Token, b: Token) -> bool:
    return a.end == b.start


def _first_case_match(
    entries: tuple[_Entry, ...], tokens: list[Token], path: list[int]
) -> _Entry | None:
    for entry in entries:
        if entry.mode is None:
            return entry
        if len(path) == len(entry.surfaces) and all(
            tokens[p].text == s for p, s in zip(path, entry.surfaces, strict=True)
        ):
            return entry
    return None


class _Context:
    """What surrounds a candidate: neighbouring words, its line, the section it sits in."""

    def __init__(self, text: str, tokens: list[Token], candidates: list[_Candidate]) -> None:
        self.text = text
        self.tokens = tokens
        # Tokens that are themselves skill names: "GIT Jenkins" is two tools, not a person.
        self.skill_ends = {c.last for c in candidates}
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._skills_from: dict[int, int | None] = {}
        self.urls = (
            [(m.start(), m.end()) for m in _URL.finditer(text)]
            if "/" in text or "@" in text
            else []
        )

    def _prev(self, idx: int) -> Token | None:
        k = idx - 1
        while k >= 0 and self.tokens[k].key == HYPHEN:
            k -= 1
        return self.tokens[k] if k >= 0 else None

    def _next(self, idx: int, skip_open: bool = False) -> Token | None:
        k = idx + 1
        while skip_open and k < len(self.tokens) and self.tokens[k].key in ("(", "["):
            k += 1
        return self.tokens[k] if k < len(self.tokens) else None

    def _starts_sentence(self, idx: int) -> bool:
        if idx == 0:
            return True
        prev = self.tokens[idx - 1]
        between = self.text[prev.end : self.tokens[idx].start]
        if prev.key == "." and idx >= 2 and self.tokens[idx - 2].key in _HONORIFICS:
            return False  # "Dr. Sarah"
        return "\n" in between or prev.key in _SENTENCE_BREAK or prev.key == HYPHEN

    def vetoed(self, cand: _Candidate) -> bool:
        """Say whether the words around a candidate show it is not the skill."""
        return (
            self._in_url(cand)
            or self._glued_by_hyphen(cand)
            or self._company_name(cand)
            or self._title_or_name(cand)
            or self._vetoed_by_words(cand)
        )

    def _in_url(self, cand: _Candidate) -> bool:
        """Part of a URL or an e-mail address: "https://github.com/..."."""
        start = self.tokens[cand.first].start
        return any(a <= start < b for a, b in self.urls)

    def _glued_by_hyphen(self, cand: _Candidate) -> bool:
        """An ambiguous alias glued by a hyphen to a word: "go-to-market", "C-suite", "e-Go"."""
        if cand.entry.mode not in (MODE_CUE, MODE_STRONG):
            return False
        text, first, last = self.text, self.tokens[cand.first], self.tokens[cand.last]
        if text[last.end : last.end + 1] == HYPHEN and text[last.end + 1 : last.end + 2].isalnum():
            return True
        return (
            first.start >= 2 and text[first.start - 1] == HYPHEN and text[first.start - 2].isalnum()
        )

    def _company_name(self, cand: _Candidate) -> bool:
        """Followed by a company suffix: "Oracle Corporation", "Data Analytics Inc"."""
        nxt = self._next(cand.last)
        return nxt is not None and nxt.key in ORG_SUFFIXES and nxt.text[:1].isupper()

    def _title_or_name(self, cand: _Candidate) -> bool:
        """A business or soft skill used in a heading, a job title, a department or a name."""
        entry = cand.entry
        if entry.skill.is_technology:
            return False
        surface = self.text[self.tokens[cand.first].start : self.tokens[cand.last].end]
        if surface.isupper() and len(surface) > 4 and not any(s.isupper() for s in entry.surfaces):
            return True  # a heading in capitals ("MARKETING EXPERIENCE")
        nxt = self._next(cand.last)
        if nxt is not None and nxt.key in ROLE_NOUNS:
            return True  # "Procurement Manager"
        prev, before = self._prev(cand.first), self._prev(cand.first - 1)
        if (
            prev is not None
            and prev.key == "of"
            and before is not None
            and (before.key in ROLE_NOUNS or before.key in _TITLE_WORDS)
        ):
            return True  # "Head of Purchasing", "VP of Marketing"
        # Inside a proper name: "Aston Recruitment", "Atlantic Marketing".
        return surface[:1].isupper() and self._after_name(cand.first)

    def _vetoed_by_words(self, cand: _Candidate) -> bool:
        """A skill's own false friends: the word after or before it ("Rust Belt", "New Jersey")."""
        sid = cand.entry.skill.id
        nxt, prev = self._next(cand.last), self._prev(cand.first)
        nxt_key = nxt.key if nxt else ""
        if sid in _NAME_LIKE and cand.first == cand.last and self._after_name(cand.first):
            return True
        if sid == "machine-learning" and self.tokens[cand.first].text == "ML" and _is_number(prev):
            return True  # "5 ML of saline"
        if sid == "ios" and self.tokens[cand.first].text == "IOS" and self._networking_line(cand):
            return True  # Cisco IOS on a router, not Apple's iOS
        if nxt_key in VETO_NEXT.get(sid, ()):
            return True
        if sid == "spring" and (_YEAR.match(nxt_key) or nxt_key in _SEASON_NEXT):
            return True
        if prev is not None and prev.key in VETO_PREV.get(sid, ()):
            return True
        return nxt_key in VETO_START_NEXT.get(sid, ()) and self._starts_sentence(cand.first)

    def _networking_line(self, cand: _Candidate) -> bool:
        line_no = bisect_right(self.line_starts, self.tokens[cand.first].start) - 1
        words = re.findall(r"[a-z][a-z-]*", self._line(line_no).lower())
        return any(w in _NETWORK_WORDS for w in words)

    def _after_name(self, idx: int) -> bool:
        """Say whether the token follows a capitalised word inside a sentence ("Sarah Jenkins")."""
        prev = self._prev(idx)
        return (
            prev is not None
            and idx - 1 not in self.skill_ends
            and prev.text[:1].isupper()
            and prev.text.isalpha()
            and not self._starts_sentence(idx - 1)
        )

    def has_cue(self, cand: _Candidate) -> bool:
        if self.in_skills_list(cand) or self.is_bullet_item(cand):
            return True
        nxt = self._next(cand.last, skip_open=True)
        if nxt is not None and nxt.key in RIGHT_TRIGGERS:
            return True
        words: list[str] = []
        k = cand.first - 1
        while k >= 0 and len(words) < 3:
            if self.tokens[k].key != HYPHEN:
                words.insert(0, self.tokens[k].key)
            k -= 1
        if any(tuple(words[-n:]) in STRONG_LEFT_TRIGGERS for n in (2, 3) if len(words) >= n):
            return True
        return cand.entry.mode == MODE_CUE and bool(words) and words[-1] in WEAK_LEFT_TRIGGERS

    def list_gap(self, a: _Candidate, b: _Candidate) -> bool:
        gap = self.text[self.tokens[a.last].end : self.tokens[b.first].start]
        if len(gap) > 12 or not _LIST_GAP.match(gap.lower()):
            return False
        return bool(_LIST_MARK.search(gap.lower()))

    # -- skills lines and sections --------------------------------------------------------------

    def is_bullet_item(self, cand: _Candidate) -> bool:
        """Say whether the mention is a whole bullet item ("- Go" under "Nice to have")."""
        start, end = self.tokens[cand.first].start, self.tokens[cand.last].end
        line_no = bisect_right(self.line_starts, start) - 1
        line = self._line(line_no)
        offset = self.line_starts[line_no]
        head, tail = line[: start - offset], line[end - offset :]
        return bool(_BULLET_HEAD.fullmatch(head)) and not tail.strip(" \t.,;:")

    def in_skills_list(self, cand: _Candidate) -> bool:
        start = self.tokens[cand.first].start
        line_no = bisect_right(self.line_starts, start) - 1
        if line_no not in self._skills_from:
            self._skills_from[line_no] = self._skills_offset(line_no)
        offset = self._skills_from[line_no]
        return offset is not None and start >= offset

    def _line(self, line_no: int) -> str:
        begin = self.line_starts[line_no]
        end = self.line_starts[line_no + 1] - 1 if line_no + 1 < len(self.line_starts) else None
        return self.text[begin:end]

    def _skills_offset(self, line_no: int) -> int | None:
        """Return where this line's list of skills starts, or None when it is not one."""
        line = self._line(line_no)
        m = _INLINE_HEADER.match(line)
        if m and _is_header(m.group(1), max_words=5):
            return self.line_starts[line_no] + m.end()
        seen_content = False
        for back in range(line_no - 1, max(-1, line_no - 13), -1):
            previous = self._line(back).strip()
            if not previous:
                if seen_content:
                    return None
                continue
            heading = previous.rstrip(":").strip()
            if _is_header(heading, max_words=4) and "," not in heading:
                return self.line_starts[line_no]
            if heading.isupper() or previous.endswith(":"):
                return None  # another section's heading
            seen_content = True
        return None


def _is_number(token: Token | None) -> bool:
    return token is not None and token.key.replace(".", "").isdigit()


def _is_header(label: str, max_words: int) -> bool:
    words = re.findall(r"[A-Za-z]+", label.lower())
    return 0 < len(words) <= max_words and any(w in HEADER_WORDS for w in words)


# ----------------------------------------------------------------------------------------------
# Public API

_extractors: weakref.WeakKeyDictionary[Taxonomy, SkillExtractor] = weakref.WeakKeyDictionary()
_extractors_lock = threading.Lock()


def get_extractor(taxonomy: Taxonomy | None = None) -> SkillExtractor:
    """Return the (cached) extractor of a taxonomy, the shipped one by default."""
    taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
    extractor = _extractors.get(taxonomy)
    if extractor is None:
        with _extractors_lock:  # routes run in a thread pool: build the trie once
            extractor = _extractors.get(taxonomy)
            if extractor is None:
                extractor = _extractors[taxonomy] = SkillExtractor(taxonomy)
    return extractor


def extract_skills(text: str, taxonomy: Taxonomy | None = None) -> list[SkillMention]:
    """Return the skills mentioned in a text with their spans, sorted by position."""
    return get_extractor(taxonomy).extract(text)


def extract_skill_ids(text: str, taxonomy: Taxonomy | None = None) -> set[str]:
    """Return the ids of the skills mentioned in a text."""
    return {m.skill_id for m in extract_skills(text, taxonomy)}
