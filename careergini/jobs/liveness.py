"""Liveness: are the postings a user saved or applied to still open?

Ghost jobs are common, so the postings the tracker follows (applications that are saved,
applied or interviewing) are fetched again:

- a posting listed by a board, feed or career page is looked up in that source's listing, read
  once per source: a complete listing without it, or a board that is gone (HTTP 404), closes it,
  and a source that cannot be read now leaves it as it is;
- a posting without such a source (pasted, uploaded, added by URL) is checked at its own URL: an
  HTTP 404 or 410, a JSON-LD JobPosting whose ``validThrough`` has passed, or a page that says the
  job is no longer open closes it.

Anything else (a timeout, a 5xx, a partial listing) leaves the posting as it is: a check that
could not decide never closes a job. A closed posting is reopened by a later refresh that lists
it again.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import session_scope, utcnow
from careergini.core.logging import get_logger
from careergini.jobs.fetch import FetchError
from careergini.jobs.models import JobApplication, JobPosting, JobPostingLink, JobSource
from careergini.jobs.runtime import runtime_of
from careergini.jobs.sources import FETCHED_KINDS, jsonld
from careergini.jobs.sources.base import SourceContext, SourceError
from careergini.jobs.sources.text import html_to_text
from careergini.runtime.resources import Resources
from careergini.tasks import service as tasks_service
from careergini.tasks.schemas import TaskPublic, TaskResultRef

log = get_logger(__name__)

TRACKED_STATUSES = ("saved", "applied", "interviewing")
# What career sites say on the page of a job that has closed.
_CLOSED_WORDS = re.compile(
    r"no longer (?:accepting applications|available|open|active|accepting applicants)"
    r"|(?:position|job|role|vacancy) has (?:been filled|been closed|closed|expired)"
    r"|(?:job|posting|position|vacancy) (?:is )?(?:closed|expired)\b"
    r"|applications (?:are|have) (?:now )?closed",
    re.I,
)
OPEN, CLOSED, UNKNOWN = "open", "closed", "unknown"


@dataclass(slots=True)
class LivenessReport:
    """What one check found: postings checked, closed now (id -> why), and undecided."""

    checked: int = 0
    closed: dict[str, str] = field(default_factory=dict)
    unknown: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "closed": len(self.closed), "unknown": self.unknown}


@dataclass(slots=True)
class _Tracked:
    id: uuid.UUID
    url: str | None
    # (source id, external id) of the links that list it
    links: list[tuple[uuid.UUID, str]] = field(default_factory=list)


def page_verdict(status: int, html: str) -> tuple[str, str]:
    """Say whether a job page answered with ``status`` and ``html`` is open, closed or unknown."""
    if status in (404, 410):
        return CLOSED, f"its page answers HTTP {status}"
    if status >= 400:
        return UNKNOWN, f"its page answered HTTP {status}"
    blocks, _ = jsonld.extract_blocks(html)
    documents, _ = jsonld.load_blocks(blocks)
    nodes = [node for document in documents for node in jsonld.find_postings(document)]
    if nodes:
        now = utcnow()
        live = [
            jsonld.posting_from_jsonld(node, page_url="https://x.invalid/", company=None, now=now)
            for node in nodes
        ]
        if all(posting is None for posting in live):
            return CLOSED, "its page says the posting has expired (validThrough)"
        return OPEN, "its page still carries the posting"
    text = html_to_text(html, skip_navigation=True)
    found = _CLOSED_WORDS.search(text)
    if found:
        return CLOSED, f'its page says "{found.group(0)}"'
    return OPEN, "its page is still there"


async def _tracked(resources: Resources, owner_id: uuid.UUID) -> list[_Tracked]:
    async with session_scope(resources.sessionmaker) as session:
        followed = select(JobApplication.job_id).where(
            JobApplication.owner_id == owner_id,
            col(JobApplication.status).in_(TRACKED_STATUSES),
            col(JobApplication.job_id).is_not(None),
        )
        rows = (
            await session.exec(
                select(JobPosting.id, JobPosting.url).where(
                    JobPosting.owner_id == owner_id,
                    JobPosting.status == "open",
                    col(JobPosting.id).in_(followed),
                )
            )
        ).all()
        tracked = {posting_id: _Tracked(posting_id, url) for posting_id, url in rows}
        if tracked:
            links = (
                await session.exec(
                    select(
                        JobPostingLink.posting_id,
                        JobPostingLink.source_id,
                        JobPostingLink.external_id,
                    ).where(
                        col(JobPostingLink.posting_id).in_(list(tracked)),
                        col(JobPostingLink.active).is_(True),
                    )
                )
            ).all()
            for posting_id, source_id, external_id in links:
                tracked[posting_id].links.append((source_id, external_id))
    return list(tracked.values())


async def _listing_ids(
    resources: Resources, ctx: SourceContext, source_ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, set[str]]]:
    """Read each fetched source's listing once: source -> (verdict, ids it lists)."""
    async with session_scope(resources.sessionmaker) as session:
        sources = (
            await session.exec(select(JobSource).where(col(JobSource.id).in_(list(source_ids))))
        ).all()
    found: dict[uuid.UUID, tuple[str, set[str]]] = {}
    for source in sources:
        module = FETCHED_KINDS.get(source.kind)
        if module is None:
            continue  # an upload: nothing to fetch again
        try:
            listing = await module.fetch(
                ctx, identifier=source.identifier, name=source.name, options=source.options
            )
        except SourceError as exc:
            verdict = CLOSED if exc.permanent else UNKNOWN
            found[source.id] = (verdict, set())
            log.info("jobs.liveness.source_failed", kind=source.kind, permanent=exc.permanent)
            continue
        if not listing.complete:
            found[source.id] = (UNKNOWN, set())
            continue
        ids = {p.external_id for p in listing.postings} | listing.unreadable_ids
        found[source.id] = (OPEN, ids)
    return found


