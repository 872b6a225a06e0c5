"""What the coach makes, opened from the chat in a real Chromium against the real app: a roadmap
asked for in a message, opened from the link under the answer (still there after a reload); a
roadmap for a saved posting the coach was opened from (sent as its job_id; a posting that is not
found goes unsent); an interview the offline coach started, opened from its answer after a reload;
an interview session opened by its id (and another user's session refused)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect

from tests.doubles.ollama import Reply
from tests.web.conftest import JOB, LiveApp, log_in, model_script, shot

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@contextmanager
def api_client(app: LiveApp, creds: dict[str, str]) -> Iterator[httpx.Client]:
    """An API client logged in as the user (by cookie, from the app's own origin, as the SPA)."""
    with httpx.Client(base_url=app.url, timeout=60, headers={"Origin": app.url}) as client:
        assert client.post("/api/auth/login", json=creds).status_code == 200
        yield client


@pytest.fixture
def model_offline(live_app: LiveApp) -> Iterator[None]:
    """The model server answers every free-text chat with an error: the coach degrades."""

    def failing(body: dict[str, Any]) -> Reply | str:
        if isinstance(body.get("format"), dict):
            return model_script(body)
        return Reply(status=500, error="model crashed")

    live_app.ollama.script = failing
    try:
        yield
    finally:
        live_app.ollama.script = model_script


def test_a_roadmap_asked_for_in_chat_opens_from_its_link(
    live_app: LiveApp, context: BrowserContext
) -> None:
    creds = live_app.user()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_app, creds, then="/coach")

    page.get_by_label("Your message").fill(
        "Make me a learning plan for a data engineer role, 10 hours a week"
    )
    page.keyboard.press("Enter")
    live = page.locator(".msg-live")
    expect(live.get_by_role("link", name="Open roadmap")).to_be_visible(timeout=60_000)
    shot(page, "50-coach-made-roadmap", full_page=False)

    # The answer is stored: its links stay under it (the model's text does not repeat them).
    expect(page.locator(".msg-live")).to_have_count(0, timeout=60_000)
    answer = page.locator(".msg-coach").last
    expect(answer).to_contain_text("then Spark")
    link = answer.get_by_role("link", name="Open roadmap")
    href = link.get_attribute("href") or ""
    assert re.fullmatch(rf"/learning/roadmaps/{UUID}", href), href
    roadmap_id = href.rsplit("/", 1)[1]
    with api_client(live_app, creds) as client:
        mine = client.get("/api/learning/roadmaps").json()
    assert [r["id"] for r in mine] == [roadmap_id]

    # Loaded again, the stored answer lists what the coach made: the same links under it.
    page.wait_for_url(re.compile(rf"/coach/{UUID}$"))
    page.reload()
    answer = page.locator(".msg-coach").last
    expect(answer).to_contain_text("then Spark")
    made = answer.get_by_role("group", name="Learning roadmap: data engineer")
    link = made.get_by_role("link", name="Open roadmap")
    expect(link).to_have_attribute("href", f"/learning/roadmaps/{roadmap_id}")

    # The calendar downloads through the app; the link opens the roadmap's own page.
    with page.expect_download() as download:
        answer.get_by_role("link", name="Calendar (.ics)").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(15) == b"BEGIN:VCALENDAR"
    link.click()
    page.wait_for_url(f"**/learning/roadmaps/{roadmap_id}")
    expect(page.locator("h1")).to_contain_text(re.compile("data engineer", re.I))
    expect(page.locator(".roadmap-summary")).to_contain_text("10 h a week")
    expect(page.locator(".gantt")).to_be_visible()
    shot(page, "51-roadmap-from-chat")
    assert errors == []


