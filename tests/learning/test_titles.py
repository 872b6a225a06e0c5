"""Titles as people type them resolve to fitting roles; the 50 tech roles' roadmaps cover their
core skills and never teach what the profile already shows."""

from __future__ import annotations

from datetime import date

import pytest

from careergini.learning import planner, targets, titles
from careergini.learning.catalogue import load_catalogue
from careergini.learning.schedule import project_for
from careergini.skills.candidate import Candidate, CandidateSkill
from careergini.skills.service import load_roles, load_taxonomy


def candidate(*skills: str, years: float = 0, seniority: str | None = None) -> Candidate:
    return Candidate(
        skills={s: CandidateSkill(s, s, ("resume",), 2026) for s in skills},
        titles=(),
        years_experience=years,
        seniority=seniority,
        experience_text="",
        full_text="",
    )


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
    found = targets.resolve_role(typed)
    assert found.id == titles.TECH_PREFIX + role


def test_other_titles_still_come_from_esco_and_onet() -> None:
    assert targets.resolve_role("Data Scientists").id == "onet:15-2051.00"
    assert targets.resolve_role("registered nurse").source == "onet"
    assert targets.resolve_role("basketmaker").source == "esco"


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


def _plan(target: str, person: Candidate) -> dict:
    resolved = targets.resolve_target(target_role=target, job_description=None)
    evidenced = targets.evidence(person)
    return planner.build_plan(
        targets.needs_from_gap(resolved, person, evidenced),
        known=evidenced,
        confidence={},
        catalogue=load_catalogue(),
        taxonomy=load_taxonomy(),
        options=planner.PlanOptions(hours_per_week=40, start_date=date(2027, 1, 4)),
    )


def _taught(plan: dict) -> set[str]:
    out: set[str] = set()
    for unit in plan["units"]:
        out.add(unit["skill_id"])
        out.update(unit["covers"])
    return out


@pytest.mark.parametrize("tech", titles.load_tech_roles(), ids=lambda t: t.slug)
def test_each_roles_roadmap_covers_its_core_skills(tech: titles.TechRole) -> None:
    plan = _plan(tech.title, candidate())
    missing = [s for s in tech.taught_core if s not in _taught(plan)]
    assert not missing
    assert plan["fits"]


# The people: what each has, and a role they aim at.
PROFILES = [
    ("staff Python/Go engineer", candidate("python", "go", "git", "sql", "docker", years=12,
        seniority="staff"), "Software engineer"),
    ("TypeScript developer", candidate("typescript", "react", "git", "html", "css", years=4),
        "Full-stack developer"),
    ("SQL analyst", candidate("postgresql", "excel", "tableau", years=3), "Data analyst"),
    ("Java engineer", candidate("spring-boot", "git", years=5), "Backend developer"),
    ("ML practitioner", candidate("pytorch", "pandas", "scikit-learn", years=2),
        "Machine learning engineer"),
    ("Next.js developer", candidate("nextjs", "git", years=1), "Frontend developer"),
]  # fmt: skip


@pytest.mark.parametrize(("who", "person", "role"), PROFILES, ids=[p[0] for p in PROFILES])
def test_no_roadmap_teaches_what_the_profile_evidences_or_implies(
    who: str, person: Candidate, role: str
) -> None:
    evidenced = targets.evidence(person)
    plan = _plan(role, person)
    taught = _taught(plan)
    assert not taught & set(evidenced), who
    assert plan["units"], who  # there is still something to learn


def test_what_the_profile_implies() -> None:
    assert targets.evidence(candidate("typescript"))["javascript"] == "via TypeScript"
    assert "python" in targets.evidence(candidate("pandas"))
    assert "sql" in targets.evidence(candidate("postgresql"))
    assert targets.evidence(candidate("go"))["computer-programming"] == "via Go"
    assert "computer-programming" not in targets.evidence(candidate("excel"))
    staff = _plan("Software engineer", PROFILES[0][1])
    assert "computer-programming" not in _taught(staff)
    assert "javascript" not in _taught(_plan("Full-stack developer", PROFILES[1][1]))
    assert "sql" not in _taught(_plan("Data analyst", PROFILES[2][1]))


def test_one_alternative_is_enough() -> None:
    # A Java engineer aiming at backend work is not taught Python, Go, C# or Node.js.
    taught = _taught(_plan("backend engineer", candidate("java")))
    assert not taught & {"python", "go", "csharp", "nodejs"}
    # Someone with none of them learns the first.
    assert "python" in _taught(_plan("backend engineer", candidate()))


# Core skills without a free resource we could vouch for yet (the report lists them).
NO_RESOURCE_YET = {
    "embedded-systems", "information-architecture", "itil", "ospf", "product-management",
    "project-management", "real-time-operating-system-rtos", "siem", "vmware",
}  # fmt: skip


def test_core_skills_have_a_free_resource() -> None:
    catalogue = load_catalogue()
    have = catalogue.skills_with_resources()
    lacking = {
        skill
        for tech in titles.load_tech_roles()
        for skill in tech.taught_core
        if skill not in have and catalogue.covering_skill(skill) not in have
    }
    assert lacking <= NO_RESOURCE_YET


def test_a_testing_tool_gets_a_test_suite_project_not_a_deployment() -> None:
    unit = planner.Unit(
        key="jest", name="Jest", category="devops", importance="required", rank=1, popularity=1
    )
    project = project_for(unit, None, [], position="first")
    assert project["name"] == "Jest test suite"
    assert "test suite" in project["description"] and "deploy" not in project["description"]
