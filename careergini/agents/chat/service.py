"""The chat domain's API: threads and messages, and turns of the coach streamed as events.

A turn: the user's message is committed in its own short transaction before anything is
generated; the coach graph then runs in a task of its own (so a client that goes away never
cuts persistence short), pushing events to a queue that the SSE response or the WebSocket reads.
When the graph ends, the assistant's message is stored complete; when the client disconnects or
cancels, the graph is stopped and the message is stored ``interrupted`` with the text streamed so
far. The graph's state is checkpointed per thread in our database (:class:`DatabaseSaver`).

Before a sentence of the answer is shown it passes the claims check (``skills.service``'s
``SentenceGate``): a sentence that states something about the user their profile does not
support is held back (a ``withheld`` event says so) or turned into a question; the stored
message is the text the user saw.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, cast

from fastapi.sse import ServerSentEvent
from langchain_core.runnables import RunnableConfig
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.agents.chat.checkpointer import DatabaseSaver
from careergini.agents.chat.errors import CoachBusy, MessageTooLong, ThreadNotFound, TurnInProgress
from careergini.agents.chat.models import ChatMessage, ChatThread
from careergini.agents.chat.schemas import (
    ArtifactPublic,
    MessageCreate,
    MessagePublic,
    ThreadDetail,
    ThreadPublic,
)
from careergini.agents.events import (
    GraphEvent,
    StoredArtifact,
    ToolEvent,
    TurnEvent,
    TurnUsage,
    WithheldEvent,
)
from careergini.agents.graph import build_graph
from careergini.agents.state import CallUsage, CoachContext, CoachState, HistoryMessage
from careergini.analysis import service as analysis_service
from careergini.core.db import get_owned, utcnow
from careergini.core.logging import get_logger
from careergini.profile import service as profile_service
from careergini.runtime.resources import Resources
from careergini.skills.service import SentenceGate, Withheld, evidence_now, profile_evidence

log = get_logger(__name__)

DEFAULT_TITLE = "New conversation"
TITLE_CHARS = 60
CANCEL_POLL_SECONDS = 0.5
CANCEL_FLAG_TTL = 120
# One answer per thread across every app process: a lease in the cache (Redis when configured),
# renewed while the answer runs, so a crashed process frees its threads within this time.
TURN_LEASE_SECONDS = 30
TURN_LEASE_RENEW_SECONDS = 10
# Specialists running their tools at once, per app process: a burst of turns queues here rather
# than taking every pooled database connection from the rest of the app.
TOOL_CONCURRENCY = 4


def _cancel_key(thread_id: uuid.UUID) -> str:
    return f"chat-cancel:{thread_id}"


def _turn_key(thread_id: uuid.UUID) -> str:
    return f"chat-turn:{thread_id}"


async def _release_lease(resources: Resources, turn: Turn) -> None:
    """Let go of the thread's lease (it expires by itself if the cache cannot be reached)."""
    try:
        await resources.cache.delete_if(_turn_key(turn.thread_id), str(turn.message_id))
    except Exception:
        log.warning("chat.turn_lease_unreleased", thread_id=str(turn.thread_id))


# --- threads ------------------------------------------------------------------------------------


def thread_public(row: ChatThread) -> ThreadPublic:
    return ThreadPublic(
        id=str(row.id),
        title=row.title,
        created_at=row.created_at.isoformat(),
        updated_at=row.updated_at.isoformat(),
    )


def message_public(row: ChatMessage) -> MessagePublic:
    return MessagePublic(
        id=str(row.id),
        role=row.role,
        content=row.content,
        status=row.status,
        agents=list(row.agents or []),
        degraded=row.degraded,
        usage=dict(row.usage or {}),
        artifacts=[ArtifactPublic.model_validate(a) for a in row.artifacts or []],
        created_at=row.created_at.isoformat(),
    )


async def create_thread(
    *, session: AsyncSession, owner_id: uuid.UUID, title: str | None
) -> ThreadPublic:
    """Start a conversation with the coach."""
    row = ChatThread(owner_id=owner_id, title=(title or "").strip() or DEFAULT_TITLE)
    session.add(row)
    await session.flush()
    return thread_public(row)


