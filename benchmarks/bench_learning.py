"""Learning benchmarks: roadmap latency without an LLM, and roadmap coverage of reference roadmaps.

    python benchmarks/bench_learning.py [--data ../shared/data] [--runs 200] [--http-runs 50]

1. Latency of building a roadmap without an LLM (target p95 <= 200 ms):
   - the pipeline in process: resolve the target, read the gap, plan (--runs runs per target);
   - the whole endpoint, POST /api/learning/roadmaps, through the ASGI app on the embedded
     stack (SQLite, auth, storing the plan; LLM writing off), --http-runs runs.
2. Coverage, for a person with an empty profile at 10 h/week: for each roadmap of
   AMAI-GmbH/AI-Expert-Roadmap (``roadmaps/roadmap_node_labels.json``) and the roles a user
   would pick for it, how many of the roadmap's topics and of O*NET's Hot Technologies for the
   occupation the generated roadmap covers. A topic is covered when a scheduled task teaches it
   by name, or when it names (taxonomy name, alias or extraction) a skill the roadmap schedules.
   Labels that only structure the drawings ("Tools", "Principles", links) are not topics.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careergini.core.db import utcnow  # noqa: E402
from careergini.learning import service  # noqa: E402
from careergini.learning.catalogue import load_catalogue  # noqa: E402
from careergini.learning.quizzes import load_bank  # noqa: E402
from careergini.profile.aggregate import ImportInput, merge_imports  # noqa: E402
from careergini.profile.parsers import parse_document  # noqa: E402
from careergini.skills.candidate import candidate_from_profile  # noqa: E402
from careergini.skills.extraction import extract_skill_ids  # noqa: E402
from careergini.skills.taxonomy import load_roles, load_taxonomy  # noqa: E402
from evaluation.roadmaps import build, empty_person  # noqa: E402

ESCO_DATA_SCIENTIST = "esco:258e46f9-0075-4a2e-adae-1ff0477e0f30"
# "machine learning engineer" is an alternate title of ESCO's artificial intelligence engineer.
ESCO_AI_ENGINEER = "esco:35553663-deab-4d9a-bf22-15c1625d28e8"
ESCO_DATA_ENGINEER = "esco:2079755f-d809-49e6-8037-4de6180e54c0"
# Roadmap -> (roles to plan for, the O*NET occupation whose Hot Technologies are the yardstick).
# The roles are the exact-title matches a user gets for the roadmap's job title.
ROADMAP_ROLES = {
    "datascience": ([ESCO_DATA_SCIENTIST, "onet:15-2051.00"], "onet:15-2051.00"),
    "machine_learning": ([ESCO_AI_ENGINEER, "onet:15-1221.00"], "onet:15-1221.00"),
    "deep_learning": ([ESCO_AI_ENGINEER, "onet:15-1221.00"], "onet:15-1221.00"),
    "data_engineer": ([ESCO_DATA_ENGINEER, "onet:15-1243.00"], "onet:15-1243.00"),
    "big_data_engineer": (["onet:15-1243.01", "onet:15-1243.00"], "onet:15-1243.01"),
}
# Labels of the drawings that are structure or links, not topics to learn (reviewed by hand).
NOT_TOPICS = {
    "Architectural Patterns & Best Practices (video)",
    "Architectures",
    "Available Options",
    "Awesome Deep Learning",
    "Awesome Production ML",
    "Awesome Public Datasets",
    "Basics",
    "Check the Awesome Big Data List",
    "Choose your path",
    "Cloud Services",
    "Databases",
    "Deep Learning Papers Reading Roadmap",
    "General",
    "Important libraries",
    "Interactive version on i.am.ai/roadmap",
    "Legend",
    "Methods",
    "Model optimization (advanced)",
    "Papers",
    "Papers with code - state of the art",
    "Personal Recommendation!",
    "Principles",
    "Required for any path",
    "Some boxes link to additional resources",
    "Tools",
    "Training",
    "Use Cases",
    "to get data (e.g. logging), search, analyze and visualize it in realtime",
}
SAMPLE_JD = ROOT / "tests" / "fixtures" / "jds" / "backend-eng.txt"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pipeline(target_role: str | None, jd: str | None, candidate: Any) -> dict:
    """What POST /api/learning/roadmaps computes, minus the database and the LLM."""
    resolved = service.resolve_target(target_role=target_role, job_description=jd)
    return build(resolved, candidate)


def sample_candidate(data: Path) -> Any:
    fixtures = ROOT / "tests" / "fixtures" / "resumes" / "rendercv"
    resume = next(fixtures.glob("*Classic*.pdf"), None)
    if resume is None:
        resume = next((data / "resumes" / "rendercv").glob("*Classic*.pdf"))
    result = parse_document(resume.read_bytes(), resume.name)
    item = ImportInput(
        id="b", kind="pdf", label=resume.name, created_at=utcnow(), profile=result.profile
    )
    profile = merge_imports([item], now_year=utcnow().year)
    return candidate_from_profile(profile, now_year=utcnow().year)


def bench_pipeline(runs: int, data: Path) -> None:
    _, empty = asyncio.run(_empty_person())
    person = sample_candidate(data)
    jd = SAMPLE_JD.read_text()
    cases = [
        ("role id, O*NET Data Scientists", "onet:15-2051.00", None, empty),
        ("role title, 'web developer' (ESCO)", "web developer", None, empty),
        ("role title, 'Software Developers'", "Software Developers", None, person),
        ("job description (backend-eng.txt)", None, jd, person),
    ]
    print("\nRoadmap pipeline without an LLM (resolve target, gap, plan), in process")
    print("| target | profile | runs | units | weeks | p50 ms | p95 ms | target p95 |")
    print("|---|---|---|---|---|---|---|---|")
    for label, role, text, candidate in cases:
        plan = pipeline(role, text, candidate)  # warm caches (taxonomy, parser)
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            pipeline(role, text, candidate)
            timings.append((time.perf_counter() - started) * 1000)
        who = "empty" if not candidate.skills else f"{len(candidate.skills)} skills"
        print(
            f"| {label} | {who} | {runs} | {len(plan['units'])} | {plan['weeks_total']} | "
            f"{statistics.median(timings):.1f} | {percentile(timings, 0.95):.1f} | <= 200 |"
        )


async def _empty_person() -> tuple[None, Any]:
    return None, empty_person()


async def bench_http(runs: int) -> None:
    import httpx

    from careergini.app import create_app
    from careergini.config import Settings
    from careergini.core import migrate
    from careergini.runtime.resources import build_resources

    workdir = Path(tempfile.mkdtemp(prefix="bench-learning-"))
    try:
        url = f"sqlite:///{workdir / 'bench.db'}"
        migrate.upgrade(url)
        settings = Settings(
            _env_file=None,
            env="test",
            data_dir=workdir,
            database_url=url,
            secret_key="bench-secret-key-that-is-long-enough-0123456789",
            learning_use_llm=False,
            ai_rate_limit_per_minute=100_000,
            rate_limit_per_minute=100_000,
            log_level="ERROR",
        )
        resources = build_resources(settings)
        app = create_app(resources=resources)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                creds = {"email": "bench@example.com", "password": "a long bench password"}
                await client.post("/api/auth/register", json=creds)
                token = (await client.post("/api/auth/login", json=creds)).json()["access_token"]
                client.cookies.clear()
                headers = {"Authorization": f"Bearer {token}"}
                body = {"target_role": "onet:15-2051.00", "hours_per_week": 10}
                first = await client.post("/api/learning/roadmaps", json=body, headers=headers)
                assert first.status_code == 201, first.text
                timings = []
                for _ in range(runs):
                    started = time.perf_counter()
                    response = await client.post(
                        "/api/learning/roadmaps", json=body, headers=headers
                    )
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 201
        await resources.aclose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\nPOST /api/learning/roadmaps (O*NET Data Scientists, empty profile), embedded stack,")
    print("LLM writing off: auth, gap, plan, JSON response and the row stored in SQLite")
    print("| runs | p50 ms | p95 ms | target p95 |\n|---|---|---|---|")
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"| {runs} | {p50:.1f} | {p95:.1f} | <= 200 |")


def covered_topics(plan: dict, topics: list[str]) -> list[str]:
    taxonomy = load_taxonomy()
    taught = {t.casefold() for w in plan["weeks"] for task in w["tasks"] for t in task["topics"]}
    skills = {u["skill_id"] for u in plan["units"]}
    skills |= {c for u in plan["units"] for c in u["covers"]}
    found = []
    for topic in topics:
        if topic.casefold() in taught:
            found.append(topic)
            continue
        named = taxonomy.by_name(topic)
        ids = {named.id} if named else extract_skill_ids(topic, taxonomy)
        if ids & skills:
            found.append(topic)
    return found


def bench_coverage(data: Path) -> None:
    path = data / "roadmaps" / "roadmap_node_labels.json"
    if not path.is_file():
        path = ROOT / "tests" / "fixtures" / "roadmaps" / "roadmap_node_labels.json"
    labels: dict[str, list[str]] = json.loads(path.read_text())
    roles = load_roles()
    print("\nCoverage of the AI-Expert-Roadmap topics and of O*NET's Hot Technologies")
    print("(empty profile, 10 h/week, no month limit given; the 24-month cap applies)")
    print(
        "| roadmap | role planned | scope | skills | months | roadmap topics | "
        "O*NET hot technologies (occupation) |"
    )
    print("|---|---|---|---|---|---|---|")
    _, empty = asyncio.run(_empty_person())
    for name, (role_ids, onet_id) in ROADMAP_ROLES.items():
        topics = [t for t in dict.fromkeys(labels[name][1:]) if t not in NOT_TOPICS]
        hot = set(roles.get(onet_id).hot_technology_ids)  # type: ignore[union-attr]
        for role_id in role_ids:
            resolved = service.resolve_target(target_role=role_id, job_description=None)
            scopes = ["core", "full"] if role_id.startswith("onet:") else ["core"]
            for scope in scopes:
                plan = build(resolved, empty, scope=scope)
                found = covered_topics(plan, topics)
                planned = {u["skill_id"] for u in plan["units"]}
                planned |= {c for u in plan["units"] for c in u["covers"]}
                hits = len(hot & planned)
                title = roles.get(role_id).title  # type: ignore[union-attr]
                print(
                    f"| {name} | {title} ({role_id.split(':')[0]}) | {scope} | "
                    f"{len(plan['units'])} | {plan['months_total']} | "
                    f"{len(found)}/{len(topics)} ({100 * len(found) / len(topics):.0f}%) | "
                    f"{hits}/{len(hot)} ({100 * hits / len(hot):.0f}%) "
                    f"{roles.get(onet_id).title} |"  # type: ignore[union-attr]
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--http-runs", type=int, default=50)
    args = parser.parse_args()
    load_taxonomy(), load_roles(), load_catalogue(), load_bank()  # loaded once per process
    bench_pipeline(args.runs, args.data)
    asyncio.run(bench_http(args.http_runs))
    bench_coverage(args.data)


if __name__ == "__main__":
    main()
