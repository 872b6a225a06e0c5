"""The measures behind `make eval`: ranking metrics, golden-set integrity, the suites' checks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from evaluation import matching, roadmaps, search
from evaluation.jobs_corpus import postings, records
from evaluation.metrics import Counts, kendall_tau_b, ndcg, percentile
from evaluation.vector_cache import CachedEmbedder

REPO = Path(__file__).resolve().parents[2]


def test_ndcg_of_the_ideal_order_is_one_and_of_the_reverse_less() -> None:
    gains = [3, 2, 0, 1]
    assert ndcg(sorted(gains, reverse=True), gains) == pytest.approx(1.0)
    # (2^1-1)/log2(2) + (2^0-1)... by hand: reverse order 0,1,2,3
    reverse = [0, 1, 2, 3]
    dcg = 0 + 1 / math.log2(3) + 3 / math.log2(4) + 7 / math.log2(5)
    ideal = 7 + 3 / math.log2(3) + 1 / math.log2(4)
    assert ndcg(reverse, gains) == pytest.approx(dcg / ideal)
    assert ndcg([0, 0], [0, 0]) == 0.0


def test_kendall_tau_b_matches_hand_counts() -> None:
    assert kendall_tau_b([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert kendall_tau_b([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    # pairs: (1,2) concordant, (1,3) concordant, (2,3) tied in y -> tau-b = 2 / sqrt(3 * 2)
    assert kendall_tau_b([1, 2, 3], [0, 1, 1]) == pytest.approx(2 / math.sqrt(6))
    with pytest.raises(ValueError):
        kendall_tau_b([1], [1, 2])


def test_counts_and_percentile() -> None:
    c = Counts(tp=3, fp=1, fn=2)
    assert (c.precision, c.recall) == (0.75, 0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert percentile([5, 1, 4, 2, 3], 0.5) == 3


def test_search_golden_set_names_only_postings_of_its_corpus() -> None:
    ids = {r["id"] for r in records(search.CORPUS)}
    assert len(ids) == 200
    queries, grades = search.load_golden()
    assert len(queries) >= 30
    for query, judged in grades.items():
        assert judged, query
        assert set(judged) <= ids, query
        assert set(judged.values()) <= {0, 1, 2, 3}


def test_search_score_counts_zero_result_queries_and_skips_ungraded_ones() -> None:
    run = search.SearchRun(results={"a": ["p1", "p9"], "b": [], "c": ["p3"]})
    grades = {"a": {"p1": 3, "p2": 2}, "b": {"p5": 3}, "c": {"p3": 0}}
    scored = search.score(run, grades)
    assert scored["zero_result"] == ["b"]
    ideal = 7 + 3 / math.log2(3)
    assert scored["per_query"]["a"]["ndcg10"] == pytest.approx(7 / ideal)
    # "c" has nothing worth finding: it has no nDCG
    assert scored["ndcg10"] == pytest.approx((7 / ideal + 0.0) / 2)


def test_matching_golden_set_is_complete_and_its_files_exist() -> None:
    golden = json.loads(matching.GOLDEN_SET.read_text())
    for spec in golden["profiles"].values():
        assert (REPO / spec["resume"]).is_file()
    for path in golden["postings"].values():
        assert (REPO / path).is_file()
    for person, grades in golden["grades"].items():
        assert set(grades) == set(golden["postings"]), person
        assert set(grades.values()) <= {0, 1, 2, 3}


def test_matching_ranking_figures_from_scores() -> None:
    golden = {"grades": {"p": {"a": 3, "b": 0, "c": 1}}}
    perfect = matching.score_ranking(golden, {"p": {"a": 90.0, "b": 5.0, "c": 40.0}})
    assert perfect["ndcg10"] == pytest.approx(1.0)
    assert perfect["tau"] == pytest.approx(1.0)
    assert perfect["strong"] == [90.0] and perfect["unrelated"] == [5.0]
    wrong = matching.score_ranking(golden, {"p": {"a": 5.0, "b": 90.0, "c": 40.0}})
    assert wrong["ndcg10"] < 0.6 and wrong["tau"] < 0


def test_roadmap_checks_see_a_retaught_skill_and_an_overfull_week() -> None:
    plan = {
        "units": [{"skill_id": "python", "covers": []}],
        "weeks": [
            {"index": 1, "tasks": [{"kind": "study", "skill_id": "python", "hours": 6}]},
            {"index": 2, "tasks": [{"kind": "study", "skill_id": "sql", "hours": 11}]},
        ],
    }
    assert roadmaps.retaught(plan, {"python"}) == ["python"]
    assert roadmaps.retaught(plan, {"go"}) == []
    assert roadmaps.over_hours(plan, 10) == [2]


def test_a_real_roadmap_skips_what_the_java_developer_knows() -> None:
    person = roadmaps.person(roadmaps.PEOPLE["java developer"])
    assert "java" in person.skills
    role = next(r for r in roadmaps.load_tech_roles() if r.slug == "backend-developer")
    resolved = roadmaps.service.resolve_target(target_role=role.role_id, job_description=None)
    plan = roadmaps.build(resolved, person, hours_per_week=5)
    assert plan["units"]
    assert roadmaps.retaught(plan, set(person.skills)) == []
    assert roadmaps.over_hours(plan, 5) == []


def test_stored_vectors_are_the_models_and_a_changed_one_is_caught(tmp_path: Path) -> None:
    corpus = postings([search.CORPUS])[:1]
    text = corpus[0].description[:500]
    stored = CachedEmbedder(search.VECTORS)
    assert stored.vectors, "tests/eval/search/vectors.npz was made by other weights"
    live = np.asarray(CachedEmbedder(tmp_path / "none.npz").embed_sync([text])[0])
    # a text the file does not hold is computed by the model, and recorded
    cache = CachedEmbedder(tmp_path / "v.npz")
    assert np.allclose(cache.embed_sync([text])[0], live, atol=1e-5)
    assert cache.misses == 1 and cache.save() == 1
    again = CachedEmbedder(tmp_path / "v.npz")
    assert np.allclose(again.embed_sync([text])[0], live, atol=2e-3)
    assert again.hits == 1 and again.misses == 0
    again.check()
    key = next(iter(again.vectors))
    again.vectors[key] = -again.vectors[key]
    with pytest.raises(RuntimeError, match="disagrees with the model"):
        again.check()


def test_jd_parsing_counts_fields_and_required_skills() -> None:
    from evaluation import jd_parsing

    assert jd_parsing._same("title", ["A", "Software Engineer"], "software engineer")
    assert not jd_parsing._same("seniority", "senior", "staff")
    golden = {
        "postings": {
            "tests/fixtures/jds/sr_data_engineer_hybrid.md": {
                "tuned": True,
                "title": "Sr. Data Engineer",
                "company": "Someone Else",
                "location": None,
                "remote": "hybrid",
                "employment": "full-time",
                "seniority": "senior",
                "min_years": 3,
                "required": ["Python", "SQL", "No Such Skill Anywhere"],
                "acceptable": ["dbt", "Docker"],
            }
        }
    }
    result = jd_parsing.evaluate(golden)
    assert result["fields"]["title"].tp == 1
    assert (result["fields"]["company"].fp, result["fields"]["company"].fn) == (1, 1)
    assert result["fields"]["location"].fp == 1  # Berlin found where the truth says nothing
    skills = result["skills"]["tuned"]
    assert (skills.tp, skills.fp, skills.fn) == (2, 0, 1)
    assert result["unknown"] == ["No Such Skill Anywhere"]
