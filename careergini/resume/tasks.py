"""The model's rewording of a stored resume version or cover letter, as a background task.

The POST stores the deterministic version at once and submits a task ("resume.tailor" or
"resume.letter") whose payload holds the stored row's id, its ``updated_at`` when submitted (the
marker) and the request. The handler prepares the target and the evidence again from the request,
asks the model to reword the stored document (its progress forwarded to the task), grounds every
text exactly as the synchronous path did, and writes the result only if the row still carries
the marker: a user's edit made meanwhile wins, and the task fails saying so. A model failure fails
the task with the gateway's reason and leaves the deterministic version, noted as such.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import utcnow
from careergini.core.logging import get_logger
from careergini.llm.errors import LLMError
from careergini.llm.gateway import LLMProgress
from careergini.llm.prompts import Prompt
from careergini.resume import drafting, prompts, render, rewrite, tailor
from careergini.resume.errors import ChangedMeanwhile
from careergini.resume.letters import compose
from careergini.resume.models import CoverLetter, Resume
from careergini.resume.schemas import (
    CoverLetterRequest,
    LetterDocument,
    LetterReport,
    LLMReport,
    ResumeDocument,
    RunReport,
    TailorRequest,
)
from careergini.runtime.resources import Resources
from careergini.tasks import service as tasks_service
from careergini.tasks.schemas import TaskPublic, TaskResultRef

log = get_logger(__name__)
T = TypeVar("T", bound=BaseModel)

TAILOR_KIND = "resume.tailor"
LETTER_KIND = "resume.letter"
# The task's result.kind, the resource it works on (tasks_service.latest_for finds it by these).
RESUME_RESULT = "resume"
LETTER_RESULT = "cover_letter"

Stored = Resume | CoverLetter
S = TypeVar("S", Resume, CoverLetter)


@dataclass(frozen=True)
class _Target(Generic[S]):
    """One kind of stored document: its table, what it is called, how to make a new one."""

    model: type[S]
    what: str
    again: str


_RESUME = _Target(Resume, what="resume version", again="tailor the resume")
_LETTER = _Target(CoverLetter, what="cover letter", again="write the cover letter")


# --- submitting -------------------------------------------------------------------------------


async def submit_tailor(
    *, session: AsyncSession, resources: Resources, row: Resume, request: TailorRequest
) -> TaskPublic:
    """Queue the model's rewording of a just-stored resume version."""
    return await _submit(
        session=session,
        resources=resources,
        row=row,
        request=request,
        kind=TAILOR_KIND,
        result=TaskResultRef(kind=RESUME_RESULT, id=str(row.id), url=f"/api/resumes/{row.id}"),
    )


async def submit_letter(
    *, session: AsyncSession, resources: Resources, row: CoverLetter, request: CoverLetterRequest
) -> TaskPublic:
    """Queue the model's rewording of a just-stored cover letter."""
    return await _submit(
        session=session,
        resources=resources,
        row=row,
        request=request,
        kind=LETTER_KIND,
        result=TaskResultRef(
            kind=LETTER_RESULT, id=str(row.id), url=f"/api/cover-letters/{row.id}"
        ),
    )


async def _submit(
    *,
    session: AsyncSession,
    resources: Resources,
    row: Stored,
    request: BaseModel,
    kind: str,
    result: TaskResultRef,
) -> TaskPublic:
    payload = {
        "id": str(row.id),
        "marker": row.updated_at.isoformat(),
        "request": request.model_dump(mode="json"),
    }
    return await tasks_service.submit(
        session=session,
        resources=resources,
        owner_id=row.owner_id,
        kind=kind,
        payload=payload,
        result=result,
    )


async def latest_task(
    *, session: AsyncSession, owner_id: uuid.UUID, row: Stored
) -> TaskPublic | None:
    """Return the newest model task of a stored resume version or cover letter."""
    kind = RESUME_RESULT if isinstance(row, Resume) else LETTER_RESULT
    return await tasks_service.latest_for(
        session=session, owner_id=owner_id, result_kind=kind, result_id=row.id
    )


# --- running ----------------------------------------------------------------------------------


def _payload(ctx: tasks_service.TaskContext) -> tuple[uuid.UUID, datetime]:
    return uuid.UUID(str(ctx.payload["id"])), datetime.fromisoformat(str(ctx.payload["marker"]))


async def _unchanged(
    session: AsyncSession,
    target: _Target[S],
    *,
    row_id: uuid.UUID,
    owner_id: uuid.UUID,
    marker: datetime,
) -> S:
    """Return the stored row, or fail the task when it was deleted or edited since submitted."""
    row = await session.get(target.model, row_id)
    if row is None or row.owner_id != owner_id:
        raise ChangedMeanwhile(target.what, again=target.again, deleted=True)
    if row.updated_at != marker:
        raise ChangedMeanwhile(target.what, again=target.again)
    return row


async def _ask(
    ctx: tasks_service.TaskContext,
    target: _Target[S],
    *,
    prepared: rewrite.Prepared,
    schema: type[T],
    prompt: Prompt,
    report: LLMReport,
) -> T:
    """Ask the model with its progress forwarded to the task; on failure, note it and fail."""

    async def forward(progress: LLMProgress) -> None:
        await ctx.progress(progress.stage, percent=progress.percent, tokens=progress.tokens)

    try:
        return await drafting.call_model(
            resources=ctx.resources,
            owner_id=ctx.owner_id,
            prepared=prepared,
            schema=schema,
            prompt=prompt,
            report=report,
            progress=forward,
        )
    except LLMError as exc:
        await _store_llm_report(ctx, target, llm=drafting.model_failed(report, exc))
        raise


