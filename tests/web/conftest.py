"""The SPA's end-to-end fixtures: the real app under uvicorn on 127.0.0.1 (embedded stack, data
in a temporary directory, the Ollama stand-in as the model server) and Debian's Chromium driven by
Playwright. Screenshots go to ``var/screenshots/`` (not committed) for a person to look at."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.runtime.resources import build_resources
from tests.conftest import PASSWORD, free_port, make_settings
from tests.doubles.ollama import OllamaDouble, Reply

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MODELS = [
    "qwen2.5:7b-instruct-q4_K_M",
    "phi3:3.8b-mini-4k-instruct-q4_K_M",
    "qwen2.5-coder:7b-instruct-q4_K_M",
]
RESUME = ROOT / "tests/fixtures/resumes/rendercv/John_Doe_ClassicTheme_CV.pdf"
SCANNED = ROOT / "tests/fixtures/generated/scanned.pdf"
JOB = (ROOT / "tests/fixtures/jds/ml-eng.txt").read_text()
BACKEND_JOB = (ROOT / "tests/fixtures/jds/backend-eng.txt").read_text()
COACH_ANSWER = (
    "Here is where you stand for the **Machine Learning Engineer** role:\n\n"
    "- You already match on Python, PyTorch and machine learning.\n"
    "- The biggest gaps are Apache Spark and SQL.\n\n"
    "Start with SQL this week, then Spark."
)
UNSUPPORTED = " using Kubernetes at Google for 500 engineers"
_BULLET = re.compile(r"^\[(b\d+)\] (.+)$", re.MULTILINE)


def model_script(body: dict[str, Any]) -> Reply | str:
    """Answer as the real models would, by what the request asks for.

    Tailoring: the first bullet reworded with the same facts (kept as "rewritten"), the second
    with a fact the profile lacks (the grounding check reverts it). Routing: the skills agent.
    Free text (the coach): a short answer, streamed word by word.
    """
    schema = body.get("format")
    if isinstance(schema, dict):
        fields = schema.get("properties", {})
        user = next((m["content"] for m in body["messages"] if m["role"] == "user"), "")
        if "bullets" in fields:
            bullets = _BULLET.findall(user)
            rewrites = []
            if bullets:
                first = bullets[0][1]
                rewrites.append(
                    {
                        "source_id": bullets[0][0],
                        "text": f"Successfully {first[0].lower()}{first[1:]}",
                    }
                )
            if len(bullets) > 1:
                rewrites.append(
                    {"source_id": bullets[1][0], "text": bullets[1][1].rstrip(".") + UNSUPPORTED}
                )
            return json.dumps({"summary": "", "bullets": rewrites})
        if "agents" in fields:
            return json.dumps({"agents": ["skills"]})
        return json.dumps({key: [] for key in fields})
    return Reply(text=COACH_ANSWER, tokens_per_second=30)


@dataclass
class LiveApp:
    url: str
    ollama: OllamaDouble

    def user(self, *, resume: bool = True) -> dict[str, str]:
        """Register a user through the API (and import the resume); return the credentials."""
        email = f"web-{free_port()}-{threading.get_ident() % 10_000}@example.com"
        # Same-origin, as the browser would say: cookie-authenticated writes need it (CSRF).
        with httpx.Client(base_url=self.url, timeout=60, headers={"Origin": self.url}) as client:
            assert (
                client.post(
                    "/api/auth/register", json={"email": email, "password": PASSWORD}
                ).status_code
                == 201
            )
            login = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
            assert login.status_code == 200, login.text
            if resume:
                files = {"file": (RESUME.name, RESUME.read_bytes(), "application/pdf")}
                imported = client.post("/api/profile/imports", files=files)
                assert imported.status_code == 201, imported.text
        return {"email": email, "password": PASSWORD}


class _Server(threading.Thread):
    """uvicorn in its own thread and event loop; the app's clients are built inside that loop."""

    def __init__(self, settings: Any, embedder: Embedder, port: int) -> None:
        super().__init__(daemon=True)
        self.settings, self.embedder, self.port = settings, embedder, port
        self.server: uvicorn.Server | None = None
        self.ready = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the test through self.error
            self.error = exc
            self.ready.set()

    async def _serve(self) -> None:
        resources = build_resources(self.settings, embedder=self.embedder)
        try:
            app = create_app(resources=resources)
            config = uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
            )
            self.server = uvicorn.Server(config)
            serving = asyncio.create_task(self.server.serve())
            while not self.server.started and not serving.done():  # noqa: ASYNC110 - uvicorn has no event
                await asyncio.sleep(0.05)
            self.ready.set()
            await serving
        finally:
            await resources.aclose()


@pytest.fixture(scope="module")
def live_app(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, embedder: Embedder
) -> Iterator[LiveApp]:
    tmp = tmp_path_factory.mktemp("web")
    shutil.copy(sqlite_template, tmp / "careergini.db")
    with OllamaDouble(MODELS, script=model_script) as ollama:
        settings = make_settings(
            tmp,
            database_url=f"sqlite:///{tmp / 'careergini.db'}",
            ollama_url=ollama.url,
            rate_limit_per_minute=10_000,
            ai_rate_limit_per_minute=1_000,
            llm_first_token_timeout=20.0,
            llm_total_timeout=60.0,
        )
        port = free_port()
        server = _Server(settings, embedder, port)
        server.start()
        assert server.ready.wait(120), "the app did not start"
        if server.error:
            raise server.error
        try:
            yield LiveApp(url=f"http://127.0.0.1:{port}", ollama=ollama)
        finally:
            assert server.server is not None
            server.server.should_exit = True
            server.join(30)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


def shot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot under var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if full_page:  # from the top, so the sticky bar sits where a person sees it
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full_page)
    return path


def log_in(page: Page, app: LiveApp, creds: dict[str, str], *, then: str = "/profile") -> None:
    """Log in through the login page and wait for the page it sends on to."""
    page.goto(f"{app.url}/login?next={then}")
    page.get_by_label("Email").fill(creds["email"])
    page.get_by_label("Password").fill(creds["password"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: urlsplit(url).path == then)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
