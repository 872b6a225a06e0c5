"""The person measured against a target: the skill gap and the match score, and the
measurement the learning and resume tools start from."""

from __future__ import annotations

from dataclasses import dataclass

from careergini.agents.results import MatchScoreData, SkillGapData, TargetData, ToolData, ToolResult
from careergini.agents.state import CoachContext, Target
from careergini.agents.tools.base import (
    NO_PROFILE_HINT,
    NO_TARGET_HINT,
    candidate_of,
    explain,
    failed,
    load_profile,
    result,
    target_data,
    target_label,
)
from careergini.agents.tools.targets import requirements
from careergini.analysis import schemas as analysis_schemas, service as analysis_service
from careergini.core.errors import AppError
from careergini.profile import service as profile_service
from careergini.skills import service as skills_service
from careergini.skills.schemas import Candidate, GapReport, JobRequirements
from careergini.skills.service import load_taxonomy


@dataclass(frozen=True, slots=True)
class Analysis:
    """The person measured against a target, and the tool run that asked for it."""

    agent: str
    tool: str
    title: str
    label: str
    target: Target
    profile: profile_service.MergedProfile
    candidate: Candidate
    gap: GapReport
    job: JobRequirements
    posting: analysis_schemas.PostingTarget | None = None

    @property
    def job_text(self) -> str:
        """The job's own text (a pasted JD or the saved posting's), empty for a role."""
        if self.posting is not None:
            return self.posting.text
        return str(self.target.get("text") or "")

    @property
    def target_data(self) -> TargetData:
        """The target as the result's data shows it (first)."""
        return target_data(self.target)

    def result(self, data: ToolData, digest: str) -> ToolResult:
        """Return the tool's result."""
        return result(self.agent, self.tool, self.title, data, digest)

    def failed(self, hint: str) -> ToolResult:
        return failed(self.agent, self.tool, self.title, hint)


async def analyse(
    ctx: CoachContext, target: Target | None, *, agent: str, tool: str, heading: str
) -> Analysis | ToolResult:
    """Measure the person against the target, or return the failed result naming what is missing."""
    title = f"{heading}: {target_label(target)}" if target else heading
    if target is None:
        return failed(agent, tool, title, NO_TARGET_HINT)
    try:
        job, posting = await requirements(ctx, target)
    except AppError as exc:  # a saved posting deleted since, or without a description
        return failed(agent, tool, title, explain(exc, target))
    if job is None:
        return failed(agent, tool, title, NO_TARGET_HINT)
    profile = await load_profile(ctx)
    if profile is None:
        return failed(agent, tool, title, NO_PROFILE_HINT)
    candidate = candidate_of(profile)
    gap = skills_service.compute_gap(job, candidate, load_taxonomy())
    return Analysis(
        agent=agent,
        tool=tool,
        title=title,
        label=target_label(target),
        target=target,
        profile=profile,
        candidate=candidate,
        gap=gap,
        job=job,
        posting=posting,
    )


def _gap_digest(label: str, gap: GapReport) -> str:
    matched = gap.matched
    lines = [f"Target: {label}."]
    lines.append(
        f"Matched ({len(matched)}): "
        + (", ".join(f"{m.name} [{m.recency}]" for m in matched[:12]) or "none")
    )
    required = gap.missing_required
    lines.append(f"Missing required ({len(required)}, most important first):")
    lines.extend(f"{g.rank}. {g.name}: {g.reason}" for g in required[:6])
    preferred = gap.missing_preferred
    if preferred:
        lines.append("Missing preferred: " + ", ".join(g.name for g in preferred[:8]))
    for t in gap.transferable[:4]:
        lines.append(f"Transferable: {t.via_name} for {t.name} ({t.reason})")
    return "\n".join(lines)


async def skill_gap(
    ctx: CoachContext, *, target: Target | None, agent: str = "skills"
) -> ToolResult:
    """Compare the person's skills with the target: matched, missing (ranked), transferable."""
    analysis = await analyse(ctx, target, agent=agent, tool="skill_gap", heading="Skill gap")
    if not isinstance(analysis, Analysis):
        return analysis
    data = SkillGapData(
        target=analysis.target_data,
        gap=analysis.gap.model_dump(mode="json"),
        warnings=list(analysis.job.warnings),
    )
    return analysis.result(data, _gap_digest(analysis.label, analysis.gap))


async def match_score(
    ctx: CoachContext, *, target: Target | None, agent: str = "skills"
) -> ToolResult:
    """Score the person against the target (0-100) with each component and its evidence."""
    analysis = await analyse(ctx, target, agent=agent, tool="match_score", heading="Match score")
    if not isinstance(analysis, Analysis):
        return analysis
    candidate, gap, job = analysis.candidate, analysis.gap, analysis.job
    sim = await analysis_service.similarity(
        embedder=ctx.resources.embedder, candidate=candidate, job=job
    )
    match = skills_service.compute_match(job, candidate, gap, sim)
    score = "not confident" if match.score is None else f"{match.score:.0f}/100"
    lines = [f"Target: {analysis.label}. Match score: {score}."]
    lines.extend(
        f"- {c.label}: {c.points:.0f} of {c.max_points:.0f} points ({c.evidence})"
        for c in match.components
    )
    lines.extend(f"Reason: {r}" for r in match.top_reasons[:3])
    lines.extend(f"Warning: {w}" for w in match.warnings[:2])
    data = MatchScoreData(target=analysis.target_data, match=match.model_dump(mode="json"))
    return analysis.result(data, "\n".join(lines))
