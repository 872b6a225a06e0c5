"""A new user's first hour in a real Chromium (issue 22): the welcome a visitor meets, the
"session ended" notice only when a session really ended, a goodbye after deleting the account,
a phone's layout (the score and the next action above the fold, every Jobs tab in sight), the
builder's pending changes, the application board (drag, cards with what the API stores, the
interview calendar and CSV export/import), and axe-core on every screen with no critical or
serious violation."""

from __future__ import annotations

import csv
import re

import httpx
import pdfplumber
from icalendar import Calendar
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.web.a11y import assert_accessible
from tests.web.conftest import JOB, LiveApp, log_in, shot

ENDED = "Your session has ended"
WELCOME = "Your career advisor, on your own server"


def settle(page: Page) -> None:
    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_load_state("networkidle")


def test_a_first_visit_is_welcomed_not_warned(live_app: LiveApp, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(f"{live_app.url}/")
    expect(page.get_by_role("heading", name=WELCOME)).to_be_visible()
    expect(page.get_by_text("Everything stays on this server")).to_be_visible()
    expect(page.get_by_text(ENDED)).to_have_count(0)
    assert_accessible(page, "welcome")
    shot(page, "50-welcome")

    page.get_by_role("link", name="Create an account").click()
    page.wait_for_url("**/signup")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    expect(page.get_by_text(ENDED)).to_have_count(0)
    assert_accessible(page, "signup")

    # A page that needs a login sends a visitor to the login page, without a warning.
    page.goto(f"{live_app.url}/jobs")
    page.wait_for_url("**/login?next=%2Fjobs")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_text(ENDED)).to_have_count(0)
    assert_accessible(page, "login")


def test_a_session_that_really_ended_says_so(live_app: LiveApp, context: BrowserContext) -> None:
    creds = live_app.user(resume=False)
    page = context.new_page()
    log_in(page, live_app, creds, then="/onboarding")

    # The server forgets the login (both cookies gone): the next visit says the session ended.
    context.clear_cookies()
    page.goto(f"{live_app.url}/profile")
    page.wait_for_url("**/login?next=%2Fprofile")
    expect(page.get_by_text(ENDED)).to_be_visible()

    # Said once: a later visit is a plain login page again.
    page.reload()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_text(ENDED)).to_have_count(0)

    # Logging out is not a session that ended.
    log_in(page, live_app, creds, then="/onboarding")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto(f"{live_app.url}/")
    expect(page.get_by_role("heading", name=WELCOME)).to_be_visible()
    expect(page.get_by_text(ENDED)).to_have_count(0)


def test_deleting_the_account_says_goodbye(live_app: LiveApp, context: BrowserContext) -> None:
    creds = live_app.user()
    page = context.new_page()
    log_in(page, live_app, creds, then="/account")
    page.get_by_label(f"Type {creds['email']} to confirm").fill(creds["email"])
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url("**/goodbye")
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    expect(page.get_by_text(ENDED)).to_have_count(0)
    assert_accessible(page, "goodbye")
    shot(page, "51-goodbye")

    # The account is really gone, and coming back is a first visit again.
    page.goto(f"{live_app.url}/login")
    page.get_by_label("Email").fill(creds["email"])
    page.get_by_label("Password").fill(creds["password"])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.goto(f"{live_app.url}/")
    expect(page.get_by_role("heading", name=WELCOME)).to_be_visible()
    expect(page.get_by_text(ENDED)).to_have_count(0)


SCREENS = [
    "/onboarding",
    "/profile",
    "/analyse",
    "/resumes",
    "/jobs",
    "/jobs/board",
    "/learning",
    "/coach",
    "/tasks",
    "/account",
]


def analyse(page: Page, app: LiveApp) -> None:
    page.goto(f"{app.url}/analyse")
    page.get_by_label("Job description").fill(JOB)
    page.get_by_role("button", name="Analyse", exact=True).click()
    expect(page.locator(".analysis")).to_be_visible(timeout=60_000)


