"""The job seeker's journey in a real Chromium against the real app: sign up, import a resume,
correct it, see the profile, analyse a job, tailor a resume and download its PDF, chat with the
coach; plus failures explained, sessions kept through refresh, a phone and a keyboard."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import PASSWORD
from tests.web.conftest import BACKEND_JOB, JOB, RESUME, SCANNED, LiveApp, log_in, shot


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def test_the_job_seekers_journey(live_app: LiveApp, context: BrowserContext) -> None:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # Sign up: straight into onboarding.
    page.goto(f"{live_app.url}/signup")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    shot(page, "01-signup")
    page.get_by_label("Your name (optional)").fill("John Doe")
    page.get_by_label("Email").fill("john.doe@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/onboarding")

    # Onboarding: upload the resume, watch it being read, see and correct the result.
    page.locator("#resume-file").set_input_files(RESUME)
    expect(page.locator(".ok-line")).to_contain_text("positions", timeout=60_000)
    expect(page.get_by_role("heading", name="Check what we read")).to_be_visible()
    page.get_by_role("button", name="Edit Headline").click()
    page.locator("#basic-headline").fill("Machine learning engineer")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".fact", has_text="Headline")).to_contain_text("Machine learning engineer")
    expect(page.locator(".fact", has_text="Headline")).to_contain_text("edited by you")
    shot(page, "02-onboarding")

    # The profile dashboard: chart, skills with evidence, timeline, sources.
    page.get_by_role("link", name="Looks right: show my profile").click()
    page.wait_for_url("**/profile")
    expect(page.locator(".profile-name")).to_have_text("John Doe")
    expect(page.locator("svg.radar")).to_be_visible()
    expect(page.locator(".bars-table tbody tr").first).to_be_visible()
    expect(page.locator(".timeline").first).to_contain_text("Nexus AI")
    page.locator(".chip-btn", has_text="PyTorch").click()
    expect(page.get_by_role("region", name="Evidence for PyTorch")).to_contain_text(
        "Skills section"
    )
    shot(page, "03-profile")

    # The session survives a reload.
    page.reload()
    expect(page.locator(".profile-name")).to_have_text("John Doe")

    # Analyse a job: score with its breakdown, the gap, the ATS report.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Analyse a job").click()
    page.get_by_label("Job description").fill(JOB)
    page.get_by_role("button", name="Analyse", exact=True).click()
    expect(page.locator(".analysis")).to_be_visible(timeout=60_000)
    expect(page.locator(".score-ring").first).to_contain_text("Match")
    expect(page.locator(".gap-matched")).to_contain_text("PyTorch")
    expect(page.locator(".gap-missing")).to_contain_text("Apache Spark")
    expect(page.locator(".gap-transfer")).to_contain_text("via")
    shot(page, "04-analyse-gap")
    page.get_by_role("tab", name="Score breakdown").click()
    expect(page.locator(".breakdown")).to_contain_text("Required skills")
    page.get_by_role("tab", name="ATS report").click()
    expect(page.locator(".ats")).to_contain_text("of the job's keywords found")
    shot(page, "05-analyse-ats")

    # Tailor a resume from the analysis; decide on the changes; download the PDF.
    page.get_by_role("link", name="Tailor a resume").click()
    expect(page.get_by_label("Job description")).to_have_value(JOB)
    page.get_by_role("button", name="Tailor my resume").click()
    expect(page.locator(".builder")).to_be_visible(timeout=90_000)
    rewritten = page.locator('.item[data-status="rewritten"]').first
    expect(rewritten).to_contain_text("waiting for you")
    expect(page.locator('.item[data-status="reverted"]').first).to_contain_text(
        "Not in your profile"
    )
    rewritten.get_by_role("button", name="Accept").click()
    expect(page.locator('.item[data-status="rewritten"]').first).not_to_contain_text(
        "waiting for you"
    )
    page.get_by_text("Modern", exact=True).click()
    expect(page.locator(".preview iframe")).to_have_attribute("src", re.compile("template=modern"))
    shot(page, "06-resume-builder")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Jobs: add a posting, save it, track the application on the board.
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Jobs").click()
    page.get_by_role("tab", name="Sources").click()
    page.get_by_label("Posting text").fill(BACKEND_JOB)
    page.get_by_role("button", name="Add posting").click()
    expect(page.locator(".posting-text")).to_contain_text("Kubernetes", timeout=60_000)
    expect(page.locator(".score-ring")).to_contain_text("Match")
    page.get_by_role("button", name=re.compile("^Save ")).click()
    expect(page.get_by_text("On your board")).to_be_visible()
    shot(page, "09-job-posting")
    # The posting's own actions: tailor a resume for it, sent by its id.
    job_title = page.locator("h1").inner_text()
    job_id = urlsplit(page.url).path.rsplit("/", 1)[1]
    page.get_by_role("link", name="Tailor resume").click()
    expect(page.locator(".create-form .alert")).to_contain_text(job_title)
    expect(page.get_by_label("Job description")).to_have_count(0)
    with page.expect_request("**/api/resumes/tailor") as tailoring:
        page.get_by_role("button", name="Tailor my resume").click()
    assert tailoring.value.post_data_json == {
        "job_id": job_id,
        "template": "classic",
        "tone": "neutral",
    }
    expect(page.locator(".builder")).to_be_visible(timeout=90_000)
    expect(page.locator("h1")).to_contain_text(job_title)
    page.go_back()
    expect(page.locator(".posting-text")).to_contain_text("Kubernetes")
    page.get_by_role("link", name="Back to search").click()
    expect(page.locator(".job-card").first).to_contain_text("Engineer")
    page.get_by_role("tab", name="Applications").click()
    card = page.locator(".col-saved .app-card").first
    expect(card).to_be_visible()
    card.get_by_role("combobox").select_option("applied")
    expect(page.locator(".col-applied .app-card")).to_have_count(1)
    expect(page.locator(".col-saved .app-card")).to_have_count(0)
    shot(page, "10-job-board")

    # Learning: a roadmap for the analysed job; tick a task, see the progress move.
    nav.get_by_role("link", name="Learning").click()
    page.get_by_label("A job description").check()
    page.locator("#roadmap-jd").fill(JOB)
    page.get_by_label("Hours a week").fill("8")
    page.get_by_role("button", name="Plan my roadmap").click()
    expect(page.locator(".gantt")).to_be_visible(timeout=60_000)
    expect(page.locator(".roadmap-summary .big-num")).to_have_text("0%")
    first_task = page.locator(".week-now .task").first
    first_task.get_by_role("checkbox").click()
    expect(first_task).to_have_class(re.compile("task-done"))
    expect(page.locator(".roadmap-summary .big-num")).not_to_have_text("0%")
    shot(page, "11-roadmap")
    # The timeline as a Mermaid gantt chart, to paste into Markdown elsewhere.
    with page.expect_download() as chart:
        page.get_by_role("button", name="Download as a Mermaid chart").click()
    with open(chart.value.path(), encoding="utf-8") as handle:
        mermaid = handle.read()
    assert mermaid.startswith("gantt\n") and "section " in mermaid and "Week 1" in mermaid

    # The coach: agent activity, then a streamed answer.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Coach").click()
    page.get_by_label("Your message").fill("What should I learn first for this role?")
    page.keyboard.press("Enter")
    live = page.locator(".msg-live")
    expect(live.locator(".activity li").first).to_be_visible(timeout=60_000)
    expect(live.locator(".md")).to_contain_text("Here is where", timeout=60_000)
    partial = live.locator(".md").inner_text()
    shot(page, "12-coach-streaming", full_page=False)
    expect(page.locator(".msg-coach").last).to_contain_text("then Spark", timeout=60_000)
    assert "then Spark" not in partial, "the answer arrived at once, not streamed"
    expect(page.locator(".msg-live")).to_have_count(0)
    expect(page.locator(".threads")).to_contain_text("What should I learn first")
    shot(page, "13-coach")

    # Log out: back to the login page, and the API no longer knows us.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto(f"{live_app.url}/profile")
    page.wait_for_url("**/login?next=%2Fprofile")
    assert errors == []


def test_failures_are_explained(live_app: LiveApp, context: BrowserContext) -> None:
    creds = live_app.user(resume=False)
    page = context.new_page()
    page.goto(f"{live_app.url}/login")
    page.get_by_label("Email").fill(creds["email"])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("password")
    shot(page, "20-login-failed")

    log_in(page, live_app, creds, then="/onboarding")
    page.locator("#resume-file").set_input_files(SCANNED)
    alert = page.locator(".status-box").get_by_role("alert")
    expect(alert).to_contain_text("no text layer", timeout=60_000)
    expect(alert).to_contain_text("DOCX")
    shot(page, "21-parse-error", full_page=False)

    # Without a profile, analysing says what to do first.
    page.goto(f"{live_app.url}/analyse")
    page.get_by_label("Job description").fill(JOB)
    page.get_by_role("button", name="Analyse", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Import your resume first")


def test_an_expired_access_token_is_refreshed(live_app: LiveApp, context: BrowserContext) -> None:
    creds = live_app.user()
    page = context.new_page()
    log_in(page, live_app, creds)
    context.clear_cookies(name="cg_access")
    page.reload()
    expect(page.locator(".profile-name")).to_have_text("John Doe")
    assert any(c["name"] == "cg_access" for c in context.cookies())


def test_a_phone_gets_a_readable_layout(live_app: LiveApp, phone: BrowserContext) -> None:
    creds = live_app.user()
    page = phone.new_page()
    log_in(page, live_app, creds)
    expect(page.locator("svg.radar")).to_be_visible()
    no_horizontal_scroll(page)
    shot(page, "30-phone-profile", full_page=False)

    page.goto(f"{live_app.url}/analyse")
    page.get_by_label("Job description").fill(JOB)
    page.get_by_role("button", name="Analyse", exact=True).click()
    expect(page.locator(".analysis")).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="Score breakdown").click()
    no_horizontal_scroll(page)
    shot(page, "31-phone-analyse", full_page=False)

    for path in [
        "/onboarding",
        "/coach",
        "/resumes",
        "/jobs",
        "/jobs/board",
        "/learning",
        "/account",
    ]:
        page.goto(f"{live_app.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        no_horizontal_scroll(page)
    shot(page, "32-phone-account", full_page=False)


def focus_outline(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const text = (el.innerText || el.value || el.id || '').trim().slice(0, 40);
          return {tag: el.tagName, text, outline: style.outlineStyle,
                  width: parseFloat(style.outlineWidth)};
        }"""
    )


