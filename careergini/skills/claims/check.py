"""The claims check: every fact a text states about the person must be traced to their profile.

Pure: a text and the profile's evidence in; every claim found, with a verdict saying what it is
and why it passed or failed, out. Nothing here calls a model, a database or the network. Used
for every text CareerGini writes about the user: resume rewrites and composed summaries, cover
letters, the coach's answers, interview feedback and roadmap texts.

What counts as a claim, and where it must be found:
- quantities: numbers, metrics, money and percentages, digits or words ("40%", "$2M",
  "2 million", "10 engineers" = "ten engineers", "a dozen"), and outcomes written as multiples
  ("doubled", "tripled", "halved", "twice", "tenfold", "3x"), compared by value and kind (a
  percentage only matches a percentage, "doubled" matches "2x" or "100%"); in the source bullet
  when there is one, else anywhere in the profile (or among the derived numbers);
- years of experience ("5+ years of experience"): against the years computed from the dated
  positions, never rounded up;
- years and month-year dates: in the source bullet or the dates of its position, else in the
  profile;
- skills and technologies (the taxonomy's ``extract_skills``): with a position ``scope``, in
  that position's own texts (a skill used in another job is not evidence for this one);
  without one (a summary, a letter, the coach), among the profile's skills or texts;
- names: capitalised words and runs of them (employers, schools, products, places, titles,
  certifications): in the source bullet or the position scope, else anywhere in the profile;
- seniority and title words, degrees, certification words and contact details: in the profile.

A rewrite that only reorders or rephrases supported facts passes; one that adds or changes a
fact fails, and the caller keeps the source text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from careergini.skills.claims.text import (
    EMAIL,
    GENERIC,
    URL,
    FactKind,
    Quantity,
    fold,
    fold_name,
    month_years,
    name_spans,
    quantities,
    quantity_supported,
    reads_as_verb_or_function_word,
    same_value,
)
from careergini.skills.extraction import extract_skills

# --- claim words -----------------------------------------------------------------------------

_TITLE_CLAIM = re.compile(
    r"\b(?:senior|sr\.|principal|staff engineer|lead engineer|tech lead|team lead|manager|"
    r"director|head of|vice president|vp|chief|cto|ceo|cfo|coo|cio|founder|co-founder|"
    r"cofounder)\b",
    re.IGNORECASE,
)
_DEGREE_CLAIM = re.compile(
    r"(?<![\w.])(?:ph\.?\s?d\.?|d\.?\s?phil|doctorate|doctoral|m\.?b\.?a\.?|master(?:'?s)?|"
    r"m\.?\s?sc\.?|m\.\s?s\.|m\.?\s?eng|m\.\s?a\.|bachelor(?:'?s)?|b\.?\s?sc\.?|b\.\s?s\.|"
    r"b\.?\s?eng|b\.\s?a\.|b\.?\s?tech|m\.?\s?tech)(?![\w])",
    re.IGNORECASE,
)
_CERT_CLAIM = re.compile(r"\b(?:certified|certification|certificate|licensed|accredited)\b", re.I)


def degree_level(text: str) -> str:
    """Map a degree as written to its level: bachelor, master, mba or doctorate."""
    compact = re.sub(r"[^a-z]", "", text.casefold())
    if compact in {"phd", "dphil", "doctorate", "doctoral"}:
        return "doctorate"
    if compact == "mba":
        return "mba"
    if compact.startswith(("master", "ms", "ma", "meng", "mtech")):
        return "master"
    return "bachelor"


# --- evidence and the check -------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Everything the profile states, prepared once for many checks."""

    text: str
    names: str  # " " + fold_name(text) + " "
    folded: str
    quantities: tuple[Quantity, ...]
    dates: frozenset[tuple[int, int | None]]
    skill_ids: frozenset[str]
    degree_levels: frozenset[str]
    has_certifications: bool
    derived: dict[float, str] = field(default_factory=dict)
    # Years of experience computed from the dated positions (None: no dated position).
    years_experience: float | None = None
    # The employers' names (folded): a bullet of one position may not name another's.
    employers: frozenset[str] = frozenset()
    # Names the text may use without them being facts about the person (the job's title and
    # company in a cover letter); never accepted as a past employer.
    targets: tuple[str, ...] = ()


