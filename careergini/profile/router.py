from __future__ import annotations

import uuid

from fastapi import APIRouter, File, Response, UploadFile, status

from careergini.documents.errors import DocumentTooLarge
from careergini.gateway.auth.dependencies import CurrentUser
from careergini.profile import service as profile_service
from careergini.profile.aggregate import MergedProfile, ProfilePatch
from careergini.profile.models import ProfileImport
from careergini.profile.parsers import MAX_DOCUMENT_BYTES
from careergini.profile.schemas import (
    GitHubImportRequest,
    ImportDetail,
    ImportPublic,
    ParseResult,
)
from careergini.runtime.deps import ResourcesDep, SessionDep

router = APIRouter(prefix="/api/profile", tags=["profile"])


def _public(row: ProfileImport) -> ImportPublic:
    result = ParseResult.model_validate(row.result)
    profile = result.profile
    return ImportPublic(
        id=str(row.id),
        kind=row.kind,
        filename=row.filename,
        source_ref=row.source_ref,
        size_bytes=row.size_bytes,
        created_at=row.created_at.isoformat(),
        parsed_at=row.parsed_at.isoformat(),
        parser_version=row.parser_version,
        stale=row.parser_version != profile_service.PARSER_VERSION,
        warnings=result.warnings,
        counts={
            "work": len(profile.work),
            "education": len(profile.education),
            "skills": len(profile.skills),
            "projects": len(profile.projects),
        },
    )


def _detail(row: ProfileImport) -> ImportDetail:
    return ImportDetail(**_public(row).model_dump(), result=ParseResult.model_validate(row.result))


@router.get("", response_model=MergedProfile)
async def get_profile(user: CurrentUser, session: SessionDep) -> MergedProfile:
    """Your profile: every import merged, with sources, conflicts side by side, and your edits.

    Fields read with doubt are listed in ``to_confirm``; they are printed nowhere (resumes,
    letters, exports) until you confirm them (``confirm`` in a patch) or edit them."""
    return await profile_service.get_profile(session=session, owner_id=user.id, unconfirmed=True)


@router.patch("", response_model=MergedProfile)
async def update_profile(
    patch: ProfilePatch, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> MergedProfile:
    """Correct your profile; corrections are kept when you import again."""
    return await profile_service.update_profile(
        session=session, resources=resources, owner_id=user.id, patch=patch
    )


@router.get("/export")
async def export_profile(user: CurrentUser, session: SessionDep) -> dict:
    """Your profile as a JSON Resume (jsonresume.org) document."""
    profile = await profile_service.get_profile(session=session, owner_id=user.id)
    return profile_service.to_json_resume(profile)


@router.post(
    "/imports",
    response_model=ImportDetail,
    status_code=status.HTTP_201_CREATED,
    responses={
        413: {"description": "over 10 MB, or an archive that expands too far"},
        415: {"description": "not a PDF, DOCX, LinkedIn export, JSON Resume or text"},
        422: {"description": "scanned, encrypted, corrupt, or not a resume"},
    },
)
async def import_document(
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    file: UploadFile = File(description="PDF, DOCX, text/Markdown, JSON Resume or LinkedIn ZIP"),
) -> ImportDetail:
    """Import a resume or a LinkedIn data export (type detected from the bytes, 10 MB at most)."""
    data = await file.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(
            f"The file is over the {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB limit. "
            "Upload a smaller export of your resume."
        )
    row = await profile_service.import_document(
        session=session, resources=resources, owner_id=user.id, data=data, filename=file.filename
    )
    return _detail(row)


@router.post("/imports/github", response_model=ImportDetail, status_code=status.HTTP_201_CREATED)
async def import_github(
    body: GitHubImportRequest, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> ImportDetail:
    """Import a public GitHub account: profile, repositories, languages as skill evidence."""
    row = await profile_service.import_github(
        session=session, resources=resources, owner_id=user.id, username=body.username
    )
    return _detail(row)


@router.get("/imports", response_model=list[ImportPublic])
async def list_imports(user: CurrentUser, session: SessionDep) -> list[ImportPublic]:
    """Your imports, newest first."""
    return [
        _public(r) for r in await profile_service.list_imports(session=session, owner_id=user.id)
    ]


@router.get("/imports/{import_id}", response_model=ImportDetail)
async def get_import(import_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> ImportDetail:
    """One import with its full parse result."""
    row = await profile_service.get_import(session=session, owner_id=user.id, import_id=import_id)
    return _detail(row)


@router.post("/imports/{import_id}/reparse", response_model=ImportDetail)
async def reparse_import(
    import_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> ImportDetail:
    """Parse a stored file again with the current parser."""
    row = await profile_service.reparse_import(
        session=session, resources=resources, owner_id=user.id, import_id=import_id
    )
    return _detail(row)


@router.delete("/imports/{import_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_import(
    import_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> Response:
    """Delete an import and its file; the profile is merged again without it."""
    await profile_service.delete_import(
        session=session, resources=resources, owner_id=user.id, import_id=import_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
