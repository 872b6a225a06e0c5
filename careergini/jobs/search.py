"""Search as the database engines do it: which postings a query finds and how the hits of the
word index and of the vector store are fused.

The word index lives in the database and follows every write in the same transaction (SQLite
FTS5 kept by triggers; PostgreSQL a generated tsvector with a GIN index: see the migration
``job_search_index``); the vectors live in Chroma, one row per posting. Nothing here holds a copy
of the corpus: a search reads at most a bounded number of hits from each engine and fuses them.

This module is pure: query texts for the engines, reciprocal-rank fusion, and how much of a query
a posting's text covers (what keeps the match-score re-rank within relevant results).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from careergini.core.embeddings import DIMENSION

RRF_K = 60
LEXICAL_LIMIT = 1000  # word-index hits fused at most
SEMANTIC_LIMIT = 200  # nearest neighbours asked of the vector store
# A neighbour counts as a hit only this close in meaning (cosine similarity of MiniLM vectors):
# below it, "zzzz" would "find" whatever happens to lie nearest.
SEMANTIC_MIN = 0.40
MAX_TERMS = 32  # words of one query looked up
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
    # float32 unit vector of title and description (None: not loaded, or never embedded)
    vector: np.ndarray | None = None


@dataclass(slots=True)
class Filters:
    location: str | None = None
    remote: frozenset[str] = frozenset()
    seniority: frozenset[str] = frozenset()
    skills: tuple[str, ...] = ()  # skill ids; a posting must name all of them
    posted_after_ts: float | None = None
    include_closed: bool = False
    # Pay for a year at least this much in the reference currency (postings without pay drop out).
    min_yearly_salary: float | None = None
    reference_currency: str = "USD"


@dataclass(slots=True)
class Fused:
    """One hit of a search: the posting, its fused score and its rank in the word and meaning
    rankings (0: not in that ranking)."""

    id: str
    fused: float
    lexical_rank: int
    semantic_rank: int


def query_terms(text: str) -> list[str]:
    """The distinct words of a query the engines look up, in order (no stopwords)."""
    terms = [t for t in _TOKEN_RE.findall(text.casefold()) if t not in _STOPWORDS and len(t) <= 64]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def fts5_query(terms: Sequence[str]) -> str:
    """An FTS5 MATCH expression that finds any of the terms, each a quoted string (no
    operators from the user's text reach the engine)."""
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


def fuse(lexical: Sequence[str], semantic: Sequence[str]) -> list[Fused]:
    """Reciprocal-rank fusion (k=60) of the word and meaning rankings, best first.

    Ties keep the word ranking's order, then the meaning ranking's, so a search ranks the same
    every time.
    """
    hits: dict[str, Fused] = {}
    for rank, posting_id in enumerate(lexical, start=1):
        hits[posting_id] = Fused(posting_id, 1.0 / (RRF_K + rank), rank, 0)
    for rank, posting_id in enumerate(semantic, start=1):
        hit = hits.get(posting_id)
        if hit is None:
            hits[posting_id] = Fused(posting_id, 1.0 / (RRF_K + rank), 0, rank)
        else:
            hit.fused += 1.0 / (RRF_K + rank)
            hit.semantic_rank = rank
    order = {posting_id: n for n, posting_id in enumerate(hits)}
    return sorted(hits.values(), key=lambda h: (-h.fused, order[h.id]))


def coverage(terms: Sequence[str], title: str, text: str) -> int:
    """How many of the query's words a posting's title and text contain, a word counting where
    one starts with it ("engineer" in "engineering", as the engines' stemmers find it)."""
    words = list(dict.fromkeys(tokenize(" ".join(terms))))
    if not words:
        return 0
    haystack = f"{title}\n{text}".casefold()
    return sum(1 for word in words if re.search(r"(?<![a-z0-9])" + re.escape(word), haystack))


def empty_vectors(n: int) -> np.ndarray:
    return np.zeros((n, DIMENSION), dtype=np.float32)


def vector_from_bytes(blob: bytes | None) -> np.ndarray | None:
    if not blob or len(blob) != DIMENSION * 4:
        return None
    return np.frombuffer(blob, dtype=np.float32)


def vector_to_bytes(vector: Sequence[float]) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()