def test_every_screen_passes_axe(live_app: LiveApp, context: BrowserContext) -> None:
    creds = live_app.user()
    page = context.new_page()
    log_in(page, live_app, creds)
    lesser: dict[str, list[str]] = {}
    for path in SCREENS:
        page.goto(f"{live_app.url}{path}")
        settle(page)
        lesser[path] = [v["id"] for v in assert_accessible(page, path)]
    analyse(page, live_app)
    for tab in ["Skill gap", "Score breakdown", "ATS report"]:
        page.get_by_role("tab", name=tab).click()
        lesser[tab] = [v["id"] for v in assert_accessible(page, f"analysis: {tab}")]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("tab", name="Sources").click()
    assert_accessible(page, "jobs: sources")
    print("moderate or minor:", lesser)


def test_a_phone_sees_the_score_and_every_tab(live_app: LiveApp, phone: BrowserContext) -> None:
    creds = live_app.user()
    page = phone.new_page()
    log_in(page, live_app, creds)
    analyse(page, live_app)
    height = page.viewport_size["height"] if page.viewport_size else 844
    assert page.evaluate("window.scrollY") == 0
    ring = page.locator(".score-ring").first.bounding_box()
    action = page.locator(".next-steps a").first.bounding_box()
    assert ring and action
    assert ring["y"] + ring["height"] <= height, ring
    assert action["y"] + action["height"] <= height, action
    assert_accessible(page, "phone analysis")
    shot(page, "52-phone-analysis", full_page=False)

    # Reopened from its link, the stored analysis is laid out the same way.
    page.reload()
    expect(page.locator(".analysis")).to_be_visible()
    ring = page.locator(".score-ring").first.bounding_box()
    assert ring and ring["y"] + ring["height"] <= height, ring

    page.goto(f"{live_app.url}/jobs")
    settle(page)
    width = page.viewport_size["width"] if page.viewport_size else 390
    for tab in page.get_by_role("tab").all():
        box = tab.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (tab.inner_text(), box)
    page.get_by_role("tab", name="Sources").click()
    expect(page.get_by_label("Posting text")).to_be_visible()
    assert_accessible(page, "phone jobs")
    shot(page, "53-phone-jobs", full_page=False)


def test_the_builder_previews_what_you_accepted(live_app: LiveApp, context: BrowserContext) -> None:
    creds = live_app.user()
    page = context.new_page()
    log_in(page, live_app, creds, then="/resumes/new")
    page.get_by_label("Job description").fill(JOB)
    page.get_by_role("button", name="Tailor my resume").click()
    expect(page.locator(".builder")).to_be_visible(timeout=90_000)
    pending = page.locator(".item-pending").first
    expect(pending).to_contain_text("waiting for you")
    original = pending.locator(".compare-col").first.locator("p").inner_text()
    proposed = pending.locator(".compare-col.tailored p").inner_text()
    assert proposed.startswith("Successfully"), proposed
    bar = page.locator(".pending-bar")
    expect(bar).to_contain_text("waiting for you")

    # The preview is the resume as accepted: the original words, marked as waiting.
    preview = page.frame_locator(".preview iframe")
    expect(preview.locator("li.pending").first).to_have_text(original)
    expect(preview.get_by_text(proposed)).to_have_count(0)
    assert_accessible(page, "builder")
    shot(page, "54-builder-pending")

    # Review each: the first waiting change takes the focus.
    bar.get_by_role("button", name="Review each").click()
    expect(pending.get_by_role("button", name="Accept")).to_be_focused()

    # Accept all: nothing waits, the preview shows the new wording without marks.
    bar.get_by_role("button", name="Accept all").click()
    expect(page.locator(".pending-bar")).to_have_count(0)
    expect(page.locator(".item-pending")).to_have_count(0)
    expect(preview.get_by_text(proposed)).to_be_visible()
    expect(preview.locator(".pending")).to_have_count(0)


