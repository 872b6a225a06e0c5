"""Optional live resource sources: YouTube Data API v3 video search and GitHub repository search
by topic. Each is off unless the operator sets its key; both answer in the catalogue's
``Resource`` shape, so the resources endpoint treats them like the curated ones.

A source that fails (network, quota, rate limit, unexpected body) reports why and returns
nothing; it never fails the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from careergini.core.cache import Cache, get_json, set_json
from careergini.core.logging import get_logger
from careergini.learning.catalogue import Resource
from careergini.skills.schemas import Skill

log = get_logger(__name__)

_TOPIC = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class LiveResult:
    name: str
    status: str  # ok | error | cached
    resources: list[Resource]
    detail: str | None = None


class LiveSource(Protocol):
    name: str

    async def search(self, *, skill: Skill, level: str | None, limit: int) -> list[Resource]: ...


class LiveSourceError(Exception):
    """The live source could not answer; the message says why."""


def _check(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code in (403, 429):
        raise LiveSourceError(
            f"{what} refused the request (HTTP {response.status_code}: quota or rate limit)"
        )
    if response.status_code != 200:
        raise LiveSourceError(f"{what} answered HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise LiveSourceError(f"{what} answered with a body that is not JSON") from exc
    if not isinstance(body, dict):
        raise LiveSourceError(f"{what} answered with an unexpected body")
    return body


class YouTubeSource:
    """Videos from the YouTube Data API v3 ``search`` endpoint (videos only, safe search)."""

    name = "youtube"

    def __init__(
        self, *, client: httpx.AsyncClient, base_url: str, api_key: str, timeout: float
    ) -> None:
        self._client = client
        self._base = base_url.rstrip("/")
        self._key = api_key
        self._timeout = timeout

    async def search(self, *, skill: Skill, level: str | None, limit: int) -> list[Resource]:
        query = f"{skill.name} {level or ''} tutorial".replace("  ", " ")
        try:
            response = await self._client.get(
                f"{self._base}/search",
                params={
                    "part": "snippet",
                    "q": query,
                    "type": "video",
                    "maxResults": limit,
                    "safeSearch": "strict",
                    "relevanceLanguage": "en",
                    "key": self._key,
                },
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise LiveSourceError(f"YouTube is not reachable ({type(exc).__name__})") from exc
        body = _check(response, "YouTube")
        resources = []
        for item in body.get("items", []):
            video = (item.get("id") or {}).get("videoId")
            snippet = item.get("snippet") or {}
            if not video or not snippet.get("title"):
                continue
            resources.append(
                Resource(
                    id=f"youtube-{video}",
                    title=str(snippet["title"])[:300],
                    url=f"https://www.youtube.com/watch?v={video}",
                    kind="video",
                    level=level or "all",
                    hours=1,
                    cost="free",
                    skills=(skill.id,),
                    provider=str(snippet.get("channelTitle") or "YouTube"),
                    source="youtube",
                )
            )
        return resources[:limit]


class GitHubTopicSource:
    """Repositories with the skill's topic from GitHub's ``search/repositories``, most starred."""

    name = "github"

    def __init__(
        self, *, client: httpx.AsyncClient, base_url: str, token: str, timeout: float
    ) -> None:
        self._client = client
        self._base = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout

    @staticmethod
    def topic(skill: Skill) -> str:
        """Return the GitHub topic of a skill (topics are lowercase words joined by hyphens)."""
        return _TOPIC.sub("-", skill.id.casefold()).strip("-")

    async def search(self, *, skill: Skill, level: str | None, limit: int) -> list[Resource]:
        try:
            response = await self._client.get(
                f"{self._base}/search/repositories",
                params={
                    "q": f"topic:{self.topic(skill)}",
                    "sort": "stars",
                    "order": "desc",
                    "per_page": limit,
                },
                headers={
                    "Accept": "application/vnd.github+json",
                    "Authorization": f"Bearer {self._token}",
                    "X-GitHub-Api-Version": "2022-11-28",
                },
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise LiveSourceError(f"GitHub is not reachable ({type(exc).__name__})") from exc
        body = _check(response, "GitHub")
        resources = []
        for item in body.get("items", []):
            name, url = item.get("full_name"), item.get("html_url")
            if not name or not isinstance(url, str) or not url.startswith("https://"):
                continue
            description = str(item.get("description") or "").strip()
            licence = (item.get("license") or {}).get("spdx_id")
            stars = item.get("stargazers_count") or 0
            resources.append(
                Resource(
                    id=f"github-{name.replace('/', '-')}",
                    title=(f"{name}: {description}" if description else name)[:300],
                    url=url,
                    kind="practice",
                    level=level or "all",
                    hours=2,
                    cost="free",
                    skills=(skill.id,),
                    provider=f"GitHub ({stars:,} stars)",
                    licence=licence if licence and licence != "NOASSERTION" else None,
                    source="github",
                )
            )
        return resources[:limit]


def _to_cache(resources: list[Resource]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in resources]


def _from_cache(items: list[dict[str, Any]]) -> list[Resource]:
    return [
        Resource(
            id=i["id"],
            title=i["title"],
            url=i["url"],
            kind=i["kind"],
            level=i["level"],
            hours=i["hours"],
            cost=i["cost"],
            skills=tuple(i["skills"]),
            provider=i.get("provider", ""),
            licence=i.get("licence"),
            source=i.get("source", "live"),
        )
        for i in items
    ]


async def search_live(
    sources: list[LiveSource],
    *,
    skill: Skill,
    level: str | None,
    limit: int,
    cache: Cache,
    ttl: int,
) -> list[LiveResult]:
    """Ask every configured source, through the cache; failures become statuses, not errors."""
    results = []
    for source in sources:
        key = f"learning:live:{source.name}:{skill.id}:{level or 'all'}:{limit}"
        cached = await get_json(cache, key)
        if cached is not None:
            results.append(LiveResult(source.name, "cached", _from_cache(cached)))
            continue
        try:
            found = await source.search(skill=skill, level=level, limit=limit)
        except LiveSourceError as exc:
            log.warning("learning.live_source_failed", source=source.name, detail=str(exc))
            results.append(LiveResult(source.name, "error", [], str(exc)))
            continue
        await set_json(cache, key, _to_cache(found), ttl=ttl)
        results.append(LiveResult(source.name, "ok", found))
    return results
