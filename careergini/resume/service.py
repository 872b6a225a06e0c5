"""The resume builder's API: tailor, store, edit and render resume versions; cover letters.

Tailoring reads the profile and the match analysis and builds the deterministic version
(``drafting``, ``tailor``) and stores it at once; when the model is wanted, a background task
(``tasks``) asks it to reword bullets and summary (``rewrite``) and replaces the stored version
unless the user edited it meanwhile; the grounding check (``grounding``) runs on every text
either way, and on every edit (``review``). Cover letters live in ``letters``; this module
re-exports their API, so other packages call ``resume_service`` for both.
"""

from __future__ import annotations

import uuid
from typing import Any

import anyio.to_thread
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import get_owned, utcnow
from careergini.core.logging import get_logger
from careergini.resume import drafting, render, review, tailor, tasks as resume_tasks
from careergini.resume.drafting import (
    Prepared as Prepared,
    bullet_similarities as bullet_similarities,
    prepare as prepare,
    resolve_target as resolve_target,
)
from careergini.resume.errors import ResumeNotFound, UnknownItem, UnknownPosition
from careergini.resume.letters import service as letters_service
from careergini.resume.letters.service import (
    create_cover_letter as create_cover_letter,
    delete_cover_letter as delete_cover_letter,
    get_cover_letter as get_cover_letter,
    letter_public as letter_public,
    list_cover_letters as list_cover_letters,
    render_cover_letter as render_cover_letter,
    update_cover_letter as update_cover_letter,
)
from careergini.resume.models import Resume
from careergini.resume.output import (
    MEDIA_TYPES as MEDIA_TYPES,
    Format as Format,
    Rendered as Rendered,
    slug,
)
from careergini.resume.schemas import (
    Bullet,
    Dropped,
    ItemReport,
    LLMReport,
    Position,
    ReportPublic,
    ResumeDocument,
    ResumePatch,
    ResumePublic,
    ResumeSummaryPublic,
    RunReport,
    TailorRequest,
    TargetPublic,
)
from careergini.runtime.resources import Resources
from careergini.tasks.schemas import TaskPublic

log = get_logger(__name__)


def _bullet_place(position: Position, bullet: Bullet) -> str:
    """Name a bullet as the user sees it (never by its id)."""
    words = bullet.source.split()
    start = " ".join(words[:6]) + ("..." if len(words) > 6 else "")
    role = " at ".join(p for p in (position.title, position.company) if p)
    return f'the bullet "{start}"' + (f" ({role})" if role else "")


async def tailor_resume(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    request: TailorRequest,
) -> ResumePublic:
    """Build, ground and store a resume version tailored to a job or a role; when the model is
    wanted, queue its rewording as a background task (``task``)."""
    template = render.check_template(request.template)
    prep = await drafting.prepare_for_owner(
        session=session,
        resources=resources,
        owner_id=owner_id,
        job_description=request.job_description,
        role_id=request.role_id,
        job_id=request.job_id,
        options=drafting.tailor_options(request, template),
    )
    document = prep.draft.document
    off = drafting.llm_off_note(wanted=request.llm, enabled=resources.settings.resume_llm)
    run = RunReport(
        llm=LLMReport(note=off or drafting.MODEL_PENDING_NOTE),
        keywords=tailor.keyword_report(
            document, prep.target, prep.draft.matched, prep.draft.missing
        ),
        notes=list(prep.draft.notes),
        match_score=prep.match_score,
    )
    row = Resume(
        owner_id=owner_id,
        **drafting.stored_target(prep),
        template=template,
        tone=request.tone,
        llm_used=False,
        content=document.model_dump(mode="json"),
        report=run.model_dump(mode="json"),
    )
    session.add(row)
    await session.flush()
    task = None
    if off is None:
        task = await resume_tasks.submit_tailor(
            session=session, resources=resources, row=row, request=request
        )
    log.info(
        "resume.tailored",
        model_task=task.id if task else None,
        bullets=sum(1 for _ in tailor.included_bullets(document)),
    )
    return resume_public(row, task=task)


