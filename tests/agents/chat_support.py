"""The coach on a real server: the app under uvicorn on 127.0.0.1 (so SSE streams and client
disconnects are real), with the real gateway talking to the Ollama stand-in.

``make_coach(**settings)`` starts one; :class:`Coach` has helpers to register a user, import a
resume, open a thread and run a turn, collecting its SSE events.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.llm.breaker import BreakerPolicy
from careergini.llm.gateway import LLMGateway
from careergini.runtime.resources import Resources, build_resources
from tests.conftest import PASSWORD, free_port, make_settings
from tests.doubles.ollama import OllamaDouble, Reply
from tests.llm.conftest import ALL_MODELS, FakeClock
from tests.samples import BACKEND_JD

# The shared backend JD with AWS required as well: the resume lacks it, so the coach has a gap
# to name ("Amazon Web Services" in the tests).
JD = BACKEND_JD.replace("- Docker and Kubernetes\n", "- Docker and Kubernetes\n- AWS\n", 1)

RESUME = """\
Jane Doe
Senior Backend Engineer
jane.doe@example.com | +1 415 555 0100 | San Francisco, CA

Summary
Backend engineer building reliable Python services.

Experience
Acme Corp, Senior Backend Engineer, Jan 2021 - Present
- Built FastAPI services on PostgreSQL serving 2M requests a day
- Led a team of 4 engineers moving deployments to Kubernetes

Globex, Software Engineer, 2017 - 2020
- Wrote data pipelines in Python and SQL

Education
University of California, Berkeley, B.S. Computer Science, 2013 - 2017

Skills
Python, FastAPI, PostgreSQL, Docker, Kubernetes, SQL
"""


def answer_script(answer: str = "Here is what I see.", route: list[str] | None = None) -> Any:
    """Answer routing calls (JSON schema) with ``route`` and every other call with ``answer``."""

    def script(body: dict[str, Any]) -> Reply | str:
        if body.get("format"):
            return json.dumps({"agents": route or []})
        return answer

    return script


@dataclass
class Turn:
    status: int
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    comments: int = 0
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "".join(data["text"] for name, data in self.events if name == "token")

    @property
    def done(self) -> dict[str, Any]:
        finals = [data for name, data in self.events if name == "done"]
        assert len(finals) == 1, self.events
        return finals[0]

    def named(self, name: str) -> list[dict[str, Any]]:
        return [data for event, data in self.events if event == name]


def parse_sse(lines: list[str]) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    events: list[tuple[str, dict[str, Any]]] = []
    comments = 0
    name, data = None, []
    for line in lines:
        if line.startswith(":"):
            comments += 1
        elif line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data.append(line[6:])
        elif line == "" and name is not None:
            events.append((name, json.loads("\n".join(data))))
            name, data = None, []
    return events, comments


@dataclass
class Coach:
    url: str
    http: httpx.AsyncClient
    resources: Resources
    ollama: OllamaDouble
    clock: Any  # tests.llm.conftest.FakeClock

    async def user(self, resume: str | None = RESUME) -> dict[str, Any]:
        email = f"coach-{uuid.uuid4().hex[:8]}@example.com"
        creds = {"email": email, "password": PASSWORD}
        created = await self.http.post("/api/auth/register", json=creds)
        assert created.status_code == 201, created.text
        login = await self.http.post("/api/auth/login", json=creds)
        self.http.cookies.clear()
        token = login.json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        if resume is not None:
            files = {"file": ("resume.txt", resume.encode(), "text/plain")}
            imported = await self.http.post("/api/profile/imports", files=files, headers=headers)
            assert imported.status_code == 201, imported.text
        return {"id": created.json()["id"], "headers": headers, "token": token}

    async def thread(self, user: dict[str, Any], title: str | None = None) -> str:
        response = await self.http.post(
            "/api/chat/threads", json={"title": title}, headers=user["headers"]
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    async def send(
        self,
        user: dict[str, Any],
        thread_id: str,
        content: str,
        *,
        stop_after_tokens: int | None = None,
        on_event: Callable[[str, dict[str, Any]], Any] | None = None,
        **extra: Any,
    ) -> Turn:
        """Post a message and read its SSE answer (optionally hanging up after some tokens).

        ``on_event(name, data)`` (sync or async) sees each event as it arrives.
        """
        async with self.http.stream(
            "POST",
            f"/api/chat/threads/{thread_id}/messages",
            json={"content": content, **extra},
            headers=user["headers"],
        ) as response:
            turn = Turn(status=response.status_code, headers=dict(response.headers))
            if response.status_code != 200:
                await response.aread()
                turn.body = response.json()
                return turn
            block: list[str] = []
            async for line in response.aiter_lines():
                if line:
                    block.append(line)
                    continue
                events, comments = parse_sse([*block, ""])
                block = []
                turn.comments += comments
                for name, data in events:
                    turn.events.append((name, data))
                    if on_event is not None:
                        result = on_event(name, data)
                        if asyncio.iscoroutine(result):
                            await result
                tokens = len(turn.named("token"))
                if stop_after_tokens is not None and tokens >= stop_after_tokens:
                    break
        return turn

    def start(self, user: dict[str, Any], thread_id: str, content: str) -> Any:
        """Send a message in the background; return (task, an event set at its first event)."""
        first = asyncio.Event()
        task = asyncio.create_task(
            self.send(user, thread_id, content, on_event=lambda name, data: first.set())
        )
        return task, first

    async def thread_detail(self, user: dict[str, Any], thread_id: str) -> dict[str, Any]:
        response = await self.http.get(f"/api/chat/threads/{thread_id}", headers=user["headers"])
        assert response.status_code == 200, response.text
        return response.json()

    async def wait_answer(
        self, user: dict[str, Any], thread_id: str, within: float = 10.0
    ) -> dict[str, Any]:
        """Wait until the thread's answer is stored; return the thread."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            detail = await self.thread_detail(user, thread_id)
            if not detail["answering"] and detail["messages"][-1]["role"] == "assistant":
                return detail
            assert asyncio.get_running_loop().time() < deadline, detail
            await asyncio.sleep(0.05)


