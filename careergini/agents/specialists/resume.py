"""The resume specialist: what the resume should put forward for a target, or, when asked, a
stored tailored resume or cover letter for it."""

from __future__ import annotations

import re

from careergini.agents.prompts import FOCUS_RESUME
from careergini.agents.specialists.base import Specialist, ToolCall, asked_to
from careergini.agents.state import AgentTask

# "tailor my resume", "write me a cover letter", "generate a CV", "I need a tailored resume"
_CREATE = re.compile(
    r"\b(?:tailor|write|make|generate|create|draft|produce|build|prepare|redo)\s+"
    r"(?:(?:me|us|my|our|a|an|the|new|tailored|custom|fresh|matching|targeted)\s+){0,3}"
    r"(résumé|resume|cv|cover\s+letter)s?\b"
    r"|\b(?:need|want|give me|get me|send me)\s+(?:a|an)\s+(?:(?:new|tailored|custom|targeted)\s+)?"
    r"(résumé|resume|cv|cover\s+letter)\b",
    re.I,
)


def documents_asked(message: str) -> list[str]:
    """Return the tools that create what the message asks for: a resume, a cover letter."""
    wanted = []
    for match in asked_to(_CREATE, message):
        noun = next(g for g in match.groups() if g).casefold()
        wanted.append("write_cover_letter" if noun.startswith("cover") else "tailor_resume")
    return list(dict.fromkeys(wanted))


def choose(task: AgentTask) -> list[ToolCall]:
    """Create the documents asked for; otherwise read the profile, and the resume focus when
    there is a target."""
    created = documents_asked(task["message"][:400])
    if created:
        return [(tool, {"target": task["target"]}) for tool in created]
    calls: list[ToolCall] = [("profile_summary", {})]
    if task["target"]:
        calls.append(("resume_focus", {"target": task["target"]}))
    return calls


SPECIALIST = Specialist(
    name="resume",
    role="resume",
    focus=FOCUS_RESUME,
    status="Looking at your resume for {target}...",
    choose=choose,
)
