"""Turn a GitHub account's evidence into a ParseResult: basics, projects, skills and the text
they point into."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from careergini.profile.github.client import Repo, User, one_line
from careergini.profile.github.evidence import (
    BULKY_LANGUAGES,
    Hit,
    RepoEvidence,
    SkillRef,
    significant_languages,
)
from careergini.profile.schemas import (
    Basics,
    DocumentType,
    Links,
    ParsedProfile,
    ParseResult,
    PartialDate,
    Project,
    Skill,
    SkillEvidence,
)

MAX_PROJECTS = 20
MAX_PROJECT_EVIDENCE = 5  # per skill: the projects that show it best, after the summary line


@dataclass
class _Spot:
    """Where a skill shows in the text: ``surface`` at ``start`` of 1-based ``line``."""

    surface: str
    line: int
    start: int


@dataclass
class _ProjectBlock:
    project: Project
    lines: list[str]
    spots: dict[str, _Spot]  # skill id -> its place, line counted from 0 inside the block


@dataclass
class _Summary:
    ref: SkillRef
    repos: list[RepoEvidence]
    bytes: int
    latest: datetime | None
    weight: float = 0.0
    sentence: str = ""


def build_result(
    user: User,
    own: list[RepoEvidence],
    forks: list[Repo],
    *,
    now: datetime,
    warnings: list[str],
) -> ParseResult:
    """Return the import: the profile's text, and skills whose evidence points into it."""
    ranked = sorted(own, key=_project_rank)[:MAX_PROJECTS]
    for index, evidence in enumerate(ranked):
        evidence.project_index = index
    blocks = [_project(evidence) for evidence in ranked]
    summaries = _summarize(own)
    basics = _basics(user)

    lines = [f"GitHub: {user.name} ({user.login})" if user.name else f"GitHub: {user.login}"]
    lines.append(user.html_url)
    for label, value in (
        ("Bio", one_line(user.bio)),
        ("Company", one_line(user.company)),
        ("Location", basics.location),
        ("Website", basics.links.website),
    ):
        if value:
            lines.append(f"{label}: {value}")
    lines.append(
        f"Imported {now:%Y-%m-%d}: "
        + _count(len(own), "own public repository", "own public repositories")
        + (f" and {_count(len(forks), 'fork')}, not counted as evidence" if forks else "")
    )
    summary_lines: list[int] = []
    if summaries:
        lines += ["", "Skills"]
        for summary in summaries:
            lines.append(summary.sentence)
            summary_lines.append(len(lines))
    spots: dict[tuple[int, str], _Spot] = {}
    if blocks:
        lines += ["", "Projects"]
        for index, block in enumerate(blocks):
            first = len(lines) + 1
            lines.extend(block.lines)
            for skill_id, spot in block.spots.items():
                spots[(index, skill_id)] = _Spot(spot.surface, first + spot.line, spot.start)

    skills = [
        _skill(summary, line=line, spots=spots)
        for summary, line in zip(summaries, summary_lines, strict=True)
    ]
    profile = ParsedProfile(
        basics=basics,
        summary=one_line(user.bio),
        skills=skills,
        projects=[block.project for block in blocks],
    )
    return ParseResult(
        profile=profile,
        document_type=DocumentType.GITHUB,
        warnings=warnings,
        text="\n".join(lines),
    )


def _basics(user: User) -> Basics:
    links = Links(github=user.html_url)
    if website := _website(user.blog):
        if "linkedin.com/" in website.lower():
            links.linkedin = website
        else:
            links.website = website
    if user.twitter_username:
        links.other.append(f"https://x.com/{user.twitter_username}")
    return Basics(
        name=one_line(user.name),
        headline=_headline(user.bio),
        email=one_line(user.email),
        location=one_line(user.location),
        links=links,
    )


def _website(blog: str | None) -> str | None:
    # GitHub stores the "website" field as typed, often without a scheme.
    blog = (blog or "").strip()
    if not blog or " " in blog:
        return None
    if not re.match(r"https?://", blog, re.IGNORECASE):
        blog = "https://" + blog
    return blog


def _headline(bio: str | None) -> str | None:
    text = one_line(bio)
    if text is None or len(text) <= 120:
        return text
    cut = text[:120].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + "…"


def _project_rank(evidence: RepoEvidence) -> tuple[int, float, str]:
    pushed = evidence.repo.pushed_at
    return (
        -evidence.repo.stargazers_count,
        -(pushed.timestamp() if pushed else 0.0),
        evidence.repo.name,
    )


def _project(evidence: RepoEvidence) -> _ProjectBlock:
    """Write the repository's lines and note where each of its skills shows in them."""
    repo = evidence.repo
    description = one_line(repo.description)
    lines = [f"{repo.name}: {description}" if description else repo.name, _facts(repo)]
    spots: dict[str, _Spot] = {}
    for listing in (_languages_listing, _topics_listing):
        if found := listing(evidence, len(lines), spots):
            lines.append(found)
    if description:
        _description_spots(evidence, len(repo.name) + 2, spots)
    if homepage := one_line(repo.homepage):
        lines.append(f"Homepage: {homepage}")

    project = Project(
        name=repo.name,
        description=description,
        url=repo.html_url,
        start=_month(repo.created_at),
        end=_month(repo.pushed_at),
        bullets=lines[1:],
        skills=list(evidence.hits),
    )
    return _ProjectBlock(project, lines, spots)


