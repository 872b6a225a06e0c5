"""A true new fact in a real Chromium (issue 15): the builder refuses an edit whose number the
profile lacks and offers to add the line to that position; once added, the same edit is made.
The profile editor edits a position's lines, and asks the person to confirm what was read with
doubt."""

from __future__ import annotations

import httpx
from playwright.sync_api import BrowserContext, expect

from tests.conftest import PASSWORD, free_port
from tests.web.conftest import RESUME, LiveApp, log_in, shot

JOB = "ML infrastructure engineer: PyTorch, CUDA, LLM inference, latency optimisation."
SOURCE = "Developed proprietary inference optimization reducing latency by 73% compared to baseline"
TRUE_LINE = "Developed an inference optimization cutting latency by 73% for 40 research teams"


def user_with_resume(app: LiveApp) -> tuple[dict[str, str], str]:
    """Register, import the resume and tailor it without the model; return creds and its id."""
    creds = {"email": f"truth-{free_port()}@example.com", "password": PASSWORD}
    with httpx.Client(base_url=app.url, timeout=60, headers={"Origin": app.url}) as client:
        assert client.post("/api/auth/register", json=creds).status_code == 201
        assert client.post("/api/auth/login", json=creds).status_code == 200
        files = {"file": (RESUME.name, RESUME.read_bytes(), "application/pdf")}
        assert client.post("/api/profile/imports", files=files).status_code == 201
        made = client.post("/api/resumes/tailor", json={"job_description": JOB, "llm": False})
        assert made.status_code == 201, made.text
    return creds, made.json()["id"]


def test_a_true_number_is_added_through_the_builder(
    live_app: LiveApp, context: BrowserContext
) -> None:
    creds, resume_id = user_with_resume(live_app)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_app, creds, then=f"/resumes/{resume_id}")
    expect(page.locator(".builder")).to_be_visible(timeout=30_000)

    item = page.locator(".item", has_text=SOURCE[:40]).first
    item.get_by_role("button", name="Edit").click()
    form = page.locator(".builder form.inline-edit")
    form.get_by_label("Edit text").fill(TRUE_LINE)
    form.get_by_role("button", name="Save").click()
    offer = page.locator(".add-to-profile")
    expect(offer).to_contain_text("Co-Founder & CTO at Nexus AI")
    alert = page.locator(".alert-error").first
    expect(alert).to_contain_text("40")
    expect(alert).not_to_contain_text("/api/")
    shot(page, "truth-01-add-to-profile")
    offer.get_by_role("button", name="Add to my profile").click()
    expect(page.locator(".add-to-profile")).to_have_count(0)
    edited = page.locator('.item[data-status="edited"]', has_text="40 research teams")
    expect(edited).to_be_visible()

    # The line is now one of the position's lines in the profile editor, and editable there.
    page.goto(f"{live_app.url}/profile")
    page.get_by_role("button", name="Edit Co-Founder & CTO").click()
    lines = page.get_by_label("What you did (one line each)")
    assert TRUE_LINE in lines.input_value()
    lines.fill(lines.input_value() + "\nMentored 6 engineers")
    page.get_by_role("button", name="Save").click()
    nexus = page.locator(".tl-item", has_text="Nexus AI")
    nexus.locator("details summary").click()
    expect(nexus.locator(".bullets")).to_contain_text("Mentored 6 engineers")
    shot(page, "truth-02-profile-lines")
    assert not errors, errors
