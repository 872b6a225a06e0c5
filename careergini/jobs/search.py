"""The in-memory search index of one owner's postings: BM25 (bm25s) over title and description,
cosine similarity over the stored embeddings, filters as boolean masks, and reciprocal-rank
fusion of the two rankings.

Pure and synchronous: built from rows in a worker thread, queried in milliseconds. Chroma holds
the same vectors for the rest of the product, but a filtered Chroma query over 100,000 rows takes
~400 ms on this machine, so the index keeps the float32 matrix itself. Past 20,000 postings a scan
reads a 128-dimension PCA projection of it (a third of the memory traffic) to pick candidates,
and the candidates are re-scored with the full vectors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import bm25s
import numpy as np
from bm25s.tokenization import Tokenized
from scipy import sparse

from careergini.core.embeddings import DIMENSION
from careergini.skills.schemas import JobRequirements

RRF_K = 60
LEXICAL_LIMIT = 1000  # BM25 hits fused at most
SEMANTIC_LIMIT = 200  # nearest neighbours fused at most
REDUCE_ABOVE = 20_000  # postings; below this the exact scan is already cheap
REDUCED_DIMS = 128
RESCORE = 5  # candidates per wanted neighbour re-scored exactly after a reduced scan
REMOTE_CODES = {"remote": 1, "hybrid": 2, "onsite": 3}
SENIORITY_CODES = {
    "intern": 1,
    "junior": 2,
    "mid": 3,
    "senior": 4,
    "staff": 5,
    "lead": 6,
    "manager": 7,
}
# How firmly a posting asks for a skill (the match engine's RequiredSkill.importance).
Importance = Literal["required", "preferred", "mentioned"]
# Weight of a skill in the quick pre-score of recommendations, by how firmly the job asks it.
_REQUIRED_WEIGHT = {"required": 1.0, "mentioned": 0.5}
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "we",
        "will",
        "with",
        "you",
        "your",
        "who",
        "what",
        "when",
        "where",
        "which",
        "while",
        "within",
        "not",
        "but",
        "all",
        "any",
        "can",
        "may",
        "must",
        "should",
        "would",
        "about",
        "into",
        "over",
        "per",
        "via",
        "etc",
        "such",
        "than",
        "then",
        "them",
        "they",
        "these",
        "those",
        "was",
        "were",
        "been",
        "being",
        "also",
        "more",
        "most",
        "other",
        "some",
    ]
)
_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9]+)*")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens without stopwords, plural "s" removed ("engineers" = "engineer")."""
    tokens = []
    for token in _TOKEN_RE.findall(text.casefold()):
        if token in _STOPWORDS or (len(token) < 2 and not token.isdigit()):
            continue
        if (
            len(token) > 3
            and token.endswith("s")
            and not token.endswith(("ss", "us", "is"))
            and "." not in token
        ):
            token = token[:-1]
        tokens.append(token)
    return tokens


@dataclass(slots=True)
class IndexedPosting:
    """What search and ranking need of a posting, without its text."""

    id: str
    origin: str
    title: str
    company: str | None
    location: str | None
    url: str | None
    remote: str | None
    seniority: str | None
    employment_type: str | None
    status: str
    posted_ts: float  # posted, else first seen (epoch seconds)
    salary: tuple[float | None, float | None, str | None, str | None]
    skills: tuple[tuple[str, Importance], ...]  # (skill_id, importance)
    years_min: float | None
    years_max: float | None
    looks_like_job: bool


@dataclass(slots=True)
class Filters:
    location: str | None = None
    remote: frozenset[str] = frozenset()
    seniority: frozenset[str] = frozenset()
    skills: tuple[str, ...] = ()  # skill ids; a posting must name all of them
    posted_after_ts: float | None = None
    include_closed: bool = False


@dataclass(slots=True)
class Ranking:
    """Postings in rank order: positions in the index, their fused score, and their rank in
    the word (BM25) and meaning (vector) rankings (0: not in that ranking)."""

    positions: np.ndarray
    fused: np.ndarray
    lexical_rank: np.ndarray
    semantic_rank: np.ndarray

    def __len__(self) -> int:
        return int(self.positions.size)

    @classmethod
    def empty(cls) -> Ranking:
        nothing = np.zeros(0, dtype=np.int64)
        return cls(nothing, np.zeros(0), nothing, nothing)


