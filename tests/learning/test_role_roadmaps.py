"""The 50 tech roles' roadmaps cover their core skills and never teach what the profile already
shows (the title index itself is tested in tests/skills/test_titles.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from careergini.core.db import utcnow
from careergini.learning import planner, targets
from careergini.learning.catalogue import load_catalogue
from careergini.learning.schedule import project_for
from careergini.profile import aggregate
from careergini.profile.aggregate import ImportInput
from careergini.profile.parsers import parse_document
from careergini.skills import titles
from careergini.skills.candidate import Candidate, CandidateSkill
from careergini.skills.service import candidate_from_profile, load_taxonomy


def candidate(*skills: str, years: float = 0, seniority: str | None = None) -> Candidate:
    return Candidate(
        skills={s: CandidateSkill(s, s, ("resume",), 2026) for s in skills},
        titles=(),
        years_experience=years,
        seniority=seniority,
        experience_text="",
        full_text="",
    )


def test_learning_resolves_typed_titles_through_the_skills_title_index() -> None:
    assert targets.resolve_role("front-end developer").id == "careergini:frontend-developer"
    assert targets.resolve_role("careergini:data-engineer").title == "Data engineer"
    assert targets.resolve_role("Data Scientists").id == "onet:15-2051.00"


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
NO_RESOURCE_YET = {"itil"}  # the official material is paid; no free course could be vouched for


def test_core_skills_have_a_free_resource() -> None:
    catalogue = load_catalogue()
    have = catalogue.skills_with_resources()
    lacking = {
        skill
        for tech in titles.load_tech_roles()
        for entry in tech.core
        for skill in entry  # every alternative: a person may be taught any of them
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


# Fixture resumes read as an import reads them, each with a role it fits (tests/fixtures).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "resumes"
FIXTURE_PROFILES = [
    ("generated/en_devops_pdf-word-export.pdf", "DevOps engineer"),
    ("generated/en_student_cs_pdf-word-export.pdf", "Software engineer"),
    ("generated/en_nurse_to_data_pdf-word-export.pdf", "Data analyst"),
    ("generated/de_backend_pdf-word-export.pdf", "Backend developer"),
    ("rendercv/John_Doe_ClassicTheme_CV.pdf", "Machine learning engineer"),
]


@pytest.mark.parametrize(("path", "role"), FIXTURE_PROFILES, ids=[p for p, _ in FIXTURE_PROFILES])
def test_no_roadmap_for_a_fixture_profile_teaches_what_it_evidences(path: str, role: str) -> None:
    parsed = parse_document((FIXTURES / path).read_bytes(), path)
    merged = aggregate.merge_imports(
        [
            ImportInput(
                id="1", kind="resume", label=path, created_at=utcnow(), profile=parsed.profile
            )
        ],
        now_year=2026,
    )
    profile = aggregate.confirmed_only(aggregate.finish_confidence(merged))
    person = candidate_from_profile(profile, now_year=2026)
    assert person.skills, path  # the fixture does show skills
    evidenced = targets.evidence(person, profile)
    resolved = targets.resolve_target(target_role=role, job_description=None)
    plan = planner.build_plan(
        targets.needs_from_gap(resolved, person, evidenced),
        known=evidenced,
        confidence={},
        catalogue=load_catalogue(),
        taxonomy=load_taxonomy(),
        options=planner.PlanOptions(hours_per_week=40, start_date=date(2027, 1, 4)),
    )
    taught = _taught(plan)
    assert not taught & set(evidenced), (path, sorted(taught & set(evidenced)))
    # What the role needs and the person lacks is still taught.
    tech = next(t for t in titles.load_tech_roles() if t.title == role)
    lacking = [e for e in tech.core if not set(e) & set(evidenced)]
    assert len(lacking) < len(tech.core), path  # some of the core was in the profile: skipped
    assert all(entry[0] in taught for entry in lacking), path


WAN_POSTING = """WAN Administrator
Acme Logistics is hiring a WAN Administrator to run the wide area network that links our 40
warehouses.
Responsibilities:
- Configure and maintain Cisco routers and switches across the WAN.
- Manage firewalls and site-to-site VPN tunnels between sites.
- Monitor links, troubleshoot outages and work with carriers.
Requirements:
- 3+ years administering Cisco networks (CCNA or CCNP preferred).
- Hands-on experience with firewalls (Palo Alto or Fortinet) and VPN.
- Solid understanding of TCP/IP, routing protocols (OSPF, BGP) and DNS.
"""


def test_a_postings_required_skills_come_first_in_prerequisite_order() -> None:
    person = candidate()
    resolved = targets.resolve_target(target_role=None, job_description=WAN_POSTING)
    evidenced = targets.evidence(person)
    plan = planner.build_plan(
        targets.needs_from_gap(resolved, person, evidenced),
        known=evidenced,
        confidence={},
        catalogue=load_catalogue(),
        taxonomy=load_taxonomy(),
        options=planner.PlanOptions(hours_per_week=10, start_date=date(2027, 1, 4)),
    )
    order = [u["skill_id"] for u in plan["units"]]
    assert {"cisco-networking", "firewalls"} <= set(order[:4])  # the posting's, early on
    assert order[0] == "tcp-ip"  # learned before the protocols built on it
    assert order.index("tcp-ip") < min(order.index("ospf"), order.index("bgp"))
    projects = " ".join(m["project"]["description"] for m in plan["months"]).casefold()
    assert "game" not in projects
