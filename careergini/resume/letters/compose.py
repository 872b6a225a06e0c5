"""Deterministic cover letters: a tailored resume's best facts in fixed phrases, by tone.

Pure. Every sentence is built from the profile's own words (titles, employers, bullets, skills)
and the job's title and company, which are named only as what is applied for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from careergini.resume.schemas import Item, LetterDocument, Position, ResumeDocument
from careergini.resume.tailor import JobTarget

_OPENINGS = {
    "neutral": "I am writing to apply for the {role} position{at}.",
    "formal": "Please accept this letter as my application for the {role} position{at}.",
    "confident": "I am applying for the {role} position{at}, a role that fits what I do best.",
    "warm": "I was glad to see the {role} opening{at}, and I would love to be considered.",
}
_SKILLS = {
    "neutral": "The role asks for {skills}; I have worked with each of them.",
    "formal": "The position calls for {skills}, all of which I have worked with.",
    "confident": "I bring hands-on experience with {skills}, which the role asks for.",
    "warm": "I was happy to see {skills} in the description: I have worked with each of them.",
}
# (with the company's name, without it)
_CLOSINGS = {
    "neutral": (
        "Thank you for your time and consideration. I would welcome the chance to discuss how I "
        "can contribute to {company}.",
        "Thank you for your time and consideration. I would welcome the chance to discuss how I "
        "can contribute.",
    ),
    "formal": (
        "Thank you for your consideration. I look forward to the opportunity to discuss my "
        "application with {company}.",
        "Thank you for your consideration. I look forward to the opportunity to discuss my "
        "application.",
    ),
    "confident": (
        "I would welcome the chance to discuss what I can bring to {company}.",
        "I would welcome the chance to discuss what I can bring to the team.",
    ),
    "warm": (
        "Thank you for reading. I would be glad to talk about how I could help {company}.",
        "Thank you for reading. I would be glad to talk about how I could help your team.",
    ),
}
_GREETINGS = {
    "neutral": "Dear Hiring Manager,",
    "formal": "Dear Hiring Committee,",
    "confident": "Dear Hiring Manager,",
    "warm": "Dear {company} team,",
}
_SIGN_OFFS = {
    "neutral": "Sincerely,",
    "formal": "Yours sincerely,",
    "confident": "Best regards,",
    "warm": "Warm regards,",
}


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_IRREGULAR_PAST = {
    "build": "built", "lead": "led", "run": "ran", "grow": "grew", "win": "won",
    "drive": "drove", "write": "wrote", "make": "made", "set": "set", "cut": "cut",
    "take": "took", "begin": "began", "bring": "brought", "sell": "sold", "teach": "taught",
    "hold": "held", "keep": "kept", "meet": "met", "send": "sent", "spend": "spent",
    "rebuild": "rebuilt", "rewrite": "rewrote", "oversee": "oversaw", "undertake": "undertook",
    "put": "put", "lay": "laid", "speak": "spoke", "think": "thought", "buy": "bought",
    "ship": "shipped", "plan": "planned",
}  # fmt: skip
_PAST_FORMS = frozenset(_IRREGULAR_PAST.values())


# Base forms a bullet may start with ("Design APIs"), made past by the regular rule.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_REGULAR = _words(
    """
    design develop deliver manage create launch ship scale migrate automate improve reduce
    increase implement maintain mentor partner architect streamline optimize optimise establish
    introduce define support coordinate collaborate analyze analyse research present negotiate
    plan organize organise direct guide coach train hire recruit serve help enable transform
    modernize modernise refactor resolve troubleshoot debug test deploy operate monitor secure
    integrate configure document publish edit review audit evaluate assess identify spearhead
    pioneer champion accelerate boost save generate earn achieve exceed expand extend
    consolidate standardize standardise unify prototype handle shape steer found head chair
    represent produce prepare conduct perform provide ensure facilitate contribute raise lower
    halve double triple onboard upgrade port wire host invent patent translate model forecast
    measure track report visualize visualise mine clean process reach own work use apply
    """
)


def _past(verb: str) -> str | None:
    """Return the past tense of a base verb ("design" -> "designed"), or None."""
    if verb in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[verb]
    if verb not in _REGULAR:
        return None
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def as_clause(bullet: str) -> str:
    """Turn a resume bullet into a clause with its subject: "Built X." -> "I built X",
    "Implementing X" -> "my work included implementing X", "Responsible for X" -> "I was
    responsible for X"; never "I implementing X"."""
    text = bullet.strip().rstrip(".;")
    first, _, rest = text.partition(" ")
    if first[1:].islower() and first[:1].isupper():
        first = first[:1].lower() + first[1:]
    lower = first.casefold()
    stem = lower[:-1] if lower.endswith("s") and _past(lower[:-1]) else lower
    tail = f" {rest}" if rest else ""
    if lower.endswith("ed") or lower in _PAST_FORMS:
        return f"I {first}{tail}"
    if (past := _past(stem)) is not None:
        return f"I {past}{tail}"
    if lower in {"responsible", "accountable", "involved", "part"}:
        return f"I was {first}{tail}"
    return f"my work included {first}{tail}"


