"""Resumes in German, French, Spanish, Portuguese, Italian and Dutch: headings, months, dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from careergini.profile.parsers import parse_document
from careergini.profile.parsers.findings import detect_language, warning_codes
from tests.fixtures.corpus.languages import CVS

REAL_WORLD = Path(__file__).resolve().parents[1] / "fixtures" / "real-world"

STARTS = {
    "de": ((2019, 5), (2016, 3)),
    "fr": ((2020, 1), (2018, 2)),
    "es": ((2020, 1), (2017, 3)),
    "pt": ((2019, 9), (2018, 1)),
    "it": ((2020, 1), (2018, 9)),
    "nl": ((2019, 3), (2017, 1)),
}


@pytest.mark.parametrize("language", list(CVS))
def test_a_cv_in_another_language_reads_positions_dates_education_and_skills(language: str):
    text = CVS[language]
    assert detect_language(text) == language
    result = parse_document(text.encode())
    profile = result.profile
    assert len(profile.work) == 2, profile.work
    current, earlier = profile.work
    assert current.current and current.start is not None
    assert (current.start.year, current.start.month) == STARTS[language][0]
    assert earlier.start is not None and earlier.end is not None and not earlier.current
    assert (earlier.start.year, earlier.start.month) == STARTS[language][1]
    assert all(w.company and w.title for w in profile.work)
    assert profile.education and profile.education[0].institution
    assert {"Python", "SQL", "Docker"} <= {s.name for s in profile.skills}
    assert warning_codes(result.warnings) == ["other_language"]


def test_the_real_german_resume_gives_positions_or_says_why():
    result = parse_document((REAL_WORLD / "madic_lebenslauf_de.pdf").read_bytes())
    codes = warning_codes(result.warnings)
    assert "other_language" in codes
    assert result.profile.work or "no_positions" in codes
    assert [w.company or w.title for w in result.profile.work][:1] == ["Titel 1"] or codes


def test_the_german_markdown_source_reads_dated_positions():
    result = parse_document((REAL_WORLD / "madic_lebenslauf_de.md").read_bytes())
    dated = [w for w in result.profile.work if w.start]
    assert len(dated) >= 3
    assert dated[0].current and dated[0].start is not None
    assert (dated[0].start.year, dated[0].start.month) == (2019, 5)
