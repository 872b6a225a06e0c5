"""Find a JD's sections: which line is a heading, and what kind of section it opens.

A heading says where a skill sits (requirements, nice-to-have, duties) and which text is
boilerplate (benefits, how to apply, EEO) that asks nothing of the candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from careergini.skills.jd.schemas import SectionKind
from careergini.skills.jd.words import ROLE_NOUN_RE, phrases

# Skills named here are not asked of the candidate (a benefit, the application address).
UNCOUNTED_SECTIONS = frozenset({SectionKind.BENEFITS, SectionKind.APPLY, SectionKind.LEGAL})
# Skills named about the company ("a recruitment agency since 1990") are not asked either.
NOT_ASKED_SECTIONS = UNCOUNTED_SECTIONS | {SectionKind.ABOUT}
# A sentence of boilerplate anywhere in a posting asks nothing of the candidate: the privacy,
# equal-opportunity and accommodation clauses that close many postings without a heading.
BOILERPLATE_RE = re.compile(
    r"\b(?:gdpr|general data protection regulation|personal data|privacy (?:notice|policy)|"
    r"data protection (?:act|law|regulation)|equal (?:opportunity|employment opportunity) "
    r"employer|without regard to|regardless of (?:race|age|gender|sex)|reasonable "
    r"accommodations?|e-verify|affirmative action|protected veteran|sexual orientation|"
    r"recruitment agenc(?:y|ies)|agency (?:cvs|resumes)|unsolicited (?:cvs|resumes))\b",
    re.IGNORECASE,
)
# Sections that say what is asked: a requirements or a nice-to-have heading.
ASKING_SECTIONS = frozenset({SectionKind.REQUIREMENTS, SectionKind.PREFERRED})


@dataclass(slots=True)
class Heading:
    """What a heading line says: the section it opens, if any, and any content after it."""

    kind: SectionKind | None  # None: a label or sub-heading that does not start a section
    text: str  # the heading as written, without its trailing colon
    rest: str  # text after "Heading:" on the same line
    job_specific: bool  # a heading a resume would not have ("Responsibilities", not "Skills")


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
            r"(?:our )?commitment to diversity.*|accommodations?.*|"
            r"(?:applicant |candidate |your )?(?:privacy|data protection|personal data).*|"
            r"gdpr.*|disclaimer.*|legal.*)",
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
    phrases(
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


def detect_heading(text: str, *, bullet: bool, marked: bool) -> Heading | None:
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
        return _heading_with_content(text, head, rest, kind, job_specific=job_specific)
    if kind is not None:
        return Heading(kind, head, "", job_specific)
    if not (trailing or marked):
        return None
    return _unknown_heading(head, norm, trailing=trailing, marked=marked, job_specific=job_specific)


def _heading_with_content(
    text: str, head: str, rest: str, kind: SectionKind | None, *, job_specific: bool
) -> Heading | None:
    """Read "Heading: content" (a section with its first item) or a heading with a qualifier."""
    if kind in _INLINE_KINDS and len(head.split()) <= 5:
        return Heading(kind, head, rest, job_specific)
    # "Necessary prerequisites - skills": a known heading whose tail is a qualifier.
    whole = _norm_heading(text)
    if not text.endswith(".") and len(text.split()) <= 8 and (known := _known_kind(whole)):
        return Heading(known, text, "", job_specific)
    return None


def _unknown_heading(
    head: str, norm: str, *, trailing: bool, marked: bool, job_specific: bool
) -> Heading | None:
    """Classify a "Label:" line or a marked heading that is not a known heading by its words."""
    if marked and not trailing and ROLE_NOUN_RE.search(head):
        return None  # "# Senior Data Engineer" is the title, not a section
    for keyword_kind, pattern in _KEYWORD_HEADINGS:
        if pattern.search(norm):
            return Heading(keyword_kind, head, "", job_specific)
    if marked or (trailing and head.isupper()):
        return Heading(SectionKind.OTHER, head, "", True)
    return Heading(None, head, "", False)
