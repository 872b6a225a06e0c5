"""The learning specialist: what to learn next and in which order; when asked, a stored
roadmap, or a practice interview started."""

from __future__ import annotations

import re

from careergini.agents.prompts import FOCUS_LEARNING
from careergini.agents.specialists.base import Specialist, ToolCall, asked_to
from careergini.agents.state import AgentTask
from careergini.agents.tools import DEFAULT_STUDY_HOURS, study_hours, study_months

_ARTICLE = r"(?:(?:an?|the|my|this|that|our|next|upcoming)\s+)?"
# "mock interview", "interview practice", "prepare me for the interview", "practise interviews"
_INTERVIEW = re.compile(
    r"\b(?:mock\s+interviews?|practice\s+interviews?|interview\s+(?:practice|prep\w*|"
    r"rehears\w*|training|simulation)|practi[cs]e\s+(?:for\s+)?" + _ARTICLE + r"interviews?|"
    r"prepare\s+(?:me\s+|myself\s+)?for\s+" + _ARTICLE + r"(?:[\w-]+\s+){0,2}interviews?|"
    r"rehearse\s+" + _ARTICLE + r"interviews?|"
    r"(?:run|start|do|give me)\s+" + _ARTICLE + r"(?:practice\s+|mock\s+)?interview)\b",
    re.I,
)
# "make me a learning plan", "build a roadmap", "create a 3-month study plan"
_PLAN = re.compile(
    r"\b(?:make|build|create|generate|draw up|put together|set up|draft|plan out|write)\s+"
    r"(?:me\s+|us\s+)?(?:(?:an?|my|the|new|personal|personalised|personalized|study|learning|"
    r"weekly|detailed|concrete|\d+[- ](?:weeks?|months?))\s+){0,4}(?:plan|roadmap|schedule)s?\b",
    re.I,
)


def choose(task: AgentTask) -> list[ToolCall]:
    """Start an interview or create a roadmap when asked to; otherwise order the missing
    skills of the target into a plan."""
    message = task["message"][:400]
    target = task["target"]
    calls: list[ToolCall] = []
    if asked_to(_INTERVIEW, message):
        calls.append(("start_interview", {"target": target}))
    if asked_to(_PLAN, message):
        hours = study_hours(message) or DEFAULT_STUDY_HOURS
        months = study_months(message)
        calls.append(
            ("create_roadmap", {"target": target, "hours_per_week": hours, "months": months})
        )
    return calls or [("learning_plan", {"target": target})]


SPECIALIST = Specialist(
    name="learning",
    role="learning",
    focus=FOCUS_LEARNING,
    status="Planning what to learn for {target}...",
    choose=choose,
)
