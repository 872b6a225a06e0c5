"""`careergini mcp`: the same tools over stdio, driven by the SDK's stdio client (a real child
process on the test's database), for the token's owner only; a revoked token stops working."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.mcp_server.conftest import Served
from tests.mcp_server.test_mcp import error_text, payload


def _stdio(served: Served, token: str) -> Client:
    settings = served.resources.settings
    env: dict[str, Any] = {
        **os.environ,
        "CAREERGINI_ENV": "test",
        "CAREERGINI_DATABASE_URL": settings.effective_database_url,
        "CAREERGINI_REDIS_URL": settings.redis_url,
        "CAREERGINI_CHROMA_URL": settings.chroma_url,
        "CAREERGINI_DATA_DIR": str(settings.data_dir),
        "CAREERGINI_SECRET_KEY": settings.secret_key,
        "CAREERGINI_OLLAMA_URL": settings.ollama_url,
        "CAREERGINI_LOG_LEVEL": "WARNING",
        "CAREERGINI_MCP_TOKEN": token,
    }
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "careergini.cli", "mcp"], env=env
    )
    return Client(params)


async def test_stdio_tools_act_for_the_tokens_owner_until_revoked(served: Served) -> None:
    alice = await served.user()
    alice_job = await served.save_job(alice)
    bob = await served.user()
    token = await served.token(bob)

    async with _stdio(served, token) as mcp:
        names = {tool.name for tool in (await mcp.list_tools()).tools}
        assert {"profile_summary", "get_job", "save_job"} <= names
        summary = payload(await mcp.call_tool("profile_summary", {}))
        assert summary["work"][0]["company"] == "Initrode"
        assert "(404)" in error_text(await mcp.call_tool("get_job", {"job_id": alice_job}))

        listed = await served.http.get("/api/account/tokens", headers=bob["headers"])
        token_id = listed.json()[0]["id"]
        await served.http.delete(f"/api/account/tokens/{token_id}", headers=bob["headers"])
        refused = error_text(await mcp.call_tool("profile_summary", {}))
        assert "Unauthorized (401)" in refused
    assert json.dumps(summary)  # the profile came back as JSON
