"""The clients one running app owns, built by the lifespan and closed with it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini import __version__
from careergini.config import Settings, ensure_signing_key
from careergini.core.cache import Cache, create_cache
from careergini.core.db import create_engine, create_sessionmaker
from careergini.core.embeddings import Embedder
from careergini.core.logging import get_logger
from careergini.core.mail import Mailer
from careergini.core.metrics import Metrics
from careergini.core.ratelimit import RateLimiter
from careergini.core.storage import FileStore, create_file_store
from careergini.core.vectors import VectorStore, create_chroma_client
from careergini.llm.gateway import LLMGateway

log = get_logger(__name__)

C = TypeVar("C")


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
    # Uploaded and generated files (the settings choose a folder or the database).
    files: FileStore
    # Outgoing email (core.mail); ``mail.configured`` is False when no SMTP server is set.
    mail: Mailer
    # Long-lived components a domain adds (the jobs runtime, the chat runtime), one per type:
    # reached through component() so every caller gets its own type back, checked.
    components: dict[type, object] = field(default_factory=dict)

    def attach(self, component: object) -> None:
        """Hold one component of its type for the app's lifetime (replacing an older one)."""
        self.components[type(component)] = component

    def detach(self, kind: type) -> None:
        """Drop the component of this type, if any."""
        self.components.pop(kind, None)

    def component(self, kind: type[C]) -> C | None:
        """Return the attached component of this type, or None."""
        value = self.components.get(kind)
        return value if isinstance(value, kind) else None

    def component_or_create(self, kind: type[C], factory: Callable[[], C]) -> C:
        """Return the attached component of this type, attaching factory() first if none."""
        value = self.component(kind)
        if value is None:
            value = factory()
            self.components[kind] = value
        return value

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
    sessionmaker = create_sessionmaker(engine)
    return Resources(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
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
        files=create_file_store(
            settings.file_storage, root=settings.files_dir, sessionmaker=sessionmaker
        ),
        mail=Mailer(settings),
    )
