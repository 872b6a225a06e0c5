"""The coach's tools: thin wrappers over the domain services, deterministic, in plain Python.

Every tool takes the :class:`CoachContext` of the run as its first argument: the user id comes
from the authenticated request through the graph's context, never from the model, so a tool can
only ever read the caller's own data. The model never calls a tool and never names its
arguments; the specialists choose the tools and their arguments from the message by rules.

A tool returns a :class:`ToolResult`: ``data`` (JSON-ready, rendered by the degraded-mode
templates) and ``digest`` (a compact text of the same facts for the model, bounded in size).
Expected failures (no profile yet, no target) are results with ``ok=False`` and a hint, not
exceptions.

Most tools only read. Four create something stored, owned by the chatting user, when the
person asks for it: a tailored resume, a cover letter, a learning roadmap, a practice
interview. They call the same service functions as the HTTP API, and their digests say what was
made, with its id and links.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import anyio.to_thread

from careergini.agents.state import CoachContext, Target, ToolResult, TurnRequest
from careergini.analysis import (
    errors as analysis_errors,
    schemas as analysis_schemas,
    service as analysis_service,
)
from careergini.core.db import session_scope, utcnow
from careergini.core.errors import AppError
from careergini.core.logging import get_logger
from careergini.jobs import service as jobs_service
from careergini.jobs.errors import JobNotFound
from careergini.learning import service as learning_service
from careergini.learning.schemas import InterviewRequest, RoadmapRequest
from careergini.profile import service as profile_service
from careergini.resume import service as resume_service
from careergini.resume.schemas import CoverLetterRequest, TailorRequest
from careergini.skills import service as skills_service
from careergini.skills.schemas import Candidate, JobRequirements
from careergini.skills.service import candidate_from_profile, load_roles, load_taxonomy

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


def _explain(exc: AppError, target: Target | None) -> str:
    """Return what an expected failure means for the person, and what to do."""
    if not target or target.get("kind") != "job":
        return exc.detail
    if isinstance(exc, JobNotFound):
        return (
            f'Your saved job "{_target_label(target)}" is no longer among your postings: name '
            "another saved job, paste the job description, or name a role."
        )
    if isinstance(exc, analysis_errors.PostingWithoutDescription):
        return (
            f'Your saved job "{_target_label(target)}" has no description (its source gave only '
            "the title and company), so there is nothing to work from: paste the job's text here."
        )
    return exc.detail


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
NO_DOCUMENT_TARGET_HINT = (
    "Nothing was created: there is no job or role to aim it at yet. Paste the job description, "
    'name a role ("for a data engineer role") or one of your saved jobs ("for the Acme data '
    'engineer job"), and ask again.'
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


def given_target(*, message: str, request: TurnRequest | None) -> Target | None:
    """Return the target that came with the message (a JD, a role id) or is the message (a JD)."""
    request = request or {}
    if request.get("job_description"):
        return _job_target(str(request["job_description"]))
    if request.get("role_id"):
        target = _role_target(str(request["role_id"]))
        if target is not None:
            return target
    if len(message) >= MIN_JD_CHARS:
        parsed = skills_service.parse_job(text=message)
        if parsed.looks_like_job:
            return Target(
                kind="job_description",
                title=parsed.title,
                company=parsed.company,
                role_id=None,
                text=message,
            )
    return None


def find_target(
    *, message: str, request: TurnRequest | None, previous: Target | None
) -> Target | None:
    """Decide what to analyse against: a pasted JD, a role named or chosen, else the last one."""
    given = given_target(message=message, request=request)
    return given or search_role_phrase(message[:400]) or previous


def _saved_job_target(job_id: str, title: str, company: str | None) -> Target:
    """One of the person's saved postings as the turn's target (its text is read when used)."""
    return Target(kind="job", title=title, company=company, role_id=None, text=None, job_id=job_id)


async def resolve_target(
    ctx: CoachContext, *, message: str, request: TurnRequest | None, previous: Target | None
) -> Target | None:
    """Decide the turn's target: what came with the message (a saved posting's id, a JD, a role)
    or a pasted JD, else one of the person's saved postings the message names, else a role it
    names, else the last one."""
    if request and request.get("job_id"):
        async with ctx.resources.sessionmaker() as session:
            posting = await analysis_service.posting_for_target(
                session=session, owner_id=ctx.user_id, job_id=str(request["job_id"])
            )
        return _saved_job_target(posting.job_id, posting.title, posting.company)
    given = await anyio.to_thread.run_sync(lambda: given_target(message=message, request=request))
    if given is not None:
        return given
    saved = await find_saved_posting(ctx, message[:400])
    if saved is not None:
        return saved
    named = await anyio.to_thread.run_sync(lambda: search_role_phrase(message[:400]))
    return named or previous


# A saved posting is named by its company ("the Acme job", "the Acme data engineer role"), or,
# without the company, by its whole title followed by one of these ("the data engineer job").
_POSTING_NOUN = re.compile(r"\b(?:job|posting|position|opening|vacancy|listing|offer)\b", re.I)
_COMPANY_NOISE = {
    "the", "inc", "ltd", "llc", "gmbh", "corp", "corporation", "co", "company", "group", "plc",
    "limited", "ag", "sa", "bv", "se", "holdings", "technologies", "labs", "and", "of",
}  # fmt: skip
_TITLE_NOISE = {
    "senior", "sr", "junior", "jr", "lead", "staff", "principal", "mid", "level", "i", "ii",
    "iii", "iv", "the", "a", "an", "of", "and", "for", "in", "at", "with", "remote", "hybrid",
    "m", "f", "d", "w", "x",
}  # fmt: skip


def _tokens(text: str) -> list[str]:
    found = (w.casefold().strip("./-") for w in _WORD.findall(text))
    return [w for w in found if w]


def _posting_score(
    posting: Any, words: set[str], *, noun: bool, per_company: dict[str, int]
) -> float:
    """Say how surely the message names this posting (0: not at all)."""
    title = set(_tokens(posting.title)) - _TITLE_NOISE
    if not title:
        return 0.0
    share = len(title & words) / len(title)
    company = [t for t in _tokens(posting.company or "") if t not in _COMPANY_NOISE]
    if company and company[0] in words:
        if share >= 0.5:
            return 2.0 + share
        if noun and per_company.get(company[0]) == 1:
            return 1.5  # "the Acme job", and Acme has one posting
        return 0.0
    if noun and share == 1.0 and len(title) >= 2:
        return 1.0
    return 0.0


def named_posting(message: str, postings: Sequence[Any]) -> Any | None:
    """Return the posting (title, company, status) the message clearly names, if one does."""
    words = set(_tokens(message))
    if not words or not postings:
        return None
    noun = bool(_POSTING_NOUN.search(message))
    per_company: dict[str, int] = {}
    for posting in postings:
        company = [t for t in _tokens(posting.company or "") if t not in _COMPANY_NOISE]
        if company:
            per_company[company[0]] = per_company.get(company[0], 0) + 1
    best: tuple[float, bool, int] | None = None
    chosen = None
    for position, posting in enumerate(postings):
        score = _posting_score(posting, words, noun=noun, per_company=per_company)
        if score <= 0:
            continue
        # Ties: an open posting before a closed one, then the most recently found.
        rank = (score, posting.status == "open", position)
        if best is None or rank > best:
            best, chosen = rank, posting
    return chosen


async def find_saved_posting(ctx: CoachContext, message: str) -> Target | None:
    """Return the person's saved posting the message names, as a target (read from their own
    search index: another user's postings are never considered)."""
    if not _tokens(message):
        return None
    index = await jobs_service.owner_index(ctx.resources, ctx.user_id)
    chosen = named_posting(message, index.postings)
    if chosen is None:
        return None
    return _saved_job_target(chosen.id, chosen.title, chosen.company)


