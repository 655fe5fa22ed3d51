"""Background work a running server does on its own: the SLA sweep and webhook delivery, every
``interval`` seconds, in one daemon thread of the ``serve`` process. Several servers may run it at
once: both jobs claim rows with SKIP LOCKED (PostgreSQL) and act once per threshold or event."""

from __future__ import annotations

import logging
import threading

from complaintdesk.services import sla_service, webhooks
from complaintdesk.services.bootstrap import Desk

log = logging.getLogger(__name__)


class Housekeeper:
    def __init__(self, desk: Desk, interval: float, sender: webhooks.Sender | None = None) -> None:
        self.desk = desk
        self.interval = interval
        self.sender = sender
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="complaintdesk-housekeeping", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def run_once(self) -> None:
        swept = sla_service.sweep(self.desk.uow())
        if swept.warnings or swept.escalations:
            log.info("SLA sweep: %s", swept.summary())
        sender = self.sender or webhooks.http_sender()
        delivered = webhooks.deliver_due(self.desk.uow, sender)
        if delivered.claimed:
            log.info("webhooks: %s", delivered.to_dict())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.run_once()
            except Exception:  # keep the server's background work alive; the failure is logged whole
                log.exception("housekeeping round failed")
