"""The resume tools: what the resume should put forward for a target, and, when asked, a
stored tailored resume or cover letter.

The documents come from the same service functions as POST /api/resumes/tailor and
/api/cover-letters, for the chatting user only, committed at once: the document exists when
the answer names it, whatever happens to the answer.
"""

from __future__ import annotations

from careergini.agents.results import (
    ArtifactRef,
    BulletData,
    CoverLetterData,
    LeftOutData,
    ResumeFocusData,
    TailoredResumeData,
    ToolResult,
)
from careergini.agents.state import CoachContext, Target
from careergini.agents.tools.analysis import Analysis, analyse
from careergini.agents.tools.base import (
    NO_DOCUMENT_TARGET_HINT,
    explain,
    failed,
    names,
    request_target,
    result,
    short,
    target_label,
)
from careergini.core.db import session_scope
from careergini.core.errors import AppError
from careergini.profile import service as profile_service
from careergini.resume import service as resume_service
from careergini.resume.schemas import CoverLetterRequest, Position, TailorRequest


async def resume_focus(
    ctx: CoachContext, *, target: Target | None, agent: str = "resume"
) -> ToolResult:
    """Say what the resume should put forward for the target and which keywords it lacks."""
    analysis = await analyse(ctx, target, agent=agent, tool="resume_focus", heading="Resume focus")
    if not isinstance(analysis, Analysis):
        return analysis
    profile, gap = analysis.profile, analysis.gap
    position_of = {
        bullet: work.title for work in profile.work if not work.hidden for bullet in work.bullets
    }
    bullets = [
        BulletData(
            position=position,
            bullet=bullet[:200],
            skills=[m.name for m in gap.matched if m.name.casefold() in bullet.casefold()],
        )
        for bullet, position in position_of.items()
    ]
    by_meaning = await _bullets_by_similarity(ctx, profile, analysis.job_text)
    if by_meaning:  # the resume domain's measure: closest in meaning to the job first
        rank = {text[:200]: number for number, text in enumerate(by_meaning)}
        bullets.sort(key=lambda b: rank.get(b["bullet"], len(rank)))
    else:
        bullets = sorted((b for b in bullets if b["skills"]), key=lambda b: -len(b["skills"]))
    data = ResumeFocusData(
        target=analysis.target_data,
        put_forward=[m.name for m in gap.matched if m.importance == "required"][:10],
        strongest_bullets=bullets[:4],
        missing_keywords=[g.name for g in gap.missing_required][:8],
    )
    lines = [
        f"Target: {analysis.label}.",
        "Required skills the person has (put forward): "
        + (", ".join(data["put_forward"]) or "none"),
        "Required keywords the resume lacks (add only if true): "
        + (", ".join(data["missing_keywords"]) or "none"),
    ]
    lines.extend(f"- [{b['position']}] {b['bullet']}" for b in data["strongest_bullets"])
    return analysis.result(data, "\n".join(lines))


async def _bullets_by_similarity(
    ctx: CoachContext, profile: profile_service.MergedProfile, text: str
) -> list[str]:
    """Rank the person's bullets by meaning against the job (the resume domain's measure)."""
    if not text:
        return []
    scores = await resume_service.bullet_similarities(
        embedder=ctx.resources.embedder, profile=profile, job_text=text
    )
    # Keyed by "<position key>:<index>", in the profile's order.
    texts = {
        f"{work.key}:{index}": bullet
        for work in profile.work
        if not work.hidden
        for index, bullet in enumerate(work.bullets)
    }
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return [texts[key] for key, _ in ranked if key in texts]


def _reordered(position: Position) -> bool:
    """Return whether the resume shows this position's bullets in another order than the
    profile (bullet ids are "<position key>:<index in the profile>")."""
    indexes = [int(b.id.rsplit(":", 1)[1]) for b in position.bullets if b.included]
    return indexes != sorted(indexes)


