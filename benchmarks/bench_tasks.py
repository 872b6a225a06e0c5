"""Model-backed work on a CPU-speed model: background tasks, the deterministic result first.

    python benchmarks/bench_tasks.py [--scale 0.1] [--users 10] [--answer-tokens 400]

`careergini serve` runs in its own process (embedded default: SQLite, in-process worker) against
the realistic Ollama double of tests/doubles/realistic.py: prompts read at 40 tokens/s, answers
written at 5 tokens/s, one request at a time per model, as Ollama serves a 7-9B Q4 model on an
8-vCPU box. Every tailoring's model answer is ``--answer-tokens`` long (a full rewrite of a
two-page resume is about 400). Model time runs ``--scale`` times real time (0.1: ten times
faster, so the run takes minutes, not an hour); the model-bound figures are printed in model
time (real seconds / scale), the others in real time.

1. One tailoring (`POST /api/resumes/tailor`, `llm: true`) of the two-page resume for the
   one-page posting under tests/fixtures/resume/: time to the answer (the deterministic version
   stored, with its task), and time until the task has stored the model's version.
2. ``--users`` users tailor at the same moment: each POST's answer time, then each task's wait
   in the queue (created to started), and its completion (created to finished).
3. Meanwhile, another user reads their profile and roles in a loop: the
   latency of those non-model requests (p50/p99) while the model is busy.
4. Prompt tokens the model read per tailoring (as the double counts them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.doubles.ollama import Reply  # noqa: E402
from tests.doubles.realistic import Realism, RealisticOllama  # noqa: E402
from tests.llm.conftest import ALL_MODELS  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "resume"
RESUME = (FIXTURES / "two_page_resume.txt").read_text()
POSTING = (FIXTURES / "one_page_jd.txt").read_text()
PASSWORD = "a long enough password"
FINAL = {"succeeded", "failed", "cancelled"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


BULLET = re.compile(r"^\[(b\d+)\] (.+)$", re.MULTILINE)


def tailoring_answer(body: dict[str, Any], tokens: int) -> str:
    """A valid tailoring reply about ``tokens`` words long: the prompt's bullets, reworded
    lightly (each kept to its facts, as a good model's are), until the length is reached."""
    prompt = body["messages"][-1]["content"]
    bullets, used = [], 0
    for short, text in BULLET.findall(prompt):
        if used >= tokens:
            break
        reworded = f"Delivered: {text[0].lower()}{text[1:]}"
        bullets.append({"source_id": short, "text": reworded})
        used += len(reworded.split()) + 6  # the JSON keys and quotes count too
    return json.dumps({"summary": "", "bullets": bullets})


def script(tokens: int) -> Any:
    def reply(body: dict[str, Any]) -> Reply | None:
        schema = body.get("format")
        if isinstance(schema, dict) and "bullets" in schema.get("properties", {}):
            return Reply(tailoring_answer(body, tokens))
        return None  # the double's own minimal valid answer

    return reply


def start_app(model: RealisticOllama, scale: float, data: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "CAREERGINI_ENV": "test",
        "CAREERGINI_DATA_DIR": str(data),
        "CAREERGINI_SECRET_KEY": "bench-secret-" + uuid.uuid4().hex,
        "CAREERGINI_OLLAMA_URL": model.url,
        # The configured rates are the double's effective ones (model rates / scale).
        "CAREERGINI_LLM_PREFILL_TOKENS_PER_SECOND": str(40 / scale),
        "CAREERGINI_LLM_FIRST_TOKEN_TIMEOUT": str(30 * scale),
        "CAREERGINI_LLM_STALL_SECONDS": str(max(1.0, 12 * scale)),
        "CAREERGINI_LLM_PROBE_TIMEOUT": str(max(1.0, 10 * scale)),
        "CAREERGINI_RATE_LIMIT_PER_MINUTE": "100000",
        "CAREERGINI_AI_RATE_LIMIT_PER_MINUTE": "1000",
        "CAREERGINI_LOG_LEVEL": "WARNING",
    }
    for name in ("CAREERGINI_DATABASE_URL", "CAREERGINI_REDIS_URL", "CAREERGINI_CHROMA_URL"):
        env.pop(name, None)
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "careergini.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(data / "app.log").open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if app.poll() is not None:
            sys.exit(f"the app exited ({app.returncode}); see {data / 'app.log'}")
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return app, base
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    app.kill()
    sys.exit("the app did not start within 180 s")


async def new_user(http: httpx.AsyncClient, *, profile: bool = True) -> dict[str, str]:
    """Register a user with the two-page resume."""
    body = {"email": f"bench-{uuid.uuid4().hex[:12]}@example.com", "password": PASSWORD}
    assert (await http.post("/api/auth/register", json=body)).status_code == 201
    login = await http.post("/api/auth/login", json=body)
    http.cookies.clear()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    if profile:
        # An employer of their own: the same prompt again would come from the response cache.
        own = RESUME.replace("Northwind Traders", f"Northwind {uuid.uuid4().hex[:8]}")
        files = {"file": ("resume.txt", own.encode(), "text/plain")}
        made = await http.post("/api/profile/imports", files=files, headers=headers)
        assert made.status_code == 201, made.text
    return headers


async def tailor(
    http: httpx.AsyncClient, headers: dict[str, str], *, llm: bool = True
) -> tuple[float, dict[str, Any]]:
    body = {"job_description": POSTING, "llm": llm}
    started = time.perf_counter()
    made = await http.post("/api/resumes/tailor", json=body, headers=headers)
    answered = time.perf_counter() - started
    assert made.status_code == 201, made.text
    resume = made.json()
    if llm:
        assert resume["task"] is not None, "no task: is the model reachable and AI writing on?"
    return answered, resume


async def wait_task(http: httpx.AsyncClient, headers: dict[str, str], task_id: str) -> dict:
    while True:
        task = (await http.get(f"/api/tasks/{task_id}", headers=headers)).json()
        if task["status"] in FINAL:
            return task
        await asyncio.sleep(0.1)


def seconds_between(task: dict[str, Any], start: str, end: str) -> float:
    def parse(value: str) -> float:
        return datetime.fromisoformat(value).timestamp()

    return parse(task[end]) - parse(task[start])


async def reader(http: httpx.AsyncClient, headers: dict[str, str], stop: asyncio.Event) -> list:
    latencies: list[float] = []
    while not stop.is_set():
        for path in ("/api/profile", "/api/roles/search?q=backend"):
            started = time.perf_counter()
            response = await http.get(path, headers=headers)
            latencies.append(time.perf_counter() - started)
            assert response.status_code < 500, (path, response.status_code)
        await asyncio.sleep(0.05)
    return latencies


def row(label: str, values: list[float], unit: str, *, scale: float = 1.0) -> str:
    values = [v / scale for v in values]
    return (
        f"| {label} | {len(values)} | {statistics.median(values):.2f} {unit} | "
        f"{percentile(values, 0.95):.2f} {unit} | {max(values):.2f} {unit} |"
    )


async def run(args: argparse.Namespace) -> None:
    realism = Realism(prefill_tps=40, decode_tps=5, time_scale=args.scale)
    with RealisticOllama(ALL_MODELS, realism=realism) as model, tempfile.TemporaryDirectory() as d:
        model.script = script(args.answer_tokens)
        app, base = start_app(model, args.scale, Path(d))
        try:
            async with httpx.AsyncClient(base_url=base, timeout=120) as http:
                await measure(http, model, args)
        finally:
            app.terminate()
            app.wait(timeout=30)


async def measure(
    http: httpx.AsyncClient, model: RealisticOllama, args: argparse.Namespace
) -> None:
    scale = args.scale
    # Warm up: the first request after a start loads the embedding model (seconds, once).
    warm = await new_user(http)
    warm_up, _ = await tailor(http, warm, llm=False)
    # 1. One tailoring on an idle model.
    alone = await new_user(http)
    answered, resume = await tailor(http, alone)
    task = await wait_task(http, alone, resume["task"]["id"])
    shown = (await http.get(f"/api/resumes/{resume['id']}", headers=alone)).json()
    model_done = seconds_between(task, "created_at", "finished_at")
    first_prompt = [s.prompt_tokens for s in model.stats if s.model.startswith("qwen2.5:7b")]
    print(f"model: prompt 40 tokens/s, output 5 tokens/s, one request at a time; scale {scale}")
    print(f"answer: {args.answer_tokens} tokens; task ended {task['status']}, "
          f"resume shows {shown.get('shows')}")  # fmt: skip
    print()
    print("| one tailoring (idle model) | value |")
    print("|---|---|")
    print(f"| first request after start, no model (real; loads embeddings) | {warm_up:.1f} s |")
    print(f"| answer with the deterministic version + task (real) | {answered * 1000:.0f} ms |")
    print(f"| the model's version stored (model time) | {model_done / scale:.1f} s |")
    print(f"| prompt tokens read by the model | {first_prompt[-1] if first_prompt else 0} |")
    print()

    # 2 and 3. Ten users at once, a reader meanwhile.
    users = [await new_user(http) for _ in range(args.users)]
    watcher = await new_user(http)
    stop = asyncio.Event()
    reading = asyncio.create_task(reader(http, watcher, stop))
    before = len(model.stats)
    posted = await asyncio.gather(*(tailor(http, headers) for headers in users))
    tasks = await asyncio.gather(
        *(wait_task(http, h, r["task"]["id"]) for h, (_, r) in zip(users, posted, strict=True))
    )
    stop.set()
    latencies = await reading
    waits = [seconds_between(t, "created_at", "started_at") for t in tasks if t["started_at"]]
    totals = [seconds_between(t, "created_at", "finished_at") for t in tasks if t["finished_at"]]
    model_waits = [s.queue_wait for s in model.stats[before:] if s.model.startswith("qwen2.5:7b")]
    statuses = sorted({t["status"] for t in tasks})
    print(f"| {args.users} users tailor at once | n | p50 | p95 | max |")
    print("|---|---|---|---|---|")
    print(row("answer with the deterministic version (real)", [a for a, _ in posted], "s"))
    print(row("task queued before it started (model time)", waits, "s", scale=scale))
    print(row("task created to model's version stored (model time)", totals, "s", scale=scale))
    if model_waits:
        print(row("wait in the model's own queue (model time)", model_waits, "s", scale=scale))
    print(
        f"| non-model requests meanwhile (real) | {len(latencies)} | "
        f"{statistics.median(latencies) * 1000:.0f} ms | {percentile(latencies, 0.95) * 1000:.0f}"
        f" ms | p99 {percentile(latencies, 0.99) * 1000:.0f} ms |"
    )
    print()
    print(f"task outcomes: {', '.join(statuses)}; most requests queued at the model at once: "
          f"{model.max_queue_depth}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="real seconds per model second")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--answer-tokens", type=int, default=400)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
