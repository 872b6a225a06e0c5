"""Sign-in with OpenID Connect (a generic issuer, the Google preset) and GitHub's OAuth flow,
end to end against provider doubles on loopback that sign real RS256 ID tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from careergini.config import Settings
from tests.conftest import PASSWORD, UserMaker, make_settings
from tests.doubles.oidc import OIDCDouble, Person

SAME_SITE = {"Origin": "http://testserver"}


@pytest.fixture
def idp() -> Iterator[OIDCDouble]:
    with OIDCDouble(client_id="cg-generic", client_secret="generic-secret") as double:
        yield double


@pytest.fixture
def google() -> Iterator[OIDCDouble]:
    with OIDCDouble(client_id="cg-google.apps", client_secret="google-secret") as double:
        yield double


@pytest.fixture
def github() -> Iterator[OIDCDouble]:
    with OIDCDouble(
        client_id="Iv1.gh", client_secret="gh-secret", github=True, person=Person(subject="583231")
    ) as double:
        yield double


@pytest.fixture
def settings(
    stack: dict, tmp_path: Path, idp: OIDCDouble, google: OIDCDouble, github: OIDCDouble
) -> Settings:
    return make_settings(
        tmp_path,
        **stack,
        public_url="http://testserver",
        oidc_issuer=idp.url,
        oidc_client_id=idp.client_id,
        oidc_client_secret=idp.client_secret,
        oidc_name="Keycloak",
        google_client_id=google.client_id,
        google_client_secret=google.client_secret,
        google_issuer=google.url,
        github_oauth_client_id=github.client_id,
        github_oauth_client_secret=github.client_secret,
        github_oauth_url=github.url,
        github_api_url=github.url,
    )


async def sign_in(
    client: httpx.AsyncClient, provider: str, *, next_path: str = "/jobs", link: bool = False
) -> httpx.Response:
    """Run the browser's part: start here, sign in at the provider, come back."""
    params: dict[str, Any] = {"next": next_path}
    if link:
        params["link"] = "true"
    start = await client.get(f"/api/auth/oidc/{provider}/start", params=params)
    assert start.status_code == 303, start.text
    async with httpx.AsyncClient() as browser:
        at_provider = await browser.get(start.headers["location"])
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["location"])
    assert back.netloc == "testserver"
    return await client.get(f"{back.path}?{back.query}")


def sso_error(response: httpx.Response) -> str:
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/login"
    return parse_qs(location.query)["sso_error"][0]


async def my_events(client: httpx.AsyncClient, **headers: str) -> list[dict[str, Any]]:
    page = await client.get("/api/account/audit", headers=headers)
    assert page.status_code == 200, page.text
    return page.json()["events"]


async def test_providers_are_listed_for_the_login_page(client: httpx.AsyncClient) -> None:
    listed = await client.get("/api/auth/providers")
    assert listed.status_code == 200
    assert [(p["id"], p["name"]) for p in listed.json()] == [
        ("google", "Google"),
        ("github", "GitHub"),
        ("oidc", "Keycloak"),
    ]
    assert listed.json()[2]["start_url"] == "/api/auth/oidc/oidc/start"


async def test_a_new_person_signs_in_with_the_generic_provider(
    client: httpx.AsyncClient, idp: OIDCDouble
) -> None:
    start = await client.get("/api/auth/oidc/oidc/start", params={"next": "/jobs"})
    sent = parse_qs(urlsplit(start.headers["location"]).query)
    assert sent["code_challenge_method"] == ["S256"]
    assert sent["redirect_uri"] == ["http://testserver/api/auth/oidc/oidc/callback"]
    assert sent["scope"] == ["openid email profile"]
    assert sent["nonce"][0] and sent["state"][0]
    client.cookies.clear()

    back = await sign_in(client, "oidc")
    assert back.status_code == 303, back.text
    assert back.headers["location"] == "/jobs"
    assert back.cookies.get("cg_access")
    me = (await client.get("/api/auth/me")).json()
    assert me["email"] == "jane@example.org"
    assert me["full_name"] == "Jane Doe"
    assert me["local_login"] is False

    # The token request authenticated the client and proved the PKCE verifier.
    [token_request] = [r for r in idp.token_requests if r["path"] == "/token"]
    assert token_request["auth"].startswith("Basic ")
    assert len(token_request["form"]["code_verifier"]) >= 43

    events = [e["event"] for e in await my_events(client)]
    assert "account.registered" in events and "identity.linked" in events
    login = next(e for e in await my_events(client) if e["event"] == "login.succeeded")
    assert login["detail"]["method"] == "oidc"

    # Signing in again finds the same account.
    client.cookies.clear()
    again = await sign_in(client, "oidc")
    assert again.status_code == 303 and again.cookies.get("cg_access")
    assert (await client.get("/api/auth/me")).json()["id"] == me["id"]