async def _owned_thread(
    session: AsyncSession, *, owner_id: uuid.UUID, thread_id: uuid.UUID
) -> ChatThread:
    return await get_owned(
        session, ChatThread, thread_id, owner_id=owner_id, missing=ThreadNotFound
    )


async def list_threads(
    *, session: AsyncSession, owner_id: uuid.UUID, limit: int = 100
) -> list[ThreadPublic]:
    """Return the user's threads, most recently active first."""
    rows = await session.exec(
        select(ChatThread)
        .where(ChatThread.owner_id == owner_id)
        .order_by(col(ChatThread.updated_at).desc())
        .limit(limit)
    )
    return [thread_public(row) for row in rows.all()]


async def get_thread(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, thread_id: uuid.UUID
) -> ThreadDetail:
    """Return one of the user's threads with its messages, oldest first."""
    row = await _owned_thread(session, owner_id=owner_id, thread_id=thread_id)
    messages = await session.exec(
        select(ChatMessage)
        .where(ChatMessage.thread_id == thread_id)
        .order_by(col(ChatMessage.created_at), col(ChatMessage.role).desc())
    )
    return ThreadDetail(
        **thread_public(row).model_dump(),
        messages=[message_public(m) for m in messages.all()],
        answering=thread_id in get_runtime(resources).turns,
    )


async def delete_thread(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, thread_id: uuid.UUID
) -> None:
    """Delete a thread, its messages and its checkpoints; stop an answer in progress."""
    row = await _owned_thread(session, owner_id=owner_id, thread_id=thread_id)
    turn = get_runtime(resources).turns.get(thread_id)
    if turn is not None:
        turn.cancel("deleted")
    await session.delete(row)
    await session.flush()


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> list[dict[str, Any]]:
    """Return every thread of the user with its messages, for the account export."""
    threads = (await session.exec(select(ChatThread).where(ChatThread.owner_id == owner_id))).all()
    exported = []
    for thread in threads:
        messages = (
            await session.exec(
                select(ChatMessage)
                .where(ChatMessage.thread_id == thread.id)
                .order_by(col(ChatMessage.created_at))
            )
        ).all()
        exported.append(
            {
                **thread_public(thread).model_dump(),
                "messages": [message_public(m).model_dump() for m in messages],
            }
        )
    return exported


# --- turns --------------------------------------------------------------------------------------


@dataclass
class Turn:
    """One answer being generated: its events, its text so far, and how to stop it."""

    thread_id: uuid.UUID
    owner_id: uuid.UUID
    user_message_id: uuid.UUID
    message_id: uuid.UUID = field(default_factory=uuid.uuid4)
    events: asyncio.Queue[TurnEvent | None] = field(default_factory=asyncio.Queue)
    pieces: list[str] = field(default_factory=list)
    # What the turn's tools created, as they report it: stored with the answer even when the
    # answer is cut short, since the items exist by then.
    artifacts: list[StoredArtifact] = field(default_factory=list)
    cancel_reason: str | None = None
    # The claims check between the model and the user (set when the turn starts).
    gate: SentenceGate = field(default_factory=lambda: SentenceGate(profile_evidence(None)))
    finished: bool = False
    task: asyncio.Task[None] | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def cancel(self, reason: str) -> None:
        """Stop generating (no-op once finished); the partial answer is kept."""
        if not self.finished and self.cancel_reason is None:
            self.cancel_reason = reason
            self._stop.set()


class ChatRuntime:
    """The compiled graph, its checkpointer and the turns running in this process."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        # The latest checkpoint and its parent: enough to resume, few rows per thread.
        self.saver = DatabaseSaver(resources.sessionmaker, keep=2)
        self.graph = build_graph(self.saver)
        self.turns: dict[uuid.UUID, Turn] = {}
        self.tool_slots = asyncio.Semaphore(TOOL_CONCURRENCY)

    async def aclose(self) -> None:
        """Stop every turn and wait until each has stored its message."""
        turns = list(self.turns.values())
        for turn in turns:
            turn.cancel("shutdown")
        tasks = [t.task for t in turns if t.task is not None]
        if tasks:
            await asyncio.wait(tasks, timeout=10)


def get_runtime(resources: Resources) -> ChatRuntime:
    """Return this app's chat runtime (built on first use)."""
    return resources.component_or_create(ChatRuntime, lambda: ChatRuntime(resources))


