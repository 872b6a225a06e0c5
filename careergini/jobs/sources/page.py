"""Career pages that carry schema.org ``JobPosting`` JSON-LD.

The page is fetched with httpx (robots.txt obeyed). When it holds no JobPosting and rendering is
allowed (``render``: ``auto``, the default, or ``always``), Chromium renders it through Playwright
for pages that build their JSON-LD with JavaScript. A page whose JSON-LD is an ``ItemList`` of job
pages has those pages read too (at most ``CAREERGINI_JOBS_MAX_LINKED_PAGES``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from careergini.core.db import utcnow
from careergini.jobs.browser import RenderError
from careergini.jobs.fetch import FetchError
from careergini.jobs.sources import jsonld
from careergini.jobs.sources.base import (
    FetchResult,
    SourceContext,
    SourceError,
    validate_http_url,
)

KIND = "page"
RENDER_MODES = ("auto", "always", "never")


def normalise_identifier(identifier: str) -> str:
    return validate_http_url(identifier)


def default_name(identifier: str) -> str:
    return urlsplit(identifier).hostname or identifier


async def read_page(
    ctx: SourceContext, url: str, *, render: str
) -> tuple[list[Any], int, str, str | None, str, bool]:
    """Return (JSON-LD documents, bad blocks, final URL, title, html, rendered) for one page."""
    html, final_url, rendered = "", url, False
    blocks: list[str] = []
    title = None
    if render != "always":
        try:
            response = await ctx.fetcher.get(url, robots=True, user_url=True)
        except FetchError as exc:
            raise SourceError(exc.detail) from exc
        if response.status == 404:
            raise SourceError(f"{url} does not exist (HTTP 404).", permanent=True)
        if response.status >= 400:
            raise SourceError(f"{url} answered HTTP {response.status}.")
        html, final_url = response.text, response.url
        blocks, title = jsonld.extract_blocks(html)
    documents, bad = jsonld.load_blocks(blocks)
    has_postings = any(jsonld.find_postings(d) for d in documents)
    if not has_postings and render != "never":
        if ctx.renderer is None:
            if render == "always":
                raise SourceError("Rendering pages with JavaScript is turned off on this server.")
        else:
            if render == "always":
                # robots.txt and the address check were not done by a plain fetch: do them now.
                try:
                    await ctx.fetcher.check_public(url)
                    if not await ctx.fetcher.allowed(url):
                        raise SourceError(
                            f"robots.txt of {urlsplit(url).hostname} disallows {url}."
                        )
                except FetchError as exc:
                    raise SourceError(exc.detail) from exc
            try:
                page = await ctx.renderer.render(final_url)
            except RenderError as exc:
                raise SourceError(exc.detail) from exc
            rendered = True
            html, final_url = page.html, page.url
            documents, bad = jsonld.load_blocks(page.jsonld)
            _, title = jsonld.extract_blocks(html)
    return documents, bad, final_url, title, html, rendered


async def fetch(
    ctx: SourceContext, *, identifier: str, name: str | None, options: dict[str, Any]
) -> FetchResult:
    render = str(options.get("render") or "auto")
    documents, bad, final_url, _, _, rendered = await read_page(ctx, identifier, render=render)
    now = utcnow()
    result = FetchResult()
    nodes = [node for doc in documents for node in jsonld.find_postings(doc)]
    if not nodes:
        linked = [
            url for doc in documents for url in jsonld.find_listed_urls(doc, base_url=final_url)
        ]
        limit = ctx.settings.jobs_max_linked_pages
        if len(linked) > limit:
            result.warnings.append(
                f"Only the first {limit} of {len(linked)} listed job pages were read."
            )
            result.complete = False
        for url in linked[:limit]:
            try:
                sub_docs, sub_bad, sub_url, _, _, _ = await read_page(
                    ctx, url, render="never" if render == "auto" else render
                )
            except SourceError as exc:
                result.skip_unreadable(url)
                result.warnings.append(exc.detail)
                continue
            bad += sub_bad
            for doc in sub_docs:
                for node in jsonld.find_postings(doc):
                    posting = jsonld.posting_from_jsonld(
                        node, page_url=sub_url, company=name, now=now
                    )
                    if posting is not None:
                        result.postings.append(posting)
        if not linked:
            how = "the page, rendered with JavaScript" if rendered else "the page's HTML"
            detail = f"No schema.org JobPosting found in {how} at {identifier}."
            if bad:
                detail += f" {bad} JSON-LD block(s) were not valid JSON."
            raise SourceError(detail + " Add the company's job board or feed instead.")
    for node in nodes:
        posting = jsonld.posting_from_jsonld(node, page_url=final_url, company=name, now=now)
        if posting is None:
            continue
        result.postings.append(posting)
    if bad:
        result.failed += bad
        result.complete = False  # an unreadable block may hold postings we must not close
        result.warnings.append(f"{bad} JSON-LD block(s) were not valid JSON.")
    return result
