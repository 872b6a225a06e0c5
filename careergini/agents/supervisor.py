"""The supervisor: routes each turn to specialists, then composes the answer.

Routing is cheap first: keyword rules over the user's message decide most turns; only when they
are unsure (no cue, not small talk) does the reasoning model choose, as JSON
(``{"agents": [...]}``, names only: the model never sees or picks a user id or a tool argument).

The answer is one streamed call: the specialist's own role when one specialist ran (so the skills
gap is explained by the coder model, the jobs by the fast one), the supervisor's reasoning model
when several did or none. Tool results reach the model only as ``<data source="tool:...">``
blocks. When the model is offline or busy, the answer is the tools' results rendered from
templates, with a banner that says so (the degraded mode).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import aclosing
from typing import Any, Literal

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field

from careergini.agents.chat.degraded import render_degraded
from careergini.agents.events import Emit
from careergini.agents.guard import LeakGuard
from careergini.agents.prompts import ANSWER, FOCUS_COMPOSE, FOCUS_GENERAL, ROUTE
from careergini.agents.results import ToolResult
from careergini.agents.specialists import SPECIALISTS
from careergini.agents.state import (
    AGENT_NAMES,
    AgentName,
    CallUsage,
    CoachContext,
    CoachState,
    DegradedReason,
    HistoryMessage,
    RoutedBy,
    Target,
)
from careergini.agents.tools import resolve_target
from careergini.core.logging import get_logger
from careergini.llm import (
    Completion,
    LLMBadOutput,
    LLMBusy,
    LLMError,
    LLMStreamInterrupted,
    LLMUnavailable,
    wrap_untrusted,
)
from careergini.llm.prompts import DATA_RULE, Prompt

log = get_logger(__name__)

# The order of the rules is the order agents are listed (and their results shown).
RULES: tuple[tuple[AgentName, re.Pattern[str]], ...] = (
    (
        "profile",
        re.compile(
            r"\b(my profile|about me|my (?:experience|background|strengths?)|strengths?|"
            r"who am i|my career so far)\b",
            re.I,
        ),
    ),
    (
        "skills",
        re.compile(
            r"\b(gaps?|missing|lack\w*|match\w*|fit|fits|score|chances?|qualif\w*|"
            r"requirements?|skills? (?:do|would|should) i need|compare|ready for)\b",
            re.I,
        ),
    ),
    (
        "jobs",
        re.compile(
            r"\b(jobs|job (?:search|openings?|offers?|boards?|hunt\w*)|find (?:me )?(?:a )?"
            r"(?:new )?job|vacanc\w*|hiring|apply\w*|applications?|which roles?|"
            r"what roles?|roles? (?:fit|suit)\w*|positions)\b",
            re.I,
        ),
    ),
    (
        "resume",
        re.compile(
            r"(\b(resume|résumé|cv|cover letters?|tailor\w*|bullets?|ats|rewrite|headline)\b)", re.I
        ),
    ),
    (
        "learning",
        re.compile(
            r"\b(learn\w*|study|courses?|roadmap|plan|interviews?|prepare|preparation|"
            r"practice|certif\w*|upskill\w*|improve)\b",
            re.I,
        ),
    ),
)
SMALL_TALK = re.compile(
    r"^\s*(hi|hello|hey|thanks?|thank you|ok(ay)?|great|cool|good (morning|evening)|bye)\b[\s!.,]*"
    r"(there|you|a lot|so much|coach)?[\s!.]*$",
    re.I,
)
ROUTE_MESSAGE_CHARS = 1000
# Earlier messages longer than this (a pasted job description) are offered to the model cut.
HISTORY_MESSAGE_CHARS = 1000
_NEEDS_TARGET: frozenset[AgentName] = frozenset({"skills", "learning"})


class RouteDecision(BaseModel):
    """The reasoning model's routing answer: agent names only."""

    agents: list[Literal["profile", "skills", "jobs", "resume", "learning"]] = Field(
        default_factory=list, max_length=3
    )


