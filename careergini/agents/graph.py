"""The coach graph: the supervisor routes, specialists run in parallel, the supervisor answers.

    START -> route --(Send, one per chosen specialist)--> profile | skills | jobs | resume |
    learning --> compose -> END
    route --(no specialist)--> compose

Specialists chosen for the same turn run in the same step (LangGraph fan-out with ``Send``);
``compose`` runs once after all of them. The state is checkpointed per thread by the
checkpointer given to :func:`build_graph` (the app uses ``DatabaseSaver``); the run-time context
(:class:`CoachContext`: the user id and the clients) is given per run and never stored.
"""

from __future__ import annotations

from typing import Protocol

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from careergini.agents import supervisor
from careergini.agents.specialists import SPECIALISTS, Specialist
from careergini.agents.state import AgentTask, CoachContext, CoachState


class SpecialistNode(Protocol):
    """A specialist as a graph node: LangGraph hands it its task (``state``: the ``Send``'s
    payload) and the run's ``runtime``."""

    async def __call__(self, state: AgentTask, *, runtime: Runtime[CoachContext]) -> CoachState: ...


def specialist_node(specialist: Specialist) -> SpecialistNode:
    """Wrap a specialist as a graph node that reports its start and end."""

    async def node(state: AgentTask, runtime: Runtime[CoachContext]) -> CoachState:
        emit = runtime.stream_writer
        calls = specialist.choose(state)
        emit(
            {
                "event": "agent",
                "agent": specialist.name,
                "status": "started",
                "detail": specialist.describe(state, calls),
            }
        )
        async with runtime.context.tool_slots:
            results = await specialist.run(calls, runtime.context, emit)
        emit({"event": "agent", "agent": specialist.name, "status": "done"})
        return {"results": results}

    node.__name__ = f"{specialist.name}_agent"
    return node


def dispatch(state: CoachState) -> list[Send] | str:
    """Send the turn to each chosen specialist at once, or straight to the answer."""
    agents = state.get("agents") or []
    if not agents:
        return "compose"
    message = state["messages"][-1]["content"]
    return [
        Send(name, AgentTask(agent=name, message=message, target=state.get("target")))
        for name in agents
    ]


CoachGraph = CompiledStateGraph[CoachState, CoachContext, CoachState, CoachState]


def build_graph(checkpointer: BaseCheckpointSaver | None = None) -> CoachGraph:
    """Build and compile the coach graph."""
    builder = StateGraph(CoachState, context_schema=CoachContext)
    builder.add_node("route", supervisor.route)
    for name, specialist in SPECIALISTS.items():
        builder.add_node(name, specialist_node(specialist), input_schema=AgentTask)
        builder.add_edge(name, "compose")
    builder.add_node("compose", supervisor.compose)
    builder.add_edge(START, "route")
    builder.add_conditional_edges("route", dispatch, [*SPECIALISTS, "compose"])
    builder.add_edge("compose", END)
    return builder.compile(checkpointer=checkpointer, name="coach")


# Without a checkpointer: for inspection (``graph.get_graph().draw_mermaid()``) and tests.
graph = build_graph()
