"""The grounding check: every fact in generated text must be traceable to the person's profile.

Pure: text and the profile's evidence in, the facts found and the ones without support out.
Nothing here calls a model, a database or the network.

What counts as a fact, and where it must be found:
- quantities: numbers, metrics, money and percentages, digits or words ("40%", "$2M",
  "2 million", "10 engineers" = "ten engineers"), compared by value and kind (a percentage
  only matches a percentage, an amount of money only an amount of money); in the source bullet
  when there is one, else anywhere in the profile (or among the derived numbers, such as the
  years of experience computed from the positions' dates);
- years and month-year dates: in the source bullet or the dates of its position, else in the
  profile;
- names: capitalised words and runs of them (employers, institutions, products, places, titles,
  certifications), acronyms and mixed-case names ("iOS"): in the source bullet, else anywhere in
  the profile; a sentence's first word is a name only when it does not read as a verb or a
  function word ("Spearheaded" is not an employer, "Google" is);
- skills: every taxonomy skill the text names (``extract_skills``) must be one of the profile's
  skills or named somewhere in the profile;
- seniority and title words ("senior", "principal", "director", "head of"), degrees
  ("M.S.", "PhD", "bachelor's"), certification words ("certified") and contact details: in the
  profile.

A rewrite that only reorders or rephrases supported facts passes; one that adds or changes a
fact fails, and the caller keeps the source text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from careergini.skills.service import extract_skills

FactKind = Literal[
    "number", "percent", "money", "year", "date", "name", "skill", "title", "degree",
    "certification", "contact",
]  # fmt: skip
QuantityKind = Literal["number", "percent", "money", "year"]


# --- normalisation ----------------------------------------------------------------------------

_FOLD_TABLE = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"}
)
_SUFFIXES = re.compile(r"\b(inc|llc|ltd|gmbh|corp|corporation|co|plc|sa|ag|limited|company)\b")


def fold(text: str) -> str:
    """Fold case, quotes, dashes and whitespace."""
    return " ".join(text.translate(_FOLD_TABLE).casefold().split())


def fold_name(text: str) -> str:
    """Fold a name for comparison: case, punctuation, possessives and company suffixes."""
    folded = fold(text)
    folded = re.sub(r"'s\b", "", folded)
    folded = re.sub(r"[^\w\s]", " ", folded)
    folded = _SUFFIXES.sub(" ", folded)
    return " ".join(folded.split())


# --- quantities -------------------------------------------------------------------------------

_MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9,
    "bn": 1e9, "billion": 1e9, "trillion": 1e12, "hundred": 1e2,
}  # fmt: skip
_CURRENCIES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pound": "GBP",
    "pounds": "GBP", "¥": "JPY", "jpy": "JPY", "yen": "JPY", "₹": "INR", "inr": "INR",
    "rupees": "INR",
}  # fmt: skip
_DIGITS = re.compile(
    r"(?<![\w.,])"
    r"(?P<cur>US\$|[$€£¥₹]|(?:usd|eur|gbp|inr)\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?:st|nd|rd|th)\b)?"
    r"(?:\s?(?P<mult>k|mm|mn|m|bn|b|thousand|million|billion|trillion)(?![\w]))?"
    r"\+?"
    r"(?:\s?(?P<pct>%|percent\b|per\s?cent\b|pct\b))?"
    r"(?:\s?(?P<times>x|×)(?![\w]))?"
    r"(?:\s?(?P<curw>usd|eur|gbp|inr|dollars?|euros?|pounds|yen|rupees)\b)?",
    re.IGNORECASE,
)
_UNIT_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
}  # fmt: skip
_TEN_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SMALL = {"one": 1, **{k: v for k, v in _UNIT_WORDS.items() if v < 10}}
_WORDS = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TEN_WORDS) + r")(?:[-\s](?P<ones>" + "|".join(_SMALL) + r"))?"
    r"|(?P<unit>" + "|".join(_UNIT_WORDS) + r")"
    r"|(?P<one>a|one)(?=\s(?:hundred|thousand|million|billion)\b))"
    r"(?:\s(?P<mult>hundred|thousand|million|billion))?"
    r"(?:\s(?P<pct>percent|per\s?cent)\b)?\b",
    re.IGNORECASE,
)
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_MONTH_YEAR = re.compile(
    r"\b(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?,?\s+"
    r"(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written and as a value: "$2M" is 2,000,000 of money in USD."""

    text: str
    value: float
    kind: QuantityKind
    currency: str | None = None
    start: int = 0
    end: int = 0


