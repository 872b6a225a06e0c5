"""The profile tool: the person's background in brief."""

from __future__ import annotations

from careergini.agents.results import (
    EducationData,
    PositionData,
    ProfileSummaryData,
    ToolResult,
)
from careergini.agents.state import CoachContext
from careergini.agents.tools.base import (
    NO_PROFILE_HINT,
    candidate_of,
    failed,
    load_profile,
    partial_date,
    result,
)


async def profile_summary(ctx: CoachContext, *, agent: str = "profile") -> ToolResult:
    """Return the person's profile in brief: headline, positions, top skills, education."""
    profile = await load_profile(ctx)
    title = "Your profile"
    if profile is None:
        return failed(agent, "profile_summary", title, NO_PROFILE_HINT)
    candidate = candidate_of(profile)
    basics = {key: fact.value for key, fact in profile.basics.items() if fact.value}
    positions = [
        PositionData(
            title=w.title,
            company=w.company,
            start=partial_date(w.start),
            end="present" if w.current else partial_date(w.end),
            highlights=[b[:160] for b in w.bullets[:2]],
        )
        for w in profile.work
        if not w.hidden
    ][:4]
    skills = sorted(profile.skills, key=lambda s: (-len(s.evidence), s.name.casefold()))
    education = [
        EducationData(degree=e.degree, field=e.field, institution=e.institution)
        for e in profile.education
        if not e.hidden
    ][:2]
    data = ProfileSummaryData(
        name=basics.get("name"),
        headline=basics.get("headline") or (candidate.titles[0] if candidate.titles else None),
        summary=(profile.summary.value or "")[:400] or None,
        years_experience=candidate.years_experience,
        seniority=candidate.seniority,
        positions=positions,
        skills=[s.name for s in skills[:20]],
        education=education,
    )
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
    return result(agent, "profile_summary", title, data, "\n".join(lines))
