"""Roadmap quality: no known skill taught again, the role's core skills covered, hours kept.

For each of the 50 reviewed tech roles (``careergini/skills/data/tech_roles.json``) and each
of four people (an empty profile and three imported resumes: a Java developer, an ML engineer,
a staff backend engineer), the roadmap is planned as ``POST /api/learning/roadmaps`` plans it
without a model: resolve the role, read the gap, plan (core scope, no month limit, so the
24-month cap applies). Measured:

- re-taught: units or tasks that teach a skill the person's profile already has (must be 0);
- core coverage: for the empty profile, the share of a role's core entries (an entry may offer
  alternatives: react | vue | angular) that the plan teaches, as a unit or a competence a unit
  covers; mean over roles and the worst role;
- weekly hours: weeks whose tasks add up to more than the hours per week asked (5, 10 and 20 h,
  for every role with the empty profile), must be 0.
"""

from __future__ import annotations

import statistics
from datetime import date
from typing import Any

from careergini.learning import planner, service
from careergini.learning.catalogue import load_catalogue
from careergini.learning.quizzes import load_bank
from careergini.skills.candidate import Candidate, candidate_from_profile
from careergini.skills.taxonomy import load_taxonomy
from careergini.skills.titles import load_tech_roles
from evaluation.matching import import_profile
from evaluation.measures import REPO, Context, Measure, rounded

START = date(2026, 11, 23)
PEOPLE = {
    "java developer": REPO / "tests/fixtures/resumes/resume-matcher/john_doe.pdf",
    "ML engineer": REPO / "tests/fixtures/resumes/resume-matcher/harvey_dent_mle.pdf",
    "staff backend engineer": REPO / "tests/fixtures/resume/two_page_resume.txt",
}


def empty_person() -> Candidate:
    """Return a candidate with nothing in their profile."""
    return Candidate({}, (), 0.0, None, "", "")


def person(path: Any) -> Candidate:
    """Return the candidate of a resume file, imported as the product imports it."""
    _, profile = import_profile(path)
    return candidate_from_profile(profile, now_year=START.year)


def build(
    resolved: Any, candidate: Candidate, *, scope: str = "core", hours_per_week: int = 10
) -> dict[str, Any]:
    """Plan a roadmap for a resolved target, as the roadmap endpoint does without a model."""
    needs = service.needs_from_gap(resolved, candidate)
    return planner.build_plan(
        needs,
        known=candidate.skills,
        confidence={},
        catalogue=load_catalogue(),
        taxonomy=load_taxonomy(),
        options=planner.PlanOptions(
            hours_per_week=hours_per_week,
            start_date=START,
            scope=scope,  # type: ignore[arg-type]
        ),
        quiz_skills=load_bank().skills(),
    )


def taught(plan: dict[str, Any]) -> set[str]:
    """Return the skill ids a plan teaches (units and the competences they cover)."""
    ids = {u["skill_id"] for u in plan["units"]}
    return ids | {c for u in plan["units"] for c in u["covers"]}


def retaught(plan: dict[str, Any], known: set[str]) -> list[str]:
    """Return the known skills the plan teaches again (units and week tasks)."""
    units = [u["skill_id"] for u in plan["units"] if u["skill_id"] in known]
    tasks = [
        t["skill_id"]
        for w in plan["weeks"]
        for t in w["tasks"]
        if t.get("kind") == "study" and t.get("skill_id") in known
    ]
    return sorted(set(units + tasks))


def over_hours(plan: dict[str, Any], hours_per_week: int) -> list[int]:
    """Return the weeks whose tasks ask more hours than the person has."""
    return [
        w["index"]
        for w in plan["weeks"]
        if sum(t["hours"] for t in w["tasks"]) > hours_per_week + 1e-9
    ]


def measure(ctx: Context) -> list[Measure]:
    """Return the roadmap figures over every reviewed tech role."""
    roles = load_tech_roles()
    people = {"empty profile": empty_person()} | {n: person(p) for n, p in PEOPLE.items()}
    retaught_found: list[str] = []
    coverage: dict[str, float] = {}
    overs: list[str] = []
    plans = 0
    for role in roles:
        resolved = service.resolve_target(target_role=role.role_id, job_description=None)
        for who, candidate in people.items():
            plan = build(resolved, candidate)
            plans += 1
            again = retaught(plan, set(candidate.skills))
            retaught_found += [f"{role.slug}/{who}: {s}" for s in again]
            if not candidate.skills:
                got = taught(plan)
                hits = sum(1 for entry in role.core if set(entry) & got)
                coverage[role.slug] = hits / len(role.core)
        for hours in (5, 20):
            plan = build(resolved, people["empty profile"], hours_per_week=hours)
            plans += 1
            overs += [f"{role.slug} at {hours} h: week {w}" for w in over_hours(plan, hours)]
        plan = build(resolved, people["empty profile"])
        overs += [f"{role.slug} at 10 h: week {w}" for w in over_hours(plan, 10)]
    data = f"{len(roles)} reviewed tech roles x {len(people)} people ({plans} plans)"
    worst = min(coverage.items(), key=lambda kv: kv[1])
    return [
        Measure(
            "roadmaps.known_retaught", len(retaught_found), data, "; ".join(retaught_found[:10])
        ),
        Measure(
            "roadmaps.core_coverage",
            rounded(statistics.mean(coverage.values())),
            f"{len(roles)} roles, empty profile, 10 h/week",
        ),
        Measure(
            "roadmaps.worst_role_core_coverage",
            rounded(worst[1]),
            f"{len(roles)} roles, empty profile, 10 h/week",
            worst[0],
        ),
        Measure(
            "roadmaps.weeks_over_hours",
            len(overs),
            f"{len(roles)} roles at 5, 10 and 20 h/week",
            "; ".join(overs[:10]),
        ),
    ]
