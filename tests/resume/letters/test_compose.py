"""Deterministic letter sentences are grammatical whatever form the bullet starts with."""

from __future__ import annotations

import re

import pytest

from careergini.resume.letters.compose import as_clause


@pytest.mark.parametrize(
    ("bullet", "clause"),
    [
        ("Built FastAPI services.", "I built FastAPI services"),
        ("Working on the search API", "my work included working on the search API"),
        ("Implementing fraud rules", "my work included implementing fraud rules"),
        ("Designs payment APIs", "I designed payment APIs"),
        ("Lead the platform team", "I led the platform team"),
        ("Apply ML to fraud", "I applied ML to fraud"),
        ("Responsible for billing", "I was responsible for billing"),
        ("Development of the data platform", "my work included development of the data platform"),
    ],
)
def test_a_bullet_becomes_a_clause_with_its_subject(bullet: str, clause: str) -> None:
    assert as_clause(bullet) == clause
    # The "I working on…", "I implementing…": never a bare gerund after "I".
    assert not re.search(r"\bI \w+ing\b", clause)
