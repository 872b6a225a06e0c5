"""MCP benchmark: what a tool call over /mcp costs beside the same REST call.

    python benchmarks/bench_mcp.py [--runs 30]

The real app under uvicorn on 127.0.0.1 (SQLite, in-process cache), one user with an imported
resume and a saved posting, a personal access token:
1. GET /api/jobs/{id} (a JWT, the posting with its gap and match analysis);
2. the same through MCP: one stateless JSON-RPC POST of tools/call get_job to /mcp (the token
   looked up by its SHA-256, then the SDK's transport and server, then the same service);
3. tools/list over /mcp;
4. a whole session of the SDK's own client: connect, initialize, call get_job, close.
Each: p50 / p95 over ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import httpx2
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careergini.app import create_app  # noqa: E402
from careergini.config import Settings  # noqa: E402
from careergini.core import migrate  # noqa: E402
from careergini.runtime.resources import build_resources  # noqa: E402
from tests.jobs.test_router import RESUME  # noqa: E402
from tests.samples import BACKEND_JD  # noqa: E402

PASSWORD = "correct horse battery staple"
MCP_HEADERS = {
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-06-18",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


async def timed(runs: int, step: Callable[[], Awaitable[object]]) -> list[float]:
    await step()  # warm: first-use loading is not what is measured
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        await step()
        seconds.append(time.perf_counter() - started)
    return seconds


def row(name: str, seconds: list[float]) -> str:
    p50, p95 = statistics.median(seconds) * 1e3, percentile(seconds, 0.95) * 1e3
    return f"{name:<48} {p50:>10.2f} {p95:>10.2f} {len(seconds):>6}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run(args: argparse.Namespace, workdir: Path) -> None:
    settings = Settings(
        _env_file=None,
        env="test",
        data_dir=workdir / "var",
        database_url=f"sqlite:///{workdir / 'bench.db'}",
        log_level="WARNING",
        secret_key="bench-" + "x" * 40,
        ollama_url="http://127.0.0.1:9",
        rate_limit_per_minute=1_000_000,
    )
    migrate.upgrade(settings.effective_database_url)
    resources = build_resources(settings)
    app = create_app(resources=resources)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn has no event
        await asyncio.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    rows: list[str] = []
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        creds = {"email": "bench@example.org", "password": PASSWORD}
        await http.post("/api/auth/register", json=creds)
        login = await http.post("/api/auth/login", json=creds)
        http.cookies.clear()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        files = {"file": ("resume.txt", RESUME.encode(), "text/plain")}
        await http.post("/api/profile/imports", files=files, headers=headers)
        job_id = (await http.post("/api/jobs", json={"text": BACKEND_JD}, headers=headers)).json()[
            "id"
        ]
        made = await http.post("/api/account/tokens", json={"name": "bench"}, headers=headers)
        token = made.json()["token"]
        mcp_headers = {**MCP_HEADERS, "Authorization": f"Bearer {token}"}

        async def rest() -> None:
            response = await http.get(f"/api/jobs/{job_id}", headers=headers)
            assert response.status_code == 200

        def call(method: str, params: dict) -> dict:
            return {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}

        async def mcp_get_job() -> None:
            body = call("tools/call", {"name": "get_job", "arguments": {"job_id": job_id}})
            response = await http.post("/mcp", json=body, headers=mcp_headers)
            assert response.status_code == 200 and not response.json()["result"]["isError"]

        async def mcp_list() -> None:
            response = await http.post("/mcp", json=call("tools/list", {}), headers=mcp_headers)
            assert len(response.json()["result"]["tools"]) == 12

        async def sdk_session() -> None:
            client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60)
            async with Client(streamable_http_client(f"{url}/mcp", http_client=client)) as mcp:
                result = await mcp.call_tool("get_job", {"job_id": job_id})
                assert not result.is_error

        rows.append(row("REST GET /api/jobs/{id}", await timed(args.runs, rest)))
        rows.append(row("MCP tools/call get_job (one POST)", await timed(args.runs, mcp_get_job)))
        rows.append(row("MCP tools/list (one POST)", await timed(args.runs, mcp_list)))
        rows.append(row("SDK client: connect, get_job, close", await timed(args.runs, sdk_session)))
    server.should_exit = True
    await serving
    await resources.aclose()
    print(f"{'':<48} {'p50 ms':>10} {'p95 ms':>10} {'runs':>6}")
    for line in rows:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(f"MCP benchmark: SQLite, in-process cache; {os.cpu_count()} CPUs, load {load()}")
    with tempfile.TemporaryDirectory() as workdir:
        asyncio.run(run(args, Path(workdir)))


if __name__ == "__main__":
    main()
