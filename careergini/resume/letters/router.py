"""Cover letters under /api/cover-letters (included by ``careergini.resume.router``)."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse

from careergini.gateway.auth.dependencies import AIRateLimit, CurrentUser
from careergini.resume import output
from careergini.resume.letters import service as letters_service
from careergini.resume.output import TemplateQuery
from careergini.resume.schemas import (
    CoverLetterPatch,
    CoverLetterPublic,
    CoverLetterRequest,
    CoverLetterSummaryPublic,
)
from careergini.runtime.deps import ResourcesDep, SessionDep
from careergini.tasks import service as tasks_service
from careergini.tasks.service import IdempotencyKeyHeader

# No tags of its own: it takes the resume router's ("resume") when included there.
router = APIRouter()


@router.post(
    "/api/cover-letters",
    response_model=CoverLetterPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[AIRateLimit],
    responses={
        404: {"description": "unknown role_id, or no such posting of yours (job_id)"},
        409: {"description": "no profile yet"},
        422: {"description": "an Idempotency-Key already used with another body"},
    },
)
async def create_cover_letter(
    body: CoverLetterRequest,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> CoverLetterPublic | JSONResponse:
    """A cover letter for a job, from your profile's facts only (same grounding check).

    Stored at once as the deterministic letter; with `llm: true` and the model enabled, `task`
    is the background task rewording it (`shows` says which version the letter holds)."""
    return await tasks_service.answer_once(
        session,
        owner_id=user.id,
        key=idempotency_key,
        scope="resume.letter",
        body=body,
        make=lambda: letters_service.create_cover_letter(
            session=session, resources=resources, owner_id=user.id, request=body
        ),
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/api/cover-letters", response_model=list[CoverLetterSummaryPublic])
async def list_cover_letters(
    user: CurrentUser, session: SessionDep
) -> list[CoverLetterSummaryPublic]:
    """Your cover letters, newest first."""
    return await letters_service.list_cover_letters(session=session, owner_id=user.id)


@router.get("/api/cover-letters/{letter_id}", response_model=CoverLetterPublic)
async def get_cover_letter(
    letter_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> CoverLetterPublic:
    """One cover letter with its per-paragraph grounding report."""
    return await letters_service.get_cover_letter(
        session=session, owner_id=user.id, letter_id=letter_id
    )


@router.patch("/api/cover-letters/{letter_id}", response_model=CoverLetterPublic)
async def update_cover_letter(
    letter_id: uuid.UUID, patch: CoverLetterPatch, user: CurrentUser, session: SessionDep
) -> CoverLetterPublic:
    """Accept or reject the model's wording of each paragraph, or edit it (grounding-checked)."""
    return await letters_service.update_cover_letter(
        session=session, owner_id=user.id, letter_id=letter_id, patch=patch
    )


@router.delete("/api/cover-letters/{letter_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_cover_letter(
    letter_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> Response:
    """Delete a cover letter."""
    await letters_service.delete_cover_letter(
        session=session, owner_id=user.id, letter_id=letter_id
    )
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
    return output.response(
        await letters_service.render_cover_letter(
            session=session,
            resources=resources,
            owner_id=user.id,
            letter_id=letter_id,
            fmt=formats[fmt],  # type: ignore[arg-type]
            template=template,
        )
    )
