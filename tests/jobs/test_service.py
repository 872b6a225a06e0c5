"""The jobs service below the HTTP layer: queues, the scheduler's claims, content ownership
across sources."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select

from careergini.config import Settings
from careergini.core.db import session_scope, utcnow
from careergini.core.embeddings import Embedder
from careergini.gateway.auth.models import User
from careergini.jobs import pipeline
from careergini.jobs.models import JobPosting, JobPostingLink, JobSource
from careergini.jobs.runtime import runtime_of
from careergini.jobs.sources.base import RawPosting
from careergini.runtime.resources import Resources, build_resources


async def make_owner(resources: Resources) -> uuid.UUID:
    async with session_scope(resources.sessionmaker) as session:
        user = User(email=f"{uuid.uuid4().hex[:8]}@example.com", password_hash="x")
        session.add(user)
    return user.id


async def make_source(resources: Resources, owner_id: uuid.UUID, **values: object) -> uuid.UUID:
    fields: dict = {
        "kind": "lever",
        "identifier": uuid.uuid4().hex[:10],
        "status": "idle",
        "refresh_interval_minutes": 60.0,
    }
    fields.update(values)
    async with session_scope(resources.sessionmaker) as session:
        source = JobSource(owner_id=owner_id, **fields)
        session.add(source)
    return source.id


async def test_the_scheduler_queues_due_and_lost_refreshes_once(resources: Resources) -> None:
    owner = await make_owner(resources)
    now = utcnow()
    due = await make_source(resources, owner, next_refresh_at=now - timedelta(minutes=1))
    later = await make_source(resources, owner, next_refresh_at=now + timedelta(hours=1))
    manual = await make_source(
        resources, owner, refresh_interval_minutes=0, next_refresh_at=now - timedelta(minutes=1)
    )
    lost = await make_source(
        resources, owner, status="running", status_changed_at=now - timedelta(hours=2)
    )
    busy = await make_source(resources, owner, status="running", status_changed_at=now)
    runtime = runtime_of(resources)
    assert await pipeline.enqueue_due(resources) == 2
    assert await pipeline.enqueue_due(resources) == 0  # claimed already: not queued twice
    queued = {(await runtime.queue.get(wait=1))["source_id"] for _ in range(2)}
    assert queued == {str(due), str(lost)}
    async with session_scope(resources.sessionmaker) as session:
        statuses = {
            sid: (await session.get(JobSource, sid)).status
            for sid in (due, later, manual, lost, busy)
        }
    assert statuses == {
        due: "queued",
        later: "idle",
        manual: "idle",
        lost: "queued",
        busy: "running",
    }
    # Two workers taking the same message: only one runs it.
    first = await pipeline.claim(resources, due)
    second = await pipeline.claim(resources, due)
    assert first is not None and first.status == "running" and second is None


async def test_a_second_source_never_overwrites_the_first_ones_text(resources: Resources) -> None:
    owner = await make_owner(resources)
    board = await make_source(resources, owner, kind="greenhouse")
    page = await make_source(resources, owner, kind="page")
    full = RawPosting(
        external_id="4012",
        title="Data Engineer",
        company="Soylent",
        location="Chicago, IL",
        description="Requirements\n- Python\n- Spark",
    )
    short = RawPosting(
        external_id="p-1",
        title="Data Engineer",
        company="Soylent Corp.",
        location="Chicago, IL",
        description="Pipelines.",
    )
    seen = utcnow()

    async def store(source_id: uuid.UUID, raw: RawPosting) -> pipeline.Stats:
        stats = pipeline.Stats()
        await pipeline.store_postings(
            resources=resources,
            owner_id=owner,
            origin="x",
            source_id=source_id,
            raws=[raw],
            stats=stats,
            seen_at=seen,
        )
        return stats

    assert (await store(board, full)).new == 1
    assert (await store(page, short)).unchanged == 1
    changed = replace(full, description="Requirements\n- Python\n- Flink")
    assert (await store(board, changed)).updated == 1
    async with session_scope(resources.sessionmaker) as session:
        postings = (
            await session.exec(select(JobPosting).where(JobPosting.owner_id == owner))
        ).all()
        links = (await session.exec(select(JobPostingLink))).all()
    assert len(postings) == 1
    assert "Flink" in postings[0].description and postings[0].content_source_id == board
    assert {link.source_id for link in links} == {board, page}
    assert postings[0].embedding is not None and len(postings[0].embedding) == 384 * 4


@pytest.mark.parametrize("count", [0, 2])
async def test_embeddings_are_unit_vectors(resources: Resources, count: int) -> None:
    texts = ["Python developer\nBuild APIs."] * count
    vectors = await pipeline.embed_texts(resources.embedder, texts)
    assert len(vectors) == count
    for vector in vectors:
        assert abs(sum(x * x for x in vector) - 1.0) < 1e-4


async def test_a_restart_queues_again_what_the_in_process_queue_held(
    resources: Resources,
) -> None:
    owner = await make_owner(resources)
    queued = await make_source(resources, owner, status="queued")
    running = await make_source(resources, owner, status="running")
    idle = await make_source(resources, owner, status="idle")
    runtime = runtime_of(resources)
    assert await pipeline.requeue_unfinished(resources) == 2
    messages = {(await runtime.queue.get(wait=1))["source_id"] for _ in range(2)}
    assert messages == {str(queued), str(running)}
    async with session_scope(resources.sessionmaker) as session:
        assert (await session.get(JobSource, running)).status == "queued"
        assert (await session.get(JobSource, idle)).status == "idle"


async def test_two_app_processes_storing_one_job_at_once_keep_one_posting(
    resources: Resources, settings: Settings, embedder: Embedder, stack: dict
) -> None:
    """Two sources of one owner bring the same job at the same moment, each through another
    app process (a second Resources on the same database: its own in-process locks)."""
    other = build_resources(settings, embedder=embedder) if "redis_url" in stack else resources
    try:
        owner = await make_owner(resources)
        sources = [await make_source(resources, owner, kind=k) for k in ("greenhouse", "lever")]
        seen = utcnow()
        batch = [
            RawPosting(
                external_id=f"r-{n}",
                title=f"Data Engineer {n}",
                company="Initech",
                location="Austin, TX",
                description="Requirements\n- Python\n- SQL",
            )
            for n in range(8)
        ]

        async def store(app: Resources, source_id: uuid.UUID) -> None:
            await pipeline.store_postings(
                resources=app,
                owner_id=owner,
                origin="x",
                source_id=source_id,
                raws=batch,
                stats=pipeline.Stats(),
                seen_at=seen,
            )

        await asyncio.gather(store(resources, sources[0]), store(other, sources[1]))
        async with session_scope(resources.sessionmaker) as session:
            postings = (
                await session.exec(select(JobPosting).where(JobPosting.owner_id == owner))
            ).all()
        assert sorted(p.title for p in postings) == sorted(raw.title for raw in batch)
    finally:
        if other is not resources:
            await other.aclose()
