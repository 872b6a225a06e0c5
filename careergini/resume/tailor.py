"""Deterministic tailoring: the profile and the job's match analysis in, a resume version out.

Pure: the caller reads the profile, parses the job, runs the gap analysis and computes each
bullet's embedding similarity to the job; this module selects, orders and composes.

How relevance is scored (every number is in the result, so it can be explained):
- a bullet: ``0.6 * skills + 0.4 * similarity``, where ``skills`` is the weight of the job's
  skills the bullet names (required 1.0, named in the duties 0.7, preferred 0.5; half that for
  a skill the taxonomy relates to one of them, "MySQL" for "PostgreSQL", and 0.3 of it for a
  skill of the same kind, "Redis" for a database job), capped at 2 and scaled to 0-1, and
  ``similarity`` the cosine of the bullet's and the job's embeddings;
- a position: ``0.7 * (mean of its three best bullets) + 0.3 * (share of the job title's words
  in the position's title)``.
Positions are never dropped for relevance: every non-hidden one stays unless the request lists
its key in ``exclude_positions``. Bullets beyond the template's limit are left out and reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from careergini.resume import grounding
from careergini.resume.schemas import (
    Basics,
    Bullet,
    Education,
    Item,
    KeywordGap,
    KeywordReport,
    KeywordUse,
    Position,
    ResumeDocument,
    ResumeProject,
    ResumeSkill,
)
from careergini.skills.service import extract_skills, profile_evidence as profile_evidence_of

IMPORTANCE_WEIGHT = {"required": 1.0, "mentioned": 0.7, "preferred": 0.5}
IMPORTANCE_RANK = {"required": 0, "mentioned": 1, "preferred": 2}
BULLET_LIMITS = {"classic": 6, "modern": 6, "compact": 3}
_TITLE_STOPWORDS = frozenset(
    {"a", "an", "and", "of", "the", "for", "in", "at", "to", "with", "senior", "junior", "sr", "jr"}
)


@dataclass(frozen=True)
class JobTarget:
    """The job as tailoring needs it: who, what it asks for, what the work is."""

    type: Literal["job_description", "role"]
    title: str | None
    company: str | None
    role_id: str | None
    skills: tuple[tuple[str, str, str], ...]  # (skill_id, name, importance), the job's order
    responsibilities: tuple[str, ...] = ()
    text: str = ""
    # Skills close to the job's: the taxonomy's related skills, and the job's skills' categories
    # (skill id or category -> the job's skill name and importance).
    related: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    categories: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def skills_of(self, *levels: str) -> list[str]:
        return [name for _, name, importance in self.skills if importance in levels]


@dataclass(frozen=True)
class TailorOptions:
    template: str = "classic"
    position_order: Literal["relevance", "chronological"] = "relevance"
    max_bullets: int | None = None
    exclude: frozenset[str] = frozenset()


@dataclass
class Draft:
    """A tailored resume before it is stored: the document and what was decided on the way."""

    document: ResumeDocument
    keywords: KeywordReport
    matched: Mapping[str, str] = field(default_factory=dict)
    missing: Sequence[tuple[str, str, str, str | None]] = ()
    notes: list[str] = field(default_factory=list)
    years: int | None = None


def bullet_id(position_key: str, index: int) -> str:
    return f"{position_key}:{index}"


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _words(text: str | None) -> set[str]:
    return {
        w for w in re.findall(r"[a-z0-9+#]+", (text or "").casefold()) if w not in _TITLE_STOPWORDS
    }


def score_bullet(text: str, job: JobTarget, similarity: float) -> tuple[float, list[str], str]:
    """Return a bullet's relevance to the job, the job skills it names, and why."""
    wanted = {skill_id: (name, importance) for skill_id, name, importance in job.skills}
    named: dict[str, tuple[str, str]] = {}
    near: dict[str, tuple[float, str]] = {}
    for mention in extract_skills(text):
        if mention.skill_id in wanted:
            named.setdefault(mention.skill_id, wanted[mention.skill_id])
        elif mention.skill_id in job.related:
            other, importance = job.related[mention.skill_id]
            near.setdefault(
                mention.skill_id,
                (0.5 * IMPORTANCE_WEIGHT[importance], f"{mention.name} (related to {other})"),
            )
        elif mention.category in job.categories:
            other, importance = job.categories[mention.category]
            near.setdefault(
                mention.skill_id,
                (
                    0.3 * IMPORTANCE_WEIGHT[importance],
                    f"{mention.name} (a {mention.category} skill, like {other})",
                ),
            )
    points = sum(IMPORTANCE_WEIGHT[importance] for _, importance in named.values())
    points += sum(weight for weight, _ in near.values())
    skills_part = min(points, 2.0) / 2.0
    similarity = max(0.0, similarity)
    relevance = round(0.6 * skills_part + 0.4 * similarity, 4)
    reasons = [f"{name} ({importance})" for name, importance in named.values()]
    reasons += [label for _, label in near.values()]
    if reasons:
        why = f"names {', '.join(reasons)}; similarity to the job {similarity:.2f}"
    else:
        why = f"names none of the job's skills; similarity to the job {similarity:.2f}"
    return relevance, [name for name, _ in named.values()], why