async def tailor_resume(
    ctx: CoachContext, *, target: Target | None, agent: str = "resume"
) -> ToolResult:
    """Create and store a resume version tailored to the target; say what it did."""
    label = target_label(target) if target else None
    title = f"Tailored resume: {label}" if label else "Tailored resume"
    fields = request_target(target, role_field="role_id")
    if fields is None:
        return failed(agent, "tailor_resume", title, NO_DOCUMENT_TARGET_HINT)
    # llm=False: the deterministic version, so the chat turn does not wait minutes for the
    # model's rewording (the Resumes screen tailors with it).
    request = TailorRequest(**fields, llm=False)
    try:
        async with session_scope(ctx.resources.sessionmaker) as session:
            made = await resume_service.tailor_resume(
                session=session, resources=ctx.resources, owner_id=ctx.user_id, request=request
            )
    except AppError as exc:  # no profile yet, a posting gone, an unknown role
        return failed(agent, "tailor_resume", title, explain(exc, target))
    report = made.report
    positions = [p for p in made.content.positions if p.included]
    kept = [b for p in positions for b in p.bullets if b.included]
    not_claimed = sorted(report.keywords.not_claimed, key=lambda k: k.importance != "required")
    links = {
        "app": f"/resumes/{made.id}",
        "pdf": f"/api/resumes/{made.id}/pdf",
        "docx": f"/api/resumes/{made.id}/docx",
    }
    data = TailoredResumeData(
        artifact=ArtifactRef(kind="resume", id=made.id),
        target=made.target.model_dump(mode="json"),
        template=made.template,
        links=links,
        bullets_total=report.counts.get("bullets", 0),
        bullets_kept=report.counts.get("bullets_included", len(kept)),
        reordered=[p.title or p.company or p.key for p in positions if _reordered(p)],
        first_bullet=short(kept[0].text) if kept else None,
        keywords_used=[k.name for k in report.keywords.surfaced][:10],
        not_claimed=[k.name for k in not_claimed][:6],
        left_out=[
            LeftOutData(text=short(d.text, 80), reason=short(d.reason, 100))
            for d in report.dropped[:3]
        ],
        left_out_count=len(report.dropped),
        notes=[short(n, 160) for n in report.notes[:2]],
    )
    lines = [
        f"Created and saved a tailored resume (id {made.id}) for {label}, template "
        f"{made.template}; the wording is the person's own text (not reworded by the model).",
        f"Bullets: {data['bullets_kept']} of {data['bullets_total']} kept, most relevant first"
        + (f"; reordered in: {', '.join(data['reordered'][:3])}" if data["reordered"] else "")
        + ".",
    ]
    if data["first_bullet"]:
        lines.append(f'Leads with: "{data["first_bullet"]}"')
    lines.append("Keywords put forward: " + (names(data["keywords_used"], 8) or "none"))
    if data["not_claimed"]:
        lines.append("Not claimed (no evidence in the profile): " + names(data["not_claimed"], 6))
    if data["left_out"]:
        first = data["left_out"][0]
        lines.append(
            f'Left out: {data["left_out_count"]}, e.g. "{first["text"]}" ({first["reason"]})'
        )
    lines.extend(f"Note: {n}" for n in data["notes"][:1])
    lines.append(f"Links: {links['app']} (review, edit), {links['pdf']}, {links['docx']}")
    return result(agent, "tailor_resume", title, data, "\n".join(lines))


async def write_cover_letter(
    ctx: CoachContext, *, target: Target | None, agent: str = "resume"
) -> ToolResult:
    """Create and store a cover letter for the target from the profile's facts."""
    label = target_label(target) if target else None
    title = f"Cover letter: {label}" if label else "Cover letter"
    fields = request_target(target, role_field="role_id")
    if fields is None:
        return failed(agent, "write_cover_letter", title, NO_DOCUMENT_TARGET_HINT)
    request = CoverLetterRequest(**fields, llm=False)  # deterministic: see tailor_resume
    try:
        async with session_scope(ctx.resources.sessionmaker) as session:
            made = await resume_service.create_cover_letter(
                session=session, resources=ctx.resources, owner_id=ctx.user_id, request=request
            )
    except AppError as exc:
        return failed(agent, "write_cover_letter", title, explain(exc, target))
    letter = made.content
    links = {
        "app": f"/resumes/letters/{made.id}",
        "pdf": f"/api/cover-letters/{made.id}/pdf",
        "docx": f"/api/cover-letters/{made.id}/docx",
    }
    data = CoverLetterData(
        artifact=ArtifactRef(kind="cover_letter", id=made.id),
        target=made.target.model_dump(mode="json"),
        links=links,
        addressed_to=letter.company,
        greeting=letter.greeting,
        paragraphs=len(letter.paragraphs),
        opening=short(letter.paragraphs[0].text, 220) if letter.paragraphs else None,
        notes=[short(n, 160) for n in made.report.notes[:2]],
    )
    lines = [
        f"Created and saved a cover letter (id {made.id}) for {label}"
        + (f", addressed to {letter.company}" if letter.company else "")
        + f": {data['paragraphs']} paragraphs, every fact from the profile (not reworded by "
        "the model).",
    ]
    if data["opening"]:
        lines.append(f'Opening: "{data["opening"]}"')
    lines.extend(f"Note: {n}" for n in data["notes"])
    lines.append(f"Links: {links['app']} (review, edit), {links['pdf']}, {links['docx']}")
    return result(agent, "write_cover_letter", title, data, "\n".join(lines))
