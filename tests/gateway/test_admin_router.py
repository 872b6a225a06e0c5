"""Roles: the first account is the admin; the admin API answers 404 to everyone else; users can
be promoted (API and `careergini users promote`), disabled, signed out and deleted; the audit
log: users see their own events, admins everyone's; retention."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import anyio.to_thread
import httpx
import pytest

from careergini import cli
from careergini.core.db import utcnow
from careergini.gateway.audit import service as audit_service
from careergini.gateway.audit.models import AuditEvent
from careergini.runtime.resources import Resources
from tests.conftest import PASSWORD, UserMaker

ADMIN_GETS = [
    "/api/admin/users",
    "/api/admin/audit",
    "/api/admin/storage",
    "/api/admin/jobs/sources",
    "/api/admin/tasks",
    "/api/admin/llm/usage",
]


async def test_the_first_account_is_the_admin(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    first = await make_user()
    second = await make_user()
    me_first = (await client.get("/api/auth/me", headers=first["headers"])).json()
    me_second = (await client.get("/api/auth/me", headers=second["headers"])).json()
    assert (me_first["role"], me_first["is_admin"]) == ("admin", True)
    assert (me_second["role"], me_second["is_admin"]) == ("user", False)


async def test_the_admin_api_is_invisible_to_users(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    admin = await make_user()
    user = await make_user()
    for path in ADMIN_GETS:
        assert (await client.get(path, headers=admin["headers"])).status_code == 200, path
        hidden = await client.get(path, headers=user["headers"])
        assert hidden.status_code == 404, path
        assert (await client.get(path)).status_code == 401, path
    writes = [
        ("PATCH", f"/api/admin/users/{admin['id']}", {"role": "user"}),
        ("POST", f"/api/admin/users/{admin['id']}/sessions/revoke", None),
        ("DELETE", f"/api/admin/users/{admin['id']}", None),
    ]
    for method, path, body in writes:
        response = await client.request(method, path, json=body, headers=user["headers"])
        assert response.status_code == 404, path
    # Nothing changed for the admin.
    assert (await client.get("/api/auth/me", headers=admin["headers"])).json()["is_admin"]


async def test_users_list_promote_disable_and_reset(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    admin = await make_user()
    user = await make_user()
    listed = (await client.get("/api/admin/users", headers=admin["headers"])).json()
    assert [u["email"] for u in listed] == [admin["email"], user["email"]]
    assert listed[1] | {"last_login_at": None} == listed[1] | {
        "role": "user",
        "is_active": True,
        "two_factor": False,
        "providers": [],
        "last_login_at": None,
    }
    assert "password" not in str(listed).replace("local_login", "")

    promoted = await client.patch(
        f"/api/admin/users/{user['id']}", json={"role": "admin"}, headers=admin["headers"]
    )
    assert promoted.json()["role"] == "admin"
    demoted = await client.patch(
        f"/api/admin/users/{user['id']}", json={"role": "user"}, headers=admin["headers"]
    )
    assert demoted.json()["role"] == "user"
    assert (await client.get("/api/admin/users", headers=user["headers"])).status_code == 404

    reset = await client.post(
        f"/api/admin/users/{user['id']}/sessions/revoke", headers=admin["headers"]
    )
    assert reset.status_code == 204
    assert (await client.get("/api/auth/me", headers=user["headers"])).status_code == 401

    disabled = await client.patch(
        f"/api/admin/users/{user['id']}", json={"is_active": False}, headers=admin["headers"]
    )
    assert disabled.json()["is_active"] is False
    login = await client.post(
        "/api/auth/login", json={"email": user["email"], "password": PASSWORD}
    )
    assert login.status_code == 401
    enabled = await client.patch(
        f"/api/admin/users/{user['id']}", json={"is_active": True}, headers=admin["headers"]
    )
    assert enabled.json()["is_active"] is True
    client.cookies.clear()
    again = await client.post(
        "/api/auth/login", json={"email": user["email"], "password": PASSWORD}
    )
    assert again.status_code == 200

    log = (
        await client.get(
            "/api/admin/audit", params={"user_id": user["id"]}, headers=admin["headers"]
        )
    ).json()["events"]
    kinds = [e["event"] for e in log]
    for kind in (
        "role.changed",
        "admin.sessions_reset",
        "admin.user_disabled",
        "admin.user_enabled",
    ):
        assert kind in kinds, kind
    acted = [e for e in log if e["event"].startswith("admin.")]
    assert all(e["actor_id"] == admin["id"] for e in acted)
    roles = [e["detail"]["role"] for e in log if e["event"] == "role.changed"]
    assert roles == ["user", "admin"]  # newest first


async def test_the_last_admin_stays_one(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    admin = await make_user()
    for change in ({"role": "user"}, {"is_active": False}):
        refused = await client.patch(
            f"/api/admin/users/{admin['id']}", json=change, headers=admin["headers"]
        )
        assert refused.status_code == 409
        assert "last active admin" in refused.json()["detail"]
    self_delete = await client.delete(f"/api/admin/users/{admin['id']}", headers=admin["headers"])
    assert self_delete.status_code == 409
    bad = await client.patch(
        f"/api/admin/users/{admin['id']}", json={"role": "root"}, headers=admin["headers"]
    )
    assert bad.status_code == 422
    missing = await client.patch(
        f"/api/admin/users/{uuid.uuid4()}", json={"role": "user"}, headers=admin["headers"]
    )
    assert missing.status_code == 404


async def test_an_admin_deletes_a_user(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    admin = await make_user()
    user = await make_user()
    gone = await client.delete(f"/api/admin/users/{user['id']}", headers=admin["headers"])
    assert gone.status_code == 204
    assert (await client.get("/api/auth/me", headers=user["headers"])).status_code == 401
    emails = [
        u["email"] for u in (await client.get("/api/admin/users", headers=admin["headers"])).json()
    ]
    assert emails == [admin["email"]]
    log = (await client.get("/api/admin/audit", headers=admin["headers"])).json()["events"]
    # The user's own events went with the account; the deletion itself is recorded.
    theirs = [e for e in log if e["user_id"] == user["id"]]
    assert [e["event"] for e in theirs] == ["admin.user_deleted"]
    assert theirs[0]["actor_id"] == admin["id"]


async def test_users_see_only_their_own_events(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    admin = await make_user()
    alice = await make_user()
    bob = await make_user()
    alice_events = (await client.get("/api/account/audit", headers=alice["headers"])).json()
    assert alice_events["events"]
    assert {e["user_id"] for e in alice_events["events"]} == {alice["id"]}
    assert {e["event"] for e in alice_events["events"]} == {
        "account.registered",
        "login.succeeded",
    }
    everyone = (await client.get("/api/admin/audit", headers=admin["headers"])).json()["events"]
    assert {alice["id"], bob["id"], admin["id"]} <= {e["user_id"] for e in everyone}
    first_admin = [e for e in everyone if e["event"] == "role.changed"]
    assert first_admin[0]["detail"] == {"role": "admin", "reason": "first_account"}


async def test_the_log_pages_newest_first(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    admin = await make_user()
    for _ in range(3):
        client.cookies.clear()
        await client.post("/api/auth/login", json={"email": admin["email"], "password": PASSWORD})
    first = (
        await client.get("/api/account/audit", params={"limit": 2}, headers=admin["headers"])
    ).json()
    second = (
        await client.get(
            "/api/account/audit",
            params={"limit": 2, "before": first["next_before"]},
            headers=admin["headers"],
        )
    ).json()
    ids = [e["id"] for e in first["events"] + second["events"]]
    assert len(ids) == len(set(ids)) == 4
    times = [e["at"] for e in first["events"] + second["events"]]
    assert times == sorted(times, reverse=True)


async def test_sign_out_token_reuse_export_and_deletion_are_recorded(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    admin = await make_user()
    user = await make_user()
    credentials = {"email": user["email"], "password": PASSWORD}
    refresh = user["refresh_token"]
    rotated = await client.post("/api/auth/refresh", json={"refresh_token": refresh})
    assert rotated.status_code == 200
    client.cookies.clear()
    reused = await client.post("/api/auth/refresh", json={"refresh_token": refresh})
    assert reused.status_code == 401
    client.cookies.clear()
    login = await client.post("/api/auth/login", json=credentials)
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    client.cookies.clear()
    # Signing one of your logins out (a lost phone) is recorded too; then a fresh login.
    [only] = (await client.get("/api/auth/sessions", headers=headers)).json()
    revoked = await client.delete(f"/api/auth/sessions/{only['id']}", headers=headers)
    assert revoked.status_code == 204
    login = await client.post("/api/auth/login", json=credentials)
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    client.cookies.clear()
    assert (await client.get("/api/account/export", headers=headers)).status_code == 200
    assert (await client.post("/api/auth/logout", headers=headers)).status_code == 204
    kinds = [
        e["event"]
        for e in (
            await client.get(
                "/api/admin/audit", params={"user_id": user["id"]}, headers=admin["headers"]
            )
        ).json()["events"]
    ]
    assert {"token.reuse_detected", "session.revoked", "account.exported", "logout"} <= set(kinds)

    client.cookies.clear()
    login = await client.post(
        "/api/auth/login", json={"email": user["email"], "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await client.delete("/api/account", headers=headers)).status_code == 204
    after = (
        await client.get(
            "/api/admin/audit", params={"user_id": user["id"]}, headers=admin["headers"]
        )
    ).json()["events"]
    assert [e["event"] for e in after] == ["account.deleted"]
    assert after[0]["actor_id"] is None


async def test_expired_events_are_purged(resources: Resources, client: httpx.AsyncClient) -> None:
    async with resources.sessionmaker() as session:
        session.add(
            AuditEvent(event="login.succeeded", at=utcnow() - timedelta(days=400), detail={})
        )
        session.add(AuditEvent(event="login.succeeded", at=utcnow() - timedelta(days=3), detail={}))
        await session.commit()
        removed = await audit_service.purge_expired(session=session, retention_days=365)
        await session.commit()
        assert removed == 1
        assert await audit_service.count_events(session=session) == 1


async def test_the_cli_promotes_and_demotes(
    client: httpx.AsyncClient,
    make_user: UserMaker,
    resources: Resources,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    admin = await make_user()
    user = await make_user()
    monkeypatch.setattr(cli, "get_settings", lambda: resources.settings)
    await _run_cli(["users", "promote", user["email"].upper()])
    assert capsys.readouterr().out.strip() == f"{user['email']}: user -> admin"
    assert (await client.get("/api/admin/users", headers=user["headers"])).status_code == 200
    await _run_cli(["users", "demote", user["email"]])
    assert "admin -> user" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="no account has the email"):
        await _run_cli(["users", "promote", "nobody@example.org"])
    # The demotion of the only remaining admin is refused, as through the API.
    with pytest.raises(SystemExit, match="last active admin"):
        await _run_cli(["users", "demote", admin["email"]])


async def _run_cli(argv: list[str]) -> Any:
    # The command runs its own event loop: a worker thread keeps it off the test's loop.
    return await anyio.to_thread.run_sync(cli.main, argv)
