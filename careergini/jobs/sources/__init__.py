"""Where postings come from, one module per kind of source.

Board APIs (``greenhouse``, ``lever``, ``ashby``), ``feed`` (RSS/Atom), ``page`` (career pages
with schema.org JobPosting JSON-LD, rendered by Chromium when they need JavaScript), ``upload``
(CSV/JSON files) and ``paste`` (one posting's text or URL).
"""

from __future__ import annotations

from types import ModuleType

from careergini.jobs.sources import ashby, feed, greenhouse, lever, page

FETCHED_KINDS: dict[str, ModuleType] = {
    greenhouse.KIND: greenhouse,
    lever.KIND: lever,
    ashby.KIND: ashby,
    feed.KIND: feed,
    page.KIND: page,
}
UPLOAD_KIND = "upload"
MANUAL_KIND = "manual"
KINDS = (*FETCHED_KINDS, UPLOAD_KIND)


def module_for(kind: str) -> ModuleType:
    """Return the source module of a fetched kind (KeyError for others)."""
    return FETCHED_KINDS[kind]