def test_the_paper_size_follows_the_locale(live_app: LiveApp, browser: Browser) -> None:
    creds = live_app.user()
    for locale, paper, points in (("en-US", "Letter", (612, 792)), ("de-DE", "A4", (595, 842))):
        context = browser.new_context(locale=locale, accept_downloads=True)
        try:
            page = context.new_page()
            log_in(page, live_app, creds, then="/resumes/new")
            page.get_by_label("Job description").fill(JOB)
            page.get_by_role("button", name="Tailor my resume").click()
            expect(page.locator(".builder")).to_be_visible(timeout=90_000)
            expect(page.get_by_label("Paper size")).to_have_value(paper)
            iframe = page.locator(".preview iframe")
            expect(iframe).to_have_attribute("src", re.compile(f"page={paper}"))
            with page.expect_download() as pdf:
                page.get_by_role("button", name="Download PDF").click()
            with pdfplumber.open(pdf.value.path()) as opened:
                first = opened.pages[0]
                assert (round(first.width), round(first.height)) == points, locale
        finally:
            context.close()
    # The switch wins over the locale, and is remembered in this browser.
    context = browser.new_context(locale="en-US")
    try:
        page = context.new_page()
        log_in(page, live_app, creds, then="/resumes")
        page.locator(".list a").first.click()
        page.get_by_label("Paper size").select_option("A4")
        expect(page.locator(".preview iframe")).to_have_attribute("src", re.compile("page=A4"))
        page.reload()
        expect(page.get_by_label("Paper size")).to_have_value("A4")
    finally:
        context.close()


def api_client(app: LiveApp) -> httpx.Client:
    """A client of the app's API, sending the app's Origin as the browser does (CSRF)."""
    return httpx.Client(base_url=app.url, timeout=60, headers={"Origin": app.url})


def test_the_application_board(live_app: LiveApp, context: BrowserContext) -> None:
    creds = live_app.user()
    with api_client(live_app) as client:
        assert client.post("/api/auth/login", json=creds).status_code == 200
        resume = client.post("/api/resumes/tailor", json={"job_description": JOB, "llm": False})
        assert resume.status_code == 201, resume.text
        tracked = client.post(
            "/api/applications",
            json={
                "external": {"title": "ML Engineer", "company": "Nexus Labs"},
                "notes": "Referred by Dana",
                "interview_at": "2026-12-15T10:00:00Z",
                "resume_id": resume.json()["id"],
            },
        )
        assert tracked.status_code == 201, tracked.text
        other = client.post("/api/applications", json={"external": {"title": "Data Scientist"}})
        assert other.status_code == 201, other.text

    page = context.new_page()
    log_in(page, live_app, creds, then="/jobs/board")
    card = page.locator(".app-card", has_text="ML Engineer")
    expect(card).to_contain_text("Nexus Labs")
    expect(card).to_contain_text("interview")
    expect(card).to_contain_text("Referred by Dana")
    expect(card.get_by_role("link", name="Resume used")).to_have_attribute(
        "href", f"/resumes/{resume.json()['id']}"
    )
    card.get_by_text("Notes, dates and history").click()
    expect(card.locator(".app-history")).to_contain_text("Saved")
    assert_accessible(page, "application board")

    # Drag the card to Applied: the column moves, the history grows.
    card.drag_to(page.locator(".col-applied"))
    moved = page.locator(".col-applied .app-card", has_text="ML Engineer")
    expect(moved).to_be_visible()
    expect(moved).to_contain_text("applied")
    moved.get_by_text("Notes, dates and history").click()
    expect(moved.locator(".app-history li")).to_have_count(2)
    expect(page.locator(".col-saved .app-card")).to_have_count(1)
    shot(page, "55-board")

    # The interview as a calendar file, the board as a spreadsheet, and a spreadsheet back in.
    with page.expect_download() as ics:
        page.get_by_role("button", name="Interview calendar (1)").click()
    with open(ics.value.path(), "rb") as handle:
        [event] = Calendar.from_ical(handle.read()).walk("VEVENT")
    assert str(event["summary"]) == "Interview: ML Engineer at Nexus Labs"
    with page.expect_download() as exported:
        page.get_by_role("button", name="Export spreadsheet (CSV)").click()
    with open(exported.value.path(), encoding="utf-8") as handle:
        rows = {r["title"]: r for r in csv.DictReader(handle)}
    assert rows["ML Engineer"]["status"] == "applied"
    assert rows["ML Engineer"]["history"].startswith("saved ")
    sheet = "title,company,status,notes\nPlatform Engineer,Initech,interviewing,Second round\n"
    page.get_by_label("Import spreadsheet (CSV)").set_input_files(
        {"name": "more.csv", "mimeType": "text/csv", "buffer": sheet.encode()}
    )
    expect(page.get_by_text("1 added.")).to_be_visible()
    expect(
        page.locator(".col-interviewing .app-card", has_text="Platform Engineer")
    ).to_contain_text("Second round")
