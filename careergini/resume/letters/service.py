"""Cover letters: write, ground, store, review and render them.

A letter is composed from the tailored resume's facts (``compose``), each paragraph is
grounding-checked and stored; when asked, a background task (``careergini.resume.tasks``) has
the model reword it (``rewrite``), the paragraphs it cannot ground reverted.
``careergini.resume.service`` re-exports this API.
"""

from __future__ import annotations

import uuid
from typing import Any

import anyio.to_thread
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import get_owned, utcnow
from careergini.resume import drafting, grounding, render, review, tailor, tasks as resume_tasks
from careergini.resume.errors import CoverLetterNotFound, UnknownItem
from careergini.resume.letters import compose
from careergini.resume.models import CoverLetter
from careergini.resume.output import MEDIA_TYPES, Format, Rendered, slug
from careergini.resume.schemas import (
    CoverLetterPatch,
    CoverLetterPublic,
    CoverLetterRequest,
    CoverLetterSummaryPublic,
    LetterDocument,
    LetterReport,
    LLMReport,
    TargetPublic,
)
from careergini.runtime.resources import Resources
from careergini.tasks.schemas import TaskPublic


async def create_cover_letter(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    request: CoverLetterRequest,
) -> CoverLetterPublic:
    """Write, ground and store a cover letter for a job or a role; when the model is wanted,
    queue its rewording as a background task (``task``)."""
    template = render.check_template(request.template)
    prep = await drafting.prepare_for_owner(
        session=session,
        resources=resources,
        owner_id=owner_id,
        job_description=request.job_description,
        role_id=request.role_id,
        job_id=request.job_id,
        options=tailor.TailorOptions(template=template),
        letter_targets=True,
    )
    document = compose.build_letter(
        resume=prep.draft.document, job=prep.target, tone=request.tone, today=utcnow().date()
    )
    notes: list[str] = []
    kept = []
    for paragraph in document.paragraphs:
        result = grounding.check(paragraph.text, evidence=prep.evidence)
        if result.ok or paragraph.id in ("opening", "closing"):
            kept.append(paragraph)
        else:
            notes.append(
                f"The {paragraph.id} paragraph did not pass the grounding check "
                f"({grounding.describe(result)}) and was left out."
            )
    document.paragraphs = kept
    off = drafting.llm_off_note(wanted=request.llm, enabled=resources.settings.resume_llm)
    report = LetterReport(llm=LLMReport(note=off or drafting.MODEL_PENDING_NOTE), notes=notes)
    row = CoverLetter(
        owner_id=owner_id,
        **drafting.stored_target(prep),
        template=template,
        tone=request.tone,
        llm_used=False,
        content=document.model_dump(mode="json"),
        report=report.model_dump(mode="json"),
    )
    session.add(row)
    await session.flush()
    task = None
    if off is None:
        task = await resume_tasks.submit_letter(
            session=session, resources=resources, row=row, request=request
        )
    return letter_public(row, task=task)


def letter_public(row: CoverLetter, *, task: TaskPublic | None = None) -> CoverLetterPublic:
    """Return a stored cover letter as the API shows it, with its newest model task when given."""
    document = LetterDocument.model_validate(row.content)
    report = LetterReport.model_validate(row.report)
    report.paragraphs = [review.item_report(p) for p in document.paragraphs]
    return CoverLetterPublic(
        id=str(row.id),
        created_at=row.created_at.isoformat(),
        updated_at=row.updated_at.isoformat(),
        template=row.template,
        tone=row.tone,
        target=TargetPublic.model_validate(row.target),
        llm_used=row.llm_used,
        shows="model" if row.llm_used else "deterministic",
        task=task,
        content=document,
        report=report,
    )


async def _own_letter(
    *, session: AsyncSession, owner_id: uuid.UUID, letter_id: uuid.UUID
) -> CoverLetter:
    return await get_owned(
        session, CoverLetter, letter_id, owner_id=owner_id, missing=CoverLetterNotFound
    )


async def list_cover_letters(
    *, session: AsyncSession, owner_id: uuid.UUID
) -> list[CoverLetterSummaryPublic]:
    """Return the user's cover letters, newest first."""
    rows = (
        await session.exec(
            select(CoverLetter)
            .where(CoverLetter.owner_id == owner_id)
            .order_by(col(CoverLetter.created_at).desc())
        )
    ).all()
    return [
        CoverLetterSummaryPublic(
            id=str(row.id),
            created_at=row.created_at.isoformat(),
            updated_at=row.updated_at.isoformat(),
            template=row.template,
            target=TargetPublic.model_validate(row.target),
            llm_used=row.llm_used,
            shows="model" if row.llm_used else "deterministic",
            task=await resume_tasks.latest_task(session=session, owner_id=owner_id, row=row),
        )
        for row in rows
    ]


