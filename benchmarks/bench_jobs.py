"""Jobs benchmarks: ingestion throughput, hybrid search and recommendation latency at scale.

    python benchmarks/bench_jobs.py [--data ../shared/data] [--sample 2000] [--scale 100000]
                                    [--runs 200] [--embedding-threads N]

1. Ingestion: the NYC Open Data postings (``jobs/nyc-jobs/NYC_Jobs.csv``, read by the upload
   source exactly as a user's upload is) go through the real pipeline (JD parsing, dedup,
   embedding with all-MiniLM-L6-v2, SQLite, embedded Chroma) for a sample: postings per second.
2. Scale: a corpus of ``--scale`` postings built from the ingested ones. Titles get levels and
   suffixes, companies are drawn from the file's real agencies, places from its real work
   locations and a list of US cities, dates spread over a year; descriptions and parses are the
   real ones. Each posting's vector is its base posting's vector plus small seeded Gaussian noise
   (sigma 0.02, renormalised): embedding 100,000 postings here would take half an hour. The scaled
   rows go straight into the database (not into Chroma, which search does not read).
3. Search and recommendations through the HTTP API (auth, JSON, the whole request) for one user
   with an imported resume: p50/p95 over --runs requests; every search embeds its query afresh.

Without ``../shared`` it runs on ``tests/fixtures/jobboards/nyc-jobs-sample.csv`` (300 postings)
and a 10,000-posting corpus.

``--embedding-threads N`` sets torch's threads for embeddings as CAREERGINI_EMBEDDING_THREADS
does (default 1, the app's default; 0: one per core).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlmodel import select  # noqa: E402

from careergini.app import create_app  # noqa: E402
from careergini.config import Settings  # noqa: E402
from careergini.core import migrate  # noqa: E402
from careergini.core.db import session_scope, utcnow  # noqa: E402
from careergini.jobs import ingest, pipeline  # noqa: E402
from careergini.jobs.models import JobPosting, JobSource  # noqa: E402
from careergini.jobs.runtime import runtime_of  # noqa: E402
from careergini.jobs.search import SEMANTIC_LIMIT, vector_from_bytes, vector_to_bytes  # noqa: E402
from careergini.jobs.service import owner_index  # noqa: E402
from careergini.jobs.sources import upload  # noqa: E402
from careergini.runtime.resources import build_resources  # noqa: E402
from careergini.skills import service as skills_service  # noqa: E402
from careergini.skills.candidate import seniority_of_title  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "jobboards" / "nyc-jobs-sample.csv"
LEVELS = ["", "", "", "Senior ", "Junior ", "Lead ", "Principal ", "Associate ", "Assistant "]
SUFFIXES = ["", "", "", " II", " III", " (Temporary)", " - Citywide", " - Day Shift"]
CITIES = [
    "Brooklyn, NY",
    "Queens, NY",
    "Bronx, NY",
    "Staten Island, NY",
    "Manhattan, NY",
    "Albany, NY",
    "Buffalo, NY",
    "Newark, NJ",
    "Jersey City, NJ",
    "Boston, MA",
    "Philadelphia, PA",
    "Chicago, IL",
    "Remote",
    "Washington, DC",
    "Hartford, CT",
]
QUERIES = [
    "civil engineer",
    "data analyst",
    "project manager",
    "public health nurse",
    "attorney",
    "python developer",
    "accountant",
    "it help desk support",
    "social worker",
    "electrician",
    "community outreach coordinator",
    "budget analyst",
    "construction inspector",
    "database administrator",
    "human resources generalist",
    "procurement specialist",
    "architect",
    "research scientist",
    "policy analyst",
    "network engineer",
]
FILTERS = [
    {},
    {},
    {"posted_within": "90d"},
    {"seniority": "senior"},
    {"location": "brooklyn"},
    {"remote": "remote"},
    {"skills": "sql"},
]
RESUME = """\
Dana Whitfield
Senior Data Analyst
dana.whitfield@example.com | Brooklyn, NY

Summary
Data analyst who turns public-sector data into budgets, dashboards and policy decisions.

Experience
NYC Department of Transportation, Senior Data Analyst, Mar 2019 - Present
- Built SQL and Python pipelines reporting capital project spending to the budget office
- Designed Tableau dashboards for procurement and contract performance
- Led a team of three analysts; managed project schedules and stakeholder reporting

Brooklyn Community Board, Research Analyst, 2015 - 2019
- Wrote policy research and grant reports with Excel and SPSS

Skills
SQL, Python, Excel, Tableau, project management, budgeting, procurement, data analysis
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def read_postings(path: Path) -> list:
    result = upload.parse(path.read_bytes(), filename=path.name, company=None, now=utcnow())
    return result.postings


