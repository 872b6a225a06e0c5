"""Read a user's own repositories and the bytes of code per language in each."""

from __future__ import annotations

import asyncio

from careergini.core.errors import AppError, NotFound, TooManyRequests, Unavailable
from careergini.core.logging import get_logger
from careergini.profile.github.client import TOKEN_SETTING, GitHubClient, Repo, parse_payload
from careergini.profile.github.evidence import RepoEvidence

log = get_logger(__name__)

PER_PAGE = 100
LANGUAGE_CONCURRENCY = 4
# Without a token GitHub allows 60 requests an hour from one address; an import must leave room
# for another one, so past this many repositories only the main language of each is used.
ANONYMOUS_LANGUAGE_LOOKUPS = 30


async def list_repos(
    github: GitHubClient, login: str, *, max_repos: int, warnings: list[str]
) -> list[Repo]:
    """Return the user's repositories, most recently pushed first, following the pages."""
    url: str | None = github.url("users", login, "repos")
    params: dict[str, str | int] | None = {
        "per_page": PER_PAGE,
        "type": "owner",
        "sort": "pushed",
        "page": 1,
    }
    repos: list[Repo] = []
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
        repos.extend(parse_payload(Repo, item, what=f"a repository of {login}") for item in body)
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


async def read_languages(
    github: GitHubClient, login: str, own: list[RepoEvidence], *, warnings: list[str]
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

    async def read(evidence: RepoEvidence) -> None:
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


def _fallback(repo: Repo) -> str:
    if repo.language:
        return f"It counts only its main language, {repo.language}."
    return "Its code is not counted."
