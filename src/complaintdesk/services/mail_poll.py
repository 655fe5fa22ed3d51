"""Mail in from a mailbox read over IMAP: each waiting mail goes through the same intake as the SMTP
listener's (``mail_intake.take_in``: a new complaint or a threaded reply, the acknowledgement, machines'
mail ignored, second deliveries recognised by Message-ID).

A mail is marked in the mailbox (flagged ``\\Seen`` or moved to a folder) only after its complaint is
committed. A poller that dies between the fetch and the commit leaves the mail unmarked: the next round
fetches it again, and if the first commit did happen after all, the Message-ID makes it a duplicate —
one complaint either way. A mail whose intake fails (a database restart) stays unmarked and is retried
next round; the other mails of the round still go through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Protocol

from complaintdesk.services import mail_intake
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import get_settings

log = logging.getLogger(__name__)


class Mailbox(Protocol):
    def waiting(self) -> list[tuple[int, int]]: ...  # (UID, size) of each mail not taken in yet

    def fetch(self, uid: int) -> bytes | None: ...

    def done(self, uid: int) -> None: ...


@dataclass
class PollRun:
    fetched: int = 0
    opened: int = 0
    threaded: int = 0
    ignored: int = 0
    duplicate: int = 0
    too_large: int = 0  # left in the mailbox, unmarked, for a person to read
    failed: int = 0  # intake failed: left unmarked, fetched again next round
    numbers: list[str] = field(default_factory=list)  # the complaints opened or written into
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def poll_once(
    uow_factory: Callable[[], UnitOfWork],
    mailbox: Mailbox,
    *,
    max_bytes: int,
    after_fetch: Callable[[int], None] | None = None,
) -> PollRun:
    """One round: every waiting mail taken in, then marked."""
    run = PollRun()
    for uid, size in mailbox.waiting():
        if size > max_bytes:
            run.too_large += 1
            log.warning("mail UID %s is %s bytes, over the %s limit: left in the mailbox", uid, size, max_bytes)
            continue
        raw = mailbox.fetch(uid)
        if raw is None:  # gone since the search (another poller took it)
            continue
        run.fetched += 1
        if after_fetch is not None:
            after_fetch(uid)
        try:
            intake = mail_intake.take_in(uow_factory, raw, None)
        except Exception as exc:  # logged whole; the mail stays unmarked and is fetched again
            log.exception("mail UID %s not taken in", uid)
            run.failed += 1
            run.errors.append(f"UID {uid}: {type(exc).__name__}: {exc}"[:300])
            continue
        mailbox.done(uid)  # only now: the complaint is committed
        setattr(run, intake.outcome, getattr(run, intake.outcome) + 1)
        if intake.number and intake.outcome in ("opened", "threaded"):
            run.numbers.append(intake.number)
    return run


def poll_with_imap(
    uow_factory: Callable[[], UnitOfWork], *, after_fetch: Callable[[int], None] | None = None
) -> PollRun | None:
    """One round over one IMAP connection; None when no mailbox is configured."""
    from complaintdesk.channels.imap import ImapMailbox, parse_imap_url

    settings = get_settings()
    if not settings.imap_url:
        return None
    mailbox = ImapMailbox(parse_imap_url(settings.imap_url))
    with mailbox.session():
        return poll_once(uow_factory, mailbox, max_bytes=settings.mail_max_bytes, after_fetch=after_fetch)
