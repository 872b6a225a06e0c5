"""The profile domain's API: import documents and accounts, merge them, edit, export, index."""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
import uuid
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import get_owned, utcnow
from careergini.core.errors import InvalidInput, NotFound
from careergini.core.logging import get_logger
from careergini.core.offload import run_bounded
from careergini.core.text import strip_nul
from careergini.profile import aggregate, github
from careergini.profile.aggregate import ImportInput, MergedProfile, ProfilePatch
from careergini.profile.models import ProfileEdits, ProfileImport
from careergini.profile.parsers import parse_document
from careergini.profile.parsers.dates import parse_date
from careergini.profile.schemas import DocumentType, ParseResult
from careergini.runtime.resources import Resources
from careergini.skills.service import extract_skills

log = get_logger(__name__)

# Bumped whenever the parsers change what they produce; stored with each import so old imports
# can be found and re-parsed.
PARSER_VERSION = "2"
PROFILE_COLLECTION = "profile_chunks"
_EXTENSIONS = {
    DocumentType.PDF: ".pdf",
    DocumentType.DOCX: ".docx",
    DocumentType.LINKEDIN_EXPORT: ".zip",
    DocumentType.JSON_RESUME: ".json",
    DocumentType.TEXT: ".txt",
}


class NoProfile(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "You have no profile yet. Import a resume, a LinkedIn export or your GitHub account "
            "first (Profile, import)."
        )


def _import_input(row: ProfileImport) -> ImportInput:
    result = ParseResult.model_validate(row.result)
    return ImportInput(
        id=str(row.id),
        kind=row.kind,
        label=row.filename or row.source_ref,
        created_at=row.created_at,
        profile=result.profile,
    )


def resolve_skill(raw: str) -> tuple[str | None, str, str | None]:
    """Map a skill the user typed to the taxonomy when the whole text names one skill."""
    text = raw.strip()
    mentions = extract_skills(text)
    if len(mentions) == 1 and mentions[0].end - mentions[0].start >= len(text) - 1:
        mention = mentions[0]
        return mention.skill_id, mention.name, mention.category
    return None, text, None


async def list_imports(*, session: AsyncSession, owner_id: uuid.UUID) -> list[ProfileImport]:
    """Return the user's imports, newest first."""
    result = await session.exec(
        select(ProfileImport)
        .where(ProfileImport.owner_id == owner_id)
        .order_by(col(ProfileImport.created_at).desc())
    )
    return list(result.all())


async def get_import(
    *, session: AsyncSession, owner_id: uuid.UUID, import_id: uuid.UUID
) -> ProfileImport:
    """Return one of the user's imports; another user's is not found."""
    return await get_owned(
        session,
        ProfileImport,
        import_id,
        owner_id=owner_id,
        missing=lambda: NotFound("No such import."),
    )


async def _get_edits(*, session: AsyncSession, owner_id: uuid.UUID) -> ProfileEdits | None:
    return await session.get(ProfileEdits, owner_id)


async def build_profile(
    *, session: AsyncSession, owner_id: uuid.UUID, unconfirmed: bool = False
) -> MergedProfile | None:
    """Return the user's merged profile with their edits, or None if they have nothing yet.

    Fields read with doubt are left out until the user confirms them, unless ``unconfirmed``
    (the profile screen, where the user confirms them).
    """
    imports = await list_imports(session=session, owner_id=owner_id)
    edits = await _get_edits(session=session, owner_id=owner_id)
    if not imports and (edits is None or not edits.edits):
        return None
    merged = aggregate.merge_imports(
        [_import_input(row) for row in imports], now_year=utcnow().year
    )
    if edits is not None and edits.edits:
        merged = aggregate.apply_edits(merged, edits.edits, resolve_skill=resolve_skill)
    confirmed = edits.edits.get("confirmed", []) if edits is not None else []
    merged = aggregate.finish_confidence(merged, confirmed)
    return merged if unconfirmed else aggregate.confirmed_only(merged)


async def get_profile(
    *, session: AsyncSession, owner_id: uuid.UUID, unconfirmed: bool = False
) -> MergedProfile:
    """Return the user's profile; raise NoProfile when there is none."""
    profile = await build_profile(session=session, owner_id=owner_id, unconfirmed=unconfirmed)
    if profile is None:
        raise NoProfile()
    return profile


def _profile_chunks(profile: MergedProfile) -> list[tuple[str, str, dict[str, Any]]]:
    chunks: list[tuple[str, str, dict[str, Any]]] = []
    if profile.summary.value:
        chunks.append(("summary", profile.summary.value, {"section": "summary"}))
    for entry in profile.work:
        if entry.hidden:
            continue
        head = " ".join(filter(None, [entry.title, "at" if entry.company else None, entry.company]))
        for n, bullet in enumerate(entry.bullets):
            chunks.append((f"{entry.key}-{n}", f"{head}: {bullet}", {"section": "work"}))
        if not entry.bullets and head:
            chunks.append((entry.key, head, {"section": "work"}))
    for n, project in enumerate(profile.projects):
        text = " ".join(filter(None, [project.name, project.description, *project.bullets]))
        if text:
            chunks.append((f"project-{n}", text, {"section": "projects"}))
    skills = ", ".join(s.name for s in profile.skills)
    if skills:
        chunks.append(("skills", f"Skills: {skills}", {"section": "skills"}))
    return chunks


