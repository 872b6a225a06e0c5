"""The drafting steps a resume version and a cover letter share.

Resolve the target (pasted text, role or saved posting), tailor the profile to it
deterministically (``tailor``) and ground the result (``grounding``); then, when asked and
reachable, ask the resume route's model to reword it (``rewrite``): a background task does that
(``careergini.resume.tasks``), and the deterministic version stays when the model fails.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.analysis import schemas as analysis_schemas, service as analysis_service
from careergini.core.db import utcnow
from careergini.core.logging import get_logger
from careergini.llm.errors import LLMBadOutput, LLMError
from careergini.llm.gateway import ProgressCallback
from careergini.llm.prompts import Prompt
from careergini.profile import service as profile_service
from careergini.resume import grounding, rewrite, tailor
from careergini.resume.errors import NoProfileForResume, UnknownPosition
from careergini.resume.schemas import LLMReport, TailorRequest, TargetPublic
from careergini.runtime.resources import Resources
from careergini.skills import service as skills_service
from careergini.skills.schemas import JobRequirements
from careergini.skills.service import candidate_from_profile, load_taxonomy

log = get_logger(__name__)
T = TypeVar("T", bound=BaseModel)

# Caps on what a role's requirements put in the prompt (ESCO roles list hundreds of skills).
_MAX_JOB_SKILLS = 40


@dataclass
class Prepared:
    profile: Any
    target: tailor.JobTarget
    draft: tailor.Draft
    evidence: grounding.Evidence
    job_text: str
    match_score: float | None
    job_id: str | None = None


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
) -> tuple[tailor.JobTarget, JobRequirements]:
    """Parse a job description (or read a saved posting, or look up a role) into the target
    and its requirements."""
    taxonomy = load_taxonomy()
    title: str | None
    found_role: str | None = None
    if posting is not None:
        parsed, job = analysis_service.requirements_from_posting(posting, taxonomy)
        skills = tuple((s.skill_id, s.name, s.importance) for s in job.skills)
        # The posting's title and company: a cover letter addresses that company.
        title, company = posting.title, parsed.company
        responsibilities, text = tuple(parsed.responsibilities), posting.text
    elif role_id is not None:
        role = skills_service.get_role(role_id)
        job = skills_service.requirements_from_role(role, taxonomy)
        skills = tuple((s.skill_id, s.name, s.importance) for s in job.skills[:_MAX_JOB_SKILLS])
        title, company, responsibilities, text = role.title, None, (), job.text
        found_role = role.id
    else:
        text = job_description or ""
        parsed = skills_service.parse_job(text=text)
        job = skills_service.requirements_from_job(parsed, taxonomy, text)
        skills = tuple((s.skill_id, s.name, s.importance) for s in job.skills)
        title, company = parsed.title, parsed.company
        responsibilities = tuple(parsed.responsibilities)
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
    now = utcnow()
    # Years of professional experience from the dated positions, never rounded up: what the
    # composed summary says and what a claimed number of years is checked against.
    years = skills_service.professional_years(profile.work, now_year=now.year, now_month=now.month)
    draft = tailor.build_resume(
        profile=profile,
        job=target,
        matched={m.skill_id: m.importance for m in gap.matched},
        missing=missing,
        years_experience=years or 0.0,
        similarities=similarities,
        options=options,
    )
    targets = [t for t in (target.title, target.company) if t] if letter_targets else []
    evidence = tailor.profile_evidence(
        profile, years=draft.years, targets=targets, years_experience=years
    )
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


async def prepare_for_owner(
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
    """Read the user's posting (when named) and profile, then prepare the draft."""
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
    # Sentence by sentence: a sentence the profile does not support (your own summary's
    # "10+ years" when your positions add up to 5) is left out, the rest is kept.
    kept = [
        s.strip()
        for s in skills_service.split_sentences(summary.text)
        if s.strip() and grounding.check(s, evidence=evidence).ok
    ]
    fallback = " ".join(kept)
    draft.notes.append(
        f"The composed summary did not pass the grounding check ({grounding.describe(result)}); "
        + ("those sentences are left out." if fallback else "it is left out.")
    )
    summary.source = summary.text = fallback
    summary.reason = (
        "Composed from your profile; sentences it does not support are left out."
        if fallback
        else "No summary could be grounded."
    )


def target_public(prep: Prepared) -> TargetPublic:
    """Return what a stored version says it was tailored to."""
    target = prep.target
    return TargetPublic(
        type="job" if prep.job_id is not None else target.type,
        title=target.title,
        company=target.company,
        role_id=target.role_id,
        job_id=prep.job_id,
    )


def stored_target(prep: Prepared) -> dict[str, Any]:
    """The target columns a resume version and a cover letter both store."""
    return {
        "target": target_public(prep).model_dump(mode="json"),
        "target_title": (prep.target.title or "")[:300] or None,
        "job_hash": hashlib.sha256(prep.job_text.encode()).hexdigest(),
    }


def llm_off_note(*, wanted: bool, enabled: bool) -> str | None:
    """Return why the model is not asked, or None when it is."""
    if not wanted:
        return "The deterministic version, as asked (llm: false)."
    if not enabled:
        return "Rewording by the model is turned off (CAREERGINI_RESUME_LLM=false)."
    return None


MODEL_PENDING_NOTE = (
    "The model's version is on its way: a background task (see `task`) rewords this "
    "deterministic version and replaces it when done, unless you edit it first."
)


def tailor_options(request: TailorRequest, template: str) -> tailor.TailorOptions:
    """Return the tailoring options a request asks for (the template already checked)."""
    return tailor.TailorOptions(
        template=template,
        position_order=request.position_order,
        max_bullets=request.max_bullets_per_position,
        exclude=frozenset(request.exclude_positions),
    )


def model_failed(report: LLMReport, exc: LLMError) -> LLMReport:
    """Note on the stored deterministic version that the model's version could not be made."""
    report.used, report.degraded = False, True
    if isinstance(exc, LLMBadOutput):
        reason = (
            "the model's answer was not valid JSON for the expected shape, even after one "
            "correction"
        )
    else:
        reason = f"the model is unavailable ({exc.detail.rstrip('.')})"
    report.note = (
        f"The model's version could not be made: {reason}. This is the deterministic version, "
        "and it is usable as it is; retry the task (Retry, here or under Background tasks) or "
        "make it again later to have the wording improved."
    )
    log.info("resume.llm_failed", error=type(exc).__name__)
    return report


async def call_model(
    *,
    resources: Resources,
    owner_id: uuid.UUID,
    prepared: rewrite.Prepared,
    schema: type[T],
    prompt: Prompt,
    report: LLMReport,
    progress: ProgressCallback | None = None,
) -> T:
    """Ask the resume role's model and record what it cost; a gateway failure raises LLMError."""
    report.prompt_version = prompt.ref
    report.prompt_tokens_estimate = prepared.estimate
    report.items_sent = len(prepared.ids)
    completion = await resources.llm.complete(
        "resume", prepared.messages, schema, user_id=owner_id, prompt=prompt, progress=progress
    )
    if completion.parsed is None:
        raise LLMBadOutput(
            "The model gave no answer of the expected shape.", raw=completion.text, errors=""
        )
    report.used, report.degraded, report.note = True, False, None
    report.model = completion.model
    report.prompt_tokens = completion.prompt_tokens
    report.completion_tokens = completion.completion_tokens
    return completion.parsed
