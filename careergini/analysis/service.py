"""The analysis service: resolve the target, read the profile, run the pure analyses, store them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.analysis import targets as job_targets
from careergini.analysis.models import Analysis
from careergini.analysis.schemas import (
    AnalysisKind,
    AnalysisPublic,
    AnalysisRequest,
    AnalysisSummary,
    RoleHit,
    RolePublic,
    RoleSkill,
    Target,
)
from careergini.analysis.targets import posting_for_target as posting_for_target
from careergini.core.db import utcnow
from careergini.core.embeddings import Embedder
from careergini.core.errors import NotFound
from careergini.core.offload import run_bounded
from careergini.core.storage import FileStore
from careergini.profile import service as profile_service
from careergini.profile.errors import NoProfileYet
from careergini.skills.schemas import (
    AtsDocument,
    AtsReport,
    Candidate,
    GapReport,
    JobRequirements,
    LayoutFacts,
    MatchScore,
    ParsedJob,
    Role,
    Taxonomy,
)
from careergini.skills.service import (
    SCORING_VERSION,
    ats_report,
    candidate_from_profile,
    compute_gap,
    compute_match,
    cosine,
    extract_skills,
    get_role,
    inspect_layout,
    load_roles,
    load_taxonomy,
    parse_job,
    requirements_from_job,
    requirements_from_role,
    search_titles,
)

# --- targets ----------------------------------------------------------------------------------


def requirements_from_posting(
    posting: job_targets.PostingTarget, taxonomy: Taxonomy
) -> tuple[ParsedJob, JobRequirements]:
    """Turn a saved posting into requirements, from the parse stored with it."""
    parsed = None
    if posting.parsed:
        try:
            parsed = ParsedJob.model_validate(posting.parsed)
        except ValidationError:
            parsed = None  # stored by an older parser: read the text again
    if parsed is None:
        parsed = parse_job(text=posting.text, title_hint=posting.title)
    # The posting's own title and company, as the jobs pages show them, over the parser's guess.
    parsed = parsed.model_copy(
        update={"title": posting.title, "company": posting.company or parsed.company}
    )
    job = requirements_from_job(parsed, taxonomy, posting.text)
    return parsed, dataclasses.replace(job, title=posting.title)


def _role_skill(taxonomy: Taxonomy, skill_id: str) -> RoleSkill:
    known = taxonomy.get(skill_id)
    return RoleSkill(
        skill_id=skill_id,
        name=known.name if known else skill_id,
        hot=bool(known and known.hot),
        in_demand=bool(known and known.in_demand),
    )


def describe_role(role: Role) -> RolePublic:
    """Return a role with its essential, optional and hot skills."""
    taxonomy = load_taxonomy()
    roles = load_roles()
    return RolePublic(
        id=role.id,
        source=role.source,
        title=role.title,
        alt_titles=list(role.alt_titles[:30]),
        description=role.description,
        essential=[_role_skill(taxonomy, s) for s in role.essential_skill_ids]
        + [RoleSkill(skill_id=None, name=n) for n in role.essential_other],
        optional=[_role_skill(taxonomy, s) for s in role.optional_skill_ids]
        + [RoleSkill(skill_id=None, name=n) for n in role.optional_other],
        hot_technologies=[_role_skill(taxonomy, s) for s in role.hot_technology_ids],
        related_roles=[
            {"id": r.id, "title": r.title}
            for r in (roles.get(rid) for rid in role.related_role_ids[:10])
            if r is not None
        ],
    )


def search_roles(*, q: str, limit: int) -> list[RoleHit]:
    """Find roles by a title as people type it: the reviewed tech titles (spelling variants and
    small typos), then ESCO and O*NET titles and alternate titles, else close titles."""
    return [
        RoleHit(
            id=m.role.id,
            source=m.role.source,
            title=m.role.title,
            matched_title=m.title if m.title != m.role.title else None,
        )
        for m in search_titles(q, limit=limit)
    ]


async def _resolve_target(
    request: AnalysisRequest, *, session: AsyncSession, owner_id: uuid.UUID
) -> tuple[JobRequirements, Target]:
    taxonomy = load_taxonomy()
    if request.job_id is not None:
        posting = await job_targets.posting_for_target(
            session=session, owner_id=owner_id, job_id=request.job_id
        )
        parsed, job = requirements_from_posting(posting, taxonomy)
        target = Target(
            type="job",
            title=posting.title,
            company=parsed.company,
            job_id=posting.job_id,
            seniority=job.seniority,
            years_min=job.years_min,
            skills=len(job.skills),
        )
        return job, target
    if request.role_id is not None:
        role = get_role(request.role_id)
        job = requirements_from_role(role, taxonomy)
        target = Target(type="role", title=role.title, role_id=role.id, skills=len(job.skills))
        return job, target
    text = request.job_description or ""
    parsed = await run_bounded(parse_job, text=text, what="this job description")
    job = requirements_from_job(parsed, taxonomy, text)
    target = Target(
        type="job_description",
        title=parsed.title,
        company=parsed.company,
        seniority=job.seniority,
        years_min=job.years_min,
        skills=len(job.skills),
        job_text=text,
    )
    return job, target


# --- profile side -----------------------------------------------------------------------------


async def _candidate(
    *, session: AsyncSession, owner_id: uuid.UUID
) -> tuple[profile_service.MergedProfile, Candidate]:
    profile = await profile_service.build_profile(session=session, owner_id=owner_id)
    if profile is None:
        raise NoProfileYet()
    return profile, candidate_from_profile(profile, now_year=utcnow().year)


async def similarity(*, embedder: Embedder, candidate: Candidate, job: JobRequirements) -> float:
    """Cosine similarity of the person's experience and the job's text (embeddings cached)."""
    if not candidate.experience_text.strip() or not job.text.strip():
        return 0.0
    person = await embedder.embed_document(candidate.experience_text)
    wanted = await embedder.embed_document(job.text)
    return cosine(person, wanted)


def _hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


async def _store(
    *,
    session: AsyncSession,
    owner_id: uuid.UUID,
    kind: AnalysisKind,
    target: Target,
    job: JobRequirements,
    profile: profile_service.MergedProfile,
    warnings: Sequence[str],
    gap: GapReport | None = None,
    match: MatchScore | None = None,
    ats: AtsReport | None = None,
) -> AnalysisPublic:
    result: dict[str, Any] = {"target": target.model_dump(mode="json")}
    for name, report in (("match", match), ("gap", gap), ("ats", ats)):
        if report is not None:
            result[name] = report.model_dump(mode="json")
    result["warnings"] = list(warnings)
    row = Analysis(
        owner_id=owner_id,
        kind=kind,
        target_title=(target.title or "")[:300] or None,
        job_hash=_hash(job.text),
        profile_hash=_hash(profile.model_dump(mode="json")),
        scoring_version=SCORING_VERSION,
        result=result,
    )
    session.add(row)
    await session.flush()
    return to_public(row)


def to_public(row: Analysis) -> AnalysisPublic:
    return AnalysisPublic.model_validate(
        {
            **row.result,
            "id": str(row.id),
            "kind": row.kind,
            "created_at": row.created_at.isoformat(),
            "scoring_version": row.scoring_version,
        }
    )


class _Scored(BaseModel):
    score: float | None = None


class _StoredSummary(BaseModel):
    """The part of a stored result that a list of analyses shows."""

    target: Target
    match: _Scored | None = None
    ats: _Scored | None = None


async def _analyse(
    request: AnalysisRequest, *, session: AsyncSession, owner_id: uuid.UUID
) -> tuple[JobRequirements, Target, profile_service.MergedProfile, Candidate, GapReport]:
    """Resolve the target, read the profile and compute the one gap every report reads."""
    job, target = await _resolve_target(request, session=session, owner_id=owner_id)
    profile, candidate = await _candidate(session=session, owner_id=owner_id)
    return job, target, profile, candidate, compute_gap(job, candidate, load_taxonomy())


async def run_gap(
    *, session: AsyncSession, owner_id: uuid.UUID, request: AnalysisRequest
) -> AnalysisPublic:
    """Compare the user's profile with a job or a role and store the gap."""
    job, target, profile, _, gap = await _analyse(request, session=session, owner_id=owner_id)
    return await _store(
        session=session,
        owner_id=owner_id,
        kind="gap",
        target=target,
        job=job,
        profile=profile,
        warnings=job.warnings,
        gap=gap,
    )