async def index_profile(
    *, resources: Resources, owner_id: uuid.UUID, profile: MergedProfile | None
) -> int:
    """Replace the user's profile text in the vector store; return the number of chunks."""
    owner = str(owner_id)
    await resources.vectors.delete(PROFILE_COLLECTION, where={"owner_id": owner})
    if profile is None:
        return 0
    chunks = _profile_chunks(profile)
    await resources.vectors.upsert(
        PROFILE_COLLECTION,
        ids=[f"{owner}:{chunk_id}" for chunk_id, _, _ in chunks],
        documents=[text for _, text, _ in chunks],
        metadatas=[{**meta, "owner_id": owner} for _, _, meta in chunks],
    )
    return len(chunks)


async def _refresh(*, session: AsyncSession, resources: Resources, owner_id: uuid.UUID) -> None:
    await session.flush()
    profile = await build_profile(session=session, owner_id=owner_id)
    await index_profile(resources=resources, owner_id=owner_id, profile=profile)
    await resources.cache.delete_prefix(f"user:{owner_id}:")


async def import_document(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    data: bytes,
    filename: str | None,
) -> ProfileImport:
    """Parse an uploaded document and store it with its result; bad input stores nothing."""
    # Parsing is CPU work (PDF layout analysis): keep it off the event loop.
    result = await run_bounded(parse_document, data, filename, what="this file")
    sha256 = hashlib.sha256(data).hexdigest()
    result.warnings.extend(
        await _profile_warnings(session=session, owner_id=owner_id, result=result, sha256=sha256)
    )
    row = ProfileImport(
        owner_id=owner_id,
        kind=result.document_type.value,
        filename=strip_nul(filename or "")[:255] or None,
        size_bytes=len(data),
        sha256=sha256,
        parser_version=PARSER_VERSION,
        result=result.model_dump(mode="json"),
    )
    key = f"{owner_id}/imports/{row.id}{_EXTENSIONS.get(result.document_type, '.bin')}"
    await resources.files.put(key, data, session=session)
    row.stored_path = key
    session.add(row)
    try:
        await _refresh(session=session, resources=resources, owner_id=owner_id)
    except BaseException:
        # In the database the file goes with the rolled-back transaction; a folder keeps it.
        with contextlib.suppress(Exception):
            await resources.files.delete(key, session=session)
        raise
    log.info("profile.imported", kind=row.kind, size=len(data), warnings=len(result.warnings))
    return row


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFKD", text)).lower().split())


async def _profile_warnings(
    *, session: AsyncSession, owner_id: uuid.UUID, result: ParseResult, sha256: str
) -> list[str]:
    """Say when the file was imported before, or names another person than the profile."""
    warnings: list[str] = []
    imports = await list_imports(session=session, owner_id=owner_id)
    for earlier in imports:
        if earlier.sha256 == sha256:
            label = earlier.filename or earlier.source_ref or earlier.kind
            warnings.append(
                f"same_file: This is the same file as import {earlier.id} ({label}, "
                f"{earlier.created_at:%Y-%m-%d}); delete one of them to keep your profile tidy."
            )
            break
    if not imports:
        return warnings
    merged = await build_profile(session=session, owner_id=owner_id)
    if merged is None:
        return warnings
    basics = result.profile.basics
    for name, new in (("name", basics.name), ("email", basics.email)):
        fact = merged.basics.get(name)
        old = fact.value if fact is not None else None
        if new and isinstance(old, str) and old and _folded(new) != _folded(old):
            warnings.append(
                f"{name}_differs: This file gives the {name} “{new}”, your profile has "
                f"“{old}”. If it is another person's resume, delete this import."
            )
    return warnings


async def import_github(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    username: str,
) -> ProfileImport:
    """Import a public GitHub account's profile, repositories and languages."""
    result = await github.import_github(
        http=resources.http,
        base_url=resources.settings.github_api_url,
        username=username,
        token=resources.settings.github_token or None,
    )
    payload = result.model_dump(mode="json")
    row = ProfileImport(
        owner_id=owner_id,
        kind=DocumentType.GITHUB.value,
        source_ref=f"github:{username}",
        size_bytes=0,
        sha256=hashlib.sha256(repr(payload).encode()).hexdigest(),
        parser_version=PARSER_VERSION,
        result=payload,
    )
    session.add(row)
    await _refresh(session=session, resources=resources, owner_id=owner_id)
    return row