def resume_report(document: ResumeDocument, run: RunReport) -> ReportPublic:
    """Return the per-bullet report, what was left out and why, and counts."""
    bullets: list[ItemReport] = []
    dropped: list[Dropped] = []
    for position in document.positions:
        heading = render.position_heading(position)
        if not position.included:
            dropped.append(
                Dropped(
                    kind="position",
                    id=position.key,
                    text=heading,
                    reason=position.excluded_reason or "Left out.",
                )
            )
        for bullet in position.bullets:
            included = position.included and bullet.included
            bullets.append(review.item_report(bullet, position_key=position.key, included=included))
            if position.included and not bullet.included:
                dropped.append(
                    Dropped(kind="bullet", id=bullet.id, text=bullet.text, reason=bullet.reason)
                )
    shown = [b for b in bullets if b.included]
    counts = {
        "positions": len(document.positions),
        "positions_included": sum(1 for p in document.positions if p.included),
        "bullets": len(bullets),
        "bullets_included": len(shown),
        **{
            status: sum(1 for b in shown if b.status == status)
            for status in ("kept", "rewritten", "reverted", "edited")
        },
        "pending": sum(1 for b in shown if b.decision == "pending")
        + (document.summary.decision == "pending"),
    }
    return ReportPublic(
        **run.model_dump(),
        summary=review.item_report(document.summary),
        bullets=bullets,
        dropped=dropped,
        counts=counts,
    )


def resume_public(row: Resume, *, task: TaskPublic | None = None) -> ResumePublic:
    """Return a stored version as the API shows it, with its newest model task when given."""
    document = ResumeDocument.model_validate(row.content)
    run = RunReport.model_validate(row.report)
    return ResumePublic(
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
        report=resume_report(document, run),
    )


async def _own_resume(
    *, session: AsyncSession, owner_id: uuid.UUID, resume_id: uuid.UUID
) -> Resume:
    return await get_owned(session, Resume, resume_id, owner_id=owner_id, missing=ResumeNotFound)


async def list_resumes(*, session: AsyncSession, owner_id: uuid.UUID) -> list[ResumeSummaryPublic]:
    """Return the user's resume versions, newest first."""
    rows = (
        await session.exec(
            select(Resume)
            .where(Resume.owner_id == owner_id)
            .order_by(col(Resume.created_at).desc())
        )
    ).all()
    summaries = []
    for row in rows:
        document = ResumeDocument.model_validate(row.content)
        report = resume_report(document, RunReport.model_validate(row.report))
        summaries.append(
            ResumeSummaryPublic(
                id=str(row.id),
                created_at=row.created_at.isoformat(),
                updated_at=row.updated_at.isoformat(),
                template=row.template,
                target=TargetPublic.model_validate(row.target),
                llm_used=row.llm_used,
                shows="model" if row.llm_used else "deterministic",
                task=await resume_tasks.latest_task(session=session, owner_id=owner_id, row=row),
                counts=report.counts,
            )
        )
    return summaries


async def get_resume(
    *, session: AsyncSession, owner_id: uuid.UUID, resume_id: uuid.UUID
) -> ResumePublic:
    """Return one of the user's resume versions with its newest model task; another user's is
    not found."""
    row = await _own_resume(session=session, owner_id=owner_id, resume_id=resume_id)
    return resume_public(
        row, task=await resume_tasks.latest_task(session=session, owner_id=owner_id, row=row)
    )


async def delete_resume(
    *, session: AsyncSession, owner_id: uuid.UUID, resume_id: uuid.UUID
) -> None:
    """Delete one of the user's resume versions."""
    row = await _own_resume(session=session, owner_id=owner_id, resume_id=resume_id)
    await session.delete(row)


