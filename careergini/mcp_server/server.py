"""The MCP tools and resources: thin wrappers over the domain services, one transaction each.

Who is calling comes from the personal access token: over HTTP the transport (``transport.py``)
puts the token's owner in the request scope; over stdio it is fixed when the server starts.
Every tool acts for that owner only, so another user's posting or application is "not found".
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from typing import Any, Literal

from mcp.server.context import CallNext, ServerRequestContext
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini import __version__
from careergini.analysis import service as analysis_service
from careergini.analysis.schemas import AnalysisRequest
from careergini.core.db import session_scope
from careergini.core.errors import AppError, TooManyRequests
from careergini.core.logging import get_logger
from careergini.gateway.tokens import service as tokens_service
from careergini.gateway.tokens.service import TokenOwner
from careergini.jobs import service as jobs_service
from careergini.jobs.schemas import ApplicationCreate, ApplicationUpdate, JobCreate
from careergini.learning import service as learning_service
from careergini.learning.schemas import InterviewRequest, RoadmapRequest
from careergini.profile import service as profile_service
from careergini.resume import service as resume_service
from careergini.resume.schemas import TailorRequest
from careergini.runtime.resources import Resources

log = get_logger(__name__)

OWNER_KEY = "careergini.mcp_owner"

Act = Callable[..., AbstractAsyncContextManager[tuple[AsyncSession, Resources, uuid.UUID]]]

INSTRUCTIONS = """\
CareerGini holds one person's career profile, saved job postings and applications.
Start with profile_summary; search_jobs and recommendations find postings (ids are UUIDs);
analyse_job scores a posting or pasted text against the profile; save_job, create_application
and update_application change the person's data (the token needs the 'write' scope).
"""


# The caller of the message being handled, set by the middleware below around every message.
_caller: ContextVar[TokenOwner | None] = ContextVar("careergini_mcp_caller", default=None)


def _owner() -> TokenOwner:
    owner = _caller.get()
    if owner is None:
        # The transport refuses unauthenticated requests before they get here.
        raise ToolError(
            "Unauthorized (401): this token is unknown or revoked; make one under "
            "Account > Access tokens."
        )
    return owner


def _identify(get_resources: Callable[[], Resources], stdio_token: str | None) -> Any:
    """Return the middleware that tells each message's handler whom the token acts for.

    Over HTTP the transport has checked the token and put its owner in the request scope.
    Over stdio the token given at start is checked again for every message, so revoking it
    in the SPA ends a running local assistant's access too.
    """

    async def middleware(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> Any:
        owner: TokenOwner | None = None
        if stdio_token is not None:
            async with session_scope(get_resources().sessionmaker) as session:
                owner = await tokens_service.authenticate(session=session, token=stdio_token)
        elif ctx.request is not None:
            found = getattr(ctx.request, "scope", {}).get(OWNER_KEY)
            owner = found if isinstance(found, TokenOwner) else None
        token = _caller.set(owner)
        try:
            return await call_next(ctx)
        finally:
            _caller.reset(token)

    return middleware


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json")


def _job_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ToolError(
            f"InvalidInput (422): '{value[:60]}' is not an id; ids come from search_jobs "
            "and list_applications."
        ) from None


def _profile_summary(profile: Any) -> dict[str, Any]:
    basics = {key: fact.value for key, fact in profile.basics.items() if fact.value}
    return {
        "basics": basics,
        "summary": profile.summary.value,
        "work": [
            {
                "title": w.title,
                "company": w.company,
                "start": w.start,
                "end": w.end,
                "current": w.current,
            }
            for w in profile.work
            if not w.hidden
        ],
        "education": [
            {"institution": e.institution, "degree": e.degree, "field": e.field, "end": e.end}
            for e in profile.education
            if not e.hidden
        ],
        "skills": [s.name for s in profile.skills],
        "to_confirm": len(profile.to_confirm),
    }


def _actor(get_resources: Callable[[], Resources]) -> Act:
    """Return the guard every tool runs in: scope, rate limit, one transaction."""

    @asynccontextmanager
    async def act(
        *, scope: Literal["read", "write"], ai: bool = False
    ) -> AsyncIterator[tuple[AsyncSession, Resources, uuid.UUID]]:
        """Open one transaction for the owner, after the scope and rate-limit checks."""
        owner = _owner()
        resources = get_resources()
        try:
            owner.require(scope)
            if ai:
                # The same per-user budget as the API's AI endpoints.
                decision = await resources.rate_limiter.hit(
                    "ai-user",
                    str(owner.user_id),
                    limit=resources.settings.ai_rate_limit_per_minute,
                    window=60,
                )
                if not decision.allowed:
                    raise TooManyRequests(
                        f"AI requests are limited to {decision.limit} a minute. "
                        f"Try again in {decision.retry_after} s.",
                        retry_after=decision.retry_after,
                    )
            async with session_scope(resources.sessionmaker) as session:
                yield session, resources, owner.user_id
        except AppError as exc:
            log.info("mcp.tool_refused", error=exc.name, status=exc.status_code)
            raise ToolError(f"{exc.name} ({exc.status_code}): {exc.detail}") from exc

    return act


def build_server(
    *, get_resources: Callable[[], Resources], stdio_token: str | None = None
) -> MCPServer[Any]:
    """Build the MCP server whose tools act for the token's owner."""
    server: MCPServer[Any] = MCPServer(
        "careergini",
        version=__version__,
        instructions=INSTRUCTIONS,
        middleware=[_identify(get_resources, stdio_token)],
    )
    act = _actor(get_resources)
    _profile_and_job_tools(server, act)
    _application_tools(server, act)
    _career_tools(server, act)
    _resources(server, get_resources)
    return server


