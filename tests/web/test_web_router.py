"""Serving the SPA: index.html for the app's pages, versioned assets with long caching, gzip,
conditional requests, and the API's routes and 404s left as they were."""

from __future__ import annotations

import gzip
import re

import httpx

from careergini.web.router import IMMUTABLE, SPA_SECTIONS, STATIC_DIR, load_bundle

FIRST_LOAD_BUDGET = 300 * 1024  # compressed bytes, the target


def asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/assets/[^"]+)"', html)


async def test_pages_serve_the_app_shell(client: httpx.AsyncClient) -> None:
    for path in [
        "/",
        "/login",
        "/profile",
        "/jobs/board",
        "/coach/0a1b",
        "/analyse/x?ats=y",
        "/tasks",
        "/goodbye",
    ]:
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
        assert '<div id="app">' in response.text
    assert len(SPA_SECTIONS) == len(set(SPA_SECTIONS))


async def test_the_shell_keeps_the_content_security_policy(client: httpx.AsyncClient) -> None:
    response = await client.get("/profile")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1]
    # No inline script and nothing from another origin: every script has a same-origin src.
    scripts = re.findall(r"<script([^>]*)>", response.text)
    assert scripts and all('src="/assets/' in attrs for attrs in scripts)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', response.text)


async def test_assets_are_versioned_cached_and_compressed(client: httpx.AsyncClient) -> None:
    shell = await client.get("/")
    urls = asset_urls(shell.text)
    version = load_bundle().version
    assert urls and all(url.startswith(f"/assets/{version}/") for url in urls)

    main = next(url for url in urls if url.endswith("/app/main.js"))
    plain = await client.get(main, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("text/javascript")
    assert plain.headers["cache-control"] == IMMUTABLE
    assert "content-encoding" not in plain.headers
    assert plain.content == (STATIC_DIR / "app" / "main.js").read_bytes()

    # httpx would decode gzip for us: read the raw bytes to see what went over the wire.
    async with client.stream("GET", main, headers={"Accept-Encoding": "gzip"}) as zipped:
        raw = b"".join([chunk async for chunk in zipped.aiter_raw()])
        assert zipped.headers["content-encoding"] == "gzip"
        assert "accept-encoding" in zipped.headers["vary"].lower()
    assert gzip.decompress(raw) == plain.content
    assert len(raw) < len(plain.content) / 2

    again = await client.get(main, headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


async def test_an_old_release_url_is_served_but_not_cached(client: httpx.AsyncClient) -> None:
    response = await client.get("/assets/000000000000/app/main.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


async def test_unknown_assets_and_api_paths_are_json_404s(client: httpx.AsyncClient) -> None:
    missing = await client.get(f"/assets/{load_bundle().version}/app/nope.js")
    assert missing.status_code == 404
    assert missing.json()["error"] == "NotFound"
    assert (await client.get("/assets/x/../../router.py")).status_code == 404
    # The SPA answers only its own pages: the API's 404 and 405 are untouched.
    api = await client.get("/api/does-not-exist")
    assert api.status_code == 404 and api.json()["error"] == "NotFound"
    assert (await client.post("/api/does-not-exist")).status_code == 404
    assert (await client.get("/not-a-page")).status_code == 404
    assert (await client.post("/profile")).status_code == 405
    assert (await client.get("/api/health")).json()["status"] == "ok"


def test_every_module_import_resolves() -> None:
    files = load_bundle().files
    specifier = re.compile(r"""(?:from\s*|import\s*\(\s*)["'](\.{1,2}/[^"']+)["']""")
    checked = 0
    for name, asset in files.items():
        if not name.endswith(".js"):
            continue
        base = name.rsplit("/", 1)[0]
        for target in specifier.findall(asset.body.decode()):
            parts = base.split("/")
            for piece in target.split("/"):
                if piece == "..":
                    parts.pop()
                elif piece != ".":
                    parts.append(piece)
            assert "/".join(parts) in files, f"{name} imports {target}, which does not exist"
            checked += 1
    assert checked > 10


def test_the_whole_app_fits_the_first_load_budget() -> None:
    bundle = load_bundle()
    compressed = sum(len(a.gzipped or a.body) for a in bundle.files.values())
    compressed += len(bundle.index.gzipped or bundle.index.body)
    # Even every screen at once (the first load fetches far less) is within the budget.
    assert compressed < FIRST_LOAD_BUDGET, compressed
    licences = {name for name in bundle.files if name.startswith("vendor/LICENSE")}
    assert licences == {"vendor/LICENSE-preact.txt", "vendor/LICENSE-htm.txt"}
