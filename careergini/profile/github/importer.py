"""Import a GitHub account: the profile, the own repositories and their languages, as evidence."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from careergini.core.errors import InvalidInput, NotFound
from careergini.profile.github.client import GitHubClient, User, parse_payload
from careergini.profile.github.evidence import RepoEvidence, SkillResolver, collect_hits
from careergini.profile.github.repositories import list_repos, read_languages
from careergini.profile.github.result import build_result
from careergini.profile.schemas import ParseResult
from careergini.skills.schemas import Taxonomy
from careergini.skills.service import load_taxonomy

# GitHub's rule for new usernames: 1-39 letters, digits or single inner hyphens.
_USERNAME_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
_PROFILE_URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?github\.com/([^/?#\s]+)/?(?:[?#]\S*)?", re.IGNORECASE
)


async def import_github(
    *,
    http: httpx.AsyncClient,
    base_url: str,
    username: str,
    token: str | None = None,
    max_repos: int = 100,
    now: datetime | None = None,
    taxonomy: Taxonomy | None = None,
) -> ParseResult:
    """Import a GitHub user's public profile and own repositories as profile evidence."""
    login = normalize_username(username)
    if max_repos < 1:
        raise InvalidInput("max_repos must be at least 1.")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    github = GitHubClient(http, base_url, token, now)
    warnings: list[str] = []

    try:
        body, _ = await github.get(github.url("users", login), what=f"the profile of {login}")
    except NotFound:
        raise NotFound(f"No GitHub user named {login}.") from None
    user = parse_payload(User, body, what=f"the profile of {login}")
    if user.type == "Organization":
        raise InvalidInput(
            f"{user.login} is a GitHub organization, not a person; enter a personal username."
        )

    repos = await list_repos(github, user.login, max_repos=max_repos, warnings=warnings)
    own = [RepoEvidence(repo) for repo in repos if not repo.fork]
    forks = [repo for repo in repos if repo.fork]
    await read_languages(github, user.login, own, warnings=warnings)

    resolver = SkillResolver(taxonomy if taxonomy is not None else load_taxonomy())
    for evidence in own:
        collect_hits(evidence, resolver)

    return build_result(user, own, forks, now=now, warnings=warnings)


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
