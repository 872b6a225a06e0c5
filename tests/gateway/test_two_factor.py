"""TOTP two-factor sign-in: set up, sign in with a code or a recovery code, replay refused,
turn off; password changes. Codes are computed with pyotp from the secret the API hands out."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pyotp
from sqlmodel import select

from careergini.gateway.auth import totp
from careergini.gateway.auth.models import User
from careergini.runtime.resources import Resources
from tests.conftest import PASSWORD, UserMaker

SAME_SITE = {"Origin": "http://testserver"}


def code_at(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


async def turn_on(client: httpx.AsyncClient, user: dict[str, Any]) -> tuple[str, list[str]]:
    setup = await client.post("/api/auth/2fa/setup", headers=user["headers"])
    assert setup.status_code == 200, setup.text
    body = setup.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/CareerGini:")
    assert body["qr_svg"].lstrip().startswith("<svg")
    enabled = await client.post(
        "/api/auth/2fa/enable", json={"code": code_at(body["secret"])}, headers=user["headers"]
    )
    assert enabled.status_code == 200, enabled.text
    codes = enabled.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    return body["secret"], codes


async def login(client: httpx.AsyncClient, email: str, **extra: Any) -> httpx.Response:
    client.cookies.clear()
    return await client.post(
        "/api/auth/login", json={"email": email, "password": PASSWORD, **extra}
    )


async def test_totp_sign_in(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    user = await make_user()
    secret, _ = await turn_on(client, user)
    status = await client.get("/api/auth/2fa", headers=user["headers"])
    assert status.json() == {"enabled": True, "recovery_codes_left": 10}

    asked = await login(client, user["email"])
    assert asked.status_code == 401
    assert asked.json()["error"] == "TwoFactorRequired"
    assert asked.json()["two_factor_required"] is True
    assert not asked.cookies.get("cg_access")

    wrong = await login(client, user["email"], otp="000000")
    assert wrong.status_code == 401 and wrong.json()["error"] == "InvalidSecondFactor"

    # The step after the one used to turn it on (the same code cannot sign in again).
    ok = await login(client, user["email"], otp=code_at(secret, 1))
    assert ok.status_code == 200, ok.text
    me = await client.get("/api/auth/me")
    assert me.json()["two_factor"] is True

    replay = await login(client, user["email"], otp=code_at(secret, 1))
    assert replay.status_code == 401 and replay.json()["error"] == "InvalidSecondFactor"


async def test_a_recovery_code_signs_in_once(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    _, codes = await turn_on(client, user)
    ok = await login(client, user["email"], otp=codes[3].lower().replace("-", " "))
    assert ok.status_code == 200, ok.text
    again = await login(client, user["email"], otp=codes[3])
    assert again.status_code == 401
    status = await client.get("/api/auth/2fa", headers=user["headers"])
    assert status.json()["recovery_codes_left"] == 9
    events = (await client.get("/api/account/audit", headers=user["headers"])).json()["events"]
    used = next(e for e in events if e["event"] == "2fa.recovery_code_used")
    assert used["detail"] == {"left": 9}
    # No code, secret or recovery code ever reaches the audit log.
    text = str(events)
    assert codes[3] not in text and all(code not in text for code in codes)


async def test_enabling_needs_a_right_code_and_turning_off_needs_one_too(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    setup = (await client.post("/api/auth/2fa/setup", headers=user["headers"])).json()
    bad = await client.post(
        "/api/auth/2fa/enable", json={"code": "123456"}, headers=user["headers"]
    )
    assert bad.status_code == 401
    assert (await client.get("/api/auth/2fa", headers=user["headers"])).json()["enabled"] is False
    good = await client.post(
        "/api/auth/2fa/enable", json={"code": code_at(setup["secret"])}, headers=user["headers"]
    )
    assert good.status_code == 200
    twice = await client.post("/api/auth/2fa/setup", headers=user["headers"])
    assert twice.status_code == 409

    refused = await client.post(
        "/api/auth/2fa/disable", json={"code": "999999"}, headers=user["headers"]
    )
    assert refused.status_code == 401
    off = await client.post(
        "/api/auth/2fa/disable",
        json={"code": code_at(setup["secret"], 1)},
        headers=user["headers"],
    )
    assert off.status_code == 204
    plain = await login(client, user["email"])
    assert plain.status_code == 200
    events = [
        e["event"]
        for e in (await client.get("/api/account/audit", headers=user["headers"])).json()["events"]
    ]
    assert {"2fa.enabled", "2fa.recovery_codes_created", "2fa.disabled"} <= set(events)


async def test_new_recovery_codes_replace_the_old(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    secret, old = await turn_on(client, user)
    new = await client.post(
        "/api/auth/2fa/recovery-codes",
        json={"code": code_at(secret, 1)},
        headers=user["headers"],
    )
    assert new.status_code == 200
    fresh = new.json()["recovery_codes"]
    assert not set(fresh) & set(old)
    assert (await login(client, user["email"], otp=old[0])).status_code == 401
    assert (await login(client, user["email"], otp=fresh[0])).status_code == 200


async def test_the_secret_is_stored_encrypted(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    secret, _ = await turn_on(client, user)
    async with resources.sessionmaker() as session:
        row = (await session.exec(select(User).where(User.email == user["email"]))).one()
    assert secret not in (row.totp_secret or "")
    assert totp.unseal(row.totp_secret, secret_key=resources.settings.secret_key) == secret
    assert totp.unseal(row.totp_secret, secret_key="another-key-" * 4) is None


async def test_password_change_signs_other_logins_out(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    other_login = await login(client, user["email"])
    other_token = other_login.json()["access_token"]
    wrong = await client.post(
        "/api/auth/password",
        json={"current_password": "nope nope", "new_password": "a new long password"},
        headers=user["headers"],
    )
    assert wrong.status_code == 401
    changed = await client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a new long password"},
        headers=user["headers"],
    )
    assert changed.status_code == 204
    client.cookies.clear()
    assert (await client.get("/api/auth/me", headers=user["headers"])).status_code == 200
    other = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {other_token}"})
    assert other.status_code == 401
    old = await client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD})
    assert old.status_code == 401
    events = (await client.get("/api/account/audit", headers=user["headers"])).json()["events"]
    assert any(e["event"] == "password.changed" for e in events)
    assert "a new long password" not in str(events)


async def test_a_stolen_session_cannot_guess_the_code_or_the_password(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    secret, _ = await turn_on(client, user)
    for guess in range(5):
        wrong = await client.post(
            "/api/auth/2fa/disable", json={"code": f"{guess:06d}"}, headers=user["headers"]
        )
        assert wrong.status_code == 401
    stopped = await client.post(
        "/api/auth/2fa/disable", json={"code": code_at(secret, 1)}, headers=user["headers"]
    )
    assert stopped.status_code == 429
    password = await client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "x" * 12, "otp": code_at(secret, 1)},
        headers=user["headers"],
    )
    assert password.status_code == 429
    assert (await client.get("/api/auth/2fa", headers=user["headers"])).json()["enabled"] is True
