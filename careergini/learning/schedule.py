"""Laying units out in time: months of four weeks, each week within the weekly hours, each
month ending with a project and a checkpoint. Pure; used by the planner and by re-planning."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from careergini.learning.catalogue import Catalogue, Resource, SkillGuide

if TYPE_CHECKING:
    from careergini.learning.planner import Unit

WEEKS_PER_MONTH = 4
PROJECT_SHARE = 0.2


def checkpoint_for(unit: Unit, guide: SkillGuide | None) -> str:
    """Return the "can ..." statement that shows a unit was learned."""
    if guide is not None and guide.checkpoint:
        return guide.checkpoint
    name = unit.name
    templates = {
        "language": f"can write and debug small programs in {name}",
        "database": f"can create, query and maintain a {name} database",
        "framework": f"can build a small working project with {name}",
        "library": f"can use {name} in a small working project",
        "data_ml": f"can apply {name} to a real dataset and explain the result",
        "devops": f"can set up and use {name} in a small project",
        "cloud": f"can deploy a small workload with {name}",
        "os": f"can install, configure and troubleshoot {name}",
    }
    if unit.category in templates:
        return templates[unit.category]
    if unit.category in ("tool", "design", "business"):
        return f"can use {name} confidently for everyday tasks"
    return f"can explain {name} and apply it in a realistic exercise"


PROJECT_TEMPLATES = {
    "language": "Build a small command-line tool in {name} that solves a problem you have.",
    "database": "Design a small schema in {name}, load sample data and answer ten questions.",
    "framework": "Build and deploy a small application with {name}.",
    "library": "Use {name} in a small program that processes real data.",
    "data_ml": "Apply {name} to a public dataset and publish the notebook with your findings.",
    "devops": "Automate the build and deployment of a small project with {name}.",
    "cloud": "Deploy a small web application with {name} and write down its monthly cost.",
    "os": "Set up a {name} machine for a small service and document the steps.",
}


# Testing tools are filed with build tools ("devops"), but nobody deploys with Jest: their
# project is a test suite.
TESTING_TOOLS = {
    "jest", "pytest", "junit", "testng", "selenium", "cypress", "playwright", "jmeter",
    "postman", "mocha", "jasmine", "chai", "software-testing", "unit-testing",
}  # fmt: skip
TESTING_PROJECT = (
    "Write an automated test suite with {name} for a small project of yours and run it on "
    "every change."
)


def project_for(
    unit: Unit, guide: SkillGuide | None, others: list[str], *, position: str
) -> dict[str, Any]:
    """Return the month's project, built around its main unit."""
    if unit.key in TESTING_TOOLS and (guide is None or guide.project is None):
        name = f"{unit.name} test suite"
        description = TESTING_PROJECT.format(name=unit.name)
        difficulty = {"first": "beginner", "last": "advanced"}.get(position, "intermediate")
    elif guide is not None and guide.project is not None:
        name, description, difficulty = (
            guide.project.name,
            guide.project.description,
            guide.project.difficulty,
        )
    else:
        template = PROJECT_TEMPLATES.get(
            unit.category, "Write a short case study applying {name} to a realistic situation."
        )
        name = f"{unit.name} practice project"
        description = template.format(name=unit.name)
        difficulty = {"first": "beginner", "last": "advanced"}.get(position, "intermediate")
    if others:
        description = f"{description} Use {join_names(others)} where they fit."
    return {"name": name, "description": description, "difficulty": difficulty}


def join_names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def learning_capacity(hours_per_week: int, months: int) -> int:
    """Return the study hours of ``months`` months (the rest of each month is its project)."""
    month = WEEKS_PER_MONTH * hours_per_week
    return months * (month - project_hours(month))


def project_hours(month_hours: int) -> int:
    return max(1, round(month_hours * PROJECT_SHARE))


@dataclass
class Piece:
    unit: Unit | None  # None: the month's project
    hours: int
    start: int  # hour offset inside the unit
    last: bool


@dataclass
class Cursor:
    week: int  # the next week index (1-based, absolute)
    month: int  # the next month index
    revision: int


def month_pieces(queue: list[list[Any]], month_hours: int) -> tuple[list[Piece], int]:
    """Take up to the month's study hours from the queue of [unit, hours left, offset]."""
    study = month_hours - project_hours(month_hours)
    remaining = sum(item[1] for item in queue)
    if remaining < study:
        study = remaining
        project = max(1, round(remaining * PROJECT_SHARE / (1 - PROJECT_SHARE)))
    else:
        project = month_hours - study
    pieces: list[Piece] = []
    left = study
    while left > 0 and queue:
        unit, hours_left, offset = queue[0]
        take = min(hours_left, left)
        pieces.append(Piece(unit, take, offset, last=take == hours_left))
        left -= take
        if take == hours_left:
            queue.pop(0)
        else:
            queue[0] = [unit, hours_left - take, offset + take]
    return pieces, project


