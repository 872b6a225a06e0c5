"""Mermaid gantt and iCalendar exports of a plan."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from careergini.learning.export import to_ical, to_mermaid
from tests.learning.test_planner import START, needs, plan_for


def test_mermaid_has_a_section_per_month_and_a_bar_per_week() -> None:
    plan = plan_for(needs("python", "sql"), hours=10)
    week1 = plan["weeks"][0]
    statuses = {t["id"]: "done" for t in week1["tasks"]}
    text = to_mermaid(
        plan,
        title="Roadmap: Data: the sequel #1",
        statuses=statuses,
        today=START + timedelta(days=8),
    )
    lines = text.splitlines()
    assert lines[:4] == [
        "gantt",
        "    title Roadmap Data the sequel 1",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %d %b",
    ]
    sections = [line for line in lines if line.startswith("    section ")]
    assert len(sections) == len(plan["months"])
    assert sections[0] == "    section Month 1 Python"
    bars = [line for line in lines if line.startswith("    Week ")]
    assert len(bars) == len(plan["weeks"])
    assert bars[0] == "    Week 1 - Python (10 h) :done, w1, 2026-11-23, 7d"
    assert bars[1] == "    Week 2 - Python (10 h) :active, w2, 2026-11-30, 7d"
    assert bars[2].endswith(":w3, 2026-12-07, 7d")


def test_icalendar_has_an_event_per_week_and_per_checkpoint() -> None:
    plan = plan_for(needs("html"), hours=3)
    statuses = {plan["weeks"][0]["tasks"][0]["id"]: "done"}
    calendar = Calendar.from_ical(
        to_ical(plan, roadmap_id="abc", title="Roadmap: Web", statuses=statuses)
    )
    assert str(calendar.get("prodid")).startswith("-//CareerGini")
    events = list(calendar.walk("VEVENT"))
    weeks = [e for e in events if "-w" in str(e.get("uid"))]
    checkpoints = [e for e in events if "checkpoint" in str(e.get("uid"))]
    assert len(weeks) == len(plan["weeks"]) and len(checkpoints) == len(plan["months"])
    first = weeks[0]
    assert first.get("dtstart").dt == date(2026, 11, 23)
    assert first.get("dtend").dt == date(2026, 11, 30)
    description = str(first.get("description"))
    assert "[x] Start HTML" in description
    assert "https://" in description
    last = checkpoints[-1]
    assert last.get("dtstart").dt == date.fromisoformat(plan["weeks"][-1]["end"])
    assert "Can write semantic, accessible HTML pages" in str(last.get("description"))