def build_evidence(
    texts: Iterable[str],
    *,
    skill_ids: Iterable[str] = (),
    dates: Iterable[tuple[int, int | None]] = (),
    degrees: Iterable[str] = (),
    has_certifications: bool = False,
    derived: dict[float, str] | None = None,
    targets: Sequence[str] = (),
    years_experience: float | None = None,
    employers: Iterable[str] = (),
) -> Evidence:
    """Prepare the evidence from the profile's texts and structured facts."""
    chunks = [t for t in texts if t and t.strip()]
    text = "\n".join(chunks)
    found_ids = set(skill_ids)
    for chunk in chunks:
        found_ids.update(m.skill_id for m in extract_skills(chunk))
    all_dates = set(dates)
    for year, month, _, _ in month_years(text):
        all_dates.add((year, month))
    levels = {degree_level(d) for d in degrees if d}
    levels.update(degree_level(m.group(0)) for m in _DEGREE_CLAIM.finditer(text))
    return Evidence(
        text=text,
        names=f" {fold_name(text)} ",
        folded=fold(text),
        quantities=tuple(quantities(text)),
        dates=frozenset(all_dates),
        skill_ids=frozenset(found_ids),
        degree_levels=frozenset(levels),
        has_certifications=has_certifications or bool(_CERT_CLAIM.search(text)),
        derived=dict(derived or {}),
        targets=tuple(t for t in targets if t and t.strip()),
        years_experience=years_experience,
        employers=frozenset(f for f in (fold_name(e) for e in employers if e) if f),
    )


@dataclass(frozen=True, slots=True)
class Fact:
    kind: FactKind
    text: str


@dataclass(frozen=True, slots=True)
class Unsupported:
    fact: Fact
    reason: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """One claim: what it is, whether the profile supports it, and why."""

    kind: FactKind
    text: str
    supported: bool
    why: str


@dataclass(frozen=True, slots=True)
class Grounding:
    facts: tuple[Fact, ...]
    unsupported: tuple[Unsupported, ...]
    verdicts: tuple[Verdict, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.unsupported

    def reasons(self) -> list[str]:
        return [u.reason for u in self.unsupported]


def _contains_name(haystack: str, name: str) -> bool:
    folded = fold_name(name)
    return not folded or f" {folded} " in haystack


@dataclass(slots=True)
class _Run:
    """One run of the check: the output, what may support it, and what was found so far."""

    output: str
    evidence: Evidence
    source: str | None
    where: str
    source_quantities: list[Quantity]
    source_dates: set[tuple[int, int | None]]
    source_years: set[int]
    source_folded: str
    # The position the text belongs to (its title, company, bullets): skills and names there.
    scope: str | None = None
    # Spans already read as a fact (or as the job's own names): later checks pass over them.
    skip: list[tuple[int, int]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)
    passed: dict[Fact, str] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        output: str,
        evidence: Evidence,
        source: str | None,
        context_dates: Iterable[tuple[int, int | None]],
        scope: str | None = None,
        source_name: str = "the source bullet",
    ) -> _Run:
        source_quantities = quantities(source) if source is not None else list(evidence.quantities)
        source_dates = set(context_dates)
        if source is not None:
            source_dates.update((y, m) for y, m, _, _ in month_years(source))
            source_dates.update((int(q.value), None) for q in source_quantities if q.kind == "year")
        else:
            source_dates.update(evidence.dates)
            source_dates.update(
                (int(q.value), None) for q in evidence.quantities if q.kind == "year"
            )
        return cls(
            output=output,
            evidence=evidence,
            source=source,
            where=source_name if source is not None else "your profile",
            source_quantities=source_quantities,
            source_dates=source_dates,
            source_years={year for year, _ in source_dates},
            source_folded=fold(source) if source is not None else "",
            scope=scope,
        )

    def fail(self, kind: FactKind, text: str, reason: str) -> None:
        fact = Fact(kind, text)
        if all(u.fact != fact for u in self.unsupported):
            self.unsupported.append(Unsupported(fact, reason))

    def accept(self, kind: FactKind, text: str, why: str) -> None:
        self.passed.setdefault(Fact(kind, text), why)

    def verdicts(self) -> tuple[Verdict, ...]:
        failed = {u.fact: u.reason for u in self.unsupported}
        verdicts = []
        for fact in dict.fromkeys(self.facts):
            if fact in failed:
                verdicts.append(Verdict(fact.kind, fact.text, False, failed[fact]))
            else:
                why = self.passed.get(fact) or _DEFAULT_WHY.get(fact.kind, "found in your profile")
                verdicts.append(Verdict(fact.kind, fact.text, True, why))
        return tuple(verdicts)

    def take(self, start: int, end: int) -> bool:
        """Mark a span as read; False when an earlier fact already covers part of it."""
        if any(s <= start < e or s < end <= e for s, e in self.skip):
            return False
        self.skip.append((start, end))
        return True