async def start_turn(
    *, resources: Resources, owner_id: uuid.UUID, thread_id: uuid.UUID, body: MessageCreate
) -> Turn:
    """Store the user's message (committed now) and start the coach's answer in the background."""
    limit = resources.settings.chat_max_message_chars
    if len(body.content) > limit:
        raise MessageTooLong(f"The message is over {limit} characters; shorten it.")
    runtime = get_runtime(resources)
    if thread_id in runtime.turns:
        raise TurnInProgress()
    if len(runtime.turns) >= resources.settings.chat_max_active_turns:
        raise CoachBusy(len(runtime.turns))
    # Claimed before the first await, so two messages to one thread cannot both start.
    placeholder = Turn(thread_id=thread_id, owner_id=owner_id, user_message_id=uuid.uuid4())
    runtime.turns[thread_id] = placeholder
    try:
        # Another app process may be answering in this thread.
        lease = str(placeholder.message_id)
        if not await resources.cache.add(_turn_key(thread_id), lease, ttl=TURN_LEASE_SECONDS):
            runtime.turns.pop(thread_id, None)
            raise TurnInProgress()
        async with resources.sessionmaker() as session:
            thread = await _owned_thread(session, owner_id=owner_id, thread_id=thread_id)
            if body.job_id is not None:
                # Another user's posting, or one deleted, is a 404 before anything is stored.
                await analysis_service.posting_for_target(
                    session=session, owner_id=owner_id, job_id=body.job_id
                )
            stored = ChatMessage(
                id=placeholder.user_message_id,
                thread_id=thread_id,
                owner_id=owner_id,
                role="user",
                content=body.content,
            )
            count = await session.scalar(
                select(func.count())
                .select_from(ChatMessage)
                .where(ChatMessage.thread_id == thread_id)
            )
            if thread.title == DEFAULT_TITLE and not count:
                first_line = body.content.strip().splitlines()[0]
                thread.title = first_line[:TITLE_CHARS].strip() or DEFAULT_TITLE
            thread.updated_at = utcnow()
            session.add(stored)
            session.add(thread)
            await session.commit()
        await resources.cache.delete(_cancel_key(thread_id))
    except TurnInProgress:
        raise
    except BaseException:
        runtime.turns.pop(thread_id, None)
        await _release_lease(resources, placeholder)
        raise
    placeholder.task = asyncio.create_task(
        _run_turn(runtime, placeholder, body), name=f"chat-turn-{thread_id}"
    )
    return placeholder


def _graph_input(body: MessageCreate) -> CoachState:
    """Return the turn's input to the graph: the message, and the per-turn keys reset."""
    # A cast: None resets a per-turn list (see state.per_turn), which its type does not say.
    turn_input = {
        "messages": [HistoryMessage(role="user", content=body.content)],
        "request": {
            "job_description": body.job_description,
            "role_id": body.role_id,
            "job_id": str(body.job_id) if body.job_id else None,
        },
        # None starts the per-turn lists afresh (see state.per_turn).
        "results": None,
        "calls": None,
        "agents": [],
        "answer": "",
        "degraded": False,
        "degraded_reason": None,
    }
    return cast(CoachState, turn_input)


async def _watch_cancel_flag(resources: Resources, turn: Turn) -> None:
    """Honour a cancel sent to another app process (through the shared cache); keep the lease."""
    renewed = time.monotonic()
    while True:
        await asyncio.sleep(CANCEL_POLL_SECONDS)
        try:
            if time.monotonic() - renewed >= TURN_LEASE_RENEW_SECONDS:
                await resources.cache.expire_if(
                    _turn_key(turn.thread_id), str(turn.message_id), ttl=TURN_LEASE_SECONDS
                )
                renewed = time.monotonic()
            if await resources.cache.get(_cancel_key(turn.thread_id)) is not None:
                turn.cancel("cancelled")
                return
        except Exception:  # the cache is down: the in-process cancel still works
            log.warning("chat.cancel_flag_unreadable", thread_id=str(turn.thread_id))


