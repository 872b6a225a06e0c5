"""The roadmap planner: prerequisites, hours, budget, weeks, months, re-planning, progress."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest

from careergini.learning.catalogue import load_catalogue
from careergini.learning.planner import (
    ALTERNATIVE_FACTOR,
    TRANSFER_FACTOR,
    Need,
    PlanOptions,
    base_hours,
    build_plan,
)
from careergini.learning.progress import current_week, progress, replan
from careergini.learning.schedule import learning_capacity
from careergini.skills.taxonomy import load_taxonomy

START = date(2026, 11, 23)


def needs(*skills: str, importance: str = "required", **extra: Any) -> list[Need]:
    taxonomy = load_taxonomy()
    return [
        Need(skill_id=s, name=taxonomy[s].name, importance=importance, rank=n, **extra)
        for n, s in enumerate(skills)
    ]


def plan_for(
    items: list[Need],
    *,
    hours: int = 10,
    months: int | None = None,
    known: set[str] | None = None,
    confidence: dict[str, float] | None = None,
    max_months: int = 24,
) -> dict[str, Any]:
    return build_plan(
        items,
        known=known or set(),
        confidence=confidence or {},
        catalogue=load_catalogue(),
        taxonomy=load_taxonomy(),
        options=PlanOptions(
            hours_per_week=hours, start_date=START, months=months, max_months=max_months
        ),
        quiz_skills={"python", "sql"},
    )


def order_of(plan: dict[str, Any]) -> list[str]:
    return [u["skill_id"] for u in plan["units"]]


def first_week(plan: dict[str, Any], skill: str) -> int:
    return next(u["first_week"] for u in plan["units"] if u["skill_id"] == skill)


def last_week(plan: dict[str, Any], skill: str) -> int:
    return next(u["last_week"] for u in plan["units"] if u["skill_id"] == skill)


@pytest.mark.parametrize(
    ("asked", "chain"),
    [
        (["pandas"], ["python", "numpy", "pandas"]),
        (["data-warehousing"], ["sql", "data-warehousing"]),
        (["kubernetes"], ["linux", "docker", "kubernetes"]),
        (["responsive-design"], ["html", "css", "responsive-design"]),
        (["react"], ["html", "css", "javascript", "react"]),
        (["machine-learning"], ["statistics", "machine-learning"]),
    ],
)
def test_prerequisites_are_added_and_come_first(asked: list[str], chain: list[str]) -> None:
    plan = plan_for(needs(*asked))
    order = order_of(plan)
    assert [s for s in order if s in chain] == chain
    for before, after in itertools.pairwise(chain):
        assert last_week(plan, before) <= first_week(plan, after)
    added = set(plan["prerequisites_added"])
    assert set(chain) - set(asked) <= added
    prerequisite = next(u for u in plan["units"] if u["skill_id"] == chain[0])
    assert "Prerequisite of" in prerequisite["reason"]


def test_prerequisites_of_what_was_asked_are_ordered_even_when_asked_backwards() -> None:
    plan = plan_for(needs("kubernetes", "docker", "linux"))
    assert order_of(plan) == ["linux", "docker", "kubernetes"]
    assert plan["prerequisites_added"] == []


def test_a_unit_follows_the_prerequisite_just_learned() -> None:
    # NumPy and pandas come right after Python, before the unrelated Excel.
    plan = plan_for(needs("excel", "python", "pandas", "numpy"))
    order = order_of(plan)
    assert order.index("pandas") == order.index("numpy") + 1 == order.index("python") + 2


def test_known_skills_and_quiz_confidence_are_not_taught_again() -> None:
    plan = plan_for(needs("pandas", "sql"), known={"python", "numpy"}, confidence={"sql": 0.9})
    assert order_of(plan) == ["pandas"]
    assert [k["skill_id"] for k in plan["known"]] == ["sql"]
    partial = plan_for(needs("sql"), confidence={"sql": 0.5})
    full = plan_for(needs("sql"))
    assert partial["units"][0]["hours"] == round(full["units"][0]["hours"] * 0.75)
    assert "quiz confidence is 50%" in partial["units"][0]["reason"]


def test_each_skill_starts_at_the_persons_level() -> None:
    catalogue = load_catalogue()
    fresh = plan_for(needs("sql"))["units"][0]
    assert fresh["level"] == "beginner"
    assert fresh["topics"][0] == "Database Basics"
    assert catalogue.resources[fresh["resource_ids"][0]].level == "beginner"
    # Quizzes show half of SQL: the basics are skipped and the resources start past them.
    half = plan_for(needs("sql"), confidence={"sql": 0.6})["units"][0]
    assert half["level"] == "intermediate"
    assert "Database Basics" not in half["topics"] and "Window functions" in half["topics"]
    assert len(half["topics"]) == len(fresh["topics"]) - 5  # floor(9 x 0.6) topics known
    picked = [catalogue.resources[r] for r in half["resource_ids"]]
    assert picked[0].level != "beginner"
    kinds_beyond = {r.kind for r in picked if r.level != "beginner"}
    assert all(r.kind not in kinds_beyond for r in picked if r.level == "beginner")
    assert "intermediate level" in half["reason"]
    # A little quiz confidence shortens the unit and skips a topic, still from the beginning.
    little = plan_for(needs("sql"), confidence={"sql": 0.2})["units"][0]
    assert little["level"] == "beginner" and little["topics"] == fresh["topics"][1:]
    # A skill the person can bridge to from a related one starts past the basics too.
    bridged = plan_for(needs("sql", transfer_from="Microsoft Access"))["units"][0]
    assert bridged["level"] == "intermediate" and "carry over" in bridged["reason"]


def test_the_starting_level_survives_a_replan() -> None:
    plan = plan_for(needs("sql", "python"), confidence={"sql": 0.6})
    again = replan(plan, statuses={}, today=START + timedelta(days=8), catalogue=load_catalogue())
    levels = {u["skill_id"]: u["level"] for u in again["units"]}
    assert levels == {"sql": "intermediate", "python": "beginner"}


def test_weeks_never_exceed_the_weekly_budget_and_every_hour_is_scheduled() -> None:
    plan = plan_for(needs("python", "sql", "excel", "tableau", "git"), hours=7)
    assert all(0 < w["hours"] <= 7 for w in plan["weeks"])
    assert all(sum(t["hours"] for t in w["tasks"]) == w["hours"] for w in plan["weeks"])
    taught: dict[str, int] = defaultdict(int)
    topics: dict[str, list[str]] = defaultdict(list)
    for week in plan["weeks"]:
        for task in week["tasks"]:
            if task["skill_id"]:
                taught[task["skill_id"]] += task["hours"]
                topics[task["skill_id"]] += task["topics"]
    for unit in plan["units"]:
        assert taught[unit["skill_id"]] == unit["hours"]
        assert topics[unit["skill_id"]] == unit["topics"]  # each topic once, in order
    assert plan["total_hours"] == sum(w["hours"] for w in plan["weeks"])
    assert [w["index"] for w in plan["weeks"]] == list(range(1, len(plan["weeks"]) + 1))


def test_weeks_have_dates_and_tasks_name_resources() -> None:
    plan = plan_for(needs("python"))
    first = plan["weeks"][0]
    assert first["start"] == START.isoformat()
    assert first["end"] == (START + timedelta(days=6)).isoformat()
    assert plan["weeks"][1]["start"] == (START + timedelta(days=7)).isoformat()
    study = next(t for t in first["tasks"] if t["kind"] == "study")
    assert study["title"].startswith("Start Python: Python Basics")
    assert study["resource_ids"] and study["resource_ids"][0] in plan["resources"]
    practice = [t for w in plan["weeks"] for t in w["tasks"] if t["kind"] == "practice"]
    assert practice[0]["resource_ids"] == ["exercism-python"]
    assert practice[-1].get("quiz_skill") == "python"  # the last practice ends with the quiz


def test_each_month_has_a_project_and_a_checkpoint() -> None:
    plan = plan_for(needs("responsive-design"), hours=8)
    month_hours = 4 * 8
    for month in plan["months"]:
        assert month["project"]["name"] and month["project"]["description"]
        assert month["project"]["difficulty"] in ("beginner", "intermediate", "advanced")
        assert month["checkpoint"].startswith(("Can ", "Halfway through"))
        weeks = [w for w in plan["weeks"] if w["month"] == month["index"]]
        project = sum(t["hours"] for w in weeks for t in w["tasks"] if t["kind"] == "project")
        assert project == month["project"]["hours"]
        assert set(month["project"]["task_ids"]) == {
            t["id"] for w in weeks for t in w["tasks"] if t["kind"] == "project"
        }
    assert plan["months"][0]["project"]["hours"] == round(month_hours * 0.2)
    last = plan["months"][-1]
    assert "can build responsive layouts from scratch" in last["checkpoint"]


def test_a_budget_that_fits_takes_preferred_skills_while_they_fit() -> None:
    items = needs("sql") + needs("excel", "git", importance="preferred")
    plan = plan_for(items, hours=8, months=2)
    assert learning_capacity(8, 2) == 52
    assert plan["fits"] is True
    assert set(order_of(plan)) == {"sql", "excel"}  # 30 + 16 h fit; git's 8 more would not
    assert [d["skill_id"] for d in plan["dropped"]] == ["git"]
    assert plan["months_total"] <= 2
    assert "Fits in 2 month(s)" in plan["message"]


def test_a_preferred_skill_comes_with_its_prerequisites_or_not_at_all() -> None:
    items = needs("sql") + needs("terraform", importance="preferred")
    plan = plan_for(items, hours=8, months=2)  # 52 h: SQL 30, Cloud computing 16, Terraform 12
    assert order_of(plan) == ["sql"]
    reasons = {d["skill_id"]: d["reason"] for d in plan["dropped"]}
    assert reasons["terraform"].startswith("Preferred, and it does not fit")
    assert reasons["cloud-computing"] == "Only needed for Terraform, left out."
    roomy = plan_for(items, hours=10, months=2)
    assert order_of(roomy) == ["sql", "cloud-computing", "terraform"]


def test_a_budget_that_does_not_fit_says_so_and_proposes_the_shortest_plan() -> None:
    items = needs("python", "sql", "java") + needs("excel", importance="preferred")
    plan = plan_for(items, hours=5, months=2)
    assert plan["fits"] is False
    assert {"python", "sql", "java"} <= set(order_of(plan))  # every required skill stays
    assert "excel" not in order_of(plan)
    needed = sum(u["hours"] for u in plan["units"])
    assert plan["months_total"] == -(-needed // learning_capacity(5, 1))
    assert plan["hours_per_week_needed"] > 5
    assert learning_capacity(plan["hours_per_week_needed"], 2) >= needed
    assert learning_capacity(plan["hours_per_week_needed"] - 1, 2) < needed
    assert "Does not fit in 2 month(s)" in plan["message"]
    assert f"{plan['months_total']} month(s)" in plan["message"]


def test_without_months_preferred_skills_wait_unless_nothing_is_required() -> None:
    items = needs("sql") + needs("excel", importance="preferred")
    assert order_of(plan_for(items)) == ["sql"]
    only_preferred = plan_for(needs("excel", importance="preferred"))
    assert order_of(only_preferred) == ["excel"]


def test_nothing_is_planned_past_the_month_limit() -> None:
    plan = plan_for(needs("cpp", "java", "csharp", "go"), hours=2, max_months=3)
    assert plan["fits"] is False
    assert plan["months_total"] <= 3
    assert any("3-month planning limit" in d["reason"] for d in plan["dropped"])


def test_excluded_products_are_listed_and_their_alternative_taught() -> None:
    plan = plan_for(needs("classic-asp", "epic-systems"))
    dropped = {d["skill_id"]: d for d in plan["dropped"]}
    assert dropped["epic-systems"]["reason"].startswith("Epic trains")
    assert dropped["classic-asp"]["alternative"] == "asp-net"
    assert "asp-net" in order_of(plan)
    asp = next(u for u in plan["units"] if u["skill_id"] == "asp-net")
    assert "instead of Active Server Pages" in asp["reason"]


def test_transferable_and_alternative_skills_are_bridges() -> None:
    catalogue, taxonomy = load_catalogue(), load_taxonomy()
    plan = plan_for(needs("postgresql", transfer_from="MySQL"), known={"sql"})
    unit = plan["units"][0]
    assert unit["bridge"]["from"] == "MySQL"
    full = base_hours("postgresql", catalogue=catalogue, taxonomy=taxonomy)
    assert unit["hours"] == round(full * TRANSFER_FACTOR)
    both = plan_for(needs("power-bi", "tableau"))
    assert order_of(both) == ["tableau", "power-bi"]
    power_bi = both["units"][1]
    assert power_bi["bridge"]["from"] == "Tableau"
    full = base_hours("power-bi", catalogue=catalogue, taxonomy=taxonomy)
    assert power_bi["hours"] == round(full * ALTERNATIVE_FACTOR)
    # Two languages of one family are never bridges of each other.
    languages = plan_for(needs("c", "go"))
    assert all(u["bridge"] is None for u in languages["units"])


def test_competences_are_learned_in_the_skill_that_covers_them() -> None:
    plan = plan_for(needs("design-database-scheme", "manage-database"))
    assert order_of(plan) == ["database-management-systems"]
    unit = plan["units"][0]
    assert set(unit["covers"]) == {"design-database-scheme", "manage-database"}
    catalogue, taxonomy = load_catalogue(), load_taxonomy()
    base = base_hours("database-management-systems", catalogue=catalogue, taxonomy=taxonomy)
    assert unit["hours"] == base + 2 * 2


def test_plans_are_deterministic_and_empty_when_nothing_is_missing() -> None:
    items = needs("python", "sql", "tableau", "power-bi")
    assert plan_for(items) == plan_for(items)
    empty = plan_for([])
    assert empty["weeks"] == [] and empty["months"] == []
    assert "Nothing" in empty["message"]


# --- progress and re-planning -------------------------------------------------------------------


def _done(plan: dict[str, Any], weeks: range) -> dict[str, str]:
    return {t["id"]: "done" for w in plan["weeks"] if w["index"] in weeks for t in w["tasks"]}


def test_progress_per_week_and_month_and_how_far_behind() -> None:
    plan = plan_for(needs("python", "sql"), hours=10)
    statuses = _done(plan, range(1, 2))
    first_task_of_week2 = plan["weeks"][1]["tasks"][0]
    statuses[first_task_of_week2["id"]] = "skipped"
    today = START + timedelta(days=7 * 3)  # week 4
    stats = progress(plan, statuses, today=today)
    assert stats["weeks"][1]["percent_done"] == 100
    assert stats["weeks"][2]["percent_done"] == 0
    assert stats["weeks"][2]["skipped_hours"] == first_task_of_week2["hours"]
    month = stats["months"][1]
    assert month["percent_done"] == round(100 * 10 / month["hours"])
    assert stats["current_week"] == 4
    week2_todo = 10 - first_task_of_week2["hours"]
    assert stats["behind_hours"] == week2_todo + 10  # the rest of week 2, all of week 3
    assert current_week(plan, START - timedelta(days=1)) == 0


def test_replan_keeps_history_and_reschedules_unfinished_work() -> None:
    plan = plan_for(needs("python", "sql"), hours=10)
    statuses = _done(plan, range(1, 3))  # weeks 1-2 done, week 3 not touched
    today = START + timedelta(days=7 * 3 + 2)  # in week 4
    new = replan(plan, statuses=statuses, today=today, catalogue=load_catalogue(), hours_per_week=5)
    assert new["revision"] == 2
    assert new["replanned_from_week"] == 4
    history = [w for w in new["weeks"] if w["index"] < 4]
    assert history[:2] == plan["weeks"][:2]
    assert all(t.get("rescheduled") for t in history[2]["tasks"])  # week 3's undone tasks
    future = [w for w in new["weeks"] if w["index"] >= 4]
    assert future[0]["index"] == 4
    assert all(w["hours"] <= 5 for w in future)
    assert all(t["id"].startswith("r2-") for w in future for t in w["tasks"])
    done_hours = sum(
        t["hours"] for w in plan["weeks"][:2] for t in w["tasks"] if t["kind"] != "project"
    )
    study_left = sum(u["hours"] for u in plan["units"]) - done_hours
    rescheduled = sum(t["hours"] for w in future for t in w["tasks"] if t["kind"] != "project")
    assert rescheduled == study_left
    assert f"Re-planned {study_left} h" in new["message"]
    assert new["hours_per_week"] == 5
    months = new["months"]
    assert [m["index"] for m in months] == list(range(1, len(months) + 1))
    assert months[0]["end_week"] == 3  # the month in progress is cut at the re-plan


def test_replan_with_a_deadline_that_cannot_be_met_says_so() -> None:
    plan = plan_for(needs("python", "sql", "java"), hours=10)
    new = replan(
        plan,
        statuses={},
        today=START,
        catalogue=load_catalogue(),
        hours_per_week=4,
        months=2,
    )
    assert new["fits"] is False
    assert "does not fit in 2 month(s)" in new["message"]
    assert new["hours_per_week_needed"] > 4


def test_work_done_ahead_is_kept_when_replanning() -> None:
    plan = plan_for(needs("python"), hours=10)
    ahead = plan["weeks"][2]["tasks"][0]
    new = replan(plan, statuses={ahead["id"]: "done"}, today=START, catalogue=load_catalogue())
    assert [t["id"] for t in new["completed_ahead"]] == [ahead["id"]]
    stats = progress(new, {ahead["id"]: "done"}, today=START)
    assert stats["done_hours"] == ahead["hours"]
