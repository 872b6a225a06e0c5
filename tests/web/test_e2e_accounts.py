"""Accounts in a real Chromium (issue 24): the login page's provider button signs in through an
OpenID Connect provider double on loopback; two-factor sign-in is set up on the Account page and
then asked for at login; the admin screen is there for the admin (users, security log) and for
nobody else."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyotp
import pytest
from playwright.sync_api import BrowserContext, expect

from careergini.core.embeddings import Embedder
from tests.conftest import free_port, make_settings
from tests.doubles.oidc import OIDCDouble, Person
from tests.web.a11y import assert_accessible
from tests.web.conftest import LiveApp, _Server, log_in, shot
from tests.web.test_e2e import no_horizontal_scroll


@pytest.fixture(scope="module")
def idp() -> Iterator[OIDCDouble]:
    with OIDCDouble(
        client_id="cg-e2e", client_secret="e2e-secret", person=Person(email="sso@example.org")
    ) as double:
        yield double


@pytest.fixture(scope="module")
def live_app(
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    embedder: Embedder,
    idp: OIDCDouble,
) -> Iterator[LiveApp]:
    tmp = tmp_path_factory.mktemp("web-accounts")
    shutil.copy(sqlite_template, tmp / "careergini.db")
    port = free_port()
    settings = make_settings(
        tmp,
        database_url=f"sqlite:///{tmp / 'careergini.db'}",
        rate_limit_per_minute=10_000,
        public_url=f"http://127.0.0.1:{port}",
        oidc_issuer=idp.url,
        oidc_client_id=idp.client_id,
        oidc_client_secret=idp.client_secret,
        oidc_name="Company SSO",
    )
    server = _Server(settings, embedder, port)
    server.start()
    assert server.ready.wait(120), "the app did not start"
    if server.error:
        raise server.error
    try:
        yield LiveApp(url=f"http://127.0.0.1:{port}", ollama=None)  # type: ignore[arg-type]
    finally:
        assert server.server is not None
        server.server.should_exit = True
        server.join(30)


@pytest.fixture(scope="module")
def admin(live_app: LiveApp) -> dict[str, str]:
    # The first account of this fresh install: the admin.
    return live_app.user(resume=False)


def test_admin_screen_for_the_admin_only(
    live_app: LiveApp, context: BrowserContext, admin: dict[str, str]
) -> None:
    user = live_app.user(resume=False)
    page = context.new_page()
    log_in(page, live_app, admin)
    page.get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    row = page.locator(f"tr[data-user='{user['email']}']")
    expect(row).to_contain_text("user")
    row.get_by_role("button", name="Make admin").click()
    expect(row.get_by_role("button", name="Make user")).to_be_visible()
    expect(row.locator(".chip").first).to_have_text("admin")
    row.get_by_role("button", name="Make user").click()
    expect(row.get_by_role("button", name="Make admin")).to_be_visible()
    page.get_by_role("tab", name="Security log").click()
    expect(page.locator("tr[data-event='role.changed']").first).to_contain_text(user["email"])
    page.get_by_role("tab", name="Storage").click()
    expect(page.locator(".storage-use")).to_contain_text("Accounts")
    shot(page, "admin-screen")
    for tab in ("Users", "Security log", "Failed tasks", "LLM usage", "Job sources", "Storage"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        page.wait_for_selector(".tab-body .loading", state="detached")
        assert_accessible(page, f"admin: {tab}")

    other = context.browser.new_context()  # type: ignore[union-attr]
    try:
        plain = other.new_page()
        log_in(plain, live_app, user)
        expect(plain.get_by_role("link", name="Admin")).to_have_count(0)
        plain.goto(f"{live_app.url}/admin")
        expect(plain.get_by_role("heading", name="Page not found")).to_be_visible()
    finally:
        other.close()


def test_the_provider_button_signs_in(
    live_app: LiveApp, context: BrowserContext, admin: dict[str, str]
) -> None:
    page = context.new_page()
    page.goto(f"{live_app.url}/login?next=/jobs")
    button = page.get_by_role("link", name="Continue with Company SSO")
    expect(button).to_be_visible()
    shot(page, "login-with-provider")
    assert_accessible(page, "login with a provider")
    button.click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/jobs")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto(f"{live_app.url}/account")
    expect(page.locator(".user-name")).to_have_text("Jane Doe")  # the name the provider gave
    expect(page.locator("[data-identity='oidc']")).to_be_visible()


def test_two_factor_is_set_up_then_asked_for(
    live_app: LiveApp, context: BrowserContext, admin: dict[str, str]
) -> None:
    creds = live_app.user(resume=False)
    page = context.new_page()
    log_in(page, live_app, creds, then="/account")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    secret = page.locator("[data-totp-secret]").inner_text()
    expect(page.locator(".totp-qr svg")).to_be_visible()
    assert_accessible(page, "account: two-factor set-up")
    totp = pyotp.TOTP(secret)
    page.get_by_label("The 6-digit code the app shows").fill(totp.now())
    page.get_by_role("button", name="Turn on").click()
    codes = page.get_by_role("list", name="Recovery codes").locator("li")
    expect(codes).to_have_count(10)
    shot(page, "two-factor-on")
    assert_accessible(page, "account: two-factor on")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/login")

    page.get_by_label("Email").fill(creds["email"])
    page.get_by_label("Password").fill(creds["password"])
    page.get_by_role("button", name="Log in").click()
    code_field = page.get_by_label("Code from your authenticator app")
    expect(code_field).to_be_visible()
    assert_accessible(page, "login: code asked")
    # The code used to turn it on cannot sign in again: the next step's code (within the drift).
    code_field.fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/profile")
    page.goto(f"{live_app.url}/account")
    expect(page.locator(".security-log")).to_contain_text("Two-factor sign-in turned on")


def test_the_admin_pages_fit_a_phone(
    live_app: LiveApp, phone: BrowserContext, admin: dict[str, str]
) -> None:
    page = phone.new_page()
    log_in(page, live_app, admin)
    expect(page.get_by_role("link", name="Admin")).to_be_visible()
    for path in ["/profile", "/admin", "/admin?tab=audit", "/account"]:
        page.goto(f"{live_app.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        no_horizontal_scroll(page)
    shot(page, "admin-phone", full_page=False)


def test_linking_a_provider_to_an_existing_account_asks_its_password(
    live_app: LiveApp, context: BrowserContext, admin: dict[str, str], idp: OIDCDouble
) -> None:
    creds = live_app.user(resume=False)
    idp.person = Person(subject="link-me-1", email=creds["email"], name="Link Me")
    try:
        page = context.new_page()
        page.goto(f"{live_app.url}/login")
        page.get_by_role("link", name="Continue with Company SSO").click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/login" and "link=1" in url)
        expect(page.get_by_role("heading", name="Link your sign-in")).to_be_visible()
        expect(page.locator(".alert")).to_contain_text(creds["email"])
        assert_accessible(page, "login: link consent")
        page.get_by_label("Password of this account").fill("not the password")
        page.get_by_role("button", name="Link and log in").click()
        expect(page.get_by_role("alert")).to_contain_text("wrong")
        page.get_by_label("Password of this account").fill(creds["password"])
        page.get_by_role("button", name="Link and log in").click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/profile")
        page.goto(f"{live_app.url}/account")
        expect(page.locator("[data-identity='oidc']")).to_be_visible()
    finally:
        idp.person = Person(email="sso@example.org")


def _mcp_tools(app: LiveApp, token: str) -> httpx.Response:
    """List the MCP tools with this token, as one JSON-RPC POST to /mcp."""
    return httpx.post(
        f"{app.url}/mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}},
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": "2025-06-18",
        },
        timeout=30,
    )


def test_an_access_token_is_made_shown_once_and_revoked(
    live_app: LiveApp, context: BrowserContext, admin: dict[str, str]
) -> None:
    creds = live_app.user(resume=False)
    page = context.new_page()
    log_in(page, live_app, creds, then="/account")
    card = page.locator("#access-tokens")
    expect(card).to_contain_text(f"{live_app.url}/mcp")
    # The install page is the server's, not the SPA's: it opens in a tab of its own.
    with context.expect_page() as opened:
        card.get_by_role("link", name="browser clipper").click()
    expect(opened.value.get_by_role("heading", name="The CareerGini clipper")).to_be_visible()
    opened.value.close()
    page.get_by_label("Token name").fill("Claude on my laptop")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("[data-token]").inner_text().strip()
    assert token.startswith("cgp_")
    tokens = page.get_by_role("list", name="Access tokens")
    expect(tokens).to_contain_text("Claude on my laptop")
    expect(tokens).to_contain_text("never used")
    assert_accessible(page, "account: access token made")
    shot(page, "account-access-token")

    listed = _mcp_tools(live_app, token)
    assert listed.status_code == 200, listed.text
    assert "profile_summary" in {tool["name"] for tool in listed.json()["result"]["tools"]}
    page.reload()
    expect(page.get_by_role("list", name="Access tokens")).to_contain_text("last used")
    expect(page.locator("[data-token]")).to_have_count(0)

    page.get_by_role("button", name="Revoke Claude on my laptop").click()
    expect(page.get_by_role("list", name="Access tokens")).to_contain_text("revoked")
    assert _mcp_tools(live_app, token).status_code == 401
    expect(page.locator(".security-log")).to_contain_text("Access token created")
