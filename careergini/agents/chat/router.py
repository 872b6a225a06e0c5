"""The chat API: threads, messages streamed as Server-Sent Events, cancel, and a WebSocket."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import aclosing, asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response, WebSocket, status
from fastapi.sse import EventSourceResponse, ServerSentEvent

from careergini.agents.chat import service as chat_service, websocket as chat_websocket_service
from careergini.agents.chat.schemas import (
    CancelResult,
    MessageCreate,
    ThreadCreate,
    ThreadDetail,
    ThreadPublic,
)
from careergini.gateway.auth.dependencies import AIRateLimit, CurrentUser
from careergini.runtime.deps import ResourcesDep, SessionDep, SettingsDep


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """On shutdown, stop the answers in progress and store what they streamed."""
    yield
    runtime = app.state.resources.component(chat_service.ChatRuntime)
    if runtime is not None:
        await runtime.aclose()


router = APIRouter(prefix="/api/chat", tags=["chat"], lifespan=lifespan)

SSE_DESCRIPTION = """\
Streams the coach's answer as Server-Sent Events (`text/event-stream`):

- `agent`: routing and each specialist starting and finishing (`{"agent", "status", "detail"}`)
- `tool`: each tool call (`{"agent", "tool", "status": "started"|"done", "detail"|"ok"}`), e.g.
  "Checking your skill gap against the job ..."; a `done` that created something (a resume, a
  cover letter, a roadmap, an interview) has `"artifact": {"kind", "id", "links"}`
- `token`: a piece of the answer (`{"text"}`)
- `error`: the coach failed (`{"error", "detail"}`); a `done` event still follows
- `done`: `{"message_id", "user_message_id", "status": "complete"|"interrupted"|"failed",
  "degraded", "agents", "usage": {"calls", "prompt_tokens", "completion_tokens"},
  "artifacts": [{"kind", "id", "title", "links"}]}` (also listed on the stored message)

A comment line (`: ping`) is sent every 15 s while nothing else is. Your message is stored before
the answer starts; the answer when it ends, or marked `interrupted` with what was streamed if you
disconnect or cancel. When the AI model is offline or busy the answer comes from the analysis
itself (`degraded: true`).
"""


@router.post("/threads", response_model=ThreadPublic, status_code=status.HTTP_201_CREATED)
async def create_thread(body: ThreadCreate, user: CurrentUser, session: SessionDep) -> ThreadPublic:
    """Start a conversation with the coach."""
    return await chat_service.create_thread(session=session, owner_id=user.id, title=body.title)


@router.get("/threads", response_model=list[ThreadPublic])
async def list_threads(user: CurrentUser, session: SessionDep) -> list[ThreadPublic]:
    """Your conversations, most recently active first."""
    return await chat_service.list_threads(session=session, owner_id=user.id)


@router.get("/threads/{thread_id}", response_model=ThreadDetail)
async def get_thread(
    thread_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> ThreadDetail:
    """One conversation with its messages."""
    return await chat_service.get_thread(
        session=session, resources=resources, owner_id=user.id, thread_id=thread_id
    )


@router.delete("/threads/{thread_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_thread(
    thread_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> Response:
    """Delete a conversation, its messages and the coach's state for it."""
    await chat_service.delete_thread(
        session=session, resources=resources, owner_id=user.id, thread_id=thread_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def started_turn(
    thread_id: uuid.UUID,
    body: MessageCreate,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
) -> chat_service.Turn:
    """Store the message and start the answer before the stream opens, so that a refusal (no
    such thread, a turn in progress, the coach busy, a message too long) is an HTTP error."""
    # The answer outlives this request's transaction, and the turn writes in transactions of
    # its own: end this one first, so a request never holds two pooled connections at once
    # (under a burst, requests each holding one and waiting for a second would deadlock).
    await session.commit()
    return await chat_service.start_turn(
        resources=resources, owner_id=user.id, thread_id=thread_id, body=body
    )


StartedTurn = Annotated[chat_service.Turn, Depends(started_turn)]


@router.post(
    "/threads/{thread_id}/messages",
    dependencies=[AIRateLimit],
    response_class=EventSourceResponse,
    description=SSE_DESCRIPTION,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "the answer, as events"},
        409: {"description": "the coach is still answering the previous message"},
        503: {"description": "too many answers in progress; Retry-After says when to retry"},
    },
)
async def post_message(
    request: Request, settings: SettingsDep, turn: StartedTurn
) -> AsyncIterator[ServerSentEvent]:
    """Send a message to the coach and stream its answer."""
    events = chat_service.stream_sse(
        turn,
        heartbeat=settings.chat_heartbeat_seconds,
        is_disconnected=request.is_disconnected,
    )
    async with aclosing(events):
        async for event in events:
            yield event


@router.post("/threads/{thread_id}/cancel", response_model=CancelResult)
async def cancel(
    thread_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> CancelResult:
    """Stop the answer being generated; what was streamed is kept, marked interrupted."""
    cancelled = await chat_service.cancel_turn(
        session=session, resources=resources, owner_id=user.id, thread_id=thread_id
    )
    return CancelResult(thread_id=str(thread_id), cancelled=cancelled)


@router.websocket("/ws")
async def chat_websocket(websocket: WebSocket) -> None:
    """The same over a WebSocket: send {"type": "message"|"cancel", "thread_id", ...}."""
    await chat_websocket_service.serve_websocket(websocket, resources=websocket.app.state.resources)