def _coach_context(runtime: ChatRuntime, turn: Turn) -> CoachContext:
    settings = runtime.resources.settings
    return CoachContext(
        user_id=turn.owner_id,
        resources=runtime.resources,
        history_messages=settings.chat_history_messages,
        llm_routing=settings.chat_llm_routing,
        tool_slots=runtime.tool_slots,
    )


@dataclass
class _Progress:
    """What the graph's nodes reported: the last value of each state key, the model calls."""

    final: CoachState = field(default_factory=lambda: CoachState())
    calls: list[CallUsage] = field(default_factory=list)

    def update(self, chunk: object) -> None:
        """Take in one ``updates`` chunk: ``{node: {key: value}}``, deltas of the state."""
        if not isinstance(chunk, dict):
            return
        for update in chunk.values():
            if isinstance(update, dict):
                # What a node returned (a CoachState). The model calls of each node add up;
                # the other keys are the latest value.
                self.calls.extend(update.get("calls") or [])
                latest = {k: v for k, v in update.items() if k != "calls"}
                self.final.update(cast(CoachState, latest))

    def usage(self) -> TurnUsage:
        return TurnUsage(
            calls=self.calls,
            prompt_tokens=sum(c["prompt_tokens"] for c in self.calls),
            completion_tokens=sum(c["completion_tokens"] for c in self.calls),
            routed_by=self.final.get("routed_by"),
        )


async def _show(turn: Turn, released: list[tuple[str, Withheld | None]]) -> None:
    """Pass on the sentences the claims check released, and say what it held back."""
    for text, withheld in released:
        if withheld is not None:
            log.info("chat.claim_withheld", thread_id=str(turn.thread_id), reasons=withheld.reasons)
            event: WithheldEvent = {
                "event": "withheld",
                "reasons": withheld.reasons,
                "replacement": withheld.replacement or None,
            }
            await turn.events.put(event)
        if text:
            turn.pieces.append(text)
            await turn.events.put({"event": "token", "text": text})


async def _relay(turn: Turn, event: GraphEvent) -> None:
    """Keep what the client must find stored (tokens, artifacts), and pass the event on.

    Tokens go through the claims check: a sentence is shown once complete and supported."""
    if event["event"] == "token":
        await _show(turn, turn.gate.feed(event["text"]))
        return
    if event["event"] == "tool" and event.get("artifact"):
        turn.artifacts.append(_artifact(event))
    await turn.events.put(event)


async def _load_gate(resources: Resources, turn: Turn) -> None:
    """Read the user's profile once per turn: the evidence the answer's claims need."""
    try:
        async with resources.sessionmaker() as session:
            profile = await profile_service.build_profile(session=session, owner_id=turn.owner_id)
    except Exception:
        # Without the profile nothing about the user is supported: claims are held back.
        log.warning("chat.profile_unreadable", thread_id=str(turn.thread_id))
        profile = None
    now = utcnow()
    turn.gate = SentenceGate(evidence_now(profile, now_year=now.year, now_month=now.month))


async def _consume(
    runtime: ChatRuntime, turn: Turn, body: MessageCreate, progress: _Progress
) -> None:
    """Run the graph for the turn, relaying its events and noting its progress."""
    # durability="exit": one checkpoint per turn (also when stopped), not one per step:
    # under load the database sees a few writes per answer, not a dozen.
    stream = runtime.graph.astream(
        _graph_input(body),
        _config(turn.thread_id),
        context=_coach_context(runtime, turn),
        stream_mode=["custom", "updates"],
        durability="exit",
    )
    try:
        async for mode, chunk in stream:
            if mode == "custom":  # what the nodes wrote (``runtime.stream_writer``)
                await _relay(turn, cast(GraphEvent, chunk))
            else:
                progress.update(chunk)
    except asyncio.CancelledError as stopped:
        # LangGraph hands over the task that saves the stopped run's checkpoint: let it
        # finish before the partial answer is recorded on top of it.
        saving = [arg for arg in stopped.args if isinstance(arg, asyncio.Task)]
        if saving:
            await asyncio.gather(*saving, return_exceptions=True)
        raise