@dataclass
class OwnerIndex:
    """Every posting of one owner, searchable."""

    postings: list[IndexedPosting]
    vectors: np.ndarray  # (n, 384) float32, unit rows (zeros when a posting has no vector)
    version: str
    retriever: bm25s.BM25 | None = None
    vocab: dict[str, int] = field(default_factory=dict)
    open_mask: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    remote_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    seniority_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    posted: np.ndarray = field(default_factory=lambda: np.zeros(0))
    location_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    location_names: list[str] = field(default_factory=list)
    projection: np.ndarray | None = None  # (384, 128) principal components, or None
    reduced: np.ndarray | None = None  # (n, 128) projected vectors
    # Each posting's requirements as the match score reads them, computed lazily.
    memo: dict[int, JobRequirements] = field(default_factory=dict)
    skill_columns: dict[str, int] = field(default_factory=dict)
    skill_any: sparse.csc_matrix | None = None
    required_weights: sparse.csr_matrix | None = None
    required_totals: np.ndarray = field(default_factory=lambda: np.zeros(0))
    position: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        postings: list[IndexedPosting],
        texts: Sequence[str],
        vectors: np.ndarray,
        *,
        version: str,
    ) -> OwnerIndex:
        """Index postings with their searchable texts (title first) and vectors."""
        index = cls(
            postings=postings, vectors=vectors.astype(np.float32, copy=False), version=version
        )
        n = len(postings)
        index.position = {p.id: i for i, p in enumerate(postings)}
        vocab: dict[str, int] = {"": 0}
        ids: list[list[int]] = []
        for posting, text in zip(postings, texts, strict=True):
            # The title counts twice: a word in the title says more than one in the benefits.
            tokens = tokenize(posting.title) * 2 + tokenize(text)
            ids.append([vocab.setdefault(t, len(vocab)) for t in tokens] or [0])
        index.vocab = vocab
        if n:
            retriever = bm25s.BM25()
            retriever.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
            index.retriever = retriever
        index.open_mask = np.array([p.status == "open" for p in postings], dtype=bool)
        index.remote_codes = np.array(
            [REMOTE_CODES.get(p.remote or "", 0) for p in postings], dtype=np.int8
        )
        index.seniority_codes = np.array(
            [SENIORITY_CODES.get(p.seniority or "", 0) for p in postings], dtype=np.int8
        )
        index.posted = np.array([p.posted_ts for p in postings], dtype=np.float64)
        names: dict[str, int] = {}
        index.location_codes = np.array(
            [names.setdefault((p.location or "").casefold(), len(names)) for p in postings],
            dtype=np.int32,
        )
        index.location_names = list(names)
        if n > REDUCE_ABOVE:
            index.projection, index.reduced = _project(index.vectors)
        columns: dict[str, int] = {}
        rows, cols, weights = [], [], []
        for row, posting in enumerate(postings):
            for skill_id, importance in posting.skills:
                col = columns.setdefault(skill_id, len(columns))
                rows.append(row)
                cols.append(col)
                weights.append(_REQUIRED_WEIGHT.get(importance, 0.0))
        shape = (n, max(1, len(columns)))
        presence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        presence.sum_duplicates()
        presence.data[:] = 1.0
        index.skill_columns = columns
        index.skill_any = presence.tocsc()
        required = sparse.csr_matrix((np.array(weights), (rows, cols)), shape=shape)
        index.required_weights = required
        index.required_totals = np.asarray(required.sum(axis=1)).ravel()
        return index

    def __len__(self) -> int:
        return len(self.postings)

    # --- filtering ----------------------------------------------------------------------------

    def mask(self, filters: Filters) -> np.ndarray:
        """Return which postings pass the filters."""
        n = len(self.postings)
        keep = np.ones(n, dtype=bool) if filters.include_closed else self.open_mask.copy()
        if filters.remote:
            codes = [REMOTE_CODES[r] for r in filters.remote if r in REMOTE_CODES]
            keep &= np.isin(self.remote_codes, codes)
        if filters.seniority:
            codes = [SENIORITY_CODES[s] for s in filters.seniority if s in SENIORITY_CODES]
            keep &= np.isin(self.seniority_codes, codes)
        if filters.posted_after_ts is not None:
            keep &= self.posted >= filters.posted_after_ts
        if filters.skills:
            for skill_id in filters.skills:
                col = self.skill_columns.get(skill_id)
                if col is None or self.skill_any is None:
                    return np.zeros(n, dtype=bool)
                has = np.zeros(n, dtype=bool)
                column = self.skill_any[:, col]
                has[column.indices] = True
                keep &= has
        if filters.location:
            needle = filters.location.casefold().strip()
            codes = [code for code, name in enumerate(self.location_names) if needle in name]
            keep &= np.isin(self.location_codes, codes)
        return keep

    # --- scoring ------------------------------------------------------------------------------

    def lexical_scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self.vocab]
        if not tokens or self.retriever is None:
            return np.zeros(len(self.postings), dtype=np.float32)
        return self.retriever.get_scores(tokens)

    def similarities(self, vector: Sequence[float] | np.ndarray) -> np.ndarray:
        """Exact cosine similarity of every posting to a unit vector."""
        query = np.asarray(vector, dtype=np.float32)
        if len(self.postings) == 0:
            return np.zeros(0, dtype=np.float32)
        return self.vectors @ query

    def rough_similarities(self, vector: Sequence[float] | np.ndarray) -> np.ndarray:
        """Similarity for picking candidates: exact, or from the reduced vectors past 20,000.

        Up to a constant (the mean's part, the same for every posting) this is the projection
        of the similarity on the top principal components: fine for ranking candidates.
        """
        if self.reduced is None or self.projection is None:
            return self.similarities(vector)
        query = np.asarray(vector, dtype=np.float32)
        return self.reduced @ (query @ self.projection)

    def nearest(
        self, vector: Sequence[float] | np.ndarray, allowed: np.ndarray, limit: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``limit`` postings among ``allowed`` nearest a vector: (positions, similarities),
        best first, with exact similarities."""
        query = np.asarray(vector, dtype=np.float32)
        values = self.rough_similarities(query)[allowed]
        wanted = min(limit * (RESCORE if self.reduced is not None else 1), values.size)
        if wanted <= 0:
            return allowed[:0], np.zeros(0, dtype=np.float32)
        if wanted < values.size:
            picked = allowed[np.argpartition(-values, wanted - 1)[:wanted]]
        else:
            picked = allowed
        exact = self.vectors[picked] @ query
        order = np.argsort(-exact, kind="stable")[:limit]
        return picked[order], exact[order]

    def hybrid(
        self, query: str, vector: Sequence[float] | np.ndarray | None, keep: np.ndarray
    ) -> Ranking:
        """Fuse the BM25 and the vector rankings of the postings in ``keep`` (RRF, k=60).

        Ties keep index order (oldest posting first), so a ranking is the same every time.
        """
        allowed = np.flatnonzero(keep)
        if allowed.size == 0:
            return Ranking.empty()
        lexical = self.lexical_scores(query)[allowed]
        positive = np.flatnonzero(lexical > 0)
        order = positive[np.argsort(-lexical[positive], kind="stable")][:LEXICAL_LIMIT]
        lexical_ranked = allowed[order]
        semantic_ranked = np.zeros(0, dtype=np.int64)
        if vector is not None:
            semantic_ranked, _ = self.nearest(vector, allowed, SEMANTIC_LIMIT)
        both = np.concatenate([lexical_ranked, semantic_ranked])
        if both.size == 0:
            return Ranking.empty()
        ranks = np.concatenate(
            [np.arange(1, lexical_ranked.size + 1), np.arange(1, semantic_ranked.size + 1)]
        )
        positions, inverse = np.unique(both, return_inverse=True)
        fused = np.bincount(inverse, weights=1.0 / (RRF_K + ranks), minlength=positions.size)
        lexical_rank = np.zeros(positions.size, dtype=np.int64)
        lexical_rank[inverse[: lexical_ranked.size]] = ranks[: lexical_ranked.size]
        semantic_rank = np.zeros(positions.size, dtype=np.int64)
        semantic_rank[inverse[lexical_ranked.size :]] = ranks[lexical_ranked.size :]
        order = np.lexsort((positions, -fused))
        return Ranking(positions[order], fused[order], lexical_rank[order], semantic_rank[order])

    def newest(self, keep: np.ndarray, limit: int) -> Ranking:
        """The postings in ``keep``, newest first (a search without words)."""
        allowed = np.flatnonzero(keep)
        order = allowed[np.argsort(-self.posted[allowed], kind="stable")][:limit]
        zeros = np.zeros(order.size, dtype=np.int64)
        return Ranking(order, np.zeros(order.size), zeros, zeros)

    def skill_prescore(self, skill_ids: Iterable[str]) -> np.ndarray:
        """Share of each posting's required/mentioned skills that the person has (0 when none)."""
        n = len(self.postings)
        person = np.zeros(max(1, len(self.skill_columns)), dtype=np.float64)
        for skill_id in skill_ids:
            col = self.skill_columns.get(skill_id)
            if col is not None:
                person[col] = 1.0
        if self.required_weights is None or n == 0:
            return np.zeros(n)
        have = self.required_weights @ person
        totals = self.required_totals
        return np.divide(have, totals, out=np.zeros(n), where=totals > 0)


def _project(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top principal components of the vectors (from a fixed sample) and the projected rows."""
    rng = np.random.default_rng(0)
    sample = vectors[rng.choice(len(vectors), size=min(len(vectors), 20_000), replace=False)]
    centred = sample - sample.mean(axis=0)
    _, components = np.linalg.eigh(centred.T @ centred)
    projection = np.ascontiguousarray(components[:, ::-1][:, :REDUCED_DIMS], dtype=np.float32)
    reduced = np.empty((len(vectors), REDUCED_DIMS), dtype=np.float32)
    for start in range(0, len(vectors), 50_000):
        reduced[start : start + 50_000] = vectors[start : start + 50_000] @ projection
    return projection, reduced


def empty_vectors(n: int) -> np.ndarray:
    return np.zeros((n, DIMENSION), dtype=np.float32)


def vector_from_bytes(blob: bytes | None) -> np.ndarray | None:
    if not blob or len(blob) != DIMENSION * 4:
        return None
    return np.frombuffer(blob, dtype=np.float32)


def vector_to_bytes(vector: Sequence[float]) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()
