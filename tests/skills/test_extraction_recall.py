"""Extraction recall without losing precision: the misses and false hits listed in issue 19."""

from __future__ import annotations

import pytest

from careergini.skills.extraction import extract_skill_ids, extract_skills
from careergini.skills.matching import parse_job
from careergini.skills.taxonomy import load_taxonomy


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("Background tasks with Celery and SQLAlchemy models", "celery"),
        ("Background tasks with Celery and SQLAlchemy models", "sqlalchemy"),
        ("Deployments through Spinnaker", "spinnaker"),
        ("Tests in Mocha and Chai", "chai"),
        ("Planning in Oracle Hyperion; dashboards in OBIEE", "oracle-hyperion"),
        ("Planning in Oracle Hyperion; dashboards in OBIEE", "obiee"),
        ("Support the VoIP phone system", "voip"),
        ("We run containerized applications", "containers"),
    ],
)
def test_new_names_are_found(text: str, skill_id: str) -> None:
    assert skill_id in extract_skill_ids(text)


def test_celery_the_vegetable_is_not_a_skill() -> None:
    assert "celery" not in extract_skill_ids("Chop the celery and carrots for the soup")


@pytest.mark.parametrize(
    "text",
    ["Tags: angular, spring, azure, r", "angular, spring, azure, r"],
)
def test_lower_case_tag_lists_are_read(text: str) -> None:
    assert {"angular", "spring", "azure", "r"} <= extract_skill_ids(text)


def test_lower_case_words_in_prose_stay_words() -> None:
    assert extract_skill_ids("We go the extra mile and react to change each spring") == set()
    # Capitalised ambiguous names alone still prove nothing.
    assert extract_skill_ids("Go, Swift, Rust") == set()
    # Lower case next to capitals is not a tag list: only the sure ones count.
    assert extract_skill_ids("Python, react, Docker") == {"python", "docker"}


def test_a_skills_line_reads_lower_case_names() -> None:
    assert {"angular", "react"} <= extract_skill_ids("Frameworks: angular, react")


def test_git_jenkins_keeps_jenkins() -> None:
    assert {"git", "jenkins", "maven"} <= extract_skill_ids("Experience with GIT Jenkins and Maven")
    assert "jenkins" not in extract_skill_ids("Talk to Dr. Sarah Jenkins about the role")


def test_a_dash_between_words_does_not_join_them() -> None:
    assert "teamwork" not in extract_skill_ids("Strong team - work balance")
    assert "teamwork" in extract_skill_ids("Strong teamwork")
    assert "scikit-learn" in extract_skill_ids("Models in scikit-learn")


def test_pos_is_point_of_sale_not_a_product() -> None:
    (mention,) = extract_skills("Experience with POS systems")
    assert mention.skill_id == "point-of-sale"
    assert load_taxonomy()[mention.skill_id].name == "Point of sale (POS) systems"


def test_boilerplate_asks_nothing() -> None:
    text = """\
Data Analyst

Requirements
- SQL and Tableau

We process your personal data in line with GDPR for recruitment purposes.

About us
We are a recruitment and marketing firm that runs on Salesforce.

Equal opportunity
We welcome applicants regardless of race, age or gender and offer reasonable accommodation.
"""
    asked = {s.skill_id for s in parse_job(text=text).skills}
    assert asked == {"sql", "tableau"}


@pytest.mark.parametrize(
    ("q", "first"),
    [("kubernets", "kubernetes"), ("pyton", "python"), ("javscript", "javascript")],
)
def test_autocomplete_forgives_a_typo(q: str, first: str) -> None:
    found = load_taxonomy().search(q, limit=5)
    assert found and found[0].id == first


def test_autocomplete_finds_nothing_for_nonsense() -> None:
    assert load_taxonomy().search("zzzz", limit=5) == []
    assert load_taxonomy().search("qxv", limit=5) == []
