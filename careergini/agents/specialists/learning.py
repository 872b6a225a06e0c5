"""The learning specialist: what to learn next, in which order, and interview preparation."""

from __future__ import annotations

from careergini.agents.prompts import FOCUS_LEARNING
from careergini.agents.specialists.base import Emit, Specialist, call_tools
from careergini.agents.state import AgentTask, CoachContext, ToolResult


async def run(task: AgentTask, ctx: CoachContext, emit: Emit) -> list[ToolResult]:
    """Order the missing skills of the target into a plan."""
    return await call_tools(emit, ctx, "learning", [("learning_plan", {"target": task["target"]})])


SPECIALIST = Specialist(
    name="learning",
    role="learning",
    focus=FOCUS_LEARNING,
    status="Planning what to learn for {target}...",
    run=run,
)
