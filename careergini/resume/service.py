"""The resume builder's API: tailor, store, edit and render resume versions and cover letters.

Tailoring reads the profile (``profile_service``) and the match analysis (``analysis_service``),
builds the deterministic version (``tailor``), then, when the model is reachable, asks it to
reword bullets and summary (``rewrite``); the grounding check (``grounding``) runs on every text
either way, and on every edit.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import anyio.to_thread
from pydantic import BaseModel
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.analysis import schemas as analysis_schemas, service as analysis_service
from careergini.core.db import get_owned, utcnow
from careergini.core.logging import get_logger
from careergini.llm.errors import LLMBadOutput, LLMError
from careergini.llm.prompts import Prompt
from careergini.profile import service as profile_service
from careergini.resume import grounding, letter, prompts, render, rewrite, tailor
from careergini.resume.errors import (
    CoverLetterNotFound,
    NoProfileForResume,
    ResumeNotFound,
    UnknownItem,
    UnknownPosition,
    UnsupportedFacts,
)
from careergini.resume.models import CoverLetter, Resume
from careergini.resume.schemas import (
    CoverLetterPatch,
    CoverLetterPublic,
    CoverLetterRequest,
    CoverLetterSummaryPublic,
    Dropped,
    Item,
    ItemReport,
    LetterDocument,
    LetterReport,
    LLMReport,
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
from careergini.skills import service as skills_service
from careergini.skills.service import candidate_from_profile, load_taxonomy

log = get_logger(__name__)
T = TypeVar("T", bound=BaseModel)

Format = Literal["html", "pdf", "docx", "json"]
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}
# Caps on what a role's requirements put in the prompt (ESCO roles list hundreds of skills).
_MAX_JOB_SKILLS = 40


@dataclass
class Rendered:
    body: bytes | str | dict[str, Any]
    media_type: str
    filename: str


@dataclass
class Prepared:
    profile: Any
    target: tailor.JobTarget
    draft: tailor.Draft
    evidence: grounding.Evidence
    job_text: str
    match_score: float | None
    job_id: str | None = None


# --- target and preparation -------------------------------------------------------------------


def _neighbours(
    skills: tuple[tuple[str, str, str], ...],
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Return the taxonomy's related skills and the categories of the job's skills."""
    taxonomy = load_taxonomy()
    related: dict[str, tuple[str, str]] = {}
    categories: dict[str, tuple[str, str]] = {}
    # Strongest importance first, so a skill near two of the job's keeps the stronger one.
    for skill_id, name, importance in sorted(
        skills, key=lambda s: tailor.IMPORTANCE_RANK.get(s[2], 3)
    ):
        for other in taxonomy.related(skill_id, limit=15):
            related.setdefault(other.id, (name, importance))
        known = taxonomy.get(skill_id)
        if known is not None and known.is_technology:
            categories.setdefault(known.category, (name, importance))
    return related, categories


def resolve_target(
    *,
    job_description: str | None,
    role_id: str | None,
    posting: analysis_schemas.PostingTarget | None = None,
) -> tuple[tailor.JobTarget, Any]:
    """Parse a job description (or read a saved posting, or look up a role) into the target
    and its requirements."""
    taxonomy = load_taxonomy()
    if posting is not None:
        parsed, job = analysis_service.requirements_from_posting(posting, taxonomy)
        skills = tuple((s.skill_id, s.name, s.importance) for s in job.skills)
        # The posting's title and company: a cover letter addresses that company.
        title, company = posting.title, parsed.company
        responsibilities, text = tuple(parsed.responsibilities), posting.text
        found_role = None
    elif role_id is not None:
        role = skills_service.get_role(role_id)
        job = skills_service.requirements_from_role(role, taxonomy)
        skills = tuple((s.skill_id, s.name, s.importance) for s in job.skills[:_MAX_JOB_SKILLS])
        title, company, responsibilities, text = role.title, None, (), job.text
        found_role: str | None = role.id
    else:
        text = job_description or ""
        parsed = skills_service.parse_job(text=text)
        job = skills_service.requirements_from_job(parsed, taxonomy, text)
        skills = tuple((s.skill_id, s.name, s.importance) for s in job.skills)
        title, company = parsed.title, parsed.company
        responsibilities = tuple(parsed.responsibilities)
        found_role = None
    related, categories = _neighbours(skills)
    target = tailor.JobTarget(
        type="role" if role_id is not None else "job_description",
        title=title,
        company=company,
        role_id=found_role,
        skills=skills,
        responsibilities=responsibilities,
        text=text,
        related=related,
        categories=categories,
    )
    return target, job