async def _store_llm_report(
    ctx: tasks_service.TaskContext,
    target: _Target[S],
    *,
    llm: LLMReport | None = None,
    note: str | None = None,
) -> None:
    """Change only the stored report's model part: not the content, nor updated_at (which
    says whether the user edited it)."""
    row_id, _ = _payload(ctx)
    async with ctx.session() as session:
        row = await session.get(target.model, row_id)
        if row is None or row.owner_id != ctx.owner_id:
            return
        stored = llm or LLMReport.model_validate(row.report.get("llm") or {})
        if note is not None:
            stored.note = note
        row.report = {**row.report, "llm": stored.model_dump(mode="json")}
        session.add(row)


async def _save(
    ctx: tasks_service.TaskContext,
    target: _Target[S],
    *,
    content: dict[str, Any],
    report: dict[str, Any],
) -> None:
    """Write the model's version only if the row still carries the marker (one UPDATE)."""
    row_id, marker = _payload(ctx)
    model = target.model
    await ctx.progress("saving", force=True)
    async with ctx.session() as session:
        written = await session.exec(
            update(model)
            .where(
                col(model.id) == row_id,
                col(model.owner_id) == ctx.owner_id,
                col(model.updated_at) == marker,
            )
            .values(content=content, report=report, llm_used=True, updated_at=utcnow())
        )
        if written.rowcount == 1:
            return
        deleted = await session.get(model, row_id) is None
    raise ChangedMeanwhile(target.what, again=target.again, deleted=deleted)


async def run_tailor(ctx: tasks_service.TaskContext) -> None:
    """Reword a stored resume version with the model; ground it; store it if still unedited."""
    try:
        await _tailor(ctx)
    except ChangedMeanwhile as exc:
        await _store_llm_report(ctx, _RESUME, note=exc.detail)
        raise


async def run_letter(ctx: tasks_service.TaskContext) -> None:
    """Reword a stored cover letter with the model; ground it; store it if still unedited."""
    try:
        await _letter(ctx)
    except ChangedMeanwhile as exc:
        await _store_llm_report(ctx, _LETTER, note=exc.detail)
        raise


async def _tailor(ctx: tasks_service.TaskContext) -> None:
    request = TailorRequest.model_validate(ctx.payload["request"])
    row_id, marker = _payload(ctx)
    await ctx.progress("preparing", force=True)
    async with ctx.session() as session:
        row = await _unchanged(
            session, _RESUME, row_id=row_id, owner_id=ctx.owner_id, marker=marker
        )
        document = ResumeDocument.model_validate(row.content)
        run = RunReport.model_validate(row.report)
        prep = await drafting.prepare_for_owner(
            session=session,
            resources=ctx.resources,
            owner_id=ctx.owner_id,
            job_description=request.job_description,
            role_id=request.role_id,
            job_id=request.job_id,
            options=drafting.tailor_options(request, render.check_template(request.template)),
        )
    prepared = rewrite.tailor_messages(
        document,
        prep.target,
        tone=request.tone,
        years=prep.draft.years,
        budget=ctx.resources.llm.config.route("resume").prompt_budget,
    )
    llm_report = LLMReport()
    reply = await _ask(
        ctx,
        _RESUME,
        prepared=prepared,
        schema=rewrite.TailorReply,
        prompt=prompts.TAILOR,
        report=llm_report,
    )
    await ctx.progress("checking", force=True)
    notes = rewrite.apply_tailoring(document, reply, prepared, evidence=prep.evidence)
    run.llm = llm_report
    run.notes = [*run.notes, *notes]
    # Again on the final text: a rewrite may name a matched skill in another place.
    run.keywords = tailor.keyword_report(
        document, prep.target, prep.draft.matched, prep.draft.missing
    )
    await _save(
        ctx,
        _RESUME,
        content=document.model_dump(mode="json"),
        report=run.model_dump(mode="json"),
    )
    log.info("resume.tailored_by_model", resume_id=str(row_id), model=llm_report.model)


async def _letter(ctx: tasks_service.TaskContext) -> None:
    request = CoverLetterRequest.model_validate(ctx.payload["request"])
    row_id, marker = _payload(ctx)
    await ctx.progress("preparing", force=True)
    async with ctx.session() as session:
        row = await _unchanged(
            session, _LETTER, row_id=row_id, owner_id=ctx.owner_id, marker=marker
        )
        document = LetterDocument.model_validate(row.content)
        report = LetterReport.model_validate(row.report)
        prep = await drafting.prepare_for_owner(
            session=session,
            resources=ctx.resources,
            owner_id=ctx.owner_id,
            job_description=request.job_description,
            role_id=request.role_id,
            job_id=request.job_id,
            options=tailor.TailorOptions(template=render.check_template(request.template)),
            letter_targets=True,
        )
    prepared = rewrite.letter_messages(
        document,
        prep.target,
        facts=compose.letter_facts(prep.draft.document, years=prep.draft.years),
        tone=request.tone,
        budget=ctx.resources.llm.config.route("resume").prompt_budget,
    )
    llm_report = LLMReport()
    reply = await _ask(
        ctx,
        _LETTER,
        prepared=prepared,
        schema=rewrite.LetterReply,
        prompt=prompts.COVER_LETTER,
        report=llm_report,
    )
    await ctx.progress("checking", force=True)
    notes = rewrite.apply_letter(document, reply, prepared, evidence=prep.evidence)
    report.llm = llm_report
    report.notes = [*report.notes, *notes]
    report.paragraphs = []  # derived from the content when read
    await _save(
        ctx,
        _LETTER,
        content=document.model_dump(mode="json"),
        report=report.model_dump(mode="json"),
    )
    log.info("resume.letter_by_model", letter_id=str(row_id), model=llm_report.model)


tasks_service.register(TAILOR_KIND, run_tailor, role="resume")
tasks_service.register(LETTER_KIND, run_letter, role="resume")
