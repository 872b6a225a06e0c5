"""The embedder: unit vectors, chunking, the document cache and its thread choice."""

from __future__ import annotations

import math

import pytest
import torch

from careergini.core.embeddings import DIMENSION, SHORT_BATCH_CHARS, Embedder, chunk_text


def test_vectors_are_unit_length_and_similar_texts_are_close(embedder: Embedder) -> None:
    python, snake, kitchen = embedder.embed_sync(
        ["Python developer", "Python programmer", "kitchen porter"]
    )
    assert len(python) == DIMENSION
    assert math.isclose(sum(x * x for x in python), 1.0, rel_tol=1e-4)
    cosine = sum(a * b for a, b in zip(python, snake, strict=True))
    assert cosine > sum(a * b for a, b in zip(python, kitchen, strict=True)) + 0.2


def test_short_batch_runs_on_one_thread_and_batches_get_torchs_count(embedder: Embedder) -> None:
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        fresh = Embedder()
        fresh._model = embedder._load()  # share the loaded weights
        long_text = "Kubernetes operators in Go. " * (SHORT_BATCH_CHARS // 20)
        long_vector = fresh.embed_sync([long_text])[0]
        assert torch.get_num_threads() == 2
        query = fresh.embed_sync(["data engineer remote"])[0]
        assert torch.get_num_threads() == 1
        # Back to the batch count for a long batch, and the same vector either way.
        assert fresh.embed_sync([long_text])[0] == pytest.approx(long_vector, abs=1e-5)
        assert torch.get_num_threads() == 2
        torch.set_num_threads(2)
        assert fresh.embed_sync(["data engineer remote"])[0] == pytest.approx(query, abs=1e-5)
    finally:
        torch.set_num_threads(before)


def test_chunk_text_splits_on_sentences_and_caps_the_count() -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(400))
    chunks = chunk_text(text, size=100, limit=5)
    assert len(chunks) == 5
    assert all(len(chunk) <= 100 for chunk in chunks)
    assert chunks[0].startswith("Sentence number 0 is here.")
    assert chunk_text("") == []


async def test_document_embedding_is_cached_by_content(embedder: Embedder) -> None:
    fresh = Embedder(cache_size=2)
    fresh._model = embedder._load()
    text = "Led a team of five engineers. Shipped a payments platform on AWS."
    first = await fresh.embed_document(text)
    assert math.isclose(sum(x * x for x in first), 1.0, rel_tol=1e-4)
    assert await fresh.embed_document(text) is first
    await fresh.embed_document("Another text.")
    await fresh.embed_document("A third text.")
    # The oldest entry was evicted: a new (equal) vector is computed.
    again = await fresh.embed_document(text)
    assert again is not first
    assert again == pytest.approx(first, abs=1e-5)
