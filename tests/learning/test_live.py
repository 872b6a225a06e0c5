"""Live resource sources against local stand-ins of the YouTube Data API and GitHub search."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from careergini.app import create_app
from careergini.core.cache import MemoryCache
from careergini.core.embeddings import Embedder
from careergini.learning.live import GitHubTopicSource, YouTubeSource, search_live
from careergini.runtime.resources import build_resources
from careergini.skills.taxonomy import load_taxonomy
from tests.conftest import make_settings
from tests.doubles.github import GitHubDouble
from tests.doubles.youtube import Reply, YouTubeDouble, load_fixture
from tests.learning.conftest import login

PYTHON = load_taxonomy()["python"]


@pytest.fixture
def youtube() -> Iterator[YouTubeDouble]:
    with YouTubeDouble() as double:
        yield double


@pytest.fixture
def github() -> Iterator[GitHubDouble]:
    with GitHubDouble() as double:
        double.add("/search/repositories", load_fixture("github-search-topic-python.json"))
        yield double


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def sources(http: httpx.AsyncClient, youtube_url: str, github_url: str) -> list[Any]:
    return [
        YouTubeSource(
            client=http, base_url=f"{youtube_url}/youtube/v3", api_key="yt-key", timeout=2.0
        ),
        GitHubTopicSource(client=http, base_url=github_url, token="gh-token", timeout=2.0),
    ]


async def test_both_sources_answer_in_the_catalogue_shape(
    http: httpx.AsyncClient, youtube: YouTubeDouble, github: GitHubDouble
) -> None:
    results = await search_live(
        sources(http, youtube.url, github.url),
        skill=PYTHON,
        level="beginner",
        limit=5,
        cache=MemoryCache(),
        ttl=60,
    )
    by_name = {r.name: r for r in results}
    videos = by_name["youtube"].resources
    assert by_name["youtube"].status == "ok"
    assert [v.url for v in videos] == [
        "https://www.youtube.com/watch?v=Tst0000001a",
        "https://www.youtube.com/watch?v=Tst0000002b",
    ]  # the channel result is not a video
    assert videos[0].kind == "video" and videos[0].provider == "Test Channel One"
    assert videos[0].source == "youtube" and videos[0].skills == ("python",)
    query = youtube.queries[0]
    assert query["key"] == ["yt-key"] and query["type"] == ["video"]
    assert query["q"] == ["Python beginner tutorial"] and query["maxResults"] == ["5"]
    repos = by_name["github"].resources
    assert [r.url for r in repos] == [
        "https://github.com/example-org/learn-python-examples",
        "https://github.com/someone/py-exercises",
    ]
    assert repos[0].licence == "MIT" and repos[1].licence is None  # NOASSERTION is no licence
    assert repos[0].provider == "GitHub (51,234 stars)"
    assert repos[1].title == "someone/py-exercises"
    seen = github.seen("/search/repositories")[0]
    assert "q=topic%3Apython" in seen.path and "sort=stars" in seen.path
    assert seen.headers["authorization"] == "Bearer gh-token"
    assert seen.headers["accept"] == "application/vnd.github+json"


async def test_results_are_cached(
    http: httpx.AsyncClient, youtube: YouTubeDouble, github: GitHubDouble
) -> None:
    cache = MemoryCache()
    for expected in ("ok", "cached"):
        results = await search_live(
            sources(http, youtube.url, github.url),
            skill=PYTHON,
            level=None,
            limit=3,
            cache=cache,
            ttl=60,
        )
        assert {r.status for r in results} == {expected}
    assert len(youtube.queries) == 1
    assert len(github.seen("/search/repositories")) == 1


@pytest.mark.parametrize(
    ("reply", "needle"),
    [
        (Reply(403, load_fixture("youtube-error-quota.json")), "quota or rate limit"),
        (Reply(500, {"error": {"code": 500}}), "HTTP 500"),
        (Reply(200, raw=b"<html>oops</html>"), "not JSON"),
        (Reply(200, ["not", "an", "object"]), "unexpected body"),
    ],
)
async def test_a_failing_source_reports_why_and_returns_nothing(
    http: httpx.AsyncClient, youtube: YouTubeDouble, reply: Reply, needle: str
) -> None:
    youtube.reply = reply
    [result] = await search_live(
        sources(http, youtube.url, "http://unused")[:1],
        skill=PYTHON,
        level=None,
        limit=3,
        cache=MemoryCache(),
        ttl=60,
    )
    assert result.status == "error" and result.resources == []
    assert needle in (result.detail or "")


async def test_an_unreachable_source_is_an_error_not_a_crash(http: httpx.AsyncClient) -> None:
    [result] = await search_live(
        [GitHubTopicSource(client=http, base_url="http://127.0.0.1:9", token="t", timeout=1.0)],
        skill=PYTHON,
        level=None,
        limit=3,
        cache=MemoryCache(),
        ttl=60,
    )
    assert result.status == "error" and "not reachable" in (result.detail or "")


@pytest.fixture
async def live_client(
    stack: dict,
    tmp_path: Path,
    embedder: Embedder,
    youtube: YouTubeDouble,
    github: GitHubDouble,
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        tmp_path,
        **stack,
        learning_youtube_api_key="yt-key",
        learning_youtube_api_url=f"{youtube.url}/youtube/v3",
        learning_github_token="gh-token",
        learning_github_api_url=github.url,
    )
    resources = build_resources(settings, embedder=embedder)
    app = create_app(resources=resources)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client
    await resources.aclose()


async def test_the_resources_endpoint_adds_live_results(live_client: httpx.AsyncClient) -> None:
    headers = await login(live_client)
    body = (
        await live_client.get("/api/learning/resources?skill=python&live=true", headers=headers)
    ).json()
    assert {s["name"]: (s["status"], s["count"]) for s in body["live"]} == {
        "youtube": ("ok", 2),
        "github": ("ok", 2),
    }
    sources = [r["source"] for r in body["resources"]]
    assert sources.count("youtube") == 2 and sources.count("github") == 2
    assert sources[0] == "catalogue"  # the curated resources come first
    videos = (
        await live_client.get(
            "/api/learning/resources?skill=python&live=true&kind=video", headers=headers
        )
    ).json()
    assert {r["kind"] for r in videos["resources"]} == {"video"}
    assert {s["name"]: s["count"] for s in videos["live"]} == {"youtube": 2, "github": 0}
