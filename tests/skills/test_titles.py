"""Titles as people type them resolve to fitting roles (the title index of the skills engine,
shared by the analysis's role search and the learning domain)."""

from __future__ import annotations

import pytest

from careergini.skills import titles
from careergini.skills.errors import UnknownRole
from careergini.skills.service import get_role, load_roles, load_taxonomy


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("frontend developer", "frontend-developer"),
        ("front-end developer", "frontend-developer"),
        ("Front End Developer", "frontend-developer"),
        ("Senior Frontend Engineer", "frontend-developer"),
        ("backend engineer", "backend-developer"),
        ("Back-end developer", "backend-developer"),
        ("full-stack developer", "full-stack-developer"),
        ("Full Stack Engineer II", "full-stack-developer"),
        ("site reliability engineer", "site-reliability-engineer"),
        ("SRE", "site-reliability-engineer"),
        ("DevOps engineer", "devops-engineer"),
        ("platform engineer", "platform-engineer"),
        ("ML engineer", "machine-learning-engineer"),
        ("machine learning engineer", "machine-learning-engineer"),
        ("data engineer", "data-engineer"),
        ("analytics engineer", "analytics-engineer"),
        ("WAN administrator", "network-administrator"),
        ("Sr. Data Analyst", "data-analyst"),
        ("fronted developer", "frontend-developer"),  # a typo close to one tech title
    ],
)
def test_common_tech_titles_resolve_to_fitting_roles(typed: str, role: str) -> None:
    found = titles.find_role(typed)
    assert found.id == titles.TECH_PREFIX + role


def test_other_titles_still_come_from_esco_and_onet() -> None:
    assert titles.find_role("Data Scientists").id == "onet:15-2051.00"
    assert titles.find_role("registered nurse").source == "onet"
    assert titles.find_role("basketmaker").source == "esco"


def test_an_unknown_title_suggests_close_ones() -> None:
    assert titles.find_role("quantum frontend wizard") is None
    close = [s["title"] for s in titles.suggest_roles("quantum frontend wizard")]
    assert close[0] == "Frontend developer"
    assert titles.suggest_roles("") == []


def test_each_typed_title_belongs_to_one_tech_role() -> None:
    owner: dict[str, str] = {}
    for tech in titles.load_tech_roles():
        for title in {titles.title_key(t) for t in (tech.title, *tech.titles)}:
            assert owner.setdefault(title, tech.slug) == tech.slug, title


def test_there_are_fifty_roles_whose_core_skills_are_known() -> None:
    roles = titles.load_tech_roles()
    taxonomy = load_taxonomy()
    assert len(roles) == 50
    for tech in roles:
        assert load_roles().get(tech.base_role_id) is not None, tech.slug
        assert tech.sources and len(tech.core) >= 6, tech.slug
        for entry in tech.core:
            assert all(skill in taxonomy for skill in entry), (tech.slug, entry)


def test_a_tech_role_is_analysed_like_any_role() -> None:
    role = titles.get_role("careergini:data-engineer")
    for core in ("spark", "airflow", "kafka", "dbt", "nosql"):
        assert core in role.essential_skill_ids
    assert role.description  # the O*NET occupation's
    assert titles.base_role_id(role.id) == "onet:15-1243.00"
    assert titles.base_role_id("onet:15-1243.00") == "onet:15-1243.00"


def test_the_skills_engine_knows_tech_roles_by_id() -> None:
    assert get_role("careergini:frontend-developer").title == "Frontend developer"
    assert get_role("onet:15-2051.00").source == "onet"
    with pytest.raises(UnknownRole) as unknown:
        get_role("careergini:no-such-role")
    assert unknown.value.status_code == 404


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("frontend developer", "careergini:frontend-developer"),
        ("front-end developer", "careergini:frontend-developer"),
        ("backend engineer", "careergini:backend-developer"),
        ("site reliability engineer", "careergini:site-reliability-engineer"),
        ("front", "careergini:frontend-developer"),  # typing: a tech title that starts so
        ("Data Scientists", "onet:15-2051.00"),
    ],
)
def test_search_puts_the_named_role_first(typed: str, first: str) -> None:
    hits = titles.search_titles(typed, limit=10)
    assert hits[0].role.id == first
    assert len({h.role.id for h in hits}) == len(hits)


def test_search_falls_back_to_catalogue_prefixes_and_then_close_titles() -> None:
    nurses = titles.search_titles("registered nur", limit=5)
    assert nurses and all("nur" in h.title.casefold() for h in nurses)
    close = titles.search_titles("quantum frontend wizard", limit=5)
    assert close[0].role.id == "careergini:frontend-developer"
    assert titles.search_titles("", limit=5) == []
