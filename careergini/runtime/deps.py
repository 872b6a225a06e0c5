"""FastAPI dependencies for the clients the lifespan owns, as ``Annotated`` aliases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.config import Settings
from careergini.core.cache import Cache
from careergini.core.db import session_scope
from careergini.core.embeddings import Embedder
from careergini.core.errors import AppError, DependencyUnavailable, outage_of
from careergini.core.mail import Mailer
from careergini.core.metrics import Metrics
from careergini.core.ratelimit import RateLimiter
from careergini.core.vectors import VectorStore
from careergini.llm.gateway import LLMGateway
from careergini.runtime.resources import Resources


def get_resources(request: Request) -> Resources:
    return request.app.state.resources


ResourcesDep = Annotated[Resources, Depends(get_resources)]


def get_settings_dep(resources: ResourcesDep) -> Settings:
    return resources.settings


async def get_session(resources: ResourcesDep) -> AsyncIterator[AsyncSession]:
    """Yield the request's session: committed when the route returns, rolled back on error.

    A database (or cache) that cannot be reached, here or in the route, is a 503 that names it.
    """
    try:
        async with session_scope(resources.sessionmaker) as session:
            yield session
    except AppError:
        raise
    except Exception as exc:
        dependency = outage_of(exc)
        if dependency is None:
            raise
        raise DependencyUnavailable(dependency) from exc


def get_cache(resources: ResourcesDep) -> Cache:
    return resources.cache


def get_rate_limiter(resources: ResourcesDep) -> RateLimiter:
    return resources.rate_limiter


def get_embedder(resources: ResourcesDep) -> Embedder:
    return resources.embedder


def get_vectors(resources: ResourcesDep) -> VectorStore:
    return resources.vectors


def get_metrics(resources: ResourcesDep) -> Metrics:
    return resources.metrics


def get_llm(resources: ResourcesDep) -> LLMGateway:
    return resources.llm


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": the transaction ends before the response is sent, so a failed commit is
# reported to the client instead of being lost after a 200.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
CacheDep = Annotated[Cache, Depends(get_cache)]
RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
VectorsDep = Annotated[VectorStore, Depends(get_vectors)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
LLMDep = Annotated[LLMGateway, Depends(get_llm)]


def get_mailer(resources: ResourcesDep) -> Mailer:
    return resources.mail


MailerDep = Annotated[Mailer, Depends(get_mailer)]
