"""Progress and re-planning of a stored plan: percent done per week and month, how far behind
the person is, and a new schedule for the unfinished work from the current week on. Pure."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from careergini.learning.catalogue import Catalogue
from careergini.learning.planner import (
    Budget,
    PlanOptions,
    Unit,
    cap_units,
    dropped_entry,
    hours_per_week_needed,
)
from careergini.learning.schedule import (
    WEEKS_PER_MONTH,
    Cursor,
    learning_capacity,
    plan_weeks,
    week_dates,
)


def current_week(plan: Mapping[str, Any], today: date) -> int:
    """Return the 1-based week of the plan that contains ``today`` (0 before the start)."""
    start = date.fromisoformat(plan["start_date"])
    if today < start:
        return 0
    return (today - start).days // 7 + 1


_Remaining = tuple[dict[str, int], dict[str, list[str]], list[dict[str, Any]]]


def _sort_tasks(
    plan: Mapping[str, Any], statuses: Mapping[str, str], now: int
) -> tuple[list[dict[str, Any]], _Remaining]:
    """Split the plan's tasks at the current week: the past weeks kept as history (their
    unfinished tasks marked rescheduled), the hours and topics left per skill, and the tasks
    finished ahead of their week."""
    history = [dict(w) for w in plan["weeks"] if w["index"] < now]
    remaining: dict[str, int] = defaultdict(int)
    remaining_topics: dict[str, list[str]] = defaultdict(list)
    completed_ahead = list(plan.get("completed_ahead", []))
    for week in plan["weeks"]:
        past = week["index"] < now
        new_tasks = []
        for task in week["tasks"]:
            status = statuses.get(task["id"], "todo")
            if task.get("rescheduled"):
                new_tasks.append(task)
                continue
            if status == "todo":
                if task["skill_id"]:
                    remaining[task["skill_id"]] += task["hours"]
                    remaining_topics[task["skill_id"]] += task.get("topics", [])
                if past:
                    new_tasks.append({**task, "rescheduled": True})
            elif past:
                new_tasks.append(task)
            else:
                completed_ahead.append({**task, "week": week["index"], "status": status})
        if past:
            history[[w["index"] for w in history].index(week["index"])]["tasks"] = new_tasks
    return history, (remaining, remaining_topics, completed_ahead)


def _within_budget(
    units: list[Unit], budget_hours: int | None
) -> tuple[list[Unit], list[dict[str, Any]], bool]:
    """Keep every required unit and the preferred ones that fit the budget, in plan order;
    return them, the preferred ones dropped, and whether the required ones fit."""
    if budget_hours is None:
        return list(units), [], True
    required = [u for u in units if u.importance != "preferred"]
    used = sum(u.hours for u in required)
    fits = used <= budget_hours
    chosen = list(required)
    dropped: list[dict[str, Any]] = []
    for unit in units:
        if unit.importance != "preferred":
            continue
        if used + unit.hours <= budget_hours:
            chosen.append(unit)
            used += unit.hours
        else:
            dropped.append(dropped_entry(unit, "Preferred, and it does not fit the time budget."))
    keep = {u.key for u in chosen}
    return [u for u in units if u.key in keep], dropped, fits


def replan(
    plan: Mapping[str, Any],
    *,
    statuses: Mapping[str, str],
    today: date,
    catalogue: Catalogue,
    hours_per_week: int | None = None,
    months: int | None = None,
    max_months: int = 24,
    quiz_skills: Iterable[str] = (),
) -> dict[str, Any]:
    """Re-plan the unfinished work from the current week on; past weeks stay as history."""
    hpw = hours_per_week or plan["hours_per_week"]
    start_date = date.fromisoformat(plan["start_date"])
    now = max(1, current_week(plan, today))
    revision = plan["revision"] + 1
    history, work = _sort_tasks(plan, statuses, now)
    remaining, remaining_topics, completed_ahead = work
    units: list[Unit] = []
    for data in plan["units"]:
        hours = remaining.get(data["skill_id"], 0)
        if hours <= 0:
            continue
        unit = Unit(
            key=data["skill_id"],
            name=data["name"],
            category=data["category"],
            importance=data["importance"],
            rank=len(units),
            popularity=0,
            hours=hours,
            topics=list(dict.fromkeys(remaining_topics[data["skill_id"]])),
            resource_ids=list(data["resource_ids"]),
            bridge=data.get("bridge"),
            level=data.get("level", "beginner"),
        )
        units.append(unit)
    history_months = []
    for month in plan["months"]:
        if month["start_week"] < now:
            kept = dict(month)
            kept["end_week"] = min(month["end_week"], now - 1)
            history_months.append(kept)
    options = PlanOptions(
        hours_per_week=hpw, start_date=start_date, months=months, max_months=max_months
    )
    required_hours = sum(u.hours for u in units if u.importance != "preferred")
    budget_hours = learning_capacity(hpw, months) if months else None
    chosen, dropped, fits = _within_budget(units, budget_hours)
    done_months = math.ceil((now - 1) / WEEKS_PER_MONTH)
    cap_hours = learning_capacity(hpw, max(0, max_months - done_months))
    within, beyond = cap_units(chosen, cap_hours, max_months)
    dropped += beyond
    fits = fits and not beyond
    total = sum(u.hours for u in within)
    cursor = Cursor(week=now, month=len(history_months) + 1, revision=revision)
    months_needed = math.ceil(total / learning_capacity(hpw, 1)) if total else 0
    weeks, new_months = plan_weeks(
        within,
        hours_per_week=hpw,
        start_date=start_date,
        cursor=cursor,
        catalogue=catalogue,
        quiz_skills=set(quiz_skills),
        month_count_hint=months_needed,
    )
    # Keep the original units (with their full hours) for reference; the schedule has the rest.
    resources = dict(plan.get("resources", {}))
    all_weeks = history + weeks
    end = week_dates(start_date, all_weeks[-1]["index"])[1] if all_weeks else start_date
    new_plan = {
        **plan,
        "revision": revision,
        "hours_per_week": hpw,
        "end_date": end.isoformat(),
        "weeks_total": len(all_weeks),
        "months_total": len(history_months) + len(new_months),
        "total_hours": sum(w["hours"] for w in all_weeks),
        "weeks": all_weeks,
        "months": history_months + new_months,
        "resources": resources,
        "requested_months": months,
        "fits": fits,
        "dropped": list(plan.get("dropped", [])) + dropped,
        "completed_ahead": completed_ahead,
        "history_weeks": len(history),
        "replanned_from_week": now,
    }
    budget = Budget(within, dropped, fits, required_hours)
    new_plan["hours_per_week_needed"] = hours_per_week_needed(
        sum(u.hours for u in within if u.importance != "preferred"), options
    )
    new_plan["message"] = _replan_message(new_plan, options, budget, remaining_hours=total)
    return new_plan


def _replan_message(
    plan: dict[str, Any], options: PlanOptions, budget: Budget, *, remaining_hours: int
) -> str:
    if remaining_hours == 0:
        return "Everything is done or skipped: nothing left to re-plan."
    new_months = plan["months_total"] - len(
        [m for m in plan["months"] if m["start_week"] < plan["replanned_from_week"]]
    )
    base = (
        f"Re-planned {remaining_hours} h of remaining study from week "
        f"{plan['replanned_from_week']} at {options.hours_per_week} h/week: "
        f"{new_months} more month(s)."
    )
    if options.months is not None and not budget.fits:
        needed = plan["hours_per_week_needed"]
        return (
            f"{base} That does not fit in {options.months} month(s); about {needed} h/week "
            "would. This is the shortest plan for the required skills."
        )
    return base


# --- progress -----------------------------------------------------------------------------------


def progress(
    plan: Mapping[str, Any], statuses: Mapping[str, str], *, today: date
) -> dict[str, Any]:
    """Return percent done per week, per month and overall, and how far behind the person is."""
    week_stats: dict[int, dict[str, Any]] = {}
    for week in plan["weeks"]:
        total = done = skipped = 0
        counts = {"done": 0, "skipped": 0, "todo": 0}
        for task in week["tasks"]:
            if task.get("rescheduled"):
                continue
            status = statuses.get(task["id"], "todo")
            counts[status] = counts.get(status, 0) + 1
            total += task["hours"]
            done += task["hours"] if status == "done" else 0
            skipped += task["hours"] if status == "skipped" else 0
        week_stats[week["index"]] = {
            "hours": total,
            "done_hours": done,
            "skipped_hours": skipped,
            "percent_done": round(100 * done / total) if total else 100,
            "counts": counts,
        }
    month_stats = {}
    for month in plan["months"]:
        indexes = range(month["start_week"], month["end_week"] + 1)
        total = sum(week_stats[i]["hours"] for i in indexes if i in week_stats)
        done = sum(week_stats[i]["done_hours"] for i in indexes if i in week_stats)
        month_stats[month["index"]] = {
            "hours": total,
            "done_hours": done,
            "percent_done": round(100 * done / total) if total else 100,
        }
    ahead = [t for t in plan.get("completed_ahead", []) if t.get("status") == "done"]
    total = sum(s["hours"] for s in week_stats.values()) + sum(
        t["hours"] for t in plan.get("completed_ahead", [])
    )
    done = sum(s["done_hours"] for s in week_stats.values()) + sum(t["hours"] for t in ahead)
    now = current_week(plan, today)
    behind = sum(
        task["hours"]
        for week in plan["weeks"]
        if week["index"] < now
        for task in week["tasks"]
        if not task.get("rescheduled") and statuses.get(task["id"], "todo") == "todo"
    )
    return {
        "weeks": week_stats,
        "months": month_stats,
        "percent_done": round(100 * done / total) if total else 100,
        "done_hours": done,
        "total_hours": total,
        "current_week": now,
        "behind_hours": behind,
    }
