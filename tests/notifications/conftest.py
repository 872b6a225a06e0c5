"""The notifications tests run the app on both stacks with the job-board double, a real SMTP
server on loopback (aiosmtpd) and a scheduler that looks for due rounds five times a second."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from careergini.config import Settings
from tests.conftest import make_settings
from tests.core.test_mail import Inbox, free_port
from tests.doubles.jobboards import JobBoardsDouble
from tests.jobs.conftest import FAST

PUBLIC_URL = "https://careers.example.org"


@pytest.fixture
def boards() -> Iterator[JobBoardsDouble]:
    with JobBoardsDouble() as double:
        yield double


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def settings(
    stack: dict, tmp_path: Path, boards: JobBoardsDouble, smtp: tuple[Inbox, int]
) -> Settings:
    return make_settings(
        tmp_path,
        **stack,
        **boards.settings(),
        **FAST,
        smtp_host="127.0.0.1",
        smtp_port=smtp[1],
        smtp_security="none",
        smtp_from="CareerGini <digest@careers.example.org>",
        public_url=PUBLIC_URL,
        notifications_scheduler_tick_seconds=0.2,
        notifications_round_minutes=60,
        tasks_poll_seconds=0.2,
    )


async def wait_for_mail(inbox: Inbox, count: int, *, within: float = 90.0) -> None:
    """Wait until the SMTP server has received ``count`` messages."""
    deadline = time.monotonic() + within
    while len(inbox.received) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(inbox.received)} messages arrived, not {count}")
        await asyncio.sleep(0.1)


async def wait_task(
    client: httpx.AsyncClient, headers: dict[str, str], task_id: str, *, within: float = 90.0
) -> dict[str, Any]:
    """Poll a task until it has ended; return it."""
    deadline = time.monotonic() + within
    while True:
        body = (await client.get(f"/api/tasks/{task_id}", headers=headers)).json()
        if body["status"] in ("succeeded", "failed", "cancelled"):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"the task did not end within {within} s: {body}")
        await asyncio.sleep(0.1)
