"""The skills specialist: the gap and the match score against a job description or a role."""

from __future__ import annotations

import re

from careergini.agents.prompts import FOCUS_SKILLS
from careergini.agents.specialists.base import Emit, Specialist, call_tools
from careergini.agents.state import AgentTask, CoachContext, ToolResult

_SCORE = re.compile(r"\b(match|score|fit|fits|chances?|likely|odds|suited|qualif\w*)\b", re.I)


async def run(task: AgentTask, ctx: CoachContext, emit: Emit) -> list[ToolResult]:
    """Compute the gap, and the match score when the message asks how well they fit."""
    calls = [("skill_gap", {"target": task["target"]})]
    pasted = (task["target"] or {}).get("kind") == "job_description"
    if _SCORE.search(task["message"][:400]) or pasted:
        calls.append(("match_score", {"target": task["target"]}))
    return await call_tools(emit, ctx, "skills", calls)


SPECIALIST = Specialist(
    name="skills",
    role="skills_gap",
    focus=FOCUS_SKILLS,
    status="Checking your skill gap against {target}...",
    run=run,
)
