"""The jobs specialist: roles to look at, and the person's own job postings that fit."""

from __future__ import annotations

import re

from careergini.agents.prompts import FOCUS_JOBS
from careergini.agents.specialists.base import Specialist, ToolCall
from careergini.agents.state import AgentTask
from careergini.agents.tools import search_role_phrase

_LIKE = re.compile(r"\b(?:like|as an?|for an?)\s+([a-z][a-z +#./-]{2,50})", re.I)


def choose(task: AgentTask) -> list[ToolCall]:
    """Search roles and the person's job postings by the title the message names, else by
    the person's latest title."""
    named = search_role_phrase(task["message"][:400])
    query = named.get("title") if named else None
    if query is None and (target := task["target"]) and target.get("kind") == "role":
        query = target.get("title")
    if query is None and (like := _LIKE.search(task["message"][:400])):
        query = like.group(1).strip()
    return [("role_search", {"query": query}), ("job_matches", {"query": query})]


SPECIALIST = Specialist(
    name="jobs",
    role="jobs",
    focus=FOCUS_JOBS,
    status="Looking for roles that fit you...",
    choose=choose,
)
