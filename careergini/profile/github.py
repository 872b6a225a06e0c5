"""Import a person's public GitHub activity (profile, own repositories, their languages and
topics) as profile evidence, through GitHub's REST API v3.

The evidence rule: a skill counts for a repository when the owner wrote it there (a language with
at least 1% of the repository's code), tagged it (a topic) or named it in the description. Forks
are someone else's code, so they are listed in the text but never count.
"""

from __future__ import annotations

import asyncio
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar
from urllib.parse import quote, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from careergini.core.errors import AppError, InvalidInput, NotFound, TooManyRequests, Unavailable
from careergini.core.logging import get_logger
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

log = get_logger(__name__)

API_VERSION = "2022-11-28"
TOKEN_SETTING = "CAREERGINI_GITHUB_TOKEN"
PER_PAGE = 100
MAX_PROJECTS = 20
MAX_PROJECT_EVIDENCE = 5  # per skill: the projects that show it best, after the summary line
LANGUAGE_CONCURRENCY = 4
# A language below either bound in a repository is vendored, generated or a one-line script.
MIN_LANGUAGE_SHARE = 0.01
MIN_LANGUAGE_BYTES = 512
# Without a token GitHub allows 60 requests an hour from one address; an import must leave room
# for another one, so past this many repositories only the main language of each is used.
ANONYMOUS_LANGUAGE_LOOKUPS = 30
# How much a topic, a description mention or a main language without byte counts weighs, against
# a language's share of a repository's code (0 to 1), when skills are ordered.
CLAIM_WEIGHT = 0.5

