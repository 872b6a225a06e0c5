"""The MCP server through the SDK's own client, over real HTTP to the app served on 127.0.0.1:
tools listed and called with a user's token, nothing of another user's, scopes and revocation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp.shared.exceptions import MCPError

from tests.mcp_server.conftest import Served

EXPECTED_TOOLS = {
    "profile_summary",
    "search_jobs",
    "recommendations",
    "get_job",
    "analyse_job",
    "save_job",
    "list_applications",
    "create_application",
    "update_application",
    "tailor_resume",
    "roadmap",
    "interview_question",
}


def payload(result: Any) -> Any:
    assert not result.is_error, result.content
    return json.loads(result.content[0].text)


def error_text(result: Any) -> str:
    assert result.is_error
    return str(result.content[0].text)


async def test_tools_listed_and_called_for_the_tokens_owner(served: Served) -> None:
    user = await served.user()
    job_id = await served.save_job(user)
    token = await served.token(user)

    async with served.client(token) as mcp:
        tools = await mcp.list_tools()
        assert {tool.name for tool in tools.tools} == EXPECTED_TOOLS

        summary = payload(await mcp.call_tool("profile_summary", {}))
        assert "Python" in summary["skills"]
        assert summary["work"][0]["company"] == "Initrode"

        found = payload(await mcp.call_tool("search_jobs", {"query": "backend"}))
        assert [item["id"] for item in found["items"]] == [job_id]

        match = payload(await mcp.call_tool("analyse_job", {"job_id": job_id}))
        assert match["target"]["job_id"] == job_id
        assert 0 <= match["match"]["score"] <= 100

        pasted = payload(
            await mcp.call_tool("analyse_job", {"job_description": "Python and Go developer"})
        )
        assert pasted["target"]["type"] == "job_description"

        tracked = payload(
            await mcp.call_tool("create_application", {"job_id": job_id, "status": "saved"})
        )
        moved = payload(
            await mcp.call_tool(
                "update_application",
                {"application_id": tracked["id"], "status": "applied", "note": "sent"},
            )
        )
        assert moved["status"] == "applied"

        saved = payload(
            await mcp.call_tool("save_job", {"text": "Data engineer\n\nWe need SQL and Spark."})
        )
        assert saved["id"] != job_id

        resources = await mcp.list_resources()
        assert {str(r.uri) for r in resources.resources} == {
            "careergini://profile",
            "careergini://jobs",
        }
        jobs = await mcp.read_resource("careergini://jobs")
        listed = json.loads(jobs.contents[0].text)  # type: ignore[union-attr]
        assert {item["id"] for item in listed["items"]} == {job_id, saved["id"]}

    # What the assistant did is the user's, through the API too.
    apps = await served.http.get("/api/applications", headers=user["headers"])
    assert [a["status"] for a in apps.json()] == ["applied"]
    listed_tokens = await served.http.get("/api/account/tokens", headers=user["headers"])
    assert listed_tokens.json()[0]["last_used_at"] is not None


async def test_another_users_things_are_not_found(served: Served) -> None:
    alice = await served.user()
    alice_job = await served.save_job(alice)
    tracked = await served.http.post(
        "/api/applications", json={"job_id": alice_job}, headers=alice["headers"]
    )
    assert tracked.status_code == 201
    bob = await served.user(resume=False)
    token = await served.token(bob)

    async with served.client(token) as mcp:
        for name, args in [
            ("get_job", {"job_id": alice_job}),
            ("analyse_job", {"job_id": alice_job}),
            ("create_application", {"job_id": alice_job}),
            ("update_application", {"application_id": tracked.json()["id"], "status": "offer"}),
            ("tailor_resume", {"job_id": alice_job}),
        ]:
            text = error_text(await mcp.call_tool(name, args))
            # The same answer as the API's: 404, or "no profile yet" for Bob's own empty one.
            assert "(404)" in text or ("NoProfile" in text and name == "tailor_resume"), (
                name,
                text,
            )
            assert "Initrode" not in text and "Backend" not in text

        found = payload(await mcp.call_tool("search_jobs", {"query": "backend"}))
        assert found["items"] == []
        assert payload(await mcp.call_tool("list_applications", {})) == {"items": []}
        assert "NoProfile" in error_text(await mcp.call_tool("profile_summary", {}))

    unchanged = await served.http.get("/api/applications", headers=alice["headers"])
    assert [a["status"] for a in unchanged.json()] == ["saved"]


async def test_read_only_token_cannot_change_anything(served: Served) -> None:
    user = await served.user()
    job_id = await served.save_job(user)
    token = await served.token(user, scopes=["read"])
    async with served.client(token) as mcp:
        assert payload(await mcp.call_tool("get_job", {"job_id": job_id}))["id"] == job_id
        text = error_text(await mcp.call_tool("create_application", {"job_id": job_id}))
        assert "MissingScope (403)" in text and "'write'" in text
    apps = await served.http.get("/api/applications", headers=user["headers"])
    assert apps.json() == []


async def test_bad_arguments_are_tool_errors_that_say_what_to_fix(served: Served) -> None:
    user = await served.user()
    token = await served.token(user)
    async with served.client(token) as mcp:
        text = error_text(await mcp.call_tool("get_job", {"job_id": "not-a-uuid"}))
        assert "(422)" in text and "not an id" in text
        text = error_text(await mcp.call_tool("analyse_job", {}))
        assert "InvalidInput (422)" in text


async def test_missing_unknown_and_revoked_tokens_are_refused(served: Served) -> None:
    plain = await served.http.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert plain.status_code == 401
    assert plain.json()["error"] == "Unauthorized"
    assert plain.headers["www-authenticate"].startswith("Bearer")

    wrong = await served.http.post(
        "/mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
        headers={"Authorization": "Bearer cgp_nope"},
    )
    assert wrong.status_code == 401

    user = await served.user(resume=False)
    token = await served.token(user)
    async with served.client(token) as mcp:
        await mcp.list_tools()
    listed = await served.http.get("/api/account/tokens", headers=user["headers"])
    revoked = await served.http.delete(
        f"/api/account/tokens/{listed.json()[0]['id']}", headers=user["headers"]
    )
    assert revoked.status_code == 200
    with pytest.raises((MCPError, Exception)):
        async with served.client(token) as mcp:
            await mcp.list_tools()


async def test_tailor_roadmap_and_interview_for_a_saved_posting(served: Served) -> None:
    user = await served.user()
    job_id = await served.save_job(user)
    token = await served.token(user)
    async with served.client(token) as mcp:
        tailored = payload(await mcp.call_tool("tailor_resume", {"job_id": job_id}))
        assert tailored["links"]["resume"] == f"/api/resumes/{tailored['resume_id']}"
        plan = payload(await mcp.call_tool("roadmap", {"job_id": job_id, "months": 2}))
        assert plan["id"]
        interview = payload(await mcp.call_tool("interview_question", {"job_id": job_id}))
        assert interview["id"]

    # The versions the assistant made are the user's, through the API.
    resume = await served.http.get(tailored["links"]["resume"], headers=user["headers"])
    assert resume.status_code == 200
    roadmaps = await served.http.get("/api/learning/roadmaps", headers=user["headers"])
    assert [r["id"] for r in roadmaps.json()] == [plan["id"]]


async def test_ai_tools_share_the_users_ai_budget(served: Served) -> None:
    user = await served.user()
    job_id = await served.save_job(user)
    token = await served.token(user)
    served.resources.settings.ai_rate_limit_per_minute = 1
    async with served.client(token) as mcp:
        assert not (await mcp.call_tool("tailor_resume", {"job_id": job_id})).is_error
        text = error_text(await mcp.call_tool("roadmap", {"job_id": job_id}))
        assert "TooManyRequests (429)" in text and "a minute" in text
        # Reading is not an AI call: it still works.
        assert payload(await mcp.call_tool("get_job", {"job_id": job_id}))["id"] == job_id


async def test_mcp_requests_count_against_the_addresses_rate_limit(served: Served) -> None:
    user = await served.user(resume=False)
    token = await served.token(user)
    served.resources.settings.rate_limit_per_minute = 2
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2025-06-18",
    }
    statuses = [
        (await served.http.post("/mcp", json=call, headers=headers)).status_code for _ in range(4)
    ]
    assert statuses[-1] == 429, statuses
    limited = await served.http.post("/mcp", json=call, headers=headers)
    assert limited.json()["error"] == "TooManyRequests"
    assert int(limited.headers["retry-after"]) > 0
