"""The jobs domain's API: sources and their refreshes, postings (uploaded, pasted, fetched),
hybrid search, recommendations with reasons and gaps, and the application tracker.

Ownership is per user: a user's sources, the postings they bring and the applications are that
user's alone; anyone else's is a 404.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio.to_thread
import numpy as np
from sqlalchemy import delete, event, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.cache import get_json, set_json
from careergini.core.db import get_owned, session_scope, utcnow
from careergini.core.errors import InvalidInput, Unavailable
from careergini.core.logging import get_logger
from careergini.jobs import pipeline
from careergini.jobs.errors import (
    ApplicationNotFound,
    DuplicateApplication,
    DuplicateSource,
    InvalidCursor,
    InvalidSource,
    InvalidUpload,
    JobNotFound,
    SourceBusy,
    SourceNotFound,
    UnreadablePosting,
    UploadTooLarge,
)
from careergini.jobs.models import (
    JobApplication,
    JobApplicationEvent,
    JobPosting,
    JobPostingLink,
    JobSource,
)
from careergini.jobs.runtime import runtime_of
from careergini.jobs.schemas import (
    ApplicationCreate,
    ApplicationEventPublic,
    ApplicationPublic,
    ApplicationUpdate,
    GapBrief,
    JobAnalysis,
    JobCreate,
    JobDetail,
    JobPage,
    JobSummary,
    PostingSource,
    Recommendation,
    RecommendationList,
    Salary,
    SourceCreate,
    SourcePublic,
    SourceStats,
)
from careergini.jobs.search import (
    Filters,
    IndexedPosting,
    OwnerIndex,
    empty_vectors,
    vector_from_bytes,
)
from careergini.jobs.sources import MANUAL_KIND, UPLOAD_KIND, module_for, upload as upload_source
from careergini.jobs.sources.base import SourceError
from careergini.jobs.sources.paste import posting_from_text, posting_from_url
from careergini.profile import service as profile_service
from careergini.profile.errors import NoProfileYet
from careergini.runtime.resources import Resources
from careergini.skills import service as skills_service
from careergini.skills.schemas import (
    Candidate,
    JobRequirements,
    MatchScore,
    ParsedJob,
    RequiredSkill,
    Taxonomy,
)
from careergini.skills.service import candidate_from_profile, cosine, load_taxonomy

log = get_logger(__name__)

MAX_RESULTS = 1000  # ranked results kept per search (pages beyond: refine the search)
RERANK_WINDOW = 50  # top fused results re-ranked by the match score
PRESCORE_POOL = 300  # postings scored in full for recommendations
SNAPSHOT_TTL = 15 * 60
_IMPORTANCE_ORDER = {"required": 0, "mentioned": 1, "preferred": 2}
_DURATION = re.compile(r"^\s*(\d{1,4})\s*(h|hours?|d|days?|w|weeks?)?\s*$", re.I)


# --- helpers ------------------------------------------------------------------------------------


def _as_utc(value: datetime | None) -> datetime | None:
    """Store dates in UTC; a date sent without a zone is taken as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _after_commit(session: AsyncSession, action: Callable[[], None]) -> None:
    """Run ``action`` once the request's transaction has committed (never after a rollback)."""
    event.listen(session.sync_session, "after_commit", lambda _session: action(), once=True)


def _enqueue_after_commit(
    session: AsyncSession, resources: Resources, source_id: uuid.UUID
) -> None:
    runtime = runtime_of(resources)
    _after_commit(
        session, lambda: runtime.spawn(runtime.enqueue(source_id), name=f"enqueue-{source_id}")
    )


def _interval(resources: Resources, requested: float | None) -> float:
    settings = resources.settings
    value = settings.jobs_refresh_interval_minutes if requested is None else requested
    if 0 < value < settings.jobs_min_refresh_interval_minutes:
        raise InvalidSource(
            f"A source may be refreshed every {settings.jobs_min_refresh_interval_minutes:g} "
            "minutes at most often (0 means only on demand): job boards ask for politeness."
        )
    return value


async def _owned_source(
    session: AsyncSession, *, owner_id: uuid.UUID, source_id: uuid.UUID
) -> JobSource:
    return await get_owned(session, JobSource, source_id, owner_id=owner_id, missing=SourceNotFound)


def _source_public(source: JobSource, open_postings: int) -> SourcePublic:
    stats = dict(source.stats or {})
    return SourcePublic(
        id=str(source.id),
        kind=source.kind,  # type: ignore[arg-type]
        identifier=source.identifier,
        name=source.name,
        options={k: v for k, v in (source.options or {}).items() if k != "sha256"},
        status=source.status,  # type: ignore[arg-type]
        status_changed_at=source.status_changed_at,
        stats=SourceStats(**{k: v for k, v in stats.items() if k in SourceStats.model_fields}),
        last_error=source.last_error,
        last_attempt_at=source.last_attempt_at,
        last_success_at=source.last_success_at,
        next_refresh_at=source.next_refresh_at,
        refresh_interval_minutes=source.refresh_interval_minutes,
        open_postings=open_postings,
        created_at=source.created_at,
    )


