"""The coach's tools: thin wrappers over the domain services, deterministic, in plain Python.

Every tool takes the :class:`CoachContext` of the run as its first argument: the user id comes
from the authenticated request through the graph's context, never from the model, so a tool can
only ever read the caller's own data. The model never calls a tool and never names its
arguments; the specialists choose the tools and their arguments from the message by rules.

A tool returns a :class:`ToolResult`: ``data`` (JSON-ready, rendered by the degraded-mode
templates) and ``digest`` (a compact text of the same facts for the model, bounded in size).
Expected failures (no profile yet, no target) are results with ``ok=False`` and a hint, not
exceptions.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from careergini.agents.state import CoachContext, Target, ToolResult, TurnRequest
from careergini.core.db import utcnow
from careergini.core.errors import AppError
from careergini.core.logging import get_logger
from careergini.profile import service as profile_service
from careergini.skills.analysis import service as analysis_service
from careergini.skills.analysis.candidate import Candidate, candidate_from_profile
from careergini.skills.analysis.requirements import JobRequirements
from careergini.skills.taxonomy import load_roles, load_taxonomy

log = get_logger(__name__)

DIGEST_CHARS = 1200
MIN_JD_CHARS = 300
_CUES = re.compile(
    r"\b(?:become|becoming|be|as|for|into|to|towards|toward|role of|position of|switch to|"
    r"move to|transition to|match|matching)\s+(?:an?\s+|the\s+)?",
    re.IGNORECASE,
)
_STOP = {
    "in", "at", "with", "and", "or", "but", "job", "jobs", "role", "roles", "position",
    "positions", "next", "year", "years", "please", "now", "soon", "someday", "career",
    "it", "this", "that", "these", "those", "me", "my", "you", "your", "them", "something",
    "learn", "get", "find", "prepare", "improve", "know", "do", "make", "work", "apply",
    "write", "interview", "interviews", "what", "which", "how", "why", "besides",
}  # fmt: skip
_GENERIC = {"engineer", "developer", "manager", "analyst", "specialist", "consultant", "lead"}
_WORD = re.compile(r"[a-z0-9][a-z0-9+#./-]*", re.IGNORECASE)


def _clip(text: str, limit: int = DIGEST_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _result(
    agent: str, tool: str, title: str, data: dict[str, Any], digest: str, *, ok: bool = True
) -> ToolResult:
    return ToolResult(agent=agent, tool=tool, title=title, ok=ok, data=data, digest=_clip(digest))


def _failed(agent: str, tool: str, title: str, hint: str) -> ToolResult:
    return _result(agent, tool, title, {"hint": hint}, hint, ok=False)


def _date(value: Any) -> str:
    if value is None:
        return "?"
    if getattr(value, "present", False):
        return "present"
    if getattr(value, "year", None):
        return f"{value.year}-{value.month:02d}" if value.month else str(value.year)
    return "?"


NO_PROFILE_HINT = (
    "There is no profile yet: import a resume, a LinkedIn export or a GitHub account "
    "(Profile > Import) and ask again."
)
NO_TARGET_HINT = (
    "There is no target to compare with yet: paste a job description, or name a role "
    '("what am I missing to become a data engineer?").'
)


async def _profile(ctx: CoachContext) -> profile_service.MergedProfile | None:
    async with ctx.resources.sessionmaker() as session:
        return await profile_service.build_profile(session=session, owner_id=ctx.user_id)


def _candidate(profile: profile_service.MergedProfile) -> Candidate:
    return candidate_from_profile(profile, now_year=utcnow().year)


# --- profile ----------------------------------------------------------------------------------


async def profile_summary(ctx: CoachContext, *, agent: str = "profile") -> ToolResult:
    """Return the person's profile in brief: headline, positions, top skills, education."""
    profile = await _profile(ctx)
    title = "Your profile"
    if profile is None:
        return _failed(agent, "profile_summary", title, NO_PROFILE_HINT)
    candidate = _candidate(profile)
    basics = {key: fact.value for key, fact in profile.basics.items() if fact.value}
    positions = [
        {
            "title": w.title,
            "company": w.company,
            "start": _date(w.start),
            "end": "present" if w.current else _date(w.end),
            "highlights": [b[:160] for b in w.bullets[:2]],
        }
        for w in profile.work
        if not w.hidden
    ][:4]
    skills = sorted(profile.skills, key=lambda s: (-len(s.evidence), s.name.casefold()))
    education = [
        {"degree": e.degree, "field": e.field, "institution": e.institution}
        for e in profile.education
        if not e.hidden
    ][:2]
    data = {
        "name": basics.get("name"),
        "headline": basics.get("headline") or (candidate.titles[0] if candidate.titles else None),
        "summary": (profile.summary.value or "")[:400] or None,
        "years_experience": candidate.years_experience,
        "seniority": candidate.seniority,
        "positions": positions,
        "skills": [s.name for s in skills[:20]],
        "education": education,
    }
    lines = [
        f"Headline: {data['headline'] or 'unknown'}; about {data['years_experience']} years of "
        f"experience; level: {data['seniority'] or 'unknown'}.",
    ]
    if data["summary"]:
        lines.append(f"Summary: {data['summary']}")
    for p in positions:
        lines.append(f"- {p['title'] or '?'} at {p['company'] or '?'} ({p['start']}-{p['end']})")
        lines.extend(f"  * {h}" for h in p["highlights"])
    lines.append("Skills: " + (", ".join(data["skills"]) or "none listed"))
    for e in education:
        lines.append(f"Education: {e['degree'] or ''} {e['field'] or ''}, {e['institution'] or ''}")
    return _result(agent, "profile_summary", title, data, "\n".join(lines))


