"""What every specialist is: a name, the LLM role that writes when it answers alone, its focus
prompt, and ``choose``, which picks its tools and their arguments from the message by rules;
``run`` runs them."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict, Unpack

from careergini.agents import tools
from careergini.agents.events import Emit, ToolEvent
from careergini.agents.results import ToolResult
from careergini.agents.state import AgentName, AgentTask, CoachContext, Target
from careergini.llm.prompts import Prompt


class ToolArguments(TypedDict, total=False):
    """What a specialist gives a tool besides the run's context (the user is never here)."""

    target: Target | None
    query: str | None
    hours_per_week: int
    months: int | None


ToolCall = tuple[str, ToolArguments]
Chooser = Callable[[AgentTask], list[ToolCall]]

TOOL_STATUS = {
    "profile_summary": "Reading your profile...",
    "skill_gap": "Checking your skill gap against {target}...",
    "match_score": "Scoring your match with {target}...",
    "role_search": "Looking for roles like {query}...",
    "job_matches": "Looking through your job postings...",
    "learning_plan": "Ordering what to learn for {target}...",
    "resume_focus": "Checking what your resume should put forward for {target}...",
    "tailor_resume": "Creating a tailored resume for {target}...",
    "write_cover_letter": "Writing a cover letter for {target}...",
    "create_roadmap": "Creating a learning roadmap for {target} at {hours} hours a week...",
    "start_interview": "Starting a practice interview for {target}...",
}
# Tools that create something stored: their status names the specialist's work while it runs.
CREATING = ("tailor_resume", "write_cover_letter", "create_roadmap", "start_interview")


@dataclass(frozen=True)
class Specialist:
    name: AgentName
    role: str
    focus: Prompt
    status: str
    choose: Chooser

    def describe(self, task: AgentTask, calls: list[ToolCall]) -> str:
        """Return the progress line shown while this specialist works: what it creates, if it
        creates something, else what it looks at."""
        creating = [tool_status(name, args) for name, args in calls if name in CREATING]
        if creating:
            return " ".join(creating)
        return self.status.format(target=target_label(task["target"]))

    async def run(self, calls: list[ToolCall], ctx: CoachContext, emit: Emit) -> list[ToolResult]:
        """Run the chosen tools at once."""
        return await call_tools(emit, ctx, self.name, calls)


# A question about doing it ("how do I tailor my resume?") asks for advice, not for the thing.
_ASKS_HOW = re.compile(
    r"\b(?:how (?:do|should|can|would|could|to)|should (?:i|we)|do i (?:need|have) to|"
    r"is it (?:worth|wise|a good idea)|why|tips|advice)\b",
    re.I,
)


def asked_to(pattern: re.Pattern[str], message: str) -> list[re.Match[str]]:
    """Return the pattern's matches where the message asks for the thing to be done (not
    how to do it)."""
    found = []
    for match in pattern.finditer(message):
        before = message[max(0, match.start() - 60) : match.start()]
        sentence = re.split(r"[.!?\n]", before)[-1]
        if not _ASKS_HOW.search(sentence):
            found.append(match)
    return found


def target_label(target: Target | None) -> str:
    if not target:
        return "your target"
    title = target.get("title")
    if target.get("kind") == "job":
        company = target.get("company")
        named = f"{title} at {company}" if title and company else title
        return f'your saved job "{named}"' if named else "your saved job"
    if target.get("kind") == "job_description":
        return f'the job "{title}"' if title else "this job"
    return f'the role "{title}"'


def tool_status(tool: str, arguments: ToolArguments) -> str:
    """Return the line that says what a tool is doing."""
    return TOOL_STATUS[tool].format(
        target=target_label(arguments.get("target")),
        query=arguments.get("query") or "your latest title",
        hours=arguments.get("hours_per_week", tools.DEFAULT_STUDY_HOURS),
    )


async def call_tool(
    emit: Emit, ctx: CoachContext, agent: str, tool: str, **arguments: Unpack[ToolArguments]
) -> ToolResult:
    """Run one tool, telling the client when it starts and how it ended."""
    emit(
        {
            "event": "tool",
            "agent": agent,
            "tool": tool,
            "status": "started",
            "detail": tool_status(tool, arguments),
        }
    )
    result = await tools.run_tool(ctx, tool, agent=agent, **arguments)
    done: ToolEvent = {
        "event": "tool",
        "agent": agent,
        "tool": tool,
        "status": "done",
        "ok": result["ok"],
        "title": result["title"],
    }
    data = result["data"]
    if result["ok"] and "artifact" in data:
        # What was created, so a client can link to it: {"kind", "id"} and its links.
        done["artifact"] = {**data["artifact"], "links": data["links"]}
    emit(done)
    return result


async def call_tools(
    emit: Emit, ctx: CoachContext, agent: str, calls: list[ToolCall]
) -> list[ToolResult]:
    """Run independent tools at once; results in the order asked."""
    return list(
        await asyncio.gather(*(call_tool(emit, ctx, agent, name, **args) for name, args in calls))
    )
