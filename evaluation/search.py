"""Search relevance: hand-judged results of the job search on a fixed corpus of full postings.

Corpus: ``tests/eval/search/postings.jsonl.gz``, a seeded sample of 150 USAJOBS postings
(public domain) and 50 18F/TTS job pages (CC0) from ``../shared/data/jobs`` (see
``jobs_corpus.sample_records``). They go through the real pipeline (JD parsing, dedup,
embedding, SQLite, Chroma) of an embedded install; each query of ``queries.json`` is asked
through ``GET /api/jobs`` by a user without a profile (no re-ranking), and its top 10 are
scored against the grades in ``judgments.json`` (0-3, criteria in the README beside them; a
result nobody judged counts 0). Reported: mean nDCG@10, mean precision@10 of grade >= 2, and
the queries that found nothing although a relevant posting exists (zero-result queries).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import select

from careergini.core.db import session_scope, utcnow
from careergini.jobs import pipeline
from careergini.jobs.models import JobPostingLink, JobSource
from evaluation.app import Session, embedded_app
from evaluation.jobs_corpus import postings
from evaluation.measures import GOLDEN, Context, Measure, rounded
from evaluation.metrics import ndcg, percentile
from evaluation.vector_cache import CachedEmbedder

FOLDER = GOLDEN / "search"
CORPUS = FOLDER / "postings.jsonl.gz"
QUERIES = FOLDER / "queries.json"
JUDGMENTS = FOLDER / "judgments.json"
VECTORS = FOLDER / "vectors.npz"


@dataclass
class SearchRun:
    """What each query returned (external ids, best first), and how long each took."""

    postings: int = 0
    ingest_seconds: float = 0.0
    results: dict[str, list[str]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    timings_ms: list[float] = field(default_factory=list)
    vectors_stored: int = 0
    vectors_computed: int = 0


async def ingest(session: Session) -> int:
    """Store every corpus posting through the pipeline; return how many were stored."""
    raws = postings([CORPUS])
    async with session_scope(session.resources.sessionmaker) as db:
        source = JobSource(
            owner_id=session.owner_id, kind="upload", identifier="eval", status="running"
        )
        db.add(source)
    stats = pipeline.Stats()
    for start in range(0, len(raws), pipeline.BATCH):
        await pipeline.store_postings(
            resources=session.resources,
            owner_id=session.owner_id,
            origin="upload",
            source_id=source.id,
            raws=raws[start : start + pipeline.BATCH],
            stats=stats,
            seen_at=utcnow(),
        )
    return len(raws)


async def external_ids(session: Session) -> dict[str, str]:
    """Map stored posting ids to the corpus ids."""
    async with session_scope(session.resources.sessionmaker) as db:
        links = (await db.exec(select(JobPostingLink))).all()
    return {str(link.posting_id): link.external_id for link in links}


async def run_queries(queries: list[str], embedder: CachedEmbedder) -> SearchRun:
    """Ingest the corpus into a fresh install and ask every query; return the top tens."""
    run = SearchRun()
    async with embedded_app(embedder=embedder) as session:
        started = time.perf_counter()
        run.postings = await ingest(session)
        run.ingest_seconds = time.perf_counter() - started
        embedder.check()
        run.vectors_stored, run.vectors_computed = embedder.hits, embedder.misses
        ids = await external_ids(session)
        for query in queries:
            started = time.perf_counter()
            response = await session.client.get(
                "/api/jobs", params={"q": query, "limit": 10}, headers=session.headers
            )
            run.timings_ms.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            page = response.json()
            run.results[query] = [ids.get(item["id"], item["id"]) for item in page["items"]]
            run.totals[query] = page["total"]
    return run


def load_golden() -> tuple[list[str], dict[str, dict[str, int]]]:
    """Return the queries and, per query, the grade of every judged posting."""
    queries = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    judgments = json.loads(JUDGMENTS.read_text(encoding="utf-8"))["judgments"]
    return queries, {q: {k: int(v) for k, v in judgments.get(q, {}).items()} for q in queries}


def score(run: SearchRun, grades: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Return mean nDCG@10, precision@10 and the zero-result queries of a run."""
    per_query = {}
    for query, judged in grades.items():
        got = run.results.get(query, [])
        gains = [judged.get(pid, 0) for pid in got[:10]]
        per_query[query] = {
            "ndcg10": ndcg(gains, list(judged.values()), 10),
            "p10": sum(1 for g in gains if g >= 2) / 10,
            "relevant": sum(1 for g in judged.values() if g >= 2),
        }
    zero = [q for q in grades if not run.results.get(q) and per_query[q]["relevant"]]
    # A query with nothing worth finding (every judged posting 0) has no nDCG.
    graded = [q for q, judged in grades.items() if any(judged.values())]
    return {
        "ndcg10": statistics.mean(per_query[q]["ndcg10"] for q in graded),
        "p10": statistics.mean(v["p10"] for v in per_query.values()),
        "zero_result": zero,
        "per_query": per_query,
    }


def measure(ctx: Context) -> list[Measure]:
    """Return the search relevance figures (and the per-query search time on this corpus)."""
    queries, grades = load_golden()
    run = asyncio.run(run_queries(queries, CachedEmbedder(VECTORS, threads=0)))
    scored = score(run, grades)
    judged = sum(len(g) for g in grades.values())
    data = (
        f"{len(queries)} queries over {run.postings} USAJOBS/TTS postings with full text, "
        f"{judged} results judged by hand"
    )
    worst = min(
        ((q, v) for q, v in scored["per_query"].items() if any(grades[q].values())),
        key=lambda kv: kv[1]["ndcg10"],
    )
    return [
        Measure("search.ndcg10", rounded(scored["ndcg10"]), data),
        Measure("search.precision10", rounded(scored["p10"]), data),
        Measure(
            "search.zero_result_queries",
            len(scored["zero_result"]),
            data,
            "; ".join(scored["zero_result"]),
        ),
        Measure("search.worst_query_ndcg10", rounded(worst[1]["ndcg10"]), data, worst[0]),
        Measure(
            "search.latency_p95_ms",
            round(percentile(run.timings_ms, 0.95)),
            f"GET /api/jobs, {len(queries)} queries, {run.postings} postings, embedded stack",
            f"ingest {run.ingest_seconds:.0f} s; chunk vectors {run.vectors_stored} stored, "
            f"{run.vectors_computed} computed",
        ),
    ]


async def _rebuild_vectors() -> int:
    VECTORS.unlink(missing_ok=True)
    embedder = CachedEmbedder(VECTORS, threads=0)
    async with embedded_app(embedder=embedder) as session:
        await ingest(session)
    return embedder.save()


def main(argv: list[str] | None = None) -> int:
    """Rebuild the stored corpus vectors, or print what each query returns (for judging)."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.search", description=__doc__)
    parser.add_argument("--rebuild-vectors", action="store_true")
    args = parser.parse_args(argv)
    if args.rebuild_vectors:
        print(f"{VECTORS}: {asyncio.run(_rebuild_vectors())} chunk vectors")
        return 0
    queries, grades = load_golden()
    run = asyncio.run(run_queries(queries, CachedEmbedder(VECTORS, threads=0)))
    titles = {r.external_id: r.title for r in postings([CORPUS])}
    for query in queries:
        print(f"\n## {query} ({run.totals[query]} results)")
        for pid in run.results[query]:
            print(f"  {grades[query].get(pid, '-')}  {pid}  {titles.get(pid, '?')[:80]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