_DEFAULT_WHY: dict[str, str] = {
    "date": "the date is in the source or its position's dates",
    "year": "the year is in the source or its position's dates",
    "title": "the title is in your profile",
    "degree": "the degree is in your profile",
    "certification": "your profile lists a certification",
    "contact": "the contact detail is in your profile",
    "name": "the name is in your profile",
}


@lru_cache(maxsize=512)
def _scope_skills(scope: str) -> frozenset[str]:
    return frozenset(m.skill_id for m in extract_skills(scope))


def _mentions(folded: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded) is not None


def _job_targets(run: _Run) -> None:
    """The job's own title and company, named as what is applied for (cover letters)."""
    for target in run.evidence.targets:
        for match in re.finditer(re.escape(target), run.output, re.IGNORECASE):
            run.skip.append(match.span())


def _contact_details(run: _Run) -> None:
    for pattern in (EMAIL, URL):
        for match in pattern.finditer(run.output):
            run.skip.append(match.span())
            text = match.group(0)
            run.facts.append(Fact("contact", text))
            if fold(text).rstrip("/.") not in run.evidence.folded:
                run.fail("contact", text, f'"{text}" is not in your profile')


def _dates(run: _Run) -> None:
    """Dates ("Mar 2021") before bare numbers, so the year is read once, with its month."""
    for year, month, start, end in month_years(run.output):
        if not run.take(start, end):
            continue
        text = run.output[start:end]
        run.facts.append(Fact("date", text))
        if (year, month) not in run.source_dates:
            run.fail(
                "date", text, f'the date "{text}" is not in {run.where} or its position\'s dates'
            )


_NUMBER = r"\d+(?:\.\d+)?|" + "|".join(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve", "fifteen", "twenty", "a dozen", "dozen"]
)  # fmt: skip
_EXPERIENCE = re.compile(
    r"(?:(?P<over>over|more than|at least|nearly|almost|about|around)\s+)?"
    r"(?P<n>" + _NUMBER + r")\s?(?P<plus>\+)?\s*(?:-\s*)?(?:years?|yrs?)\b"
    r"(?=(?:\s+(?:of\s+)?(?:\w+[\s-]){0,3}?experience)|(?:\s+(?:in|as|of|building|working|"
    r"leading|writing|designing|developing|across)\b))",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "a dozen": 12, "dozen": 12,
}  # fmt: skip


def _experience(run: _Run) -> None:
    """Years of experience, against the years computed from the dated positions."""
    computed = run.evidence.years_experience
    if computed is None:
        return  # no dated position: the number must be stated, as any other
    for match in _EXPERIENCE.finditer(run.output):
        if not run.take(*match.span("n")):
            continue
        raw = match.group("n").casefold()
        claimed = float(raw) if raw[0].isdigit() else float(_NUMBER_WORDS[raw])
        more = bool(match.group("plus")) or (match.group("over") or "").casefold() in (
            "over", "more than"
        )  # fmt: skip
        text = match.group(0)
        run.facts.append(Fact("experience", text))
        have = f"{computed:.1f}".rstrip("0").rstrip(".")
        if claimed < computed or (claimed == computed and not more):
            run.accept("experience", text, f"your dated positions add up to {have} years")
        else:
            run.fail(
                "experience",
                text,
                f'"{text}" overstates your experience: your dated positions add up to {have} years',
            )


