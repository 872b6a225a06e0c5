"""The browser clipper (extension/, Manifest V3) loaded unpacked in Debian's Chromium: set up
with the user's CareerGini address and token, on a job page served on loopback it reads the
schema.org JobPosting JSON-LD, shows the match score and top gaps, and saves the job (and a
"saved" application) to that user's account only."""

from __future__ import annotations

import io
import json
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Playwright, expect

from tests.conftest import PASSWORD
from tests.web.conftest import CHROMIUM, LiveApp

EXTENSION = Path(__file__).resolve().parents[2] / "extension"

POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Platform Engineer",
    "hiringOrganization": {"@type": "Organization", "name": "Globex Clipper Test"},
    "jobLocation": {
        "@type": "Place",
        "address": {"addressLocality": "Berlin", "addressCountry": "DE"},
    },
    "description": (
        "<p>We build our payment platform in Python and Go.</p><h3>Requirements</h3>"
        "<ul><li>5+ years of Python</li><li>Kubernetes and Terraform</li>"
        "<li>PostgreSQL</li><li>Experience with Kafka</li></ul>"
    ),
}
PAGE = f"""<!doctype html><html><head><title>Platform Engineer at Globex</title>
<script type="application/ld+json">{json.dumps(POSTING)}</script></head>
<body><nav>Jobs | About</nav><h1>Platform Engineer</h1><p>Apply now.</p></body></html>"""


class _JobPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def job_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JobPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def with_clipper(playwright: Playwright) -> Iterator[BrowserContext]:
    profile = tempfile.mkdtemp(prefix="clipper-")
    ctx = playwright.chromium.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--headless=new",
            "--no-sandbox",
            f"--disable-extensions-except={EXTENSION}",
            f"--load-extension={EXTENSION}",
        ],
    )
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


def _login(app: LiveApp, email: str) -> dict[str, str]:
    login = httpx.post(
        f"{app.url}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    )
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def test_the_clipper_scores_and_saves_a_json_ld_job_page(
    live_app: LiveApp, job_site: str, with_clipper: BrowserContext
) -> None:
    owner = live_app.user()
    other = live_app.user(resume=False)
    headers = _login(live_app, owner["email"])
    made = httpx.post(
        f"{live_app.url}/api/account/tokens",
        json={"name": "clipper", "scopes": ["read", "write"]},
        headers=headers,
        timeout=30,
    )
    token = made.json()["token"]

    worker = with_clipper.service_workers or [with_clipper.wait_for_event("serviceworker")]
    extension_id = worker[0].url.split("/")[2]
    options = with_clipper.new_page()
    options.goto(f"chrome-extension://{extension_id}/options.html")
    options.get_by_label("Your CareerGini address").fill(live_app.url + "/")
    options.get_by_label("Access token").fill(token)
    options.get_by_role("button", name="Save").click()
    expect(options.locator("#status")).to_have_text("Saved.")

    job = with_clipper.new_page()
    job.goto(f"{job_site}/jobs/platform-engineer")
    tab_id = worker[0].evaluate(
        "async (url) => (await chrome.tabs.query({ url })).map((t) => t.id)[0]",
        f"{job_site}/jobs/platform-engineer",
    )
    popup = with_clipper.new_page()
    popup.goto(f"chrome-extension://{extension_id}/popup.html?tab={tab_id}")
    expect(popup.locator("#job-title")).to_have_text("Platform Engineer")
    expect(popup.locator("#job-company")).to_have_text("Globex Clipper Test")
    score = int(popup.locator("#score").inner_text())
    assert 0 <= score <= 100
    gaps = popup.get_by_role("list", name="Top gaps").locator("li")
    expect(gaps.first).to_be_visible()
    gap_names = gaps.all_inner_texts()
    assert any("Kafka" in g or "Terraform" in g or "Go" in g for g in gap_names), gap_names

    popup.get_by_label("Also track it as a saved application").check()
    popup.get_by_role("button", name="Save to CareerGini").click()
    expect(popup.locator("#saved")).to_have_text("Saved, and tracked as a saved application.")
    job_id = popup.locator("#saved").get_attribute("data-job-id")

    saved = httpx.get(f"{live_app.url}/api/jobs/{job_id}", headers=headers, timeout=30)
    assert saved.status_code == 200
    assert saved.json()["title"] == "Platform Engineer"
    assert saved.json()["company"] == "Globex Clipper Test"
    apps = httpx.get(f"{live_app.url}/api/applications", headers=headers, timeout=30).json()
    assert [(a["job_id"], a["status"]) for a in apps] == [(job_id, "saved")]

    # The right account: the other user sees neither.
    other_headers = _login(live_app, other["email"])
    theirs = httpx.get(f"{live_app.url}/api/jobs/{job_id}", headers=other_headers, timeout=30)
    assert theirs.status_code == 404
    assert httpx.get(f"{live_app.url}/api/applications", headers=other_headers).json() == []


def test_the_clipper_says_what_to_set_up_first(
    live_app: LiveApp, job_site: str, with_clipper: BrowserContext
) -> None:
    worker = with_clipper.service_workers or [with_clipper.wait_for_event("serviceworker")]
    extension_id = worker[0].url.split("/")[2]
    popup = with_clipper.new_page()
    popup.goto(f"chrome-extension://{extension_id}/popup.html")
    expect(popup.get_by_role("alert")).to_contain_text("Settings")


def test_careergini_explains_how_to_install_the_clipper(live_app: LiveApp) -> None:
    page = httpx.get(f"{live_app.url}/clipper", timeout=30)
    assert page.status_code == 200
    assert "Load unpacked" in page.text and "/clipper/careergini-clipper.zip" in page.text
    download = httpx.get(f"{live_app.url}/clipper/careergini-clipper.zip", timeout=30)
    assert download.status_code == 200
    names = set(zipfile.ZipFile(io.BytesIO(download.content)).namelist())
    assert {"careergini-clipper/manifest.json", "careergini-clipper/popup.js"} <= names
    manifest = json.loads(
        zipfile.ZipFile(io.BytesIO(download.content)).read("careergini-clipper/manifest.json")
    )
    assert manifest["manifest_version"] == 3
