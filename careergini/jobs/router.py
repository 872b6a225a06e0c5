"""HTTP routes of the jobs domain: sources, postings, search, recommendations, applications.

Static paths are declared before the ``{id}`` ones, and ids use the ``uuid`` path convertor, so
``/api/jobs/parse`` (the skills analysis' route) and ``/api/jobs/recommendations`` never reach
``/api/jobs/{job_id}``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, File, Form, Query, Response, UploadFile, status

from careergini.gateway.auth.dependencies import CurrentUser
from careergini.jobs import pipeline, service as jobs_service
from careergini.jobs.errors import UploadTooLarge
from careergini.jobs.runtime import JobsRuntime, runtime_of
from careergini.jobs.schemas import (
    ApplicationCreate,
    ApplicationImport,
    ApplicationPublic,
    ApplicationStatus,
    ApplicationUpdate,
    JobCreate,
    JobDetail,
    JobPage,
    RecommendationList,
    SourceCreate,
    SourcePublic,
)
from careergini.jobs.search import Filters
from careergini.runtime.deps import ResourcesDep, SessionDep, SettingsDep
from careergini.tasks.schemas import TaskPublic


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Own the refresh workers, the scheduler and the browser for the app's lifetime."""
    resources = app.state.resources
    runtime = JobsRuntime(resources)
    resources.attach(runtime)
    recovered = runtime.queue.backend != "memory"

    async def tick() -> None:
        nonlocal recovered
        if not recovered:
            # The in-process queue died with the last process: what it held runs again now.
            # In the scheduler, not here, so the app starts even when the database is down.
            await pipeline.requeue_unfinished(resources)
            recovered = True
        await pipeline.enqueue_due(resources)

    await runtime.start(
        handler=lambda message: pipeline.handle_message(resources, message), tick=tick
    )
    try:
        yield
    finally:
        await runtime.stop()
        resources.detach(JobsRuntime)


router = APIRouter(tags=["jobs"], lifespan=lifespan)


def _jobs_runtime(resources: ResourcesDep) -> JobsRuntime:
    return runtime_of(resources)


JobsRuntimeDep = Annotated[JobsRuntime, Depends(_jobs_runtime)]


def _filters(
    location: Annotated[str | None, Query(max_length=200, description="part of the place")] = None,
    remote: Annotated[str | None, Query(description="remote, hybrid, onsite (comma list)")] = None,
    seniority: Annotated[
        str | None, Query(description="intern, junior, mid, senior, staff, lead, manager")
    ] = None,
    skills: Annotated[
        str | None, Query(max_length=500, description="skills the posting must name (comma list)")
    ] = None,
    posted_within: Annotated[str | None, Query(description='days, or "24h", "7d", "2w"')] = None,
    include_closed: bool = False,
    min_salary: Annotated[
        str | None,
        Query(
            max_length=40,
            description='yearly pay at least this much, in the reference currency ("80k")',
        ),
    ] = None,
    *,
    settings: SettingsDep,
) -> Filters:
    return jobs_service.build_filters(
        location=location,
        remote=remote,
        seniority=seniority,
        skills=skills,
        posted_within=posted_within,
        include_closed=include_closed,
        min_salary=min_salary,
        reference_currency=settings.jobs_reference_currency,
    )


FiltersDep = Annotated[Filters, Depends(_filters)]


# --- sources ------------------------------------------------------------------------------------


@router.post(
    "/api/jobs/sources",
    response_model=SourcePublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "you already have this source"}},
)
async def create_source(
    body: SourceCreate, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> SourcePublic:
    """Add a Greenhouse/Lever/Ashby board, an RSS/Atom feed or a career page; it is refreshed
    in the background now and then on its schedule (follow it at GET /api/jobs/sources/{id})."""
    return await jobs_service.create_source(
        session=session, resources=resources, owner_id=user.id, body=body
    )


@router.post(
    "/api/jobs/sources/upload",
    response_model=SourcePublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        409: {"description": "this file was uploaded already"},
        413: {"description": "over the upload limit"},
        422: {"description": "not CSV/JSON, or required columns missing (named)"},
    },
)
async def upload_postings(
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    file: UploadFile = File(description="CSV with a header row, or JSON (a list of postings)"),
    name: Annotated[str | None, Form(max_length=200)] = None,
) -> SourcePublic:
    """Upload postings as CSV or JSON (title and company required); ingested in the background."""
    limit = resources.settings.jobs_max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(f"The file is over the {limit // (1024 * 1024)} MB limit.")
    return await jobs_service.create_upload_source(
        session=session,
        resources=resources,
        owner_id=user.id,
        data=data,
        filename=file.filename,
        name=name,
    )


@router.get("/api/jobs/sources", response_model=list[SourcePublic])
async def list_sources(user: CurrentUser, session: SessionDep) -> list[SourcePublic]:
    """Your sources with their refresh state."""
    return await jobs_service.list_sources(session=session, owner_id=user.id)


