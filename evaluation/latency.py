"""Latency of the main user routes, and of the AI routes' deterministic answer.

The app runs in this process on the embedded stack (SQLite, embedded Chroma, in-process cache
and task worker) behind the ASGI transport; its model is the realistic Ollama double
(``tests/doubles/realistic.py``: a 7-9B model on a CPU box, prompt 40 tokens/s, output 5
tokens/s, one request at a time) on 127.0.0.1, with model time scaled by ``SCALE``. One user
imports the two-page resume of ``tests/fixtures/resume``; then each route is called ``RUNS``
times after one warm-up call and its p95 is reported (milliseconds, wall clock, whole request).
For tailoring and cover letters with ``llm: true`` the answer is the deterministic version
with its background task: that answer's time is measured while the model double works on the
earlier requests' tasks, as a user would see it. The model's own version is timed once (the
first tailoring's task, from creation to its end) and reported in model seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx

from evaluation.app import Session, embedded_app
from evaluation.measures import REPO, Context, Measure
from evaluation.metrics import percentile
from tests.doubles.realistic import Realism, RealisticOllama
from tests.llm.conftest import ALL_MODELS

RUNS = 30
AI_RUNS = 5
SCALE = 0.05  # real seconds per model second: a 40 s model answer takes 2 s here
RESUME = (REPO / "tests" / "fixtures" / "resume" / "two_page_resume.txt").read_bytes()
POSTING = (REPO / "tests" / "fixtures" / "resume" / "one_page_jd.txt").read_text()
FINAL = {"succeeded", "failed", "cancelled"}


async def _timed(call: Callable[[], Awaitable[httpx.Response]], runs: int) -> list[float]:
    first = await call()
    if first.status_code >= 400:
        raise RuntimeError(f"{first.request.method} {first.request.url}: {first.status_code}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = await call()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            raise RuntimeError(f"{response.request.url}: {response.status_code}")
    return timings


async def _task_seconds(session: Session, task_id: str) -> tuple[float, str]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        task = (await session.client.get(f"/api/tasks/{task_id}", headers=session.headers)).json()
        if task["status"] in FINAL:
            start = datetime.fromisoformat(task["created_at"]).timestamp()
            end = datetime.fromisoformat(task["finished_at"]).timestamp()
            return end - start, f"{task['status']} {task.get('error') or ''}".strip()
        await asyncio.sleep(0.1)
    raise RuntimeError(f"task {task_id} did not end within 300 s")


async def measure_routes() -> dict[str, Any]:
    """Return p95 milliseconds per route and the model's time for one tailoring."""
    realism = Realism(prefill_tps=40, decode_tps=5, time_scale=SCALE)
    with RealisticOllama(ALL_MODELS, realism=realism) as model:
        async with embedded_app(
            ollama_url=model.url,
            llm_prefill_tokens_per_second=40 / SCALE,
            llm_first_token_timeout=30 * SCALE,
            llm_stall_seconds=max(1.0, 12 * SCALE),
            llm_probe_timeout=max(1.0, 10 * SCALE),
        ) as session:
            client, headers = session.client, session.headers
            files = {"file": ("resume.txt", RESUME, "text/plain")}
            imported = await client.post("/api/profile/imports", files=files, headers=headers)
            imported.raise_for_status()
            posting = {"job_description": POSTING}
            routes: dict[str, Callable[[], Awaitable[httpx.Response]]] = {
                "GET /api/auth/me": lambda: client.get("/api/auth/me", headers=headers),
                "GET /api/profile": lambda: client.get("/api/profile", headers=headers),
                "GET /api/roles/search": lambda: client.get(
                    "/api/roles/search", params={"q": "backend engineer"}, headers=headers
                ),
                "POST /api/analysis/match": lambda: client.post(
                    "/api/analysis/match", json=posting, headers=headers
                ),
                "POST /api/analysis/gap": lambda: client.post(
                    "/api/analysis/gap", json=posting, headers=headers
                ),
                "POST /api/learning/roadmaps": lambda: client.post(
                    "/api/learning/roadmaps",
                    json={"target_role": "onet:15-1252.00", "hours_per_week": 10},
                    headers=headers,
                ),
                "GET /api/jobs": lambda: client.get(
                    "/api/jobs", params={"q": "python"}, headers=headers
                ),
            }
            p95 = {
                name: percentile(await _timed(call, RUNS), 0.95) for name, call in routes.items()
            }
            first = await client.post(
                "/api/resumes/tailor", json={**posting, "llm": True}, headers=headers
            )
            first.raise_for_status()
            task = first.json().get("task")
            if not task:
                raise RuntimeError("tailoring answered without a model task: is the model up?")
            ai = {
                "POST /api/resumes/tailor (llm)": lambda: client.post(
                    "/api/resumes/tailor", json={**posting, "llm": True}, headers=headers
                ),
                "POST /api/cover-letters (llm)": lambda: client.post(
                    "/api/cover-letters", json={**posting, "llm": True}, headers=headers
                ),
            }
            for name, call in ai.items():
                p95[name] = percentile(await _timed(call, AI_RUNS), 0.95)
            seconds, outcome = await _task_seconds(session, task["id"])
    return {"p95_ms": p95, "tailoring_model_seconds": seconds / SCALE, "outcome": outcome}


def _slug(route: str) -> str:
    method, path = route.split(" ", 1)
    path = path.replace(" (llm)", "_llm").strip("/").replace("api/", "").replace("/", "_")
    return f"{method.lower()}_{path}"


def measure(ctx: Context) -> list[Measure]:
    """Return the p95 of each route and the model's time to its version of a tailoring."""
    result = asyncio.run(measure_routes())
    data = (
        f"{RUNS} calls a route ({AI_RUNS} for AI routes), embedded stack in process, "
        "one user with the two-page resume"
    )
    out = [
        Measure(f"latency.{_slug(route)}.p95_ms", round(value), data)
        for route, value in result["p95_ms"].items()
    ]
    out.append(
        Measure(
            "latency.tailoring_model_version_s",
            round(result["tailoring_model_seconds"], 1),
            "realistic model double (prompt 40 tok/s, output 5 tok/s, one at a time), "
            "model seconds from the task's creation to its end",
            f"task {result['outcome']}",
        )
    )
    return out