async def bullet_similarities(*, embedder: Any, profile: Any, job_text: str) -> dict[str, float]:
    """Return each visible bullet's cosine similarity to the job (embeddings cached by text)."""
    if not job_text.strip():
        return {}
    wanted = await embedder.embed_document(job_text)
    found: dict[str, float] = {}
    for entry in profile.work:
        if entry.hidden:
            continue
        for index, text in enumerate(entry.bullets):
            if text.strip():
                vector = await embedder.embed_document(text)
                found[tailor.bullet_id(entry.key, index)] = sum(
                    a * b for a, b in zip(wanted, vector, strict=True)
                )
    return found


async def prepare(
    *,
    profile: Any,
    embedder: Any,
    job_description: str | None,
    role_id: str | None,
    options: tailor.TailorOptions,
    letter_targets: bool = False,
    posting: analysis_schemas.PostingTarget | None = None,
) -> Prepared:
    """Tailor a profile to a job deterministically and ground the result (no LLM, no DB)."""
    unknown = sorted(options.exclude - {w.key for w in profile.work})
    if unknown:
        raise UnknownPosition(unknown, [w.key for w in profile.work])
    target, job = resolve_target(job_description=job_description, role_id=role_id, posting=posting)
    taxonomy = load_taxonomy()
    candidate = candidate_from_profile(profile, now_year=utcnow().year)
    gap = skills_service.compute_gap(job, candidate, taxonomy)
    transferable = {t.skill_id: t.via_name for t in gap.transferable}
    missing = [
        (g.skill_id, g.name, g.importance, transferable.get(g.skill_id))
        for g in [*gap.missing_required, *gap.missing_preferred]
    ]
    similarities = await bullet_similarities(embedder=embedder, profile=profile, job_text=job.text)
    match_score = None
    if job.skills and candidate.experience_text.strip() and job.text.strip():
        person = await embedder.embed_document(candidate.experience_text)
        wanted = await embedder.embed_document(job.text)
        overall = sum(a * b for a, b in zip(person, wanted, strict=True))
        match_score = skills_service.compute_match(job, candidate, gap, overall).score
    draft = tailor.build_resume(
        profile=profile,
        job=target,
        matched={m.skill_id: m.importance for m in gap.matched},
        missing=missing,
        years_experience=candidate.years_experience,
        similarities=similarities,
        options=options,
    )
    targets = [t for t in (target.title, target.company) if t] if letter_targets else []
    evidence = tailor.profile_evidence(profile, years=draft.years, targets=targets)
    _ground_deterministic(draft, profile, evidence)
    return Prepared(
        profile=profile,
        target=target,
        draft=draft,
        evidence=evidence,
        job_text=job.text,
        match_score=match_score,
        job_id=posting.job_id if posting is not None else None,
    )


async def _prepare(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    job_description: str | None,
    role_id: str | None,
    job_id: uuid.UUID | None,
    options: tailor.TailorOptions,
    letter_targets: bool = False,
) -> Prepared:
    # The posting first: another user's job_id is a 404 whatever the profile.
    posting = (
        await analysis_service.posting_for_target(session=session, owner_id=owner_id, job_id=job_id)
        if job_id is not None
        else None
    )
    profile = await profile_service.build_profile(session=session, owner_id=owner_id)
    if profile is None:
        raise NoProfileForResume()
    return await prepare(
        profile=profile,
        embedder=resources.embedder,
        job_description=job_description,
        role_id=role_id,
        options=options,
        letter_targets=letter_targets,
        posting=posting,
    )


def _ground_deterministic(draft: tailor.Draft, profile: Any, evidence: grounding.Evidence) -> None:
    """Run the check on the deterministic version too; fall back where it does not hold."""
    summary = draft.document.summary
    result = grounding.check(summary.text, evidence=evidence)
    if result.ok:
        return
    own = (profile.summary.value or "").strip()
    fallback = own if own and grounding.check(own, evidence=evidence).ok else ""
    draft.notes.append(
        f"The composed summary did not pass the grounding check ({grounding.describe(result)}); "
        + ("your own summary is used instead." if fallback else "it is left out.")
    )
    summary.source = summary.text = fallback
    summary.reason = "Your own summary." if fallback else "No summary could be grounded."


def _target_public(prep: Prepared) -> TargetPublic:
    target = prep.target
    return TargetPublic(
        type="job" if prep.job_id is not None else target.type,
        title=target.title,
        company=target.company,
        role_id=target.role_id,
        job_id=prep.job_id,
    )


