"""The roles and jobs tools: roles like a title, and the person's own postings that fit."""

from __future__ import annotations

from dataclasses import dataclass, field

from careergini.agents.results import (
    JobMatchesData,
    PostingData,
    RoleData,
    RoleSearchData,
    ToolResult,
)
from careergini.agents.state import CoachContext
from careergini.agents.tools.base import (
    NO_PROFILE_HINT,
    STOP,
    WORD,
    candidate_of,
    failed,
    load_profile,
    result,
)
from careergini.core.errors import AppError
from careergini.jobs import service as jobs_service
from careergini.jobs.schemas import JobSummary
from careergini.skills.service import load_roles, load_taxonomy

NO_POSTINGS_HINT = (
    "No collected job posting matches yet: add job sources (Jobs > Sources) or paste a "
    "job description here."
)


async def role_search(
    ctx: CoachContext, *, query: str | None, agent: str = "jobs", limit: int = 5
) -> ToolResult:
    """Find roles by title (or like the person's latest title) with their key skills."""
    title = "Roles"
    words = query
    if not words:
        profile = await load_profile(ctx)
        titles = candidate_of(profile).titles if profile else ()
        words = titles[0] if titles else None
    if not words:
        return failed(agent, "role_search", title, NO_PROFILE_HINT)
    roles = load_roles()
    hits = roles.search(words, limit=limit)
    tokens = [w for w in WORD.findall(words) if w.casefold() not in STOP]
    while not hits and len(tokens) > 1:
        tokens = tokens[1:]
        hits = roles.search(" ".join(tokens), limit=limit)
    taxonomy = load_taxonomy()
    found = []
    for role in hits:
        skills = [taxonomy.get(s) for s in (*role.hot_technology_ids, *role.essential_skill_ids)]
        found.append(
            RoleData(
                id=role.id,
                title=role.title,
                description=role.description[:200],
                key_skills=[s.name for s in skills if s is not None][:8],
            )
        )
    data = RoleSearchData(query=words, roles=found)
    if not found:
        return result(
            agent, "role_search", title, data, f"No role title starts with {words!r}.", ok=False
        )
    digest = "\n".join(
        f"- {r['title']} ({r['id']}): key skills {', '.join(r['key_skills']) or 'n/a'}"
        for r in found
    )
    return result(agent, "role_search", f"Roles like {words!r}", data, digest)


@dataclass(frozen=True, slots=True)
class _Found:
    """A posting found for the person, with why it fits (recommendations only)."""

    job: JobSummary
    score: float | None
    reasons: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)


async def _find_postings(ctx: CoachContext, query: str | None, limit: int) -> list[_Found]:
    """Search the person's postings for the query, or recommend the best without one."""
    async with ctx.resources.sessionmaker() as session:
        filters = jobs_service.build_filters()
        if query:
            page = await jobs_service.search_jobs(
                session=session,
                resources=ctx.resources,
                owner_id=ctx.user_id,
                q=query,
                filters=filters,
                limit=limit,
                cursor=None,
            )
            return [_Found(job=job, score=job.match_score) for job in page.items]
        recommended = await jobs_service.recommend(
            session=session,
            resources=ctx.resources,
            owner_id=ctx.user_id,
            filters=filters,
            limit=limit,
        )
        return [
            _Found(
                job=item.job,
                score=item.score,
                reasons=item.top_reasons[:2],
                gaps=[g.name for g in item.gaps[:3]],
            )
            for item in recommended.items
        ]


async def job_matches(
    ctx: CoachContext, *, query: str | None, agent: str = "jobs", limit: int = 5
) -> ToolResult:
    """Return the person's collected job postings that fit best (or match the query)."""
    title = "Your job postings" if not query else f"Your job postings for {query!r}"
    try:
        found = await _find_postings(ctx, query, limit)
    except AppError as exc:  # no profile yet, a query it cannot use
        return failed(agent, "job_matches", title, exc.detail)
    postings = [
        PostingData(
            title=f.job.title,
            company=f.job.company,
            location=f.job.location,
            remote=f.job.remote,
            url=f.job.url,
            score=None if f.score is None else round(f.score),
            reasons=f.reasons,
            gaps=f.gaps,
        )
        for f in found
    ]
    if not postings:
        data = JobMatchesData(query=query, postings=postings, hint=NO_POSTINGS_HINT)
        return result(agent, "job_matches", title, data, NO_POSTINGS_HINT, ok=False)
    lines = []
    for p in postings:
        where = ", ".join(x for x in (p["company"], p["location"], p["remote"]) if x)
        score = f"match {p['score']}/100" if p["score"] is not None else "no score"
        extra = f"; gaps: {', '.join(p['gaps'])}" if p["gaps"] else ""
        lines.append(f"- {p['title']} ({where}): {score}{extra}")
    data = JobMatchesData(query=query, postings=postings)
    return result(agent, "job_matches", title, data, "\n".join(lines))