@pytest.mark.parametrize(
    ("tamper", "reason", "words"),
    [
        ("bad_signature", "bad_signature", "signature is invalid"),
        ("wrong_nonce", "wrong_nonce", "nonce does not match"),
        ("expired", "expired", "expired"),
        ("wrong_audience", "wrong_audience", "another client"),
        ("hs256", "bad_algorithm", "'HS256' is refused"),
        ("none", "bad_algorithm", "'none' is refused"),
    ],
)
async def test_a_bad_id_token_signs_nobody_in(
    client: httpx.AsyncClient,
    idp: OIDCDouble,
    make_user: UserMaker,
    tamper: str,
    reason: str,
    words: str,
) -> None:
    admin = await make_user()
    idp.tamper = tamper
    back = await sign_in(client, "oidc")
    assert words in sso_error(back)
    assert not back.cookies.get("cg_access")
    client.cookies.clear()
    assert (await client.get("/api/auth/me")).status_code == 401
    # The failure is in the audit log, with its reason and no account.
    log = await client.get(
        "/api/admin/audit", params={"event": "login.failed"}, headers=admin["headers"]
    )
    [failure] = log.json()["events"]
    assert failure["detail"] == {"method": "oidc", "reason": reason}
    assert failure["user_id"] is None
    users = await client.get("/api/admin/users", headers=admin["headers"])
    assert [u["email"] for u in users.json()] == [admin["email"]]


async def test_a_discovery_document_naming_another_issuer_is_refused(
    client: httpx.AsyncClient, settings: Settings, idp: OIDCDouble
) -> None:
    # The same server under another name: its document names 127.0.0.1, not localhost.
    settings.oidc_issuer = idp.url.replace("127.0.0.1", "localhost")
    response = await client.get("/api/auth/oidc/oidc/start")
    assert response.status_code == 401
    assert response.json()["reason"] == "issuer_mismatch"


async def test_the_state_must_match_the_browser_that_started(
    client: httpx.AsyncClient, idp: OIDCDouble
) -> None:
    start = await client.get("/api/auth/oidc/oidc/start")
    async with httpx.AsyncClient() as browser:
        at_provider = await browser.get(start.headers["location"])
    code = parse_qs(urlsplit(at_provider.headers["location"]).query)["code"][0]
    forged = await client.get(
        "/api/auth/oidc/oidc/callback", params={"code": code, "state": "forged-state"}
    )
    assert "state" in sso_error(forged)
    # A callback in a browser that never started a sign-in (login CSRF) is refused too.
    client.cookies.clear()
    stray = await client.get("/api/auth/oidc/oidc/callback", params={"code": code, "state": "x"})
    assert "not started here" in sso_error(stray)
    assert not idp.token_requests


async def test_the_provider_refusing_or_a_cancel_lands_on_the_login_page(
    client: httpx.AsyncClient,
) -> None:
    start = await client.get("/api/auth/oidc/oidc/start")
    state = parse_qs(urlsplit(start.headers["location"]).query)["state"][0]
    cancelled = await client.get(
        "/api/auth/oidc/oidc/callback", params={"error": "access_denied", "state": state}
    )
    assert "did not sign you in" in sso_error(cancelled)


async def test_an_unverified_email_cannot_make_an_account(
    client: httpx.AsyncClient, idp: OIDCDouble
) -> None:
    idp.person = Person(subject="77", email="someone@example.org", email_verified=False)
    back = await sign_in(client, "oidc")
    assert "did not confirm an email" in sso_error(back)


async def test_an_existing_account_is_linked_only_with_its_owners_password(
    client: httpx.AsyncClient, idp: OIDCDouble, make_user: UserMaker
) -> None:
    owner = await make_user("jane@example.org")
    back = await sign_in(client, "oidc")
    assert back.status_code == 303 and back.headers["location"] == "/login?link=1"
    assert not back.cookies.get("cg_access")  # not signed in by the provider alone
    pending = await client.get("/api/auth/oidc/pending")
    assert pending.json() == {
        "provider": "oidc",
        "provider_name": "Keycloak",
        "email": "jane@example.org",
        "next": "/jobs",
    }
    wrong = await client.post(
        "/api/auth/oidc/link", json={"password": "not the password"}, headers=SAME_SITE
    )
    assert wrong.status_code == 401
    linked = await client.post(
        "/api/auth/oidc/link", json={"password": PASSWORD}, headers=SAME_SITE
    )
    assert linked.status_code == 200, linked.text
    assert (await client.get("/api/auth/me")).json()["id"] == owner["id"]

    # From now on the provider signs the owner straight in.
    client.cookies.clear()
    again = await sign_in(client, "oidc")
    assert again.headers["location"] == "/jobs" and again.cookies.get("cg_access")
    assert (await client.get("/api/auth/me")).json()["id"] == owner["id"]


