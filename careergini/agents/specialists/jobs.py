"""The jobs specialist: roles (and, where the jobs domain exists, openings) to look at."""

from __future__ import annotations

import re

from careergini.agents.prompts import FOCUS_JOBS
from careergini.agents.specialists.base import Emit, Specialist, call_tools
from careergini.agents.state import AgentTask, CoachContext, ToolResult
from careergini.agents.tools import domain_service, search_role_phrase

_LIKE = re.compile(r"\b(?:like|as an?|for an?)\s+([a-z][a-z +#./-]{2,50})", re.I)


async def run(task: AgentTask, ctx: CoachContext, emit: Emit) -> list[ToolResult]:
    """Search roles (and the person's job postings) by the title the message names, else by
    the person's latest title."""
    named = search_role_phrase(task["message"][:400])
    query = named.get("title") if named else None
    if query is None and (target := task["target"]) and target.get("kind") == "role":
        query = target.get("title")
    if query is None and (like := _LIKE.search(task["message"][:400])):
        query = like.group(1).strip()
    calls: list[tuple[str, dict]] = [("role_search", {"query": query})]
    if domain_service("jobs") is not None:
        calls.append(("job_matches", {"query": query}))
    return await call_tools(emit, ctx, "jobs", calls)


SPECIALIST = Specialist(
    name="jobs",
    role="jobs",
    focus=FOCUS_JOBS,
    status="Looking for roles that fit you...",
    run=run,
)
