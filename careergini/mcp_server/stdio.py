"""``careergini mcp``: the same tools over stdio, for an assistant on the same machine."""

from __future__ import annotations

from careergini.config import Settings
from careergini.core.db import session_scope
from careergini.gateway.tokens import service as tokens_service
from careergini.mcp_server.server import build_server
from careergini.runtime.resources import build_resources


async def serve_stdio(*, settings: Settings, token: str) -> str | None:
    """Serve MCP on stdin/stdout for the token's owner; return why it could not start."""
    resources = build_resources(settings)
    try:
        async with session_scope(resources.sessionmaker) as session:
            owner = await tokens_service.authenticate(session=session, token=token)
        if owner is None:
            return (
                "the token is unknown or revoked: make one in the app under Account > "
                "Access tokens and pass it in CAREERGINI_MCP_TOKEN"
            )
        resources.embedder.start_loading()
        server = build_server(get_resources=lambda: resources, stdio_token=token)
        await server.run_stdio_async()
        return None
    finally:
        await resources.aclose()
