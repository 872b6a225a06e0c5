"""Where postings come from, one module per kind of source.

Board APIs of applicant-tracking systems (``greenhouse``, ``lever``, ``ashby``, ``workable``,
``smartrecruiters``, ``recruitee``, ``personio``, ``teamtailor``, ``bamboohr``, ``workday``),
``feed`` (RSS/Atom), ``page`` (career pages with schema.org JobPosting JSON-LD, rendered by
Chromium when they need JavaScript), ``upload`` (CSV/JSON files) and ``paste`` (one posting's
text or URL).
"""

from __future__ import annotations

from types import ModuleType

from careergini.jobs.sources import (
    ashby,
    bamboohr,
    feed,
    greenhouse,
    lever,
    page,
    personio,
    recruitee,
    smartrecruiters,
    teamtailor,
    workable,
    workday,
)

FETCHED_KINDS: dict[str, ModuleType] = {
    greenhouse.KIND: greenhouse,
    lever.KIND: lever,
    ashby.KIND: ashby,
    workable.KIND: workable,
    smartrecruiters.KIND: smartrecruiters,
    recruitee.KIND: recruitee,
    personio.KIND: personio,
    teamtailor.KIND: teamtailor,
    bamboohr.KIND: bamboohr,
    workday.KIND: workday,
    feed.KIND: feed,
    page.KIND: page,
}
UPLOAD_KIND = "upload"
MANUAL_KIND = "manual"
KINDS = (*FETCHED_KINDS, UPLOAD_KIND)


def module_for(kind: str) -> ModuleType:
    """Return the source module of a fetched kind (KeyError for others)."""
    return FETCHED_KINDS[kind]
