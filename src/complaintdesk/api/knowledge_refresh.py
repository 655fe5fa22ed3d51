"""Each server worker serves the centre's knowledge again when a reload was requested (by another
worker, the CLI or the admin page): checked before a request at most once a second, a stat and a
small read; the reload itself runs off the event loop."""

from __future__ import annotations

import time

from anyio import to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from complaintdesk import knowledge
from complaintdesk.knowledge.runtime import CHECK_EVERY_SECONDS
from complaintdesk.settings import Settings


class KnowledgeRefresh:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._last = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            now = time.monotonic()
            if now - self._last >= CHECK_EVERY_SECONDS:
                self._last = now
                await to_thread.run_sync(knowledge.refresh, self.settings)
        await self.app(scope, receive, send)
