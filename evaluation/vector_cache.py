"""The model's vectors of a fixed corpus, stored so a run does not recompute them.

Embedding the search corpus (about 1,400 chunks of 600 characters) takes minutes on two busy
cores; the evaluation measures search, not the model's speed. ``CachedEmbedder`` is the
product's embedder whose ``embed_sync`` first looks each text up in a file of vectors that the
same model computed for exactly that text (keyed by the text's SHA-256 and the model weights'
fingerprint). A text not in the file (the chunking changed, a new posting) is embedded by the
model as usual; a file made by other weights is ignored. Before use, a few stored vectors are
recomputed and must agree (cosine >= 0.999; they are stored as float16).
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

import numpy as np

from careergini.core.embeddings import Embedder, shipped_model_path


def fingerprint(model_dir: Path | None = None) -> str:
    """Return a short fingerprint of the model weights (their size and first megabyte)."""
    weights = (model_dir or shipped_model_path()) / "model.safetensors"
    with weights.open("rb") as handle:
        head = handle.read(1 << 20)
    return hashlib.sha256(head + str(weights.stat().st_size).encode()).hexdigest()[:16]


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class CachedEmbedder(Embedder):
    """The product's embedder, reading the model's stored vectors where it has them."""

    def __init__(self, path: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        self.recorded: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0
        self.hit_texts: list[str] = []
        if path.is_file():
            stored = np.load(path)
            if str(stored["model"]) == fingerprint(self._model_path):
                self.vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    def embed_sync(self, texts: list[str]) -> list[list[float]]:
        keys = [_key(t) for t in texts]
        missing = [t for t, k in zip(texts, keys, strict=True) if k not in self.vectors]
        computed = dict(zip(map(_key, missing), super().embed_sync(missing), strict=True))
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        self.hit_texts += [t for t in texts if _key(t) not in computed][: 50 - len(self.hit_texts)]
        out = []
        for k in keys:
            if k in computed:
                vector = np.asarray(computed[k], dtype=np.float32)
                self.recorded[k] = vector
                out.append(vector.tolist())
            else:
                out.append(self.vectors[k].astype(np.float32).tolist())
        return out

    def check(self, sample: int = 3) -> None:
        """Recompute a few of the stored vectors used; raise when the model disagrees."""
        stored = self.hit_texts
        for text in random.Random(0).sample(stored, min(sample, len(stored))):
            live = np.asarray(super().embed_sync([text])[0], dtype=np.float32)
            cached = self.vectors[_key(text)].astype(np.float32)
            similarity = float(live @ cached / (np.linalg.norm(live) * np.linalg.norm(cached)))
            if similarity < 0.999:
                raise RuntimeError(
                    f"{self.path.name} disagrees with the model (cosine {similarity:.4f}): "
                    "rebuild it (python -m evaluation.search --rebuild-vectors)"
                )

    def save(self) -> int:
        """Write every vector used so far (stored and computed) to the file; return how many."""
        merged = {**self.vectors, **self.recorded}
        keys = sorted(merged)
        np.savez_compressed(
            self.path,
            model=np.array(fingerprint(self._model_path)),
            keys=np.array(keys),
            vectors=np.stack([merged[k] for k in keys]).astype(np.float16),
        )
        return len(keys)