def _quantity_supported(run: _Run, quantity: Quantity) -> bool:
    if quantity.kind == "year":
        return int(quantity.value) in run.source_years
    if quantity_supported(quantity, run.source_quantities):
        return True
    # A derived number (the years of experience) supports only a number of years: "a team of
    # 14" is not evidenced by 14 years of experience.
    if quantity.kind != "number" or not _YEARS_AFTER.match(run.output, quantity.end):
        return False
    return any(same_value(quantity.value, value) for value in run.evidence.derived)


_YEARS_AFTER = re.compile(r"\s*\+?\s*(?:-\s*)?(?:years?|yrs?)\b", re.IGNORECASE)


def _quantities(run: _Run) -> None:
    for quantity in quantities(run.output):
        if not run.take(quantity.start, quantity.end):
            continue
        run.facts.append(Fact(quantity.kind, quantity.text))
        if _quantity_supported(run, quantity):
            run.accept(quantity.kind, quantity.text, f"the same value is stated in {run.where}")
            continue
        if quantity.kind == "year":
            reason = f"the year {quantity.text} is not in {run.where}"
        else:
            label = {"percent": "percentage", "money": "amount", "multiple": "outcome"}.get(
                quantity.kind, "number"
            )
            reason = f'the {label} "{quantity.text}" is not in {run.where}'
        run.fail(quantity.kind, quantity.text, reason)


def _skills(run: _Run) -> None:
    """Skills the taxonomy knows."""
    for mention in extract_skills(run.output):
        if not run.take(mention.start, mention.end):
            continue
        run.facts.append(Fact("skill", mention.name))
        if run.scope is not None:
            if mention.skill_id in _scope_skills(run.scope) or _mentions(
                fold(run.scope), fold(mention.surface)
            ):
                run.accept("skill", mention.name, "named in this position's own text")
            elif mention.skill_id in run.evidence.skill_ids:
                run.fail(
                    "skill",
                    mention.name,
                    f"{mention.name} is in your profile, but not in this position: "
                    "a skill from another job is not evidence for this one",
                )
            else:
                run.fail("skill", mention.name, f"the skill {mention.name} is not in your profile")
            continue
        if mention.skill_id in run.evidence.skill_ids:
            run.accept("skill", mention.name, "one of your profile's skills")
            continue
        if _mentions(run.evidence.folded, fold(mention.surface)):
            run.accept("skill", mention.name, "named in your profile's text")
        else:
            run.fail("skill", mention.name, f"the skill {mention.name} is not in your profile")


def _titles(run: _Run) -> None:
    """Titles (before names: their words are not names to look up again)."""
    for match in _TITLE_CLAIM.finditer(run.output):
        if not run.take(*match.span()):
            continue
        word = match.group(0)
        run.facts.append(Fact("title", word))
        if not _mentions(run.evidence.folded, fold(word)):
            run.fail("title", word, f'the title "{word}" is not in your profile')


def _degrees(run: _Run) -> None:
    """Degrees (before names, as titles)."""
    for match in _DEGREE_CLAIM.finditer(run.output):
        if not run.take(*match.span()):
            continue
        word = match.group(0)
        run.facts.append(Fact("degree", word))
        if degree_level(word) not in run.evidence.degree_levels:
            run.fail("degree", word, f'the degree "{word}" is not in your profile')


def _names(run: _Run) -> None:
    """Names: employers, institutions, products, places, titles."""
    source_names = f" {fold_name(run.source)} " if run.source is not None else ""
    if run.scope is not None:
        source_names += f" {fold_name(run.scope)} "
    target_names = [fold_name(t) for t in run.evidence.targets]
    for span, initial in name_spans(run.output, skip=run.skip):
        run.facts.append(Fact("name", span))
        for name in _unsupported_names(
            span, initial, run.evidence, source_names, target_names, scoped=run.scope is not None
        ):
            if run.scope is not None and fold_name(name) in run.evidence.employers:
                run.fail("name", name, f"{name} is another of your employers, not this position's")
            else:
                run.fail("name", name, f'"{name}" is not in your profile')