# --- targets ----------------------------------------------------------------------------------


def _role_target(role_id: str) -> Target | None:
    role = load_roles().get(role_id)
    if role is None:
        return None
    return Target(kind="role", title=role.title, role_id=role.id, text=None, company=None)


def search_role_phrase(text: str) -> Target | None:
    """Find the role a message names after a cue ("become a data engineer")."""
    roles = load_roles()
    for cue in _CUES.finditer(text):
        words: list[str] = []
        for match in _WORD.finditer(text[cue.end() : cue.end() + 80]):
            word = match.group(0).strip("./-")
            if word.casefold() in _STOP or not word:
                break
            words.append(word)
            if len(words) == 5:
                break
        for size in range(len(words), 0, -1):
            phrase = " ".join(words[:size])
            hits = roles.search(phrase, limit=5)
            if size == 1:
                # One word names a role only when it is a whole title ("nurse", "actuary").
                hits = [
                    r for r in hits if _is_title(r, phrase) and phrase.casefold() not in _GENERIC
                ]
            if hits:
                return Target(
                    kind="role", title=hits[0].title, role_id=hits[0].id, text=None, company=None
                )
    return None


def _is_title(role: Any, word: str) -> bool:
    wanted = word.casefold()
    titles = {t.casefold() for t in (role.title, *role.alt_titles)}
    return wanted in titles or f"{wanted}s" in titles


def find_target(
    *, message: str, request: TurnRequest | None, previous: Target | None
) -> Target | None:
    """Decide what to analyse against: a pasted JD, a role named or chosen, else the last one."""
    request = request or {}
    if request.get("job_description"):
        return _job_target(str(request["job_description"]))
    if request.get("role_id"):
        target = _role_target(str(request["role_id"]))
        if target is not None:
            return target
    if len(message) >= MIN_JD_CHARS:
        parsed = analysis_service.parse_job(text=message)
        if parsed.looks_like_job:
            return Target(
                kind="job_description",
                title=parsed.title,
                company=parsed.company,
                role_id=None,
                text=message,
            )
    named = search_role_phrase(message[:400])
    return named or previous


