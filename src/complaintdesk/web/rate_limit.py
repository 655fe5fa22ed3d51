"""A small in-process sliding-window limiter for the pages anyone may reach without signing in (the
customer status page). Per process: with ``serve --workers N`` a client gets up to N times the limit,
which still stops a script from walking tokens or flooding a complaint with messages."""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float, max_keys: int = 10_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one request for ``key``; False when it is over the limit in the current window."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            if len(self._hits) >= self.max_keys and key not in self._hits:
                self._forget_idle(moment)
            hits = self._hits.setdefault(key, deque())
            while hits and moment - hits[0] >= self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(moment)
            return True

    def _forget_idle(self, moment: float) -> None:
        idle = [k for k, hits in self._hits.items() if not hits or moment - hits[-1] >= self.window]
        for key in idle:
            del self._hits[key]
        if len(self._hits) >= self.max_keys:  # all busy: a flood of keys; start over rather than grow
            self._hits.clear()

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