def topics_in(unit: Unit, start: int, hours: int) -> list[str]:
    if not unit.topics or unit.hours <= 0:
        return []
    n = len(unit.topics)
    return [
        topic
        for index, topic in enumerate(unit.topics)
        if start <= index * unit.hours / n < start + hours
    ]


def plan_weeks(
    units: list[Unit],
    *,
    hours_per_week: int,
    start_date: date,
    cursor: Cursor,
    catalogue: Catalogue,
    quiz_skills: set[str],
    month_count_hint: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the weeks and months that teach ``units`` in order, from ``cursor`` on."""
    queue: list[list[Any]] = [[u, u.hours, 0] for u in units if u.hours > 0]
    weeks: list[dict[str, Any]] = []
    months: list[dict[str, Any]] = []
    month_hours = WEEKS_PER_MONTH * hours_per_week
    first_month = cursor.month
    while queue:
        pieces, project = month_pieces(queue, month_hours)
        month_index = cursor.month
        position = (
            "first"
            if month_index == first_month
            else "last"
            if not queue and month_count_hint >= 3
            else "middle"
        )
        by_hours: dict[str, int] = defaultdict(int)
        unit_of: dict[str, Unit] = {}
        for piece in pieces:
            if piece.unit is not None:  # always: a month's pieces are study, not the project
                by_hours[piece.unit.key] += piece.hours
                unit_of[piece.unit.key] = piece.unit
        ranked = sorted(by_hours, key=lambda k: -by_hours[k])
        main = unit_of[ranked[0]]
        names = [unit_of[k].name for k in ranked]
        others = [unit_of[k].name for k in ranked[1:4]]
        guide = catalogue.guide(main.key)
        project_info = project_for(main, guide, others, position=position)
        finished = [p.unit for p in pieces if p.last and p.unit is not None]
        checkpoint = month_checkpoint(finished, pieces, catalogue)
        all_pieces = [*pieces, Piece(None, project, 0, True)]
        month_weeks = cut_weeks(
            all_pieces,
            hours_per_week=hours_per_week,
            start_date=start_date,
            cursor=cursor,
            month_index=month_index,
            project=project_info,
            catalogue=catalogue,
            quiz_skills=quiz_skills,
        )
        weeks += month_weeks
        project_task_ids = [
            t["id"] for w in month_weeks for t in w["tasks"] if t["kind"] == "project"
        ]
        months.append(
            {
                "index": month_index,
                "title": f"Month {month_index}: {join_names(names[:3])}",
                "start_week": month_weeks[0]["index"],
                "end_week": month_weeks[-1]["index"],
                "skills": [unit_of[k].key for k in ranked],
                "project": {
                    **project_info,
                    "hours": project,
                    "skills": [unit_of[k].key for k in ranked],
                    "task_ids": project_task_ids,
                },
                "checkpoint": checkpoint,
                "checkpoint_source": "template",
            }
        )
        cursor.month += 1
    return weeks, months


def month_checkpoint(finished: list[Unit], pieces: list[Piece], catalogue: Catalogue) -> str:
    if finished:
        statements = [checkpoint_for(u, catalogue.guide(u.key)) for u in finished]
        text = "; ".join(statements)
        return text[:1].upper() + text[1:]
    unit = pieces[0].unit if pieces else None
    if unit is None:
        return "Can show the month's project working end to end"
    covered = [t for p in pieces if p.unit is unit for t in topics_in(unit, p.start, p.hours)]
    if covered:
        return f"Halfway through {unit.name}: can explain and use {join_names(covered[:3])}"
    return f"Halfway through {unit.name}: can explain and use what was covered so far"


def cut_weeks(
    pieces: list[Piece],
    *,
    hours_per_week: int,
    start_date: date,
    cursor: Cursor,
    month_index: int,
    project: dict[str, Any],
    catalogue: Catalogue,
    quiz_skills: set[str],
) -> list[dict[str, Any]]:
    weeks: list[dict[str, Any]] = []
    week_items: list[Piece] = []
    room = hours_per_week
    queue = list(pieces)
    while queue:
        piece = queue.pop(0)
        if piece.hours <= 0:
            continue
        take = min(piece.hours, room)
        week_items.append(Piece(piece.unit, take, piece.start, piece.last and take == piece.hours))
        room -= take
        if take < piece.hours:
            queue.insert(0, Piece(piece.unit, piece.hours - take, piece.start + take, piece.last))
        if room == 0 or not queue:
            weeks.append(
                week_entry(
                    week_items,
                    index=cursor.week,
                    start_date=start_date,
                    month_index=month_index,
                    revision=cursor.revision,
                    project=project,
                    catalogue=catalogue,
                    quiz_skills=quiz_skills,
                )
            )
            cursor.week += 1
            week_items = []
            room = hours_per_week
    return weeks


def week_dates(start_date: date, index: int) -> tuple[date, date]:
    """Return the first and last day of week ``index`` (1-based) of a plan."""
    first = start_date + timedelta(days=7 * (index - 1))
    return first, first + timedelta(days=6)


def week_entry(
    items: list[Piece],
    *,
    index: int,
    start_date: date,
    month_index: int,
    revision: int,
    project: dict[str, Any],
    catalogue: Catalogue,
    quiz_skills: set[str],
) -> dict[str, Any]:
    tasks: list[dict[str, Any]] = []

    def add(task: dict[str, Any]) -> None:
        task["id"] = f"r{revision}-w{index}-{len(tasks) + 1}"
        tasks.append(task)

    for piece in items:
        if piece.unit is None:
            part = " (continued)" if any(t["kind"] == "project" for t in tasks) else ""
            add(
                {
                    "title": f"Project: {project['name']}{part}",
                    "kind": "project",
                    "skill_id": None,
                    "hours": piece.hours,
                    "topics": [],
                    "resource_ids": [],
                }
            )
            continue
        unit = piece.unit
        topics = topics_in(unit, piece.start, piece.hours)
        study_resource, practice_resource = resources_for_piece(unit, piece, catalogue)
        study_hours = piece.hours if piece.hours < 3 else math.ceil(piece.hours * 0.6)
        practice_hours = piece.hours - study_hours
        verb = "Start" if piece.start == 0 else "Continue"
        what = join_names(topics) if topics else (study_resource.title if study_resource else "")
        title = f"{verb} {unit.name}" + (f": {what}" if what else "")
        if unit.bridge and piece.start == 0:
            title = f"Bridge from {unit.bridge['from']} to {unit.name}" + (
                f": {what}" if what else ""
            )
        add(
            {
                "title": title,
                "kind": "study",
                "skill_id": unit.key,
                "hours": study_hours,
                "topics": topics,
                "resource_ids": [study_resource.id] if study_resource else [],
            }
        )
        if practice_hours > 0:
            quiz = piece.last and unit.key in quiz_skills
            if practice_resource is not None:
                practice = f"Practise {unit.name} with {practice_resource.title}"
            else:
                practice = f"Practise {unit.name}: apply this week's topics in a small exercise"
            if quiz:
                practice += f", then take the {unit.name} quiz"
            task: dict[str, Any] = {
                "title": practice,
                "kind": "practice",
                "skill_id": unit.key,
                "hours": practice_hours,
                "topics": [],
                "resource_ids": [practice_resource.id] if practice_resource else [],
            }
            if quiz:
                task["quiz_skill"] = unit.key
            add(task)
    first, last = week_dates(start_date, index)
    hours: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for piece in items:
        key = piece.unit.key if piece.unit else "project"
        hours[key] += piece.hours
        names[key] = piece.unit.name if piece.unit else f"project {project['name']}"
    focus = [names[k] for k in sorted(hours, key=lambda k: -hours[k])]
    return {
        "index": index,
        "month": month_index,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "focus": join_names(focus[:2]),
        "hours": sum(p.hours for p in items),
        "description": week_text(tasks),
        "description_source": "template",
        "tasks": tasks,
    }


def resources_for_piece(
    unit: Unit, piece: Piece, catalogue: Catalogue
) -> tuple[Resource | None, Resource | None]:
    resources = [catalogue.resources[r] for r in unit.resource_ids if r in catalogue.resources]
    if not resources:
        return None, None
    learn = [r for r in resources if r.kind != "practice"] or resources
    practice = next((r for r in resources if r.kind == "practice"), None)
    # Move through the learning resources as the unit progresses.
    step = min(len(learn) - 1, int(piece.start / max(1, unit.hours) * len(learn)))
    return learn[step], practice


def week_text(tasks: list[dict[str, Any]]) -> str:
    parts = []
    for task in tasks:
        parts.append(f"{task['title']} ({task['hours']} h)")
    return "This week: " + "; ".join(parts) + "."