def _job_target(text: str) -> Target:
    parsed = analysis_service.parse_job(text=text)
    return Target(
        kind="job_description", title=parsed.title, company=parsed.company, role_id=None, text=text
    )


def _requirements(target: Target) -> JobRequirements | None:
    taxonomy = load_taxonomy()
    if target.get("kind") == "role" and target.get("role_id"):
        role = load_roles().get(str(target["role_id"]))
        return analysis_service.requirements_from_role(role, taxonomy) if role else None
    text = target.get("text") or ""
    if not text.strip():
        return None
    parsed = analysis_service.parse_job(text=text)
    return analysis_service.requirements_from_job(parsed, taxonomy, text)


def _target_label(target: Target) -> str:
    title = target.get("title") or ("the job" if target.get("kind") == "job_description" else "?")
    company = target.get("company")
    return f"{title} ({company})" if company else str(title)


def _target_data(target: Target) -> dict[str, Any]:
    return {
        "kind": target.get("kind"),
        "title": target.get("title"),
        "company": target.get("company"),
        "role_id": target.get("role_id"),
    }


# --- gap and match ----------------------------------------------------------------------------


def _gap_digest(label: str, gap: dict[str, Any]) -> str:
    matched = gap["matched"]
    lines = [f"Target: {label}."]
    lines.append(
        f"Matched ({len(matched)}): "
        + (", ".join(f"{m['name']} [{m['recency']}]" for m in matched[:12]) or "none")
    )
    required = gap["missing_required"]
    lines.append(f"Missing required ({len(required)}, most important first):")
    lines.extend(f"{g['rank']}. {g['name']}: {g['reason']}" for g in required[:6])
    preferred = gap["missing_preferred"]
    if preferred:
        lines.append("Missing preferred: " + ", ".join(g["name"] for g in preferred[:8]))
    for t in gap["transferable"][:4]:
        lines.append(f"Transferable: {t['via_name']} for {t['name']} ({t['reason']})")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Analysis:
    """The person measured against a target, and the tool run that asked for it."""

    agent: str
    tool: str
    title: str
    label: str
    target: Target
    profile: profile_service.MergedProfile
    candidate: Candidate
    gap: Any
    job: JobRequirements

    def result(self, data: dict[str, Any], digest: str) -> ToolResult:
        """Return the tool's result, its data headed by the target."""
        data = {"target": _target_data(self.target), **data}
        return _result(self.agent, self.tool, self.title, data, digest)

    def failed(self, hint: str) -> ToolResult:
        return _failed(self.agent, self.tool, self.title, hint)


async def _analyse(
    ctx: CoachContext, target: Target | None, *, agent: str, tool: str, heading: str
) -> _Analysis | ToolResult:
    """Measure the person against the target, or return the failed result naming what is missing."""
    title = f"{heading}: {_target_label(target)}" if target else heading
    if target is None:
        return _failed(agent, tool, title, NO_TARGET_HINT)
    job = _requirements(target)
    if job is None:
        return _failed(agent, tool, title, NO_TARGET_HINT)
    profile = await _profile(ctx)
    if profile is None:
        return _failed(agent, tool, title, NO_PROFILE_HINT)
    candidate = _candidate(profile)
    gap = analysis_service.compute_gap(job, candidate, load_taxonomy())
    return _Analysis(
        agent=agent,
        tool=tool,
        title=title,
        label=_target_label(target),
        target=target,
        profile=profile,
        candidate=candidate,
        gap=gap,
        job=job,
    )


async def skill_gap(
    ctx: CoachContext, *, target: Target | None, agent: str = "skills"
) -> ToolResult:
    """Compare the person's skills with the target: matched, missing (ranked), transferable."""
    analysis = await _analyse(ctx, target, agent=agent, tool="skill_gap", heading="Skill gap")
    if not isinstance(analysis, _Analysis):
        return analysis
    gap = analysis.gap.model_dump(mode="json")
    return analysis.result(
        {"gap": gap, "warnings": list(analysis.job.warnings)}, _gap_digest(analysis.label, gap)
    )


