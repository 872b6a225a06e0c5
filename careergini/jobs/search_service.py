"""Searching the user's postings: filters from query parameters; the word index (FTS5 / PostgreSQL
full text) and the vector store each give a bounded list of hits, fused by RRF; the top is ordered
by how much of the query each posting covers, and the match score re-ranks only among equally
relevant postings; pages are read from a ranking snapshot via opaque cursors.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import uuid
from datetime import timedelta
from typing import TypedDict

import anyio.to_thread
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.cache import get_json, set_json
from careergini.core.db import utcnow
from careergini.core.errors import InvalidInput
from careergini.jobs.errors import InvalidCursor
from careergini.jobs.loading import (
    count_matching,
    lexical_hits,
    load_postings,
    newest,
    passing,
    profile_context,
    semantic_hits,
)
from careergini.jobs.matching import match_value, score_posting, summarize
from careergini.jobs.runtime import runtime_of
from careergini.jobs.salary import parse_amount
from careergini.jobs.schemas import JobPage
from careergini.jobs.search import (
    REMOTE_CODES,
    SENIORITY_CODES,
    Filters,
    Fused,
    IndexedPosting,
    coverage,
    fuse,
    query_terms,
)
from careergini.runtime.resources import Resources
from careergini.skills.schemas import MatchScore
from careergini.skills.service import load_taxonomy

MAX_RESULTS = 1000  # ranked results kept per search (pages beyond: refine the search)
RERANK_WINDOW = 50  # top fused results re-ranked by the match score
SNAPSHOT_TTL = 15 * 60
_DURATION = re.compile(r"^\s*(\d{1,4})\s*(h|hours?|d|days?|w|weeks?)?\s*$", re.I)

# One ranked posting: (posting id, fused relevance or None without words, match score or None).
Ranked = tuple[str, float | None, float | None]


class Snapshot(TypedDict):
    """A search's ranking, kept in the cache while its pages are read."""

    ranking: list[Ranked]
    reranked: bool


# --- filters ------------------------------------------------------------------------------------


def _split(value: str | None) -> list[str]:
    return [v.strip().lower() for v in (value or "").split(",") if v.strip()]


def _skill_ids(skills: str | None) -> list[str]:
    taxonomy = load_taxonomy()
    skill_ids, unknown = [], []
    for name in [s.strip() for s in (skills or "").split(",") if s.strip()]:
        known = taxonomy.get(name) or taxonomy.get(name.lower()) or taxonomy.by_name(name)
        if known is None:
            unknown.append(name)
        else:
            skill_ids.append(known.id)
    if unknown:
        raise InvalidInput(
            f"Unknown skill(s): {', '.join(unknown)}. Find names with GET /api/skills/search?q=."
        )
    return skill_ids


def _posted_after(posted_within: str | None) -> float | None:
    if not posted_within:
        return None
    match = _DURATION.match(posted_within)
    if not match:
        raise InvalidInput('posted_within is a number of days, or like "24h", "7d", "2w".')
    amount, unit = int(match.group(1)), (match.group(2) or "d")[0].lower()
    delta = {
        "h": timedelta(hours=amount),
        "d": timedelta(days=amount),
        "w": timedelta(weeks=amount),
    }[unit]
    return (utcnow() - delta).timestamp()


def build_filters(
    *,
    location: str | None = None,
    remote: str | None = None,
    seniority: str | None = None,
    skills: str | None = None,
    posted_within: str | None = None,
    include_closed: bool = False,
    min_salary: str | None = None,
    reference_currency: str = "USD",
) -> Filters:
    """Turn query parameters into filters; raise InvalidInput naming what cannot be used."""
    remote_values = _split(remote)
    bad = [v for v in remote_values if v.replace("on-site", "onsite") not in REMOTE_CODES]
    if bad:
        raise InvalidInput(f"remote must be remote, hybrid or onsite (got {', '.join(bad)}).")
    levels = _split(seniority)
    bad = [v for v in levels if v not in SENIORITY_CODES]
    if bad:
        raise InvalidInput(
            f"seniority must be one of {', '.join(SENIORITY_CODES)} (got {', '.join(bad)})."
        )
    skill_ids = _skill_ids(skills)
    posted_after = _posted_after(posted_within)
    min_yearly = None
    if min_salary and min_salary.strip():
        try:
            min_yearly = parse_amount(min_salary)
        except ValueError:
            raise InvalidInput(
                f'min_salary is a yearly amount in {reference_currency}, like "80000" or "80k" '
                f"(got {min_salary[:40]!r})."
            ) from None
    return Filters(
        location=(location or "").strip() or None,
        remote=frozenset(v.replace("on-site", "onsite") for v in remote_values),
        seniority=frozenset(levels),
        skills=tuple(dict.fromkeys(skill_ids)),
        posted_after_ts=posted_after,
        include_closed=include_closed,
        min_yearly_salary=min_yearly,
        reference_currency=reference_currency.upper(),
    )


