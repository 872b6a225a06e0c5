"""Jobs benchmark: ingestion throughput through the real pipeline.

    python benchmarks/bench_jobs.py [--data ../shared/data] [--sample 2000] [--embedding-threads N]

1. Ingestion: the NYC Open Data postings (``jobs/nyc-jobs/NYC_Jobs.csv``, read by the upload
   source exactly as a user's upload is) go through the real pipeline (JD parsing, dedup,
   embedding with all-MiniLM-L6-v2, SQLite, embedded Chroma) for a sample: postings per second.
Without ``../shared`` it runs on ``tests/fixtures/jobboards/nyc-jobs-sample.csv`` (300 postings).
Search and recommendations at scale are ``bench_search.py``.

``--embedding-threads N`` sets torch's threads for embeddings as CAREERGINI_EMBEDDING_THREADS
does (default 1, the app's default; 0: one per core).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import torch  # noqa: E402

from careergini.app import create_app  # noqa: E402
from careergini.config import Settings  # noqa: E402
from careergini.core import migrate  # noqa: E402
from careergini.core.db import session_scope, utcnow  # noqa: E402
from careergini.jobs import ingest, pipeline  # noqa: E402
from careergini.jobs.models import JobSource  # noqa: E402
from careergini.jobs.sources import upload  # noqa: E402
from careergini.runtime.resources import build_resources  # noqa: E402
from careergini.skills import service as skills_service  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "jobboards" / "nyc-jobs-sample.csv"


def read_postings(path: Path) -> list:
    result = upload.parse(path.read_bytes(), filename=path.name, company=None, now=utcnow())
    return result.postings


async def run(args: argparse.Namespace) -> None:
    csv_path = args.data / "jobs" / "nyc-jobs" / "NYC_Jobs.csv"
    small = not csv_path.is_file()
    if small:
        csv_path = FIXTURE
    sample = args.sample or (300 if small else 2000)
    workdir = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    settings = Settings(
        _env_file=None,
        env="test",
        data_dir=workdir / "var",
        log_level="WARNING",
        secret_key="bench-" + "x" * 40,
        ollama_url="http://127.0.0.1:9",
        rate_limit_per_minute=1_000_000,
        jobs_scheduler_tick_seconds=3600,
        embedding_threads=args.embedding_threads,
    )
    migrate.upgrade(settings.effective_database_url)
    resources = build_resources(settings)
    await resources.embedder.warm_up()  # torch's threads are set when the model loads
    app = create_app(resources=resources)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Jobs benchmark: {csv_path} ({'fixture copy' if small else 'full file'}), "
        f"sample {sample:,}; torch intra-op threads {torch.get_num_threads()}, "
        f"{os.cpu_count()} CPUs, load average {load}"
    )
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                creds = {"email": "bench@example.com", "password": "a long benchmark password"}
                user_id = uuid.UUID(
                    (await client.post("/api/auth/register", json=creds)).json()["id"]
                )
                await report(resources, user_id, csv_path, sample)
    finally:
        await resources.aclose()
        shutil.rmtree(workdir, ignore_errors=True)


async def report(resources, owner_id, csv_path, sample) -> None:
    raws = read_postings(csv_path)
    print(f"\n{len(raws):,} distinct postings read from the file")
    rows = []

    # 1. Ingestion through the real pipeline (parse + dedup + embed + SQLite + Chroma).
    await resources.embedder.warm_up()
    chosen = raws[:sample]
    started = time.perf_counter()
    for raw in chosen:
        skills_service.parse_job(text=ingest.job_text(raw), title_hint=raw.title)
    parse_seconds = time.perf_counter() - started
    async with session_scope(resources.sessionmaker) as session:
        source = JobSource(owner_id=owner_id, kind="upload", identifier="bench", status="running")
        session.add(source)
    stats = pipeline.Stats()
    started = time.perf_counter()
    for start in range(0, len(chosen), pipeline.BATCH):
        await pipeline.store_postings(
            resources=resources,
            owner_id=owner_id,
            origin="upload",
            source_id=source.id,
            raws=chosen[start : start + pipeline.BATCH],
            stats=stats,
            seen_at=utcnow(),
        )
    ingest_seconds = time.perf_counter() - started
    rows.append(
        (
            "Ingestion, parse only",
            f"{len(chosen):,} postings",
            f"{len(chosen) / parse_seconds:,.0f} postings/s",
            "",
        )
    )
    rows.append(
        (
            "Ingestion, full pipeline (parse, dedup, embed, DB, Chroma)",
            f"{len(chosen):,} postings ({stats.new:,} new, {stats.updated:,} merged)",
            f"{len(chosen) / ingest_seconds:,.1f} postings/s",
            f"{ingest_seconds:.0f} s",
        )
    )

    print("\n| measure | size | result | note |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\nSearch and recommendations at 100,000 postings: benchmarks/bench_search.py.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sample", type=int, default=0, help="postings ingested for real")
    parser.add_argument(
        "--embedding-threads",
        type=int,
        default=1,
        help="torch threads for embeddings (default 1, as the app; 0: one per core)",
    )
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
