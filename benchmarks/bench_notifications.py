"""Notifications benchmark: the work of one user's notification round on a realistic corpus.

    python benchmarks/bench_notifications.py [--data ../shared/data] [--base 100]
                                             [--scale 10000] [--runs 5]

The corpus is bench_search's: ``--base`` USAJOBS/TTS postings through the real pipeline, scaled
to ``--scale`` (first seen over two years; the base ones now). One user with an imported resume.
Measured: scoring the postings new since the last round (the last 7 days: the first round's
look-back) and the worst case (every posting new: the 500 newest are scored), through
``jobs.service.new_matches``; then a whole round through the API (``POST /api/notifications/run``
with a daily digest on): the task's wall time from the request until a real SMTP server on
loopback (aiosmtpd) has the digest.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import os
import random
import shutil
import socket
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from aiosmtpd.controller import Controller  # noqa: E402
from bench_search import (  # noqa: E402
    PASSWORD,
    app_with_corpus,
    load,
    read_corpus,
    settings_for,
)

from careergini.core import migrate  # noqa: E402
from careergini.core.db import session_scope, utcnow  # noqa: E402
from careergini.jobs import service as jobs_service  # noqa: E402


class Inbox:
    def __init__(self) -> None:
        self.received: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def time_matches(
    resources: Any, owner_id: uuid.UUID, *, days: int, runs: int
) -> tuple[float, int]:
    """Median seconds of new_matches over postings first seen in the last ``days``."""
    times, found = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        async with session_scope(resources.sessionmaker) as session:
            items = await jobs_service.new_matches(
                session=session,
                resources=resources,
                owner_id=owner_id,
                since=utcnow() - timedelta(days=days),
                minimum=0,
                limit=20,
            )
        times.append(time.perf_counter() - started)
        found = len(items)
    return statistics.median(times), found


async def run(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = settings_for(workdir, "").model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_security": "none",
            "notifications_scheduler_tick_seconds": 3600,
            "tasks_poll_seconds": 0.2,
        }
    )
    migrate.upgrade(settings.effective_database_url)
    raws = read_corpus(args.data)
    base_raws = random.Random(7).sample(raws, min(args.base, len(raws)))
    print(
        f"Notifications benchmark: {len(base_raws)} postings ingested for real, scaled to "
        f"{args.scale:,}; SQLite, embedded Chroma; {os.cpu_count()} CPUs, load {load()}"
    )
    creds = {"email": "bench@example.com", "password": PASSWORD}
    results: list[tuple[str, str, str]] = []
    try:
        async with app_with_corpus(settings, creds, base_raws, raws, args.scale, results) as (
            client,
            headers,
            resources,
            owner_id,
        ):
            await time_matches(resources, owner_id, days=7, runs=1)  # warm the profile
            for days, what in ((7, "new in the last 7 days"), (730, "every posting new")):
                seconds, found = await time_matches(resources, owner_id, days=days, runs=args.runs)
                results.append(
                    (
                        f"Score the postings {what} (new_matches)",
                        f"{seconds * 1000:,.0f} ms (median of {args.runs})",
                        f"{found} above 0 kept (at most 20); load {load()}",
                    )
                )
            await client.put(
                "/api/notifications/preferences",
                json={"email_digest": "daily", "min_score": 40},
                headers=headers,
            )
            started = time.perf_counter()
            task = (await client.post("/api/notifications/run", headers=headers)).json()
            while True:
                state = (await client.get(f"/api/tasks/{task['id']}", headers=headers)).json()
                if state["status"] in ("succeeded", "failed", "cancelled"):
                    break
                await asyncio.sleep(0.05)
            while not inbox.received and time.perf_counter() - started < 120:  # noqa: ASYNC110 - aiosmtpd runs in its own thread
                await asyncio.sleep(0.05)
            seconds = time.perf_counter() - started
            prefs = (await client.get("/api/notifications/preferences", headers=headers)).json()
            report = prefs["last_round"] or {}
            results.append(
                (
                    "A whole round via the API until the digest is at the SMTP server",
                    f"{seconds:.2f} s ({state['status']})",
                    f"{report.get('created', 0)} notifications, {len(inbox.received)} "
                    f"message(s) received; load {load()}",
                )
            )
    finally:
        controller.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n| measure | result | note |\n|---|---|---|")
    for row in results:
        print("| " + " | ".join(row) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--base", type=int, default=100)
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