# GitHub's rule for new usernames: 1-39 letters, digits or single inner hyphens.
_USERNAME_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
_PROFILE_URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?github\.com/([^/?#\s]+)/?(?:[?#]\S*)?", re.IGNORECASE
)

# GitHub language names that the taxonomy's linguist mapping gets wrong for evidence (it maps
# "Dockerfile", "Shell" and "Jupyter Notebook" itself). None: not evidence of a skill.
_LANGUAGE_TERMS: dict[str, str | None] = {
    "HCL": "Terraform",  # nearly every HCL repository is Terraform
    "Makefile": None,  # almost every repository has one
    "Procfile": None,
}
# Notebooks keep their outputs (images, tables) in the file, so their bytes say little about how
# much code was written; they count as evidence but not in "% of code".
_BULKY_LANGUAGES = frozenset({"Jupyter Notebook"})


# --- GitHub's payloads: only the fields used, the rest ignored ---------------------------------


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore")


_P = TypeVar("_P", bound=_Payload)


class _User(_Payload):
    login: str
    type: str = "User"
    html_url: str
    name: str | None = None
    company: str | None = None
    blog: str | None = None
    location: str | None = None
    email: str | None = None
    bio: str | None = None
    twitter_username: str | None = None
    public_repos: int = 0


class _Repo(_Payload):
    name: str
    full_name: str
    html_url: str
    description: str | None = None
    fork: bool = False
    archived: bool = False
    homepage: str | None = None
    language: str | None = None
    size: int = 0
    stargazers_count: int = 0
    forks_count: int = 0
    topics: list[str] = Field(default_factory=list)
    created_at: datetime | None = None
    pushed_at: datetime | None = None


# --- skills: the shared taxonomy, reached through one small adapter ----------------------------


class _SkillRef(NamedTuple):
    skill_id: str
    name: str
    category: str | None


class _Mention(NamedTuple):
    ref: _SkillRef
    start: int
    end: int


class _SkillResolver:
    """Map GitHub's language names, topics and descriptions to taxonomy skills."""

    def __init__(self, taxonomy: Any) -> None:
        self._taxonomy = taxonomy
        self._by_linguist = {
            skill.sources.linguist: skill for skill in taxonomy if skill.sources.linguist
        }

    def language(self, language: str) -> _SkillRef | None:
        if language in _LANGUAGE_TERMS:
            term = _LANGUAGE_TERMS[language]
            return _as_ref(self._taxonomy.by_name(term)) if term else None
        return _as_ref(self._by_linguist.get(language) or self._taxonomy.by_name(language))

    def topic(self, topic: str) -> _SkillRef | None:
        # Topics are lower-case and hyphenated ("machine-learning"). Only hand-kept skills and
        # languages count: a topic such as "productivity" also names a long-tail O*NET entry.
        for term in dict.fromkeys((topic, topic.replace("-", " "))):
            skill = self._taxonomy.by_name(term)
            if skill is not None and (skill.sources.curated or skill.sources.linguist):
                return _as_ref(skill)
        return None

    def mentions(self, text: str) -> list[_Mention]:
        from careergini.skills.extraction import extract_skills

        return [
            _Mention(_SkillRef(m.skill_id, m.name, m.category), m.start, m.end)
            for m in extract_skills(text, taxonomy=self._taxonomy)
        ]


def _as_ref(skill: Any) -> _SkillRef | None:
    return None if skill is None else _SkillRef(skill.id, skill.name, skill.category)


# --- HTTP ---------------------------------------------------------------------------------------


class _GitHub:
    """GET JSON from GitHub, turning every failure into the product's errors."""

    def __init__(
        self, http: httpx.AsyncClient, base_url: str, token: str | None, now: datetime
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.origin = urlsplit(self.base_url)[:2]
        self.token = token
        self.now = now
        self.headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
        }
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def url(self, *segments: str) -> str:
        return self.base_url + "".join("/" + quote(segment, safe="") for segment in segments)

    def same_origin(self, url: str) -> bool:
        # The token must only ever go to the configured API, whatever a Link header says.
        return urlsplit(url)[:2] == self.origin

    async def get(
        self, url: str, *, what: str, params: dict[str, str | int] | None = None
    ) -> tuple[Any, httpx.Response]:
        """Return the decoded JSON body and the response; raise an AppError on any failure."""
        try:
            response = await self.http.get(
                url, params=params, headers=self.headers, follow_redirects=False
            )
        except httpx.TimeoutException as exc:
            raise Unavailable(
                f"GitHub did not answer in time while reading {what}; try again in a minute."
            ) from exc
        except httpx.HTTPError as exc:
            raise Unavailable(
                f"GitHub did not answer while reading {what} ({type(exc).__name__}); "
                "try again in a minute."
            ) from exc
        self._raise_for_status(response, what=what)
        try:
            return response.json(), response
        except ValueError as exc:  # JSONDecodeError, or a body that is not UTF-8
            raise Unavailable(
                f"GitHub did not answer with readable data while reading {what}; "
                "try again in a minute."
            ) from exc

    def _raise_for_status(self, response: httpx.Response, *, what: str) -> None:
        status = response.status_code
        if status == 200:
            return
        headers = response.headers
        if status == 429 or (
            status == 403
            and (headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers)
        ):
            raise self._rate_limited(response)
        if status in (404, 410, 451):
            raise NotFound(f"GitHub has no {what}.")
        if status == 401:
            raise Unavailable(
                f"GitHub rejected the configured token ({_github_message(response)}); an operator "
                f"should check the {TOKEN_SETTING} setting."
            )
        if status >= 500:
            raise Unavailable(
                f"GitHub did not answer while reading {what} (HTTP {status}); "
                "try again in a minute."
            )
        raise Unavailable(
            f"GitHub refused to return {what} (HTTP {status}: {_github_message(response)})."
        )

    def _rate_limited(self, response: httpx.Response) -> TooManyRequests:
        headers = response.headers
        retry_after: float | None = None
        if (value := headers.get("retry-after", "").strip()).isdigit():
            retry_after = int(value)
        elif (value := headers.get("x-ratelimit-reset", "").strip()).isdigit():
            retry_after = int(value) - self.now.timestamp()
        seconds = max(1, math.ceil(retry_after if retry_after is not None else 60))
        resets = datetime.fromtimestamp(self.now.timestamp() + seconds, tz=UTC)
        if self.token:
            advice = f"The token in {TOKEN_SETTING} has used up its own limit."
        else:
            advice = (
                f"An operator can set {TOKEN_SETTING} to a GitHub token for a much higher limit."
            )
        return TooManyRequests(
            f"GitHub's API rate limit was hit; it resets at {resets:%H:%M} UTC "
            f"(in {_duration(seconds)}). {advice}",
            retry_after=seconds,
        )


def _github_message(response: httpx.Response) -> str:
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        message = None
    return str(message)[:200] if message else response.reason_phrase or "no reason given"


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"about {round(minutes / 60)} hours"


# --- the import ---------------------------------------------------------------------------------


@dataclass
class _Hit:
    """One repository's evidence for one skill."""

    ref: _SkillRef
    bytes: int = 0  # counted in "% of code"
    weight: float = 0.0  # the largest share of the repository's code, or CLAIM_WEIGHT
    language: str | None = None  # the linguist name that gave the bytes
    topic: str | None = None
    mention: _Mention | None = None


@dataclass
class _RepoEvidence:
    repo: _Repo
    languages: dict[str, int] | None = None  # None: not read, only the main language is known
    warning: str | None = None  # why the languages could not be read
    hits: dict[str, _Hit] = field(default_factory=dict)
    project_index: int | None = None


async def import_github(
    *,
    http: httpx.AsyncClient,
    base_url: str,
    username: str,
    token: str | None = None,
    max_repos: int = 100,
    now: datetime | None = None,
    taxonomy: Any = None,
) -> ParseResult:
    """Import a GitHub user's public profile and own repositories as profile evidence."""
    login = normalize_username(username)
    if max_repos < 1:
        raise InvalidInput("max_repos must be at least 1.")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    github = _GitHub(http, base_url, token, now)
    warnings: list[str] = []

    try:
        body, _ = await github.get(github.url("users", login), what=f"the profile of {login}")
    except NotFound:
        raise NotFound(f"No GitHub user named {login}.") from None
    user = _parse(_User, body, what=f"the profile of {login}")
    if user.type == "Organization":
        raise InvalidInput(
            f"{user.login} is a GitHub organization, not a person; enter a personal username."
        )

    repos = await _list_repos(github, user.login, max_repos=max_repos, warnings=warnings)
    own = [_RepoEvidence(repo) for repo in repos if not repo.fork]
    forks = [repo for repo in repos if repo.fork]
    await _read_languages(github, user.login, own, warnings=warnings)

    if taxonomy is None:
        from careergini.skills.taxonomy import load_taxonomy

        taxonomy = load_taxonomy()
    resolver = _SkillResolver(taxonomy)
    for evidence in own:
        _collect_hits(evidence, resolver)

    return _build_result(user, own, forks, now=now, warnings=warnings)


def normalize_username(value: str) -> str:
    """Return the GitHub username in ``value`` (a name, ``@name`` or a profile URL)."""
    text = value.strip()
    if match := _PROFILE_URL_RE.fullmatch(text):
        text = match.group(1)
    text = text.removeprefix("@")
    if not _USERNAME_RE.fullmatch(text):
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise InvalidInput(
            f"{shown!r} is not a valid GitHub username: use 1-39 letters, digits or single "
            "hyphens, not starting or ending with a hyphen."
        )
    return text


async def _list_repos(
    github: _GitHub, login: str, *, max_repos: int, warnings: list[str]
) -> list[_Repo]:
    url: str | None = github.url("users", login, "repos")
    params: dict[str, str | int] | None = {
        "per_page": PER_PAGE,
        "type": "owner",
        "sort": "pushed",
        "page": 1,
    }
    repos: list[_Repo] = []
    while url is not None:
        try:
            body, response = await github.get(
                url, params=params, what=f"the repositories of {login}"
            )
        except NotFound:
            raise NotFound(f"No GitHub user named {login}.") from None
        if not isinstance(body, list):
            raise Unavailable(
                f"GitHub did not answer with a list of repositories for {login}; "
                "try again in a minute."
            )
        repos.extend(_parse(_Repo, item, what=f"a repository of {login}") for item in body)
        params = None  # the next link carries the query
        url = response.links.get("next", {}).get("url")
        if len(repos) >= max_repos:
            if url is not None or len(repos) > max_repos:
                warnings.append(
                    f"Read the {max_repos} most recently pushed repositories of {login}; "
                    "older ones were left out."
                )
            return repos[:max_repos]
        if url is not None and not github.same_origin(url):
            warnings.append(
                "GitHub's next page of repositories pointed at another address, so the "
                "list stops here."
            )
            break
    return repos


async def _read_languages(
    github: _GitHub, login: str, own: list[_RepoEvidence], *, warnings: list[str]
) -> None:
    """Fill in each repository's bytes per language, four requests at a time."""
    wanted = [evidence for evidence in own if evidence.repo.size > 0 or evidence.repo.language]
    budget = len(wanted) if github.token else ANONYMOUS_LANGUAGE_LOOKUPS
    if len(wanted) > budget:
        warnings.append(
            f"Read the languages of the {budget} most recently pushed repositories; the other "
            f"{len(wanted) - budget} count only their main language ({TOKEN_SETTING} lifts this)."
        )
        wanted = wanted[:budget]
    semaphore = asyncio.Semaphore(LANGUAGE_CONCURRENCY)
    limited: list[TooManyRequests] = []

    async def read(evidence: _RepoEvidence) -> None:
        repo = evidence.repo
        async with semaphore:
            if limited:  # every further request would be refused too
                return
            try:
                body, _ = await github.get(
                    github.url("repos", login, repo.name, "languages"),
                    what=f"the languages of {repo.name}",
                )
            except TooManyRequests as exc:
                limited.append(exc)
                return
            except AppError as exc:
                evidence.warning = f"{exc.detail} {_fallback(repo)}"
                return
        if isinstance(body, dict) and all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
            for k, v in body.items()
        ):
            evidence.languages = body
        else:
            evidence.warning = (
                f"GitHub answered with unreadable languages for {repo.name}. {_fallback(repo)}"
            )

    async with asyncio.TaskGroup() as group:
        for evidence in wanted:
            group.create_task(read(evidence))
    for evidence in wanted:  # in listing order, whatever order the requests finished in
        if evidence.warning:
            log.warning("github.languages_failed", repo=evidence.repo.full_name)
            warnings.append(evidence.warning)
    if limited:
        unread = sum(
            1 for evidence in wanted if evidence.languages is None and not evidence.warning
        )
        log.warning(
            "github.rate_limited", unread=unread, retry_after=limited[0].extra["retry_after"]
        )
        warnings.append(
            f"{limited[0].detail} Until then, {unread} repositories count only their main language."
        )


