"""What every specialist is: a name, the LLM role that writes when it answers alone, its focus
prompt, and ``run``, which picks its tools from the message by rules and runs them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from careergini.agents import tools
from careergini.agents.llm.prompts import Prompt
from careergini.agents.state import AgentName, AgentTask, CoachContext, Target, ToolResult

Emit = Callable[[dict[str, Any]], None]
Runner = Callable[[AgentTask, CoachContext, Emit], Awaitable[list[ToolResult]]]

TOOL_STATUS = {
    "profile_summary": "Reading your profile...",
    "skill_gap": "Checking your skill gap against {target}...",
    "match_score": "Scoring your match with {target}...",
    "role_search": "Looking for roles like {query}...",
    "job_matches": "Looking through your job postings...",
    "learning_plan": "Ordering what to learn for {target}...",
    "resume_focus": "Checking what your resume should put forward for {target}...",
}


@dataclass(frozen=True)
class Specialist:
    name: AgentName
    role: str
    focus: Prompt
    status: str
    run: Runner

    def describe(self, task: AgentTask) -> str:
        """Return the progress line shown while this specialist works."""
        return self.status.format(target=target_label(task["target"]))


def target_label(target: Target | None) -> str:
    if not target:
        return "your target"
    if target.get("kind") == "job_description":
        title = target.get("title")
        return f'the job "{title}"' if title else "this job"
    return f'the role "{target.get("title")}"'


async def call_tool(
    emit: Emit, ctx: CoachContext, agent: str, tool: str, **arguments: Any
) -> ToolResult:
    """Run one tool, telling the client when it starts and how it ended."""
    label = target_label(arguments.get("target"))
    query = arguments.get("query") or "your latest title"
    emit(
        {
            "event": "tool",
            "agent": agent,
            "tool": tool,
            "status": "started",
            "detail": TOOL_STATUS[tool].format(target=label, query=query),
        }
    )
    result = await tools.run_tool(ctx, tool, agent=agent, **arguments)
    emit(
        {
            "event": "tool",
            "agent": agent,
            "tool": tool,
            "status": "done",
            "ok": result["ok"],
            "title": result["title"],
        }
    )
    return result


async def call_tools(
    emit: Emit, ctx: CoachContext, agent: str, calls: list[tuple[str, dict[str, Any]]]
) -> list[ToolResult]:
    """Run independent tools at once; results in the order asked."""
    return list(
        await asyncio.gather(*(call_tool(emit, ctx, agent, name, **args) for name, args in calls))
    )
