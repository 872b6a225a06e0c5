"""Waiting for the model's background task of a resume version or a cover letter."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

FINAL = ("succeeded", "failed", "cancelled")


async def wait_task(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    task_id: str,
    *,
    until: tuple[str, ...] = FINAL,
    seconds: float = 30.0,
) -> dict[str, Any]:
    """Poll GET /api/tasks/{id} until its status is one of ``until``; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = await client.get(f"/api/tasks/{task_id}", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in until:
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"the task stayed {body.get('status')} for {seconds} s: {body}")


async def settled(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    created: dict[str, Any],
    *,
    outcome: str = "succeeded",
) -> dict[str, Any]:
    """Wait for the task a POST answered with, check how it ended, and GET the resource."""
    task = created["task"]
    assert task is not None and created["shows"] == "deterministic", created
    ended = await wait_task(client, headers, task["id"])
    assert ended["status"] == outcome, ended
    response = await client.get(task["result"]["url"], headers=headers)
    assert response.status_code == 200, response.text
    resource = response.json()
    assert resource["task"]["id"] == task["id"] and resource["task"]["status"] == outcome
    assert resource["shows"] == ("model" if outcome == "succeeded" else "deterministic")
    return resource
