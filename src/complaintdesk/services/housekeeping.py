"""Background work a running server does on its own: the SLA and task sweeps, webhook, mail and SMS delivery, every
``interval`` seconds, and a signed checkpoint of the audit chain every ``audit_checkpoint_seconds``,
in one daemon thread of the ``serve`` process. Several servers may run it at once: both jobs claim
rows with SKIP LOCKED (PostgreSQL) and act once per threshold or event; checkpoints take no lock (a
second server's checkpoint of the same head is skipped or is one more line)."""

from __future__ import annotations

import logging
import threading
import time

from complaintdesk import knowledge
from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.services import audit_service, callbacks, mail_outbox, sla_service, sms_outbox, webhooks
from complaintdesk.services.bootstrap import Desk
from complaintdesk.settings import get_settings

log = logging.getLogger(__name__)


class Housekeeper:
    def __init__(self, desk: Desk, interval: float, sender: webhooks.Sender | None = None) -> None:
        self.desk = desk
        self.interval = interval
        self.sender = sender
        self.checkpoint_every = get_settings().audit_checkpoint_seconds
        self._next_checkpoint = 0.0  # the first round signs one: a restart is a moment worth anchoring
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="complaintdesk-housekeeping", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def run_once(self) -> None:
        knowledge.refresh(self.desk.settings)  # a reload asked for since the last round (SLA policy …)
        swept = sla_service.sweep(self.desk.uow())
        if swept.warnings or swept.breaches:
            log.info("SLA sweep: %s", swept.summary())
        tasks = callbacks.sweep(self.desk.uow())
        if tasks.reminders or tasks.missed:
            log.info("task sweep: %s", tasks.summary())
        sender = self.sender or webhooks.http_sender()
        delivered = webhooks.deliver_due(self.desk.uow, sender)
        if delivered.claimed:
            log.info("webhooks: %s", delivered.to_dict())
        self.send_mail()
        self.send_sms()
        if time.monotonic() >= self._next_checkpoint:
            self._next_checkpoint = time.monotonic() + self.checkpoint_every
            self.checkpoint()

    def send_mail(self) -> None:
        """Customer mail due in the outbox, when an SMTP server is configured (else it waits queued)."""
        try:
            mailed = mail_outbox.deliver_with_smtp(self.desk.uow)
        except ComplaintDeskError as exc:  # a bad COMPLAINTDESK_SMTP_URL: said every round, other jobs go on
            log.error("mail not sent: %s", exc.message)
            return
        if mailed is not None and mailed.claimed:
            log.info("mail: %s", mailed.to_dict())

    def send_sms(self) -> None:
        """Customer SMS due in the outbox, when a provider is configured (else it waits queued)."""
        try:
            sent = sms_outbox.deliver_configured(self.desk.uow)
        except ComplaintDeskError as exc:  # a bad COMPLAINTDESK_SMS_URL: said every round (never the URL)
            log.error("sms not sent: %s", exc.message)
            return
        if sent is not None and sent.claimed:
            log.info("sms: %s", sent.to_dict())

    def checkpoint(self) -> None:
        try:
            result = audit_service.checkpoint(self.desk.uow())
        except ComplaintDeskError as exc:  # a broken chain is never signed; say so loudly, keep serving
            log.error("audit checkpoint refused: %s", exc.message)
            return
        if result.written and result.checkpoint is not None:
            log.info("audit checkpoint at event #%d", result.checkpoint.seq)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.run_once()
            except Exception:  # keep the server's background work alive; the failure is logged whole
                log.exception("housekeeping round failed")