CoachMaker = Callable[..., Any]


@pytest.fixture
async def make_coach(stack: dict, tmp_path: Path, embedder: Embedder) -> AsyncIterator[CoachMaker]:
    """Start the app under uvicorn against an Ollama stand-in; settings as keyword arguments.

    ``ollama=`` gives a stand-in (default: one with every configured model, answering "ok");
    ``policy=`` a breaker policy. The gateway's clock is a :class:`FakeClock`.
    """
    started: list[tuple[uvicorn.Server, asyncio.Task[None], Coach, OllamaDouble | None]] = []

    async def _make(
        *, ollama: OllamaDouble | None = None, policy: BreakerPolicy | None = None, **overrides: Any
    ) -> Coach:
        owned = None
        if ollama is None:
            owned = ollama = OllamaDouble(ALL_MODELS, script=answer_script()).__enter__()
        overrides.setdefault("ollama_url", ollama.url)
        overrides.setdefault("llm_first_token_timeout", 10.0)
        overrides.setdefault("llm_total_timeout", 30.0)
        overrides.setdefault("ai_rate_limit_per_minute", 1000)
        overrides.setdefault("rate_limit_per_minute", 10_000)
        settings = make_settings(tmp_path / f"coach{len(started)}", **stack, **overrides)
        resources = build_resources(settings, embedder=embedder)
        await resources.llm.aclose()
        clock = FakeClock()
        resources.llm = LLMGateway(
            settings=settings,
            cache=resources.cache,
            metrics=resources.metrics,
            clock=clock,
            breaker_policy=policy,
            retry_backoff=0.01,
        )
        app = create_app(resources=resources)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        )
        task = asyncio.create_task(server.serve())
        while not server.started:
            assert not task.done(), "the server did not start"
            await asyncio.sleep(0.02)
        url = f"http://127.0.0.1:{port}"
        http = httpx.AsyncClient(base_url=url, timeout=30)
        coach = Coach(url=url, http=http, resources=resources, ollama=ollama, clock=clock)
        started.append((server, task, coach, owned))
        return coach

    yield _make
    for server, task, coach, owned in started:
        await coach.http.aclose()
        server.should_exit = True
        await task
        await coach.resources.aclose()
        if owned is not None:
            owned.__exit__(None, None, None)