def _job_target(text: str) -> Target:
    parsed = skills_service.parse_job(text=text)
    return Target(
        kind="job_description", title=parsed.title, company=parsed.company, role_id=None, text=text
    )


async def _requirements(
    ctx: CoachContext, target: Target
) -> tuple[JobRequirements | None, analysis_schemas.PostingTarget | None]:
    """Return the target's requirements, and the saved posting when it is one (read afresh,
    owner-scoped: a posting deleted since, or not the person's, is an AppError)."""
    if target.get("kind") == "job":
        async with ctx.resources.sessionmaker() as session:
            posting = await analysis_service.posting_for_target(
                session=session, owner_id=ctx.user_id, job_id=str(target.get("job_id") or "")
            )
        _, job = analysis_service.requirements_from_posting(posting, load_taxonomy())
        return job, posting
    return await anyio.to_thread.run_sync(lambda: _fixed_requirements(target)), None


def _fixed_requirements(target: Target) -> JobRequirements | None:
    taxonomy = load_taxonomy()
    if target.get("kind") == "role" and target.get("role_id"):
        role = load_roles().get(str(target["role_id"]))
        return skills_service.requirements_from_role(role, taxonomy) if role else None
    text = target.get("text") or ""
    if not text.strip():
        return None
    parsed = skills_service.parse_job(text=text)
    return skills_service.requirements_from_job(parsed, taxonomy, text)


