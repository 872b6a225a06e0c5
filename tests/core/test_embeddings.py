"""The embedder: unit vectors, chunking, the document cache and its torch threads."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from careergini.config import Settings
from careergini.core.embeddings import DIMENSION, Embedder, chunk_text
from careergini.runtime.resources import build_resources


def test_vectors_are_unit_length_and_similar_texts_are_close(embedder: Embedder) -> None:
    python, snake, kitchen = embedder.embed_sync(
        ["Python developer", "Python programmer", "kitchen porter"]
    )
    assert len(python) == DIMENSION
    assert math.isclose(sum(x * x for x in python), 1.0, rel_tol=1e-4)
    cosine = sum(a * b for a, b in zip(python, snake, strict=True))
    assert cosine > sum(a * b for a, b in zip(python, kitchen, strict=True)) + 0.2


def test_the_thread_count_is_set_once_when_the_model_loads(tmp_path: Path) -> None:
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        Embedder(threads=0)._load()  # 0: torch's own count is left alone
        assert torch.get_num_threads() == 2
        one = Embedder(threads=1)
        one.embed_sync(["data engineer remote"])
        assert torch.get_num_threads() == 1
        # Every call keeps it: no per-call resizing of torch's pool.
        one.embed_sync(["Kubernetes operators in Go. " * 40, "a short one"])
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


async def test_the_embedding_threads_setting_reaches_the_embedder(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, embedding_threads=3)
    resources = build_resources(settings)
    try:
        assert resources.embedder._threads == 3
    finally:
        await resources.aclose()
    assert Settings(_env_file=None).embedding_threads == 1


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