def _stored_target(prep: Prepared) -> dict[str, Any]:
    """The target columns a resume version and a cover letter both store."""
    return {
        "target": _target_public(prep).model_dump(mode="json"),
        "target_title": (prep.target.title or "")[:300] or None,
        "job_hash": hashlib.sha256(prep.job_text.encode()).hexdigest(),
    }


def _llm_off_note(*, wanted: bool, enabled: bool) -> str | None:
    if not wanted:
        return "The deterministic version, as asked (llm: false)."
    if not enabled:
        return "Rewording by the model is turned off (CAREERGINI_RESUME_LLM=false)."
    return None


def _degraded(report: LLMReport, exc: LLMError) -> LLMReport:
    report.used, report.degraded = False, True
    if isinstance(exc, LLMBadOutput):
        report.note = (
            "The model's answer was not valid JSON for the expected shape, even after one "
            "correction; this is the deterministic version."
        )
    else:
        report.note = (
            "The model is unavailable, so this is the deterministic version; tailor again later "
            f"to have the wording improved. {exc.detail}"
        )
    log.info("resume.llm_degraded", error=type(exc).__name__)
    return report


async def _ask_model(
    *,
    resources: Resources,
    owner_id: uuid.UUID,
    prepared: rewrite.Prepared,
    schema: type[T],
    prompt: Prompt,
    report: LLMReport,
) -> T | None:
    """Ask the resume role's model; on any gateway failure, note it and return None."""
    report.prompt_version = prompt.ref
    report.prompt_tokens_estimate = prepared.estimate
    report.items_sent = len(prepared.ids)
    try:
        completion = await resources.llm.complete(
            "resume", prepared.messages, schema, user_id=owner_id, prompt=prompt
        )
    except LLMError as exc:
        _degraded(report, exc)
        return None
    report.used = True
    report.model = completion.model
    report.prompt_tokens = completion.prompt_tokens
    report.completion_tokens = completion.completion_tokens
    return completion.parsed


# --- resumes ----------------------------------------------------------------------------------


async def tailor_resume(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    request: TailorRequest,
) -> ResumePublic:
    """Build, ground and store a resume version tailored to a job or a role."""
    template = render.check_template(request.template)
    options = tailor.TailorOptions(
        template=template,
        position_order=request.position_order,
        max_bullets=request.max_bullets_per_position,
        exclude=frozenset(request.exclude_positions),
    )
    prep = await _prepare(
        session=session,
        resources=resources,
        owner_id=owner_id,
        job_description=request.job_description,
        role_id=request.role_id,
        job_id=request.job_id,
        options=options,
    )
    document = prep.draft.document
    llm_report = LLMReport(
        note=_llm_off_note(wanted=request.llm, enabled=resources.settings.resume_llm)
    )
    notes = list(prep.draft.notes)
    if llm_report.note is None:
        prepared = rewrite.tailor_messages(
            document,
            prep.target,
            tone=request.tone,
            years=prep.draft.years,
            budget=resources.llm.config.route("resume").prompt_budget,
        )
        reply = await _ask_model(
            resources=resources,
            owner_id=owner_id,
            prepared=prepared,
            schema=rewrite.TailorReply,
            prompt=prompts.TAILOR,
            report=llm_report,
        )
        if reply is not None:
            notes += rewrite.apply_tailoring(document, reply, prepared, evidence=prep.evidence)
    run = RunReport(
        llm=llm_report,
        # Again on the final text: a rewrite may name a matched skill in another place.
        keywords=tailor.keyword_report(
            document, prep.target, prep.draft.matched, prep.draft.missing
        ),
        notes=notes,
        match_score=prep.match_score,
    )
    row = Resume(
        owner_id=owner_id,
        **_stored_target(prep),
        template=template,
        tone=request.tone,
        llm_used=llm_report.used,
        content=document.model_dump(mode="json"),
        report=run.model_dump(mode="json"),
    )
    session.add(row)
    await session.flush()
    log.info(
        "resume.tailored",
        llm_used=llm_report.used,
        degraded=llm_report.degraded,
        bullets=sum(1 for _ in tailor.included_bullets(document)),
    )
    return resume_public(row)


def _item_report(
    item: Item, *, position_key: str | None = None, included: bool = True
) -> ItemReport:
    return ItemReport(
        id=item.id,
        position_key=position_key,
        source=item.source,
        output=item.text,
        status=item.status,
        reason=item.reason,
        unsupported=item.unsupported,
        proposed=item.proposed,
        decision=item.decision,
        included=included,
    )


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
            bullets.append(_item_report(bullet, position_key=position.key, included=included))
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
        summary=_item_report(document.summary),
        bullets=bullets,
        dropped=dropped,
        counts=counts,
    )