def _target_label(target: Target) -> str:
    title = target.get("title") or ("the job" if target.get("kind") != "role" else "?")
    company = target.get("company")
    return f"{title} ({company})" if company else str(title)


def _target_data(target: Target) -> dict[str, Any]:
    return {
        "kind": target.get("kind"),
        "title": target.get("title"),
        "company": target.get("company"),
        "role_id": target.get("role_id"),
        "job_id": target.get("job_id"),
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
    posting: analysis_schemas.PostingTarget | None = None

    @property
    def job_text(self) -> str:
        """The job's own text (a pasted JD or the saved posting's), empty for a role."""
        if self.posting is not None:
            return self.posting.text
        return str(self.target.get("text") or "")

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
    try:
        job, posting = await _requirements(ctx, target)
    except AppError as exc:  # a saved posting deleted since, or without a description
        return _failed(agent, tool, title, _explain(exc, target))
    if job is None:
        return _failed(agent, tool, title, NO_TARGET_HINT)
    profile = await _profile(ctx)
    if profile is None:
        return _failed(agent, tool, title, NO_PROFILE_HINT)
    candidate = _candidate(profile)
    gap = skills_service.compute_gap(job, candidate, load_taxonomy())
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
        posting=posting,
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
    match = skills_service.compute_match(job, candidate, gap, sim)
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
        steps = await _learning_steps(ctx, analysis)
    except AppError as exc:
        return analysis.failed(_explain(exc, analysis.target))
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
    by_meaning = await _bullets_by_similarity(ctx, profile, analysis.job_text)
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


# --- job postings -----------------------------------------------------------------------------


async def job_matches(
    ctx: CoachContext, *, query: str | None, agent: str = "jobs", limit: int = 5
) -> ToolResult:
    """Return the person's collected job postings that fit best (or match the query)."""
    title = "Your job postings" if not query else f"Your job postings for {query!r}"
    try:
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
                found = [
                    {"job": job, "score": job.match_score, "reasons": [], "gaps": []}
                    for job in page.items
                ]
            else:
                recommended = await jobs_service.recommend(
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


async def _bullets_by_similarity(ctx: CoachContext, profile: Any, text: str) -> list[str]:
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


async def _learning_steps(ctx: CoachContext, analysis: _Analysis) -> list[dict[str, Any]]:
    """Return the learning domain's ordered needs with curated resources."""
    target = analysis.target
    role = target.get("kind") == "role"
    resolved = learning_service.resolve_target(
        target_role=target.get("role_id") if role else None,
        job_description=analysis.job_text if not role and analysis.posting is None else None,
        posting=analysis.posting,
    )
    async with ctx.resources.sessionmaker() as session:
        _, candidate = await learning_service.person(session=session, owner_id=ctx.user_id)
    needs = sorted(
        learning_service.needs_from_gap(resolved, candidate),
        key=lambda n: (not n.core, n.importance != "required", n.rank),
    )
    steps = []
    for need in needs[:6]:
        found = await learning_service.find_resources(
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


# --- documents and plans the coach creates (stored, the person's own) -----------------------
#
# These call the same service functions as POST /api/resumes/tailor, /api/cover-letters,
# /api/learning/roadmaps and /api/interview/sessions, for the chatting user only, and commit at
# once: the document exists when the answer names it, whatever happens to the answer.

DEFAULT_STUDY_HOURS = 5
_HOURS = re.compile(
    r"\b(\d{1,3})\s*(?:h|hrs?|hours?)\b\s*(?:(?:a|an|per|each|every|/)\s*)?(?:week|wk)\b"
    r"|\b(\d{1,3})\s*(?:h|hrs?|hours?)\s+weekly\b",
    re.I,
)
_MONTHS = re.compile(r"\b(?:in|within|over|for)\s+(?:the\s+next\s+)?(\d{1,2})\s*months?\b", re.I)


def study_hours(message: str) -> int | None:
    """Return the study hours a week the message states ("10 hours a week"), if it does."""
    found = _HOURS.search(message)
    return int(found.group(1) or found.group(2)) if found else None


def study_months(message: str) -> int | None:
    """Return the months the message gives the plan ("within 3 months"), if it does."""
    found = _MONTHS.search(message)
    return int(found.group(1)) if found else None


def _request_target(target: Target | None, *, role_field: str) -> dict[str, Any] | None:
    """Return the target as a resume or learning request names it (exactly one field)."""
    if not target:
        return None
    kind = target.get("kind")
    if kind == "job" and target.get("job_id"):
        return {"job_id": target["job_id"]}
    if kind == "role" and target.get("role_id"):
        return {role_field: target["role_id"]}
    if kind == "job_description" and (target.get("text") or "").strip():
        return {"job_description": target["text"]}
    return None


def _names(items: list[str], limit: int) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit} more)" if len(items) > limit else "")


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _reordered(position: Any) -> bool:
    """Return whether the resume shows this position's bullets in another order than the
    profile (bullet ids are "<position key>:<index in the profile>")."""
    indexes = [int(b.id.rsplit(":", 1)[1]) for b in position.bullets if b.included]
    return indexes != sorted(indexes)


async def tailor_resume(
    ctx: CoachContext, *, target: Target | None, agent: str = "resume"
) -> ToolResult:
    """Create and store a resume version tailored to the target; say what it did."""
    label = _target_label(target) if target else None
    title = f"Tailored resume: {label}" if label else "Tailored resume"
    fields = _request_target(target, role_field="role_id")
    if fields is None:
        return _failed(agent, "tailor_resume", title, NO_DOCUMENT_TARGET_HINT)
    # llm=False: the deterministic version, so the chat turn does not wait minutes for the
    # model's rewording (the Resumes screen tailors with it).
    request = TailorRequest(**fields, llm=False)
    try:
        async with session_scope(ctx.resources.sessionmaker) as session:
            made = await resume_service.tailor_resume(
                session=session, resources=ctx.resources, owner_id=ctx.user_id, request=request
            )
    except AppError as exc:  # no profile yet, a posting gone, an unknown role
        return _failed(agent, "tailor_resume", title, _explain(exc, target))
    report = made.report
    positions = [p for p in made.content.positions if p.included]
    kept = [b for p in positions for b in p.bullets if b.included]
    not_claimed = sorted(report.keywords.not_claimed, key=lambda k: k.importance != "required")
    links = {
        "app": f"/resumes/{made.id}",
        "pdf": f"/api/resumes/{made.id}/pdf",
        "docx": f"/api/resumes/{made.id}/docx",
    }
    data = {
        "artifact": {"kind": "resume", "id": made.id},
        "target": made.target.model_dump(mode="json"),
        "template": made.template,
        "links": links,
        "bullets_total": report.counts.get("bullets", 0),
        "bullets_kept": report.counts.get("bullets_included", len(kept)),
        "reordered": [p.title or p.company or p.key for p in positions if _reordered(p)],
        "first_bullet": _short(kept[0].text) if kept else None,
        "keywords_used": [k.name for k in report.keywords.surfaced][:10],
        "not_claimed": [k.name for k in not_claimed][:6],
        "left_out": [
            {"text": _short(d.text, 80), "reason": _short(d.reason, 100)}
            for d in report.dropped[:3]
        ],
        "left_out_count": len(report.dropped),
        "notes": [_short(n, 160) for n in report.notes[:2]],
    }
    lines = [
        f"Created and saved a tailored resume (id {made.id}) for {label}, template "
        f"{made.template}; the wording is the person's own text (not reworded by the model).",
        f"Bullets: {data['bullets_kept']} of {data['bullets_total']} kept, most relevant first"
        + (f"; reordered in: {', '.join(data['reordered'][:3])}" if data["reordered"] else "")
        + ".",
    ]
    if data["first_bullet"]:
        lines.append(f'Leads with: "{data["first_bullet"]}"')
    lines.append("Keywords put forward: " + (_names(data["keywords_used"], 8) or "none"))
    if data["not_claimed"]:
        lines.append("Not claimed (no evidence in the profile): " + _names(data["not_claimed"], 6))
    if data["left_out"]:
        first = data["left_out"][0]
        lines.append(
            f'Left out: {data["left_out_count"]}, e.g. "{first["text"]}" ({first["reason"]})'
        )
    lines.extend(f"Note: {n}" for n in data["notes"][:1])
    lines.append(f"Links: {links['app']} (review, edit), {links['pdf']}, {links['docx']}")
    return _result(agent, "tailor_resume", title, data, "\n".join(lines))


async def write_cover_letter(
    ctx: CoachContext, *, target: Target | None, agent: str = "resume"
) -> ToolResult:
    """Create and store a cover letter for the target from the profile's facts."""
    label = _target_label(target) if target else None
    title = f"Cover letter: {label}" if label else "Cover letter"
    fields = _request_target(target, role_field="role_id")
    if fields is None:
        return _failed(agent, "write_cover_letter", title, NO_DOCUMENT_TARGET_HINT)
    request = CoverLetterRequest(**fields, llm=False)  # deterministic: see tailor_resume
    try:
        async with session_scope(ctx.resources.sessionmaker) as session:
            made = await resume_service.create_cover_letter(
                session=session, resources=ctx.resources, owner_id=ctx.user_id, request=request
            )
    except AppError as exc:
        return _failed(agent, "write_cover_letter", title, _explain(exc, target))
    letter = made.content
    links = {
        "app": f"/resumes/letters/{made.id}",
        "pdf": f"/api/cover-letters/{made.id}/pdf",
        "docx": f"/api/cover-letters/{made.id}/docx",
    }
    data = {
        "artifact": {"kind": "cover_letter", "id": made.id},
        "target": made.target.model_dump(mode="json"),
        "links": links,
        "addressed_to": letter.company,
        "greeting": letter.greeting,
        "paragraphs": len(letter.paragraphs),
        "opening": _short(letter.paragraphs[0].text, 220) if letter.paragraphs else None,
        "notes": [_short(n, 160) for n in made.report.notes[:2]],
    }
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
    return _result(agent, "write_cover_letter", title, data, "\n".join(lines))


def _without_model_texts(ctx: CoachContext) -> Any:
    """Return the clients with the roadmap's model-written texts off for this call: the chat
    turn does not wait for the model to write week descriptions (the plan is the same)."""
    settings = ctx.resources.settings.model_copy(update={"learning_use_llm": False})
    return dataclasses.replace(ctx.resources, settings=settings)


def _week_runs(weeks: Sequence[Any], *, limit: int = 3) -> list[dict[str, Any]]:
    """Return the first weeks as runs of the same focus ("weeks 1-3: AWS"), at most ``limit``."""
    runs: list[dict[str, Any]] = []
    for week in weeks:
        focus = _short(week.focus, 80)
        if runs and runs[-1]["focus"] == focus and runs[-1]["last"] == week.index - 1:
            runs[-1]["last"] = week.index
            continue
        if len(runs) == limit:
            break
        runs.append({"first": week.index, "last": week.index, "focus": focus, "hours": week.hours})
    for run in runs:
        first, last = run.pop("first"), run.pop("last")
        run["weeks"] = f"weeks {first}-{last}" if last > first else f"week {first}"
    return runs


async def create_roadmap(
    ctx: CoachContext,
    *,
    target: Target | None,
    hours_per_week: int = DEFAULT_STUDY_HOURS,
    months: int | None = None,
    agent: str = "learning",
) -> ToolResult:
    """Create and store a learning roadmap from the person's gap to the target."""
    label = _target_label(target) if target else None
    title = f"Learning roadmap: {label}" if label else "Learning roadmap"
    fields = _request_target(target, role_field="target_role")
    if fields is None:
        return _failed(agent, "create_roadmap", title, NO_DOCUMENT_TARGET_HINT)
    if not 1 <= hours_per_week <= 80:
        hint = f"{hours_per_week} hours a week is outside 1 to 80: say how many hours you have."
        return _failed(agent, "create_roadmap", title, hint)
    if months is not None and not 1 <= months <= 60:
        months = None  # "in 0 months": plan without a deadline rather than refuse
    request = RoadmapRequest(**fields, hours_per_week=hours_per_week, months=months)
    try:
        async with session_scope(ctx.resources.sessionmaker) as session:
            made = await learning_service.create_roadmap(
                session=session,
                resources=_without_model_texts(ctx),
                owner_id=ctx.user_id,
                request=request,
            )
    except AppError as exc:  # an unknown role, a posting gone, a JD with no known skill
        return _failed(agent, "create_roadmap", title, _explain(exc, target))
    summary = made.summary
    links = {
        "app": f"/learning/roadmaps/{made.id}",
        "ics": f"/api/learning/roadmaps/{made.id}/ics",
    }
    weeks = _week_runs(made.weeks)
    data = {
        "artifact": {"kind": "roadmap", "id": made.id},
        "target": made.target.model_dump(mode="json"),
        "links": links,
        "hours_per_week": summary.hours_per_week,
        "weeks_total": summary.weeks_total,
        "months_total": summary.months_total,
        "total_hours": summary.total_hours,
        "end_date": summary.end_date.isoformat(),
        "fits": summary.fits,
        "fit_message": _short(summary.message, 240),
        "first_weeks": weeks,
        "skills": [u.name for u in made.units],
        "known": [k.get("name") for k in made.known if k.get("name")][:6],
        "notes": [_short(n, 160) for n in made.notes[:2]],
    }
    lines = [
        f"Created and saved a learning roadmap (id {made.id}) for {label}: "
        f"{data['hours_per_week']} h a week, {data['weeks_total']} weeks "
        f"({data['months_total']} months, {data['total_hours']} h), until {data['end_date']}.",
        f"Fits the time given: {'yes' if data['fits'] else 'no'}. {data['fit_message']}",
    ]
    if weeks:
        first = "; ".join(f"{w['weeks']}: {w['focus']} ({w['hours']} h a week)" for w in weeks)
        lines.append(f"First weeks: {first}")
    lines.append("Skills in order: " + (_names(data["skills"], 6) or "none: nothing is missing"))
    if data["known"]:
        lines.append("Already known, not taught: " + _names(data["known"], 4))
    lines.extend(f"Note: {n}" for n in data["notes"][:1])
    lines.append(f"Links: {links['app']} (tasks, progress, re-plan), calendar {links['ics']}")
    return _result(agent, "create_roadmap", title, data, "\n".join(lines))


async def start_interview(
    ctx: CoachContext, *, target: Target | None, agent: str = "learning"
) -> ToolResult:
    """Start a stored practice interview for the target and give its first question."""
    label = _target_label(target) if target else None
    title = f"Interview practice: {label}" if label else "Interview practice"
    fields = _request_target(target, role_field="target_role")
    if fields is None:
        return _failed(agent, "start_interview", title, NO_DOCUMENT_TARGET_HINT)
    try:
        async with session_scope(ctx.resources.sessionmaker) as session:
            made = await learning_service.create_interview_session(
                session=session,
                resources=ctx.resources,
                owner_id=ctx.user_id,
                request=InterviewRequest(**fields),
            )
    except AppError as exc:
        return _failed(agent, "start_interview", title, _explain(exc, target))
    answer = f"/api/interview/sessions/{made.id}/answers"
    question = made.current_question
    data = {
        "artifact": {"kind": "interview_session", "id": made.id},
        "target": made.target.model_dump(mode="json"),
        "links": {
            "page": f"/learning/interview/{made.id}",
            "answer": answer,
            "session": f"/api/interview/sessions/{made.id}",
        },
        "total": made.total,
        "question": None
        if question is None
        else {
            "number": question.number,
            "kind": question.kind,
            "text": question.question,
            "covers": [r.criterion for r in question.rubric][:4],
        },
        "notes": [_short(n, 160) for n in made.notes[:1]],
    }
    lines = [
        f"Started and saved an interview practice session (id {made.id}) for {label}: "
        f"{made.total} questions, asked one at a time."
    ]
    if data["question"]:
        q = data["question"]
        lines.append(f"Question {q['number']} of {made.total} ({q['kind']}): {q['text']}")
        if q["covers"]:
            lines.append("A good answer covers: " + ", ".join(q["covers"]))
    lines.extend(f"Note: {n}" for n in data["notes"])
    lines.append(
        f"To answer: open /learning/interview/{made.id} (Interview practice), or POST {answer} "
        'with {"answer": "..."}; feedback and the next question come back.'
    )
    return _result(agent, "start_interview", title, data, "\n".join(lines))


ToolFunction = Callable[..., Awaitable[ToolResult]]

TOOLS: dict[str, ToolFunction] = {
    "profile_summary": profile_summary,
    "skill_gap": skill_gap,
    "match_score": match_score,
    "role_search": role_search,
    "job_matches": job_matches,
    "learning_plan": learning_plan,
    "resume_focus": resume_focus,
    "tailor_resume": tailor_resume,
    "write_cover_letter": write_cover_letter,
    "create_roadmap": create_roadmap,
    "start_interview": start_interview,
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