async def _check_url(ctx: SourceContext, url: str) -> tuple[str, str]:
    try:
        response = await ctx.fetcher.get(url, user_url=True, retries=1)
    except FetchError as exc:
        return UNKNOWN, exc.detail
    return page_verdict(response.status, response.text if response.status < 400 else "")


def _by_listings(
    posting: _Tracked, listings: dict[uuid.UUID, tuple[str, set[str]]]
) -> tuple[str, str] | None:
    verdicts = []
    for source_id, external_id in posting.links:
        if source_id not in listings:
            continue
        state, ids = listings[source_id]
        if state == OPEN:
            verdicts.append(OPEN if external_id in ids else CLOSED)
        else:
            verdicts.append(state)
    if not verdicts:
        return None
    if OPEN in verdicts:
        return OPEN, "its source still lists it"
    if all(v == CLOSED for v in verdicts):
        return CLOSED, "its source no longer lists it"
    return UNKNOWN, "its source could not be read"


async def check_tracked(*, resources: Resources, owner_id: uuid.UUID) -> LivenessReport:
    """Fetch the user's saved and applied-to open postings again; close those no longer open."""
    tracked = await _tracked(resources, owner_id)
    report = LivenessReport(checked=len(tracked))
    if not tracked:
        return report
    ctx = runtime_of(resources).context
    listings = await _listing_ids(
        resources, ctx, {source for posting in tracked for source, _ in posting.links}
    )
    closing: dict[uuid.UUID, str] = {}
    for posting in tracked:
        # A posting a source lists is judged by that source (an unreadable source leaves it
        # as it is); only one no source lists is checked at its own address.
        verdict = _by_listings(posting, listings)
        if verdict is None:
            if posting.url:
                verdict = await _check_url(ctx, posting.url)
            else:
                verdict = (UNKNOWN, "it has no source or address to check")
        state, why = verdict
        if state == CLOSED:
            closing[posting.id] = why
        elif state == UNKNOWN:
            report.unknown += 1
    if closing:
        now = utcnow()
        async with session_scope(resources.sessionmaker) as session:
            await session.exec(
                update(JobPostingLink)
                .where(col(JobPostingLink.posting_id).in_(list(closing)))
                .values(active=False)
            )
            await session.exec(
                update(JobPosting)
                .where(col(JobPosting.id).in_(list(closing)), col(JobPosting.status) == "open")
                .values(status="closed", closed_at=now, updated_at=now)
            )
    report.closed = {str(posting_id): why for posting_id, why in closing.items()}
    log.info("jobs.liveness.checked", **report.as_dict())
    return report


LIVENESS_KIND = "jobs.liveness"


async def run_liveness(ctx: tasks_service.TaskContext) -> None:
    """The task: check the user's tracked postings, the counts as its last progress stage."""
    await ctx.progress("fetching the postings again", force=True)
    report = await check_tracked(resources=ctx.resources, owner_id=ctx.owner_id)
    stage = f"{report.checked} checked, {len(report.closed)} closed, {report.unknown} undecided"
    await ctx.progress(stage, percent=100, force=True)


async def submit_check(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID
) -> TaskPublic:
    """Queue a check of the user's saved and applied-to postings."""
    return await tasks_service.submit(
        session=session,
        resources=resources,
        owner_id=owner_id,
        kind=LIVENESS_KIND,
        payload={},
        result=TaskResultRef(kind="applications", id=str(owner_id), url="/api/applications"),
    )


tasks_service.register(LIVENESS_KIND, run_liveness)
