"""A roadmap as a Mermaid gantt chart and as an iCalendar file. Pure: a plan in, text out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from careergini import __version__

_MERMAID_UNSAFE = re.compile(r"[:;#\n\r]+")


def _mermaid_text(text: str, *, limit: int = 80) -> str:
    """Make text safe for a gantt line (``:`` separates a task's name from its data)."""
    cleaned = " ".join(_MERMAID_UNSAFE.sub(" ", text).split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def to_mermaid(
    plan: Mapping[str, Any],
    *,
    title: str,
    statuses: Mapping[str, str],
    today: date,
) -> str:
    """Return the plan as a Mermaid gantt chart: a section per month, a bar per week."""
    lines = [
        "gantt",
        f"    title {_mermaid_text(title)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %d %b",
    ]
    weeks = {w["index"]: w for w in plan["weeks"]}
    for month in plan["months"]:
        lines.append(f"    section {_mermaid_text(month['title'])}")
        for index in range(month["start_week"], month["end_week"] + 1):
            week = weeks.get(index)
            if week is None:
                continue
            tasks = [t for t in week["tasks"] if not t.get("rescheduled")]
            done = bool(tasks) and all(statuses.get(t["id"]) in ("done", "skipped") for t in tasks)
            start = date.fromisoformat(week["start"])
            end = date.fromisoformat(week["end"])
            tags = []
            if done:
                tags.append("done")
            elif start <= today <= end:
                tags.append("active")
            label = _mermaid_text(f"Week {index} - {week['focus']} ({week['hours']} h)")
            data = ", ".join([*tags, f"w{index}", start.isoformat(), "7d"])
            lines.append(f"    {label} :{data}")
    return "\n".join(lines) + "\n"


def to_ical(
    plan: Mapping[str, Any],
    *,
    roadmap_id: str,
    title: str,
    statuses: Mapping[str, str],
) -> bytes:
    """Return the plan as iCalendar: an all-day event per week, one per month's checkpoint."""
    calendar = Calendar()
    calendar.add("prodid", f"-//CareerGini {__version__}//Learning roadmap//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"CareerGini: {title}")
    stamp = datetime.fromisoformat(plan.get("updated_at") or f"{plan['start_date']}T00:00:00+00:00")
    resources = plan.get("resources", {})
    for week in plan["weeks"]:
        event = Event()
        event.add("uid", f"{roadmap_id}-w{week['index']}@careergini")
        event.add("dtstamp", stamp)
        event.add("summary", f"Week {week['index']}: {week['focus']} ({week['hours']} h)")
        start = date.fromisoformat(week["start"])
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=7))  # all-day events end exclusively
        lines = [week.get("description", "")]
        for task in week["tasks"]:
            if task.get("rescheduled"):
                continue
            mark = {"done": "[x]", "skipped": "[-]"}.get(statuses.get(task["id"], ""), "[ ]")
            lines.append(f"{mark} {task['title']} - {task['hours']} h")
            for rid in task.get("resource_ids", []):
                resource = resources.get(rid)
                if resource:
                    lines.append(f"    {resource['title']}: {resource['url']}")
        event.add("description", "\n".join(line for line in lines if line))
        event.add("categories", ["CareerGini", "Learning"])
        calendar.add_component(event)
    weeks = {w["index"]: w for w in plan["weeks"]}
    for month in plan["months"]:
        last = weeks.get(month["end_week"])
        if last is None:
            continue
        event = Event()
        event.add("uid", f"{roadmap_id}-m{month['index']}-checkpoint@careergini")
        event.add("dtstamp", stamp)
        event.add("summary", f"Checkpoint, month {month['index']}: {month['project']['name']}")
        day = date.fromisoformat(last["end"])
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add(
            "description",
            f"{month['checkpoint']}\nProject: {month['project']['name']} - "
            f"{month['project']['description']}",
        )
        calendar.add_component(event)
    return calendar.to_ical()
