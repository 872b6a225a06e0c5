"""Skills analysis benchmarks: latency of a full analysis, scoring throughput, ranking quality.

    python benchmarks/bench_analysis.py [--data ../shared/data] [--runs 200]

1. Full analysis (parse JD + gap + match + ATS) of a 2-page resume profile against a one-page JD,
   with warm embeddings (the embedder caches documents by content): p50 / p95 over --runs runs.
2. Throughput of scoring one profile against 1,000 parsed jobs whose vectors are precomputed
   (as job ingestion stores them): jobs per second.
3. Ranking quality on the resume-matcher fixtures: each resume is scored against every JD (text,
   PDF, DOCX); the mean reciprocal rank of the first JD of the resume's own role.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careergini.analysis import service  # noqa: E402
from careergini.core.db import utcnow  # noqa: E402
from careergini.core.embeddings import Embedder  # noqa: E402
from careergini.documents.text import extract_text_from_document  # noqa: E402
from careergini.skills.ats import LayoutFacts, ats_report  # noqa: E402
from careergini.skills.candidate import candidate_from_profile  # noqa: E402
from careergini.skills.extraction import extract_skills  # noqa: E402
from careergini.skills.scoring import cosine  # noqa: E402
from careergini.skills.taxonomy import load_taxonomy  # noqa: E402
from evaluation.matching import analyse, import_profile  # noqa: E402

# Which job descriptions are "the resume's own role" (by file name).
RELEVANT = {
    "alfred_pennyworth_pm": ("product-manager", "product_manager", "Senior Product Manager"),
    "barry_allen_fe": ("frontend-eng", "front_end_engineer", "HTML Developer", "Web Developer",
                       "Web_dev_job"),
    "harvey_dent_mle": ("ml-eng", "Data Scientist"),
    "bruce_wayne_fullstack": ("full_stack_engineer", "backend-eng", "Web Developer",
                              "Backend Developer", "Senior Software Developer"),
    "john_doe": ("java_developer", "full_stack_engineer", "Backend Developer",
                 "Senior Software Developer", "backend-eng"),
}  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def full_analysis(embedder: Embedder, taxonomy, result, profile, jd_text: str) -> float | None:
    job, _, gap, match = analyse(embedder, taxonomy, profile, jd_text)
    basics = result.profile.basics
    ats_report(
        job=job,
        resume_text=result.text,
        document_skills={m.skill_id: m.surface for m in extract_skills(result.text)},
        contact={"email": basics.email, "phone": basics.phone, "location": basics.location},
        work_dates=[(w.start, w.end, w.current) for w in result.profile.work],
        parse_warnings=result.warnings,
        layout=LayoutFacts(),
        profile_skills={m.skill_id: m.via for m in gap.matched},
    )
    return match.score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    fixtures = ROOT / "tests" / "fixtures" / "resumes"
    matcher = args.data / "resumes" / "resume-matcher"
    if not matcher.is_dir():
        sys.exit(f"{matcher} not found: pass --data <path to shared/data>")
    taxonomy = load_taxonomy()
    embedder = Embedder()

    resume = next((fixtures / "rendercv").glob("*Classic*.pdf"), None) or next(
        (matcher / "resumes_pdf").glob("*.pdf")
    )
    result, profile = import_profile(resume)
    jd = (matcher / "e2e_fixtures" / "jds" / "backend-eng.txt").read_text()
    full_analysis(embedder, taxonomy, result, profile, jd)  # warm the model and the cache
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        full_analysis(embedder, taxonomy, result, profile, jd)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"\nFull analysis (parse JD + gap + match + ATS), {resume.name} vs backend-eng.txt")
    print("| runs | p50 ms | p95 ms | target p95 |\n|---|---|---|---|")
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"| {args.runs} | {p50:.1f} | {p95:.1f} | <= 50 |")

    # Throughput: 1,000 parsed jobs with stored vectors, scored against one profile.
    jd_files = sorted((matcher / "e2e_fixtures" / "jds").glob("*.txt"))
    texts = [p.read_text() for p in jd_files]
    jobs = []
    for n in range(1000):
        text = texts[n % len(texts)]
        parsed = service.parse_job(text=text)
        job = service.requirements_from_job(parsed, taxonomy, text)
        jobs.append((job, embedder.embed_document_sync(text)))
    candidate = candidate_from_profile(profile, now_year=utcnow().year)
    person = embedder.embed_document_sync(candidate.experience_text)
    started = time.perf_counter()
    for job, vector in jobs:
        gap = service.compute_gap(job, candidate, taxonomy)
        service.compute_match(job, candidate, gap, cosine(person, vector))
    elapsed = time.perf_counter() - started
    print("\nScoring one profile against 1,000 parsed jobs (vectors precomputed)")
    print("| jobs | seconds | jobs/s | target |\n|---|---|---|---|")
    print(f"| 1000 | {elapsed:.2f} | {1000 / elapsed:.0f} | >= 500 |")

    # Ranking quality.
    jd_paths = sorted(
        [*(matcher / "e2e_fixtures" / "jds").glob("*.txt"), *(matcher / "jd_pdf").glob("*.pdf"),
         *(matcher / "jd_docx").glob("*.docx")]
    )  # fmt: skip
    jd_texts = {p: extract_text_from_document(p.read_bytes()) for p in jd_paths}
    print("\nRanking: each resume against every JD (resume-matcher fixtures)")
    print("| resume | best JD | score | rank of own role |\n|---|---|---|---|")
    reciprocal = []
    for resume_path in sorted((matcher / "resumes_pdf").glob("*.pdf")):
        result, profile = import_profile(resume_path)
        scored = []
        for path, text in jd_texts.items():
            score = full_analysis(embedder, taxonomy, result, profile, text)
            scored.append((score if score is not None else -1.0, path))
        scored.sort(key=lambda item: item[0], reverse=True)
        wanted = RELEVANT[resume_path.stem]
        rank = next(n for n, (_, p) in enumerate(scored, 1) if any(w in p.stem for w in wanted))
        reciprocal.append(1 / rank)
        print(f"| {resume_path.stem} | {scored[0][1].name} | {scored[0][0]:.1f} | {rank} |")
    print(f"\nMean reciprocal rank over {len(reciprocal)} resumes and {len(jd_paths)} JDs: "
          f"{statistics.mean(reciprocal):.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
