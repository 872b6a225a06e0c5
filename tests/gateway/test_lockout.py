"""Failed logins slow down, then lock out, one address for one account; the account's owner at
any other address is untouched; the lock's unlock link arrives by email (a real SMTP server on
loopback) and lifts it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from careergini.config import Settings
from tests.conftest import PASSWORD, UserMaker, make_settings
from tests.core.test_mail import Inbox, free_port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    box, port = Inbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def settings(stack: dict, tmp_path: Path, inbox: tuple[Inbox, int]) -> Settings:
    return make_settings(
        tmp_path,
        **stack,
        login_free_failures=2,
        login_max_delay_seconds=1,
        login_max_failures_per_account=4,
        login_lockout_seconds=600,
        smtp_host="127.0.0.1",
        smtp_port=inbox[1],
        smtp_security="none",
        smtp_from="CareerGini <noreply@careers.example.org>",
        public_url="http://testserver",
    )


@pytest.fixture
async def elsewhere(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A browser at another address (the account's owner at home)."""
    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def fail(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": "wrong guess"})


async def fail_until_locked(client: httpx.AsyncClient, email: str) -> None:
    """Fail four times, waiting out each delay as a patient guesser would."""
    for attempt in range(4):
        response = await fail(client, email)
        if response.status_code == 429:
            await asyncio.sleep(int(response.headers["Retry-After"]))
            response = await fail(client, email)
        assert response.status_code == 401, (attempt, response.text)


async def test_failures_slow_down_then_lock_out_the_address(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    assert (await fail(client, user["email"])).status_code == 401
    assert (await fail(client, user["email"])).status_code == 401
    # From the second failure on, the next attempt must wait.
    hurried = await fail(client, user["email"])
    assert hurried.status_code == 429
    assert 1 <= int(hurried.headers["Retry-After"]) <= 2
    assert "Wait" in hurried.json()["detail"]
    await asyncio.sleep(int(hurried.headers["Retry-After"]))
    assert (await fail(client, user["email"])).status_code == 401
    await asyncio.sleep(2)
    assert (await fail(client, user["email"])).status_code == 401  # the 4th: locked now
    locked = await client.post(
        "/api/auth/login", json={"email": user["email"], "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 500
    assert "unlock link" in locked.json()["detail"]


async def test_nobody_can_lock_someone_else_out(
    client: httpx.AsyncClient, elsewhere: httpx.AsyncClient, make_user: UserMaker
) -> None:
    victim = await make_user()
    await fail_until_locked(client, victim["email"])
    assert (
        await client.post("/api/auth/login", json={"email": victim["email"], "password": PASSWORD})
    ).status_code == 429
    # The owner, at their own address, signs in as usual.
    home = await elsewhere.post(
        "/api/auth/login", json={"email": victim["email"], "password": PASSWORD}
    )
    assert home.status_code == 200, home.text


async def test_the_unlock_link_arrives_by_email_and_lifts_the_lock(
    client: httpx.AsyncClient, make_user: UserMaker, inbox: tuple[Inbox, int]
) -> None:
    box, _ = inbox
    user = await make_user()
    await fail_until_locked(client, user["email"])
    assert len(box.received) == 1
    recipients, message = box.received[0]
    assert recipients == [user["email"]]
    body = message.get_payload(decode=True).decode()
    assert "127.0.0.1" in body
    link = re.search(r"http://testserver(/api/auth/unlock\?token=[\w-]+)", body)
    assert link, body
    opened = await client.get(link.group(1))
    assert opened.status_code == 303
    assert opened.headers["location"] == "/login?unlocked=1"
    ok = await client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD})
    assert ok.status_code == 200
    # The link works once.
    reused = await client.get(link.group(1))
    assert reused.headers["location"] == "/login?unlocked=0"
    events = (await client.get("/api/account/audit", headers=user["headers"])).json()["events"]
    kinds = [e["event"] for e in events]
    assert kinds.count("login.failed") == 4
    assert "login.locked" in kinds and "login.unlocked" in kinds
    failed = next(e for e in events if e["event"] == "login.failed")
    assert failed["ip"] == "127.0.0.1" and failed["request_id"]
    assert failed["detail"]["reason"] == "bad_password"
    assert "wrong guess" not in str(events)


async def test_no_mail_for_an_unknown_email(
    client: httpx.AsyncClient, inbox: tuple[Inbox, int]
) -> None:
    await fail_until_locked(client, "nobody-here@example.org")
    assert inbox[0].received == []


async def test_one_address_guessing_many_accounts_is_stopped(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    settings.login_max_failures_per_ip = 5
    for n in range(5):
        assert (await fail(client, f"guess{n}@x.io")).status_code == 401
    assert (await fail(client, "guess-next@x.io")).status_code == 429


async def test_a_shared_address_counts_accounts_not_typos(
    client: httpx.AsyncClient, settings: Settings, make_user: UserMaker
) -> None:
    settings.login_max_failures_per_ip = 2
    settings.login_free_failures = 10
    settings.login_max_failures_per_account = 20
    first = await make_user()
    second = await make_user()
    # One person mistyping five times is one account failed, not five.
    for _ in range(5):
        assert (await fail(client, first["email"])).status_code == 401
    ok = await client.post("/api/auth/login", json={"email": second["email"], "password": PASSWORD})
    assert ok.status_code == 200
    assert (await fail(client, "third@x.io")).status_code == 401
    blocked = await fail(client, "fourth@x.io")
    assert blocked.status_code == 429
