"""The coach's tools by name, and how a specialist runs one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from careergini.agents.results import ToolResult
from careergini.agents.state import CoachContext
from careergini.agents.tools.analysis import match_score, skill_gap
from careergini.agents.tools.base import failed
from careergini.agents.tools.jobs import job_matches, role_search
from careergini.agents.tools.learning import create_roadmap, learning_plan, start_interview
from careergini.agents.tools.profile import profile_summary
from careergini.agents.tools.resume import resume_focus, tailor_resume, write_cover_letter
from careergini.core.logging import get_logger

log = get_logger(__name__)

ToolFunction = Callable[..., Awaitable[ToolResult]]

TOOLS: dict[str, ToolFunction] = {
    "profile_summary": profile_summary,
    "skill_gap": skill_gap,
    "match_score": match_score,
    "role_search": role_search,
    "job_matches": job_matches,
    "learning_plan": learning_plan,
    "resume_focus": resume_focus,
    "tailor_resume": tailor_resume,
    "write_cover_letter": write_cover_letter,
    "create_roadmap": create_roadmap,
    "start_interview": start_interview,
}


async def run_tool(ctx: CoachContext, name: str, **arguments: Any) -> ToolResult:
    """Run a tool by name; an unexpected failure becomes a failed result, with a log line."""
    tool = TOOLS[name]
    try:
        return await tool(ctx, **arguments)
    except Exception:
        log.exception("coach.tool_failed", tool=name, user_id=str(ctx.user_id))
        agent = str(arguments.get("agent") or "coach")
        return failed(
            agent,
            name,
            name.replace("_", " ").capitalize(),
            "This check could not run just now; try again in a minute.",
        )