async def get_cover_letter(
    *, session: AsyncSession, owner_id: uuid.UUID, letter_id: uuid.UUID
) -> CoverLetterPublic:
    """Return one of the user's cover letters with its newest model task; another user's is not
    found."""
    row = await _own_letter(session=session, owner_id=owner_id, letter_id=letter_id)
    return letter_public(
        row, task=await resume_tasks.latest_task(session=session, owner_id=owner_id, row=row)
    )


async def delete_cover_letter(
    *, session: AsyncSession, owner_id: uuid.UUID, letter_id: uuid.UUID
) -> None:
    """Delete one of the user's cover letters."""
    await session.delete(await _own_letter(session=session, owner_id=owner_id, letter_id=letter_id))


async def update_cover_letter(
    *, session: AsyncSession, owner_id: uuid.UUID, letter_id: uuid.UUID, patch: CoverLetterPatch
) -> CoverLetterPublic:
    """Apply the user's decisions and edits (grounding-checked) to a cover letter."""
    row = await _own_letter(session=session, owner_id=owner_id, letter_id=letter_id)
    document = LetterDocument.model_validate(row.content)
    if patch.template is not None:
        row.template = render.check_template(patch.template)
    paragraphs = {p.id: p for p in document.paragraphs}
    missing = [c.id for c in patch.paragraphs if c.id not in paragraphs]
    if missing:
        raise UnknownItem(
            "A paragraph you changed is no longer in this cover letter. Reload the letter and "
            "make the change again.",
            extra={"missing": missing},
        )
    if any(c.action in ("drop", "restore") for c in patch.paragraphs):
        raise UnknownItem("A cover letter's paragraphs can be accepted, rejected or edited.")
    evidence = None
    if any(c.action == "edit" for c in patch.paragraphs):
        target = TargetPublic.model_validate(row.target)
        evidence = await review.edit_evidence(
            session=session,
            owner_id=owner_id,
            targets=[t for t in (target.title, target.company) if t],
        )
    for change in patch.paragraphs:
        paragraph = paragraphs[change.id]
        if change.action == "edit":
            assert evidence is not None and change.text is not None
            review.apply_edit(
                paragraph,
                change.text,
                evidence=evidence,
                source=None,
                where=f"the {change.id} paragraph",
            )
        else:
            review.decide(paragraph, change.action)
    row.content = document.model_dump(mode="json")
    # A new updated_at also tells a model task still running that the user's edit wins.
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return letter_public(
        row, task=await resume_tasks.latest_task(session=session, owner_id=owner_id, row=row)
    )


async def render_cover_letter(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    letter_id: uuid.UUID,
    fmt: Format,
    template: str | None = None,
) -> Rendered:
    """Render one of the user's cover letters as HTML, PDF, DOCX or JSON."""
    row = await _own_letter(session=session, owner_id=owner_id, letter_id=letter_id)
    document = LetterDocument.model_validate(row.content)
    chosen = render.check_template(template or row.template)
    page = resources.settings.resume_page_size
    name = slug("cover-letter", document.basics.name, row.target_title)
    if fmt == "json":
        body: bytes | str | dict = compose.export_json(document)
    elif fmt == "html":
        body = render.render_letter_html(document, template=chosen, page_size=page)
    elif fmt == "pdf":
        body = await anyio.to_thread.run_sync(
            lambda: render.render_letter_pdf(document, template=chosen, page_size=page)
        )
    else:
        body = await anyio.to_thread.run_sync(
            lambda: render.render_letter_docx(document, template=chosen, page_size=page)
        )
    return Rendered(body=body, media_type=MEDIA_TYPES[fmt], filename=f"{name}.{fmt}")


async def letters_for_export(*, session: AsyncSession, owner_id: uuid.UUID) -> list[dict[str, Any]]:
    """Return the user's cover letters as JSON, for the account export."""
    rows = (await session.exec(select(CoverLetter).where(CoverLetter.owner_id == owner_id))).all()
    return [letter_public(row).model_dump(mode="json") for row in rows]