async def run_match(
    *, session: AsyncSession, embedder: Embedder, owner_id: uuid.UUID, request: AnalysisRequest
) -> AnalysisPublic:
    """Score the user's profile against a job or a role, with the gap behind the score."""
    job, target, profile, candidate, gap = await _analyse(
        request, session=session, owner_id=owner_id
    )
    sim = await similarity(embedder=embedder, candidate=candidate, job=job)
    match = compute_match(job, candidate, gap, sim)
    return await _store(
        session=session,
        owner_id=owner_id,
        kind="match",
        target=target,
        job=job,
        profile=profile,
        warnings=match.warnings,
        match=match,
        gap=gap,
    )


# Layout facts of resume files, by content: a stored file never changes, so one reading serves
# every later ATS check of it (the PDF layout read took 393 ms p95 on the event loop).
_LAYOUTS: OrderedDict[str, LayoutFacts] = OrderedDict()
_LAYOUTS_KEPT = 256


async def _layout(data: bytes, kind: str) -> LayoutFacts:
    """Return the file's layout facts, read once per file in a worker process."""
    key = f"{kind}:{hashlib.sha256(data).hexdigest()}"
    cached = _LAYOUTS.get(key)
    if cached is not None:
        _LAYOUTS.move_to_end(key)
        return cached
    layout = await run_bounded(inspect_layout, data, kind, what="this resume file's layout")
    _LAYOUTS[key] = layout
    while len(_LAYOUTS) > _LAYOUTS_KEPT:
        _LAYOUTS.popitem(last=False)
    return layout


