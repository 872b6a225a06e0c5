"""Searching the user's postings: filters from query parameters, BM25 + vectors fused by RRF,
the top re-ranked by the match score, and pages over a ranking snapshot via opaque cursors.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from datetime import timedelta
from typing import TypedDict

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.cache import get_json, set_json
from careergini.core.db import utcnow
from careergini.core.errors import InvalidInput
from careergini.jobs.errors import InvalidCursor
from careergini.jobs.loading import owner_index, profile_context
from careergini.jobs.matching import match_value, score_at, similarity_at, summarize
from careergini.jobs.runtime import runtime_of
from careergini.jobs.schemas import JobPage
from careergini.jobs.search import REMOTE_CODES, SENIORITY_CODES, Filters
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
    return Filters(
        location=(location or "").strip() or None,
        remote=frozenset(v.replace("on-site", "onsite") for v in remote_values),
        seniority=frozenset(levels),
        skills=tuple(dict.fromkeys(skill_ids)),
        posted_after_ts=posted_after,
        include_closed=include_closed,
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


async def _rank(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, q: str, filters: Filters
) -> tuple[list[Ranked], bool]:
    """Rank the owner's postings for a query: [(id, relevance, match score), ...], reranked."""
    runtime = runtime_of(resources)
    index = await owner_index(resources, owner_id)
    keep = index.mask(filters)
    words = q.strip()
    if words:
        vector = await runtime.query_vector(words)
        ranking = index.hybrid(words, vector, keep)
    else:
        ranking = index.newest(keep, MAX_RESULTS)
    positions: list[int] = ranking.positions[:MAX_RESULTS].tolist()
    fused = ranking.fused[:MAX_RESULTS]
    context = await profile_context(session=session, resources=resources, owner_id=owner_id)
    scores: dict[int, MatchScore] = {}
    reranked = False
    if context is not None and positions:
        window = positions[:RERANK_WINDOW]
        for position in window:
            similarity = similarity_at(context, index, position)
            scores[position], _ = score_at(context, index, position, similarity)
        if words:
            top = float(fused[: len(window)].max()) or 1.0
            relevance = dict(zip(window, fused[: len(window)].tolist(), strict=True))

            def combined(position: int) -> tuple[float, int]:
                value = 0.5 * relevance[position] / top + 0.5 * match_value(scores[position]) / 100
                return (-value, position)

            positions = sorted(window, key=combined) + positions[RERANK_WINDOW:]
            reranked = True
    by_position: dict[int, float] = dict(
        zip(ranking.positions[:MAX_RESULTS].tolist(), np.round(fused, 6).tolist(), strict=True)
    )
    return [
        (
            index.postings[p].id,
            by_position[p] if words else None,
            scores[p].score if p in scores else None,
        )
        for p in positions
    ], reranked


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
    """Search the user's postings: BM25 + vectors fused by RRF, re-ranked by match score."""
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
    index = await owner_index(resources, owner_id)
    taxonomy = load_taxonomy()
    items = []
    for posting_id, relevance, match_score in ranking[offset : offset + limit]:
        position = index.position.get(posting_id)
        if position is None:
            continue  # removed since the search ran
        items.append(
            summarize(
                index.postings[position], taxonomy, relevance=relevance, match_score=match_score
            )
        )
    end = offset + limit
    next_cursor = _encode_cursor(search_id, end, params) if end < len(ranking) else None
    warnings = []
    if len(ranking) >= MAX_RESULTS:
        warnings.append(f"Only the best {MAX_RESULTS:,} results are ranked; narrow the search.")
    return JobPage(
        items=items,
        total=len(ranking),
        next_cursor=next_cursor,
        reranked=snapshot["reranked"],
        warnings=warnings,
    )