async def update_resume(
    *, session: AsyncSession, owner_id: uuid.UUID, resume_id: uuid.UUID, patch: ResumePatch
) -> ResumePublic:
    """Apply the user's decisions and edits (grounding-checked) to a resume version."""
    row = await _own_resume(session=session, owner_id=owner_id, resume_id=resume_id)
    document = ResumeDocument.model_validate(row.content)
    if patch.template is not None:
        row.template = render.check_template(patch.template)
    positions = {p.key: p for p in document.positions}
    unknown = sorted((set(patch.exclude_positions) | set(patch.include_positions)) - set(positions))
    if unknown:
        raise UnknownPosition(unknown, list(positions))
    bullets = {b.id: (p, b) for p in document.positions for b in p.bullets}
    missing = [c.id for c in patch.bullets if c.id not in bullets]
    if missing:
        raise UnknownItem(
            "A line you changed is no longer in this resume version. Reload the resume and "
            "make the change again.",
            extra={"missing": missing},
        )
    needs_check = any(c.action == "edit" for c in patch.bullets) or (
        patch.summary is not None and patch.summary.action == "edit"
    )
    evidence, position_texts = (
        await review.edit_context(session=session, owner_id=owner_id) if needs_check else (None, {})
    )
    for change in patch.bullets:
        position, bullet = bullets[change.id]
        if change.action == "edit":
            assert evidence is not None and change.text is not None
            review.apply_edit(
                bullet,
                change.text,
                evidence=evidence,
                # What the bullet said, and what its position in the profile says now.
                source="\n".join(filter(None, [bullet.source, position_texts.get(position.key)])),
                source_name="this position in your profile",
                where=_bullet_place(position, bullet),
                position_key=position.key,
                position=" at ".join(p for p in (position.title, position.company) if p) or None,
                context_dates=tailor.position_dates(position),
            )
        elif change.action == "drop":
            bullet.included = False
            bullet.reason = "Left out at your request."
        elif change.action == "restore":
            bullet.included = True
            bullet.reason = "Put back at your request."
        else:
            review.decide(bullet, change.action)
    if patch.summary is not None:
        if patch.summary.action == "edit":
            assert evidence is not None and patch.summary.text is not None
            review.apply_edit(
                document.summary,
                patch.summary.text,
                evidence=evidence,
                source=None,
                where="the summary",
            )
        else:
            review.decide(document.summary, patch.summary.action)
    for key in patch.exclude_positions:
        positions[key].included = False
        positions[key].excluded_reason = "Left out at your request."
    for key in patch.include_positions:
        positions[key].included, positions[key].excluded_reason = True, None
    row.content = document.model_dump(mode="json")
    # A new updated_at also tells a model task still running that the user's edit wins.
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return resume_public(
        row, task=await resume_tasks.latest_task(session=session, owner_id=owner_id, row=row)
    )


async def render_resume(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    resume_id: uuid.UUID,
    fmt: Format,
    template: str | None = None,
    page_size: str | None = None,
) -> Rendered:
    """Render one of the user's resume versions as HTML, PDF, DOCX or JSON Resume."""
    row = await _own_resume(session=session, owner_id=owner_id, resume_id=resume_id)
    document = ResumeDocument.model_validate(row.content)
    chosen = render.check_template(template or row.template)
    page = page_size or resources.settings.resume_page_size
    name = slug("resume", document.basics.name, row.target_title)
    if fmt == "json":
        meta = {
            "careergini": {
                "resume_id": str(row.id),
                "target": row.target,
                "template": chosen,
                "updated_at": row.updated_at.isoformat(),
            }
        }
        body: bytes | str | dict = render.to_json_resume(document, meta=meta)
    elif fmt == "html":
        body = render.render_html(document, template=chosen, page_size=page, preview=True)
    elif fmt == "pdf":
        body = await anyio.to_thread.run_sync(
            lambda: render.render_pdf(document, template=chosen, page_size=page)
        )
    else:
        body = await anyio.to_thread.run_sync(
            lambda: render.render_docx(document, template=chosen, page_size=page)
        )
    return Rendered(body=body, media_type=MEDIA_TYPES[fmt], filename=f"{name}.{fmt}")


# --- account export ---------------------------------------------------------------------------


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> dict[str, Any]:
    """Return the user's resume versions and cover letters for the account export."""
    resumes = (await session.exec(select(Resume).where(Resume.owner_id == owner_id))).all()
    return {
        "resumes": [resume_public(row).model_dump(mode="json") for row in resumes],
        "cover_letters": await letters_service.letters_for_export(
            session=session, owner_id=owner_id
        ),
    }