def resume_public(row: Resume) -> ResumePublic:
    document = ResumeDocument.model_validate(row.content)
    run = RunReport.model_validate(row.report)
    return ResumePublic(
        id=str(row.id),
        created_at=row.created_at.isoformat(),
        updated_at=row.updated_at.isoformat(),
        template=row.template,
        tone=row.tone,  # type: ignore[arg-type]
        target=TargetPublic.model_validate(row.target),
        llm_used=row.llm_used,
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
                counts=report.counts,
            )
        )
    return summaries


async def get_resume(
    *, session: AsyncSession, owner_id: uuid.UUID, resume_id: uuid.UUID
) -> ResumePublic:
    """Return one of the user's resume versions; another user's is not found."""
    return resume_public(await _own_resume(session=session, owner_id=owner_id, resume_id=resume_id))


async def delete_resume(
    *, session: AsyncSession, owner_id: uuid.UUID, resume_id: uuid.UUID
) -> None:
    """Delete one of the user's resume versions."""
    row = await _own_resume(session=session, owner_id=owner_id, resume_id=resume_id)
    await session.delete(row)


async def _edit_evidence(
    *, session: AsyncSession, owner_id: uuid.UUID, targets: list[str] | None = None
) -> grounding.Evidence:
    profile = await profile_service.build_profile(session=session, owner_id=owner_id)
    if profile is None:
        raise NoProfileForResume()
    years = candidate_from_profile(profile, now_year=utcnow().year).years_experience
    return tailor.profile_evidence(
        profile, years=int(years) if years >= 1 else None, targets=targets or []
    )


def _decide(item: Item, action: str) -> None:
    if action == "accept":
        item.decision = "accepted"
    elif action == "reject":
        item.text, item.decision = item.source, "rejected"
        item.reason = "You kept your own text instead of the change."


def _edit(
    item: Item,
    text: str,
    *,
    evidence: grounding.Evidence,
    source: str | None,
    where: str,
    context_dates: set[tuple[int, int | None]] | None = None,
) -> None:
    text = " ".join(text.split())
    result = grounding.check(
        text, evidence=evidence, source=source, context_dates=context_dates or ()
    )
    if not result.ok:
        raise UnsupportedFacts(where, result.reasons())
    item.text, item.status, item.decision = text, "edited", "accepted"
    item.unsupported = []
    item.reason = "Edited by you; every fact in it is traced to your profile."


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
            f"No bullet with id {', '.join(repr(m) for m in missing)} in this resume; "
            "report.bullets lists them."
        )
    needs_check = any(c.action == "edit" for c in patch.bullets) or (
        patch.summary is not None and patch.summary.action == "edit"
    )
    evidence = await _edit_evidence(session=session, owner_id=owner_id) if needs_check else None
    for change in patch.bullets:
        position, bullet = bullets[change.id]
        if change.action == "edit":
            assert evidence is not None and change.text is not None
            _edit(
                bullet,
                change.text,
                evidence=evidence,
                source=bullet.source,
                where=f"bullet {change.id}",
                context_dates=tailor.position_dates(position),
            )
        elif change.action == "drop":
            bullet.included = False
            bullet.reason = "Left out at your request."
        elif change.action == "restore":
            bullet.included = True
            bullet.reason = "Put back at your request."
        else:
            _decide(bullet, change.action)
    if patch.summary is not None:
        if patch.summary.action == "edit":
            assert evidence is not None and patch.summary.text is not None
            _edit(
                document.summary,
                patch.summary.text,
                evidence=evidence,
                source=None,
                where="the summary",
            )
        else:
            _decide(document.summary, patch.summary.action)
    for key in patch.exclude_positions:
        positions[key].included = False
        positions[key].excluded_reason = "Left out at your request."
    for key in patch.include_positions:
        positions[key].included, positions[key].excluded_reason = True, None
    row.content = document.model_dump(mode="json")
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return resume_public(row)


def _slug(*parts: str | None) -> str:
    text = " ".join(p for p in parts if p)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    return slug[:80] or "document"


async def render_resume(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    resume_id: uuid.UUID,
    fmt: Format,
    template: str | None = None,
) -> Rendered:
    """Render one of the user's resume versions as HTML, PDF, DOCX or JSON Resume."""
    row = await _own_resume(session=session, owner_id=owner_id, resume_id=resume_id)
    document = ResumeDocument.model_validate(row.content)
    chosen = render.check_template(template or row.template)
    page = resources.settings.resume_page_size
    name = _slug("resume", document.basics.name, row.target_title)
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
        body = render.render_html(document, template=chosen, page_size=page)
    elif fmt == "pdf":
        body = await anyio.to_thread.run_sync(
            lambda: render.render_pdf(document, template=chosen, page_size=page)
        )
    else:
        body = await anyio.to_thread.run_sync(
            lambda: render.render_docx(document, template=chosen, page_size=page)
        )
    return Rendered(body=body, media_type=MEDIA_TYPES[fmt], filename=f"{name}.{fmt}")