async def test_a_signed_in_user_links_and_unlinks_a_provider(
    client: httpx.AsyncClient, google: OIDCDouble, make_user: UserMaker
) -> None:
    google.person = Person(subject="g-1", email="other-address@gmail.com")
    user = await make_user()
    other = await make_user()
    client.cookies.set("cg_access", user["access_token"])
    linked = await sign_in(client, "google", link=True)
    assert linked.headers["location"] == "/account?linked=google"
    identities = await client.get("/api/auth/identities", headers=user["headers"])
    [identity] = identities.json()
    assert identity["provider"] == "google"
    # Another user can neither see nor remove it.
    assert (await client.get("/api/auth/identities", headers=other["headers"])).json() == []
    foreign = await client.delete(
        f"/api/auth/identities/{identity['id']}", headers=other["headers"]
    )
    assert foreign.status_code == 404
    # Google now signs this user in, whatever the email at Google.
    client.cookies.clear()
    back = await sign_in(client, "google")
    assert (await client.get("/api/auth/me")).json()["id"] == user["id"]
    assert back.status_code == 303
    gone = await client.delete(f"/api/auth/identities/{identity['id']}", headers=user["headers"])
    assert gone.status_code == 204
    events = [e["event"] for e in await my_events(client, **user["headers"])]
    assert "identity.linked" in events and "identity.unlinked" in events


async def test_github_signs_in_with_its_verified_primary_email(
    client: httpx.AsyncClient, github: OIDCDouble
) -> None:
    back = await sign_in(client, "github", next_path="/profile")
    assert back.status_code == 303 and back.headers["location"] == "/profile", back.text
    me = (await client.get("/api/auth/me")).json()
    assert me["email"] == "jane@example.org"
    sent = [r for r in github.token_requests if r["path"] == "/login/oauth/access_token"]
    assert sent and sent[0]["form"]["code_verifier"]


async def test_github_without_a_verified_email_is_refused(
    client: httpx.AsyncClient, github: OIDCDouble
) -> None:
    github.person = Person(subject="9", email="unverified@example.org", email_verified=False)
    assert "did not confirm an email" in sso_error(await sign_in(client, "github"))


async def test_an_unknown_provider_is_a_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/auth/oidc/linkedin/start")
    assert response.status_code == 404
    assert "linkedin" in response.json()["detail"]


async def test_an_unreachable_provider_is_a_503(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    settings.oidc_issuer = "http://127.0.0.1:9"
    response = await client.get("/api/auth/oidc/oidc/start")
    assert response.status_code == 503
    assert response.json()["reason"] == "provider_unavailable"


async def test_the_last_sign_in_method_cannot_be_unlinked(
    client: httpx.AsyncClient, idp: OIDCDouble
) -> None:
    await sign_in(client, "oidc")
    [identity] = (await client.get("/api/auth/identities")).json()
    refused = await client.delete(f"/api/auth/identities/{identity['id']}", headers=SAME_SITE)
    assert refused.status_code == 409
    assert "only way to sign in" in refused.json()["detail"]


async def test_a_provider_made_account_sets_a_password(
    client: httpx.AsyncClient, idp: OIDCDouble
) -> None:
    await sign_in(client, "oidc")
    refused = await client.post(
        "/api/auth/login", json={"email": "jane@example.org", "password": "anything at all"}
    )
    assert refused.status_code == 401
    client.cookies.clear()
    await sign_in(client, "oidc")
    set_one = await client.post(
        "/api/auth/password", json={"new_password": "a brand new password"}, headers=SAME_SITE
    )
    assert set_one.status_code == 204, set_one.text
    assert (await client.get("/api/auth/me")).json()["local_login"] is True
    client.cookies.clear()
    login = await client.post(
        "/api/auth/login", json={"email": "jane@example.org", "password": "a brand new password"}
    )
    assert login.status_code == 200
