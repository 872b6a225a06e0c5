"""Polite fetching against the job-board double: retries, backoff, per-host limits, robots.txt,
our User-Agent, and no private addresses behind user URLs."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from careergini.config import Settings
from careergini.jobs.fetch import FetchError, PoliteFetcher, PrivateAddressError, pinned_request
from careergini.runtime.resources import user_agent
from tests.doubles.jobboards import JobBoardsDouble, Reply, json_reply


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(headers={"User-Agent": user_agent()}) as http:
        yield http


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def fetcher(client: httpx.AsyncClient, **kw: object) -> tuple[PoliteFetcher, Sleeps]:
    sleeps = Sleeps()
    values: dict = {
        "client": client,
        "retries": 3,
        "backoff": 0.5,
        "max_backoff": 10.0,
        "timeout": 2.0,
        "allow_private": True,
        "sleep": sleeps,
    }
    values.update(kw)
    return PoliteFetcher(**values), sleeps


async def test_429_and_5xx_are_retried_with_backoff_and_retry_after(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    boards.add_sequence(
        "/api/jobs",
        [
            json_reply({"error": "slow down"}, status=429, headers={"Retry-After": "7"}),
            json_reply({"error": "oops"}, status=503),
            json_reply({"jobs": []}),
        ],
    )
    polite, sleeps = fetcher(client)
    response = await polite.get(f"{boards.url}/api/jobs")
    assert response.status == 200 and response.json() == {"jobs": []}
    # Retry-After is honoured first, then the exponential backoff (0.5 * 2^1).
    assert sleeps.delays == [7.0, 1.0]
    assert len(boards.seen("/api/jobs")) == 3
    assert all(r.headers["user-agent"].startswith("CareerGini/") for r in boards.requests)


async def test_a_server_that_keeps_failing_gives_up_after_the_retries(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    boards.add("/down", Reply(status=500, body=b"boom"))
    polite, sleeps = fetcher(client, retries=2)
    with pytest.raises(FetchError, match="HTTP 500 3 times") as caught:
        await polite.get(f"{boards.url}/down")
    assert caught.value.status == 500
    assert len(boards.seen("/down")) == 3 and sleeps.delays == [0.5, 1.0]


async def test_timeouts_are_retried_then_reported(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    boards.add("/slow", Reply(body=b"{}", delay=1.0))
    polite, _ = fetcher(client, retries=1, timeout=0.2)
    with pytest.raises(FetchError, match=r"did not answer within 0\.2 s"):
        await polite.get(f"{boards.url}/slow")
    assert len(boards.seen("/slow")) == 2


async def test_retry_after_is_capped(boards: JobBoardsDouble, client: httpx.AsyncClient) -> None:
    boards.add_sequence(
        "/capped",
        [Reply(status=429, headers={"Retry-After": "86400"}), json_reply({})],
    )
    polite, sleeps = fetcher(client, max_backoff=3.0)
    await polite.get(f"{boards.url}/capped")
    assert sleeps.delays == [3.0]


async def test_no_more_than_the_per_host_limit_at_once(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    boards.add("/wait", Reply(body=b"{}", delay=0.3))
    polite, _ = fetcher(client, per_host=2)
    await asyncio.gather(*(polite.get(f"{boards.url}/wait?n={n}") for n in range(6)))
    assert len(boards.seen("/wait")) == 6
    assert boards.max_in_flight == 2


async def test_robots_txt_is_obeyed_for_pages(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    polite, _ = fetcher(client)
    page = await polite.get(f"{boards.url}/careers/careers-static.html", robots=True)
    assert page.status == 200
    with pytest.raises(FetchError, match=r"robots\.txt does not allow CareerGini"):
        await polite.get(f"{boards.url}/private/careers-static.html", robots=True)
    assert boards.seen("/private/careers-static.html") == []
    assert len(boards.seen("/robots.txt")) == 1  # read once, then cached


async def test_an_unreadable_robots_txt_keeps_us_away(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    boards.add("/robots.txt", Reply(status=503, body=b""))
    polite, _ = fetcher(client, retries=0)
    assert await polite.allowed(f"{boards.url}/careers/careers-static.html") is False
    boards.add("/robots.txt", Reply(status=404, body=b""))
    fresh, _ = fetcher(client, retries=0)
    assert await fresh.allowed(f"{boards.url}/careers/careers-static.html") is True


async def test_user_urls_may_not_reach_private_addresses(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    polite, _ = fetcher(client, allow_private=False)
    with pytest.raises(FetchError, match="private or local address"):
        await polite.get(f"{boards.url}/feeds/feed-jobs.rss", user_url=True)
    assert boards.seen("/feeds/feed-jobs.rss") == []
    # A trusted install may allow them; redirects are then followed hop by hop.
    trusted, _ = fetcher(client, allow_private=True)
    boards.add("/hop", Reply(status=302, headers={"Location": "/feeds/feed-jobs.rss"}))
    followed = await trusted.get(f"{boards.url}/hop", user_url=True)
    assert followed.url.endswith("/feeds/feed-jobs.rss") and followed.status == 200


async def test_private_hosts_exempt_exactly_the_named_hosts(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    settings = Settings(_env_file=None, jobs_private_hosts=" LocalHost. , careers.internal,")
    assert settings.jobs_private_hosts == ["localhost", "careers.internal"]
    polite, _ = fetcher(client, allow_private=False, private_hosts=settings.jobs_private_hosts)
    port = urlsplit(boards.url).port
    named = f"http://localhost:{port}"
    page = await polite.get(f"{named}/feeds/feed-jobs.rss", user_url=True)
    assert page.status == 200
    assert await polite.is_public(f"{named}/careers/")
    assert await polite.is_public(f"http://LOCALHOST.:{port}/")
    # The same server under another name, or another private host, is still refused ...
    assert not await polite.is_public(f"{boards.url}/feeds/feed-jobs.rss")
    assert not await polite.is_public(f"http://[::1]:{port}/")
    with pytest.raises(PrivateAddressError, match=r"127\.0\.0\.1 is a private"):
        await polite.get(f"{boards.url}/feeds/feed-jobs.rss", user_url=True)
    # ... and so is a redirect from the named host to it, before it is asked.
    boards.add(
        "/hop", Reply(status=302, headers={"Location": f"{boards.url}/feeds/feed-jobs.atom"})
    )
    with pytest.raises(PrivateAddressError):
        await polite.get(f"{named}/hop", user_url=True)
    assert len(boards.seen("/feeds/feed-jobs.rss")) == 1
    assert boards.seen("/feeds/feed-jobs.atom") == []
    # Without the list, the named host is private like any other.
    strict, _ = fetcher(client, allow_private=False)
    assert not await strict.is_public(f"{named}/careers/")


async def test_address_checks_are_kept_for_whoever_shares_them(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    polite, _ = fetcher(client, allow_private=False, private_hosts=["localhost"])
    checked: dict[str, FetchError | None] = {}
    assert await polite.is_public("http://localhost/a", checked=checked)
    assert not await polite.is_public(f"{boards.url}/b", checked=checked)
    assert checked["localhost"] is None
    assert isinstance(checked["127.0.0.1"], PrivateAddressError)
    # A kept answer is used as it is (here: one pretending the host were public).
    checked["127.0.0.1"] = None
    assert await polite.is_public(f"{boards.url}/b", checked=checked)


async def test_a_post_redirected_with_303_is_fetched_again_with_get(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    boards.add("/apply", Reply(status=303, headers={"Location": "/done"}))
    boards.add("/done", Reply(body=b"thanks", content_type="text/plain"))
    polite, _ = fetcher(client)
    done = await polite.request(
        "POST", f"{boards.url}/apply", content=b"name=x", headers={"Content-Type": "text/plain"}
    )
    assert done.text == "thanks"
    (posted,) = boards.seen("/apply")
    (followed,) = boards.seen("/done")
    assert (posted.method, posted.body) == ("POST", b"name=x")
    assert (followed.method, followed.body) == ("GET", b"")
    assert "content-type" not in followed.headers


async def test_robots_wildcard_and_end_of_path_rules_are_honoured(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    boards.robots = (
        "User-agent: *\nDisallow: /*/apply\nDisallow: /*.pdf$\nAllow: /private/open/\n"
        "Disallow: /private/\n"
    )
    polite, _ = fetcher(client)
    base = boards.url
    assert not await polite.allowed(f"{base}/jobs/42/apply")
    assert not await polite.allowed(f"{base}/careers/eng/7/apply?src=x")
    assert not await polite.allowed(f"{base}/files/brochure.pdf")
    assert await polite.allowed(f"{base}/files/brochure.pdf?download=1")  # `$` ends the path
    assert await polite.allowed(f"{base}/files/brochure.pdfx")
    assert await polite.allowed(f"{base}/jobs/42")
    assert await polite.allowed(f"{base}/private/open/jobs.html")  # the longer rule wins
    assert not await polite.allowed(f"{base}/private/closed.html")
    with pytest.raises(FetchError, match=r"robots\.txt does not allow"):
        await polite.get(f"{base}/jobs/42/apply", robots=True)
    assert boards.seen("/jobs/42/apply") == []


async def test_robots_rules_for_our_agent_win_over_the_wildcard_group(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    boards.robots = "User-agent: *\nDisallow: /\n\nUser-agent: CareerGini\nDisallow: /*.pdf$\n"
    polite, _ = fetcher(client)
    assert await polite.allowed(f"{boards.url}/careers/list.html")
    assert not await polite.allowed(f"{boards.url}/careers/list.pdf")


PUBLIC = "93.184.215.14"


class RebindingResolver:
    """``socket.getaddrinfo`` that answers ``rebind.test`` with a public address the first time
    and with loopback afterwards (DNS rebinding); other names resolve as usual."""

    def __init__(self) -> None:
        self.real = socket.getaddrinfo
        self.asked = 0

    def __call__(self, host: Any, port: Any, *args: Any, **kw: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name != "rebind.test":
            return self.real(host, port, *args, **kw)
        self.asked += 1
        address = PUBLIC if self.asked == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port or 0)))]


class ConnectingTransport(httpx.AsyncBaseTransport):
    """A transport that resolves the request's host as a real connection would and answers as
    the address it reached: "secret" from loopback, "public" from anywhere else."""

    def __init__(self) -> None:
        self.reached: list[str] = []
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        infos = await asyncio.get_running_loop().getaddrinfo(
            request.url.host, request.url.port or 443, type=socket.SOCK_STREAM
        )
        address = infos[0][4][0]
        self.reached.append(address)
        self.requests.append(request)
        body = b"secret" if address.startswith("127.") else b"public"
        return httpx.Response(200, content=body, headers={"Content-Type": "text/plain"})


async def test_a_user_url_connects_only_to_the_address_that_passed_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolver = RebindingResolver()
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    transport = ConnectingTransport()
    async with httpx.AsyncClient(transport=transport) as http:
        polite, _ = fetcher(http, allow_private=False, retries=0)
        page = await polite.get("https://rebind.test:8443/jobs?team=eng", user_url=True)
    assert page.text == "public"
    assert transport.reached == [PUBLIC]
    assert resolver.asked == 1  # the name was resolved once, for the check
    (sent,) = transport.requests
    assert sent.url.host == PUBLIC
    assert sent.headers["host"] == "rebind.test:8443"
    assert sent.extensions["sni_hostname"] == "rebind.test"
    assert page.url == "https://rebind.test:8443/jobs?team=eng"


async def test_each_hop_of_a_user_url_is_checked_and_pinned_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolver = RebindingResolver()
    monkeypatch.setattr(socket, "getaddrinfo", resolver)

    async def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/hop":
            return httpx.Response(302, headers={"Location": "/feed"})
        return httpx.Response(200, content=b"feed")

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        polite, _ = fetcher(http, allow_private=False, retries=0)
        # The second resolution (for the redirect's hop) answers loopback: refused, not sent.
        with pytest.raises(PrivateAddressError, match=r"rebind\.test is a private"):
            await polite.get("http://rebind.test/hop", user_url=True)
    assert resolver.asked == 2


async def test_a_pinned_request_reaches_a_real_server_with_the_host_name(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    port = urlsplit(boards.url).port
    target, headers, extensions = pinned_request(
        f"http://jobs.example:{port}/feeds/feed-jobs.rss", "127.0.0.1", {"Host": "evil", "X-A": "1"}
    )
    assert target == f"http://127.0.0.1:{port}/feeds/feed-jobs.rss" and extensions == {}
    response = await client.get(target, headers=headers)
    assert response.status_code == 200
    (seen,) = boards.seen("/feeds/feed-jobs.rss")
    lowered = {k.lower(): v for k, v in seen.headers.items()}
    assert lowered["host"] == f"jobs.example:{port}" and lowered["x-a"] == "1"
    v6, _, tls = pinned_request("https://jobs.example/a", "2001:db8::1", None)
    assert v6 == "https://[2001:db8::1]/a" and tls == {"sni_hostname": "jobs.example"}


async def test_nuls_in_a_fetched_page_or_json_are_dropped(
    boards: JobBoardsDouble, client: httpx.AsyncClient
) -> None:
    boards.add("/nul.txt", Reply(body=b"Backend\x00 engineer", content_type="text/plain"))
    boards.add("/nul.json", Reply(body=b'{"title\\u0000": ["a\\u0000b"]}'))
    polite, _ = fetcher(client)
    assert (await polite.get(f"{boards.url}/nul.txt")).text == "Backend engineer"
    assert (await polite.get(f"{boards.url}/nul.json")).json() == {"title": ["ab"]}
