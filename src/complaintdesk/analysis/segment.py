"""jieba segmentation with the complaint-term user dictionary (``data/userdict.txt``), loaded once.

Used to keep short, ambiguous cues honest (a cue marked ``word: true`` must be whole words) and to
measure utterances (token counts) for the structural customer types.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from complaintdesk.yamldata import centre_file, knowledge_cache, shipped

_lock = threading.Lock()


@knowledge_cache("userdict")
def active_userdict(directory: Path | None) -> Path | None:
    return centre_file(directory, "analysis", "userdict.txt")


def tokenizer() -> Any:
    """jieba with the word list in force: the centre's ``analysis/userdict.txt`` or the packaged one."""
    return _tokenizer(active_userdict())


@lru_cache(maxsize=2)  # built again only when a reload changes which word list is in force
def _tokenizer(local: Path | None) -> Any:
    import jieba

    with _lock:
        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        if local is not None:
            tok.load_userdict(str(local))
        else:
            tok.load_userdict(str(shipped("complaintdesk.analysis.data", "userdict.txt")))
        return tok


_BLOCK_CHAR = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")


class WordChecker:
    """Does ``text[start:end]`` begin and end on jieba word boundaries?

    jieba segments each run of Han/alphanumeric characters on its own, so only the run around a hit
    needs segmenting; each run is segmented at most once, keeping long inputs linear.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._edges: dict[int, frozenset[int]] = {}

    def _block(self, position: int) -> tuple[int, int]:
        text, start, end = self.text, position, position
        while start > 0 and _BLOCK_CHAR.match(text[start - 1]):
            start -= 1
        while end < len(text) and _BLOCK_CHAR.match(text[end]):
            end += 1
        return start, end

    def __call__(self, start: int, end: int) -> bool:
        block_start, block_end = self._block(start)
        edges = self._edges.get(block_start)
        if edges is None:
            edges = frozenset(block_start + e for e in boundaries(self.text[block_start:block_end]))
            self._edges[block_start] = edges
        return start in edges and end in edges


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
