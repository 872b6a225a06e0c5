"""GitHub's REST API v3: GET JSON, every failure turned into the product's errors, and the
payloads read into models holding only the fields the import uses."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from careergini.core.errors import NotFound, TooManyRequests, Unavailable

API_VERSION = "2022-11-28"
TOKEN_SETTING = "CAREERGINI_GITHUB_TOKEN"


# --- GitHub's payloads: only the fields used, the rest ignored ---------------------------------


class Payload(BaseModel):
    model_config = ConfigDict(extra="ignore")


_P = TypeVar("_P", bound=Payload)


class User(Payload):
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


class Repo(Payload):
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


def parse_payload(model: type[_P], body: Any, *, what: str) -> _P:
    """Read a JSON body into the model; a body of another shape is GitHub's failure."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise Unavailable(
            f"GitHub did not answer with readable data for {what}; try again in a minute."
        ) from exc


def one_line(value: str | None) -> str | None:
    """Return a free-text field (bio, description) on one line; None when it is empty."""
    text = " ".join((value or "").split())
    return text or None


# --- HTTP ---------------------------------------------------------------------------------------


class GitHubClient:
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