def _profile_and_job_tools(server: MCPServer[Any], act: Act) -> None:
    @server.tool()
    async def profile_summary() -> dict[str, Any]:
        """Summarise the person's profile: basics, positions, education and skills."""
        async with act(scope="read") as (session, _, owner_id):
            profile = await profile_service.get_profile(session=session, owner_id=owner_id)
            return _profile_summary(profile)

    @server.tool()
    async def search_jobs(
        query: str = "",
        location: str | None = None,
        remote: str | None = None,
        limit: int = 10,
    ) -> dict[str, Any]:
        """Search the person's saved postings by words, best match first.

        remote: a comma list of remote, hybrid, onsite. limit: 1 to 50.
        """
        async with act(scope="read") as (session, resources, owner_id):
            filters = jobs_service.build_filters(
                location=location,
                remote=remote,
                reference_currency=resources.settings.jobs_reference_currency,
            )
            page = await jobs_service.search_jobs(
                session=session,
                resources=resources,
                owner_id=owner_id,
                q=query[:300],
                filters=filters,
                limit=max(1, min(limit, 50)),
                cursor=None,
            )
            return _dump(page)

    @server.tool()
    async def recommendations(limit: int = 10) -> dict[str, Any]:
        """List the saved postings that fit the profile best, with score, reasons and gaps."""
        async with act(scope="read") as (session, resources, owner_id):
            filters = jobs_service.build_filters(
                reference_currency=resources.settings.jobs_reference_currency
            )
            result = await jobs_service.recommend(
                session=session,
                resources=resources,
                owner_id=owner_id,
                filters=filters,
                limit=max(1, min(limit, 50)),
            )
            return _dump(result)

    @server.tool()
    async def get_job(job_id: str) -> dict[str, Any]:
        """Return one saved posting with its parse and the person's gap and match analysis."""
        async with act(scope="read") as (session, resources, owner_id):
            detail = await jobs_service.get_job(
                session=session, resources=resources, owner_id=owner_id, job_id=_job_id(job_id)
            )
            return _dump(detail)

    @server.tool()
    async def analyse_job(
        job_id: str | None = None, job_description: str | None = None
    ) -> dict[str, Any]:
        """Score the profile against a saved posting (job_id) or a pasted job text (0-100).

        Give exactly one of job_id or job_description; the answer explains every component
        and lists matched and missing skills.
        """
        async with act(scope="read") as (session, resources, owner_id):
            try:
                request = AnalysisRequest(
                    job_id=_job_id(job_id) if job_id else None,
                    job_description=job_description,
                )
            except ValueError as exc:
                raise ToolError(f"InvalidInput (422): {exc}") from None
            result = await analysis_service.run_match(
                session=session, embedder=resources.embedder, owner_id=owner_id, request=request
            )
            return _dump(result)

    @server.tool()
    async def save_job(
        text: str | None = None,
        url: str | None = None,
        title: str | None = None,
        company: str | None = None,
    ) -> dict[str, Any]:
        """Save a posting from its text or its page's URL; returns it with its analysis."""
        async with act(scope="write") as (session, resources, owner_id):
            try:
                body = JobCreate(text=text, url=url, title=title, company=company)
            except ValueError as exc:
                raise ToolError(f"InvalidInput (422): {exc}") from None
            detail = await jobs_service.add_posting(
                session=session, resources=resources, owner_id=owner_id, body=body
            )
            return _dump(detail)


