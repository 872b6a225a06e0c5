"""The jobs tests run the app on both stacks against the job-board double.

``settings`` is overridden here so the shared ``resources`` / ``app`` / ``client`` /
``make_user`` fixtures build the app with every source's base URL pointing at the double, fast
retries, and a scheduler that looks for due sources five times a second.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from careergini.config import Settings
from tests.conftest import make_settings
from tests.doubles.jobboards import JobBoardsDouble

FAST = {
    "jobs_fetch_retries": 2,
    "jobs_fetch_backoff_seconds": 0.01,
    "jobs_max_backoff_seconds": 0.2,
    "jobs_fetch_timeout": 2.0,
    "jobs_min_refresh_interval_minutes": 0,
    "jobs_scheduler_tick_seconds": 0.2,
    "jobs_render_timeout": 20.0,
    # The tests poll sources; the per-address limit is not what they test.
    "rate_limit_per_minute": 100_000,
}


@pytest.fixture
def boards() -> Iterator[JobBoardsDouble]:
    with JobBoardsDouble() as double:
        yield double


@pytest.fixture
def settings(stack: dict, tmp_path: Path, boards: JobBoardsDouble) -> Settings:
    return make_settings(tmp_path, **stack, **boards.settings(), **FAST)


async def wait_for_refresh(
    client: httpx.AsyncClient, source_id: str, headers: dict[str, str], *, within: float = 60.0
) -> dict[str, Any]:
    """Poll the source until its refresh has finished (idle or error); return it."""
    deadline = time.monotonic() + within
    while True:
        response = await client.get(f"/api/jobs/sources/{source_id}", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in ("idle", "error"):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"the refresh did not finish within {within} s: {body}")
        await asyncio.sleep(0.05)


async def add_source(
    client: httpx.AsyncClient, headers: dict[str, str], **body: Any
) -> dict[str, Any]:
    """Create a source, wait for its first refresh, return the source."""
    created = await client.post("/api/jobs/sources", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return await wait_for_refresh(client, created.json()["id"], headers)
