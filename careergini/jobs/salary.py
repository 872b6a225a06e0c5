"""Salaries people can compare: a yearly amount in the posting's currency, and the same in a
reference currency (``CAREERGINI_JOBS_REFERENCE_CURRENCY``) from a static file of the ECB's
reference rates (``data/exchange_rates.json``, with its source and date).

Pure: no database, no network.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RATES_FILE = Path(__file__).resolve().parent / "data" / "exchange_rates.json"
# Paid periods in a year: 52 weeks, 260 working days, 2,080 working hours.
PER_YEAR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 260.0, "hour": 2080.0}
_AMOUNT = re.compile(r"^\s*(\d{1,3}(?:[,_ ]?\d{3})*(?:\.\d+)?)\s*([km])?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rates:
    """Units of each currency per euro, on one day, from one source."""

    per_euro: dict[str, float]
    date: str
    source: str

    def convert(self, amount: float, currency: str, to: str) -> float | None:
        """The amount in another currency, or None when either is not in the file."""
        have, want = self.per_euro.get(currency.upper()), self.per_euro.get(to.upper())
        if have is None or want is None:
            return None
        return amount / have * want


@lru_cache(maxsize=1)
def load_rates() -> Rates:
    """Read the shipped exchange rates (once)."""
    document = json.loads(RATES_FILE.read_text())
    return Rates(
        per_euro={k.upper(): float(v) for k, v in document["rates_per_euro"].items()},
        date=str(document["date"]),
        source=str(document["source"]),
    )


def yearly(amount: float | None, period: str | None) -> float | None:
    """The amount for a year of work; a period not stated is read as a year."""
    if amount is None:
        return None
    return amount * PER_YEAR.get(period or "year", 1.0)


def parse_amount(text: str) -> float:
    """Read "80k", "80000", "80,000" or "1.2m" as a number; raise ValueError otherwise."""
    match = _AMOUNT.match(text)
    if match is None:
        raise ValueError(text)
    number = float(re.sub(r"[,_ ]", "", match.group(1)))
    unit = (match.group(2) or "").lower()
    return number * {"k": 1_000.0, "m": 1_000_000.0}.get(unit, 1.0)