async def _duplicate_check(
    session: AsyncSession, *, owner_id: uuid.UUID, kind: str, identifier: str
) -> None:
    existing = (
        await session.exec(
            select(JobSource).where(
                JobSource.owner_id == owner_id,
                JobSource.kind == kind,
                JobSource.identifier == identifier,
            )
        )
    ).first()
    if existing is not None:
        raise DuplicateSource(
            f"You already have this {kind} source (id {existing.id}); refresh it with "
            f"POST /api/jobs/sources/{existing.id}/refresh.",
            extra={"source_id": str(existing.id)},
        )


# --- sources ------------------------------------------------------------------------------------


async def create_source(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, body: SourceCreate
) -> SourcePublic:
    """Add a board, feed or career page and queue its first refresh."""
    module = module_for(body.kind)
    try:
        identifier = module.normalise_identifier(body.identifier)
    except ValueError as exc:
        raise InvalidSource(str(exc)) from exc
    await _duplicate_check(session, owner_id=owner_id, kind=body.kind, identifier=identifier)
    options: dict[str, Any] = {"render": body.render} if body.kind == "page" else {}
    source = JobSource(
        owner_id=owner_id,
        kind=body.kind,
        identifier=identifier,
        name=body.name or module.default_name(identifier),
        options=options,
        refresh_interval_minutes=_interval(resources, body.refresh_interval_minutes),
        status=pipeline.QUEUED,
    )
    session.add(source)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request added it first
        raise DuplicateSource("You already have this source.") from exc
    _enqueue_after_commit(session, resources, source.id)
    log.info("jobs.source.created", kind=source.kind)
    return _source_public(source, 0)