def _application_tools(server: MCPServer[Any], act: Act) -> None:
    @server.tool()
    async def list_applications(status: str | None = None) -> dict[str, Any]:
        """List the person's tracked applications, most recently changed first."""
        async with act(scope="read") as (session, _, owner_id):
            rows = await jobs_service.list_applications(
                session=session, owner_id=owner_id, status=status
            )
            return {"items": [_dump(row) for row in rows]}

    @server.tool()
    async def create_application(
        job_id: str,
        status: Literal[
            "saved", "applied", "interviewing", "offer", "rejected", "withdrawn"
        ] = "saved",
        notes: str = "",
    ) -> dict[str, Any]:
        """Track an application for a saved posting (status defaults to saved)."""
        async with act(scope="write") as (session, _, owner_id):
            body = ApplicationCreate(job_id=_job_id(job_id), status=status, notes=notes[:20_000])
            result = await jobs_service.create_application(
                session=session, owner_id=owner_id, body=body
            )
            return _dump(result)

    @server.tool()
    async def update_application(
        application_id: str,
        status: Literal["saved", "applied", "interviewing", "offer", "rejected", "withdrawn"]
        | None = None,
        notes: str | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Change an application's status or notes; a status change is kept in its history."""
        async with act(scope="write") as (session, _, owner_id):
            sent: dict[str, Any] = {"status": status, "notes": notes, "note": note}
            body = ApplicationUpdate(**{k: v for k, v in sent.items() if v is not None})
            result = await jobs_service.update_application(
                session=session,
                owner_id=owner_id,
                application_id=_job_id(application_id),
                body=body,
            )
            return _dump(result)


def _career_tools(server: MCPServer[Any], act: Act) -> None:
    @server.tool()
    async def tailor_resume(
        job_id: str | None = None, job_description: str | None = None
    ) -> dict[str, Any]:
        """Make a resume version tailored to a saved posting or a job text.

        Returns the version's id, its background task (if the model rewords it) and links.
        """
        async with act(scope="write", ai=True) as (session, resources, owner_id):
            try:
                request = TailorRequest(
                    job_id=_job_id(job_id) if job_id else None,
                    job_description=job_description,
                )
            except ValueError as exc:
                raise ToolError(f"InvalidInput (422): {exc}") from None
            resume = await resume_service.tailor_resume(
                session=session, resources=resources, owner_id=owner_id, request=request
            )
            task = _dump(resume.task) if resume.task is not None else None
            return {
                "resume_id": str(resume.id),
                "shows": resume.shows,
                "task": task,
                "links": {
                    "resume": f"/api/resumes/{resume.id}",
                    "pdf": f"/api/resumes/{resume.id}/pdf",
                    "docx": f"/api/resumes/{resume.id}/docx",
                    "task": f"/api/tasks/{task['id']}" if task else None,
                },
            }

    @server.tool()
    async def roadmap(
        target_role: str | None = None,
        job_id: str | None = None,
        hours_per_week: int = 8,
        months: int = 3,
    ) -> dict[str, Any]:
        """Plan a learning roadmap from the skill gap to a role or a saved posting."""
        async with act(scope="write", ai=True) as (session, resources, owner_id):
            try:
                request = RoadmapRequest(
                    target_role=target_role,
                    job_id=_job_id(job_id) if job_id else None,
                    hours_per_week=hours_per_week,
                    months=months,
                )
            except ValueError as exc:
                raise ToolError(f"InvalidInput (422): {exc}") from None
            result = await learning_service.create_roadmap(
                session=session, resources=resources, owner_id=owner_id, request=request
            )
            return _dump(result)

    @server.tool()
    async def interview_question(
        target_role: str | None = None, job_id: str | None = None
    ) -> dict[str, Any]:
        """Start a practice interview for a role or a saved posting; returns the first question."""
        async with act(scope="write") as (session, resources, owner_id):
            try:
                request = InterviewRequest(
                    target_role=target_role,
                    job_id=_job_id(job_id) if job_id else None,
                )
            except ValueError as exc:
                raise ToolError(f"InvalidInput (422): {exc}") from None
            result = await learning_service.create_interview_session(
                session=session, resources=resources, owner_id=owner_id, request=request
            )
            return _dump(result)


def _resources(server: MCPServer[Any], get_resources: Callable[[], Resources]) -> None:
    @server.resource("careergini://profile", name="profile", mime_type="application/json")
    async def profile_resource() -> dict[str, Any]:
        """The person's merged profile."""
        owner = _owner()
        return await _read(get_resources(), owner, _read_profile)

    @server.resource("careergini://jobs", name="saved-jobs", mime_type="application/json")
    async def jobs_resource() -> dict[str, Any]:
        """The person's saved postings (the newest 100)."""
        owner = _owner()
        return await _read(get_resources(), owner, _read_jobs)


async def _read_profile(session: AsyncSession, resources: Resources, owner_id: uuid.UUID) -> Any:
    return _dump(await profile_service.get_profile(session=session, owner_id=owner_id))


async def _read_jobs(session: AsyncSession, resources: Resources, owner_id: uuid.UUID) -> Any:
    filters = jobs_service.build_filters(
        reference_currency=resources.settings.jobs_reference_currency
    )
    page = await jobs_service.search_jobs(
        session=session,
        resources=resources,
        owner_id=owner_id,
        q="",
        filters=filters,
        limit=100,
        cursor=None,
    )
    return _dump(page)


async def _read(resources: Resources, owner: TokenOwner, read: Any) -> Any:
    try:
        owner.require("read")
        async with session_scope(resources.sessionmaker) as session:
            return await read(session, resources, owner.user_id)
    except AppError as exc:
        raise ResourceError(f"{exc.name} ({exc.status_code}): {exc.detail}") from exc
