"""The shipped nginx configuration in front of a running app and a model as slow as a CPU box's.

A real deployment, on this machine: `careergini serve` in its own process (embedded default,
SQLite), `deploy/nginx.conf` in a real nginx (TLS with a throw-away certificate, the same
locations, buffering and timeouts; only container-only parts rewritten, as in
tests/test_deploy.py), and the realistic Ollama double reading prompts at 40 tokens/s and writing
5 tokens/s, one request at a time per model (model time runs 10x faster here). Every request goes
through nginx over HTTPS.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.doubles.ollama import Reply
from tests.doubles.realistic import Realism, RealisticOllama
from tests.llm.conftest import ALL_MODELS
from tests.resume.samples import RESUME
from tests.test_deploy import NGINX_CONF, _local_nginx_conf, _nginx_version, _replace

# One model second is 0.1 s here: a 5 tokens/s model writes 50 tokens a (real) second.
TIME_SCALE = 0.1
ROOT = Path(__file__).resolve().parents[1]
# openssl arguments for a throw-away certificate.
SELF_SIGNED = ("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1")
SELF_SIGNED += ("-subj", "/CN=localhost")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, *, within: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args!r} exited with {process.returncode}")
        try:
            if httpx.get(url, verify=False, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {within} s")


@dataclass
class Live:
    base: str  # https://127.0.0.1:<port> (nginx)
    model: RealisticOllama
    command: list[str]
    env: dict[str, str]
    log: Path
    app: subprocess.Popen[bytes] | None = None

    def start_app(self) -> None:
        self.app = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
        )
        _wait_for(f"{self.base}/api/health", within=120, process=self.app)

    def stop_app(self, *, kill: bool = False) -> None:
        """Stop the app: SIGTERM (a graceful stop) or SIGKILL (a crash)."""
        assert self.app is not None
        if kill:
            self.app.kill()
        else:
            self.app.terminate()
        try:
            self.app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.app.kill()
            self.app.wait(timeout=10)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    nginx = shutil.which("nginx")
    openssl = shutil.which("openssl")
    assert nginx and openssl, "CI installs nginx-light and openssl (.ci/run)"
    root = tmp_path_factory.mktemp("live")
    realism = Realism(prefill_tps=40, decode_tps=5, time_scale=TIME_SCALE, answer_tokens=40)
    with RealisticOllama(ALL_MODELS, realism=realism) as model:
        app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
        env = {
            **os.environ,
            "CAREERGINI_ENV": "test",
            "CAREERGINI_PASSWORD_HASH_MEMORY_KIB": "8192",
            "CAREERGINI_PASSWORD_HASH_TIME_COST": "1",
            "CAREERGINI_DATA_DIR": str(root / "var"),
            "CAREERGINI_SECRET_KEY": "live-test-secret-key-" + uuid.uuid4().hex,
            "CAREERGINI_OLLAMA_URL": model.url,
            # The double's rates are 10x a CPU's (TIME_SCALE): so are the deadlines.
            "CAREERGINI_LLM_PREFILL_TOKENS_PER_SECOND": "400",
            "CAREERGINI_LLM_FIRST_TOKEN_TIMEOUT": "3",
            "CAREERGINI_LLM_STALL_SECONDS": "1.2",
            "CAREERGINI_LLM_PROBE_TIMEOUT": "1.0",
            "CAREERGINI_LOG_LEVEL": "WARNING",
            # Every request here comes from one address (the tests poll tasks).
            "CAREERGINI_RATE_LIMIT_PER_MINUTE": "100000",
            # A crashed worker's task is taken again after this lease (30 s in production).
            "CAREERGINI_TASKS_LEASE_SECONDS": "3",
            "CAREERGINI_TASKS_HEARTBEAT_SECONDS": "0.5",
            "CAREERGINI_TASKS_POLL_SECONDS": "0.2",
        }
        for name in ("CAREERGINI_DATABASE_URL", "CAREERGINI_REDIS_URL", "CAREERGINI_CHROMA_URL"):
            env.pop(name, None)
        command = [sys.executable, "-m", "careergini.cli", "serve", "--proxy-headers", "--host",
                   "127.0.0.1", "--port", str(app_port)]  # fmt: skip
        (root / "certs").mkdir()
        subprocess.run(
            [
                openssl,
                *SELF_SIGNED,
                *("-keyout", str(root / "certs" / "privkey.pem")),
                *("-out", str(root / "certs" / "fullchain.pem")),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        text = _local_nginx_conf(NGINX_CONF.read_text(), _nginx_version(nginx), root)
        text = text.replace("server 127.0.0.1:8000", f"server 127.0.0.1:{app_port}")
        text = _replace(text, "listen 80 default_server;", f"listen 127.0.0.1:{http_port};")
        text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
        text = _replace(text, "access_log /dev/stdout main;", "access_log off;")
        text = _replace(text, "error_log /dev/stderr warn;", f"error_log {root}/nginx.log;")
        conf = root / "nginx.conf"
        conf.write_text(text)
        directives = f"daemon off; pid {root}/nginx.pid;" + (
            " user root;" if os.geteuid() == 0 else ""
        )
        for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (root / temp).mkdir()
        proxy = subprocess.Popen(
            [nginx, "-p", str(root), "-c", str(conf), "-g", directives],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        live = Live(
            base=f"https://127.0.0.1:{https_port}",
            model=model,
            command=command,
            env=env,
            log=root / "app.log",
        )
        try:
            live.start_app()
            yield live
        finally:
            if live.app is not None and live.app.poll() is None:
                live.stop_app()
            proxy.terminate()
            try:
                proxy.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proxy.kill()


@pytest.fixture
async def http(live: Live) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.base, verify=False, timeout=60.0) as client:
        yield client


async def _user(http: httpx.AsyncClient) -> dict[str, str]:
    email = f"live-{uuid.uuid4().hex[:10]}@example.com"
    body = {"email": email, "password": "a long enough password"}
    assert (await http.post("/api/auth/register", json=body)).status_code == 201
    login = await http.post("/api/auth/login", json=body)
    assert login.status_code == 200, login.text
    http.cookies.clear()
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def _user_with_profile(http: httpx.AsyncClient) -> dict[str, str]:
    """A user whose resume names an employer of their own: their prompts are their own (the
    response cache answers a prompt seen before without the model)."""
    headers = await _user(http)
    own = RESUME.replace("Acme Corp", f"Acme {uuid.uuid4().hex[:8]}")
    files = {"file": ("resume.txt", own.encode(), "text/plain")}
    made = await http.post("/api/profile/imports", files=files, headers=headers)
    assert made.status_code == 201, made.text
    return headers


async def _task(
    http: httpx.AsyncClient, headers: dict[str, str], task_id: str, until: set[str], within: float
) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        response = await http.get(f"/api/tasks/{task_id}", headers=headers)
        assert response.status_code == 200, response.text
        task = response.json()
        if task["status"] in until:
            return task
        assert time.monotonic() < deadline, task
        await asyncio.sleep(0.2)


async def _sse(response: httpx.Response) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    name, data = "message", ""
    async for line in response.aiter_lines():
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            data += line.split(":", 1)[1].strip()
        elif not line and data:
            yield name, json.loads(data)
            name, data = "message", ""


async def test_a_stalled_model_is_reported_and_the_coach_answers_within_30_s(
    live: Live, http: httpx.AsyncClient
) -> None:
    headers = await _user(http)
    live.model.stall()  # every generation hangs, holding the model's slot
    try:
        thread = await http.post("/api/chat/threads", json={"title": None}, headers=headers)
        assert thread.status_code == 201, thread.text
        started = time.monotonic()
        events: list[tuple[str, dict[str, Any]]] = []
        async with http.stream(
            "POST",
            f"/api/chat/threads/{thread.json()['id']}/messages",
            json={"content": "What should I learn next?"},
            headers=headers,
        ) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            async for name, data in _sse(response):
                events.append((name, data))
                if name == "done":
                    break
        answered = time.monotonic() - started
        done = dict(events)["done"]
        assert done["degraded"] is True, events
        assert answered < 30.0
        # The health check says so too (found by the watchdog, not by a timeout).
        health = (await http.get("/api/health/llm")).json()
        assert health["status"] == "stalled", health
    finally:
        live.model.resume()
    for _ in range(100):
        if (await http.get("/api/health/llm")).json()["status"] == "ok":
            break
        await asyncio.sleep(0.2)
    assert (await http.get("/api/health/llm")).json()["status"] == "ok"


def _valid_answers(body: dict[str, Any]) -> Reply | None:
    """A model that writes what the checks accept: quiz questions, rubric feedback."""
    schema = body.get("format") if isinstance(body.get("format"), dict) else {}
    properties = schema.get("properties", {})
    if "questions" in properties:
        options = [{"text": t, "correct": t == "a list"} for t in ("a list", "a set", "a dict")]
        question = {
            "question": "Which built-in Python type keeps insertion order and allows repeats?",
            "options": options,
            "explanation": "A list is ordered and may hold the same value twice.",
        }
        return Reply(json.dumps({"questions": [question]}))
    if "scores" in properties:
        prompt = body["messages"][-1]["content"]
        rubric = prompt.split("Rubric:\n", 1)[1].split("\nAnswer:", 1)[0]
        criteria = [line[2:].split(":", 1)[0] for line in rubric.splitlines()]
        scores = [{"criterion": c, "score": 3, "comment": "Clear and concrete."} for c in criteria]
        return Reply(json.dumps({"scores": scores, "summary": "A focused, measurable answer."}))
    return None  # the realistic double answers with a minimal valid instance of the schema


async def test_every_ai_request_answers_within_2_s_with_a_usable_result_and_a_task(
    live: Live, http: httpx.AsyncClient
) -> None:
    live.model.script = _valid_answers
    headers = await _user_with_profile(http)
    posting = (ROOT / "tests" / "fixtures" / "resume" / "one_page_jd.txt").read_text()
    interview = await http.post(
        "/api/interview/sessions",
        json={"target_role": "web developer", "technical": 0, "role_specific": 0},
        headers=headers,
    )
    assert interview.status_code == 201, interview.text
    requests = {
        "/api/resumes/tailor": {"job_description": posting, "llm": True},
        "/api/cover-letters": {"job_description": posting, "llm": True},
        "/api/learning/roadmaps": {"job_description": posting, "hours_per_week": 6},
        "/api/quizzes": {"skill": "spring-boot", "n": 7},  # 5 in the bank: 2 from the model
        f"/api/interview/sessions/{interview.json()['id']}/answers": {
            "answer": "I led the migration of our payments API to FastAPI, measured p95 latency "
            "before and after, and cut it by 40% while keeping every release green."
        },
    }
    tasks: list[tuple[str, dict[str, Any]]] = []
    # All at once: the model serves one request at a time, and none of these waits for it.
    started = time.monotonic()
    answers = await asyncio.gather(
        *(http.post(path, json=body, headers=headers) for path, body in requests.items())
    )
    assert time.monotonic() - started < 2.0 * len(requests)
    for (path, _), answer in zip(requests.items(), answers, strict=True):
        assert answer.status_code in (200, 201), (path, answer.text)
        assert answer.elapsed.total_seconds() < 2.0, (path, answer.elapsed)
        body = answer.json()
        assert body["task"] is not None and body["shows"] == "deterministic", (path, body)
        tasks.append((path, body["task"]))
    # Each usable at once: a resume with positions, a letter with paragraphs, a plan, questions.
    resume, letter, roadmap, quiz, feedback = (a.json() for a in answers)
    assert resume["content"]["positions"] and letter["content"]["paragraphs"]
    assert roadmap["months"] and quiz["questions"] and feedback["feedback"]
    for path, task in tasks:
        done = await _task(http, headers, task["id"], {"succeeded", "failed"}, within=120)
        assert done["status"] == "succeeded", (path, done)
    live.model.script = None


def _long_rewording(body: dict[str, Any]) -> Reply | None:
    """A tailoring answer of 400 words (within the role's 512-token answer and the summary's
    2,000 characters): 8 s of writing here (80 s on a CPU box), so the task is seen running
    however busy this machine is."""
    schema = body.get("format") if isinstance(body.get("format"), dict) else {}
    if "bullets" in schema.get("properties", {}):
        return Reply(json.dumps({"summary": " ".join(["ok"] * 400), "bullets": []}))
    return None


async def test_tasks_survive_a_restart_and_a_crash(live: Live, http: httpx.AsyncClient) -> None:
    live.model.script = _long_rewording
    posting = (ROOT / "tests" / "fixtures" / "resume" / "one_page_jd.txt").read_text()
    for crash in (False, True):
        # Another person for each: the same prompt again would come from the response cache (a
        # line added to the posting may not change the prompt: it carries the top skills only).
        headers = await _user_with_profile(http)
        body = {"job_description": posting, "llm": True}
        made = await http.post("/api/resumes/tailor", json=body, headers=headers)
        assert made.status_code == 201, made.text
        resume = made.json()
        running = await _task(http, headers, resume["task"]["id"], {"running"}, within=60)
        assert running["status"] == "running"
        live.stop_app(kill=crash)  # SIGTERM: a deploy; SIGKILL: a crash
        live.start_app()
        done = await _task(http, headers, resume["task"]["id"], {"succeeded", "failed"}, within=120)
        assert done["status"] == "succeeded", done
        shown = (await http.get(f"/api/resumes/{resume['id']}", headers=headers)).json()
        assert shown["shows"] == "model" and shown["task"]["id"] == done["id"]
    live.model.script = None