async def create_upload_source(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    data: bytes,
    filename: str | None,
    name: str | None,
) -> SourcePublic:
    """Store an uploaded CSV/JSON of postings as a source and queue its ingestion."""
    limit = resources.settings.jobs_max_upload_bytes
    if len(data) > limit:
        raise UploadTooLarge(f"The file is over the {limit // (1024 * 1024)} MB limit.")
    try:
        fmt, rows = await anyio.to_thread.run_sync(lambda: upload_source.validate(data, filename))
    except upload_source.UploadProblem as exc:
        extra = {"missing_columns": list(exc.missing)} if exc.missing else None
        raise InvalidUpload(exc.detail, extra=extra) from exc
    identifier = upload_source.fingerprint(data)
    await _duplicate_check(session, owner_id=owner_id, kind=UPLOAD_KIND, identifier=identifier)
    source = JobSource(
        owner_id=owner_id,
        kind=UPLOAD_KIND,
        identifier=identifier,
        name=(name or filename or "Uploaded postings")[:200],
        options={"filename": (filename or "")[:255] or None, "format": fmt, "rows": rows},
        refresh_interval_minutes=0,
        status=pipeline.QUEUED,
    )
    session.add(source)
    path = pipeline.upload_path(resources, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        await session.flush()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _enqueue_after_commit(session, resources, source.id)
    log.info("jobs.upload.created", format=fmt, rows=rows, size=len(data))
    return _source_public(source, 0)


async def list_sources(*, session: AsyncSession, owner_id: uuid.UUID) -> list[SourcePublic]:
    """Return the user's sources, oldest first, with their refresh state."""
    rows = (
        await session.exec(
            select(JobSource)
            .where(JobSource.owner_id == owner_id)
            .order_by(col(JobSource.created_at), col(JobSource.id))
        )
    ).all()
    counts = await pipeline.count_open(session, [row.id for row in rows])
    return [_source_public(row, counts.get(row.id, 0)) for row in rows]


async def get_source(
    *, session: AsyncSession, owner_id: uuid.UUID, source_id: uuid.UUID
) -> SourcePublic:
    """Return one of the user's sources with the progress of its refresh."""
    source = await _owned_source(session, owner_id=owner_id, source_id=source_id)
    counts = await pipeline.count_open(session, [source.id])
    return _source_public(source, counts.get(source.id, 0))


async def request_refresh(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, source_id: uuid.UUID
) -> SourcePublic:
    """Queue a refresh now (a no-op when one is already queued or running)."""
    source = await _owned_source(session, owner_id=owner_id, source_id=source_id)
    if source.status in (pipeline.IDLE, pipeline.ERROR):
        result = await session.exec(
            update(JobSource)
            .where(
                col(JobSource.id) == source.id,
                col(JobSource.status).in_([pipeline.IDLE, pipeline.ERROR]),
            )
            .values(status=pipeline.QUEUED, status_changed_at=utcnow())
        )
        if result.rowcount == 1:
            _enqueue_after_commit(session, resources, source.id)
        await session.refresh(source)
    counts = await pipeline.count_open(session, [source.id])
    return _source_public(source, counts.get(source.id, 0))


async def delete_source(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, source_id: uuid.UUID
) -> None:
    """Remove a source and the postings only it brought (tracked ones are kept, closed)."""
    source = await _owned_source(session, owner_id=owner_id, source_id=source_id)
    stale = timedelta(minutes=resources.settings.jobs_stale_refresh_minutes)
    if source.status == pipeline.RUNNING and utcnow() - source.status_changed_at < stale:
        raise SourceBusy(
            "This source is being refreshed right now; remove it when the refresh has finished "
            f"(GET /api/jobs/sources/{source.id} shows its status)."
        )
    doomed = await pipeline.postings_only_from(session, source.id)
    mine = select(JobPostingLink.posting_id).where(JobPostingLink.source_id == source.id)
    others = select(JobPostingLink.posting_id).where(
        col(JobPostingLink.posting_id).in_(mine), JobPostingLink.source_id != source.id
    )
    now = utcnow()
    await session.exec(
        update(JobPosting)
        .where(
            col(JobPosting.id).in_(mine),
            col(JobPosting.id).not_in(others),
            col(JobPosting.status) == "open",
        )
        .values(status="closed", closed_at=now, updated_at=now)
    )
    if doomed:
        await session.exec(delete(JobPosting).where(col(JobPosting.id).in_(doomed)))
    path = pipeline.upload_path(resources, source) if source.kind == UPLOAD_KIND else None
    await session.delete(source)
    await session.flush()
    if doomed:
        try:
            await resources.vectors.delete(pipeline.COLLECTION, ids=[str(i) for i in doomed])
        except Exception as exc:
            log.exception("jobs.source.vectors_delete_failed")
            raise Unavailable(
                "The vector store is unreachable, so the source was not removed; try again."
            ) from exc
    runtime = runtime_of(resources)

    def _cleanup() -> None:
        if path is not None:
            path.unlink(missing_ok=True)
        runtime.spawn(runtime.indexes.bump(owner_id), name="jobs-index-bump")

    _after_commit(session, _cleanup)
    log.info("jobs.source.deleted", kind=source.kind, postings_removed=len(doomed))


# --- adding one posting -------------------------------------------------------------------------


async def add_posting(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, body: JobCreate
) -> JobDetail:
    """Add one posting from its pasted text or its page's URL."""
    runtime = runtime_of(resources)
    raw = None
    text, title, url = body.text or "", body.title, None
    fallback_title: str | None = None
    if body.url is not None:
        try:
            url = module_for("page").normalise_identifier(body.url)
            found, page_text, page_title = await posting_from_url(
                runtime.context, url, render=body.render, now=utcnow()
            )
        except (ValueError, SourceError) as exc:
            raise UnreadablePosting(getattr(exc, "detail", str(exc))) from exc
        if found is not None:
            for name in ("title", "company", "location"):
                if getattr(body, name):
                    setattr(found, name, getattr(body, name))
            raw = found
        else:
            text, fallback_title = page_text, page_title
    if raw is None:
        parsed = await anyio.to_thread.run_sync(
            lambda: skills_service.parse_job(text=text, title_hint=title)
        )
        if not parsed.looks_like_job and not title:
            raise UnreadablePosting(
                "This text does not read like a job posting; give its title to add it anyway."
            )
        try:
            raw = posting_from_text(
                text,
                title=title or parsed.title or fallback_title,
                company=body.company,
                location=body.location,
                url=url,
                parsed=parsed,
            )
        except SourceError as exc:
            raise UnreadablePosting(exc.detail) from exc
    stats = pipeline.Stats()
    stored = await pipeline.store_postings(
        resources=resources,
        owner_id=owner_id,
        origin=MANUAL_KIND,
        source_id=None,
        raws=[raw],
        stats=stats,
        seen_at=utcnow(),
    )
    await runtime.indexes.bump(owner_id)
    return await get_job(
        session=session, resources=resources, owner_id=owner_id, job_id=stored[0].id
    )


# --- the search index ---------------------------------------------------------------------------


_INDEX_COLUMNS = (
    JobPosting.id,
    JobPosting.origin,
    JobPosting.title,
    JobPosting.company,
    JobPosting.location,
    JobPosting.url,
    JobPosting.remote,
    JobPosting.seniority,
    JobPosting.employment_type,
    JobPosting.status,
    JobPosting.posted_at,
    JobPosting.first_seen_at,
    JobPosting.salary_min,
    JobPosting.salary_max,
    JobPosting.salary_currency,
    JobPosting.salary_period,
    JobPosting.skills,
    JobPosting.years_min,
    JobPosting.years_max,
    JobPosting.looks_like_job,
    JobPosting.description,
    JobPosting.embedding,
)


def _build_index(rows: Sequence[Any], version: str) -> OwnerIndex:
    postings: list[IndexedPosting] = []
    texts: list[str] = []
    vectors = empty_vectors(len(rows))
    for i, row in enumerate(rows):
        (
            pid,
            origin,
            title,
            company,
            location,
            url,
            remote,
            seniority,
            employment,
            status,
            posted_at,
            first_seen,
            smin,
            smax,
            scur,
            speriod,
            skills,
            ymin,
            ymax,
            looks,
            description,
            embedding,
        ) = row
        when = posted_at or first_seen
        postings.append(
            IndexedPosting(
                id=str(pid),
                origin=origin,
                title=title,
                company=company,
                location=location,
                url=url,
                remote=remote,
                seniority=seniority,
                employment_type=employment,
                status=status,
                posted_ts=when.timestamp() if when else 0.0,
                salary=(smin, smax, scur, speriod),
                skills=tuple((s[0], s[1]) for s in skills or ()),
                years_min=ymin,
                years_max=ymax,
                looks_like_job=bool(looks),
            )
        )
        texts.append(f"{company or ''}\n{location or ''}\n{description or ''}")
        vector = vector_from_bytes(embedding)
        if vector is not None:
            vectors[i] = vector
    return OwnerIndex.build(postings, texts, vectors, version=version)


async def load_index(resources: Resources, owner_id: uuid.UUID, version: str) -> OwnerIndex:
    """Read the owner's postings from the database and index them (in a worker thread)."""
    async with session_scope(resources.sessionmaker) as session:
        rows = (
            await session.exec(
                select(*_INDEX_COLUMNS)
                .where(JobPosting.owner_id == owner_id)
                .order_by(col(JobPosting.first_seen_at), col(JobPosting.id))
            )
        ).all()
    index = await anyio.to_thread.run_sync(_build_index, rows, version)
    log.info("jobs.index.built", postings=len(index))
    return index


async def owner_index(resources: Resources, owner_id: uuid.UUID) -> OwnerIndex:
    """Return the owner's current search index."""
    runtime = runtime_of(resources)
    return await runtime.indexes.get(owner_id, lambda o, v: load_index(resources, o, v))


# --- filters, profile context, scoring ----------------------------------------------------------


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
    from careergini.jobs.search import REMOTE_CODES, SENIORITY_CODES

    def split(value: str | None) -> list[str]:
        return [v.strip().lower() for v in (value or "").split(",") if v.strip()]

    remote_values = split(remote)
    bad = [v for v in remote_values if v.replace("on-site", "onsite") not in REMOTE_CODES]
    if bad:
        raise InvalidInput(f"remote must be remote, hybrid or onsite (got {', '.join(bad)}).")
    levels = split(seniority)
    bad = [v for v in levels if v not in SENIORITY_CODES]
    if bad:
        raise InvalidInput(
            f"seniority must be one of {', '.join(SENIORITY_CODES)} (got {', '.join(bad)})."
        )
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
    posted_after = None
    if posted_within:
        match = _DURATION.match(posted_within)
        if not match:
            raise InvalidInput('posted_within is a number of days, or like "24h", "7d", "2w".')
        amount, unit = int(match.group(1)), (match.group(2) or "d")[0].lower()
        delta = {
            "h": timedelta(hours=amount),
            "d": timedelta(days=amount),
            "w": timedelta(weeks=amount),
        }[unit]
        posted_after = (utcnow() - delta).timestamp()
    return Filters(
        location=(location or "").strip() or None,
        remote=frozenset(v.replace("on-site", "onsite") for v in remote_values),
        seniority=frozenset(levels),
        skills=tuple(dict.fromkeys(skill_ids)),
        posted_after_ts=posted_after,
        include_closed=include_closed,
    )


@dataclass(slots=True)
class ProfileContext:
    candidate: Candidate
    vector: np.ndarray | None
    taxonomy: Taxonomy


async def profile_context(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID
) -> ProfileContext | None:
    """Return the person as the match score sees them (cached until the profile changes)."""
    runtime = runtime_of(resources)
    # The profile domain clears "user:<id>:" on every change, and with it this token.
    key = f"user:{owner_id}:jobs:profile-token"
    token = await resources.cache.get(key)
    cached = runtime.profiles.get(owner_id)
    if token is not None and cached is not None and cached[0] == token:
        return cached[1]
    profile = await profile_service.build_profile(session=session, owner_id=owner_id)
    if profile is None:
        return None
    candidate = candidate_from_profile(profile, now_year=utcnow().year)
    vector = None
    if candidate.experience_text.strip():
        vector = np.asarray(
            await resources.embedder.embed_document(candidate.experience_text), dtype=np.float32
        )
    context = ProfileContext(candidate, vector, load_taxonomy())
    new_token = uuid.uuid4().hex.encode()
    await resources.cache.set(key, new_token)
    runtime.profiles[owner_id] = (new_token, context)
    while len(runtime.profiles) > 256:
        runtime.profiles.pop(next(iter(runtime.profiles)))
    return context


def requirements_of(posting: IndexedPosting, taxonomy: Taxonomy) -> JobRequirements:
    """The posting's requirements from its stored skills (what the match score reads)."""
    skills = []
    for skill_id, importance in posting.skills:
        known = taxonomy.get(skill_id)
        skills.append(
            RequiredSkill(
                skill_id=skill_id,
                name=known.name if known else skill_id,
                importance=importance,  # type: ignore[arg-type]
                hot=bool(known and known.hot),
                in_demand=bool(known and known.in_demand),
            )
        )
    return JobRequirements(
        title=posting.title,
        seniority=posting.seniority,
        years_min=posting.years_min,
        years_max=posting.years_max,
        skills=tuple(skills),
        text="",
        looks_like_job=posting.looks_like_job,
    )


def _score(
    context: ProfileContext, index: OwnerIndex, position: int, similarity: float
) -> tuple[MatchScore, Any]:
    job = index.memo.get(position)
    if job is None:
        job = index.memo[position] = requirements_of(index.postings[position], context.taxonomy)
    gap = skills_service.compute_gap(job, context.candidate, context.taxonomy)
    return skills_service.compute_match(job, context.candidate, gap, similarity), gap


def _value(match: MatchScore) -> float:
    return match.score if match.score is not None else sum(c.points for c in match.components)


def _similarity(context: ProfileContext, index: OwnerIndex, position: int) -> float:
    if context.vector is None:
        return 0.0
    return float(index.vectors[position] @ context.vector)


def _summary(
    posting: IndexedPosting,
    taxonomy: Taxonomy,
    *,
    relevance: float | None,
    match_score: float | None,
) -> JobSummary:
    ordered = sorted(posting.skills, key=lambda s: _IMPORTANCE_ORDER.get(s[1], 3))
    names = []
    for skill_id, _ in ordered[:12]:
        known = taxonomy.get(skill_id)
        names.append(known.name if known else skill_id)
    smin, smax, scur, speriod = posting.salary
    return JobSummary(
        id=posting.id,
        title=posting.title,
        company=posting.company,
        location=posting.location,
        url=posting.url,
        remote=posting.remote,
        seniority=posting.seniority,
        employment_type=posting.employment_type,
        salary=Salary(min=smin, max=smax, currency=scur, period=speriod)
        if smin is not None or smax is not None
        else None,
        skills=names,
        posted_at=datetime.fromtimestamp(posting.posted_ts, tz=utcnow().tzinfo)
        if posting.posted_ts
        else None,
        status=posting.status,  # type: ignore[arg-type]
        origin=posting.origin,
        relevance=relevance,
        match_score=match_score,
    )


# --- search -------------------------------------------------------------------------------------


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


async def _rank(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, q: str, filters: Filters
) -> tuple[list[list[Any]], bool]:
    """Rank the owner's postings for a query: [[id, relevance, match score], ...], reranked."""
    runtime = runtime_of(resources)
    index = await owner_index(resources, owner_id)
    keep = index.mask(filters)
    words = q.strip()
    if words:
        vector = await runtime.query_vector(words)
        ranking = index.hybrid(words, vector, keep)
    else:
        ranking = index.newest(keep, MAX_RESULTS)
    positions = ranking.positions[:MAX_RESULTS].tolist()
    fused = ranking.fused[:MAX_RESULTS]
    context = await profile_context(session=session, resources=resources, owner_id=owner_id)
    scores: dict[int, MatchScore] = {}
    reranked = False
    if context is not None and positions:
        window = positions[:RERANK_WINDOW]
        for position in window:
            similarity = _similarity(context, index, position)
            scores[position], _ = _score(context, index, position, similarity)
        if words:
            top = float(fused[: len(window)].max()) or 1.0
            relevance = dict(zip(window, fused[: len(window)].tolist(), strict=True))

            def combined(position: int) -> tuple[float, int]:
                value = 0.5 * relevance[position] / top + 0.5 * _value(scores[position]) / 100
                return (-value, position)

            positions = sorted(window, key=combined) + positions[RERANK_WINDOW:]
            reranked = True
    by_position = dict(
        zip(ranking.positions[:MAX_RESULTS].tolist(), np.round(fused, 6).tolist(), strict=True)
    )
    ids = [index.postings[p].id for p in positions]
    return [
        [posting_id, by_position[p] if words else None, scores[p].score if p in scores else None]
        for posting_id, p in zip(ids, positions, strict=True)
    ], reranked


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
        snapshot = await get_json(resources.cache, f"user:{owner_id}:jobs:search:{search_id}")
    else:
        search_id = uuid.uuid4().hex
    if snapshot is None:
        # First page, or the snapshot expired: rank now (pages continue from the offset).
        ranking, reranked = await _rank(
            session=session, resources=resources, owner_id=owner_id, q=q, filters=filters
        )
        snapshot = {"ranking": ranking, "reranked": reranked}
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
            _summary(
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


# --- recommendations ----------------------------------------------------------------------------


async def recommend(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    filters: Filters,
    limit: int,
) -> RecommendationList:
    """Return the postings that fit the user best, each with its score, reasons and gaps."""
    context = await profile_context(session=session, resources=resources, owner_id=owner_id)
    if context is None:
        raise NoProfileYet()
    index = await owner_index(resources, owner_id)
    allowed = np.flatnonzero(index.mask(filters))
    if allowed.size == 0:
        return RecommendationList(items=[], considered=0, scored=0)
    # A quick vectorised pre-score picks the pool; the pool is scored in full.
    skills = index.skill_prescore(context.candidate.skills.keys())[allowed]
    if context.vector is not None:
        rough = index.rough_similarities(context.vector)[allowed]
    else:
        rough = np.zeros(allowed.size, dtype=np.float32)
    scaled = np.clip((rough - 0.15) / 0.5, 0.0, 1.0)
    named = index.required_totals[allowed] > 0
    pre = np.where(named, (0.4 * skills + 0.2 * scaled) / 0.6, 0.5 * scaled)
    pool = min(PRESCORE_POOL, allowed.size)
    best = np.argpartition(-pre, pool - 1)[:pool] if pool < allowed.size else np.arange(pool)
    scored = []
    for i in best.tolist():
        position = int(allowed[i])
        match, gap = _score(context, index, position, _similarity(context, index, position))
        scored.append(
            (match.confident, _value(match), index.postings[position].id, position, match, gap)
        )
    scored.sort(key=lambda item: (not item[0], -item[1], item[2]))
    items = []
    for _, _, _, position, match, gap in scored[:limit]:
        posting = index.postings[position]
        gaps = [*gap.missing_required, *gap.missing_preferred][:5]
        items.append(
            Recommendation(
                job=_summary(posting, context.taxonomy, relevance=None, match_score=match.score),
                score=match.score,
                confident=match.confident,
                top_reasons=match.top_reasons,
                matched=[m.name for m in gap.matched],
                gaps=[
                    GapBrief(
                        skill_id=g.skill_id, name=g.name, importance=g.importance, reason=g.reason
                    )
                    for g in gaps
                ],
                warnings=match.warnings,
            )
        )
    return RecommendationList(items=items, considered=int(allowed.size), scored=len(scored))


# --- one posting --------------------------------------------------------------------------------


async def owned_posting(
    session: AsyncSession, *, owner_id: uuid.UUID, job_id: uuid.UUID
) -> JobPosting:
    return await get_owned(session, JobPosting, job_id, owner_id=owner_id, missing=JobNotFound)


async def get_job(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, job_id: uuid.UUID
) -> JobDetail:
    """Return one posting with its sources and the full analysis for the user."""
    posting = await owned_posting(session, owner_id=owner_id, job_id=job_id)
    links = (
        await session.exec(
            select(JobPostingLink, JobSource)
            .join(JobSource, col(JobSource.id) == JobPostingLink.source_id)
            .where(JobPostingLink.posting_id == posting.id)
        )
    ).all()
    taxonomy = load_taxonomy()
    parsed = ParsedJob.model_validate(posting.parsed or {})
    indexed = IndexedPosting(
        id=str(posting.id),
        origin=posting.origin,
        title=posting.title,
        company=posting.company,
        location=posting.location,
        url=posting.url,
        remote=posting.remote,
        seniority=posting.seniority,
        employment_type=posting.employment_type,
        status=posting.status,
        posted_ts=(posting.posted_at or posting.first_seen_at).timestamp(),
        salary=(
            posting.salary_min,
            posting.salary_max,
            posting.salary_currency,
            posting.salary_period,
        ),
        skills=tuple((s[0], s[1]) for s in posting.skills or ()),
        years_min=posting.years_min,
        years_max=posting.years_max,
        looks_like_job=posting.looks_like_job,
    )
    context = await profile_context(session=session, resources=resources, owner_id=owner_id)
    analysis, note, match_score = None, None, None
    if context is None:
        note = "Import a resume (POST /api/profile/imports) to see how you match this job."
    else:
        job = skills_service.requirements_from_job(
            parsed, taxonomy, f"{posting.title}\n{posting.description}"
        )
        gap = skills_service.compute_gap(job, context.candidate, taxonomy)
        vector = vector_from_bytes(posting.embedding)
        similarity = (
            cosine(context.vector.tolist(), vector.tolist())
            if vector is not None and context.vector is not None
            else 0.0
        )
        match = skills_service.compute_match(job, context.candidate, gap, similarity)
        analysis = JobAnalysis(match=match, gap=gap)
        match_score = match.score
    summary = _summary(indexed, taxonomy, relevance=None, match_score=match_score)
    return JobDetail(
        **summary.model_dump(),
        description=posting.description,
        first_seen_at=posting.first_seen_at,
        last_seen_at=posting.last_seen_at,
        closed_at=posting.closed_at,
        sources=[
            PostingSource(
                source_id=str(source.id),
                kind=source.kind,
                name=source.name,
                external_id=link.external_id,
                active=link.active,
                last_seen_at=link.last_seen_at,
            )
            for link, source in links
        ],
        parsed=parsed,
        analysis=analysis,
        analysis_note=note,
    )


async def delete_job(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, job_id: uuid.UUID
) -> None:
    """Delete a posting (a source that still lists it brings it back at its next refresh)."""
    posting = await owned_posting(session, owner_id=owner_id, job_id=job_id)
    await session.delete(posting)
    await session.flush()
    try:
        await resources.vectors.delete(pipeline.COLLECTION, ids=[str(posting.id)])
    except Exception as exc:
        raise Unavailable("The vector store is unreachable; try again in a minute.") from exc
    runtime = runtime_of(resources)
    _after_commit(
        session, lambda: runtime.spawn(runtime.indexes.bump(owner_id), name="jobs-index-bump")
    )


# --- applications -------------------------------------------------------------------------------


def _application_public(
    row: JobApplication, events: Sequence[JobApplicationEvent], job_status: str | None
) -> ApplicationPublic:
    return ApplicationPublic(
        id=str(row.id),
        job_id=str(row.job_id) if row.job_id else None,
        job_status=job_status,  # type: ignore[arg-type]
        title=row.title,
        company=row.company,
        url=row.url,
        status=row.status,  # type: ignore[arg-type]
        notes=row.notes,
        applied_at=row.applied_at,
        interview_at=row.interview_at,
        follow_up_at=row.follow_up_at,
        resume_id=str(row.resume_id) if row.resume_id else None,
        cover_letter_id=str(row.cover_letter_id) if row.cover_letter_id else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        history=[
            ApplicationEventPublic(
                from_status=e.from_status, to_status=e.to_status, note=e.note, at=e.at
            )
            for e in events
        ],
    )


async def _events(
    session: AsyncSession, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[JobApplicationEvent]]:
    grouped: dict[uuid.UUID, list[JobApplicationEvent]] = {i: [] for i in application_ids}
    if application_ids:
        rows = await session.exec(
            select(JobApplicationEvent)
            .where(col(JobApplicationEvent.application_id).in_(application_ids))
            .order_by(col(JobApplicationEvent.at), col(JobApplicationEvent.id))
        )
        for event_row in rows.all():
            grouped[event_row.application_id].append(event_row)
    return grouped


async def _job_statuses(
    session: AsyncSession, job_ids: Sequence[uuid.UUID | None]
) -> dict[uuid.UUID, str]:
    ids = [i for i in job_ids if i is not None]
    if not ids:
        return {}
    rows = await session.exec(
        select(JobPosting.id, JobPosting.status).where(col(JobPosting.id).in_(ids))
    )
    return dict(rows.all())


async def _public(session: AsyncSession, row: JobApplication) -> ApplicationPublic:
    events = await _events(session, [row.id])
    statuses = await _job_statuses(session, [row.job_id])
    return _application_public(
        row, events[row.id], statuses.get(row.job_id) if row.job_id else None
    )


async def create_application(
    *, session: AsyncSession, owner_id: uuid.UUID, body: ApplicationCreate
) -> ApplicationPublic:
    """Start tracking an application for a stored or an external posting."""
    if body.job_id is not None:
        posting = await owned_posting(session, owner_id=owner_id, job_id=body.job_id)
        existing = (
            await session.exec(
                select(JobApplication).where(
                    JobApplication.owner_id == owner_id, JobApplication.job_id == posting.id
                )
            )
        ).first()
        if existing is not None:
            raise DuplicateApplication(
                f"You already track this job (application {existing.id}); update it with "
                f"PATCH /api/applications/{existing.id}.",
                extra={"application_id": str(existing.id)},
            )
        title, company, url = posting.title, posting.company, posting.url
    else:
        assert body.external is not None
        title, company, url = body.external.title, body.external.company, body.external.url
    now = utcnow()
    row = JobApplication(
        owner_id=owner_id,
        job_id=body.job_id,
        title=title,
        company=company,
        url=url,
        status=body.status,
        notes=body.notes,
        applied_at=_as_utc(body.applied_at) or (now if body.status == "applied" else None),
        interview_at=_as_utc(body.interview_at),
        follow_up_at=_as_utc(body.follow_up_at),
        resume_id=body.resume_id,
        cover_letter_id=body.cover_letter_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.add(
        JobApplicationEvent(
            owner_id=owner_id, application_id=row.id, from_status=None, to_status=row.status, at=now
        )
    )
    try:
        await session.flush()
    except IntegrityError as exc:
        raise DuplicateApplication("You already track this job.") from exc
    return await _public(session, row)


async def _owned_application(
    session: AsyncSession, *, owner_id: uuid.UUID, application_id: uuid.UUID
) -> JobApplication:
    return await get_owned(
        session, JobApplication, application_id, owner_id=owner_id, missing=ApplicationNotFound
    )


async def get_application(
    *, session: AsyncSession, owner_id: uuid.UUID, application_id: uuid.UUID
) -> ApplicationPublic:
    """Return one application with its history of status changes."""
    row = await _owned_application(session, owner_id=owner_id, application_id=application_id)
    return await _public(session, row)


async def list_applications(
    *, session: AsyncSession, owner_id: uuid.UUID, status: str | None
) -> list[ApplicationPublic]:
    """Return the user's applications, most recently changed first, optionally of one status."""
    query = select(JobApplication).where(JobApplication.owner_id == owner_id)
    if status is not None:
        query = query.where(JobApplication.status == status)
    rows = (
        await session.exec(
            query.order_by(col(JobApplication.updated_at).desc(), col(JobApplication.id))
        )
    ).all()
    events = await _events(session, [r.id for r in rows])
    statuses = await _job_statuses(session, [r.job_id for r in rows])
    return [
        _application_public(r, events[r.id], statuses.get(r.job_id) if r.job_id else None)
        for r in rows
    ]


async def update_application(
    *,
    session: AsyncSession,
    owner_id: uuid.UUID,
    application_id: uuid.UUID,
    body: ApplicationUpdate,
) -> ApplicationPublic:
    """Change an application; a new status is recorded in its history."""
    row = await _owned_application(session, owner_id=owner_id, application_id=application_id)
    sent = body.model_fields_set
    now = utcnow()
    if "status" in sent:
        if body.status is None:
            raise InvalidInput("status cannot be empty.")
        if body.status != row.status:
            session.add(
                JobApplicationEvent(
                    owner_id=owner_id,
                    application_id=row.id,
                    from_status=row.status,
                    to_status=body.status,
                    note=body.note,
                    at=now,
                )
            )
            if body.status == "applied" and row.applied_at is None and "applied_at" not in sent:
                row.applied_at = now
            row.status = body.status
    if "notes" in sent:
        row.notes = body.notes or ""
    for name in ("applied_at", "interview_at", "follow_up_at"):
        if name in sent:
            setattr(row, name, _as_utc(getattr(body, name)))
    for name in ("resume_id", "cover_letter_id"):
        if name in sent:
            setattr(row, name, getattr(body, name))
    row.updated_at = now
    await session.flush()
    return await _public(session, row)


async def delete_application(
    *, session: AsyncSession, owner_id: uuid.UUID, application_id: uuid.UUID
) -> None:
    """Stop tracking an application (its history goes with it)."""
    row = await _owned_application(session, owner_id=owner_id, application_id=application_id)
    await session.delete(row)
    await session.flush()


# --- account export -----------------------------------------------------------------------------


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> dict[str, Any]:
    """Return the user's sources, postings and applications for the account export."""
    sources = await list_sources(session=session, owner_id=owner_id)
    postings = (
        await session.exec(
            select(JobPosting)
            .where(JobPosting.owner_id == owner_id)
            .order_by(col(JobPosting.first_seen_at))
        )
    ).all()
    applications = await list_applications(session=session, owner_id=owner_id, status=None)
    return {
        "sources": [s.model_dump(mode="json") for s in sources],
        "postings": [
            p.model_dump(mode="json", exclude={"embedding", "parsed", "owner_id"}) for p in postings
        ],
        "applications": [a.model_dump(mode="json") for a in applications],
    }
