"""jieba segmentation with the complaint-term user dictionary (``data/userdict.txt``), loaded once.

Used to keep short, ambiguous cues honest (a cue marked ``word: true`` must be whole words) and to
measure utterances (token counts) for the structural customer types.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from importlib import resources
from typing import Any

_lock = threading.Lock()


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    import jieba

    with _lock:
        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        words = resources.files("complaintdesk.analysis.data").joinpath("userdict.txt")
        with resources.as_file(words) as path:
            tok.load_userdict(str(path))
        return tok


def boundaries(text: str) -> frozenset[int]:
    """Offsets (into ``text``) where a jieba word starts or ends."""
    edges = {0, len(text)}
    position = 0
    for word in tokenizer().cut(text, HMM=False):
        position += len(word)
        edges.add(position)
    return frozenset(edges)


def count_tokens(text: str) -> int:
    return sum(1 for w in tokenizer().cut(text, HMM=False) if w.strip())
