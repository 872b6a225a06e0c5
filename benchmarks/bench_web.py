"""First load of the browser SPA on localhost: bytes transferred and time to interactive.

    python benchmarks/bench_web.py [--runs 5]

Starts the app on 127.0.0.1 (embedded stack, a temporary data directory, the model server
offline) and loads it in Debian's Chromium (Playwright, a fresh profile each run, so nothing is
cached) in two ways:

1. a visitor's first load: ``/`` redirects to the login page;
2. a logged-in person's first load of the profile dashboard (a resume imported beforehand).

Bytes are what went over the wire (compressed), from Chromium's own network events. Time to
interactive is the ``cg-ready`` mark the SPA sets once its first screen is on the page and handles
input (measured from navigation start); "data shown" is when the dashboard's profile is on screen.
Targets (the issue): at most 300 KB and 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careergini.app import create_app  # noqa: E402
from careergini.config import Settings  # noqa: E402
from careergini.core import migrate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESUME = ROOT / "tests/fixtures/generated/resume.md"
BUDGET_BYTES = 300 * 1024
BUDGET_MS = 1000.0
PASSWORD = "a long benchmark password"


def serve(settings: Settings, port: int) -> tuple[threading.Thread, list[uvicorn.Server]]:
    holder: list[uvicorn.Server] = []

    def run() -> None:
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_level="warning"
        )
        holder.append(uvicorn.Server(config))
        asyncio.run(holder[0].serve())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return thread, holder
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the app did not start")


def first_load(browser, url: str, *, cookies: list[dict] | None, wait_for: str | None) -> dict:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url)
    page.wait_for_selector("html[data-ready='1']", state="attached", timeout=30_000)
    ready = page.evaluate("performance.getEntriesByName('cg-ready')[0].startTime")
    shown = None
    if wait_for:
        page.wait_for_selector(wait_for, timeout=30_000)
        shown = page.evaluate("performance.now()")
    page.wait_for_load_state("networkidle")
    assets = sum(v for k, v in sizes.items() if "/api/" not in urls.get(k, ""))
    api = sum(v for k, v in sizes.items() if "/api/" in urls.get(k, ""))
    context.close()
    return {"ready": ready, "shown": shown, "assets": assets, "api": api, "requests": len(sizes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="cg-bench-web-"))
    try:
        settings = Settings(
            _env_file=None,
            env="development",
            data_dir=data_dir,
            secret_key="bench-secret-key-that-is-long-enough-0123456789",
            ollama_url="http://127.0.0.1:9",
            ollama_probe_timeout=0.5,
            log_level="WARNING",
            rate_limit_per_minute=100_000,
        )
        migrate.upgrade(settings.effective_database_url)
        port = _free_port()
        thread, server = serve(settings, port)
        base = f"http://127.0.0.1:{port}"

        with httpx.Client(base_url=base, timeout=120) as client:
            creds = {"email": "bench@example.com", "password": PASSWORD}
            client.post("/api/auth/register", json=creds)
            client.post("/api/auth/login", json=creds)
            files = {"file": (RESUME.name, RESUME.read_bytes(), "text/markdown")}
            assert client.post("/api/profile/imports", files=files).status_code == 201
            access = client.cookies.get("cg_access")
        cookies = [{"name": "cg_access", "value": access, "url": base}]

        results: dict[str, list[dict]] = {"visitor: / -> login": [], "logged in: /profile": []}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            # One unmeasured load so the app's own first-request work is not counted.
            first_load(browser, f"{base}/", cookies=None, wait_for=None)
            for _ in range(args.runs):
                results["visitor: / -> login"].append(
                    first_load(browser, f"{base}/", cookies=None, wait_for="#login-email")
                )
                results["logged in: /profile"].append(
                    first_load(
                        browser, f"{base}/profile", cookies=cookies, wait_for=".profile-name"
                    )
                )
            browser.close()

        print(
            f"SPA first load on localhost, {args.runs} runs each, fresh browser profile, no cache"
        )
        print(f"{'scenario':<24} {'assets KB':>10} {'API KB':>8} {'requests':>9} "
              f"{'interactive p50':>16} {'max':>7} {'data shown p50':>15}  budget")  # fmt: skip
        for name, runs in results.items():
            assets = statistics.median(r["assets"] for r in runs)
            api = statistics.median(r["api"] for r in runs)
            ready = [r["ready"] for r in runs]
            shown = [r["shown"] for r in runs if r["shown"] is not None]
            ok = assets + api <= BUDGET_BYTES and statistics.median(ready) <= BUDGET_MS
            print(
                f"{name:<24} {assets / 1024:>10.1f} {api / 1024:>8.1f} "
                f"{statistics.median(r['requests'] for r in runs):>9.0f} "
                f"{statistics.median(ready):>13.0f} ms {max(ready):>4.0f} ms "
                f"{statistics.median(shown) if shown else 0:>12.0f} ms  "
                f"{'ok' if ok else 'OVER'} (<= {BUDGET_BYTES // 1024} KB, <= {BUDGET_MS:.0f} ms)"
            )
        server[0].should_exit = True
        thread.join(30)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