def _fallback(repo: _Repo) -> str:
    if repo.language:
        return f"It counts only its main language, {repo.language}."
    return "Its code is not counted."


def _collect_hits(evidence: _RepoEvidence, resolver: _SkillResolver) -> None:
    repo = evidence.repo
    hits = evidence.hits
    total = sum(evidence.languages.values()) if evidence.languages else 0
    for language, size in _significant_languages(evidence):
        if ref := resolver.language(language):
            hit = hits.setdefault(ref.skill_id, _Hit(ref))
            if language not in _BULKY_LANGUAGES:
                hit.bytes += size
            hit.weight = max(hit.weight, size / total if total else CLAIM_WEIGHT)
            hit.language = hit.language or language
    for topic in repo.topics:
        if ref := resolver.topic(topic):
            hit = hits.setdefault(ref.skill_id, _Hit(ref))
            hit.weight = max(hit.weight, CLAIM_WEIGHT)
            hit.topic = hit.topic or topic
    if description := _one_line(repo.description):
        for mention in resolver.mentions(description):
            hit = hits.setdefault(mention.ref.skill_id, _Hit(mention.ref))
            hit.weight = max(hit.weight, CLAIM_WEIGHT)
            hit.mention = hit.mention or mention


def _significant_languages(evidence: _RepoEvidence) -> list[tuple[str, int]]:
    """Return (language, bytes) worth counting, largest first; bytes 0 when only the main one."""
    if evidence.languages is None:
        return [(evidence.repo.language, 0)] if evidence.repo.language else []
    total = sum(evidence.languages.values())
    return [
        (language, size)
        for language, size in sorted(evidence.languages.items(), key=lambda item: -item[1])
        if size >= MIN_LANGUAGE_BYTES and size / total >= MIN_LANGUAGE_SHARE
    ]