@pytest.mark.usefixtures("model_offline")
def test_the_coach_asked_about_a_saved_posting_plans_for_it(
    live_app: LiveApp, context: BrowserContext
) -> None:
    creds = live_app.user()
    with api_client(live_app, creds) as client:
        added = client.post("/api/jobs", json={"text": JOB})
        assert added.status_code == 201, added.text
        job = added.json()
    about = f"About: {job['title']}" + (f" at {job['company']}" if job.get("company") else "")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_app, creds, then=f"/jobs/{job['id']}")

    # From the posting's page, the coach opens with the posting attached.
    page.get_by_role("link", name="Ask the coach").click()
    page.wait_for_url(f"**/coach?job={job['id']}")
    chip = page.get_by_role("group", name="Attached job")
    expect(chip).to_have_text(re.compile(rf"^\s*{re.escape(about)}\s*×\s*$"))
    expect(page.get_by_role("button", name="Add a job description")).to_have_count(0)
    shot(page, "54-coach-about-a-job", full_page=False)

    page.get_by_label("Your message").fill("Make me a learning plan for it, 5 hours a week")
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/messages")) as sent:
        page.keyboard.press("Enter")
    assert sent.value.post_data_json == {
        "content": "Make me a learning plan for it, 5 hours a week",
        "job_id": job["id"],
    }
    expect(page.locator(".msg-coach").last.get_by_role("link", name="Open roadmap")).to_be_visible(
        timeout=90_000
    )
    expect(page.locator(".msg-live")).to_have_count(0, timeout=60_000)
    # The new conversation keeps the posting attached for the next message.
    page.wait_for_url(re.compile(rf"/coach/{UUID}\?job={job['id']}$"))
    expect(chip).to_contain_text(about)

    with api_client(live_app, creds) as client:
        [listed] = client.get("/api/learning/roadmaps").json()
        roadmap = client.get(f"/api/learning/roadmaps/{listed['id']}").json()
    assert roadmap["target"]["type"] == "job"
    assert roadmap["target"]["job_id"] == job["id"]
    assert roadmap["target"]["title"] == job["title"]
    assert roadmap["summary"]["hours_per_week"] == 5

    # Removed, the chip goes and the next message is sent without the posting.
    chip.get_by_role("button", name=f"Remove the job {job['title']}").click()
    expect(chip).to_have_count(0)
    page.wait_for_url(re.compile(rf"/coach/{UUID}$"))
    page.get_by_label("Your message").fill("What should I learn first?")
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/messages")) as sent:
        page.keyboard.press("Enter")
    assert sent.value.post_data_json == {"content": "What should I learn first?"}
    expect(page.locator(".msg-live")).to_have_count(0, timeout=90_000)

    # A posting that is not found (gone, or never this person's) says so; messages go without it.
    page.goto(f"{live_app.url}/coach?job={uuid.uuid4()}")
    expect(page.get_by_role("alert")).to_contain_text("That job posting was not found")
    expect(page.get_by_role("group", name="Attached job")).to_have_count(0)
    page.get_by_label("Your message").fill("Which of my skills matter most?")
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/messages")) as sent:
        page.keyboard.press("Enter")
    assert sent.value.post_data_json == {"content": "Which of my skills matter most?"}
    expect(page.locator(".msg-live")).to_have_count(0, timeout=90_000)
    page.wait_for_url(re.compile(rf"/coach/{UUID}$"))
    expect(page.get_by_role("alert")).to_have_count(0)
    assert errors == []


