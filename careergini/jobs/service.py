"""The jobs domain's API: sources and their refreshes, postings (uploaded, pasted, fetched),
hybrid search, recommendations with reasons and gaps, and the application tracker.

Ownership is per user: a user's sources, the postings they bring and the applications are that
user's alone; anyone else's is a 404.

The work lives in one module per sub-domain (``sources_service``, ``postings_service``,
``search_service``, ``recommendations_service``, ``applications_service``); this module is what
the router and other packages call.
"""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.jobs.applications_service import (
    closed_tracked as closed_tracked,
    create_application as create_application,
    delete_application as delete_application,
    export_applications_csv as export_applications_csv,
    follow_ups_due as follow_ups_due,
    get_application as get_application,
    import_applications_csv as import_applications_csv,
    interview_calendar as interview_calendar,
    list_applications as list_applications,
    update_application as update_application,
)
from careergini.jobs.fetch import (
    FetchError as FetchError,
    PoliteFetcher as PoliteFetcher,
)
from careergini.jobs.liveness import (
    LivenessReport as LivenessReport,
    check_tracked as check_tracked,
    submit_check as submit_check,
)
from careergini.jobs.loading import (
    profile_context as profile_context,
)
from careergini.jobs.matching import (
    ProfileContext as ProfileContext,
    requirements_of as requirements_of,
)
from careergini.jobs.models import JobApplication, JobPosting
from careergini.jobs.pipeline import (
    move_shared_collection as move_shared_collection,
    reindex_vectors as reindex_vectors,
)
from careergini.jobs.postings_service import (
    add_posting as add_posting,
    delete_job as delete_job,
    get_job as get_job,
    owned_posting as owned_posting,
)
from careergini.jobs.recommendations_service import (
    new_matches as new_matches,
    recommend as recommend,
)
from careergini.jobs.search import Filters as Filters
from careergini.jobs.search_service import (
    build_filters as build_filters,
    postings_mentioned as postings_mentioned,
    search_jobs as search_jobs,
)
from careergini.jobs.sources_service import (
    create_source as create_source,
    create_upload_source as create_upload_source,
    delete_source as delete_source,
    get_source as get_source,
    list_sources as list_sources,
    request_refresh as request_refresh,
    source_health as source_health,
)


class JobsExport(TypedDict):
    """The jobs part of the account export (JSON objects)."""

    sources: list[dict[str, Any]]
    postings: list[dict[str, Any]]
    applications: list[dict[str, Any]]


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> JobsExport:
    """Return the user's sources, postings and applications for the account export."""
    sources = await list_sources(session=session, owner_id=owner_id)
    postings = (
        await session.exec(
            select(JobPosting)
            .where(JobPosting.owner_id == owner_id)
            .order_by(col(JobPosting.first_seen_at))
        )
    ).all()
    applications = await list_applications(session=session, owner_id=owner_id, status=None)
    return {
        "sources": [s.model_dump(mode="json") for s in sources],
        "postings": [
            p.model_dump(mode="json", exclude={"embedding", "parsed", "owner_id"}) for p in postings
        ],
        "applications": [a.model_dump(mode="json") for a in applications],
    }


async def owners_with_jobs(session: AsyncSession) -> list[uuid.UUID]:
    """Return every user who has job postings or applications."""
    postings = select(JobPosting.owner_id).distinct()
    applications = select(JobApplication.owner_id).distinct()
    found = set((await session.exec(postings)).all()) | set(
        (await session.exec(applications)).all()
    )
    return sorted(found)
