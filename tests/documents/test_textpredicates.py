"""Dates, lengths of time and places, told apart in short pieces of text."""

from __future__ import annotations

from careergini.documents.textpredicates import is_date_only, is_duration


def test_date_only_and_durations():
    assert is_date_only("Sept 2018 – May 2023")
    assert is_date_only("Present")
    assert is_date_only("2 years 10 months")
    assert not is_date_only("NeurIPS 2022 (spotlight)")
    assert is_duration("4 months")
    assert not is_duration("4 engineers")
