"""The roadmap writer keeps a model's text only when what it states is in the plan's data."""

from __future__ import annotations

import pytest

from careergini.learning.writer import grounded
from careergini.skills.service import build_evidence
from careergini.skills.taxonomy import load_taxonomy

PLAN = (
    "Roadmap: Data Engineer. Week 1: SQL joins. Week 2: Airflow DAGs. Month 1 project: a pipeline."
)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Steady weeks: one skill at a time, and a small project each month to show it.", True),
        ("Start with SQL joins, then schedule them. Build a pipeline to show it.", True),
        ("Twelve weeks of work, raising revenue by 73% like you did before.", False),
        ("You doubled user engagement at Initech with these skills.", False),
    ],
)
def test_a_plans_text_is_kept_only_when_grounded(text: str, kept: bool) -> None:
    allowed = {"sql", "apache_airflow", "airflow"}
    evidence = build_evidence([PLAN, "Data Engineer"], skill_ids=allowed)
    assert grounded(text, allowed=allowed, taxonomy=load_taxonomy(), evidence=evidence) is kept
