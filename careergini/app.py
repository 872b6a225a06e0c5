"""create_app(): the routers, the middleware, the error handlers and the lifespan that owns every
client (database engine, cache, vector store, embeddings, HTTP client)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from careergini import __version__
from careergini.agents.chat.router import router as chat_router
from careergini.analysis.router import router as analysis_router
from careergini.config import Settings, ensure_signing_key, get_settings
from careergini.core.errors import OUTAGE_ERRORS, AppError, DependencyUnavailable, outage_of
from careergini.core.logging import configure_logging, get_logger, pseudonym_key
from careergini.core.metrics import CONTENT_TYPE
from careergini.core.security import configure_password_hashing
from careergini.gateway.account.router import router as account_router
from careergini.gateway.admin.router import router as admin_router
from careergini.gateway.auth.router import router as auth_router
from careergini.gateway.health.router import router as health_router
from careergini.gateway.middleware import (
    BodySizeLimitMiddleware,
    RateLimitMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
)
from careergini.gateway.openapi import build_openapi
from careergini.gateway.tokens.router import router as tokens_router
from careergini.jobs import service as jobs_service
from careergini.jobs.router import router as jobs_router
from careergini.learning.router import router as learning_router
from careergini.mcp_server.transport import MCPEndpoint
from careergini.notifications.router import router as notifications_router
from careergini.profile.router import router as profile_router
from careergini.resume.router import router as resume_router
from careergini.runtime.resources import Resources, build_resources
from careergini.skills.router import router as skills_router
from careergini.skills.service import load_roles, load_taxonomy
from careergini.tasks.router import router as tasks_router
from careergini.web.router import router as web_router

log = get_logger(__name__)

DESCRIPTION = """\
CareerGini turns a person's career (resume, LinkedIn export, GitHub) into one structured profile,
and analyses it against roles and real jobs. Analysis is deterministic and explainable; a local
LLM (Ollama) is used only for language.

Errors always look like `{"error": "ClassName", "detail": "what is wrong and how to fix it"}`.
"""

_STATUS_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
}


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


async def _app_error(request: Request, exc: AppError) -> JSONResponse:
    if exc.status_code >= 500:
        log.warning("request.unavailable", error=exc.name, detail=exc.detail)
    return JSONResponse(exc.to_body(), status_code=exc.status_code, headers=exc.headers)


async def _move_shared_vectors(resources: Resources) -> None:
    """Give each owner's postings their own vector collection (once, after an upgrade)."""
    try:
        await jobs_service.move_shared_collection(resources=resources)
    except asyncio.CancelledError:
        raise
    except Exception:
        # The vector store may be down at start: the next start tries again; until then, search
        # finds postings by their words only.
        log.exception("jobs.vectors_move_failed")


async def _dependency_down(request: Request, exc: Exception) -> JSONResponse:
    """Answer a database or cache outage with a 503 that names it, never a 500."""
    dependency = outage_of(exc)
    if dependency is None:
        raise exc
    log.warning("request.dependency_down", dependency=dependency, path=request.url.path)
    return await _app_error(request, DependencyUnavailable(dependency))


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    fields = [
        {
            "path": ".".join(str(part) for part in error.get("loc", ())),
            "message": error.get("msg", "invalid"),
            "type": error.get("type", "invalid"),
        }
        for error in exc.errors()
    ]
    summary = "; ".join(f"{f['path']}: {f['message']}" for f in fields[:5])
    return JSONResponse(
        {
            "error": "ValidationError",
            "detail": f"The request is invalid. {summary}",
            "fields": fields,
        },
        status_code=422,
    )


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No such endpoint: {request.method} {request.url.path}."
    return JSONResponse(
        {"error": _STATUS_NAMES.get(exc.status_code, "HTTPError"), "detail": detail},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def create_app(settings: Settings | None = None, *, resources: Resources | None = None) -> FastAPI:
    """Build the CareerGini application for these settings."""
    settings = settings or (resources.settings if resources else get_settings())
    # The logs' user pseudonyms are keyed by this install's secret (made here if it is new).
    ensure_signing_key(settings)
    configure_password_hashing(
        memory_kib=settings.password_hash_memory_kib, time_cost=settings.password_hash_time_cost
    )
    configure_logging(
        level=settings.log_level,
        json_logs=settings.log_json,
        user_key=pseudonym_key(settings.secret_key),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = resources is None
        app.state.resources = resources or build_resources(settings)
        log.info(
            "app.start",
            version=__version__,
            env=settings.env.value,
            database=app.state.resources.engine.dialect.name,
            cache=app.state.resources.cache.backend,
            vectors=app.state.resources.vectors.backend,
        )
        # Load the skills knowledge base now, in a thread, not on the first request.
        await anyio.to_thread.run_sync(load_taxonomy)
        await anyio.to_thread.run_sync(load_roles)
        # The embedding model loads in the background: the app answers at once, readiness says
        # "warming" until the model is in memory, and a request that needs it meanwhile waits
        # for the same load rather than starting another.
        app.state.resources.embedder.start_loading()
        # Data of earlier versions that moves once, beside the requests (see the function).
        upgrading = asyncio.create_task(_move_shared_vectors(app.state.resources))
        try:
            async with mcp_endpoint.running():
                yield
        finally:
            upgrading.cancel()
            with contextlib.suppress(BaseException):
                await upgrading
            if owned:
                await app.state.resources.aclose()
            log.info("app.stop")

    app = FastAPI(
        title="CareerGini",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        exception_handlers={
            AppError: _app_error,
            **dict.fromkeys(OUTAGE_ERRORS, _dependency_down),
            RequestValidationError: _validation_error,
            StarletteHTTPException: _http_error,
        },
    )
    if resources is not None:
        app.state.resources = resources
    # The Model Context Protocol for a person's own assistant (personal access tokens).
    mcp_endpoint = MCPEndpoint(lambda: app.state.resources)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]

    # Starlette runs the last-added middleware first: this list reads inside-out.
    app.add_middleware(RateLimitMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
    )
    app.add_middleware(RequestContextMiddleware)
    # Outermost, so the last-resort 500 of RequestContextMiddleware carries the headers too.
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.is_production)

    app.include_router(health_router)
    app.include_router(auth_router)
    app.include_router(account_router)
    app.include_router(tokens_router)
    app.include_router(profile_router)
    app.include_router(skills_router)
    app.include_router(analysis_router)
    app.include_router(jobs_router)
    app.include_router(resume_router)
    app.include_router(learning_router)
    app.include_router(admin_router)
    app.include_router(tasks_router)
    app.include_router(notifications_router)
    app.include_router(chat_router)

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        return Response(request.app.state.resources.metrics.render(), media_type=CONTENT_TYPE)

    app.router.routes.append(
        Route("/mcp", mcp_endpoint, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    )

    # Last, so every /api route wins over the SPA's pages.
    app.include_router(web_router)

    return app