def route_by_rules(message: str, *, pasted_job: bool) -> list[AgentName] | None:
    """Return the agents the keyword rules pick ([] for small talk), or None when unsure."""
    text = message[:ROUTE_MESSAGE_CHARS]
    if pasted_job:
        # A pasted job description: the gap and match, plus whatever else the message asks.
        picked = [name for name, rule in RULES if rule.search(text[:300])]
        return list(dict.fromkeys(["skills", *picked]))
    if SMALL_TALK.match(text):
        return []
    picked = [name for name, rule in RULES if rule.search(text)]
    return picked or None


def _emit(runtime: Runtime[CoachContext]) -> Emit:
    return runtime.stream_writer


def _usage(purpose: Literal["route", "answer"], completion: Completion[Any]) -> CallUsage:
    return CallUsage(
        purpose=purpose,
        role=completion.role,
        model=completion.model,
        prompt_tokens=completion.prompt_tokens,
        completion_tokens=completion.completion_tokens,
        prompt_version=completion.prompt_version,
        cached=completion.cached,
        trimmed=completion.trimmed,
    )


async def route(state: CoachState, runtime: Runtime[CoachContext]) -> CoachState:
    """Resolve the target and choose the specialists for this turn."""
    ctx = runtime.context
    message = state["messages"][-1]["content"]
    target = await resolve_target(
        ctx, message=message, request=state.get("request"), previous=state.get("target")
    )
    pasted = bool(
        target and target.get("kind") == "job_description" and target.get("text") == message
    ) or bool((state.get("request") or {}).get("job_description"))
    agents = route_by_rules(message, pasted_job=pasted)
    routed_by: RoutedBy = "rules"
    calls: list[CallUsage] = []
    reason: DegradedReason | None = None
    if agents is None:
        agents, routed_by = [], "default"
        if ctx.llm_routing:
            try:
                completion = await ctx.resources.llm.complete(
                    "supervisor",
                    [
                        {"role": "system", "content": ROUTE.render()},
                        {"role": "user", "content": message[:ROUTE_MESSAGE_CHARS]},
                    ],
                    RouteDecision,
                    user_id=ctx.user_id,
                    prompt=ROUTE,
                )
                agents = list(dict.fromkeys(completion.parsed.agents))  # type: ignore[union-attr]
                routed_by = "model"
                calls.append(_usage("route", completion))
            except LLMBusy:
                reason = "busy"
            except LLMUnavailable:
                reason = "offline"
            except LLMBadOutput as exc:
                log.info("coach.route_unparsed", errors=exc.errors)
    if not target:
        # Without a target these specialists can only say what is missing; keep one of them.
        needy = [a for a in agents if a in _NEEDS_TARGET]
        agents = [a for a in agents if a not in _NEEDS_TARGET] + needy[:1]
    ordered = [name for name in AGENT_NAMES if name in agents]
    _emit(runtime)(
        {
            "event": "agent",
            "agent": "supervisor",
            "status": "routed",
            "agents": ordered,
            "routed_by": routed_by,
        }
    )
    return {
        "agents": ordered,
        "routed_by": routed_by,
        "target": target,
        "calls": calls,
        "degraded_reason": reason,
    }


# --- the answer -------------------------------------------------------------------------------


def writer_for(agents: Sequence[AgentName]) -> tuple[str, Prompt]:
    """Return the LLM role and focus prompt of whoever writes the answer."""
    if len(agents) == 1:
        specialist = SPECIALISTS[agents[0]]
        return specialist.role, specialist.focus
    return "supervisor", FOCUS_COMPOSE if agents else FOCUS_GENERAL


def system_prompt(focus: Prompt) -> str:
    return ANSWER.render(focus=focus.render())