def _experience(position: Position, *, lead: str, limit: int) -> str | None:
    bullets = [b.text for b in position.bullets if b.included][:limit]
    role = " at ".join(filter(None, [position.title, position.company]))
    if not role:
        return None
    if not bullets:
        return f"{lead} {role}."
    clauses = [as_clause(b) for b in bullets]
    return f"{lead} {role}, {', and '.join(clauses)}."


def _is_current(position: Position) -> bool:
    return position.current or (position.end is not None and position.end.present)


def _end(position: Position) -> tuple[int, int]:
    if _is_current(position) or position.end is None:
        return (9999, 12)
    return position.end.sort_key()


def build_letter(
    *, resume: ResumeDocument, job: JobTarget, tone: str, today: date
) -> LetterDocument:
    """Compose a cover letter from a tailored resume for the job, in the tone asked for."""
    tone = tone if tone in _OPENINGS else "neutral"
    role = job.title or "advertised"
    at = f" at {job.company}" if job.company else ""
    paragraphs: list[tuple[str, str]] = [
        ("opening", _OPENINGS[tone].format(role=role, at=at)),
    ]
    ranked = [p for p in resume.positions if p.included][:2]
    experience = []
    for n, position in enumerate(ranked):
        if n == 0:
            lead = "In my current role as" if _is_current(position) else "In my role as"
        else:
            lead = "Before that, as" if _end(position) < _end(ranked[0]) else "Also, as"
        sentence = _experience(position, lead=lead, limit=2 if n == 0 else 1)
        if sentence:
            experience.append(sentence)
    if experience:
        paragraphs.append(("experience", " ".join(experience)))
    matched = [s.name for s in resume.skills if s.matched][:5]
    if matched:
        paragraphs.append(("skills", _SKILLS[tone].format(skills=_join(matched))))
    with_company, without = _CLOSINGS[tone]
    closing = with_company.format(company=job.company) if job.company else without
    paragraphs.append(("closing", closing))
    name = resume.basics.name
    greeting = _GREETINGS[tone]
    if "{company}" in greeting:
        greeting = greeting.format(company=job.company) if job.company else "Dear Hiring Team,"
    return LetterDocument(
        basics=resume.basics,
        date=f"{today.day} {today.strftime('%B %Y')}",
        company=job.company,
        role_title=job.title,
        greeting=greeting,
        paragraphs=[
            Item(id=pid, source=text, text=text, reason="Composed from your profile's facts.")
            for pid, text in paragraphs
        ],
        closing=_SIGN_OFFS[tone],
        signature=name,
    )


def letter_facts(resume: ResumeDocument, *, years: int | None) -> str:
    """Return the facts a cover letter may use, one a line (for the model)."""
    lines = []
    if years:
        lines.append(f"Years of experience: {years}")
    for position in resume.positions:
        if not position.included:
            continue
        head = " at ".join(filter(None, [position.title, position.company]))
        lines.append(f"Position: {head}")
        lines.extend(f"- {b.text}" for b in position.bullets if b.included)
    matched = [s.name for s in resume.skills if s.matched]
    if matched:
        lines.append(f"Skills the job asks for, with evidence: {', '.join(matched)}")
    return "\n".join(lines)


def export_json(letter: LetterDocument) -> dict[str, Any]:
    """Return the letter as its JSON export: only the text it shows, never the model's
    rejected proposals or the claims the check refused (the in-app report shows those)."""
    return {
        **letter.model_dump(mode="json", exclude={"paragraphs"}),
        "paragraphs": [{"id": p.id, "text": p.text} for p in letter.paragraphs if p.text],
        "text": plain_text(letter),
    }


def plain_text(letter: LetterDocument) -> str:
    """Return the letter as plain text (tests, previews, the JSON export)."""
    parts = [letter.greeting, *(p.text for p in letter.paragraphs), letter.closing]
    if letter.signature:
        parts.append(letter.signature)
    return "\n\n".join(re.sub(r"\s+", " ", p).strip() for p in parts)