def _why_relevant(top: Sequence[float], overlap: float) -> str:
    """Say in words how close a position is to the job (its best bullets, its title)."""
    best = max(top, default=0.0)
    if best >= 0.6:
        bullets = "Its best bullets read much like the job"
    elif best >= 0.35:
        bullets = "Some of its bullets touch on the job"
    else:
        bullets = "Its bullets say little about this job"
    if overlap >= 0.5:
        title = "its title is close to the job's"
    elif overlap > 0:
        title = "its title shares a word with the job's"
    else:
        title = "its title differs from the job's"
    return f"{bullets}; {title}."


def build_resume(
    *,
    profile: Any,
    job: JobTarget,
    matched: Mapping[str, str],
    missing: Sequence[tuple[str, str, str, str | None]],
    years_experience: float,
    similarities: Mapping[str, float],
    options: TailorOptions,
) -> Draft:
    """Select, order and compose a resume version for the job from the profile.

    ``matched`` maps the job's skill ids the person has to their importance; ``missing`` lists
    (skill_id, name, importance, related skill the person has or None) for the rest.
    """
    limit = options.max_bullets or BULLET_LIMITS.get(options.template, 6)
    positions: list[Position] = []
    for entry in profile.work:
        bullets: list[Bullet] = []
        for index, text in enumerate(entry.bullets):
            text = text.strip()
            if not text:
                continue
            bid = bullet_id(entry.key, index)
            relevance, skills, why = score_bullet(text, job, similarities.get(bid, 0.0))
            bullets.append(
                Bullet(
                    id=bid,
                    source=text,
                    text=text,
                    relevance=relevance,
                    matched_skills=skills,
                    why=why,
                )
            )
        ranked = sorted(bullets, key=lambda b: (-b.relevance, bullets.index(b)))
        for n, bullet in enumerate(ranked):
            if n >= limit:
                bullet.included = False
                bullet.reason = (
                    f"Left out: less relevant to this job than the {limit} bullets kept for "
                    f"this position (relevance {bullet.relevance:.2f})."
                )
        top = [b.relevance for b in ranked[:3]]
        title_words = _words(job.title)
        overlap = len(title_words & _words(entry.title)) / len(title_words) if title_words else 0.0
        relevance = round(0.7 * (sum(top) / len(top) if top else 0.0) + 0.3 * overlap, 4)
        included, excluded_reason = True, None
        if entry.hidden:
            included, excluded_reason = False, "Hidden in your profile."
        elif entry.key in options.exclude:
            included, excluded_reason = False, "Left out at your request (exclude_positions)."
        positions.append(
            Position(
                key=entry.key,
                company=entry.company,
                title=entry.title,
                location=entry.location,
                start=entry.start,
                end=entry.end,
                current=entry.current,
                included=included,
                excluded_reason=excluded_reason,
                relevance=relevance,
                why=_why_relevant(top, overlap),
                bullets=ranked,
            )
        )
    # The merged profile lists positions most recent first.
    recent = next((p for p in positions if p.included), None)
    if options.position_order == "relevance":
        order = {p.key: n for n, p in enumerate(positions)}
        positions.sort(key=lambda p: (-p.relevance, order[p.key]))

    resume_skills = _skills(profile, job, matched)
    basics = _basics(profile)
    years = int(years_experience) if years_experience >= 1 else None
    summary_text = deterministic_summary(
        profile=profile,
        recent=recent,
        skills=[s.name for s in resume_skills if s.matched][:4]
        or [s.name for s in resume_skills][:4],
        years=years,
        more_years=years is not None and years_experience - years >= 0.5,
    )
    document = ResumeDocument(
        basics=basics,
        summary=Item(
            id="summary",
            source=summary_text,
            text=summary_text,
            reason="Composed from your profile's facts for this job.",
        ),
        positions=positions,
        education=[
            Education(
                institution=e.institution,
                degree=e.degree,
                field=e.field,
                location=e.location,
                start=e.start,
                end=e.end,
                grade=e.grade,
            )
            for e in profile.education
            if not e.hidden
        ],
        skills=resume_skills,
        projects=_projects(profile, job),
        certifications=list(profile.certifications),
        languages=list(profile.languages),
    )
    keywords = keyword_report(document, job, matched, missing)
    return Draft(
        document=document, keywords=keywords, matched=matched, missing=missing, years=years
    )


def _basics(profile: Any) -> Basics:
    values = {name: fact.value for name, fact in profile.basics.items() if fact.value}
    return Basics(**{k: v for k, v in values.items() if k in Basics.model_fields})


def _skills(profile: Any, job: JobTarget, matched: Mapping[str, str]) -> list[ResumeSkill]:
    order = {skill_id: n for n, (skill_id, _, _) in enumerate(job.skills)}
    first: list[ResumeSkill] = []
    rest: list[ResumeSkill] = []
    for skill in profile.skills:
        if skill.skill_id and skill.skill_id in matched:
            first.append(
                ResumeSkill(
                    name=skill.name,
                    skill_id=skill.skill_id,
                    matched=True,
                    importance=matched[skill.skill_id],
                )
            )
        else:
            rest.append(ResumeSkill(name=skill.name, skill_id=skill.skill_id))
    first.sort(
        key=lambda s: (IMPORTANCE_RANK.get(s.importance or "", 3), order.get(s.skill_id or "", 0))
    )
    return first + rest


