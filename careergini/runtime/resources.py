"""The clients one running app owns, built by the lifespan and closed with it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini import __version__
from careergini.config import Settings, ensure_signing_key
from careergini.core.cache import Cache, create_cache
from careergini.core.db import create_engine, create_sessionmaker
from careergini.core.embeddings import Embedder
from careergini.core.logging import get_logger
from careergini.core.metrics import Metrics
from careergini.core.ratelimit import RateLimiter
from careergini.core.vectors import VectorStore, create_chroma_client
from careergini.llm.gateway import LLMGateway

log = get_logger(__name__)


@dataclass
class Resources:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    cache: Cache
    rate_limiter: RateLimiter
    embedder: Embedder
    vectors: VectorStore
    metrics: Metrics
    http: httpx.AsyncClient
    llm: LLMGateway
    extras: dict[str, object] = field(default_factory=dict)

    async def aclose(self, *, step_timeout: float = 10.0) -> None:
        """Close every client; a client that will not close in time is left behind, not waited on.

        Shutdown must never hang (a stuck connection would keep a container from stopping).
        """
        steps = (
            ("llm", self.llm.aclose),
            ("http", self.http.aclose),
            ("cache", self.cache.close),
            ("database", self.engine.dispose),
        )
        for name, close in steps:
            try:
                await asyncio.wait_for(close(), timeout=step_timeout)
            except TimeoutError:
                log.warning("resources.close_timeout", client=name, seconds=step_timeout)
            except Exception:
                log.exception("resources.close_failed", client=name)


def user_agent() -> str:
    return f"CareerGini/{__version__} (self-hosted career advisor)"


def build_resources(settings: Settings, *, embedder: Embedder | None = None) -> Resources:
    """Create every client from the settings; nothing connects until first use."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.files_dir.mkdir(parents=True, exist_ok=True)
    ensure_signing_key(settings)
    engine = create_engine(settings.effective_database_url, pool_size=settings.database_pool_size)
    cache = create_cache(settings.redis_url, namespace=settings.redis_namespace)
    embedder = embedder or Embedder(
        settings.embedding_model_path or None, threads=settings.embedding_threads
    )
    metrics = Metrics()
    return Resources(
        settings=settings,
        engine=engine,
        sessionmaker=create_sessionmaker(engine),
        cache=cache,
        rate_limiter=RateLimiter(cache),
        embedder=embedder,
        vectors=VectorStore(
            lambda: create_chroma_client(url=settings.chroma_url, path=settings.chroma_path),
            embedder,
            backend="server" if settings.chroma_url else "embedded",
        ),
        metrics=metrics,
        http=httpx.AsyncClient(
            timeout=httpx.Timeout(10.0, connect=3.0), headers={"User-Agent": user_agent()}
        ),
        llm=LLMGateway(settings=settings, cache=cache, metrics=metrics),
    )
