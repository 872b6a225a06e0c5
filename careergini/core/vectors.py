"""The vector store: Chroma embedded (``var/chroma``) by default, a Chroma server when
``CAREERGINI_CHROMA_URL`` is set. We always hand Chroma our own embeddings; its default
embedding function would try to download a model.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import anyio.to_thread
import chromadb
from chromadb.config import Settings as ChromaSettings

from careergini.core.embeddings import Embedder


@dataclass(frozen=True, slots=True)
class VectorHit:
    id: str
    document: str
    metadata: dict[str, Any]
    distance: float


def create_chroma_client(*, url: str, path: Path) -> Any:
    """Return an HttpClient for a server URL, else a PersistentClient under ``path``."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        parsed = urlparse(url)
        return chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=settings,
        )
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class VectorStore:
    """Collections of embedded texts, each row tagged with its owner."""

    def __init__(self, connect: Callable[[], Any], embedder: Embedder, *, backend: str) -> None:
        # Connecting is deferred: a Chroma server that is down must not stop the app starting.
        self._connect = connect
        self._client_instance: Any = None
        self._connect_lock = threading.Lock()
        self.embedder = embedder
        self.backend = backend
        self._collections: dict[str, Any] = {}

    @property
    def _client(self) -> Any:
        with self._connect_lock:
            if self._client_instance is None:
                self._client_instance = self._connect()
            return self._client_instance

    def _collection(self, name: str) -> Any:
        if name not in self._collections:
            self._collections[name] = self._client.get_or_create_collection(
                name=name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        return self._collections[name]

    async def heartbeat(self) -> None:
        await anyio.to_thread.run_sync(self._client.heartbeat)

    async def upsert(
        self,
        collection: str,
        *,
        ids: list[str],
        documents: list[str],
        metadatas: list[dict[str, Any]],
        embeddings: list[list[float]] | None = None,
    ) -> None:
        """Store documents with their embeddings (computed here unless given)."""
        if not ids:
            return
        if embeddings is None:
            embeddings = await self.embedder.embed(documents)

        def _upsert() -> None:
            self._collection(collection).upsert(
                ids=ids, documents=documents, metadatas=metadatas, embeddings=embeddings
            )

        await anyio.to_thread.run_sync(_upsert)

    async def query(
        self,
        collection: str,
        *,
        text: str | None = None,
        embedding: list[float] | None = None,
        limit: int = 10,
        where: dict[str, Any] | None = None,
    ) -> list[VectorHit]:
        """Return the nearest documents to a text or an embedding."""
        if embedding is None:
            if text is None:
                raise ValueError("query needs a text or an embedding")
            embedding = (await self.embedder.embed([text]))[0]

        def _query() -> dict[str, Any]:
            return self._collection(collection).query(
                query_embeddings=[embedding],
                n_results=limit,
                where=where,
                include=["documents", "metadatas", "distances"],
            )

        result = await anyio.to_thread.run_sync(_query)
        return [
            VectorHit(id=id_, document=doc or "", metadata=dict(meta or {}), distance=float(dist))
            for id_, doc, meta, dist in zip(
                result["ids"][0],
                result["documents"][0],
                result["metadatas"][0],
                result["distances"][0],
                strict=True,
            )
        ]

    async def count(self, collection: str, *, where: dict[str, Any] | None = None) -> int:
        def _count() -> int:
            if where is None:
                return self._collection(collection).count()
            return len(self._collection(collection).get(where=where, include=[])["ids"])

        return await anyio.to_thread.run_sync(_count)

    async def delete(
        self, collection: str, *, ids: list[str] | None = None, where: dict[str, Any] | None = None
    ) -> None:
        """Delete rows by id or by metadata filter."""
        if not ids and not where:
            return

        def _delete() -> None:
            self._collection(collection).delete(ids=ids, where=where)

        await anyio.to_thread.run_sync(_delete)

    async def names(self) -> list[str]:
        """The names of the collections in the store."""

        def _names() -> list[str]:
            return [c if isinstance(c, str) else c.name for c in self._client.list_collections()]

        return await anyio.to_thread.run_sync(_names)

    async def drop(self, collection: str) -> None:
        """Remove a whole collection (nothing happens when there is none of that name)."""
        if collection not in await self.names():
            return

        def _drop() -> None:
            self._collections.pop(collection, None)
            self._client.delete_collection(collection)

        await anyio.to_thread.run_sync(_drop)

    async def delete_owner(self, owner_id: str) -> None:
        """Remove every row that belongs to one user, in every collection, and the user's own
        collections (named ``<kind>-<the user's id in hex>``)."""
        suffix = "-" + uuid.UUID(owner_id).hex
        for name in await self.names():
            if name.endswith(suffix):
                await self.drop(name)
            else:
                await self.delete(name, where={"owner_id": owner_id})
