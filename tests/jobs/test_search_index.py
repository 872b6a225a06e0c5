"""The in-memory index: BM25, cosine similarity, reciprocal-rank fusion and filters."""

from __future__ import annotations

import numpy as np

from careergini.jobs.search import Filters, IndexedPosting, OwnerIndex, _project, tokenize


def posting(n: int, title: str, **kw: object) -> IndexedPosting:
    values: dict = {
        "id": f"{n:04d}",
        "origin": "upload",
        "title": title,
        "company": "Acme",
        "location": "New York, NY",
        "url": None,
        "remote": None,
        "seniority": "mid",
        "employment_type": None,
        "status": "open",
        "posted_ts": float(n),
        "salary": (None, None, None, None),
        "skills": (),
        "years_min": None,
        "years_max": None,
        "looks_like_job": True,
    }
    values.update(kw)
    return IndexedPosting(**values)


def unit(*components: float) -> np.ndarray:
    vector = np.zeros(384, dtype=np.float32)
    vector[: len(components)] = components
    return vector / np.linalg.norm(vector)


def build() -> OwnerIndex:
    postings = [
        posting(0, "Python Developer", skills=(("python", "required"), ("sql", "preferred"))),
        posting(
            1,
            "Data Analyst",
            skills=(("sql", "required"), ("excel", "required")),
            remote="remote",
            seniority="junior",
        ),
        posting(2, "Civil Engineer", location="Albany, NY", status="closed"),
        posting(
            3,
            "Software Engineer",
            skills=(("python", "mentioned"),),
            remote="hybrid",
            seniority="senior",
        ),
    ]
    texts = [
        "Build APIs in Python and SQL.",
        "Analyse sales data with SQL and Excel.",
        "Design bridges and roads.",
        "Write backend code for our payments platform.",
    ]
    vectors = np.stack([unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1), unit(0.9, 0, 0.1)])
    return OwnerIndex.build(postings, texts, vectors, version="v1")


def test_tokens_fold_plurals_but_keep_technology_names() -> None:
    assert tokenize("Senior Engineers with C++, C#, Node.js and the services") == [
        "senior",
        "engineer",
        "c++",
        "c#",
        "node.js",
        "service",
    ]


def test_bm25_finds_words_and_vectors_find_meaning() -> None:
    index = build()
    scores = index.lexical_scores("python")
    assert scores[0] > 0 and scores[1] == 0
    sims = index.similarities(unit(1, 0, 0))
    assert int(np.argmax(sims)) == 0


def test_fusion_puts_what_both_rankings_agree_on_first() -> None:
    index = build()
    keep = index.mask(Filters())
    # Words match 0 ("python") and the meaning is near 0, then 3: 0 is first in both.
    ranking = index.hybrid("python", unit(1, 0, 0), keep)
    ids = [index.postings[p].id for p in ranking.positions]
    assert ids == ["0000", "0003", "0001"]
    assert (ranking.lexical_rank[0], ranking.semantic_rank[0]) == (1, 1)
    assert ranking.fused[0] == 2 / 61
    # A posting found only by meaning is still in the results.
    assert (ranking.lexical_rank[1], ranking.semantic_rank[1]) == (0, 2)
    assert 2 not in ranking.positions.tolist()  # closed postings are left out
    assert len(index.hybrid("python", None, np.zeros(4, dtype=bool))) == 0


def test_the_reduced_scan_finds_the_same_neighbours() -> None:
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((40, 384)).astype(np.float32)
    vectors = centres[rng.integers(0, 40, 3000)] + 0.3 * rng.standard_normal((3000, 384))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    postings = [posting(n, f"Job {n}") for n in range(3000)]
    index = OwnerIndex.build(postings, [""] * 3000, vectors, version="v")
    assert index.reduced is None  # small: exact
    query = vectors[17]
    exact = set(np.argsort(-(vectors @ query))[:50].tolist())
    index.projection, index.reduced = _project(index.vectors)
    assert index.reduced.shape == (3000, 128)
    found, similarities = index.nearest(query, np.arange(3000), 50)
    assert len(exact & set(found.tolist())) >= 45
    assert found[0] == 17 and abs(similarities[0] - 1.0) < 1e-5  # exact re-scoring


def test_filters() -> None:
    index = build()

    def ids(**kw: object) -> list[str]:
        return [index.postings[i].id for i in np.flatnonzero(index.mask(Filters(**kw)))]

    assert ids() == ["0000", "0001", "0003"]
    assert ids(include_closed=True) == ["0000", "0001", "0002", "0003"]
    assert ids(remote=frozenset({"remote", "hybrid"})) == ["0001", "0003"]
    assert ids(seniority=frozenset({"senior"})) == ["0003"]
    assert ids(skills=("python", "sql")) == ["0000"]
    assert ids(skills=("rust",)) == []
    assert ids(location="albany", include_closed=True) == ["0002"]
    assert ids(posted_after_ts=1.0) == ["0001", "0003"]


def test_newest_first_and_skill_prescore() -> None:
    index = build()
    newest = index.newest(index.mask(Filters()), 10)
    assert [index.postings[p].id for p in newest.positions] == ["0003", "0001", "0000"]
    shares = index.skill_prescore(["python"])
    # 0: python required of {python required} -> 1; 1: none of sql, excel; 3: all it names.
    assert shares[0] == 1.0 and shares[1] == 0.0 and shares[3] == 1.0