def test_the_keyboard_reaches_the_main_actions(live_app: LiveApp, context: BrowserContext) -> None:
    creds = live_app.user()
    page = context.new_page()
    # Log in with the keyboard only.
    page.goto(f"{live_app.url}/login")
    expect(page.get_by_label("Email")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "login-email"
    page.keyboard.type(creds["email"])
    page.keyboard.press("Tab")
    page.keyboard.type(creds["password"])
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/profile")
    expect(page.locator(".profile-name")).to_be_visible()

    # From the top of a freshly loaded page, Tab walks through the skip link, the navigation and
    # the main actions, each with a visible focus ring.
    page.reload()
    expect(page.locator(".profile-name")).to_be_visible()
    seen = []
    for _ in range(14):
        page.keyboard.press("Tab")
        focused = focus_outline(page)
        assert focused["outline"] != "none" and focused["width"] >= 2, focused
        seen.append(focused["text"])
    for wanted in ["Skip to content", "Profile", "Analyse a job", "Coach", "Log out"]:
        assert any(text.startswith(wanted) for text in seen), (wanted, seen)
    assert "Import or correct" in seen or "JSON Resume" in seen, seen
    shot(page, "40-keyboard-focus", full_page=False)

    # Enter on a focused link navigates inside the app.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Analyse a job").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/analyse")
    expect(page.get_by_role("heading", name="Analyse a job")).to_be_focused()
