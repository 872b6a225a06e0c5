"""Resume date forms, parsed the way people write them."""

from __future__ import annotations

import pytest

from careergini.profile.parsers.dates import (
    find_date_ranges,
    parse_date,
    parse_date_range,
    strip_dates,
)


def _ym(date):
    if date is None:
        return None
    return "present" if date.present else (date.year, date.month)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Jan 2020 – Present", (2020, 1), "present"),
        ("January 2020 - Current", (2020, 1), "present"),
        ("Sept. 2021 — Dec 2022", (2021, 9), (2022, 12)),
        ("2017 - 2019", (2017, None), (2019, None)),
        ("2017–2019", (2017, None), (2019, None)),
        ("Mar 2021 to Jun 2022", (2021, 3), (2022, 6)),
        ("10/2015 - 03/2017", (2015, 10), (2017, 3)),
        ("2019-03 – 2020-11", (2019, 3), (2020, 11)),
        ("Spring 2019 – Fall 2020", (2019, None), (2020, None)),
        ("Jan '19 - Dec '20", (2019, 1), (2020, 12)),
        ("June 2023 – now", (2023, 6), "present"),
        ("Aug 2020 until Present", (2020, 8), "present"),
    ],
)
def test_parse_date_range_reads_common_forms(text, start, end):
    found = parse_date_range(text)
    assert found is not None
    assert _ym(found.start) == start
    assert _ym(found.end) == end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-03", (2019, 3)),
        ("03/2019", (2019, 3)),
        ("Sept. 2021", (2021, 9)),
        ("September 2021", (2021, 9)),
        ("Summer 2018", (2018, None)),
        ("2016", (2016, None)),
        ("2020-01-15", (2020, 1)),
        ("Present", "present"),
        ("Currently", "present"),
    ],
)
def test_parse_date_reads_single_dates(text, expected):
    parsed = parse_date(text)
    assert parsed is not None
    assert _ym(parsed) == expected
    assert parsed.raw


@pytest.mark.parametrize("text", ["", "Python", "3.97/4.00", "1/2", "2019-2020-2021x", "Q3"])
def test_parse_date_rejects_what_is_not_a_date(text):
    assert parse_date(text) is None


def test_single_date_is_the_end_of_a_range():
    found = parse_date_range("Bachelor of Science, State University, May 2016")
    assert found is not None
    assert found.start is None
    assert _ym(found.end) == (2016, 5)


def test_open_range_keeps_its_start():
    found = parse_date_range("2017 –")
    assert found is not None
    assert _ym(found.start) == (2017, None)
    assert found.end is None


def test_strip_dates_leaves_the_rest_of_a_header():
    rest, found = strip_dates("Full Stack Developer, ABC Company, June 2018 - Present")
    assert rest == "Full Stack Developer, ABC Company"
    assert found is not None and found.current


def test_find_date_ranges_does_not_read_version_numbers_or_gpas():
    assert find_date_ranges("GPA: 3.97/4.00, Python 3.11, 2x speedup") == []
