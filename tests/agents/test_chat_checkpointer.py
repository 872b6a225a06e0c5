"""The LangGraph checkpointer on our tables, on SQLite and PostgreSQL."""

from __future__ import annotations

import operator
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, TypedDict

import pytest
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.graph import END, START, StateGraph
from sqlalchemy.ext.asyncio import AsyncEngine

from careergini.agents.chat.checkpointer import DatabaseSaver
from careergini.agents.chat.models import ChatThread
from careergini.core.db import create_engine, create_sessionmaker, session_scope
from careergini.gateway.auth.models import User


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    built = create_engine(database_url)
    yield built
    await built.dispose()


async def _thread(engine: AsyncEngine) -> str:
    async with session_scope(create_sessionmaker(engine)) as session:
        user = User(email=f"{uuid.uuid4().hex[:8]}@x.io", password_hash="h")
        session.add(user)
        await session.flush()
        thread = ChatThread(owner_id=user.id, title="t")
        session.add(thread)
        await session.flush()
        return str(thread.id)


class Counter(TypedDict):
    seen: Annotated[list[str], operator.add]


def _graph(saver: DatabaseSaver):  # type: ignore[no-untyped-def]
    builder = StateGraph(Counter)
    builder.add_node("echo", lambda state: {"seen": [f"echo{len(state['seen'])}"]})
    builder.add_edge(START, "echo")
    builder.add_edge("echo", END)
    return builder.compile(checkpointer=saver)


async def test_a_graph_resumes_its_state_from_the_database(engine: AsyncEngine) -> None:
    thread = await _thread(engine)
    config = {"configurable": {"thread_id": thread}}
    first = await _graph(DatabaseSaver(create_sessionmaker(engine))).ainvoke(
        {"seen": ["a"]}, config
    )
    assert first == {"seen": ["a", "echo1"]}
    # Another saver (another process, after a restart) carries on from the stored state.
    saver = DatabaseSaver(create_sessionmaker(engine))
    second = await _graph(saver).ainvoke({"seen": ["b"]}, config)
    assert second == {"seen": ["a", "echo1", "b", "echo3"]}
    history = [item async for item in saver.alist(config)]
    assert len(history) == 6  # input + loop checkpoints of two runs, newest first
    ids = [item.config["configurable"]["checkpoint_id"] for item in history]
    assert ids == sorted(ids, reverse=True)
    assert history[0].parent_config["configurable"]["checkpoint_id"] == ids[1]
    assert [item async for item in saver.alist(config, limit=2)] == history[:2]
    before = {"configurable": {"thread_id": thread, "checkpoint_id": ids[2]}}
    assert [i.config for i in [x async for x in saver.alist(config, before=before)]] == [
        h.config for h in history[3:]
    ]
    inputs = [x async for x in saver.alist(config, filter={"source": "input"})]
    assert len(inputs) == 2

    await saver.aprune([thread])
    kept = [item async for item in saver.alist(config)]
    assert [k.config for k in kept] == [history[0].config]
    third = await _graph(saver).ainvoke({"seen": ["c"]}, config)
    assert third["seen"][-2:] == ["c", "echo5"]

    await saver.adelete_thread(thread)
    assert await saver.aget_tuple(config) is None


async def test_writes_are_kept_in_order_and_special_ones_replaced(engine: AsyncEngine) -> None:
    thread = await _thread(engine)
    saver = DatabaseSaver(create_sessionmaker(engine))
    checkpoint = empty_checkpoint()
    config = await saver.aput(
        {"configurable": {"thread_id": thread, "checkpoint_ns": ""}},
        checkpoint,
        {"source": "input", "step": -1},
        {},
    )
    await saver.aput_writes(config, [("b", 2), ("a", 1)], task_id="t2", task_path="p2")
    await saver.aput_writes(config, [("c", 3)], task_id="t1", task_path="p1")
    # A regular write already stored is kept; an error write is replaced.
    await saver.aput_writes(config, [("b", 99)], task_id="t2", task_path="p2")
    await saver.aput_writes(config, [("__error__", "first")], task_id="t1", task_path="p1")
    await saver.aput_writes(config, [("__error__", "second")], task_id="t1", task_path="p1")
    stored = await saver.aget_tuple(config)
    assert stored is not None and stored.checkpoint["id"] == checkpoint["id"]
    assert stored.metadata == {"source": "input", "step": -1}
    assert stored.pending_writes == [
        ("t1", "__error__", "second"),
        ("t1", "c", 3),
        ("t2", "b", 2),
        ("t2", "a", 1),
    ]


async def test_a_saver_that_keeps_two_deletes_older_checkpoints_as_it_writes(
    engine: AsyncEngine,
) -> None:
    thread = await _thread(engine)
    config = {"configurable": {"thread_id": thread}}
    saver = DatabaseSaver(create_sessionmaker(engine), keep=2)
    graph = _graph(saver)
    for letter in "abc":
        await graph.ainvoke({"seen": [letter]}, config)
    kept = [item async for item in saver.alist(config)]
    assert len(kept) == 2
    assert kept[0].parent_config == kept[1].config
    assert kept[0].checkpoint["channel_values"]["seen"] == [
        "a",
        "echo1",
        "b",
        "echo3",
        "c",
        "echo5",
    ]
