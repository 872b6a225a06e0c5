"""A bounded schemathesis pass over every operation of the published OpenAPI document, on both
stacks: a fixed seed (derandomized), a small example budget per operation, a logged-in user;
no answer may be a server error or contradict the document."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from careergini.app import create_app
from careergini.core.embeddings import Embedder
from careergini.runtime.resources import build_resources
from tests.conftest import PASSWORD, free_port, make_settings

EXAMPLES_PER_OPERATION = 3
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


class _Server(threading.Thread):
    """uvicorn in its own thread and event loop; the app's clients are built in that loop."""

    def __init__(self, settings: Any, embedder: Embedder) -> None:
        super().__init__(daemon=True)
        self.settings, self.embedder, self.port = settings, embedder, free_port()
        self.server: uvicorn.Server | None = None
        self.ready = threading.Event()

    def run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        resources = build_resources(self.settings, embedder=self.embedder)
        try:
            config = uvicorn.Config(
                create_app(resources=resources),
                host="127.0.0.1",
                port=self.port,
                log_level="warning",
                lifespan="on",
            )
            self.server = uvicorn.Server(config)
            serving = asyncio.create_task(self.server.serve())
            while not self.server.started and not serving.done():  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            self.ready.set()
            await serving
        finally:
            self.ready.set()
            await resources.aclose()


@pytest.fixture
def live_url(stack: dict, tmp_path: Path, embedder: Embedder) -> Iterator[str]:
    # A generous per-IP budget: the fuzzer sends a few hundred requests a minute.
    server = _Server(make_settings(tmp_path, rate_limit_per_minute=100_000, **stack), embedder)
    server.start()
    assert server.ready.wait(60) and server.server is not None and server.server.started
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.server.should_exit = True
        server.join(30)


def _login(url: str) -> dict[str, str]:
    creds = {"email": "fuzz@example.com", "password": PASSWORD}
    with httpx.Client(base_url=url, timeout=30) as client:
        assert client.post("/api/auth/register", json=creds).status_code == 201
        login = client.post("/api/auth/login", json=creds)
        assert login.status_code == 200, login.text
        return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _fuzz(operation: Any, url: str, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(base_url=url, headers=headers, timeout=60)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # collected; the pass goes on
            first = str(exc).strip().splitlines()[:14]
            failures.append(f"{operation.label}: {response.status_code}: {' '.join(first)}")

    run()
    return failures


def test_every_operation_keeps_the_contract(live_url: str) -> None:
    headers = _login(live_url)
    document = httpx.get(f"{live_url}/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        failures += _fuzz(operation, live_url, headers)
    assert operations > 90
    assert failures == [], "\n".join(sorted(set(failures)))
