"""The SMTP listener (aiosmtpd) that centres relay customer mail to. A mail is answered ``250`` only
after it is taken in (its complaint committed); when that fails the answer is ``451`` and the relaying
server keeps the mail and delivers it again — a mail is never lost between the two."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from aiosmtpd.controller import Controller

log = logging.getLogger(__name__)

TakeIn = Callable[[bytes, str | None], object]


class IntakeHandler:
    def __init__(self, take_in: TakeIn) -> None:
        self.take_in = take_in

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        try:
            # The database work is blocking: off the event loop, so other connections are served.
            await asyncio.to_thread(self.take_in, raw, envelope.mail_from)
        except Exception:  # logged whole; the sender retries, the mail stays with it until then
            log.exception("inbound mail from %s not taken in", envelope.mail_from)
            return "451 4.3.0 Temporary failure, please try again later"
        return "250 OK"


def start(take_in: TakeIn, host: str, port: int, *, max_bytes: int) -> Controller:
    """Listen in a background thread; ``stop()`` on the returned controller ends it."""
    controller = Controller(IntakeHandler(take_in), hostname=host, port=port, data_size_limit=max_bytes)
    controller.start()
    return controller
