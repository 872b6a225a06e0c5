"""Register, log in, refresh, log out, sessions: through the HTTP API on both stacks."""

from __future__ import annotations

import httpx

from tests.conftest import PASSWORD, UserMaker


async def test_register_returns_the_public_user(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/register",
        json={"email": "Ada@Example.com", "password": PASSWORD, "full_name": " Ada Lovelace "},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "ada@example.com"
    assert body["full_name"] == "Ada Lovelace"
    assert "password" not in response.text and "hash" not in response.text


async def test_register_twice_is_a_conflict_whatever_the_case(client: httpx.AsyncClient) -> None:
    first = await client.post("/api/auth/register", json={"email": "a@b.io", "password": PASSWORD})
    assert first.status_code == 201
    again = await client.post("/api/auth/register", json={"email": "A@B.io", "password": PASSWORD})
    assert again.status_code == 409
    assert again.json()["error"] == "EmailTaken"


async def test_register_validation_names_the_fields(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/register", json={"email": "nope", "password": "short"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "ValidationError"
    paths = {field["path"] for field in body["fields"]}
    assert paths == {"body.email", "body.password"}


async def test_login_sets_httponly_lax_cookies_and_returns_a_bearer_token(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/api/auth/register", json={"email": "c@d.io", "password": PASSWORD})
    response = await client.post("/api/auth/login", json={"email": "c@d.io", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    set_cookies = response.headers.get_list("set-cookie")
    access = next(c for c in set_cookies if c.startswith("cg_access="))
    refresh = next(c for c in set_cookies if c.startswith("cg_refresh="))
    for cookie in (access, refresh):
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie
        assert "Secure" not in cookie  # not production
    assert "Path=/api/auth" in refresh

    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200 and me.json()["email"] == "c@d.io"
    # The cookie alone authenticates too (the SPA's way).
    me_cookie = await client.get("/api/auth/me")
    assert me_cookie.status_code == 200


async def test_wrong_password_and_unknown_email_look_the_same(client: httpx.AsyncClient) -> None:
    await client.post("/api/auth/register", json={"email": "e@f.io", "password": PASSWORD})
    wrong = await client.post("/api/auth/login", json={"email": "e@f.io", "password": "x" * 10})
    unknown = await client.post("/api/auth/login", json={"email": "z@f.io", "password": "x" * 10})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


async def test_me_without_a_token_is_401_with_a_json_reason(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["error"] == "Unauthorized"
    bad = await client.get("/api/auth/me", headers={"Authorization": "Bearer not-a-jwt"})
    assert bad.status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_family(client: httpx.AsyncClient) -> None:
    await client.post("/api/auth/register", json={"email": "g@h.io", "password": PASSWORD})
    await client.post("/api/auth/login", json={"email": "g@h.io", "password": PASSWORD})
    first_refresh = client.cookies.get("cg_refresh", path="/api/auth")
    assert first_refresh

    rotated = await client.post("/api/auth/refresh")
    assert rotated.status_code == 200, rotated.text
    second_refresh = client.cookies.get("cg_refresh", path="/api/auth")
    assert second_refresh and second_refresh != first_refresh

    # The first token comes back (stolen copy): refused, and the whole login is revoked.
    client.cookies.clear()
    reuse = await client.post("/api/auth/refresh", json={"refresh_token": first_refresh})
    assert reuse.status_code == 401
    assert reuse.json()["error"] == "RefreshTokenReuse"
    legit = await client.post("/api/auth/refresh", json={"refresh_token": second_refresh})
    assert legit.status_code == 401

    # Another login of the same user is a separate family and still works.
    again = await client.post("/api/auth/login", json={"email": "g@h.io", "password": PASSWORD})
    assert again.status_code == 200
    assert (await client.post("/api/auth/refresh")).status_code == 200


async def test_refresh_without_a_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/refresh")
    assert response.status_code == 401
    assert "Log in again" in response.json()["detail"]


async def test_logout_ends_the_access_token_and_the_refresh_token(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/api/auth/register", json={"email": "i@j.io", "password": PASSWORD})
    login = await client.post("/api/auth/login", json={"email": "i@j.io", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    refresh = client.cookies.get("cg_refresh", path="/api/auth")

    out = await client.post("/api/auth/logout", headers=headers)
    assert out.status_code == 204
    assert any("cg_access=" in c and "Max-Age=0" in c for c in out.headers.get_list("set-cookie"))
    assert (await client.get("/api/auth/me", headers=headers)).status_code == 401
    client.cookies.clear()
    after = await client.post("/api/auth/refresh", json={"refresh_token": refresh})
    assert after.status_code == 401


async def test_login_is_throttled_per_account(client: httpx.AsyncClient) -> None:
    await client.post("/api/auth/register", json={"email": "k@l.io", "password": PASSWORD})
    for _ in range(5):
        bad = await client.post("/api/auth/login", json={"email": "k@l.io", "password": "wrong!!!"})
        assert bad.status_code == 401
    # Even the right password is refused while the account is locked.
    locked = await client.post("/api/auth/login", json={"email": "k@l.io", "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert locked.json()["error"] == "TooManyRequests"


async def test_login_is_throttled_per_ip_across_accounts(client: httpx.AsyncClient) -> None:
    for n in range(20):
        bad = await client.post(
            "/api/auth/login", json={"email": f"nobody{n}@x.io", "password": "wrong!!!"}
        )
        assert bad.status_code == 401
    blocked = await client.post(
        "/api/auth/login", json={"email": "someone@x.io", "password": "wrong!!!"}
    )
    assert blocked.status_code == 429


async def test_sessions_list_and_revoke_and_other_users_get_404(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice = await make_user()
    bob = await make_user()
    sessions = await client.get("/api/auth/sessions", headers=alice["headers"])
    assert sessions.status_code == 200
    [alice_session] = sessions.json()

    # Bob can neither see nor revoke Alice's login: it does not exist for him.
    foreign = await client.delete(
        f"/api/auth/sessions/{alice_session['id']}", headers=bob["headers"]
    )
    assert foreign.status_code == 404
    assert foreign.json()["error"] == "NotFound"
    bob_sessions = (await client.get("/api/auth/sessions", headers=bob["headers"])).json()
    assert alice_session["id"] not in {s["id"] for s in bob_sessions}

    revoked = await client.delete(
        f"/api/auth/sessions/{alice_session['id']}", headers=alice["headers"]
    )
    assert revoked.status_code == 204
    after = await client.post("/api/auth/refresh", json={"refresh_token": alice["refresh_token"]})
    assert after.status_code == 401
    assert (await client.get("/api/auth/sessions", headers=alice["headers"])).json() == []


async def test_cookie_writes_from_another_site_are_refused(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    await client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD})
    evil = await client.delete("/api/account", headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403
    assert (await client.get("/api/auth/me")).status_code == 200
    same_site = await client.get("/api/auth/me", headers={"Origin": "http://testserver"})
    assert same_site.status_code == 200