def test_a_resume_and_a_letter_made_in_chat_open_and_download(
    live_app: LiveApp, context: BrowserContext
) -> None:
    creds = live_app.user()
    page = context.new_page()
    log_in(page, live_app, creds, then="/coach")
    page.get_by_label("Your message").fill(
        "Tailor my resume and write a cover letter for a data engineer role"
    )
    page.keyboard.press("Enter")
    expect(page.locator(".msg-coach").last).to_contain_text("then Spark", timeout=60_000)
    expect(page.locator(".msg-live")).to_have_count(0)
    answer = page.locator(".msg-coach").last
    resume = answer.get_by_role("group", name=re.compile("^Tailored resume"))
    letter = answer.get_by_role("group", name=re.compile("^Cover letter"))
    expect(resume.get_by_role("link", name="DOCX")).to_be_visible()
    with api_client(live_app, creds) as client:
        [made] = client.get("/api/resumes").json()
        [written] = client.get("/api/cover-letters").json()
    expect(resume.get_by_role("link", name="Open resume")).to_have_attribute(
        "href", f"/resumes/{made['id']}"
    )

    with page.expect_download() as download:
        resume.get_by_role("link", name="PDF").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    letter.get_by_role("link", name="Open cover letter").click()
    page.wait_for_url(f"**/resumes/letters/{written['id']}")
    expect(page.locator("h1")).to_contain_text("Cover letter")
    expect(page.get_by_role("button", name="Download PDF")).to_be_visible()


@pytest.mark.usefixtures("model_offline")
def test_an_interview_the_offline_coach_started_opens_from_its_answer(
    live_app: LiveApp, context: BrowserContext
) -> None:
    creds = live_app.user()
    page = context.new_page()
    log_in(page, live_app, creds, then="/coach")
    page.get_by_label("Your message").fill("Start a mock interview for a data engineer role")
    page.keyboard.press("Enter")
    expect(page.locator(".msg-coach").last).to_contain_text(
        "Answer it on the interview page", timeout=90_000
    )
    expect(page.locator(".msg-live")).to_have_count(0)
    page.wait_for_url(re.compile(rf"/coach/{UUID}$"))

    with api_client(live_app, creds) as client:
        sessions = client.get("/api/interview/sessions").json()
        assert len(sessions) == 1
        made = sessions[0]
        assert made["answered"] == 0

    # Loaded again, the stored answer's paths become links (and what it made is listed under it).
    page.reload()
    answer = page.locator(".msg-coach").last
    expect(answer).to_contain_text("The AI model is")
    # Written for a person: a named link to the practice page, no API path or id in the text.
    page_link = answer.locator(".md").get_by_role("link", name="Answer it on the interview page")
    expect(page_link).to_have_attribute("href", f"/learning/interview/{made['id']}")
    expect(answer.locator(".md")).not_to_contain_text("/api/")
    expect(answer.locator(".md")).not_to_contain_text("](")
    shot(page, "52-coach-offline-interview", full_page=False)
    answer.get_by_role("link", name="Start answering").click()

    page.wait_for_url(f"**/learning/interview/{made['id']}")
    expect(page.get_by_role("tab", name="Interview practice")).to_have_attribute(
        "aria-selected", "true"
    )
    total = made["total"]
    expect(page.get_by_role("heading", name=f"Question 1 of {total}")).to_be_visible()
    expect(page.locator(".question-text")).to_contain_text(made["current_question"]["question"])
    page.get_by_label("Your answer").fill(
        "At my last job I owned the data pipeline: I designed it, measured its latency and "
        "cut the nightly load from four hours to forty minutes, which let analysts work earlier."
    )
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("region", name="Feedback on your last answer")).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_role("heading", name=f"Question 2 of {total}")).to_be_visible()
    with api_client(live_app, creds) as client:
        assert client.get(f"/api/interview/sessions/{made['id']}").json()["answered"] == 1


