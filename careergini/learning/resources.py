"""Learning resources for a skill: the curated catalogue first (with a related skill's or an
alternative's when a skill has none), then live sources (YouTube, GitHub) when asked and set up.
"""

from __future__ import annotations

from careergini.learning.catalogue import Resource
from careergini.learning.links import usable_catalogue
from careergini.learning.live import GitHubTopicSource, LiveSource, YouTubeSource, search_live
from careergini.learning.schemas import LiveSourceStatus, ResourcePublic, ResourcesResponse
from careergini.learning.targets import resolve_skill
from careergini.runtime.resources import Resources
from careergini.skills.service import load_taxonomy


def live_sources(resources: Resources) -> tuple[list[LiveSource], list[LiveSourceStatus]]:
    """Return the live sources the operator configured, and the ones that are off."""
    settings = resources.settings
    sources: list[LiveSource] = []
    off: list[LiveSourceStatus] = []
    if settings.learning_youtube_api_key:
        sources.append(
            YouTubeSource(
                client=resources.http,
                base_url=settings.learning_youtube_api_url,
                api_key=settings.learning_youtube_api_key,
                timeout=settings.learning_live_timeout,
            )
        )
    else:
        off.append(
            LiveSourceStatus(
                name="youtube", status="off", detail="Set CAREERGINI_LEARNING_YOUTUBE_API_KEY."
            )
        )
    if settings.learning_github_token:
        sources.append(
            GitHubTopicSource(
                client=resources.http,
                base_url=settings.learning_github_api_url,
                token=settings.learning_github_token,
                timeout=settings.learning_live_timeout,
            )
        )
    else:
        off.append(
            LiveSourceStatus(
                name="github", status="off", detail="Set CAREERGINI_LEARNING_GITHUB_TOKEN."
            )
        )
    return sources, off


def _public_resource(resource: Resource) -> ResourcePublic:
    return ResourcePublic.model_validate(resource.to_dict())


async def find_resources(
    *,
    resources: Resources,
    skill: str | None,
    level: str | None,
    kind: str | None,
    live: bool,
    limit: int,
) -> ResourcesResponse:
    """Return curated resources for a skill (or all), and live ones when asked and configured."""
    catalogue = usable_catalogue(resources.settings.data_dir)
    if skill is None:
        found = catalogue.search(level=level, kind=kind)[:limit]
        return ResourcesResponse(
            skill=None, resources=[_public_resource(r) for r in found], live=[]
        )
    known = resolve_skill(skill)
    note = None
    found = catalogue.resources_for(known.id, level=level, kind=kind)
    if not found:
        exclusion = catalogue.exclusions.get(known.id)
        if exclusion is not None:
            note = f"No curated course for {known.name}: {exclusion.reason}"
            if exclusion.alternative:
                found = catalogue.resources_for(exclusion.alternative, level=level, kind=kind)
        else:
            taxonomy = load_taxonomy()
            for related in taxonomy.related(known.id, limit=20):
                found = catalogue.resources_for(related.id, level=level, kind=kind)
                if found:
                    note = (
                        f"No curated resources for {known.name} yet; these are for the closely "
                        f"related {related.name}."
                    )
                    break
    statuses: list[LiveSourceStatus] = []
    if live:
        sources, statuses = live_sources(resources)
        results = await search_live(
            sources,
            skill=known,
            level=level,
            limit=min(limit, 10),
            cache=resources.cache,
            ttl=resources.settings.learning_live_cache_ttl,
        )
        for result in results:
            items = [r for r in result.resources if kind is None or r.kind == kind]
            found = [*found, *items]
            statuses.append(
                LiveSourceStatus(
                    name=result.name, status=result.status, count=len(items), detail=result.detail
                )
            )
    return ResourcesResponse(
        skill={"id": known.id, "name": known.name, "category": known.category, "hot": known.hot},
        resources=[_public_resource(r) for r in found[:limit]],
        live=statuses,
        note=note,
    )