# --- cover letters ----------------------------------------------------------------------------


async def create_cover_letter(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    request: CoverLetterRequest,
) -> CoverLetterPublic:
    """Write, ground and store a cover letter for a job or a role."""
    template = render.check_template(request.template)
    prep = await _prepare(
        session=session,
        resources=resources,
        owner_id=owner_id,
        job_description=request.job_description,
        role_id=request.role_id,
        job_id=request.job_id,
        options=tailor.TailorOptions(template=template),
        letter_targets=True,
    )
    document = letter.build_letter(
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
    llm_report = LLMReport(
        note=_llm_off_note(wanted=request.llm, enabled=resources.settings.resume_llm)
    )
    if llm_report.note is None:
        prepared = rewrite.letter_messages(
            document,
            prep.target,
            facts=letter.letter_facts(prep.draft.document, years=prep.draft.years),
            tone=request.tone,
            budget=resources.llm.config.route("resume").prompt_budget,
        )
        reply = await _ask_model(
            resources=resources,
            owner_id=owner_id,
            prepared=prepared,
            schema=rewrite.LetterReply,
            prompt=prompts.COVER_LETTER,
            report=llm_report,
        )
        if reply is not None:
            notes += rewrite.apply_letter(document, reply, prepared, evidence=prep.evidence)
    report = LetterReport(llm=llm_report, notes=notes)
    row = CoverLetter(
        owner_id=owner_id,
        **_stored_target(prep),
        template=template,
        tone=request.tone,
        llm_used=llm_report.used,
        content=document.model_dump(mode="json"),
        report=report.model_dump(mode="json"),
    )
    session.add(row)
    await session.flush()
    return letter_public(row)


def letter_public(row: CoverLetter) -> CoverLetterPublic:
    document = LetterDocument.model_validate(row.content)
    report = LetterReport.model_validate(row.report)
    report.paragraphs = [_item_report(p) for p in document.paragraphs]
    return CoverLetterPublic(
        id=str(row.id),
        created_at=row.created_at.isoformat(),
        updated_at=row.updated_at.isoformat(),
        template=row.template,
        tone=row.tone,  # type: ignore[arg-type]
        target=TargetPublic.model_validate(row.target),
        llm_used=row.llm_used,
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
        )
        for row in rows
    ]


async def get_cover_letter(
    *, session: AsyncSession, owner_id: uuid.UUID, letter_id: uuid.UUID
) -> CoverLetterPublic:
    """Return one of the user's cover letters; another user's is not found."""
    return letter_public(await _own_letter(session=session, owner_id=owner_id, letter_id=letter_id))


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
            f"No paragraph with id {', '.join(repr(m) for m in missing)} in this letter; "
            "content.paragraphs lists them."
        )
    if any(c.action in ("drop", "restore") for c in patch.paragraphs):
        raise UnknownItem("A cover letter's paragraphs can be accepted, rejected or edited.")
    evidence = None
    if any(c.action == "edit" for c in patch.paragraphs):
        target = TargetPublic.model_validate(row.target)
        evidence = await _edit_evidence(
            session=session,
            owner_id=owner_id,
            targets=[t for t in (target.title, target.company) if t],
        )
    for change in patch.paragraphs:
        paragraph = paragraphs[change.id]
        if change.action == "edit":
            assert evidence is not None and change.text is not None
            _edit(
                paragraph,
                change.text,
                evidence=evidence,
                source=None,
                where=f"paragraph {change.id}",
            )
        else:
            _decide(paragraph, change.action)
    row.content = document.model_dump(mode="json")
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return letter_public(row)


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
    name = _slug("cover-letter", document.basics.name, row.target_title)
    if fmt == "json":
        body: bytes | str | dict = {
            **document.model_dump(mode="json"),
            "text": letter.plain_text(document),
        }
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


# --- account export ---------------------------------------------------------------------------


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> dict[str, Any]:
    """Return the user's resume versions and cover letters for the account export."""
    resumes = (await session.exec(select(Resume).where(Resume.owner_id == owner_id))).all()
    letters = (
        await session.exec(select(CoverLetter).where(CoverLetter.owner_id == owner_id))
    ).all()
    return {
        "resumes": [resume_public(row).model_dump(mode="json") for row in resumes],
        "cover_letters": [letter_public(row).model_dump(mode="json") for row in letters],
    }