async def _generate(
    runtime: ChatRuntime, turn: Turn, body: MessageCreate, progress: _Progress
) -> tuple[str, BaseException | None]:
    """Run the graph until it ends or the turn is stopped; return the status and the error."""
    status: str = "complete"
    error: BaseException | None = None
    generation = asyncio.create_task(_consume(runtime, turn, body, progress))
    stop = asyncio.create_task(turn._stop.wait())
    watcher = asyncio.create_task(_watch_cancel_flag(runtime.resources, turn))
    try:
        await asyncio.wait({generation, stop}, return_when=asyncio.FIRST_COMPLETED)
        if not generation.done():
            generation.cancel()
            status = "interrupted"
        try:
            await generation
        except asyncio.CancelledError:
            status = "interrupted"
        except Exception as exc:
            log.exception("chat.turn_failed", thread_id=str(turn.thread_id))
            status, error = "failed", exc
    finally:
        stop.cancel()
        watcher.cancel()
    return status, error


async def _run_turn(runtime: ChatRuntime, turn: Turn, body: MessageCreate) -> None:
    resources = runtime.resources
    progress = _Progress()
    await _load_gate(resources, turn)
    status, error = await _generate(runtime, turn, body, progress)
    await _show(turn, turn.gate.flush())
    turn.finished = True
    text = turn.text
    final = progress.final
    if status != "complete":
        await _record_partial(runtime, turn.thread_id, text)
    elif text != final.get("answer"):
        await _record_shown(runtime, turn.thread_id, text)
    usage = progress.usage()
    agents: list[str] = list(final.get("agents") or [])
    degraded = bool(final.get("degraded"))
    artifacts = list(turn.artifacts)
    stored = await _store_answer(
        resources,
        turn,
        text=text,
        status=status,
        agents=agents,
        degraded=degraded,
        usage=usage,
        artifacts=artifacts,
    )
    if error is not None:
        await turn.events.put(
            {
                "event": "error",
                "error": "CoachFailed",
                "detail": "The coach failed while answering; what it wrote so far is kept.",
            }
        )
    await turn.events.put(
        {
            "event": "done",
            "message_id": str(turn.message_id) if stored else None,
            "user_message_id": str(turn.user_message_id),
            "thread_id": str(turn.thread_id),
            "status": status,
            "reason": turn.cancel_reason,
            "degraded": degraded,
            "degraded_reason": final.get("degraded_reason"),
            "agents": agents,
            "usage": usage,
            "artifacts": artifacts,
        }
    )
    await turn.events.put(None)
    runtime.turns.pop(turn.thread_id, None)
    await _release_lease(resources, turn)
    log.info(
        "chat.turn_end",
        thread_id=str(turn.thread_id),
        status=status,
        agents=agents,
        degraded=degraded,
        prompt_tokens=usage["prompt_tokens"],
        completion_tokens=usage["completion_tokens"],
    )


def _config(thread_id: uuid.UUID) -> RunnableConfig:
    """The graph's configuration for a thread: its checkpoints are the thread's."""
    return {"configurable": {"thread_id": str(thread_id)}}


def _artifact(event: ToolEvent) -> StoredArtifact:
    """Return what a tool's done event says it created, as stored with the answer."""
    made = event["artifact"]
    return {
        "kind": str(made["kind"]),
        "id": str(made["id"]),
        "title": event.get("title"),
        "links": {str(k): str(v) for k, v in (made.get("links") or {}).items()},
    }


async def _record_partial(runtime: ChatRuntime, thread_id: uuid.UUID, text: str) -> None:
    """Put the interrupted answer in the graph's state too, so the next turn sees it."""
    try:
        await runtime.graph.aupdate_state(
            _config(thread_id),
            {"messages": [HistoryMessage(role="assistant", content=text)], "answer": text},
            as_node="compose",
        )
    except Exception:
        log.warning("chat.partial_not_checkpointed", thread_id=str(thread_id))


