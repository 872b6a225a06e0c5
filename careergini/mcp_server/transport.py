"""Streamable HTTP at /mcp: a personal access token in, the SDK's transport behind it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import Receive, Scope, Send

from careergini.core.db import session_scope
from careergini.core.errors import outage_of
from careergini.core.logging import get_logger
from careergini.gateway.tokens import service as tokens_service
from careergini.mcp_server.server import OWNER_KEY, build_server
from careergini.runtime.resources import Resources

log = get_logger(__name__)


async def _send_json(
    send: Send, status: int, body: dict[str, Any], headers: dict[str, str]
) -> None:
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            kind, _, token = value.decode("latin-1").partition(" ")
            if kind.lower() == "bearer" and token.strip():
                return token.strip()
    return None


class MCPEndpoint:
    """The ASGI endpoint of /mcp: checks the token, then hands the request to the SDK."""

    def __init__(self, get_resources: Callable[[], Resources]) -> None:
        self.get_resources = get_resources
        self.server: MCPServer[Any] = build_server(get_resources=get_resources)
        self.manager: StreamableHTTPSessionManager | None = None

    def _new_manager(self) -> StreamableHTTPSessionManager:
        # Stateless and JSON: every POST carries its own token and answers in one response,
        # so any worker process can answer any request. The token, not the Host header,
        # is what keeps other sites' pages out (a browser cannot attach it), so the SDK's
        # DNS-rebinding check (loopback host names only) stays off behind nginx.
        return StreamableHTTPSessionManager(
            app=self.server._lowlevel_server,
            stateless=True,
            json_response=True,
            security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the SDK's session manager for the app's lifetime.

        Its task group lives in a task of its own: a lifespan may be entered and left in
        different tasks (test clients do), and a task group must not be.
        """
        manager = self._new_manager()
        ready, stop = asyncio.Event(), asyncio.Event()

        async def hold() -> None:
            async with manager.run():
                ready.set()
                await stop.wait()

        holder = asyncio.create_task(hold())
        waiting = asyncio.create_task(ready.wait())
        await asyncio.wait({holder, waiting}, return_when=asyncio.FIRST_COMPLETED)
        if holder.done():
            waiting.cancel()
            holder.result()
        self.manager = manager
        try:
            yield
        finally:
            self.manager = None
            stop.set()
            await holder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _bearer(scope)
        if token is None:
            await _send_json(
                send,
                401,
                {
                    "error": "Unauthorized",
                    "detail": "Send `Authorization: Bearer <token>` with a personal access token "
                    "made under Account > Access tokens (POST /api/account/tokens).",
                },
                {"WWW-Authenticate": "Bearer"},
            )
            return
        resources = self.get_resources()
        try:
            async with session_scope(resources.sessionmaker) as session:
                owner = await tokens_service.authenticate(session=session, token=token)
        except Exception as exc:
            dependency = outage_of(exc)
            if dependency is None:
                raise
            log.warning("mcp.dependency_down", dependency=dependency)
            await _send_json(
                send,
                503,
                {"error": "DependencyUnavailable", "detail": f"The {dependency} is unavailable."},
                {"Retry-After": "5"},
            )
            return
        if owner is None:
            await _send_json(
                send,
                401,
                {
                    "error": "Unauthorized",
                    "detail": "This token is unknown or revoked: make a new one under "
                    "Account > Access tokens.",
                },
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
            return
        if self.manager is None:
            await _send_json(
                send,
                503,
                {"error": "Unavailable", "detail": "The MCP server is starting or stopping."},
                {"Retry-After": "1"},
            )
            return
        scope[OWNER_KEY] = owner
        scope.setdefault("state", {})["user_id"] = str(owner.user_id)
        await self.manager.handle_request(scope, receive, send)