def scaled_rows(
    bases: list[JobPosting],
    *,
    owner_id: uuid.UUID,
    scale: int,
    agencies: list[str],
    places: list[str],
) -> list[dict]:
    """Rows for ``scale`` postings built from the ingested ones (see the module docstring)."""
    rng = np.random.default_rng(20261121)
    pick = random.Random(20261121)
    now = utcnow()
    rows = []
    base_vectors = [vector_from_bytes(b.embedding) for b in bases]
    for n in range(scale):
        base = bases[n % len(bases)]
        title = f"{pick.choice(LEVELS)}{base.title}{pick.choice(SUFFIXES)}"[:300]
        company = agencies[(n * 7 + n // len(bases)) % len(agencies)]
        location = pick.choice(places) if pick.random() < 0.7 else pick.choice(CITIES)
        vector = base_vectors[n % len(bases)]
        if vector is not None:
            noisy = vector + rng.normal(0.0, 0.02, vector.shape).astype(np.float32)
            vector = noisy / np.linalg.norm(noisy)
        remote = "remote" if location == "Remote" else ("hybrid" if n % 9 == 0 else base.remote)
        posted = now - timedelta(days=int(n % 365), hours=int(n % 24))
        rows.append(
            {
                "id": uuid.uuid4(),
                "owner_id": owner_id,
                "origin": "upload",
                "title": title,
                "company": company,
                "location": location,
                "url": None,
                "canonical_url": None,
                "dedup_key": ingest.dedup_key(company=company, title=title, location=location),
                "description": base.description,
                "content_hash": base.content_hash,
                "remote": remote,
                "seniority": seniority_of_title(title) or base.seniority,
                "employment_type": base.employment_type,
                "years_min": base.years_min,
                "years_max": base.years_max,
                "salary_min": base.salary_min,
                "salary_max": base.salary_max,
                "salary_currency": base.salary_currency,
                "salary_period": base.salary_period,
                "skills": base.skills,
                "looks_like_job": base.looks_like_job,
                "parsed": {},
                "parser_version": base.parser_version,
                "content_source_id": None,
                "embedding": vector_to_bytes(vector) if vector is not None else None,
                "posted_at": posted,
                "status": "open",
                "closed_at": None,
                "first_seen_at": posted,
                "last_seen_at": now,
                "updated_at": now,
            }
        )
    return rows


async def timed_requests(
    client: httpx.AsyncClient, requests: list[tuple[str, dict]], headers: dict, before=None
) -> list[float]:
    timings = []
    for path, params in requests:
        if before is not None:
            before()
        started = time.perf_counter()
        response = await client.get(path, params=params, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} {params}: {response.status_code} {response.text[:300]}")
    return timings


async def run(args: argparse.Namespace) -> None:
    csv_path = args.data / "jobs" / "nyc-jobs" / "NYC_Jobs.csv"
    small = not csv_path.is_file()
    if small:
        csv_path = FIXTURE
    sample = args.sample or (300 if small else 2000)
    scale = args.scale or (10_000 if small else 100_000)
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
        f"sample {sample:,}, scale {scale:,}; torch intra-op threads {torch.get_num_threads()}, "
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
                token = (await client.post("/api/auth/login", json=creds)).json()["access_token"]
                client.cookies.clear()
                headers = {"Authorization": f"Bearer {token}"}
                await report(args, client, headers, resources, user_id, csv_path, sample, scale)
    finally:
        await resources.aclose()
        shutil.rmtree(workdir, ignore_errors=True)


async def report(args, client, headers, resources, owner_id, csv_path, sample, scale) -> None:
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

    # 2. The scaled corpus.
    async with session_scope(resources.sessionmaker) as session:
        bases = list(
            (await session.exec(select(JobPosting).where(JobPosting.owner_id == owner_id))).all()
        )
    agencies = sorted({r.company for r in raws if r.company})
    places = sorted({r.location for r in raws if r.location})
    extra = max(0, scale - len(bases))
    started = time.perf_counter()
    generated = scaled_rows(bases, owner_id=owner_id, scale=extra, agencies=agencies, places=places)
    async with resources.engine.begin() as conn:
        for start in range(0, len(generated), 5000):
            await conn.execute(insert(JobPosting.__table__), generated[start : start + 5000])
    build_rows = time.perf_counter() - started
    total = len(bases) + extra
    await runtime_of(resources).indexes.bump(owner_id)
    started = time.perf_counter()
    index = await owner_index(resources, owner_id)
    index_seconds = time.perf_counter() - started
    rows.append(
        ("Scaled corpus: generate + insert rows", f"{extra:,} postings", f"{build_rows:.1f} s", "")
    )
    rows.append(
        (
            "Search index build (BM25 + vectors + filters)",
            f"{len(index):,} postings",
            f"{index_seconds:.1f} s",
            "",
        )
    )

    # 3. The user's profile, then search and recommendations through the API.
    files = {"file": ("resume.txt", RESUME.encode(), "text/plain")}
    imported = await client.post("/api/profile/imports", files=files, headers=headers)
    assert imported.status_code == 201, imported.text
    runtime = runtime_of(resources)
    requests = [
        ("/api/jobs", {"q": QUERIES[n % len(QUERIES)], **FILTERS[n % len(FILTERS)]})
        for n in range(args.runs)
    ]
    await client.get("/api/jobs", params={"q": "warm up"}, headers=headers)
    search = await timed_requests(client, requests, headers, before=runtime._query_vectors.clear)
    cached = await timed_requests(client, requests, headers)
    embeds = []
    for query in QUERIES * 5:
        started = time.perf_counter()
        await resources.embedder.embed([query])
        embeds.append((time.perf_counter() - started) * 1000)
    # What the reduced (PCA) scan costs in quality: its top 200 against the exact top 200.
    recall = []
    allowed = np.arange(len(index))
    for query in QUERIES:
        vector = np.asarray((await resources.embedder.embed([query]))[0], dtype=np.float32)
        exact = set(np.argsort(-index.similarities(vector))[:SEMANTIC_LIMIT].tolist())
        found, _ = index.nearest(vector, allowed, SEMANTIC_LIMIT)
        recall.append(len(exact & set(found.tolist())) / len(exact))
    first = await client.get(
        "/api/jobs", params={"q": "project manager", "limit": 20}, headers=headers
    )
    cursor = first.json()["next_cursor"]
    pages = await timed_requests(
        client,
        [("/api/jobs", {"q": "project manager", "limit": 20, "cursor": cursor})] * 50,
        headers,
    )
    recs_requests = [
        ("/api/jobs/recommendations", {**FILTERS[n % len(FILTERS)], "limit": 10})
        for n in range(max(20, args.runs // 2))
    ]
    recs = await timed_requests(client, recs_requests, headers)
    best = (
        await client.get("/api/jobs/recommendations", params={"limit": 3}, headers=headers)
    ).json()

    print("\n| measure | size | result | note |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        "\n| endpoint (HTTP, one user, "
        + f"{total:,} postings) | runs | p50 ms | p95 ms | target p95 |"
    )
    print("|---|---|---|---|---|")
    print(
        f"| GET /api/jobs?q=... (hybrid + re-rank, query embedded each time) | {len(search)} | "
        f"{statistics.median(search):.1f} | {percentile(search, 0.95):.1f} | <= 100 |"
    )
    print(
        f"| GET /api/jobs?q=... (the same, query embedding cached) | {len(cached)} | "
        f"{statistics.median(cached):.1f} | {percentile(cached, 0.95):.1f} | |"
    )
    print(
        f"| embedding one search query (all-MiniLM-L6-v2, alone) | {len(embeds)} | "
        f"{statistics.median(embeds):.1f} | {percentile(embeds, 0.95):.1f} | |"
    )
    print(
        f"| GET /api/jobs?cursor=... (next page) | {len(pages)} | "
        f"{statistics.median(pages):.1f} | {percentile(pages, 0.95):.1f} | |"
    )
    print(
        f"| GET /api/jobs/recommendations | {len(recs)} | {statistics.median(recs):.1f} | "
        f"{percentile(recs, 0.95):.1f} | <= 300 |"
    )
    reduced = (
        "a 128-dimension PCA scan + exact re-scoring" if index.reduced is not None else "exact"
    )
    print(
        f"\nSemantic neighbours ({reduced}): recall@{SEMANTIC_LIMIT} against an exact scan "
        f"{statistics.mean(recall):.3f} (min {min(recall):.3f}) over {len(recall)} queries"
    )
    print("\nTop recommendations for the benchmark profile (a senior data analyst):")
    for item in best["items"]:
        print(
            f"- {item['score']} {item['job']['title']} ({item['job']['company']}): "
            f"{item['top_reasons'][0] if item['top_reasons'] else ''}"
        )
    print(
        "\nScaled postings reuse the vectors of their base postings plus Gaussian noise "
        "(sigma 0.02, seed 20261121, renormalised); their texts and parses are the base's."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sample", type=int, default=0, help="postings ingested for real")
    parser.add_argument("--scale", type=int, default=0, help="postings in the scaled corpus")
    parser.add_argument("--runs", type=int, default=200)
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
