"""Matching quality: the analysis score against hand-judged (profile, posting, grade) triples.

Golden set: ``tests/eval/matching/golden.json`` (criteria in the README beside it). Each
profile is a resume imported as the product imports it; each posting is read as the analysis
reads a pasted or uploaded posting; the score is the full analysis' match score (JD parsing,
gap, embeddings similarity). Reported: mean nDCG@10 of each profile's postings ranked by score,
Kendall's tau-b between scores and grades over all pairs, and calibration (share of strong
fits, grade 3, scoring >= 75; share of unrelated postings, grade 0, scoring < 20).
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from careergini.analysis import service
from careergini.core.db import utcnow
from careergini.core.embeddings import Embedder
from careergini.documents.text import extract_text_from_document
from careergini.profile.aggregate import ImportInput, merge_imports
from careergini.profile.parsers import parse_document
from careergini.skills.candidate import candidate_from_profile
from careergini.skills.scoring import cosine
from careergini.skills.taxonomy import Taxonomy, load_taxonomy
from evaluation.measures import GOLDEN, REPO, Context, Measure, rounded
from evaluation.metrics import kendall_tau_b, ndcg

GOLDEN_SET = GOLDEN / "matching" / "golden.json"
STRONG, UNRELATED = 75.0, 20.0


def import_profile(path: Path) -> tuple[Any, Any]:
    """Parse a resume file and merge it into a profile, as the importer does."""
    result = parse_document(path.read_bytes(), path.name)
    item = ImportInput(
        id="eval",
        kind=result.document_type.value,
        label=path.name,
        created_at=utcnow(),
        profile=result.profile,
    )
    return result, merge_imports([item], now_year=utcnow().year)


def job_requirements(taxonomy: Taxonomy, jd_text: str) -> Any:
    """Parse a posting into the requirements the analysis scores against."""
    return service.requirements_from_job(service.parse_job(text=jd_text), taxonomy, jd_text)


def analyse(
    embedder: Embedder, taxonomy: Taxonomy, profile: Any, jd_text: str, job: Any = None
) -> tuple:
    """Run the analysis of a profile against a posting: (job, candidate, gap, match).

    ``job`` may hold the posting's requirements already parsed (one parse for many profiles)."""
    job = job if job is not None else job_requirements(taxonomy, jd_text)
    candidate = candidate_from_profile(profile, now_year=utcnow().year)
    gap = service.compute_gap(job, candidate, taxonomy)
    similarity = cosine(
        embedder.embed_document_sync(candidate.experience_text),
        embedder.embed_document_sync(job.text),
    )
    return job, candidate, gap, service.compute_match(job, candidate, gap, similarity)


def posting_text(path: Path) -> str:
    """Read a posting file (text, Markdown, PDF or DOCX) as its text."""
    if path.suffix in (".txt", ".md"):
        return path.read_text(encoding="utf-8")
    return extract_text_from_document(path.read_bytes())


def scores(golden: dict[str, Any], embedder: Embedder) -> dict[str, dict[str, float]]:
    """Return the match score of every graded (profile, posting) pair."""
    taxonomy = load_taxonomy()
    texts = {name: posting_text(REPO / path) for name, path in golden["postings"].items()}
    jobs = {name: job_requirements(taxonomy, text) for name, text in texts.items()}
    out: dict[str, dict[str, float]] = {}
    for person, spec in golden["profiles"].items():
        _, profile = import_profile(REPO / spec["resume"])
        out[person] = {}
        for name in golden["grades"][person]:
            match = analyse(embedder, taxonomy, profile, texts[name], jobs[name])[3]
            out[person][name] = match.score if match.score is not None else 0.0
    return out


def score_ranking(golden: dict[str, Any], scored: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Return nDCG@10 per profile, Kendall's tau-b and calibration of the scores."""
    per_profile = {}
    xs, ys = [], []
    strong, unrelated = [], []
    for person, grades in golden["grades"].items():
        ranked = sorted(grades, key=lambda name: scored[person][name], reverse=True)
        per_profile[person] = ndcg([grades[n] for n in ranked], list(grades.values()), 10)
        for name, grade in grades.items():
            xs.append(scored[person][name])
            ys.append(grade)
            if grade == 3:
                strong.append(scored[person][name])
            if grade == 0:
                unrelated.append(scored[person][name])
    return {
        "ndcg10": statistics.mean(per_profile.values()),
        "per_profile": per_profile,
        "tau": kendall_tau_b(xs, ys),
        "strong": strong,
        "unrelated": unrelated,
        "pairs": len(xs),
    }


def measure(ctx: Context) -> list[Measure]:
    """Return the matching figures on the hand-judged golden set."""
    golden = json.loads(GOLDEN_SET.read_text(encoding="utf-8"))
    # Every core for the one-off embedding of 31 postings (the app's default is one thread).
    result = score_ranking(golden, scores(golden, Embedder(threads=0)))
    data = (
        f"{len(golden['profiles'])} resumes x {len(golden['postings'])} postings, "
        f"{result['pairs']} pairs graded 0-3 by hand"
    )
    strong, unrelated = result["strong"], result["unrelated"]
    worst = min(result["per_profile"].items(), key=lambda kv: kv[1])
    return [
        Measure("matching.ndcg10", rounded(result["ndcg10"]), data),
        Measure("matching.worst_profile_ndcg10", rounded(worst[1]), data, worst[0]),
        Measure("matching.kendall_tau", rounded(result["tau"]), data),
        Measure(
            "matching.strong_fits_at_least_75",
            rounded(sum(s >= STRONG for s in strong) / len(strong)),
            f"{len(strong)} pairs graded 3 (strong fit)",
            f"min {min(strong):.1f}, median {statistics.median(strong):.1f}",
        ),
        Measure(
            "matching.unrelated_below_20",
            rounded(sum(s < UNRELATED for s in unrelated) / len(unrelated)),
            f"{len(unrelated)} pairs graded 0 (unrelated)",
            f"max {max(unrelated):.1f}, median {statistics.median(unrelated):.1f}",
        ),
    ]