# --- the result -------------------------------------------------------------------------------


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
    ref: _SkillRef
    repos: list[_RepoEvidence]
    bytes: int
    latest: datetime | None
    weight: float = 0.0
    sentence: str = ""


def _build_result(
    user: _User,
    own: list[_RepoEvidence],
    forks: list[_Repo],
    *,
    now: datetime,
    warnings: list[str],
) -> ParseResult:
    ranked = sorted(own, key=_project_rank)[:MAX_PROJECTS]
    for index, evidence in enumerate(ranked):
        evidence.project_index = index
    blocks = [_project(evidence) for evidence in ranked]
    summaries = _summarize(own)
    basics = _basics(user)

    lines = [f"GitHub: {user.name} ({user.login})" if user.name else f"GitHub: {user.login}"]
    lines.append(user.html_url)
    for label, value in (
        ("Bio", _one_line(user.bio)),
        ("Company", _one_line(user.company)),
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
        summary=_one_line(user.bio),
        skills=skills,
        projects=[block.project for block in blocks],
    )
    return ParseResult(
        profile=profile,
        document_type=DocumentType.GITHUB,
        warnings=warnings,
        text="\n".join(lines),
    )


def _basics(user: _User) -> Basics:
    links = Links(github=user.html_url)
    if website := _website(user.blog):
        if "linkedin.com/" in website.lower():
            links.linkedin = website
        else:
            links.website = website
    if user.twitter_username:
        links.other.append(f"https://x.com/{user.twitter_username}")
    return Basics(
        name=_one_line(user.name),
        headline=_headline(user.bio),
        email=_one_line(user.email),
        location=_one_line(user.location),
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
    text = _one_line(bio)
    if text is None or len(text) <= 120:
        return text
    cut = text[:120].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + "…"


def _one_line(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def _project_rank(evidence: _RepoEvidence) -> tuple[int, float, str]:
    pushed = evidence.repo.pushed_at
    return (
        -evidence.repo.stargazers_count,
        -(pushed.timestamp() if pushed else 0.0),
        evidence.repo.name,
    )


def _project(evidence: _RepoEvidence) -> _ProjectBlock:
    repo = evidence.repo
    description = _one_line(repo.description)
    lines = [f"{repo.name}: {description}" if description else repo.name]
    spots: dict[str, _Spot] = {}

    facts = [f"★ {repo.stargazers_count}"]
    if repo.forks_count:
        facts.append(_count(repo.forks_count, "fork"))
    if repo.pushed_at:
        facts.append(f"pushed {repo.pushed_at:%Y-%m}")
    if repo.archived:
        facts.append("archived")
    lines.append(" · ".join(facts))

    by_language = {hit.language: hit for hit in evidence.hits.values() if hit.language}
    if evidence.languages is not None:
        total = sum(evidence.languages.values())
        shown = _significant_languages(evidence)[:6]
        items = [f"{language} {_percent(size / total)}" for language, size in shown]
        label = "Languages: "
    else:
        shown = [(repo.language, 0)] if repo.language else []
        items = [language for language, _ in shown]
        label = "Language: "
    if items:
        line, starts = _listing(label, items)
        for (language, _), item, start in zip(shown, items, starts, strict=True):
            if hit := by_language.get(language):
                spots.setdefault(hit.ref.skill_id, _Spot(item, len(lines), start))
        lines.append(line)

    if repo.topics:
        line, starts = _listing("Topics: ", repo.topics)
        for topic, start in zip(repo.topics, starts, strict=True):
            for hit in evidence.hits.values():
                if hit.topic == topic:
                    spots.setdefault(hit.ref.skill_id, _Spot(topic, len(lines), start))
        lines.append(line)

    if description:
        offset = len(repo.name) + 2
        for hit in evidence.hits.values():
            if mention := hit.mention:
                surface = description[mention.start : mention.end]
                spots.setdefault(hit.ref.skill_id, _Spot(surface, 0, offset + mention.start))

    if homepage := _one_line(repo.homepage):
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


def _listing(label: str, items: list[str]) -> tuple[str, list[int]]:
    """Return ``label`` and the comma-separated items, and the offset where each item starts."""
    starts, position = [], len(label)
    for item in items:
        starts.append(position)
        position += len(item) + 2
    return label + ", ".join(items), starts


def _summarize(own: list[_RepoEvidence]) -> list[_Summary]:
    total_bytes = sum(
        size
        for evidence in own
        for language, size in (evidence.languages or {}).items()
        if language not in _BULKY_LANGUAGES
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


def _parse(model: type[_P], body: Any, *, what: str) -> _P:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise Unavailable(
            f"GitHub did not answer with readable data for {what}; try again in a minute."
        ) from exc
