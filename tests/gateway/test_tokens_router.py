"""Personal access tokens through the HTTP API: made once, hashed at rest, listed, revoked,
audited, and nobody else's to revoke."""

from __future__ import annotations

import hashlib
import uuid

import httpx
from sqlmodel import select

from careergini.gateway.tokens.models import AccessToken
from careergini.runtime.resources import Resources
from tests.conftest import UserMaker


async def test_token_is_shown_once_stored_hashed_listed_and_revoked(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    made = await client.post(
        "/api/account/tokens",
        json={"name": "Claude desktop", "scopes": ["read", "write"]},
        headers=user["headers"],
    )
    assert made.status_code == 201, made.text
    body = made.json()
    token = body["token"]
    assert token.startswith("cgp_") and len(token) > 40
    assert body["scopes"] == ["read", "write"]
    assert body["last_used_at"] is None

    async with resources.sessionmaker() as session:
        row = (await session.exec(select(AccessToken))).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.token_hash, row.hint)

    listed = await client.get("/api/account/tokens", headers=user["headers"])
    assert listed.status_code == 200
    assert [t["name"] for t in listed.json()] == ["Claude desktop"]
    assert "token" not in listed.json()[0]

    revoked = await client.delete(f"/api/account/tokens/{body['id']}", headers=user["headers"])
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None

    events = await client.get("/api/account/audit", headers=user["headers"])
    kinds = [e["event"] for e in events.json()["events"]]
    assert "access_token.created" in kinds and "access_token.revoked" in kinds


async def test_another_users_token_is_not_found(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice, bob = await make_user(), await make_user()
    made = await client.post(
        "/api/account/tokens", json={"name": "laptop"}, headers=alice["headers"]
    )
    token_id = made.json()["id"]
    assert made.json()["scopes"] == ["read"]

    stolen = await client.delete(f"/api/account/tokens/{token_id}", headers=bob["headers"])
    assert stolen.status_code == 404
    assert stolen.json()["error"] == "NotFound"
    assert (await client.get("/api/account/tokens", headers=bob["headers"])).json() == []
    missing = await client.delete(f"/api/account/tokens/{uuid.uuid4()}", headers=alice["headers"])
    assert missing.status_code == 404


async def test_bad_token_requests_say_what_is_wrong(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    for body in ({"name": ""}, {"name": "x", "scopes": ["admin"]}, {"name": "x", "scopes": []}):
        response = await client.post("/api/account/tokens", json=body, headers=user["headers"])
        assert response.status_code == 422, body
        assert response.json()["error"] == "ValidationError"
    anonymous = await client.post("/api/account/tokens", json={"name": "x"})
    assert anonymous.status_code == 401