# Files that are a resume as an ATS receives it; a LinkedIn export or a GitHub account is not.
_RESUME_FILES = ("pdf", "docx", "text", "json_resume")
_KIND_NAMES = {
    "pdf": "PDF resume",
    "docx": "Word resume",
    "text": "text resume",
    "json_resume": "JSON resume",
    "linkedin_export": "LinkedIn export",
}


async def _resume_file(*, session: AsyncSession, owner_id: uuid.UUID, import_id: str | None) -> Any:
    """Return the import to check: the chosen one, else the newest resume file."""
    imports = [
        row
        for row in await profile_service.list_imports(session=session, owner_id=owner_id)
        if row.stored_path
    ]
    if import_id is not None:
        chosen = [row for row in imports if str(row.id) == import_id]
        if not chosen:
            raise NotFound(
                "No such resume among your imports: leave the choice empty to check your newest "
                "resume file."
            )
        return chosen[0]
    files = [row for row in imports if row.kind in _RESUME_FILES]
    if not (files or imports):
        raise NoProfileYet()
    return (files or imports)[0]


def _document_skills(text: str, result: profile_service.ParseResult) -> dict[str, str]:
    """The skills the document names, as written: the profile's extractor over its text."""
    found: dict[str, str] = {}
    for mention in extract_skills(text=text):
        found.setdefault(mention.skill_id, mention.surface)
    for skill in result.profile.skills:
        if skill.skill_id and skill.evidence:
            found.setdefault(skill.skill_id, skill.evidence[0].surface)
    return found


async def run_ats(
    *, session: AsyncSession, files: FileStore, owner_id: uuid.UUID, request: AnalysisRequest
) -> AnalysisPublic:
    """Check how an ATS would read the user's resume and find the job's terms."""
    job, target, profile, _, gap = await _analyse(request, session=session, owner_id=owner_id)
    row = await _resume_file(session=session, owner_id=owner_id, import_id=request.import_id)
    result = profile_service.ParseResult.model_validate(row.result)
    data = await files.get(row.stored_path, session=session)
    layout = await _layout(data, row.kind) if data is not None else LayoutFacts()
    basics = result.profile.basics
    report = ats_report(
        job=job,
        resume_text=result.text,
        document_skills=_document_skills(result.text, result),
        contact={
            "email": basics.email,
            "phone": basics.phone,
            "location": basics.location,
            "linkedin": basics.links.linkedin,
        },
        work_dates=[(w.start, w.end, w.current) for w in result.profile.work],
        parse_warnings=result.warnings,
        layout=layout,
        profile_skills={m.skill_id: m.via for m in gap.matched},
        document=AtsDocument(
            import_id=str(row.id),
            name=row.filename or _KIND_NAMES.get(row.kind, "your resume"),
            kind=_KIND_NAMES.get(row.kind, row.kind),
            uploaded_at=row.created_at.isoformat(),
        ),
    )
    return await _store(
        session=session,
        owner_id=owner_id,
        kind="ats",
        target=target,
        job=job,
        profile=profile,
        warnings=report.warnings,
        ats=report,
        gap=gap,
    )


async def get_analysis(
    *, session: AsyncSession, owner_id: uuid.UUID, analysis_id: uuid.UUID
) -> AnalysisPublic:
    """Return one of the user's stored analyses; another user's is not found."""
    row = await session.get(Analysis, analysis_id)
    if row is None or row.owner_id != owner_id:
        raise NotFound("No such analysis.")
    return to_public(row)


async def list_analyses(
    *, session: AsyncSession, owner_id: uuid.UUID, kind: str | None, limit: int = 50
) -> list[AnalysisSummary]:
    """Return the user's analyses, newest first, optionally of one kind."""
    query = select(Analysis).where(Analysis.owner_id == owner_id)
    if kind is not None:
        query = query.where(Analysis.kind == kind)
    rows = (await session.exec(query.order_by(col(Analysis.created_at).desc()).limit(limit))).all()
    summaries = []
    for row in rows:
        stored = _StoredSummary.model_validate(row.result)
        score = (stored.match.score if stored.match else None) or (
            stored.ats.score if stored.ats else None
        )
        summaries.append(
            AnalysisSummary.model_validate(
                {
                    "id": str(row.id),
                    "kind": row.kind,
                    "created_at": row.created_at.isoformat(),
                    "target": stored.target.model_copy(update={"job_text": None}),
                    "score": score,
                }
            )
        )
    return summaries


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> list[dict[str, Any]]:
    """Return every stored analysis of the user for the account export."""
    rows = (await session.exec(select(Analysis).where(Analysis.owner_id == owner_id))).all()
    return [to_public(row).model_dump(mode="json") for row in rows]