def test_an_interview_session_opens_by_its_id(live_app: LiveApp, context: BrowserContext) -> None:
    creds = live_app.user()
    with api_client(live_app, creds) as client:
        made = client.post(
            "/api/interview/sessions",
            json={
                "target_role": "Data Engineer",
                "technical": 1,
                "behavioural": 1,
                "role_specific": 1,
            },
        )
        assert made.status_code == 201, made.text
        session = made.json()
    page = context.new_page()
    log_in(page, live_app, creds, then="/learning/interview")

    # The list of sessions opens one; the current question is asked.
    listed = page.get_by_role("region", name="Your practice sessions")
    expect(listed.locator(".list-item")).to_have_count(1)
    expect(listed).to_contain_text(f"0 of {session['total']} answered")
    listed.get_by_role("link", name="Continue").click()
    page.wait_for_url(f"**/learning/interview/{session['id']}")
    expect(page.get_by_role("heading", name=f"Question 1 of {session['total']}")).to_be_visible()
    expect(page.locator(".question-text")).to_contain_text(session["current_question"]["question"])
    page.get_by_label("Your answer").fill("I would start by asking what the data is used for.")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name=f"Question 2 of {session['total']}")).to_be_visible(
        timeout=60_000
    )

    # Opened again by its address, it goes on where it stopped.
    page.goto(f"{live_app.url}/learning/interview/{session['id']}")
    expect(page.get_by_role("heading", name=f"Question 2 of {session['total']}")).to_be_visible()
    shot(page, "53-interview-by-id")
    page.get_by_role("link", name="All sessions").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/learning/interview")
    expect(listed).to_contain_text(f"1 of {session['total']} answered")

    # Another user's session is not found, nor is an address that is no session id.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    log_in(page, live_app, live_app.user(resume=False), then="/learning/interview")
    page.goto(f"{live_app.url}/learning/interview/{session['id']}")
    expect(page.get_by_role("alert")).to_contain_text("No such interview session")
    expect(page.locator(".question-text")).to_have_count(0)
    page.goto(f"{live_app.url}/learning/interview/not-a-session")
    expect(page.get_by_role("alert")).to_contain_text("There is no interview session")


HOSTILE = (
    'Done. <img src=x onerror="window.__xss = 1"> <a href="https://evil.example/">click</a>\n\n'
    "- Open https://evil.example/api/resumes/x or //evil.example/learning/x\n"
    "- javascript:/api/x and `<script>window.__xss = 2</script>`\n"
    "- Your plan: /learning/roadmaps and **/jobs/board**."
)


def test_the_coachs_text_never_becomes_html(live_app: LiveApp, context: BrowserContext) -> None:
    def hostile(body: dict[str, Any]) -> Reply | str:
        return model_script(body) if isinstance(body.get("format"), dict) else HOSTILE

    live_app.ollama.script = hostile
    try:
        creds = live_app.user()
        page = context.new_page()
        log_in(page, live_app, creds, then="/coach")
        page.get_by_label("Your message").fill("What should I learn first for this role?")
        page.keyboard.press("Enter")
        expect(page.locator(".msg-coach").last).to_contain_text("jobs/board", timeout=60_000)
        expect(page.locator(".msg-live")).to_have_count(0)
        page.wait_for_url(re.compile(rf"/coach/{UUID}$"))
        page.reload()
    finally:
        live_app.ollama.script = model_script
    body = page.locator(".msg-coach .md").last
    expect(body).to_contain_text('<img src=x onerror="window.__xss = 1">')
    expect(body).to_contain_text("<script>")
    assert body.locator("img, script, iframe").count() == 0
    hrefs = body.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/learning/roadmaps", "/jobs/board"]
    assert page.evaluate("window.__xss") is None


def test_enter_right_after_typing_sends_what_was_typed(
    live_app: LiveApp, context: BrowserContext, model_offline: None
) -> None:
    # Typing and Enter in one task: the key reaches the composer before Preact re-renders with
    # the typed text (under load a real keyboard can be that quick); the message must still go.
    creds = live_app.user()
    page = context.new_page()
    log_in(page, live_app, creds, then="/coach")
    with page.expect_request("**/api/chat/threads/*/messages") as sent:
        page.locator("#coach-input").evaluate(
            """(box) => {
                box.focus();
                box.value = "What should I learn first for a data engineer role?";
                box.dispatchEvent(new Event("input", { bubbles: true }));
                box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
            }"""
        )
    assert sent.value.post_data_json == {
        "content": "What should I learn first for a data engineer role?"
    }
    expect(page.locator(".msg-coach").last).to_contain_text("AI model", timeout=90_000)