async def match_score(
    ctx: CoachContext, *, target: Target | None, agent: str = "skills"
) -> ToolResult:
    """Score the person against the target (0-100) with each component and its evidence."""
    analysis = await _analyse(ctx, target, agent=agent, tool="match_score", heading="Match score")
    if not isinstance(analysis, _Analysis):
        return analysis
    candidate, gap, job = analysis.candidate, analysis.gap, analysis.job
    sim = await analysis_service.similarity(resources=ctx.resources, candidate=candidate, job=job)
    match = analysis_service.compute_match(job, candidate, gap, sim)
    score = "not confident" if match.score is None else f"{match.score:.0f}/100"
    lines = [f"Target: {analysis.label}. Match score: {score}."]
    lines.extend(
        f"- {c.name}: {c.points:.1f} of {c.weight * 100:.0f} points ({c.evidence})"
        for c in match.components
    )
    lines.extend(f"Reason: {r}" for r in match.top_reasons[:3])
    lines.extend(f"Warning: {w}" for w in match.warnings[:2])
    return analysis.result({"match": match.model_dump(mode="json")}, "\n".join(lines))


# --- roles and jobs ---------------------------------------------------------------------------


async def role_search(
    ctx: CoachContext, *, query: str | None, agent: str = "jobs", limit: int = 5
) -> ToolResult:
    """Find roles by title (or like the person's latest title) with their key skills."""
    title = "Roles"
    words = query
    if not words:
        profile = await _profile(ctx)
        titles = _candidate(profile).titles if profile else ()
        words = titles[0] if titles else None
    if not words:
        return _failed(agent, "role_search", title, NO_PROFILE_HINT)
    roles = load_roles()
    hits = roles.search(words, limit=limit)
    tokens = [w for w in _WORD.findall(words) if w.casefold() not in _STOP]
    while not hits and len(tokens) > 1:
        tokens = tokens[1:]
        hits = roles.search(" ".join(tokens), limit=limit)
    taxonomy = load_taxonomy()
    found = []
    for role in hits:
        skills = [taxonomy.get(s) for s in (*role.hot_technology_ids, *role.essential_skill_ids)]
        found.append(
            {
                "id": role.id,
                "title": role.title,
                "description": role.description[:200],
                "key_skills": [s.name for s in skills if s is not None][:8],
            }
        )
    data = {"query": words, "roles": found}
    if not found:
        return _result(
            agent, "role_search", title, data, f"No role title starts with {words!r}.", ok=False
        )
    digest = "\n".join(
        f"- {r['title']} ({r['id']}): key skills {', '.join(r['key_skills']) or 'n/a'}"
        for r in found
    )
    return _result(agent, "role_search", f"Roles like {words!r}", data, digest)


# --- learning and resume ----------------------------------------------------------------------


async def learning_plan(
    ctx: CoachContext, *, target: Target | None, agent: str = "learning"
) -> ToolResult:
    """Order the missing skills into study steps (with curated resources where there are)."""
    analysis = await _analyse(
        ctx, target, agent=agent, tool="learning_plan", heading="Learning plan"
    )
    if not isinstance(analysis, _Analysis):
        return analysis
    try:
        steps = await _learning_steps(ctx, analysis.target)
    except AppError as exc:
        return analysis.failed(exc.detail)
    if steps is None:  # no learning domain in this build: order the gap itself
        taxonomy = load_taxonomy()
        gap = analysis.gap
        steps = []
        for item in [*gap.missing_required, *gap.missing_preferred][:6]:
            related = taxonomy.related(item.skill_id, limit=25)
            steps.append(
                {
                    "skill": item.name,
                    "importance": item.importance,
                    "reason": item.reason,
                    "builds_on": [r.name for r in related if r.id in analysis.candidate.skills][:3],
                    "resources": [],
                }
            )
    lines = [f"Target: {analysis.label}. Study order:"]
    for number, step in enumerate(steps, 1):
        base = f" (builds on {', '.join(step['builds_on'])})" if step["builds_on"] else ""
        lines.append(f"{number}. {step['skill']} [{step['importance']}]{base}: {step['reason']}")
        lines.extend(
            f"   resource: {r['title']} ({r['hours']} h, {r['cost']})" for r in step["resources"]
        )
    if not steps:
        lines.append("Nothing is missing for this target.")
    return analysis.result({"steps": steps}, "\n".join(lines))


