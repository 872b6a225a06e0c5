"""The skills specialist: the gap and the match score against a job description or a role."""

from __future__ import annotations

import re

from careergini.agents.prompts import FOCUS_SKILLS
from careergini.agents.specialists.base import Specialist, ToolCall
from careergini.agents.state import AgentTask

_SCORE = re.compile(r"\b(match|score|fit|fits|chances?|likely|odds|suited|qualif\w*)\b", re.I)


def choose(task: AgentTask) -> list[ToolCall]:
    """Compute the gap, and the match score when the message asks how well they fit."""
    calls: list[ToolCall] = [("skill_gap", {"target": task["target"]})]
    pasted = (task["target"] or {}).get("kind") == "job_description"
    if _SCORE.search(task["message"][:400]) or pasted:
        calls.append(("match_score", {"target": task["target"]}))
    return calls


SPECIALIST = Specialist(
    name="skills",
    role="skills_gap",
    focus=FOCUS_SKILLS,
    status="Checking your skill gap against {target}...",
    choose=choose,
)