async def _record_shown(runtime: ChatRuntime, thread_id: uuid.UUID, text: str) -> None:
    """Put the answer the user saw in the graph's state in place of the model's raw answer.

    The claims check held some of it back: a later turn (which reads the conversation from
    the state) must not find, and repeat, what was withheld.
    """
    try:
        await runtime.graph.aupdate_state(
            _config(thread_id),
            {
                "messages": [HistoryMessage(role="assistant", content=text, revises=True)],
                "answer": text,
            },
            as_node="compose",
        )
    except Exception:
        log.warning("chat.shown_not_checkpointed", thread_id=str(thread_id))


async def _store_answer(
    resources: Resources,
    turn: Turn,
    *,
    text: str,
    status: str,
    agents: list[str],
    degraded: bool,
    usage: TurnUsage,
    artifacts: list[StoredArtifact],
) -> bool:
    try:
        async with resources.sessionmaker() as session:
            thread = await session.get(ChatThread, turn.thread_id)
            if thread is None:  # deleted while the coach was answering
                return False
            thread.updated_at = utcnow()
            session.add(thread)
            session.add(
                ChatMessage(
                    id=turn.message_id,
                    thread_id=turn.thread_id,
                    owner_id=turn.owner_id,
                    role="assistant",
                    content=text,
                    status=status,
                    agents=agents,
                    degraded=degraded,
                    usage=dict(usage),
                    artifacts=[dict(a) for a in artifacts],
                )
            )
            await session.commit()
        return True
    except Exception:
        log.exception("chat.answer_not_stored", thread_id=str(turn.thread_id))
        return False


async def cancel_turn(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, thread_id: uuid.UUID
) -> bool:
    """Stop the answer being generated in a thread; say whether one was running here."""
    await _owned_thread(session, owner_id=owner_id, thread_id=thread_id)
    turn = get_runtime(resources).turns.get(thread_id)
    if turn is not None:
        turn.cancel("cancelled")
        return True
    # Another app process may be answering: tell it through the shared cache.
    await resources.cache.set(_cancel_key(thread_id), "1", ttl=CANCEL_FLAG_TTL)
    return False


# --- streaming ----------------------------------------------------------------------------------


# The keep-alive comment (": ping"): FastAPI's own comes only every 15 s, ours every
# ``chat_heartbeat_seconds``, which is also when a client that went away is noticed.
PING = ServerSentEvent(comment="ping")


def sse_event(event: TurnEvent) -> ServerSentEvent:
    """Return one event for FastAPI's SSE response: its name, its other fields as compact JSON
    (``raw_data``: the bytes on the wire stay ``{"a":1}``, as clients have always had them)."""
    data = json.dumps(without_name(event), separators=(",", ":"))
    return ServerSentEvent(event=event["event"], raw_data=data)


async def events_of(turn: Turn, *, heartbeat: float) -> AsyncIterator[TurnEvent | None]:
    """Yield the turn's events, and ``None`` after ``heartbeat`` seconds without one."""
    while True:
        try:
            event = await asyncio.wait_for(turn.events.get(), timeout=heartbeat)
        except TimeoutError:
            yield None
            continue
        if event is None:
            return
        yield event


async def stream_sse(
    turn: Turn, *, heartbeat: float, is_disconnected: Callable[[], Awaitable[bool]]
) -> AsyncGenerator[ServerSentEvent, None]:
    """Yield the turn as server-sent events; a client that goes away cancels the turn."""
    try:
        async for event in events_of(turn, heartbeat=heartbeat):
            if event is None:
                if await is_disconnected():
                    turn.cancel("disconnected")
                    return
                yield PING
                continue
            yield sse_event(event)
    finally:
        # Reached early only when the response was cut: the client is gone.
        turn.cancel("disconnected")


def without_name(event: TurnEvent) -> dict[str, object]:
    """Return the event's fields but its name."""
    return {k: v for k, v in event.items() if k != "event"}
