"""Read the pay: amounts with currency, multiplier ("k", "lakh") and period; not prices or revenue.

Every amount-shaped match is read, then vetoed by rule tables: first the words around it (a
budget, a percentage, funding), then what the amounts themselves make implausible as pay. The
best reading in the JD wins: a currency, a range or a period, and a pay word nearby all count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from careergini.skills.jd.document import Document
from careergini.skills.jd.schemas import Cue, SalaryPeriod, SalaryRange

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


_DIGIT_RE = re.compile(r"\d")
# After the amount: a unit that makes it something else ("401(k)", "5%", "3+ years", "10x").
_NOT_PAY_AFTER_RE = re.compile(
    r"\s*(?:\(k\)|%|\+?\s*(?:years?|yrs?)\b|x\b|employees|people|users)", re.IGNORECASE
)
_MILLIONS = ("m", "mn", "million")


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
    if suffix in _MILLIONS:
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


@dataclass(frozen=True, slots=True)
class _Context:
    """The words around one amount-shaped match."""

    before: str  # the 40 characters before it
    after: str  # the 12 characters after it
    window: str  # 80 characters before to 40 after
    currency: str | None
    has_cue: bool  # a pay word ("salary", "per annum") in the window
    millions: bool  # "$20M"


@dataclass(frozen=True, slots=True)
class _Pay:
    """The amounts of one match, multiplied out, with what decided them."""

    low: float
    high: float | None
    multiplier: str | None  # the suffix of the low end ("k"), or the high end's if it covers both
    currency: str | None
    period: SalaryPeriod | None
    has_cue: bool

    @property
    def top(self) -> float:
        return max(self.low, self.high or 0)


# Words around an amount that say it is not pay; any one vetoes it.
_NOT_PAY: tuple[tuple[str, Callable[[_Context], bool]], ...] = (
    ("a value: 'a budget of $2M'", lambda c: bool(_NOT_PAY_BEFORE_RE.search(c.before))),
    ("a unit: '401(k)', '5%', '3 years'", lambda c: bool(_NOT_PAY_AFTER_RE.match(c.after))),
    ("no currency and no pay word", lambda c: c.currency is None and not c.has_cue),
    (
        "funding: 'raised $20M', 'revenue of $5 million'",
        lambda c: (c.millions or bool(_FUNDING_RE.search(c.window))) and not c.has_cue,
    ),
)
# Amounts nobody is paid; any one vetoes the reading.
_IMPLAUSIBLE: tuple[tuple[str, Callable[[_Pay], bool]], ...] = (
    (
        "a count, not money",
        lambda p: p.currency is None and p.top < 1_000 and p.period is not SalaryPeriod.HOUR,
    ),
    (
        "a project value or a company's revenue",
        lambda p: p.period is None and p.currency not in ("INR", "JPY") and p.top >= 1e6,
    ),
    (
        "a price: '$5'",
        lambda p: (
            bool(p.currency)
            and p.period is None
            and p.high is None
            and not p.has_cue
            and not p.multiplier
            and p.low < 1_000
        ),
    ),
    ("no amount", lambda p: p.low <= 0),
)


def _context(text: str, match: re.Match[str]) -> _Context:
    window = text[max(0, match.start() - 80) : match.end() + 40]
    k1 = match["k1"]
    return _Context(
        before=text[max(0, match.start() - 40) : match.start()],
        after=text[match.end() : match.end() + 12],
        window=window,
        currency=_currency(match["c1"], match["c1b"], match["c2"], match["c2b"]),
        has_cue=bool(_SALARY_CUE_RE.search(window)),
        millions=bool(k1 and k1.strip().lower() in _MILLIONS),
    )


def _amounts(match: re.Match[str]) -> tuple[float, float | None, str | None] | None:
    """Return (low, high, multiplier) multiplied out; None when the range runs backwards."""
    a2, k1, k2 = match["a2"], match["k1"], match["k2"]
    low = _amount(match["a1"])
    high = _amount(a2) if a2 else None
    if high is not None and k2 and not k1 and low <= high:
        k1 = k2  # "$50-60k": the multiplier covers both ends
    low *= _multiplier(k1)
    if high is not None:
        high *= _multiplier(k2)
    if high is not None and high < low:
        return None
    return low, high, k1


def line_period(text: str) -> str:
    """Return the pay period the line states anywhere ("per annum" -> "year"), else ""."""
    found = _LINE_PERIOD_RE.search(text)
    if found is None:
        return ""
    word = (found.group("p1") or found.group("p2")).lower()
    return "year" if word.startswith(("annual", "p.")) else word


def _period_word(match: re.Match[str], multiplier: str | None, line_word: str) -> str:
    """Return the period as written by the amount, else "lpa", else as the line states it."""
    word = (match["per"] or match["per2"] or "").lower().replace(" ", "")
    if not word and multiplier and multiplier.strip().lower() == "lpa":
        word = "lpa"
    return word or line_word


def _read(
    text: str, match: re.Match[str], line: int, line_word: str
) -> tuple[int, SalaryRange] | None:
    """Return one match read as pay, with its score; None when it is not pay."""
    context = _context(text, match)
    if any(vetoes(context) for _, vetoes in _NOT_PAY):
        return None
    amounts = _amounts(match)
    if amounts is None:
        return None
    low, high, multiplier = amounts
    period_word = _period_word(match, multiplier, line_word)
    pay = _Pay(
        low=low,
        high=high,
        multiplier=multiplier,
        currency=context.currency,
        period=_PERIODS.get(period_word),
        has_cue=context.has_cue,
    )
    if any(vetoes(pay) for _, vetoes in _IMPLAUSIBLE):
        return None
    period, inferred = pay.period, False
    if period is None:
        period = _infer_period(pay.currency, high or low)
        inferred = period is not None
    min_amount: float | None = low
    if match["upto"]:
        min_amount, high = None, high or low
    elif high is None and not match["from"]:
        high = low
    salary = SalaryRange(
        min_amount=min_amount,
        max_amount=high,
        currency=pay.currency,
        period=period,
        period_inferred=inferred,
        cue=Cue(text=match.group(0).strip(), line=line),
    )
    score = (2 if pay.currency else 0) + (1 if match["a2"] or period_word else 0) + pay.has_cue
    return score, salary


def find_salary(doc: Document) -> SalaryRange | None:
    """Return the best reading of the pay in the JD, if any."""
    best: tuple[int, SalaryRange] | None = None
    for logical in doc.lines:
        text = logical.text
        if not (_SALARY_HINT_RE.search(text) or _SALARY_CUE_RE.search(text)):
            continue
        if not _DIGIT_RE.search(text):
            continue
        # Read the line's own period once, not once per amount: a line of a thousand amounts
        # ("$100K $100K ...") would otherwise be searched a thousand times over.
        line_word = line_period(text)
        for match in _SALARY_RE.finditer(text):
            found = _read(text, match, logical.number, line_word)
            if found is not None and (best is None or found[0] > best[0]):
                best = found
    return best[1] if best else None
