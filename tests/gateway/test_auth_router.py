"""Register, log in, refresh, log out, sessions: through the HTTP API on both stacks."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from careergini.gateway.auth import service as auth_service
from careergini.runtime.resources import Resources
from tests.conftest import PASSWORD, UserMaker

SAME_SITE = {"Origin": "http://testserver"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


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

    rotated = await client.post("/api/auth/refresh", headers=SAME_SITE)
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
    assert (await client.post("/api/auth/refresh", headers=SAME_SITE)).status_code == 200


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
    # Signing a login out ends its access tokens at once, not when they expire.
    assert (await client.get("/api/auth/sessions", headers=alice["headers"])).status_code == 401


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


async def test_concurrent_refreshes_with_one_token_make_exactly_one_session(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    body = {"refresh_token": user["refresh_token"]}
    answers = await asyncio.gather(*(client.post("/api/auth/refresh", json=body) for _ in range(5)))
    client.cookies.clear()
    assert sorted(a.status_code for a in answers) == [200, 401, 401, 401, 401], [
        a.text for a in answers
    ]
    assert {a.json()["error"] for a in answers if a.status_code == 401} == {"RefreshTokenReuse"}
    async with resources.sessionmaker() as session:
        tokens = await auth_service.list_sessions(session=session, user_id=uuid.UUID(user["id"]))
    # The login's token and the one winner's: one new session, not five.
    assert len(tokens) == 2
    # The losers count as reuse: the whole login is revoked, its access tokens at once.
    [winner] = [a.json() for a in answers if a.status_code == 200]
    assert (
        await client.get("/api/auth/me", headers=_bearer(winner["access_token"]))
    ).status_code == 401
    assert (await client.get("/api/auth/me", headers=user["headers"])).status_code == 401


async def test_detected_reuse_ends_the_familys_access_tokens_at_once(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    other = await make_user()
    rotated = await client.post("/api/auth/refresh", json={"refresh_token": user["refresh_token"]})
    assert rotated.status_code == 200
    client.cookies.clear()
    new_access = _bearer(rotated.json()["access_token"])
    assert (await client.get("/api/auth/me", headers=new_access)).status_code == 200

    reuse = await client.post("/api/auth/refresh", json={"refresh_token": user["refresh_token"]})
    assert reuse.status_code == 401 and reuse.json()["error"] == "RefreshTokenReuse"
    for headers in (user["headers"], new_access):
        refused = await client.get("/api/auth/me", headers=headers)
        assert refused.status_code == 401
        assert "logged out" in refused.json()["detail"]
    # Another user's login is untouched.
    assert (await client.get("/api/auth/me", headers=other["headers"])).status_code == 200


async def test_bearer_logout_without_refresh_token_ends_the_whole_login(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    out = await client.post("/api/auth/logout", headers=user["headers"])
    assert out.status_code == 204
    assert (await client.get("/api/auth/me", headers=user["headers"])).status_code == 401
    after = await client.post("/api/auth/refresh", json={"refresh_token": user["refresh_token"]})
    assert after.status_code == 401


async def _cookie_login(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    user = await make_user()
    login = await client.post(
        "/api/auth/login", json={"email": user["email"], "password": PASSWORD}
    )
    assert login.status_code == 200


async def test_cookie_writes_need_a_same_origin_origin_or_referer(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    await _cookie_login(client, make_user)
    refusals = [
        {"Origin": "null"},
        {},
        {"Referer": "https://evil.example/page"},
        {"Origin": "https://testserver.evil.example"},
    ]
    for headers in refusals:
        for method, path in (("POST", "/api/auth/refresh"), ("POST", "/api/auth/logout")):
            refused = await client.request(method, path, headers=headers)
            assert refused.status_code == 403, (headers, path, refused.text)
            assert refused.json()["error"] == "Forbidden"
        refused = await client.delete("/api/account", headers=headers)
        assert refused.status_code == 403, headers
    # Still logged in; a same-origin Referer (no Origin) passes.
    assert (await client.get("/api/auth/me")).status_code == 200
    referer = {"Referer": "http://testserver/settings"}
    assert (await client.post("/api/auth/refresh", headers=referer)).status_code == 200
    assert (await client.post("/api/auth/logout", headers=SAME_SITE)).status_code == 204
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_a_browser_login_from_another_site_is_refused(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    creds = {"email": user["email"], "password": PASSWORD}
    for headers in (
        {"Origin": "null"},
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        refused = await client.post("/api/auth/login", json=creds, headers=headers)
        assert refused.status_code == 403, headers
        assert "set-cookie" not in refused.headers
    browser = {"Sec-Fetch-Site": "same-origin", **SAME_SITE}
    assert (await client.post("/api/auth/login", json=creds, headers=browser)).status_code == 200
    # A non-browser client (no Origin, Referer or Sec-Fetch-Site) logs in with its credentials.
    assert (await client.post("/api/auth/login", json=creds)).status_code == 200


async def test_authenticated_answers_are_not_stored_by_caches(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    for response in (
        await client.get("/api/auth/me", headers=user["headers"]),
        await client.get("/api/resumes", headers=user["headers"]),
        await client.get("/api/auth/me"),
        await client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD}),
    ):
        assert response.headers["cache-control"] == "no-store", response.request.url
    client.cookies.clear()
    # Public answers to anonymous requests are left to their routes.
    assert "cache-control" not in (await client.get("/api/health")).headers