def _projects(profile: Any, job: JobTarget) -> list[ResumeProject]:
    wanted = {skill_id for skill_id, _, _ in job.skills}
    scored = []
    for n, project in enumerate(profile.projects):
        text = " ".join(filter(None, [project.name, project.description, *project.bullets]))
        hits = len({m.skill_id for m in extract_skills(text)} & wanted) if text else 0
        scored.append((-hits, n, project))
    return [
        ResumeProject(name=p.name, description=p.description, url=p.url, bullets=list(p.bullets))
        for _, _, p in sorted(scored, key=lambda item: item[:2])
    ]


def deterministic_summary(
    *,
    profile: Any,
    recent: Position | None,
    skills: Sequence[str],
    years: int | None,
    more_years: bool = False,
) -> str:
    """Compose a summary aimed at the job from the profile's facts only."""
    headline = profile.basics.get("headline")
    title = (recent.title if recent else None) or (headline.value if headline else None)
    parts: list[str] = []
    lead = title or "Professional"
    if years:
        lead += f" with {years}{'+' if more_years else ''} years of professional experience"
    if recent and recent.company and title:
        lead += f"{',' if years else ''} most recently at {recent.company}"
    parts.append(lead + ".")
    if skills:
        parts.append(f"Skilled in {_join(skills)}.")
    own = (profile.summary.value or "").strip()
    if own:
        first = re.split(r"(?<=[.!?])\s+", own)[0].strip()
        if len(first) <= 300:
            parts.append(first if first.endswith((".", "!", "?")) else first + ".")
    return " ".join(parts)


def keyword_report(
    document: ResumeDocument,
    job: JobTarget,
    matched: Mapping[str, str],
    missing: Sequence[tuple[str, str, str, str | None]],
) -> KeywordReport:
    """Say where each of the job's skills appears, and which ones were not claimed and why."""
    bullet_skills: set[str] = set()
    for position in document.positions:
        if not position.included:
            continue
        for bullet in position.bullets:
            if bullet.included:
                bullet_skills.update(m.skill_id for m in extract_skills(bullet.text))
    summary_skills = {m.skill_id for m in extract_skills(document.summary.text)}
    listed = {s.skill_id for s in document.skills if s.skill_id}
    surfaced = []
    for skill_id, name, importance in job.skills:
        if skill_id not in matched:
            continue
        where = [
            label
            for label, ids in (
                ("skills", listed),
                ("summary", summary_skills),
                ("bullets", bullet_skills),
            )
            if skill_id in ids
        ]
        surfaced.append(
            KeywordUse(skill_id=skill_id, name=name, importance=importance, where=where)
        )
    not_claimed = []
    for skill_id, name, importance, related in missing:
        reason = "No evidence in your profile, so it is not added."
        if related:
            reason += f" You have {related}, which is related: mention it if it applies."
        not_claimed.append(
            KeywordGap(skill_id=skill_id, name=name, importance=importance, reason=reason)
        )
    return KeywordReport(surfaced=surfaced, not_claimed=not_claimed)


# --- grounding --------------------------------------------------------------------------------


def profile_evidence(
    profile: Any,
    *,
    years: int | None = None,
    targets: Sequence[str] = (),
    years_experience: float | None = None,
) -> grounding.Evidence:
    """Gather everything the visible profile states, for the grounding check (the claims
    check's evidence: ``skills.service.profile_evidence``)."""
    return profile_evidence_of(
        profile, years=years, targets=targets, years_experience=years_experience
    )


def position_dates(position: Position) -> set[tuple[int, int | None]]:
    return grounding.profile_dates([position.start, position.end])


def position_scope(position: Position) -> str:
    """Return what one position states (title, company, bullets): a bullet's skills and names
    must be found there, not in another position."""
    parts = [position.title or "", position.company or "", position.location or ""]
    parts.extend(b.source for b in position.bullets)
    return "\n".join(p for p in parts if p)


def check_document(document: ResumeDocument, evidence: grounding.Evidence) -> list[str]:
    """Check every text the document renders; return what the profile does not support."""
    problems: list[str] = []
    result = grounding.check(document.summary.text, evidence=evidence)
    if not result.ok:
        problems.append(f"summary: {grounding.describe(result)}")
    for position, bullet in included_bullets(document):
        result = grounding.check(
            bullet.text,
            evidence=evidence,
            source=bullet.source,
            context_dates=position_dates(position),
            scope=position_scope(position),
        )
        if not result.ok:
            problems.append(f"{bullet.id}: {grounding.describe(result)}")
    return problems


def included_bullets(document: ResumeDocument) -> Iterable[tuple[Position, Bullet]]:
    for position in document.positions:
        if position.included:
            for bullet in position.bullets:
                if bullet.included:
                    yield position, bullet
