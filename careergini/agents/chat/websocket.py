"""The chat over a WebSocket: the same turns as POST .../messages, cancels any time.

Frames in: ``{"type": "auth", "access_token"}`` (unless a Bearer header or the session cookie
authenticated the connection), ``{"type": "message", "thread_id", "content", ...}`` and
``{"type": "cancel", "thread_id"}``. Frames out: ``ready``, each event of a turn as
``{"type": <event name>, "thread_id", ...}``, ``cancel`` and ``error``.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any
from urllib.parse import urlparse

from pydantic import ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect

from careergini.agents.chat.schemas import MessageCreate
from careergini.agents.chat.service import Turn, cancel_turn, events_of, start_turn, without_name
from careergini.core.errors import AppError
from careergini.core.security import decode_access_token
from careergini.gateway.auth import service as auth_service
from careergini.gateway.auth.dependencies import limit_ai_calls
from careergini.gateway.auth.service import User
from careergini.runtime.resources import Resources

# The fields of a WebSocket "message" frame, as POST .../messages takes them.
MESSAGE_FIELDS = ("content", "job_description", "role_id", "job_id")

AUTH_TIMEOUT = 10.0
ACCESS_COOKIE = "cg_access"


async def _user_for_token(resources: Resources, token: str | None) -> User | None:
    if not token:
        return None
    claims = decode_access_token(token, secret=resources.settings.secret_key)
    if claims is None:
        return None
    async with resources.sessionmaker() as session:
        # As for HTTP: a logged-out login is refused, on the database alone if Redis is down.
        if await auth_service.is_access_revoked(
            session=session, cache=resources.cache, claims=claims
        ):
            return None
        user = await auth_service.get_user(session=session, user_id=claims.user_id)
    return user if user is not None and user.is_active else None


def _same_origin(websocket: WebSocket, allowed: list[str]) -> bool:
    origin = websocket.headers.get("origin")
    # Browsers always send an Origin with a WebSocket handshake: none, or "null" (a sandboxed or
    # file page), is not our page.
    if not origin or origin == "null":
        return False
    host = websocket.headers.get("host", "")
    return urlparse(origin).netloc == host or origin.rstrip("/") in allowed


async def authenticate_websocket(websocket: WebSocket, resources: Resources) -> User | None:
    """Return the user of a WebSocket: Bearer header, the access cookie, or an auth frame."""
    header = websocket.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return await _user_for_token(resources, value.strip())
    cookie = websocket.cookies.get(ACCESS_COOKIE)
    if cookie:
        # Browsers send cookies cross-site too: only our own pages may use them here.
        if not _same_origin(websocket, resources.settings.cors_origins):
            return None
        return await _user_for_token(resources, cookie)
    try:
        async with asyncio.timeout(AUTH_TIMEOUT):
            frame = await websocket.receive_json()
    except (TimeoutError, ValueError, WebSocketDisconnect):
        return None
    if not isinstance(frame, dict) or frame.get("type") != "auth":
        return None
    return await _user_for_token(resources, str(frame.get("access_token") or ""))


def _error_frame(exc: AppError, thread_id: str | None = None) -> dict[str, Any]:
    return {"type": "error", "thread_id": thread_id, **exc.to_body()}


async def serve_websocket(websocket: WebSocket, *, resources: Resources) -> None:
    """Run one WebSocket connection: messages in, the coach's events out, cancels any time."""
    await websocket.accept()
    user = await authenticate_websocket(websocket, resources)
    if user is None:
        await websocket.send_json(
            {
                "type": "error",
                "error": "Unauthorized",
                "detail": "Log in first: send a Bearer "
                'token, the session cookie, or {"type": "auth", "access_token": "..."} first.',
            }
        )
        await websocket.close(code=4401)
        return
    await websocket.send_json({"type": "ready"})
    user_id = user.id
    lock = asyncio.Lock()
    mine: dict[uuid.UUID, Turn] = {}
    forwarders: set[asyncio.Task[None]] = set()

    async def send(frame: dict[str, Any]) -> None:
        async with lock:
            await websocket.send_json(frame)

    async def forward(turn: Turn) -> None:
        async for event in events_of(turn, heartbeat=resources.settings.chat_heartbeat_seconds):
            if event is None:
                continue  # WebSocket keep-alive is the server's ping frames
            name = event.get("event")
            await send({"type": name, "thread_id": str(turn.thread_id), **without_name(event)})
        mine.pop(turn.thread_id, None)

    try:
        while True:
            frame = await websocket.receive_json()
            kind = frame.get("type") if isinstance(frame, dict) else None
            thread = str(frame.get("thread_id") or "") if isinstance(frame, dict) else ""
            try:
                thread_id = uuid.UUID(thread)
            except ValueError:
                await send(
                    {
                        "type": "error",
                        "error": "ValidationError",
                        "detail": "thread_id is not a thread id.",
                        "thread_id": thread or None,
                    }
                )
                continue
            try:
                if kind == "message":
                    body = MessageCreate.model_validate({k: frame.get(k) for k in MESSAGE_FIELDS})
                    await limit_ai_calls(user, resources.rate_limiter, resources.settings)
                    turn = await start_turn(
                        resources=resources, owner_id=user_id, thread_id=thread_id, body=body
                    )
                    mine[thread_id] = turn
                    task = asyncio.create_task(forward(turn))
                    forwarders.add(task)
                    task.add_done_callback(forwarders.discard)
                elif kind == "cancel":
                    async with resources.sessionmaker() as session:
                        cancelled = await cancel_turn(
                            session=session,
                            resources=resources,
                            owner_id=user_id,
                            thread_id=thread_id,
                        )
                    await send({"type": "cancel", "thread_id": thread, "cancelled": cancelled})
                else:
                    await send(
                        {
                            "type": "error",
                            "error": "ValidationError",
                            "thread_id": thread,
                            "detail": 'type must be "message" or "cancel".',
                        }
                    )
            except AppError as exc:
                await send(_error_frame(exc, thread))
            except ValidationError as exc:
                await send(
                    {
                        "type": "error",
                        "error": "ValidationError",
                        "thread_id": thread,
                        "detail": f"The message is invalid: {exc.errors()[0]['msg']}",
                    }
                )
    except (WebSocketDisconnect, RuntimeError, ValueError):
        pass
    finally:
        for turn in list(mine.values()):
            turn.cancel("disconnected")
        for task in list(forwarders):
            task.cancel()