async def resume_focus(
    ctx: CoachContext, *, target: Target | None, agent: str = "resume"
) -> ToolResult:
    """Say what the resume should put forward for the target and which keywords it lacks."""
    analysis = await _analyse(ctx, target, agent=agent, tool="resume_focus", heading="Resume focus")
    if not isinstance(analysis, _Analysis):
        return analysis
    profile, gap = analysis.profile, analysis.gap
    position_of = {
        bullet: work.title for work in profile.work if not work.hidden for bullet in work.bullets
    }
    bullets = [
        {
            "position": position,
            "bullet": bullet[:200],
            "skills": [m.name for m in gap.matched if m.name.casefold() in bullet.casefold()],
        }
        for bullet, position in position_of.items()
    ]
    by_meaning = await _bullets_by_similarity(ctx, profile, analysis.target)
    if by_meaning:  # the resume domain's measure: closest in meaning to the job first
        rank = {text[:200]: number for number, text in enumerate(by_meaning)}
        bullets.sort(key=lambda b: rank.get(b["bullet"], len(rank)))
    else:
        bullets = sorted((b for b in bullets if b["skills"]), key=lambda b: -len(b["skills"]))
    data = {
        "put_forward": [m.name for m in gap.matched if m.importance == "required"][:10],
        "strongest_bullets": bullets[:4],
        "missing_keywords": [g.name for g in gap.missing_required][:8],
    }
    lines = [
        f"Target: {analysis.label}.",
        "Required skills the person has (put forward): "
        + (", ".join(data["put_forward"]) or "none"),
        "Required keywords the resume lacks (add only if true): "
        + (", ".join(data["missing_keywords"]) or "none"),
    ]
    lines.extend(f"- [{b['position']}] {b['bullet']}" for b in data["strongest_bullets"])
    return analysis.result(data, "\n".join(lines))


# --- other domains, when their services exist -----------------------------------------------


def domain_service(name: str) -> Any | None:
    """Return ``careergini.<name>.service`` when that domain exists in this build, else None."""
    module = f"careergini.{name}.service"
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except ModuleNotFoundError:
        return None
    return importlib.import_module(module)