async def reparse_import(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, import_id: uuid.UUID
) -> ProfileImport:
    """Parse a stored file again with the current parser."""
    row = await get_import(session=session, owner_id=owner_id, import_id=import_id)
    if row.stored_path is None:
        raise InvalidInput("This import has no stored file; import the account again instead.")
    data = await resources.files.get(row.stored_path, session=session)
    if data is None:
        raise NotFound(
            "The file of this import is no longer stored; import the file again to parse it."
        )
    result = await run_bounded(parse_document, data, row.filename, what="this file")
    row.result = result.model_dump(mode="json")
    row.kind = result.document_type.value
    row.parser_version = PARSER_VERSION
    row.parsed_at = utcnow()
    session.add(row)
    await _refresh(session=session, resources=resources, owner_id=owner_id)
    return row


async def delete_import(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, import_id: uuid.UUID
) -> None:
    """Delete an import and its file; the profile is merged again without it."""
    row = await get_import(session=session, owner_id=owner_id, import_id=import_id)
    stored = row.stored_path
    await session.delete(row)
    await _refresh(session=session, resources=resources, owner_id=owner_id)
    if stored:
        await resources.files.delete(stored, session=session)


def _new_key(section: str) -> str:
    return f"{section}-manual-{uuid.uuid4().hex[:12]}"


async def update_profile(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, patch: ProfilePatch
) -> MergedProfile:
    """Fold the user's corrections into their stored edits and return the new profile."""
    merged = (
        await build_profile(session=session, owner_id=owner_id, unconfirmed=True) or MergedProfile()
    )
    row = await _get_edits(session=session, owner_id=owner_id)
    stored = row.edits if row is not None else {}
    try:
        edits = aggregate.update_edits(
            stored, patch, merged, parse_date=parse_date, new_key=_new_key
        )
    except aggregate.EditError as exc:
        raise InvalidInput(str(exc)) from exc
    if row is None:
        row = ProfileEdits(owner_id=owner_id, edits=edits, updated_at=utcnow())
    else:
        row.edits, row.updated_at = edits, utcnow()
    session.add(row)
    await _refresh(session=session, resources=resources, owner_id=owner_id)
    return await get_profile(session=session, owner_id=owner_id, unconfirmed=True)


def _json_resume_date(date: Any) -> str | None:
    if date is None or date.present or date.year is None:
        return None
    return f"{date.year:04d}-{date.month:02d}" if date.month else f"{date.year:04d}"


def to_json_resume(profile: MergedProfile) -> dict[str, Any]:
    """Render the profile in the JSON Resume schema (jsonresume.org, v1.0.0)."""
    basics = {name: fact.value for name, fact in profile.basics.items()}
    profiles = [
        {"network": network.capitalize() if network != "github" else "GitHub", "url": url}
        for network, url in (("linkedin", basics.get("linkedin")), ("github", basics.get("github")))
        if url
    ]
    return {
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": {
            k: v
            for k, v in {
                "name": basics.get("name"),
                "label": basics.get("headline"),
                "email": basics.get("email"),
                "phone": basics.get("phone"),
                "url": basics.get("website"),
                "summary": profile.summary.value,
                "location": {"address": basics["location"]} if basics.get("location") else None,
                "profiles": profiles,
            }.items()
            if v
        },
        "work": [
            {
                k: v
                for k, v in {
                    "name": w.company,
                    "position": w.title,
                    "location": w.location,
                    "startDate": _json_resume_date(w.start),
                    "endDate": _json_resume_date(w.end),
                    "highlights": w.bullets,
                }.items()
                if v
            }
            for w in profile.work
            if not w.hidden
        ],
        "education": [
            {
                k: v
                for k, v in {
                    "institution": e.institution,
                    "studyType": e.degree,
                    "area": e.field,
                    "score": e.grade,
                    "startDate": _json_resume_date(e.start),
                    "endDate": _json_resume_date(e.end),
                }.items()
                if v
            }
            for e in profile.education
            if not e.hidden
        ],
        "skills": [{"name": s.name} for s in profile.skills],
        "projects": [
            {
                k: v
                for k, v in {
                    "name": p.name,
                    "description": p.description,
                    "url": p.url,
                    "highlights": p.bullets,
                }.items()
                if v
            }
            for p in profile.projects
        ],
        "certificates": [
            {k: v for k, v in {"name": c.name, "issuer": c.issuer}.items() if v}
            for c in profile.certifications
        ],
        "languages": [
            {k: v for k, v in {"language": lang.language, "fluency": lang.fluency}.items() if v}
            for lang in profile.languages
        ],
    }


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> dict[str, Any]:
    """Return the user's imports (with parse results) and edits for the account export."""
    imports = await list_imports(session=session, owner_id=owner_id)
    edits = await _get_edits(session=session, owner_id=owner_id)
    return {
        "imports": [
            {
                "id": str(row.id),
                "kind": row.kind,
                "filename": row.filename,
                "source_ref": row.source_ref,
                "created_at": row.created_at.isoformat(),
                "file": f"files/{row.stored_path.split('/', 1)[1]}" if row.stored_path else None,
                "result": row.result,
            }
            for row in imports
        ],
        "edits": edits.edits if edits else {},
    }
