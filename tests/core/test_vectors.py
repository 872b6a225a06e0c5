"""The vector store on embedded Chroma and on a real ``chroma run`` server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from careergini.core.embeddings import DIMENSION, Embedder
from careergini.core.vectors import VectorStore, create_chroma_client
from tests.conftest import reset_chroma_server


@pytest.fixture(params=["embedded", "server"])
def vectors(
    request: pytest.FixtureRequest, tmp_path: Path, embedder: Embedder
) -> Iterator[VectorStore]:
    if request.param == "embedded":
        yield VectorStore(
            lambda: create_chroma_client(url="", path=tmp_path / "chroma"),
            embedder,
            backend="embedded",
        )
        return
    url = request.getfixturevalue("chroma_server")
    yield VectorStore(
        lambda: create_chroma_client(url=url, path=tmp_path), embedder, backend="server"
    )
    reset_chroma_server(url)


async def test_embeddings_are_real_unit_vectors(embedder: Embedder) -> None:
    [a, b, c] = await embedder.embed(
        ["Senior Python backend engineer", "Python developer, backend services", "Pastry chef"]
    )
    assert len(a) == DIMENSION
    assert abs(sum(x * x for x in a) - 1.0) < 1e-3

    def cos(u: list[float], v: list[float]) -> float:
        return sum(x * y for x, y in zip(u, v, strict=True))

    assert cos(a, b) > cos(a, c) + 0.2


async def test_query_returns_the_nearest_documents_first(vectors: VectorStore) -> None:
    await vectors.heartbeat()
    docs = {
        "d1": "Built REST APIs in Python with FastAPI and PostgreSQL",
        "d2": "Designed React user interfaces with TypeScript",
        "d3": "Managed a bakery's daily bread production",
    }
    await vectors.upsert(
        "docs",
        ids=list(docs),
        documents=list(docs.values()),
        metadatas=[{"owner_id": "u1"}] * 3,
    )
    hits = await vectors.query("docs", text="Python web API developer", limit=3)
    assert hits[0].id == "d1"
    assert hits[-1].id == "d3"
    assert hits[0].distance < hits[-1].distance
    assert hits[0].metadata == {"owner_id": "u1"}


async def test_owner_filter_and_delete_owner(vectors: VectorStore) -> None:
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    await vectors.upsert(
        "profile",
        ids=["a1", "a2", "b1"],
        documents=["Kubernetes operator", "Go services", "Data analysis in R"],
        metadatas=[{"owner_id": a}, {"owner_id": a}, {"owner_id": b}],
    )
    await vectors.upsert("other", ids=["a3"], documents=["x"], metadatas=[{"owner_id": a}])
    hits = await vectors.query("profile", text="Go", limit=5, where={"owner_id": b})
    assert [h.id for h in hits] == ["b1"]
    await vectors.delete_owner(a)
    assert await vectors.count("profile") == 1
    assert await vectors.count("other") == 0


async def test_upsert_replaces_by_id(vectors: VectorStore) -> None:
    await vectors.upsert("updates", ids=["x"], documents=["first"], metadatas=[{"owner_id": "o"}])
    await vectors.upsert("updates", ids=["x"], documents=["second"], metadatas=[{"owner_id": "o"}])
    hits = await vectors.query("updates", text="second", limit=1)
    assert hits[0].document == "second"
    assert await vectors.count("updates") == 1