def build_messages(state: CoachState, *, focus: Prompt, history: int) -> list[dict[str, str]]:
    """Return the answer's messages: instructions, recent turns, tool data, the question."""
    turns: list[HistoryMessage] = list(state.get("messages") or [])
    question = turns[-1]["content"]
    earlier = turns[:-1][-history:] if history else []
    target = state.get("target") or {}
    if target.get("kind") == "job_description" and target.get("text") == question:
        # The job's text was analysed by the tools; the model needs only their results.
        question = (
            "Here is a job description (its analysis is in the tool results). How do I compare?"
        )
    results = sorted(
        state.get("results") or [],
        key=lambda r: (
            AGENT_NAMES.index(r["agent"]) if r["agent"] in AGENT_NAMES else len(AGENT_NAMES)
        ),
    )
    blocks = [
        wrap_untrusted(f"{r['title']}\n{r['digest']}", source=f"tool:{r['tool']}") for r in results
    ]
    content = "\n\n".join([*blocks, f"My message: {question}"]) if blocks else question
    return [
        {"role": "system", "content": system_prompt(focus)},
        *({"role": m["role"], "content": _earlier(m["content"], target)} for m in earlier),
        {"role": "user", "content": content},
    ]


def _earlier(text: str, target: Target | dict) -> str:
    """Offer an earlier message to the model: a pasted job by its title, a long text cut."""
    if target.get("kind") == "job_description" and text == target.get("text"):
        return f"[I pasted the job description of {target.get('title') or 'a job'}.]"
    if len(text) <= HISTORY_MESSAGE_CHARS:
        return text
    keep = HISTORY_MESSAGE_CHARS // 3
    return f"{text[:keep].rstrip()} [... {len(text) - keep} more characters ...]"


def _chunks(text: str) -> list[str]:
    """Split a rendered answer into line-sized token events."""
    return re.findall(r"[^\n]*\n|[^\n]+", text)


async def compose(state: CoachState, runtime: Runtime[CoachContext]) -> CoachState:
    """Stream the answer from the model, or render the tools' results when it is unavailable."""
    ctx = runtime.context
    emit = _emit(runtime)
    agents = list(state.get("agents") or [])
    results: list[ToolResult] = list(state.get("results") or [])
    role, focus = writer_for(agents)
    emit({"event": "agent", "agent": "supervisor", "status": "writing", "role": role})
    messages = build_messages(state, focus=focus, history=ctx.history_messages)
    guard = LeakGuard([messages[0]["content"], DATA_RULE])
    sent: list[str] = []

    def send(text: str) -> None:
        if text:
            sent.append(text)
            emit({"event": "token", "text": text})

    reason: DegradedReason | None = state.get("degraded_reason")
    calls: list[CallUsage] = []
    interrupted = False
    if reason is None:
        try:
            stream = ctx.resources.llm.stream(role, messages, user_id=ctx.user_id, prompt=focus)
            async with aclosing(stream) as events:
                async for event in events:
                    if event.kind == "token":
                        send(guard.feed(event.text))
                        if guard.leaked:
                            break
                    elif event.completion is not None:
                        calls.append(_usage("answer", event.completion))
            send(guard.flush())
        except LLMStreamInterrupted:
            send(guard.flush())
            reason, interrupted = "offline", True
        except LLMBusy:
            reason = "busy"
        except LLMUnavailable:
            reason = "offline"
        except LLMError as exc:  # a prompt too long even after trimming: answer from the tools
            log.warning("coach.answer_failed", error=exc.name, detail=exc.detail)
            reason = "offline"
    if guard.leaked:
        log.warning("coach.instructions_withheld", user_id=str(ctx.user_id))
        send(
            ("\n\n" if sent else "")
            + "I can't share my instructions. Ask me about your profile, a job or your next step."
        )
    if reason is not None:
        prefix = "\n\n(The answer was cut off.)\n\n" if interrupted and sent else ""
        for piece in _chunks(prefix + render_degraded(results, reason=reason)):
            send(piece)
    answer = "".join(sent)
    return {
        "messages": [HistoryMessage(role="assistant", content=answer)],
        "answer": answer,
        "calls": calls,
        "degraded": reason is not None,
        "degraded_reason": reason,
    }