@router.get("/api/jobs/sources/{source_id:uuid}", response_model=SourcePublic)
async def get_source(source_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> SourcePublic:
    """One source: status (idle, queued, running, error), counts, last error, next refresh."""
    return await jobs_service.get_source(session=session, owner_id=user.id, source_id=source_id)


@router.post(
    "/api/jobs/sources/{source_id:uuid}/refresh",
    response_model=SourcePublic,
    status_code=status.HTTP_202_ACCEPTED,
)
async def refresh_source(
    source_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: JobsRuntimeDep
) -> SourcePublic:
    """Refresh a source now, in the background (nothing new is queued if one is under way)."""
    return await jobs_service.request_refresh(
        session=session, runtime=runtime, owner_id=user.id, source_id=source_id
    )


@router.delete("/api/jobs/sources/{source_id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_source(
    source_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> Response:
    """Remove a source and the postings only it brought (postings you track are kept)."""
    await jobs_service.delete_source(
        session=session, resources=resources, owner_id=user.id, source_id=source_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- postings -----------------------------------------------------------------------------------


@router.get("/api/jobs", response_model=JobPage)
async def search_jobs(
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    filters: FiltersDep,
    q: Annotated[str, Query(max_length=300, description="words to search for")] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
) -> JobPage:
    """Search your postings: BM25 over title and description fused with vector similarity by
    reciprocal-rank fusion, the top 100 re-ranked by your match score; pages via next_cursor."""
    return await jobs_service.search_jobs(
        session=session,
        resources=resources,
        owner_id=user.id,
        q=q,
        filters=filters,
        limit=limit,
        cursor=cursor,
    )


@router.post(
    "/api/jobs",
    response_model=JobDetail,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"description": "the text or page is not a job posting"}},
)
async def add_job(
    body: JobCreate, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> JobDetail:
    """Add one posting: paste its text, or give its page's URL (JSON-LD read when present)."""
    return await jobs_service.add_posting(
        session=session, resources=resources, owner_id=user.id, body=body
    )


@router.get("/api/jobs/recommendations", response_model=RecommendationList)
async def recommendations(
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> RecommendationList:
    """The postings that fit your profile best, each with its score, top reasons and gaps."""
    return await jobs_service.recommend(
        session=session, resources=resources, owner_id=user.id, filters=filters, limit=limit
    )


@router.get("/api/jobs/{job_id:uuid}", response_model=JobDetail)
async def get_job(
    job_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> JobDetail:
    """One posting with its parse, its sources and your full gap and match analysis."""
    return await jobs_service.get_job(
        session=session, resources=resources, owner_id=user.id, job_id=job_id
    )


@router.delete("/api/jobs/{job_id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_job(
    job_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> Response:
    """Delete a posting (a source still listing it brings it back at its next refresh)."""
    await jobs_service.delete_job(
        session=session, resources=resources, owner_id=user.id, job_id=job_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- applications -------------------------------------------------------------------------------


@router.post(
    "/api/applications",
    response_model=ApplicationPublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "you already track this posting"}},
)
async def create_application(
    body: ApplicationCreate, user: CurrentUser, session: SessionDep
) -> ApplicationPublic:
    """Track an application: a stored posting (job_id) or an external one (title, company, url)."""
    return await jobs_service.create_application(session=session, owner_id=user.id, body=body)


@router.get("/api/applications", response_model=list[ApplicationPublic])
async def list_applications(
    user: CurrentUser, session: SessionDep, status: ApplicationStatus | None = None
) -> list[ApplicationPublic]:
    """Your applications, most recently changed first; ?status= to see one stage."""
    return await jobs_service.list_applications(session=session, owner_id=user.id, status=status)


@router.post(
    "/api/applications/check-postings",
    response_model=TaskPublic,
    status_code=status.HTTP_202_ACCEPTED,
)
async def check_postings(
    user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> TaskPublic:
    """Check now that the postings you saved or applied to are still open (a background task):
    the ones no longer open are marked closed, and the tracker says so."""
    return await jobs_service.submit_check(session=session, resources=resources, owner_id=user.id)


@router.get(
    "/api/applications/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def export_applications(user: CurrentUser, session: SessionDep) -> Response:
    """Your applications as CSV (a spreadsheet), with dates, notes, documents and history."""
    body = await jobs_service.export_applications_csv(session=session, owner_id=user.id)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="applications.csv"'},
    )


@router.post(
    "/api/applications/import",
    response_model=ApplicationImport,
    status_code=status.HTTP_201_CREATED,
    responses={
        413: {"description": "over the upload limit"},
        422: {"description": "not CSV, no title column, or a bad row (named)"},
    },
)
async def import_applications(
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    file: UploadFile = File(description="CSV with a header row: title, company, url, status..."),
) -> ApplicationImport:
    """Add applications from a CSV file (an export's columns); jobs already tracked are skipped."""
    limit = resources.settings.jobs_max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(f"The file is over the {limit // (1024 * 1024)} MB limit.")
    return await jobs_service.import_applications_csv(session=session, owner_id=user.id, data=data)


@router.get(
    "/api/applications/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
async def interview_calendar(user: CurrentUser, session: SessionDep) -> Response:
    """Your interview dates as a calendar file (iCalendar) to add to any calendar app."""
    body = await jobs_service.interview_calendar(session=session, owner_id=user.id)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="interviews.ics"'},
    )


@router.get("/api/applications/{application_id:uuid}", response_model=ApplicationPublic)
async def get_application(
    application_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> ApplicationPublic:
    """One application with the history of its status changes."""
    return await jobs_service.get_application(
        session=session, owner_id=user.id, application_id=application_id
    )


@router.patch("/api/applications/{application_id:uuid}", response_model=ApplicationPublic)
async def update_application(
    application_id: uuid.UUID, body: ApplicationUpdate, user: CurrentUser, session: SessionDep
) -> ApplicationPublic:
    """Change status (saved, applied, interviewing, offer, rejected, withdrawn), notes, dates,
    or the resume and cover letter used; status changes are kept in the history."""
    return await jobs_service.update_application(
        session=session, owner_id=user.id, application_id=application_id, body=body
    )


@router.delete("/api/applications/{application_id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_application(
    application_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> Response:
    """Stop tracking an application."""
    await jobs_service.delete_application(
        session=session, owner_id=user.id, application_id=application_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