def _facts(repo: Repo) -> str:
    facts = [f"★ {repo.stargazers_count}"]
    if repo.forks_count:
        facts.append(_count(repo.forks_count, "fork"))
    if repo.pushed_at:
        facts.append(f"pushed {repo.pushed_at:%Y-%m}")
    if repo.archived:
        facts.append("archived")
    return " · ".join(facts)


def _languages_listing(evidence: RepoEvidence, line: int, spots: dict[str, _Spot]) -> str | None:
    """Return the "Languages: Python 80%, ..." line; note where each language's skill sits."""
    repo = evidence.repo
    if evidence.languages is not None:
        total = sum(evidence.languages.values())
        shown = significant_languages(evidence)[:6]
        items = [f"{language} {_percent(size / total)}" for language, size in shown]
        label = "Languages: "
    else:
        shown = [(repo.language, 0)] if repo.language else []
        items = [language for language, _ in shown]
        label = "Language: "
    if not items:
        return None
    by_language: dict[str | None, Hit] = {
        hit.language: hit for hit in evidence.hits.values() if hit.language
    }
    text, starts = _listing(label, items)
    for (language, _), item, start in zip(shown, items, starts, strict=True):
        if hit := by_language.get(language):
            spots.setdefault(hit.ref.skill_id, _Spot(item, line, start))
    return text


def _topics_listing(evidence: RepoEvidence, line: int, spots: dict[str, _Spot]) -> str | None:
    """Return the "Topics: ..." line; note where each topic's skill sits."""
    topics = evidence.repo.topics
    if not topics:
        return None
    text, starts = _listing("Topics: ", topics)
    for topic, start in zip(topics, starts, strict=True):
        for hit in evidence.hits.values():
            if hit.topic == topic:
                spots.setdefault(hit.ref.skill_id, _Spot(topic, line, start))
    return text


def _description_spots(evidence: RepoEvidence, offset: int, spots: dict[str, _Spot]) -> None:
    """Note the skills named in the description, on the first line after ``name: ``."""
    description = one_line(evidence.repo.description) or ""
    for hit in evidence.hits.values():
        if mention := hit.mention:
            surface = description[mention.start : mention.end]
            spots.setdefault(hit.ref.skill_id, _Spot(surface, 0, offset + mention.start))


def _listing(label: str, items: list[str]) -> tuple[str, list[int]]:
    """Return ``label`` and the comma-separated items, and the offset where each item starts."""
    starts, position = [], len(label)
    for item in items:
        starts.append(position)
        position += len(item) + 2
    return label + ", ".join(items), starts


def _summarize(own: list[RepoEvidence]) -> list[_Summary]:
    total_bytes = sum(
        size
        for evidence in own
        for language, size in (evidence.languages or {}).items()
        if language not in BULKY_LANGUAGES
    )
    summaries: dict[str, _Summary] = {}
    for evidence in sorted(own, key=_project_rank):
        for skill_id, hit in evidence.hits.items():
            summary = summaries.setdefault(skill_id, _Summary(hit.ref, [], 0, None))
            summary.repos.append(evidence)
            summary.bytes += hit.bytes
            summary.weight += hit.weight
            pushed = evidence.repo.pushed_at
            if pushed and (summary.latest is None or pushed > summary.latest):
                summary.latest = pushed
    for summary in summaries.values():
        parts = [f"{summary.ref.name}: {_count(len(summary.repos), 'repo')}"]
        if summary.latest:
            parts.append(f"most recent {summary.latest:%Y-%m}")
        if total_bytes and summary.bytes / total_bytes >= 0.005:  # shows as at least 1%
            parts.append(f"{_percent(summary.bytes / total_bytes)} of code")
        summary.sentence = ", ".join(parts)
    return sorted(
        summaries.values(),
        key=lambda s: (
            -s.weight,
            -len(s.repos),
            -(s.latest.timestamp() if s.latest else 0.0),
            s.ref.name.casefold(),
        ),
    )


def _skill(summary: _Summary, *, line: int, spots: dict[tuple[int, str], _Spot]) -> Skill:
    ref = summary.ref
    skill = Skill(skill_id=ref.skill_id, name=ref.name, category=ref.category)
    skill.evidence.append(
        SkillEvidence(
            section="github",
            surface=summary.sentence,
            line=line,
            start=0,
            end=len(summary.sentence),
        )
    )
    for evidence in summary.repos:
        if len(skill.evidence) > MAX_PROJECT_EVIDENCE:
            break
        if evidence.project_index is None:
            continue
        if spot := spots.get((evidence.project_index, ref.skill_id)):
            skill.evidence.append(
                SkillEvidence(
                    section="github",
                    surface=spot.surface,
                    line=spot.line,
                    start=spot.start,
                    end=spot.start + len(spot.surface),
                    project_index=evidence.project_index,
                )
            )
    return skill


def _month(moment: datetime | None) -> PartialDate | None:
    if moment is None:
        return None
    return PartialDate(year=moment.year, month=moment.month, raw=f"{moment:%Y-%m}")


def _percent(share: float) -> str:
    return "<1%" if share < 0.005 else f"{share:.0%}"


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
