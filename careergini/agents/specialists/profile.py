"""The profile specialist: the person's background and strengths."""

from __future__ import annotations

from careergini.agents.prompts import FOCUS_PROFILE
from careergini.agents.specialists.base import Emit, Specialist, call_tools
from careergini.agents.state import AgentTask, CoachContext, ToolResult


async def run(task: AgentTask, ctx: CoachContext, emit: Emit) -> list[ToolResult]:
    """Summarise the profile."""
    return await call_tools(emit, ctx, "profile", [("profile_summary", {})])


SPECIALIST = Specialist(
    name="profile",
    role="profile",
    focus=FOCUS_PROFILE,
    status="Reading your profile...",
    run=run,
)
