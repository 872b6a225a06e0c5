"""The profile specialist: the person's background and strengths."""

from __future__ import annotations

from careergini.agents.prompts import FOCUS_PROFILE
from careergini.agents.specialists.base import Specialist, ToolCall
from careergini.agents.state import AgentTask


def choose(task: AgentTask) -> list[ToolCall]:
    """Summarise the profile."""
    return [("profile_summary", {})]


SPECIALIST = Specialist(
    name="profile",
    role="profile",
    focus=FOCUS_PROFILE,
    status="Reading your profile...",
    choose=choose,
)
