"""One posting added by hand: its pasted text, or the URL of its page."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from careergini.jobs.browser import RenderError
from careergini.jobs.sources import jsonld
from careergini.jobs.sources.base import RawPosting, SourceContext, SourceError
from careergini.jobs.sources.page import read_page
from careergini.jobs.sources.text import clean_line, html_to_text

KIND = "manual"
MIN_TEXT_CHARS = 200


def posting_from_text(
    text: str,
    *,
    title: str | None,
    company: str | None,
    location: str | None,
    url: str | None,
    parsed: Any,
) -> RawPosting:
    """Build a posting from pasted text and what the parser read in it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    final_title = (
        clean_line(title) or clean_line(parsed.title) or clean_line(lines[0] if lines else None)
    )
    if not final_title:
        raise SourceError("The text has no title: give one with the posting.")
    digest = hashlib.sha256(text.encode()).hexdigest()[:24]
    return RawPosting(
        external_id=f"text:{digest}",
        title=final_title,
        company=clean_line(company, limit=200) or clean_line(parsed.company, limit=200),
        location=clean_line(location) or clean_line(parsed.location),
        description=text.strip(),
        url=url,
    )


async def posting_from_url(
    ctx: SourceContext, url: str, *, render: str, now: datetime
) -> tuple[RawPosting | None, str, str | None]:
    """Read a job page: its JobPosting JSON-LD when present, else (None, visible text, title)."""
    documents, _, final_url, title, html, rendered = await read_page(ctx, url, render=render)
    for doc in documents:
        for node in jsonld.find_postings(doc):
            posting = jsonld.posting_from_jsonld(node, page_url=final_url, company=None, now=now)
            if posting is not None:
                return posting, posting.description, posting.title
    text = html_to_text(html, skip_navigation=True)
    if len(text) < MIN_TEXT_CHARS and not rendered and render != "never" and ctx.renderer:
        try:
            page = await ctx.renderer.render(final_url, wait_for_jsonld=False)
        except RenderError as exc:
            raise SourceError(exc.detail) from exc
        text = page.text.strip()
    if len(text) < MIN_TEXT_CHARS:
        raise SourceError(
            f"{url} has too little text to be a job posting; paste the posting's text instead."
        )
    return None, text, title
