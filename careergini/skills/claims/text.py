"""Reading the claims in a text: numbers (digits, words and multiples), dates and names.

Pure: text in, what it states out. ``check`` (the claims check) decides what the profile
supports; this module only finds and normalises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

FactKind = Literal[
    "number", "percent", "money", "year", "multiple", "date", "name", "skill", "title",
    "degree", "certification", "contact", "experience",
]  # fmt: skip
QuantityKind = Literal["number", "percent", "money", "year", "multiple"]

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
    r"(?:\s?(?P<times>x|×|times)(?![\w]))?"
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
        elif match.group("times"):
            kind = "multiple"
        elif not mult and _is_year(value, raw):
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
    found_multiples = multiples(text)
    # "ten-fold", "2 times": the multiple, not the bare number inside it.
    found = [
        q for q in found if not any(m.start <= q.start < m.end for m in found_multiples)
    ] + found_multiples
    return sorted(found, key=lambda q: q.start)


_FOLD_WORDS = {k: float(v) for k, v in (_UNIT_WORDS | _TEN_WORDS).items()} | {"hundred": 100.0}
_MULTIPLE = re.compile(
    r"\b(?:(?P<two>doubl(?:ed|es|ing|e))|(?P<three>tripl(?:ed|es|ing|e))"
    r"|(?P<four>quadrupl(?:ed|es|ing|e))|(?P<half>halv(?:ed|es|ing|e)|(?:cut|cutting|by)\s+"
    r"(?:it\s+|them\s+|costs?\s+)?(?:in\s+)?half)|(?P<twice>twice)|(?P<thrice>thrice)"
    r"|(?P<fold>\d+|" + "|".join(_UNIT_WORDS | _TEN_WORDS) + r"|hundred)[-\s]?fold)\b",
    re.IGNORECASE,
)


def multiples(text: str) -> list[Quantity]:
    """Return the outcomes written as multiples: doubled, tripled, halved, twice, tenfold."""
    found = []
    for match in _MULTIPLE.finditer(text):
        if match.group("two") or match.group("twice"):
            value = 2.0
        elif match.group("three") or match.group("thrice"):
            value = 3.0
        elif match.group("four"):
            value = 4.0
        elif match.group("half"):
            value = 0.5
        else:
            word = match.group("fold").casefold()
            value = float(word) if word.isdigit() else _FOLD_WORDS[word]
        found.append(
            Quantity(
                text=match.group(0),
                value=value,
                kind="multiple",
                start=match.start(),
                end=match.end(),
            )
        )
    return found


def _as_percent_change(multiple: float) -> float:
    """The percentage change a multiple means: doubled is +100%, halved is -50%."""
    return (multiple - 1) * 100 if multiple >= 1 else (1 - multiple) * 100


def month_years(text: str) -> list[tuple[int, int, int, int]]:
    """Return (year, month, start, end) of every "Month Year" date in the text."""
    return [
        (int(m.group("year")), _MONTHS[m.group("month").casefold()], m.start(), m.end())
        for m in _MONTH_YEAR.finditer(text)
    ]


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def quantity_supported(wanted: Quantity, available: Iterable[Quantity]) -> bool:
    """Tell whether a quantity is stated among the available ones (value and kind agree)."""
    for have in available:
        if wanted.kind == "multiple" or have.kind == "multiple":
            if _multiple_matches(wanted, have):
                return True
            continue
        if not same_value(wanted.value, have.value):
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


def _multiple_matches(wanted: Quantity, have: Quantity) -> bool:
    """Doubled matches doubled, twice, 2x and a 100% change; nothing else."""
    if wanted.kind == "multiple" and have.kind == "multiple":
        return same_value(wanted.value, have.value)
    multiple, other = (wanted, have) if wanted.kind == "multiple" else (have, wanted)
    return other.kind == "percent" and same_value(_as_percent_change(multiple.value), other.value)


# --- names ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_](?:[\w'’&+#.\-]*[\w+#])?")
# Bounded repeats (a local part is at most 64 characters, a label 63, a name a few labels): a long
# run of "a.a.a…" must not make these searches quadratic.
EMAIL = re.compile(
    r"(?<![\w.+'-])[\w.+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}"
)
URL = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:com|org|net|io|dev|ai|app|me)(?:/\S*)?",
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
GENERIC = _word_set(
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
        return self.initial and reads_as_verb_or_function_word(self.text)


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


def reads_as_verb_or_function_word(word: str) -> bool:
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