def _is_year(value: float, raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1940 <= value <= 2100


def quantities(text: str) -> list[Quantity]:
    """Return every number in the text (digits or number words) with its value and kind."""
    found: list[Quantity] = []
    for match in _DIGITS.finditer(text):
        raw = match.group("num")
        value = float(raw.replace(",", ""))
        mult = (match.group("mult") or "").casefold()
        value *= _MULTIPLIERS.get(mult, 1.0)
        currency_text = (match.group("cur") or match.group("curw") or "").strip().casefold()
        currency = _CURRENCIES.get(currency_text)
        kind: QuantityKind = "number"
        if match.group("pct"):
            kind = "percent"
        elif currency:
            kind = "money"
        elif not mult and not match.group("times") and _is_year(value, raw):
            kind = "year"
        found.append(
            Quantity(
                text=match.group(0).strip(),
                value=value,
                kind=kind,
                currency=currency,
                start=match.start(),
                end=match.end(),
            )
        )
    for match in _WORDS.finditer(text):
        if match.group("tens"):
            value = float(_TEN_WORDS[match.group("tens").casefold()])
            if match.group("ones"):
                value += _SMALL[match.group("ones").casefold()]
        elif match.group("unit"):
            value = float(_UNIT_WORDS[match.group("unit").casefold()])
        else:
            value = 1.0
        mult = (match.group("mult") or "").casefold()
        if match.group("one") and not mult:
            continue
        value *= _MULTIPLIERS.get(mult, 1.0)
        found.append(
            Quantity(
                text=match.group(0),
                value=value,
                kind="percent" if match.group("pct") else "number",
                start=match.start(),
                end=match.end(),
            )
        )
    return sorted(found, key=lambda q: q.start)


def month_years(text: str) -> list[tuple[int, int, int, int]]:
    """Return (year, month, start, end) of every "Month Year" date in the text."""
    return [
        (int(m.group("year")), _MONTHS[m.group("month").casefold()], m.start(), m.end())
        for m in _MONTH_YEAR.finditer(text)
    ]


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def quantity_supported(wanted: Quantity, available: Iterable[Quantity]) -> bool:
    """Tell whether a quantity is stated among the available ones (value and kind agree)."""
    for have in available:
        if not _same_value(wanted.value, have.value):
            continue
        if wanted.kind == "percent":
            if have.kind == "percent":
                return True
        elif wanted.kind == "money":
            if have.kind == "money" and (
                wanted.currency is None or have.currency in (None, wanted.currency)
            ):
                return True
        elif have.kind != "percent":
            return True
    return False


# --- names ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_](?:[\w'’&+#.\-]*[\w+#])?")
_EMAIL = re.compile(r"[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
_URL = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|app|me)(?:/\S*)?",
    re.IGNORECASE,
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CONNECTORS = frozenset({"of", "and", "for", "de", "la", "du", "von", "van", "der"})
_SENTENCE_END = ".!?:;•·\n–—"
# Words that start sentences without naming anything.
_FUNCTION_WORDS = _word_set(
    """
    a an the this that these those our my we i he she they it its their his her you your in
    on at for with by from to of over across under within through after before during since
    while when where as and but or also then both each every all more most some many several
    other another any no not only key new major multiple various numerous first last next
    here there what which who how why if because so thus together further additionally
    currently previously recently today now once again later early
    """
)
# Action verbs resumes start bullets with, in forms the suffix rules below do not catch.
_VERBS = _word_set(
    """
    build built lead led run ran grow grew win won cut drive drove write wrote make made set
    take took begin began bring brought sell sold teach taught hold held keep kept meet met
    send sent spend spent rebuild rebuilt rewrite rewrote oversee oversaw undertake
    undertook own design develop deliver manage create launch ship scale migrate automate
    improve reduce increase implement maintain mentor partner architect streamline optimize
    optimise establish introduce define support coordinate collaborate analyze analyse
    research present negotiate plan organize organise direct guide coach train hire recruit
    serve help enable transform modernize modernise refactor resolve troubleshoot debug test
    deploy operate monitor secure integrate configure document publish speak edit review
    audit evaluate assess identify spearhead pioneer champion accelerate boost save generate
    earn achieve exceed expand extend consolidate standardize standardise unify prototype
    handle oversee shape steer found co-found cofound head chair represent produce prepare
    conduct perform provide ensure facilitate contribute drive raise lower halve double
    triple onboard upgrade port wire host ideate invent patent file translate model forecast
    price budget quantify measure track report visualize visualise mine clean process handle
    reach
    """
)
# Capitalised words that name nothing about the person.
_GENERIC = _word_set(
    """
    i january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday api apis ui ux kpi kpis okr okrs sla slas slo slos roi mvp b2b
    b2c saas paas iaas poc faq yoy qoq mom eod
    """
)


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int
    initial: bool

    @property
    def initial_verb(self) -> bool:
        return self.initial and _reads_as_verb_or_function_word(self.text)


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word = re.sub(r"['’]s$", "", match.group(0))
        before = text[: match.start()].rstrip()
        initial = not before or before[-1] in _SENTENCE_END or before.endswith(" -")
        tokens.append(_Token(word, match.start(), match.start() + len(word), initial))
    return tokens


def _is_capitalised(word: str) -> bool:
    if not word[:1].isalpha():
        return False
    return word[0].isupper() or any(c.isupper() for c in word[1:])


def _reads_as_verb_or_function_word(word: str) -> bool:
    lower = word.casefold()
    if lower in _FUNCTION_WORDS or lower in _VERBS:
        return True
    if not word[1:].islower():
        return False  # "AWS", "iOS", "McKinsey": a name, whatever it ends with
    if len(lower) > 4 and lower.endswith(("ed", "ing", "ly")):
        return True
    return any(lower.endswith(end) and lower[: -len(end)] in _VERBS for end in ("es", "s"))


def name_spans(text: str, *, skip: Sequence[tuple[int, int]] = ()) -> list[tuple[str, bool]]:
    """Return runs of capitalised words ("Bank of America") and whether each starts a sentence.

    Tokens inside ``skip`` spans (skills, numbers, contact details) are left out. A sentence's
    first word stands alone when it reads as a verb ("Spearheaded Kafka" is a verb, then a name).
    """
    spans: list[tuple[str, bool]] = []
    current: list[_Token] = []
    pending: list[_Token] = []

    def close() -> None:
        if current:
            spans.append((text[current[0].start : current[-1].end], current[0].initial))
        current.clear()
        pending.clear()

    previous_end: int | None = None
    for token in _tokens(text):
        skipped = any(s <= token.start < e or s < token.end <= e for s, e in skip)
        adjacent = previous_end is not None and not text[previous_end : token.start].strip()
        previous_end = token.end
        if skipped or token.text[:1].isdigit():
            close()
            continue
        if _is_capitalised(token.text):
            if current and adjacent and not current[0].initial_verb:
                current.extend(pending)
                current.append(token)
                pending.clear()
            else:
                close()
                current.append(token)
            continue
        if current and adjacent and token.text.casefold() in _CONNECTORS and len(pending) < 2:
            pending.append(token)
            continue
        close()
    close()
    return spans


# --- claims -----------------------------------------------------------------------------------

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
class Grounding:
    facts: tuple[Fact, ...]
    unsupported: tuple[Unsupported, ...]

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
    # Spans already read as a fact (or as the job's own names): later checks pass over them.
    skip: list[tuple[int, int]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        output: str,
        evidence: Evidence,
        source: str | None,
        context_dates: Iterable[tuple[int, int | None]],
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
            where="the source bullet" if source is not None else "your profile",
            source_quantities=source_quantities,
            source_dates=source_dates,
            source_years={year for year, _ in source_dates},
            source_folded=fold(source) if source is not None else "",
        )

    def fail(self, kind: FactKind, text: str, reason: str) -> None:
        fact = Fact(kind, text)
        if all(u.fact != fact for u in self.unsupported):
            self.unsupported.append(Unsupported(fact, reason))

    def take(self, start: int, end: int) -> bool:
        """Mark a span as read; False when an earlier fact already covers part of it."""
        if any(s <= start < e or s < end <= e for s, e in self.skip):
            return False
        self.skip.append((start, end))
        return True


def _mentions(folded: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded) is not None


def _job_targets(run: _Run) -> None:
    """The job's own title and company, named as what is applied for (cover letters)."""
    for target in run.evidence.targets:
        for match in re.finditer(re.escape(target), run.output, re.IGNORECASE):
            run.skip.append(match.span())


def _contact_details(run: _Run) -> None:
    for pattern in (_EMAIL, _URL):
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


def _quantity_supported(run: _Run, quantity: Quantity) -> bool:
    if quantity.kind == "year":
        return int(quantity.value) in run.source_years
    if quantity_supported(quantity, run.source_quantities):
        return True
    return quantity.kind == "number" and any(
        _same_value(quantity.value, value) for value in run.evidence.derived
    )


def _quantities(run: _Run) -> None:
    for quantity in quantities(run.output):
        if not run.take(quantity.start, quantity.end):
            continue
        run.facts.append(Fact(quantity.kind, quantity.text))
        if _quantity_supported(run, quantity):
            continue
        if quantity.kind == "year":
            reason = f"the year {quantity.text} is not in {run.where}"
        else:
            label = {"percent": "percentage", "money": "amount"}.get(quantity.kind, "number")
            reason = f'the {label} "{quantity.text}" is not in {run.where}'
        run.fail(quantity.kind, quantity.text, reason)


def _skills(run: _Run) -> None:
    """Skills the taxonomy knows."""
    for mention in extract_skills(run.output):
        if not run.take(mention.start, mention.end):
            continue
        run.facts.append(Fact("skill", mention.name))
        if mention.skill_id in run.evidence.skill_ids:
            continue
        if not _mentions(run.evidence.folded, fold(mention.surface)):
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
    target_names = [fold_name(t) for t in run.evidence.targets]
    for span, initial in name_spans(run.output, skip=run.skip):
        run.facts.append(Fact("name", span))
        for name in _unsupported_names(span, initial, run.evidence, source_names, target_names):
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
) -> Grounding:
    """Find the facts in ``output`` and the ones neither the source nor the profile supports.

    ``source`` is the text the output rewrites (a bullet); quantities and dates must come from
    it (or ``context_dates``, its position's dates). Without a source they may come from
    anywhere in the profile.
    """
    run = _Run.start(output, evidence, source, context_dates)
    for claim_check in _CLAIM_CHECKS:
        claim_check(run)
    return Grounding(facts=tuple(run.facts), unsupported=tuple(run.unsupported))


def _unsupported_names(
    span: str, initial: bool, evidence: Evidence, source_names: str, targets: list[str]
) -> list[str]:
    def known(part: str) -> bool:
        folded = fold_name(part)
        if not folded or all(w in _GENERIC for w in folded.split()):
            return True
        if f" {folded} " in source_names or f" {folded} " in evidence.names:
            return True
        return folded in targets

    if known(span):
        return []
    words = span.split()
    if initial and len(words) == 1 and _reads_as_verb_or_function_word(words[0]):
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
