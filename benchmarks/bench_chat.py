"""Measure the career coach: tokens per turn and per model call over a scripted conversation,
and behaviour under load. The app runs under uvicorn in a subprocess (the embedded stack unless
``--database-url`` is given), against the Ollama stand-in (tests/doubles/ollama.py) here.

    python benchmarks/bench_chat.py [--chats 50] [--database-url postgresql://...]
                                    [--skip-tokens | --skip-load]

Tokens: a scripted 12-turn conversation (one user, one thread), including turns that create a
tailored resume, a learning roadmap and a practice interview (their digests reach the model).
Each model call's prompt is counted with the gateway's own conservative estimate
(``estimate_messages``: 3.5 characters a token) on the messages the stand-in received, i.e.
after trimming; completions are the stand-in's token counts. Targets: <= 1,500 prompt tokens
per fast-task call (profile, jobs, learning roles) and <= 3,000 per resume call.

Load: ``--chats`` users each post one message at the same moment; the stand-in generates
20 tokens/s with 2 slots, the gateway runs at concurrency 2 with a queue of 8, the coach accepts
10 answers at once (the default setting; ``--max-turns`` to change it). Every request must
either stream (from the model, or from the analysis when the model's queue is full) or get a
prompt 503; none may hang. Meanwhile non-LLM endpoints are probed in a loop: their p99 must stay
<= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from careergini.llm.budget import estimate_messages  # noqa: E402
from tests.agents.chat_support import JD, RESUME, parse_sse  # noqa: E402
from tests.agents.conftest import ALL_MODELS  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.doubles.ollama import OllamaDouble, Reply  # noqa: E402

PASSWORD = "a long bench password"
FAST_ROLES = {"profile", "jobs", "learning"}
ROLE_OF_MODEL = {
    "qwen2.5:7b-instruct-q4_K_M": "reasoning",
    "phi3:3.8b-mini-4k-instruct-q4_K_M": "fast",
    "qwen2.5-coder:7b-instruct-q4_K_M": "coder",
}
CONVERSATION = [
    JD,
    "What should I learn first for it?",
    "What should my resume put forward for this job?",
    "Tailor my resume for this job.",
    "Write me the opening paragraph of a cover letter for it.",
    "Make me a learning plan for it, 10 hours a week.",
    "Which roles fit me besides this one?",
    "Tell me about my profile and my strengths.",
    "How well do I match a data engineer role?",
    "Help me prepare for the interview.",
    "I feel a bit stuck at work, any thoughts?",
    "Thanks a lot!",
]
# About 130 words: a realistic answer of a 7B model at num_predict 512.
ANSWER = (
    "Based on the analysis, you already cover most of what this role asks: Python, FastAPI, "
    "PostgreSQL, Docker and Kubernetes all appear in your recent positions, and your work at "
    "Acme shows them in production. The main gap is Amazon Web Services, which the job lists "
    "as required; Terraform is a nice-to-have. Your Kubernetes and Docker experience transfers "
    "well, so a focused plan is realistic:\n\n- Build and deploy one of your FastAPI services on "
    "AWS (ECS or EKS), with the database on RDS.\n- Describe that setup with Terraform.\n- Add "
    "both to your resume with concrete outcomes, such as latency or cost.\n\nIn two to four "
    "weeks of evenings you can close the required gap and speak to it with evidence in an "
    "interview. Next step: pick the service and write down what you will measure."
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def script(answer: str) -> Any:
    def reply(body: dict[str, Any]) -> Reply | str:
        if body.get("format"):
            return json.dumps({"agents": ["profile"]})
        return answer

    return reply


class Server:
    """The app under uvicorn in its own process, as in production."""

    def __init__(self, ollama_url: str, database_url: str, **settings: Any) -> None:
        self.dir = tempfile.TemporaryDirectory(prefix="bench-chat-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "CAREERGINI_DATA_DIR": self.dir.name,
            "CAREERGINI_DATABASE_URL": database_url,
            "CAREERGINI_OLLAMA_URL": ollama_url,
            "CAREERGINI_RATE_LIMIT_PER_MINUTE": "1000000",
            "CAREERGINI_AI_RATE_LIMIT_PER_MINUTE": "1000",
            "CAREERGINI_LOG_LEVEL": "WARNING",
            "CAREERGINI_LLM_FIRST_TOKEN_TIMEOUT": "60",
        }
        env.update({f"CAREERGINI_{k.upper()}": str(v) for k, v in settings.items()})
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from careergini.cli import main; main()", "serve",
             "--port", str(self.port)],
            env=env,
            cwd=REPO,
        )  # fmt: skip

    def wait(self) -> None:
        for _ in range(600):
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the app did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.dir.cleanup()


async def new_user(http: httpx.AsyncClient, *, resume: bool = True) -> dict[str, str]:
    email = f"bench-{os.urandom(4).hex()}@example.com"
    creds = {"email": email, "password": PASSWORD}
    (await http.post("/api/auth/register", json=creds)).raise_for_status()
    login = await http.post("/api/auth/login", json=creds)
    http.cookies.clear()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    if resume:
        files = {"file": ("resume.txt", RESUME.encode(), "text/plain")}
        (await http.post("/api/profile/imports", files=files, headers=headers)).raise_for_status()
    return headers


async def new_thread(http: httpx.AsyncClient, headers: dict[str, str]) -> str:
    response = await http.post("/api/chat/threads", json={}, headers=headers)
    response.raise_for_status()
    return response.json()["id"]


async def chat(
    http: httpx.AsyncClient, headers: dict[str, str], thread: str, content: str
) -> dict[str, Any]:
    started = time.perf_counter()
    result: dict[str, Any] = {"status": None, "first_byte": None, "first_token": None}
    lines: list[str] = []
    async with http.stream(
        "POST",
        f"/api/chat/threads/{thread}/messages",
        json={"content": content},
        headers=headers,
    ) as response:
        result["status"] = response.status_code
        result["first_byte"] = time.perf_counter() - started
        if response.status_code == 200:
            async for line in response.aiter_lines():
                if line == "event: token" and result["first_token"] is None:
                    result["first_token"] = time.perf_counter() - started
                lines.append(line)
        else:
            await response.aread()
    result["total"] = time.perf_counter() - started
    events, _ = parse_sse(lines)
    done = [data for name, data in events if name == "done"]
    result["done"] = done[0] if done else None
    return result


# --- tokens -----------------------------------------------------------------------------------


async def conversation(server_factory: Any) -> list[dict[str, Any]]:
    with OllamaDouble(ALL_MODELS, script=script(ANSWER)) as ollama:
        server = server_factory(ollama.url)
        try:
            server.wait()
            async with httpx.AsyncClient(base_url=server.url, timeout=120) as http:
                headers = await new_user(http)
                thread = await new_thread(http, headers)
                rows = []
                for content in CONVERSATION:
                    before = len(ollama.chats)
                    result = await chat(http, headers, thread, content)
                    done = result["done"] or {}
                    calls = done.get("usage", {}).get("calls", [])
                    bodies = ollama.chats[before:]
                    rows.append(
                        {
                            "message": content.splitlines()[0][:44],
                            "agents": done.get("agents", []),
                            "routed_by": done.get("usage", {}).get("routed_by"),
                            "calls": [
                                {
                                    "purpose": call["purpose"],
                                    "role": call["role"],
                                    "prompt": estimate_messages(body["messages"]),
                                    "completion": call["completion_tokens"],
                                    "trimmed": call.get("trimmed", False),
                                }
                                for call, body in zip(calls, bodies, strict=True)
                            ],
                        }
                    )
                return rows
        finally:
            server.stop()


def print_tokens(rows: list[dict[str, Any]]) -> bool:
    print(f"\nTokens per turn and per model call, scripted {len(rows)}-turn conversation")
    print("(prompt: the gateway's estimate of what the model received; completion: its count)\n")
    print(f"{'#':>2} {'message':<44} {'agents':<16} {'call (role)':<22} {'prompt':>7} {'compl':>6}")
    print("-" * 101)
    ok = True
    per_role: dict[str, list[int]] = {}
    turn_prompts, turn_completions = [], []
    for number, row in enumerate(rows, 1):
        agents = ",".join(row["agents"]) or "-"
        calls = row["calls"] or [None]
        for index, call in enumerate(calls):
            head = f"{number:>2} {row['message']:<44} {agents:<16}" if index == 0 else " " * 64
            if call is None:
                print(f"{head} {'(no model call)':<22} {0:>7} {0:>6}")
                continue
            label = f"{call['purpose']} ({call['role']})" + (" T" if call["trimmed"] else "")
            print(f"{head} {label:<22} {call['prompt']:>7} {call['completion']:>6}")
            per_role.setdefault(call["role"], []).append(call["prompt"])
        turn_prompts.append(sum(c["prompt"] for c in row["calls"]))
        turn_completions.append(sum(c["completion"] for c in row["calls"]))
    print("-" * 101)
    print(
        f"per turn: prompt mean {statistics.mean(turn_prompts):.0f}, max {max(turn_prompts)}; "
        f"completion mean {statistics.mean(turn_completions):.0f}; "
        f"model calls {sum(len(r['calls']) for r in rows)} in {len(rows)} turns\n"
    )
    print(f"{'role':<12} {'calls':>5} {'max prompt':>11} {'target':>8}  verdict")
    for role, prompts in sorted(per_role.items()):
        target = 3000 if role == "resume" else 1500
        verdict = "ok" if max(prompts) <= target else "OVER"
        ok &= verdict == "ok"
        print(f"{role:<12} {len(prompts):>5} {max(prompts):>11} {target:>8}  {verdict}")
    return ok


# --- load -------------------------------------------------------------------------------------


async def probe(http: httpx.AsyncClient, headers: dict[str, str], stop: asyncio.Event) -> dict:
    timings: dict[str, list[float]] = {
        "/api/health": [],
        "/api/chat/threads": [],
        "/api/profile": [],
    }
    while not stop.is_set():
        for path, values in timings.items():
            started = time.perf_counter()
            response = await http.get(path, headers=headers)
            values.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
        await asyncio.sleep(0.05)
    return timings


async def load(server_factory: Any, chats: int) -> tuple[list[dict[str, Any]], dict, float]:
    answer = " ".join(ANSWER.split()[:40])
    with OllamaDouble(
        ALL_MODELS, script=lambda body: Reply(answer, tokens_per_second=20), slots=2
    ) as ollama:
        server = server_factory(ollama.url)
        try:
            server.wait()
            limits = httpx.Limits(max_connections=chats + 10, max_keepalive_connections=chats + 10)
            async with httpx.AsyncClient(base_url=server.url, timeout=300, limits=limits) as http:
                users = [await new_user(http) for _ in range(chats)]
                threads = [await new_thread(http, h) for h in users]
                prober = await new_user(http)
                stop = asyncio.Event()
                probing = asyncio.create_task(probe(http, prober, stop))
                await asyncio.sleep(1.0)  # a baseline before the burst
                started = time.perf_counter()
                results = await asyncio.gather(
                    *(
                        chat(http, h, t, "Tell me about my profile and my strengths.")
                        for h, t in zip(users, threads, strict=True)
                    )
                )
                wall = time.perf_counter() - started
                stop.set()
                timings = await probing
            return results, timings, wall
        finally:
            server.stop()


def print_load(
    results: list[dict[str, Any]], timings: dict, wall: float, chats: int, max_turns: int
) -> bool:
    streamed = [r for r in results if r["status"] == 200]
    refused = [r for r in results if r["status"] == 503]
    other = [r for r in results if r["status"] not in (200, 503)]
    complete = [r for r in streamed if r["done"] and r["done"]["status"] == "complete"]
    model = [r for r in complete if not r["done"]["degraded"]]
    busy = [r for r in complete if r["done"]["degraded"]]
    hung = [r for r in streamed if not r["done"]]
    print(f"\n{chats} concurrent chats; stand-in at 20 tokens/s with 2 slots; gateway 2 + queue 8;")
    print(f"the coach accepts {max_turns} answers at once\n")
    print(f"{'outcome':<52} {'value':>12}")
    print("-" * 65)

    def row(label: str, value: object) -> None:
        print(f"{label:<52} {value!s:>12}")

    def secs(values: list[float], q: float) -> str:
        return f"{percentile(values, q):.2f} s" if values else "-"

    row("streamed, answer from the model", len(model))
    row("streamed, answer from the analysis (model busy)", len(busy))
    row("refused at once: 503 with Retry-After", len(refused))
    row("other status / stream without a done event", f"{len(other)} / {len(hung)}")
    row("503: time to the response, max", secs([r["total"] for r in refused], 1.0))
    row("streams: time to the first token, p50 / max",
        f"{secs([r['first_token'] for r in streamed if r['first_token']], 0.5)} / "
        f"{secs([r['first_token'] for r in streamed if r['first_token']], 1.0)}")  # fmt: skip
    row("busy answers: total time, max", secs([r["total"] for r in busy], 1.0))
    row("model answers: total time, max", secs([r["total"] for r in model], 1.0))
    row("whole burst, wall clock", f"{wall:.2f} s")
    worst = 0.0
    for path, values in timings.items():
        ms = [v * 1000 for v in values]
        worst = max(worst, percentile(ms, 0.99))
        row(f"GET {path}: p50 / p99 ({len(ms)} calls)",
            f"{percentile(ms, 0.5):.0f} / {percentile(ms, 0.99):.0f} ms")  # fmt: skip
    ok = not other and not hung and len(streamed) + len(refused) == chats
    ok &= all(r["total"] < 1.0 for r in refused) and worst <= 100
    print(f"\n{'PASS' if ok else 'FAIL'}: every request streamed or got a prompt 503, "
          f"none hung; non-LLM p99 {worst:.0f} ms (target <= 100 ms)")  # fmt: skip
    return ok


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--database-url", default="", help="default: SQLite (embedded)")
    parser.add_argument(
        "--max-turns", type=int, default=10, help="CAREERGINI_CHAT_MAX_ACTIVE_TURNS"
    )
    skip = parser.add_mutually_exclusive_group()
    skip.add_argument("--skip-tokens", action="store_true", help="run the load part only")
    skip.add_argument("--skip-load", action="store_true", help="run the token part only")
    args = parser.parse_args()

    def server(ollama_url: str) -> Server:
        return Server(ollama_url, args.database_url, chat_max_active_turns=args.max_turns)

    tokens_ok = args.skip_tokens or print_tokens(await conversation(server))
    load_ok = args.skip_load or print_load(
        *await load(server, args.chats), args.chats, args.max_turns
    )
    if not (tokens_ok and load_ok):
        sys.exit(1)


if __name__ == "__main__":
    asyncio.run(main())
