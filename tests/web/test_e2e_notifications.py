"""The bell and the Notifications page in Debian's Chromium: a follow-up that came due shows as
an unread notification in the top bar, opens in the bell's panel, is marked read; the email
digest's preferences are chosen and kept; axe-core finds no critical or serious violation."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import BrowserContext, expect

from tests.web.a11y import assert_accessible
from tests.web.conftest import LiveApp, log_in, shot


def _api(app: LiveApp, creds: dict[str, str]) -> httpx.Client:
    client = httpx.Client(base_url=app.url, timeout=60)
    token = client.post("/api/auth/login", json=creds).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _user_with_a_follow_up(live_app: LiveApp) -> dict[str, str]:
    """A user whose follow-up came due, told by a round of notifications."""
    creds = live_app.user(resume=False)
    api = _api(live_app, creds)
    try:
        due = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
        made = api.post(
            "/api/applications",
            json={
                "external": {"title": "Platform Engineer", "company": "Hooli"},
                "follow_up_at": due,
            },
        )
        assert made.status_code == 201, made.text
        task = api.post("/api/notifications/run").json()
        deadline = time.monotonic() + 60
        while api.get(f"/api/tasks/{task['id']}").json()["status"] != "succeeded":
            assert time.monotonic() < deadline, "the round did not finish"
            time.sleep(0.2)
    finally:
        api.close()

    return creds


def test_the_bell_shows_what_came_due_and_the_digest_is_chosen(
    live_app: LiveApp, context: BrowserContext
) -> None:
    creds = _user_with_a_follow_up(live_app)
    page = context.new_page()
    log_in(page, live_app, creds)
    bell = page.get_by_role("button", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    bell.click()
    panel = page.get_by_role("region", name="Notifications")
    expect(panel.get_by_text("Platform Engineer at Hooli")).to_be_visible()
    expect(panel.get_by_text("follow up (saved)")).to_be_visible()
    shot(page, "notifications-bell", full_page=False)
    assert_accessible(page, "bell")
    panel.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("button", name="Notifications", exact=True)).to_be_visible()

    panel.get_by_role("link", name="All notifications and the email digest").click()
    page.wait_for_url(f"{live_app.url}/notifications")
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_text("Platform Engineer at Hooli")).to_be_visible()
    page.get_by_label(f"Email digest to {creds['email']}").select_option("weekly")
    page.get_by_label("Tell me about new jobs scoring at least").fill("72")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    assert_accessible(page, "notifications")
    shot(page, "notifications-page")

    page.reload()
    expect(page.get_by_label(f"Email digest to {creds['email']}")).to_have_value("weekly")
    expect(page.get_by_label("Tell me about new jobs scoring at least")).to_have_value("72")


def test_the_bell_s_panel_fits_a_phone(live_app: LiveApp, phone: BrowserContext) -> None:
    creds = _user_with_a_follow_up(live_app)
    page = phone.new_page()
    log_in(page, live_app, creds)
    page.get_by_role("button", name="Notifications, 1 unread").click()
    panel = page.get_by_role("region", name="Notifications")
    expect(panel.get_by_text("Platform Engineer at Hooli")).to_be_visible()
    box = panel.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    shot(page, "notifications-bell-phone", full_page=False)
