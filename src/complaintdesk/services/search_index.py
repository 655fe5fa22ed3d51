"""The full-text index of complaints, kept in step with every commit (what an entry holds, and why
bigrams: ``storage.search_entries``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from complaintdesk.domain.model import Complaint
from complaintdesk.services.commit_pipeline import Commit
from complaintdesk.storage import driver_sql, orm, statements
from complaintdesk.storage.orm_api import search_documents
from complaintdesk.storage.repository import INSERTED_COMPLAINTS_KEY
from complaintdesk.storage.search_entries import INDEXED_ATTRIBUTES, entry, index_present

_STATE_KEY = "complaintdesk.search.dirty"
# FTS5 honours OR REPLACE on the rowid (the old row's tokens are removed from the index too): one
# statement where a delete and an insert were two.
_REPLACE_FTS = text("INSERT OR REPLACE INTO search_fts (rowid, grams) VALUES (:id, :grams)")


def write_documents(conn: Connection, complaints: Iterable[Complaint], now: datetime | None = None) -> int:
    """Replace the index entries of these complaints (inside the caller's transaction)."""
    now = now or datetime.now(UTC)
    sqlite = conn.dialect.name == "sqlite"
    count = 0
    for complaint in complaints:
        if complaint.id is None:
            continue
        row = entry(complaint, now)
        # One upsert, not delete + insert: a round trip less on every indexed change. On SQLite both
        # statements are sent by sqlite3 itself (driver_sql: SQLAlchemy's execution cost more than they).
        if sqlite:
            driver_sql.execute(conn, statements.search_document_upsert("sqlite"), row)
            driver_sql.execute(conn, _REPLACE_FTS, {"id": complaint.id, "grams": row["grams"]})
        else:
            conn.execute(statements.search_document_upsert(conn.dialect.name), row)
        count += 1
    return count


def reindex(session: Session, *, batch: int = 500, full: bool = False) -> int:
    """Index complaints that have no entry or an outdated one (or all of them with ``full``). An entry
    keeps the version whose text it holds: changes that leave the text alone (a stage move) do not
    rewrite it, so this also rewrites those entries, identically."""
    c = orm.complaints.c
    d = search_documents.c
    done = 0
    after = 0
    while True:
        query = select(Complaint).where(c.id > after).order_by(c.id).limit(batch)
        if not full:
            stale = select(d.complaint_id).where(d.complaint_id == c.id, d.version == c.version)
            query = query.where(~stale.exists())
        rows = list(session.scalars(query))
        if not rows:
            return done
        done += write_documents(session.connection(), rows)
        after = rows[-1].id or after
        session.commit()


# -- keeping the index in step: the flushes tell which complaints changed, the commit writes them ------


def _content_changed(complaint: Complaint) -> bool:
    """Whether this flush changes what the index holds (a stage move or an owner change does not)."""
    state = inspect(complaint)
    return any(state.attrs[name].history.has_changes() for name in INDEXED_ATTRIBUTES)


def _note_changed(session: Session, _context: Any) -> None:
    # Attribute history still describes the flush here (it is reset before after_flush_postexec).
    changed = [o for o in session.new if isinstance(o, Complaint)]
    changed.extend(o for o in session.dirty if isinstance(o, Complaint) and _content_changed(o))
    if changed:
        session.info.setdefault(_STATE_KEY, set()).update(changed)


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_STATE_KEY, None)
    session.info.pop(INSERTED_COMPLAINTS_KEY, None)


def track_changes(factory: sessionmaker[Session]) -> None:
    """Note, in each session of this factory, the complaints whose indexed text a flush changed (and
    forget them when the transaction rolls back). Installed on the desk's factory when it is composed
    (``bootstrap``); the entries are written by ``write_changed``, a commit handler."""
    event.listen(factory, "after_flush", _note_changed)
    event.listen(factory, "after_rollback", _forget)


def write_changed(commit: Commit) -> None:
    """Commit handler: write the entries of the complaints changed in this transaction — those a flush
    wrote and those the repository inserted directly (``INSERTED_COMPLAINTS_KEY``).

    A failure here fails the whole use-case (nothing half-written); `reindex` rebuilds entries lost
    any other way.
    """
    session = commit.session
    pending: set[Complaint] = session.info.pop(_STATE_KEY, None) or set()
    pending.update(session.info.pop(INSERTED_COMPLAINTS_KEY, None) or ())
    if not pending or not index_present(session):
        return
    write_documents(driver_sql.session_connection(session), sorted(pending, key=lambda c: c.id or 0))
