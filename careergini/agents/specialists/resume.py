"""The resume specialist: what the resume (or a cover letter) should put forward for a target."""

from __future__ import annotations

from careergini.agents.prompts import FOCUS_RESUME
from careergini.agents.specialists.base import Emit, Specialist, call_tools
from careergini.agents.state import AgentTask, CoachContext, ToolResult


async def run(task: AgentTask, ctx: CoachContext, emit: Emit) -> list[ToolResult]:
    """Read the profile, and the resume focus when there is a target."""
    calls: list = [("profile_summary", {})]
    if task["target"]:
        calls.append(("resume_focus", {"target": task["target"]}))
    return await call_tools(emit, ctx, "resume", calls)


SPECIALIST = Specialist(
    name="resume",
    role="resume",
    focus=FOCUS_RESUME,
    status="Looking at your resume for {target}...",
    run=run,
)
