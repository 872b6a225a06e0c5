"""Background model tasks in a real Chromium (issue 14): tailoring a resume shows the
deterministic version at once and the model task's progress, then the model's version replaces
it without a reload; leaving the page and coming back finds the same task; Cancel and Retry; the
Background tasks view lists the tasks and links to what they worked on.

The model is the realistic slow double (one request at a time, prompt reading and writing at a
CPU's pace, scaled down), so the task's stages are seen as a user would see them."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from careergini.core.embeddings import Embedder
from tests.conftest import free_port, make_settings
from tests.doubles.ollama import Reply
from tests.doubles.realistic import Realism, RealisticOllama
from tests.web.conftest import (
    BACKEND_JOB,
    JOB,
    MODELS,
    LiveApp,
    _Server,
    log_in,
    model_script,
    shot,
)

# Slow enough to watch (a tailoring prompt is read for a few seconds, then written token by
# token), fast enough for a test: model seconds run at a fifth of real time.
REALISM = Realism(prefill_tps=40, decode_tps=5, time_scale=0.2, answer_tokens=40)
MODEL_DONE = 90_000  # ms: the model's version arrives within this
AT_ONCE = 5_000  # ms: the deterministic version is on the page within this (the API: 2 s)


# No number of its own: the claims check refuses one the plan does not hold ("twelve weeks").
OVERVIEW = "Steady weeks: one skill at a time, and a small project each month to show it."
AI_QUESTION = "Which Spring Boot property sets the port the embedded web server listens on?"


def script(body: dict[str, Any]) -> Reply | str:
    """The web journey's model answers, plus roadmap texts and quiz questions as a model writes
    them (the journey's script answers those schemas with empty lists, which the checks reject).
    """
    schema = body.get("format")
    fields = schema.get("properties", {}) if isinstance(schema, dict) else {}
    if "overview" in fields:
        return json.dumps({"overview": OVERVIEW, "weeks": [], "checkpoints": []})
    if "questions" in fields:
        options = [
            {"text": "server.port", "correct": True},
            {"text": "spring.port", "correct": False},
            {"text": "http.listen", "correct": False},
        ]
        question = {
            "question": AI_QUESTION,
            "options": options,
            "explanation": "server.port in application.properties; 8080 when it is not set.",
        }
        return json.dumps({"questions": [question]})
    return model_script(body)


@pytest.fixture(scope="module")
def slow_app(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, embedder: Embedder
) -> Iterator[LiveApp]:
    """The real app under uvicorn with the realistic slow model double as its Ollama."""
    tmp = tmp_path_factory.mktemp("web-tasks")
    shutil.copy(sqlite_template, tmp / "careergini.db")
    with RealisticOllama(MODELS, realism=REALISM, script=script) as ollama:
        settings = make_settings(
            tmp,
            database_url=f"sqlite:///{tmp / 'careergini.db'}",
            ollama_url=ollama.url,
            rate_limit_per_minute=10_000,
            ai_rate_limit_per_minute=1_000,
            llm_first_token_timeout=60.0,
            llm_total_timeout=120.0,
        )
        server = _Server(settings, embedder, free_port())
        server.start()
        assert server.ready.wait(120), "the app did not start"
        if server.error:
            raise server.error
        try:
            yield LiveApp(url=f"http://127.0.0.1:{server.port}", ollama=ollama)
        finally:
            assert server.server is not None
            server.server.should_exit = True
            server.join(30)


def tailor(page: Page, app: LiveApp, job: str) -> str:
    """Tailor a resume for a job through the form; return the new resume's id.

    Each test tailors for its own job: the gateway caches a model answer by its prompt, so the
    same resume and job would be answered at once."""
    page.goto(f"{app.url}/resumes/new")
    page.get_by_label("Job description").fill(job)
    with page.expect_response("**/api/resumes/tailor") as answered:
        page.get_by_role("button", name="Tailor my resume").click()
    assert answered.value.status == 201, answered.value.text()
    page.wait_for_url(re.compile(r"/resumes/[0-9a-f-]{36}$"), timeout=AT_ONCE)
    return urlsplit(page.url).path.rsplit("/", 1)[1]


def test_the_model_version_replaces_the_deterministic_one_live(
    slow_app: LiveApp, context: BrowserContext
) -> None:
    creds = slow_app.user()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, slow_app, creds)

    # The deterministic version is on the page at once, labelled, with the task's progress.
    resume_id = tailor(page, slow_app, JOB)
    page.evaluate("window.__sameDocument = true")  # gone if the page were loaded again
    expect(page.locator(".builder")).to_be_visible(timeout=AT_ONCE)
    expect(page.locator(".version-label")).to_have_text("Deterministic version")
    progress = page.locator(".task-progress")
    expect(progress).to_be_visible()
    status = progress.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(
        re.compile(r"Waiting for the AI model|Starting|The model is reading your resume|Writing")
    )
    expect(progress.get_by_role("button", name="Cancel")).to_be_visible()
    expect(page.locator('.item[data-status="rewritten"]')).to_have_count(0)
    shot(page, "50-task-deterministic-first", full_page=False)

    # The stages a user reads while the model works: reading the resume, then writing.
    expect(status).to_have_text(re.compile(r"reading your resume|Writing"), timeout=MODEL_DONE)
    expect(status).to_have_text(re.compile(r"^Writing"), timeout=MODEL_DONE)
    expect(progress.get_by_role("progressbar")).to_be_visible()
    shot(page, "51-task-writing", full_page=False)

    # The model's version replaces it, in the same document (no reload).
    expect(page.locator(".version-label")).to_have_text("AI version", timeout=MODEL_DONE)
    expect(status).to_have_text("Done: the AI version is ready.")
    expect(progress.get_by_role("button", name="Cancel")).to_have_count(0)
    rewritten = page.locator('.item[data-status="rewritten"]').first
    expect(rewritten).to_contain_text("Successfully")
    expect(page.locator('.item[data-status="reverted"]').first).to_contain_text(
        "Not in your profile"
    )
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
    shot(page, "52-task-model-version", full_page=False)

    # The Background tasks view lists it, done, with a link back to the resume.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Background tasks").click()
    page.wait_for_url("**/tasks")
    row = page.locator(".task-row").first
    expect(row).to_contain_text("AI rewording of a tailored resume")
    expect(row).to_contain_text("done")
    shot(page, "53-background-tasks", full_page=False)
    row.get_by_role("link", name=re.compile("^Open")).click()
    page.wait_for_url(f"**/resumes/{resume_id}")
    expect(page.locator(".version-label")).to_have_text("AI version")
    # A task that was already done when the page opened leaves only the label.
    expect(page.locator(".task-progress")).to_have_count(0)
    assert errors == []


def test_leaving_and_coming_back_cancel_and_retry(
    slow_app: LiveApp, context: BrowserContext
) -> None:
    creds = slow_app.user()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, slow_app, creds)

    # Leave while the model works: the Background tasks view shows the task still going, and
    # the resume's page shows the same task's progress again.
    resume_id = tailor(page, slow_app, BACKEND_JOB)
    expect(page.locator(".task-progress")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Background tasks").click()
    row = page.locator(".task-row").first
    expect(row).to_have_attribute("data-status", re.compile("queued|running"))
    expect(row.get_by_role("button", name="Cancel")).to_be_visible()
    row.get_by_role("link", name=re.compile("^Open")).click()
    page.wait_for_url(f"**/resumes/{resume_id}")
    progress = page.locator(".task-progress")
    expect(progress).to_have_attribute("data-status", re.compile("queued|running"))

    # Cancel: the deterministic version stays, and Retry is offered.
    progress.get_by_role("button", name="Cancel").click()
    expect(progress.get_by_role("status")).to_have_text(
        "Cancelled: the deterministic version stays."
    )
    expect(page.locator(".version-label")).to_have_text("Deterministic version")
    shot(page, "54-task-cancelled", full_page=False)

    # Retry: the same task runs again, and the model's version arrives.
    progress.get_by_role("button", name="Retry").click()
    expect(progress).to_have_attribute("data-status", re.compile("queued|running"))
    expect(page.locator(".version-label")).to_have_text("AI version", timeout=MODEL_DONE)
    expect(page.locator('.item[data-status="rewritten"]').first).to_contain_text("Successfully")

    # The list filtered to finished work shows it done.
    page.goto(f"{slow_app.url}/tasks?show=done")
    expect(page.get_by_role("tab", name="Done")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".task-row")).to_have_count(1)
    expect(page.locator(".task-row").first).to_have_attribute("data-status", "succeeded")
    assert errors == []


def test_roadmap_texts_and_quiz_questions_arrive_in_the_background(
    slow_app: LiveApp, context: BrowserContext
) -> None:
    creds = slow_app.user()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, slow_app, creds, then="/learning")

    # A roadmap: the plan at once with template texts, the model's overview when its task ends.
    page.get_by_label("Role", exact=True).fill("Data Engineer")
    page.get_by_label("Hours a week").fill("8")
    page.get_by_role("button", name="Plan my roadmap").click()
    page.wait_for_url(re.compile(r"/learning/roadmaps/[0-9a-f-]{36}$"), timeout=AT_ONCE)
    expect(page.locator(".gantt")).to_be_visible()
    expect(page.locator(".version-label")).to_have_text("Deterministic version")
    expect(page.locator(".task-progress")).to_contain_text("AI texts for this roadmap")
    expect(page.locator(".lead")).not_to_contain_text(OVERVIEW)
    expect(page.locator(".version-label")).to_have_text("AI version", timeout=MODEL_DONE)
    expect(page.locator(".lead")).to_have_text(OVERVIEW)
    shot(page, "55-roadmap-ai-texts", full_page=False)

    # A quiz: the bank's questions at once, on the quiz's own address; the AI's question added.
    page.goto(f"{slow_app.url}/learning/quizzes")
    page.get_by_label("Skill", exact=True).fill("Spring Boot")
    # More questions than the bank holds on Spring Boot (5): the AI model is asked for the rest.
    page.get_by_label("Questions").fill("8")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/learning/quizzes/[0-9a-f-]{36}$"), timeout=AT_ONCE)
    questions = page.locator(".question")
    expect(questions.first).to_be_visible()
    expect(page.locator(".task-progress")).to_contain_text("Extra questions from the AI")
    # Leave and come back by the address: the same quiz, and its task's progress or result.
    page.reload()
    expect(questions.first).to_be_visible()
    expect(page.locator(".version-label")).to_have_text("AI version", timeout=MODEL_DONE)
    expect(page.get_by_text(AI_QUESTION)).to_be_visible()
    shot(page, "56-quiz-ai-question", full_page=False)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Background tasks").click()
    rows = page.locator(".task-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Extra quiz questions from the AI")
    expect(rows.nth(1)).to_contain_text("AI texts for a roadmap")
    rows.nth(0).get_by_role("link", name=re.compile("^Open")).click()
    page.wait_for_url(re.compile(r"/learning/quizzes/[0-9a-f-]{36}$"))
    expect(page.get_by_text(AI_QUESTION)).to_be_visible()
    assert errors == []


def test_a_failed_model_task_keeps_the_rubric_feedback_and_offers_retry(
    slow_app: LiveApp, context: BrowserContext
) -> None:
    creds = slow_app.user()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, slow_app, creds, then="/learning/interview")
    page.get_by_label("Role", exact=True).fill("Data Engineer")
    page.get_by_role("button", name="Start practising").click()
    page.wait_for_url(re.compile(r"/learning/interview/[0-9a-f-]{36}$"))
    page.get_by_label("Your answer").fill(
        "At my last job I owned the nightly ETL: when it failed I found the slow join, "
        "rewrote it in SQL with an index, and the run went from three hours to twenty minutes."
    )
    page.get_by_role("button", name="Submit answer").click()

    # The rubric's feedback at once, the model's on its way.
    feedback = page.locator(".feedback")
    expect(feedback).to_be_visible(timeout=AT_ONCE)
    expect(feedback.locator(".version-label")).to_have_text("Deterministic version")
    progress = feedback.locator(".task-progress")
    expect(progress).to_contain_text("AI feedback on this answer")
    # The model's answer does not fit the feedback's schema (this double answers it with empty
    # lists): the task fails with the reason, the rubric's feedback stays, Retry is offered.
    expect(progress).to_have_attribute("data-status", "failed", timeout=MODEL_DONE)
    expect(progress.get_by_role("status")).to_have_text("The AI version could not be made.")
    expect(progress.locator(".task-error")).not_to_be_empty()
    expect(progress.get_by_role("button", name="Retry")).to_be_visible()
    expect(feedback.locator(".version-label")).to_have_text("Deterministic version")
    shot(page, "57-feedback-task-failed", full_page=False)

    # Back later: the session's page shows the same answer's feedback and the failed task.
    page.reload()
    expect(page.locator(".feedback .task-progress")).to_have_attribute("data-status", "failed")
    page.goto(f"{slow_app.url}/tasks?show=failed")
    row = page.locator(".task-row").first
    expect(row).to_contain_text("AI feedback on an interview answer")
    expect(row.locator(".task-error")).not_to_be_empty()
    expect(row.get_by_role("button", name="Retry")).to_be_visible()
    assert errors == []