def _job_employer_claims(run: _Run) -> None:
    """The job's company named as a past employer ("worked at Acme")."""
    for target in run.evidence.targets:
        claim = re.search(
            r"\b(?:worked|work|working|employed|served|interned|was|were)\s+(?:at|for|with|by)\s+"
            + re.escape(target),
            run.output,
            re.IGNORECASE,
        )
        if claim and not _contains_name(run.evidence.names, target):
            run.facts.append(Fact("name", target))
            run.fail("name", target, f"{target} is the job's employer, not one of yours")


def _certification(run: _Run) -> None:
    if match := _CERT_CLAIM.search(run.output):
        run.facts.append(Fact("certification", match.group(0)))
        if not run.evidence.has_certifications and not _CERT_CLAIM.search(run.source_folded):
            run.fail("certification", match.group(0), "your profile lists no certification")


# The claim checks, in order: each reads only the spans the ones before it left unread.
_CLAIM_CHECKS: tuple[Callable[[_Run], None], ...] = (
    _job_targets,
    _contact_details,
    _dates,
    _experience,
    _quantities,
    _skills,
    _titles,
    _degrees,
    _names,
    _job_employer_claims,
    _certification,
)


def check(
    output: str,
    *,
    evidence: Evidence,
    source: str | None = None,
    context_dates: Iterable[tuple[int, int | None]] = (),
    scope: str | None = None,
    source_name: str = "the source bullet",
) -> Grounding:
    """Find the facts in ``output`` and the ones neither the source nor the profile supports.

    ``source`` is the text the output rewrites (a bullet); quantities and dates must come from
    it (or ``context_dates``, its position's dates). Without a source they may come from
    anywhere in the profile. ``scope`` is the text of the position the output belongs to (its
    title, company and bullets): skills and names must be there, not in another position.
    """
    run = _Run.start(output, evidence, source, context_dates, scope, source_name)
    for claim_check in _CLAIM_CHECKS:
        claim_check(run)
    return Grounding(
        facts=tuple(run.facts), unsupported=tuple(run.unsupported), verdicts=run.verdicts()
    )


def _unsupported_names(
    span: str,
    initial: bool,
    evidence: Evidence,
    source_names: str,
    targets: list[str],
    *,
    scoped: bool = False,
) -> list[str]:
    def known(part: str) -> bool:
        folded = fold_name(part)
        if not folded or all(w in GENERIC for w in folded.split()):
            return True
        if f" {folded} " in source_names:
            return True
        if scoped and folded in evidence.employers:
            return False  # another position's employer, moved into this one
        if f" {folded} " in evidence.names:
            return True
        return folded in targets

    if known(span):
        return []
    words = span.split()
    if initial and len(words) == 1 and reads_as_verb_or_function_word(words[0]):
        return []
    # "Stripe and Adyen", "University of X and Y": each name on its own.
    parts = [" ".join(group) for group in _split_on_connectors(words) if group]
    if len(parts) > 1:
        return [p for p in parts if not known(p)]
    return [span]


def _split_on_connectors(words: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for word in words:
        if word.casefold() == "and":
            groups.append([])
        else:
            groups[-1].append(word)
    return groups


def describe(result: Grounding) -> str:
    """Say in one sentence what a failed check found."""
    reasons = result.reasons()
    if not reasons:
        return "Every fact is traced to your profile."
    return "; ".join(reasons[:5]) + (f" (and {len(reasons) - 5} more)" if len(reasons) > 5 else "")


def profile_dates(dates: Iterable[Any]) -> set[tuple[int, int | None]]:
    """Return (year, month) pairs of partial dates (objects with ``year`` and ``month``)."""
    found: set[tuple[int, int | None]] = set()
    for date in dates:
        if date is not None and getattr(date, "year", None):
            found.add((date.year, date.month))
            found.add((date.year, None))
    return found
