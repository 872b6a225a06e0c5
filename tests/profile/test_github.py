"""Importing public GitHub activity, against the GitHub double speaking the REST API v3."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from careergini.core.errors import InvalidInput, NotFound, TooManyRequests, Unavailable
from careergini.profile.github import TOKEN_SETTING, import_github, normalize_username
from careergini.profile.schemas import DocumentType, ParseResult
from tests.doubles.github import FIXTURES, GitHubDouble, load_fixture

LOGIN = "mira-okafor"
REPOS = f"/users/{LOGIN}/repos"
REPOS_QUERY = "per_page=100&type=owner&sort=pushed"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
OWN_WITH_CODE = [
    "tidewater",
    "kube-tide-operator",
    "dotfiles",
    "harbor-infra",
    "tide-charts",
    "notebook-harmonics",
    "advent-of-code-2025",
    "pelican-theme-quill",
]


def languages_path(repo: str) -> str:
    return f"/repos/{LOGIN}/{repo}/languages"


def script_mira(double: GitHubDouble) -> list[str]:
    """Serve the recorded user, two pages of repositories and their languages; return page paths."""
    user = load_fixture(f"user-{LOGIN}.json")
    double.add(f"/users/{LOGIN}", user)
    pages = double.add_pages(
        REPOS,
        [load_fixture(f"repos-{LOGIN}-page1.json"), load_fixture(f"repos-{LOGIN}-page2.json")],
        query=REPOS_QUERY,
        link_path=f"/user/{user['id']}/repos",
    )
    for path in FIXTURES.glob(f"languages-{LOGIN}-*.json"):
        repo = path.stem.removeprefix(f"languages-{LOGIN}-")
        double.add(languages_path(repo), json.loads(path.read_text(encoding="utf-8")))
    return pages


@pytest.fixture
def github() -> Iterator[GitHubDouble]:
    with GitHubDouble() as double:
        yield double


async def run(double: GitHubDouble, *, username: str = LOGIN, **kwargs: Any) -> ParseResult:
    async with httpx.AsyncClient(
        timeout=kwargs.pop("timeout", 5.0), headers={"User-Agent": "CareerGini-tests"}
    ) as http:
        return await import_github(
            http=http, base_url=double.url, username=username, now=NOW, **kwargs
        )


def skill(result: ParseResult, skill_id: str) -> Any:
    matches = [s for s in result.profile.skills if s.skill_id == skill_id]
    assert len(matches) <= 1
    return matches[0] if matches else None


# --- the happy path ------------------------------------------------------------------------------


async def test_imports_profile_and_follows_link_pagination(github: GitHubDouble) -> None:
    pages = script_mira(github)

    result = await run(github)

    assert result.document_type is DocumentType.GITHUB
    assert result.warnings == []
    basics = result.profile.basics
    assert basics.name == "Mira Okafor"
    assert basics.headline == (
        "Backend engineer. Python and Go services, a lot of Kubernetes YAML, and tide data."
    )
    assert result.profile.summary == basics.headline
    assert basics.location == "Lisbon, Portugal"
    assert basics.email == "mira@okafor.example"
    assert basics.links.github == "https://github.com/mira-okafor"
    assert basics.links.website == "https://okafor.example"  # GitHub keeps it without a scheme
    # Both pages, in order, the second found only through the Link header (which names the
    # user by id, as GitHub's does).
    assert pages[1] == f"/user/48213907/repos?{REPOS_QUERY}&page=2"
    assert [r.path for r in github.requests[:3]] == [f"/users/{LOGIN}", *pages]
    # Languages are read for the owner's repositories that have code, from the configured base.
    assert sorted(r.route for r in github.requests[3:]) == sorted(
        languages_path(name) for name in OWN_WITH_CODE
    )


async def test_profile_links_follow_what_the_user_filled_in(github: GitHubDouble) -> None:
    user = load_fixture(f"user-{LOGIN}.json") | {
        "blog": "https://www.linkedin.com/in/mira-okafor",
        "twitter_username": "miraokafor",
        "email": None,
        "bio": None,
        "name": None,
    }
    github.add(f"/users/{LOGIN}", user)
    github.add(f"{REPOS}?{REPOS_QUERY}&page=1", [])

    result = await run(github)

    basics = result.profile.basics
    assert basics.links.linkedin == "https://www.linkedin.com/in/mira-okafor"
    assert basics.links.website is None
    assert basics.links.other == ["https://x.com/miraokafor"]
    assert (basics.name, basics.email, basics.headline, result.profile.summary) == (None,) * 4
    assert result.profile.projects == result.profile.skills == []
    assert result.text.splitlines()[0] == "GitHub: mira-okafor"


async def test_projects_are_own_repositories_by_stars_then_recency(github: GitHubDouble) -> None:
    script_mira(github)

    projects = (await run(github)).profile.projects

    assert [p.name for p in projects] == [
        "tidewater",
        "kube-tide-operator",
        "tide-charts",
        "pelican-theme-quill",
        "notebook-harmonics",
        "dotfiles",
        "harbor-infra",
        "advent-of-code-2025",
        "scratch",
    ]
    tidewater = projects[0]
    assert tidewater.url == "https://github.com/mira-okafor/tidewater"
    assert tidewater.description.startswith("FastAPI service that serves tide predictions")
    assert tidewater.bullets[:2] == [
        "★ 42 · 7 forks · pushed 2026-11",
        # Dockerfile (0.6%) and Mako (0.3%) are below 1% of the repository's code.
        "Languages: Python 98%, Shell 2%",
    ]
    assert "Topics: docker, fastapi, oceanography, postgresql, python" in tidewater.bullets
    assert "Homepage: https://tidewater.okafor.example" in tidewater.bullets
    assert {"python", "docker", "fastapi", "postgresql", "shell-scripting"} <= set(tidewater.skills)
    assert (tidewater.start.year, tidewater.start.month) == (2024, 2)
    assert tidewater.end.raw == "2026-11"
    pelican = projects[3]
    assert pelican.bullets[0] == "★ 8 · 3 forks · pushed 2023-04 · archived"
    assert "jinja2" not in pelican.skills  # an unknown topic is not a skill
    assert projects[-1].skills == []  # the empty repository


async def test_projects_are_capped(github: GitHubDouble, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("careergini.profile.github.result.MAX_PROJECTS", 3)
    script_mira(github)

    result = await run(github)

    assert [p.name for p in result.profile.projects] == [
        "tidewater",
        "kube-tide-operator",
        "tide-charts",
    ]
    # A repository past the cap still counts as evidence, without a project to point at.
    go = skill(result, "go")
    assert go.evidence[0].surface.startswith("Go: 2 repos")
    assert [e.project_index for e in go.evidence[1:]] == [1]


# --- skills and their evidence -------------------------------------------------------------------


async def test_evidence_sentence_counts_repos_recency_and_share_of_code(
    github: GitHubDouble,
) -> None:
    script_mira(github)

    result = await run(github)

    go = skill(result, "go")
    assert (go.name, go.category) == ("Go", "language")
    summary = go.evidence[0]
    # 126,333 bytes of Go out of 497,658 counted (notebooks' stored outputs are left out).
    assert summary.surface == "Go: 2 repos, most recent 2026-10, 25% of code"
    assert summary.section == "github"
    assert summary.project_index is None
    assert result.text.splitlines()[summary.line - 1] == summary.surface
    projects = result.profile.projects
    by_project = {projects[e.project_index].name: e.surface for e in go.evidence[1:]}
    assert by_project == {"kube-tide-operator": "Go 93%", "advent-of-code-2025": "Go 100%"}

    python = skill(result, "python")
    assert python.evidence[0].surface == "Python: 2 repos, most recent 2026-11, 39% of code"
    # A topic alone is evidence; a skill with no bytes says so by leaving the share out.
    fastapi = skill(result, "fastapi")
    assert fastapi.evidence[0].surface == "FastAPI: 1 repo, most recent 2026-11"
    assert fastapi.evidence[1].surface == "fastapi"
    assert projects[fastapi.evidence[1].project_index].name == "tidewater"


async def test_github_language_names_map_to_taxonomy_skills(github: GitHubDouble) -> None:
    script_mira(github)

    result = await run(github)

    ids = {s.skill_id for s in result.profile.skills}
    assert {"terraform", "docker", "shell-scripting", "jupyter", "typescript", "react"} <= ids
    # HCL is Terraform's language; its evidence points at the HCL share of harbor-infra.
    terraform = skill(result, "terraform")
    assert [e.surface for e in terraform.evidence[1:]] == ["HCL 97%"]
    # A Makefile in a repository is not a skill, and neither is a topic nobody has a skill for.
    assert "make" not in ids
    assert all(s.skill_id for s in result.profile.skills)


async def test_a_skill_named_in_a_description_is_evidence(github: GitHubDouble) -> None:
    script_mira(github)
    page2 = load_fixture(f"repos-{LOGIN}-page2.json")
    advent = next(repo for repo in page2 if repo["name"] == "advent-of-code-2025")
    advent["description"] = "Solutions to Advent of Code 2025, with inputs cached in Redis"
    github.add(f"/user/48213907/repos?{REPOS_QUERY}&page=2", page2)

    result = await run(github)

    redis = skill(result, "redis")
    assert redis.evidence[0].surface == "Redis: 1 repo, most recent 2025-12"
    mention = redis.evidence[1]
    assert mention.surface == "Redis"
    assert result.profile.projects[mention.project_index].name == "advent-of-code-2025"
    line = result.text.splitlines()[mention.line - 1]
    assert line.startswith("advent-of-code-2025: Solutions")
    assert line[mention.start : mention.end] == "Redis"


async def test_languages_below_one_percent_are_not_evidence(github: GitHubDouble) -> None:
    script_mira(github)

    result = await run(github)

    # JavaScript is 0.7% of tide-charts and 0.6% of pelican-theme-quill: trivial everywhere.
    assert skill(result, "javascript") is None
    # Docker's Dockerfile in tidewater is 0.6%, so only kube-tide-operator's Dockerfile and
    # tidewater's "docker" topic count.
    docker = skill(result, "docker")
    assert [e.surface for e in docker.evidence[1:]] == ["docker", "Dockerfile 1%"]


async def test_forks_are_listed_but_never_evidence(github: GitHubDouble) -> None:
    script_mira(github)

    result = await run(github)

    # rustlings (a fork) is the only Rust; django (a fork) would have been a third Python repo.
    assert skill(result, "rust") is None
    assert skill(result, "python").evidence[0].surface.startswith("Python: 2 repos,")
    assert {"rustlings", "django"}.isdisjoint(p.name for p in result.profile.projects)
    assert github.seen(languages_path("rustlings")) == []
    assert github.seen(languages_path("django")) == []
    assert "9 own public repositories and 2 forks, not counted as evidence" in result.text


async def test_every_evidence_points_at_its_surface_in_the_text(github: GitHubDouble) -> None:
    script_mira(github)

    result = await run(github)

    lines = result.text.splitlines()
    assert result.profile.skills
    for found in result.profile.skills:
        for evidence in found.evidence:
            assert lines[evidence.line - 1][evidence.start : evidence.end] == evidence.surface
            if evidence.project_index is not None:
                project = result.profile.projects[evidence.project_index]
                assert found.skill_id in project.skills


# --- requests ------------------------------------------------------------------------------------


async def test_token_is_sent_as_bearer_with_github_headers(github: GitHubDouble) -> None:
    script_mira(github)

    await run(github, token="ghp_example0123456789")

    assert len(github.requests) == 11
    for request in github.requests:
        assert request.headers["authorization"] == "Bearer ghp_example0123456789"
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
        assert request.headers["user-agent"] == "CareerGini-tests"


async def test_no_authorization_header_without_a_token(github: GitHubDouble) -> None:
    script_mira(github)

    await run(github)

    assert github.requests
    assert all("authorization" not in request.headers for request in github.requests)
    assert all(r.headers["x-github-api-version"] == "2022-11-28" for r in github.requests)


async def test_max_repos_stops_paging_and_says_so(github: GitHubDouble) -> None:
    script_mira(github)

    result = await run(github, max_repos=4)

    assert len(github.requests) == 1 + 1 + 3  # three own repositories with code
    assert [p.name for p in result.profile.projects] == [
        "tidewater",
        "kube-tide-operator",
        "dotfiles",
    ]
    assert result.warnings == [
        "Read the 4 most recently pushed repositories of mira-okafor; older ones were left out."
    ]


async def test_next_page_on_another_host_is_not_followed(github: GitHubDouble) -> None:
    script_mira(github)
    page1 = load_fixture(f"repos-{LOGIN}-page1.json")
    github.add(
        f"{REPOS}?{REPOS_QUERY}&page=1",
        page1,
        headers={"Link": '<https://evil.example/users/mira-okafor/repos?page=2>; rel="next"'},
    )

    result = await run(github, token="ghp_example0123456789")

    assert len(github.seen(REPOS)) == 1
    assert len(result.profile.projects) == 5
    assert any("another address" in warning for warning in result.warnings)


async def test_anonymous_imports_read_few_languages(
    github: GitHubDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("careergini.profile.github.repositories.ANONYMOUS_LANGUAGE_LOOKUPS", 3)
    script_mira(github)

    result = await run(github)

    assert len(github.requests) == 3 + 3
    assert any(TOKEN_SETTING in warning for warning in result.warnings)
    # Past the budget a repository still counts its main language, without a share.
    notebook = next(p for p in result.profile.projects if p.name == "notebook-harmonics")
    assert "Language: Jupyter Notebook" in notebook.bullets
    assert "jupyter" in notebook.skills

    with_token = await run(github, token="ghp_example0123456789")
    assert not any(TOKEN_SETTING in warning for warning in with_token.warnings)


# --- failures ------------------------------------------------------------------------------------


async def test_unknown_user_is_not_found(github: GitHubDouble) -> None:
    github.add(f"/users/{LOGIN}", load_fixture("error-not-found.json"), status=404)

    with pytest.raises(NotFound) as caught:
        await run(github)

    assert caught.value.detail == "No GitHub user named mira-okafor."
    assert caught.value.status_code == 404


async def test_rejected_token_is_unavailable_and_names_the_setting(github: GitHubDouble) -> None:
    github.add(
        f"/users/{LOGIN}",
        {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
        status=401,
    )

    with pytest.raises(Unavailable) as caught:
        await run(github, token="ghp_revoked")

    assert "Bad credentials" in caught.value.detail
    assert TOKEN_SETTING in caught.value.detail
    assert "ghp_revoked" not in caught.value.detail


async def test_organization_is_not_a_person(github: GitHubDouble) -> None:
    github.add(f"/users/{LOGIN}", load_fixture(f"user-{LOGIN}.json") | {"type": "Organization"})

    with pytest.raises(InvalidInput, match="organization"):
        await run(github)

    assert len(github.requests) == 1


async def test_rate_limit_403_with_reset_is_too_many_requests(github: GitHubDouble) -> None:
    github.rate_limited(f"/users/{LOGIN}", reset=int(NOW.timestamp()) + 1800)

    with pytest.raises(TooManyRequests) as caught:
        await run(github)

    error = caught.value
    assert error.status_code == 429
    assert error.extra["retry_after"] == 1800
    assert error.headers["Retry-After"] == "1800"
    assert "GitHub's API rate limit was hit" in error.detail
    assert "resets at 12:30 UTC (in 30 minutes)" in error.detail
    assert TOKEN_SETTING in error.detail
    assert len(github.requests) == 1


async def test_rate_limit_with_a_token_does_not_suggest_setting_one(github: GitHubDouble) -> None:
    github.rate_limited(f"/users/{LOGIN}", reset=int(NOW.timestamp()) + 600)

    with pytest.raises(TooManyRequests) as caught:
        await run(github, token="ghp_example0123456789")

    assert "has used up its own limit" in caught.value.detail
    assert "ghp_example0123456789" not in caught.value.detail


async def test_secondary_rate_limit_429_uses_retry_after(github: GitHubDouble) -> None:
    github.add(
        f"/users/{LOGIN}",
        {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."},
        status=429,
        headers={"Retry-After": "60"},
    )

    with pytest.raises(TooManyRequests) as caught:
        await run(github)

    assert caught.value.extra["retry_after"] == 60


async def test_forbidden_without_rate_limit_is_unavailable(github: GitHubDouble) -> None:
    github.add(f"/users/{LOGIN}", {"message": "Forbidden"}, status=403)

    with pytest.raises(Unavailable, match=r"HTTP 403: Forbidden"):
        await run(github)


async def test_server_error_is_unavailable(github: GitHubDouble) -> None:
    github.add(f"/users/{LOGIN}", load_fixture("error-server.json"), status=500)

    with pytest.raises(Unavailable) as caught:
        await run(github)

    assert caught.value.status_code == 503
    assert caught.value.detail.startswith("GitHub did not answer")
    assert "HTTP 500" in caught.value.detail


async def test_repository_list_server_error_is_unavailable(github: GitHubDouble) -> None:
    pages = script_mira(github)
    github.add(pages[1], load_fixture("error-server.json"), status=502)

    with pytest.raises(Unavailable, match="GitHub did not answer"):
        await run(github)


@pytest.mark.parametrize(
    "raw",
    [b'{"login": "mira-okafor", "html_url": ', b"<html>Unicorn!</html>", b'["a list"]'],
    ids=["truncated", "html", "wrong-shape"],
)
async def test_malformed_json_is_unavailable(github: GitHubDouble, raw: bytes) -> None:
    github.add(f"/users/{LOGIN}", raw=raw)

    with pytest.raises(Unavailable, match="GitHub did not answer"):
        await run(github)


async def test_malformed_repository_page_is_unavailable(github: GitHubDouble) -> None:
    script_mira(github)
    github.add(f"{REPOS}?{REPOS_QUERY}&page=1", raw=b'[{"name": "tidewater"')

    with pytest.raises(Unavailable, match="GitHub did not answer"):
        await run(github)


async def test_timeout_is_unavailable(github: GitHubDouble) -> None:
    github.add(f"/users/{LOGIN}", load_fixture(f"user-{LOGIN}.json"), delay=1.0)

    with pytest.raises(Unavailable, match="did not answer in time"):
        await run(github, timeout=0.2)


async def test_failed_languages_call_is_a_warning_and_the_rest_is_kept(
    github: GitHubDouble,
) -> None:
    script_mira(github)
    github.add(languages_path("kube-tide-operator"), load_fixture("error-server.json"), status=500)

    result = await run(github)

    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert "languages of kube-tide-operator" in warning
    assert "HTTP 500" in warning
    assert "main language, Go" in warning
    names = [p.name for p in result.profile.projects]
    assert len(names) == 9
    kube = result.profile.projects[names.index("kube-tide-operator")]
    assert "Language: Go" in kube.bullets
    assert "go" in kube.skills
    assert skill(result, "python").evidence[0].surface.startswith("Python: 2 repos")
    assert skill(result, "go").evidence[0].surface.startswith("Go: 2 repos")


async def test_rate_limit_while_reading_languages_keeps_what_was_read(
    github: GitHubDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("careergini.profile.github.repositories.LANGUAGE_CONCURRENCY", 1)
    script_mira(github)
    github.rate_limited(languages_path("dotfiles"), reset=int(NOW.timestamp()) + 900)

    result = await run(github)

    # Reading stops at the first refusal: no request is wasted on the rest.
    assert github.requests[-1].route == languages_path("dotfiles")
    assert len(result.profile.projects) == 9
    assert len(result.warnings) == 1
    assert "rate limit was hit" in result.warnings[0]
    assert "6 repositories count only their main language" in result.warnings[0]


# --- usernames -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    ["", "   ", "-mira", "mira-", "mira--okafor", "m" * 40, "mira okafor", "mira_okafor", "../x"],
)
async def test_invalid_username_is_refused_before_any_request(
    github: GitHubDouble, username: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await run(github, username=username)

    assert "not a valid GitHub username" in caught.value.detail
    assert github.requests == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mira-okafor", "mira-okafor"),
        ("  @mira-okafor ", "mira-okafor"),
        ("https://github.com/mira-okafor", "mira-okafor"),
        ("github.com/mira-okafor/", "mira-okafor"),
        ("https://www.github.com/mira-okafor?tab=repositories", "mira-okafor"),
        ("a", "a"),
        ("m" * 39, "m" * 39),
    ],
)
def test_username_forms_are_normalized(value: str, expected: str) -> None:
    assert normalize_username(value) == expected