# --- cursors ------------------------------------------------------------------------------------


def _params_hash(q: str, filters: Filters) -> str:
    basis = json.dumps(
        [
            q.strip(),
            filters.location,
            sorted(filters.remote),
            sorted(filters.seniority),
            list(filters.skills),
            filters.posted_after_ts is not None,
            filters.include_closed,
            filters.min_yearly_salary,
        ],
        default=str,
    )
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def _encode_cursor(search_id: str, offset: int, params: str) -> str:
    raw = json.dumps({"s": search_id, "o": offset, "p": params}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, int, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        search_id, offset, params = str(data["s"]), int(data["o"]), str(data["p"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidCursor("The cursor is not one this API gave out; search again.") from exc
    if offset < 0 or not re.fullmatch(r"[0-9a-f]{32}", search_id):
        raise InvalidCursor("The cursor is not one this API gave out; search again.")
    return search_id, offset, params


# --- ranking ------------------------------------------------------------------------------------


async def _hits(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, q: str, filters: Filters
) -> list[Fused]:
    """The postings a query finds, fused from the word index and the vector store."""
    terms = query_terms(q)

    async def meaning() -> list[tuple[str, float]]:
        vector = await runtime_of(resources).query_vector(q.strip())
        return await semantic_hits(resources, owner_id=owner_id, vector=vector)

    # The word index (the database) and the vector store (Chroma) answer at the same time.
    lexical, near = await asyncio.gather(
        lexical_hits(session, owner_id=owner_id, terms=terms, filters=filters), meaning()
    )
    found = set(lexical)
    # The vector store knows no filters: its hits are checked against them in the database.
    others = await passing(
        session, owner_id=owner_id, ids=[i for i, _ in near if i not in found], filters=filters
    )
    semantic = [i for i, _ in near if i in found or i in others]
    return fuse(lexical, semantic)[:MAX_RESULTS]


async def _rank(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, q: str, filters: Filters
) -> tuple[list[Ranked], bool]:
    """Rank the owner's postings for a query: [(id, relevance, match score), ...], reranked."""
    words = q.strip()
    if not words:
        ids = await newest(session, owner_id=owner_id, filters=filters, limit=MAX_RESULTS)
        hits = [Fused(i, 0.0, 0, 0) for i in ids]
    else:
        hits = await _hits(
            session=session, resources=resources, owner_id=owner_id, q=words, filters=filters
        )
    if not hits:
        return [], False
    context = await profile_context(session=session, resources=resources, owner_id=owner_id)
    window = hits[:RERANK_WINDOW]
    if not words and context is None:
        return [(h.id, None, None) for h in hits], False
    rows = await load_postings(
        session, owner_id=owner_id, ids=[h.id for h in window], with_text=bool(words)
    )
    terms = query_terms(words)

    def score_window() -> tuple[dict[str, MatchScore], dict[str, int]]:
        scores = {}
        if context is not None:
            for hit in window:
                if hit.id in rows:
                    scores[hit.id], _ = score_posting(context, rows[hit.id][0])
        covered = {
            hit.id: coverage(terms, rows[hit.id][0].title, rows[hit.id][1])
            for hit in window
            if hit.id in rows and words
        }
        return scores, covered

    # Scoring and reading the top postings' texts is CPU work: a worker thread.
    scores, covered = await anyio.to_thread.run_sync(score_window)
    if words:
        top = window[0].fused or 1.0
        order = {hit.id: n for n, hit in enumerate(window)}

        def key(hit: Fused) -> tuple[float, float, int]:
            # More of the query's words first; the match score re-ranks only among postings
            # that cover the query equally well, so a good fit never outranks a better hit.
            value = hit.fused / top
            if hit.id in scores:
                value = 0.5 * value + 0.5 * match_value(scores[hit.id]) / 100
            return (-covered.get(hit.id, 0), -value, order[hit.id])

        window = sorted(window, key=key)
    ranked = [*window, *hits[RERANK_WINDOW:]]
    return [
        (
            hit.id,
            round(hit.fused, 6) if words else None,
            scores[hit.id].score if hit.id in scores else None,
        )
        for hit in ranked
    ], bool(words) and context is not None


async def _suggestions(
    *, session: AsyncSession, owner_id: uuid.UUID, q: str, filters: Filters
) -> list[str]:
    """What to try when a search finds nothing."""
    if await count_matching(session, owner_id=owner_id, filters=Filters(include_closed=True)) == 0:
        return [
            "You have no saved postings yet: add a job board, a career page or a file of "
            "postings, then search them here."
        ]
    tips = []
    if q.strip():
        tips.append(
            f'No posting matches "{q.strip()[:80]}". Check the spelling, or try fewer or more '
            "general words (a job title or a skill)."
        )
    unfiltered = Filters(
        include_closed=filters.include_closed, reference_currency=filters.reference_currency
    )
    if filters != unfiltered:
        tips.append("Remove a filter (place, remote, seniority, skills, date or pay) to see more.")
    if not filters.include_closed:
        tips.append("Include closed postings to search the ones no longer listed.")
    return tips


async def postings_mentioned(
    *, session: AsyncSession, owner_id: uuid.UUID, text: str, limit: int = 200
) -> list[IndexedPosting]:
    """Return the owner's postings (open or closed) whose text has words of ``text``, best
    first: the ones a message may be naming."""
    terms = query_terms(text)
    ids = await lexical_hits(
        session,
        owner_id=owner_id,
        terms=terms,
        filters=Filters(include_closed=True),
        limit=limit,
    )
    rows = await load_postings(session, owner_id=owner_id, ids=ids)
    return [rows[i][0] for i in ids if i in rows]


async def _snapshot(cache_key: str, resources: Resources) -> Snapshot | None:
    stored = await get_json(resources.cache, cache_key)
    if stored is None:
        return None
    # JSON brings the ranked tuples back as lists.
    ranking: list[Ranked] = [(str(i), r, s) for i, r, s in stored["ranking"]]
    return Snapshot(ranking=ranking, reranked=bool(stored["reranked"]))


async def search_jobs(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    q: str,
    filters: Filters,
    limit: int,
    cursor: str | None,
) -> JobPage:
    """Search the user's postings: words and meaning fused, re-ranked for the profile within
    equally relevant results; no hit is an empty page with suggestions."""
    params = _params_hash(q, filters)
    offset = 0
    snapshot = None
    if cursor:
        search_id, offset, cursor_params = _decode_cursor(cursor)
        if cursor_params != params:
            raise InvalidCursor(
                "This cursor belongs to another search: repeat the same q and filters with it."
            )
        snapshot = await _snapshot(f"user:{owner_id}:jobs:search:{search_id}", resources)
    else:
        search_id = uuid.uuid4().hex
    if snapshot is None:
        # First page, or the snapshot expired: rank now (pages continue from the offset).
        ranked, reranked = await _rank(
            session=session, resources=resources, owner_id=owner_id, q=q, filters=filters
        )
        snapshot = Snapshot(ranking=ranked, reranked=reranked)
        await set_json(
            resources.cache, f"user:{owner_id}:jobs:search:{search_id}", snapshot, ttl=SNAPSHOT_TTL
        )
    ranking = snapshot["ranking"]
    page = ranking[offset : offset + limit]
    rows = await load_postings(session, owner_id=owner_id, ids=[i for i, _, _ in page])
    taxonomy = load_taxonomy()
    items = [
        summarize(
            rows[posting_id][0],
            taxonomy,
            relevance=relevance,
            match_score=match_score,
            reference_currency=filters.reference_currency,
        )
        for posting_id, relevance, match_score in page
        if posting_id in rows  # a posting removed since the search ran is left out
    ]
    end = offset + limit
    next_cursor = _encode_cursor(search_id, end, params) if end < len(ranking) else None
    warnings = []
    if len(ranking) >= MAX_RESULTS:
        warnings.append(f"Only the best {MAX_RESULTS:,} results are ranked; narrow the search.")
    suggestions = []
    if not ranking:
        suggestions = await _suggestions(session=session, owner_id=owner_id, q=q, filters=filters)
    return JobPage(
        items=items,
        total=len(ranking),
        next_cursor=next_cursor,
        reranked=snapshot["reranked"],
        warnings=warnings,
        suggestions=suggestions,
    )
