"""Resume versions under /api/resumes; the cover letters' routes (``letters.router``) join here."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status
from fastapi.responses import HTMLResponse, JSONResponse

from careergini.gateway.auth.dependencies import AIRateLimit, CurrentUser
from careergini.resume import output, service as resume_service
from careergini.resume.letters.router import router as letters_router
from careergini.resume.output import PageQuery, TemplateQuery
from careergini.resume.schemas import (
    ResumePatch,
    ResumePublic,
    ResumeSummaryPublic,
    TailorRequest,
)
from careergini.runtime.deps import ResourcesDep, SessionDep
from careergini.tasks import service as tasks_service
from careergini.tasks.service import IdempotencyKeyHeader

router = APIRouter(tags=["resume"])


@router.post(
    "/api/resumes/tailor",
    response_model=ResumePublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[AIRateLimit],
    responses={
        404: {"description": "unknown role_id, or no such posting of yours (job_id)"},
        409: {"description": "no profile yet"},
        422: {
            "description": "unknown template (the valid ones are listed) or position key, or "
            "an Idempotency-Key already used with another body"
        },
    },
)
async def tailor_resume(
    body: TailorRequest,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> ResumePublic | JSONResponse:
    """A resume version tailored to a job: relevant bullets first, matched skills first, a
    summary aimed at the role; every fact traced to your profile (see `report`).

    Stored at once as the deterministic version (`shows: "deterministic"`); with `llm: true`
    and the model enabled, `task` is the background task rewording it, after which this
    version shows the model's grounded wording (`shows: "model"`) unless you edited it first."""
    return await tasks_service.answer_once(
        session,
        owner_id=user.id,
        key=idempotency_key,
        scope="resume.tailor",
        body=body,
        make=lambda: resume_service.tailor_resume(
            session=session, resources=resources, owner_id=user.id, request=body
        ),
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/api/resumes", response_model=list[ResumeSummaryPublic])
async def list_resumes(user: CurrentUser, session: SessionDep) -> list[ResumeSummaryPublic]:
    """Your resume versions, newest first."""
    return await resume_service.list_resumes(session=session, owner_id=user.id)


@router.get("/api/resumes/{resume_id}", response_model=ResumePublic)
async def get_resume(resume_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> ResumePublic:
    """One resume version with its per-bullet grounding report."""
    return await resume_service.get_resume(session=session, owner_id=user.id, resume_id=resume_id)


@router.patch("/api/resumes/{resume_id}", response_model=ResumePublic)
async def update_resume(
    resume_id: uuid.UUID, patch: ResumePatch, user: CurrentUser, session: SessionDep
) -> ResumePublic:
    """Accept or reject each change, edit text (grounding-checked: an unsupported fact is a
    422), leave positions or bullets out or put them back, switch template."""
    return await resume_service.update_resume(
        session=session, owner_id=user.id, resume_id=resume_id, patch=patch
    )


@router.delete("/api/resumes/{resume_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_resume(resume_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    """Delete a resume version."""
    await resume_service.delete_resume(session=session, owner_id=user.id, resume_id=resume_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/resumes/{resume_id}/preview", response_class=HTMLResponse)
async def preview_resume(
    resume_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    template: TemplateQuery = None,
    page: PageQuery = None,
) -> Response:
    """The resume as an HTML page, as the PDF will look."""
    return output.response(
        await resume_service.render_resume(
            session=session,
            resources=resources,
            owner_id=user.id,
            resume_id=resume_id,
            fmt="html",
            template=template,
            page_size=page,
        )
    )


@router.get(
    "/api/resumes/{resume_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def resume_pdf(
    resume_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    template: TemplateQuery = None,
    page: PageQuery = None,
) -> Response:
    """The resume as a PDF (WeasyPrint): real, selectable text."""
    return output.response(
        await resume_service.render_resume(
            session=session,
            resources=resources,
            owner_id=user.id,
            resume_id=resume_id,
            fmt="pdf",
            template=template,
            page_size=page,
        )
    )


@router.get(
    "/api/resumes/{resume_id}/docx",
    response_class=Response,
    responses={200: {"content": {resume_service.MEDIA_TYPES["docx"]: {}}}},
)
async def resume_docx(
    resume_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    template: TemplateQuery = None,
    page: PageQuery = None,
) -> Response:
    """The resume as a Word document with real headings and lists."""
    return output.response(
        await resume_service.render_resume(
            session=session,
            resources=resources,
            owner_id=user.id,
            resume_id=resume_id,
            fmt="docx",
            template=template,
            page_size=page,
        )
    )


@router.get("/api/resumes/{resume_id}/json")
async def resume_json(
    resume_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> Response:
    """The resume as a JSON Resume (jsonresume.org) document."""
    return output.response(
        await resume_service.render_resume(
            session=session, resources=resources, owner_id=user.id, resume_id=resume_id, fmt="json"
        )
    )


# The cover letters' routes (/api/cover-letters), after the resumes' as before.
router.include_router(letters_router)
