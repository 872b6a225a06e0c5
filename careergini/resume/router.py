from __future__ import annotations

import uuid
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import HTMLResponse, JSONResponse

from careergini.gateway.auth.dependencies import AIRateLimit, CurrentUser
from careergini.resume import service as resume_service
from careergini.resume.schemas import (
    TEMPLATES,
    CoverLetterPatch,
    CoverLetterPublic,
    CoverLetterRequest,
    CoverLetterSummaryPublic,
    ResumePatch,
    ResumePublic,
    ResumeSummaryPublic,
    TailorRequest,
)
from careergini.runtime.deps import ResourcesDep, SessionDep

router = APIRouter(tags=["resume"])

TemplateQuery = Annotated[
    str | None,
    Query(max_length=40, description=f"render with another template: {' | '.join(TEMPLATES)}"),
]
# The preview is the user's own document: it may be framed by the app itself, and nothing in it
# may load or run anything.
_PREVIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "SAMEORIGIN",
}


def _file(rendered: resume_service.Rendered) -> Response:
    if isinstance(rendered.body, dict):
        return JSONResponse(rendered.body)
    if rendered.media_type.startswith("text/html"):
        return HTMLResponse(rendered.body, headers=_PREVIEW_HEADERS)
    disposition = (
        f"attachment; filename=\"{rendered.filename}\"; filename*=UTF-8''{quote(rendered.filename)}"
    )
    return Response(
        rendered.body,
        media_type=rendered.media_type,
        headers={"Content-Disposition": disposition},
    )


# --- resumes ----------------------------------------------------------------------------------


@router.post(
    "/api/resumes/tailor",
    response_model=ResumePublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[AIRateLimit],
    responses={
        404: {"description": "unknown role_id, or no such posting of yours (job_id)"},
        409: {"description": "no profile yet"},
        422: {"description": "unknown template (the valid ones are listed) or position key"},
    },
)
async def tailor_resume(
    body: TailorRequest, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> ResumePublic:
    """A resume version tailored to a job: relevant bullets first, matched skills first, a
    summary aimed at the role; every fact traced to your profile (see `report`)."""
    return await resume_service.tailor_resume(
        session=session, resources=resources, owner_id=user.id, request=body
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
) -> Response:
    """The resume as an HTML page, as the PDF will look."""
    return _file(
        await resume_service.render_resume(
            session=session,
            resources=resources,
            owner_id=user.id,
            resume_id=resume_id,
            fmt="html",
            template=template,
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
) -> Response:
    """The resume as a PDF (WeasyPrint): real, selectable text."""
    return _file(
        await resume_service.render_resume(
            session=session,
            resources=resources,
            owner_id=user.id,
            resume_id=resume_id,
            fmt="pdf",
            template=template,
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
) -> Response:
    """The resume as a Word document with real headings and lists."""
    return _file(
        await resume_service.render_resume(
            session=session,
            resources=resources,
            owner_id=user.id,
            resume_id=resume_id,
            fmt="docx",
            template=template,
        )
    )


@router.get("/api/resumes/{resume_id}/json")
async def resume_json(
    resume_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> Response:
    """The resume as a JSON Resume (jsonresume.org) document."""
    return _file(
        await resume_service.render_resume(
            session=session, resources=resources, owner_id=user.id, resume_id=resume_id, fmt="json"
        )
    )


# --- cover letters ----------------------------------------------------------------------------


@router.post(
    "/api/cover-letters",
    response_model=CoverLetterPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[AIRateLimit],
    responses={
        404: {"description": "unknown role_id, or no such posting of yours (job_id)"},
        409: {"description": "no profile yet"},
    },
)
async def create_cover_letter(
    body: CoverLetterRequest, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> CoverLetterPublic:
    """A cover letter for a job, from your profile's facts only (same grounding check)."""
    return await resume_service.create_cover_letter(
        session=session, resources=resources, owner_id=user.id, request=body
    )


@router.get("/api/cover-letters", response_model=list[CoverLetterSummaryPublic])
async def list_cover_letters(
    user: CurrentUser, session: SessionDep
) -> list[CoverLetterSummaryPublic]:
    """Your cover letters, newest first."""
    return await resume_service.list_cover_letters(session=session, owner_id=user.id)


@router.get("/api/cover-letters/{letter_id}", response_model=CoverLetterPublic)
async def get_cover_letter(
    letter_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> CoverLetterPublic:
    """One cover letter with its per-paragraph grounding report."""
    return await resume_service.get_cover_letter(
        session=session, owner_id=user.id, letter_id=letter_id
    )


@router.patch("/api/cover-letters/{letter_id}", response_model=CoverLetterPublic)
async def update_cover_letter(
    letter_id: uuid.UUID, patch: CoverLetterPatch, user: CurrentUser, session: SessionDep
) -> CoverLetterPublic:
    """Accept or reject the model's wording of each paragraph, or edit it (grounding-checked)."""
    return await resume_service.update_cover_letter(
        session=session, owner_id=user.id, letter_id=letter_id, patch=patch
    )


@router.delete("/api/cover-letters/{letter_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_cover_letter(
    letter_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> Response:
    """Delete a cover letter."""
    await resume_service.delete_cover_letter(session=session, owner_id=user.id, letter_id=letter_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/cover-letters/{letter_id}/{fmt}", response_class=Response)
async def render_cover_letter(
    letter_id: uuid.UUID,
    fmt: Literal["preview", "pdf", "docx", "json"],
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    template: TemplateQuery = None,
) -> Response:
    """The cover letter as `preview` (HTML), `pdf`, `docx` or `json`."""
    formats = {"preview": "html", "pdf": "pdf", "docx": "docx", "json": "json"}
    return _file(
        await resume_service.render_cover_letter(
            session=session,
            resources=resources,
            owner_id=user.id,
            letter_id=letter_id,
            fmt=formats[fmt],  # type: ignore[arg-type]
            template=template,
        )
    )