async def job_matches(
    ctx: CoachContext, *, query: str | None, agent: str = "jobs", limit: int = 5
) -> ToolResult:
    """Return the person's collected job postings that fit best (or match the query)."""
    title = "Your job postings" if not query else f"Your job postings for {query!r}"
    jobs = domain_service("jobs")
    if jobs is None:
        return _failed(agent, "job_matches", title, "Job search is not part of this build.")
    try:
        async with ctx.resources.sessionmaker() as session:
            filters = jobs.build_filters()
            if query:
                page = await jobs.search_jobs(
                    session=session,
                    resources=ctx.resources,
                    owner_id=ctx.user_id,
                    q=query,
                    filters=filters,
                    limit=limit,
                    cursor=None,
                )
                found = [
                    {"job": job, "score": job.match_score, "reasons": [], "gaps": []}
                    for job in page.items
                ]
            else:
                recommended = await jobs.recommend(
                    session=session,
                    resources=ctx.resources,
                    owner_id=ctx.user_id,
                    filters=filters,
                    limit=limit,
                )
                found = [
                    {
                        "job": item.job,
                        "score": item.score,
                        "reasons": item.top_reasons[:2],
                        "gaps": [g.name for g in item.gaps[:3]],
                    }
                    for item in recommended.items
                ]
    except AppError as exc:  # no profile yet, a query it cannot use
        return _failed(agent, "job_matches", title, exc.detail)
    postings = [
        {
            "title": f["job"].title,
            "company": f["job"].company,
            "location": f["job"].location,
            "remote": f["job"].remote,
            "url": f["job"].url,
            "score": None if f["score"] is None else round(f["score"]),
            "reasons": f["reasons"],
            "gaps": f["gaps"],
        }
        for f in found
    ]
    data = {"query": query, "postings": postings}
    if not postings:
        hint = (
            "No collected job posting matches yet: add job sources (Jobs > Sources) or paste a "
            "job description here."
        )
        return _result(agent, "job_matches", title, {**data, "hint": hint}, hint, ok=False)
    lines = []
    for p in postings:
        where = ", ".join(x for x in (p["company"], p["location"], p["remote"]) if x)
        score = f"match {p['score']}/100" if p["score"] is not None else "no score"
        extra = f"; gaps: {', '.join(p['gaps'])}" if p["gaps"] else ""
        lines.append(f"- {p['title']} ({where}): {score}{extra}")
    return _result(agent, "job_matches", title, data, "\n".join(lines))


async def _bullets_by_similarity(ctx: CoachContext, profile: Any, target: Target) -> list[str]:
    """Rank the person's bullets by meaning against the job (the resume domain's measure)."""
    resume = domain_service("resume")
    text = target.get("text") or ""
    if resume is None or not text:
        return []
    scores = await resume.bullet_similarities(
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


async def _learning_steps(ctx: CoachContext, target: Target) -> list[dict[str, Any]] | None:
    """Return the learning domain's ordered needs with curated resources, when it exists."""
    learning = domain_service("learning")
    if learning is None:
        return None
    resolved = learning.resolve_target(
        target_role=target.get("role_id") if target.get("kind") == "role" else None,
        job_description=target.get("text") if target.get("kind") != "role" else None,
    )
    async with ctx.resources.sessionmaker() as session:
        _, candidate = await learning.person(session=session, owner_id=ctx.user_id)
    needs = sorted(
        learning.needs_from_gap(resolved, candidate),
        key=lambda n: (not n.core, n.importance != "required", n.rank),
    )
    steps = []
    for need in needs[:6]:
        found = await learning.find_resources(
            resources=ctx.resources, skill=need.skill_id, level=None, kind=None, live=False, limit=2
        )
        steps.append(
            {
                "skill": need.name,
                "importance": need.importance,
                "reason": need.reason,
                "builds_on": [need.transfer_from] if need.transfer_from else [],
                "resources": [
                    {"title": r.title, "url": r.url, "hours": r.hours, "cost": r.cost}
                    for r in found.resources
                ],
            }
        )
    return steps


ToolFunction = Callable[..., Awaitable[ToolResult]]

TOOLS: dict[str, ToolFunction] = {
    "profile_summary": profile_summary,
    "skill_gap": skill_gap,
    "match_score": match_score,
    "role_search": role_search,
    "job_matches": job_matches,
    "learning_plan": learning_plan,
    "resume_focus": resume_focus,
}


async def run_tool(ctx: CoachContext, name: str, **arguments: Any) -> ToolResult:
    """Run a tool by name; an unexpected failure becomes a failed result, with a log line."""
    tool = TOOLS[name]
    try:
        return await tool(ctx, **arguments)
    except Exception as exc:
        log.exception("coach.tool_failed", tool=name, user_id=str(ctx.user_id))
        agent = str(arguments.get("agent") or "coach")
        return _failed(
            agent,
            name,
            name.replace("_", " ").capitalize(),
            f"This check failed ({type(exc).__name__}).",
        )
