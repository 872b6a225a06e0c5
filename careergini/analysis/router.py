from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile

from careergini.analysis import service as analysis_service
from careergini.analysis.schemas import (
    MAX_JD_CHARS,
    AnalysisKind,
    AnalysisPublic,
    AnalysisRequest,
    AnalysisSummary,
    JobParseRequest,
    RoleHit,
    RolePublic,
)
from careergini.core.errors import InvalidInput, PayloadTooLarge
from careergini.core.offload import run_bounded
from careergini.documents.text import extract_text_from_document
from careergini.gateway.auth.dependencies import CurrentUser
from careergini.runtime.deps import EmbedderDep, ResourcesDep, SessionDep
from careergini.skills import service as skills_service
from careergini.skills.schemas import ParsedJob
from careergini.skills.service import SCORING_DOC

router = APIRouter(tags=["analysis"])
MAX_JD_FILE_BYTES = 5 * 1024 * 1024


def _require_login(user: CurrentUser) -> None:
    return None


LoggedIn = Depends(_require_login)


@router.post("/api/jobs/parse", response_model=ParsedJob, dependencies=[LoggedIn])
async def parse_job(body: JobParseRequest) -> ParsedJob:
    """Parse a pasted job description: title, level, years, required/preferred skills, pay."""
    if not body.text.strip():
        raise InvalidInput("The job description is empty: paste the job's text.")
    return await run_bounded(
        skills_service.parse_job,
        text=body.text,
        title_hint=body.title_hint,
        what="this job description",
    )


@router.post("/api/jobs/parse/file", response_model=ParsedJob, dependencies=[LoggedIn])
async def parse_job_file(file: UploadFile = File(description="PDF, DOCX or text")) -> ParsedJob:
    """Parse a job description uploaded as a PDF, DOCX or text file."""
    data = await file.read(MAX_JD_FILE_BYTES + 1)
    if len(data) > MAX_JD_FILE_BYTES:
        raise PayloadTooLarge("A job description file may be 5 MB at most.")
    text = await run_bounded(extract_text_from_document, data, what="this file")
    if not text.strip():
        raise InvalidInput("No text could be read from this file: paste the job's text instead.")
    if len(text) > MAX_JD_CHARS:
        raise InvalidInput(f"The job description is over {MAX_JD_CHARS:,} characters.")
    return await run_bounded(skills_service.parse_job, text=text, what="this job description")


@router.get("/api/roles/search", response_model=list[RoleHit], dependencies=[LoggedIn])
async def search_roles(
    q: Annotated[str, Query(min_length=1, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[RoleHit]:
    """Find target roles by title or alternate title (ESCO occupations, O*NET titles)."""
    return analysis_service.search_roles(q=q, limit=limit)


@router.get("/api/roles/{role_id}", response_model=RolePublic, dependencies=[LoggedIn])
async def get_role(role_id: str) -> RolePublic:
    """A role's essential and optional skills, and the technologies O*NET marks hot."""
    return analysis_service.describe_role(skills_service.get_role(role_id))


@router.post("/api/analysis/gap", response_model=AnalysisPublic)
async def gap(body: AnalysisRequest, user: CurrentUser, session: SessionDep) -> AnalysisPublic:
    """Your skill gap for a job or a role: matched (with evidence), missing, transferable."""
    return await analysis_service.run_gap(session=session, owner_id=user.id, request=body)


@router.post("/api/analysis/match", response_model=AnalysisPublic, description=SCORING_DOC)
async def match(
    body: AnalysisRequest, user: CurrentUser, session: SessionDep, embedder: EmbedderDep
) -> AnalysisPublic:
    """Your match score (0-100) for a job or a role, with every component explained."""
    return await analysis_service.run_match(
        session=session, embedder=embedder, owner_id=user.id, request=body
    )


@router.post("/api/analysis/ats", response_model=AnalysisPublic)
async def ats(
    body: AnalysisRequest, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> AnalysisPublic:
    """How an applicant tracking system would read your resume for this job."""
    return await analysis_service.run_ats(
        session=session, files=resources.files, owner_id=user.id, request=body
    )


@router.get("/api/analysis", response_model=list[AnalysisSummary])
async def list_analyses(
    user: CurrentUser, session: SessionDep, kind: AnalysisKind | None = None
) -> list[AnalysisSummary]:
    """Your stored analyses, newest first."""
    return await analysis_service.list_analyses(session=session, owner_id=user.id, kind=kind)


@router.get("/api/analysis/{analysis_id}", response_model=AnalysisPublic)
async def get_analysis(
    analysis_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> AnalysisPublic:
    """One stored analysis."""
    return await analysis_service.get_analysis(
        session=session, owner_id=user.id, analysis_id=analysis_id
    )
