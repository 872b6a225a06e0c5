"""Salaries a person can compare: yearly amounts, a reference currency, typed amounts."""

from __future__ import annotations

import pytest

from careergini.jobs.matching import salary_of
from careergini.jobs.salary import load_rates, parse_amount, yearly


def test_pay_for_a_year_of_work() -> None:
    assert yearly(50.0, "hour") == 104_000
    assert yearly(5_000.0, "month") == 60_000
    assert yearly(90_000.0, "year") == yearly(90_000.0, None) == 90_000
    assert yearly(None, "hour") is None


def test_the_rates_file_names_its_source_and_date() -> None:
    rates = load_rates()
    assert "European Central Bank" in rates.source and rates.date == "2026-10-30"
    assert rates.per_euro["EUR"] == 1.0
    assert rates.convert(100.0, "EUR", "EUR") == 100.0
    # 1 EUR = 1.1172 USD on that day.
    assert rates.convert(1.0, "EUR", "USD") == pytest.approx(1.1172)
    assert rates.convert(1.1172, "usd", "eur") == pytest.approx(1.0)
    assert rates.convert(1.0, "XYZ", "USD") is None


def test_amounts_typed_in_a_filter() -> None:
    assert parse_amount("80k") == parse_amount("80,000") == parse_amount(" 80000 ") == 80_000
    assert parse_amount("1.2m") == 1_200_000
    for bad in ("eighty", "80kk", "-5", ""):
        with pytest.raises(ValueError):
            parse_amount(bad)


def test_a_salary_shown_for_a_year_and_in_the_reference_currency() -> None:
    monthly_inr = salary_of(100_000.0, 150_000.0, "INR", "month", "USD")
    assert (monthly_inr.yearly_min, monthly_inr.yearly_max) == (1_200_000, 1_800_000)
    # 1,200,000 INR / 106.084 INR per EUR * 1.1172 USD per EUR
    assert monthly_inr.reference_yearly_min == round(1_200_000 / 106.084 * 1.1172)
    assert monthly_inr.note is not None and "ECB reference rate of 2026-10-30" in monthly_inr.note
    hourly_usd = salary_of(40.0, None, "USD", "hour", "USD")
    assert hourly_usd.reference_yearly_min == 83_200 and hourly_usd.reference_yearly_max is None
    unstated = salary_of(85_000.0, None, None, None, "USD")
    assert unstated.reference_yearly_min == 85_000
    assert "not stated" in (unstated.note or "")
    unknown = salary_of(1.0, 2.0, "XYZ", "year", "USD")
    assert unknown.reference_yearly_min is None and "No exchange rate" in (unknown.note or "")
