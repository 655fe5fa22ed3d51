"""The complaint tables and the imperative mapping of the domain classes (the domain never imports this).

Declared on ``storage.schema.metadata``, as are the server's tables (``orm_api``) and the dashboard
rollup (``orm_analytics``); ``storage.all_tables`` gathers the three for Alembic."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import configure_mappers, registry, relationship

from complaintdesk.domain import model
from complaintdesk.domain.tasks import Task
from complaintdesk.domain.vocab import Category, Channel, MessageKind, Priority, Segment, Stage
from complaintdesk.storage.schema import UTCDateTime, metadata, vocabulary

mapper_registry = registry(metadata=metadata)


customers = Table(
    "customers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    # Looked up through uq_customers_phone_name, whose first column it is (migration 0008).
    Column("phone", String(20), nullable=False),
    Column("segment", vocabulary(Segment, "segment"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("phone", "name", name="uq_customers_phone_name"),
)

complaints = Table(
    "complaints",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(24), nullable=False, unique=True),
    # Indexed first in ix_complaints_customer_opened (migration 0008).
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("channel", vocabulary(Channel, "channel"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("category", vocabulary(Category, "category"), nullable=False),  # ix_complaints_category_due
    Column("demands", JSON, nullable=False),
    Column("priority", vocabulary(Priority, "priority"), nullable=False),
    Column("stage", vocabulary(Stage, "stage"), nullable=False, index=True),
    Column("owner", String(100), nullable=False),  # first in ix_complaints_owner_due (0012)
    Column("escalation_level", Integer, nullable=False),
    Column("transfer_count", Integer, nullable=False),
    Column("runaround", Boolean, nullable=False),
    Column("repeat", Boolean, nullable=False),
    Column("proposal", Text),
    Column("waiver_reason", Text),
    Column("signoff_satisfied", Boolean),
    Column("signoff_reason", Text),
    Column("signoff_at", UTCDateTime),
    Column("follow_up_due", UTCDateTime),
    Column("follow_up_done_at", UTCDateTime),
    Column("follow_up_outcome", Text),
    Column("reopen_count", Integer, nullable=False),
    Column("analysis", JSON),
    Column("facts", JSON),  # established by the agent for the policy check (migration 0003)
    Column("opened_at", UTCDateTime, nullable=False, index=True),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("first_response_at", UTCDateTime),
    Column("version", Integer, nullable=False),
    # Set while an import is still writing this complaint: reads leave it out (migration 0009).
    Column("import_id", String(32)),
    # The earliest due time of its running clocks (NULL: none runs), kept by database triggers on
    # sla_clocks (migration 0012) so the queue sorts and counts by it without reading the clocks.
    Column("next_due_at", UTCDateTime),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("kind", vocabulary(MessageKind, "message_kind"), nullable=False),
    Column("author", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    # Uploaded by the customer on their status page (migration 0014).
    Column("from_customer", Boolean, nullable=False, server_default=false()),
)

attachment_blobs = Table(
    "attachment_blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("size", BigInteger, nullable=False),
)

transfers = Table(
    "transfers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("from_owner", String(100)),
    Column("to_owner", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

promises = Table(
    "promises",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("what", Text, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("made_at", UTCDateTime, nullable=False),
    Column("made_by", String(100), nullable=False),
    Column("kept", Boolean),
    Column("resolved_at", UTCDateTime),
)

# Call-back and follow-up tasks (migration 0014): a promise to call back or a scheduled follow-up,
# with when its owner was reminded, when its lead was told it was missed, and how it went.
tasks = Table(
    "tasks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("kind", String(16), nullable=False),  # callback | follow_up
    Column("what", Text, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("promise_id", Integer, ForeignKey("promises.id", ondelete="SET NULL")),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("reminded_at", UTCDateTime),
    Column("missed_at", UTCDateTime),
    Column("outcome", String(16)),  # reached | not_reached | satisfied; null while open
    Column("outcome_by", String(100)),
    Column("outcome_at", UTCDateTime),
)
# The sweep and the inbox read open tasks in due order: only open rows are indexed.
Index("ix_tasks_open_due", tasks.c.due_at, postgresql_where=text("outcome IS NULL"),
      sqlite_where=text("outcome IS NULL"))

repeat_links = Table(
    "repeat_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("earlier_number", String(24), nullable=False),
    Column("score", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

sla_clocks = Table(
    "sla_clocks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("complaint_number", String(24), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("ref", String(64), nullable=False),
    Column("clock", JSON, nullable=False),  # domain.sla.SlaClock.to_dict()
    Column("active", Boolean, nullable=False),  # the sweep's index: ix_sla_clocks_active_due
    Column("due_at", UTCDateTime, nullable=False),  # first in ix_sla_clocks_due_kind_state (0008)
    Column("steps_applied", Integer, nullable=False),
    Column("warned", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

number_sequences = Table(
    "number_sequences",
    metadata,
    Column("day", Date, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("complaint_number", String(24), index=True),
    Column("kind", String(64), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    Column("team", String(64)),
    Column("password_hash", String(255)),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
)

calendar_days = Table(
    "calendar_days",
    metadata,
    Column("calendar", String(32), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("kind", String(16), nullable=False),  # holiday | workday
    Column("name", String(100)),
)

Index("ix_complaints_customer_opened", complaints.c.customer_id, complaints.c.opened_at)
Index("ix_complaints_import_id", complaints.c.import_id,
      postgresql_where=text("import_id IS NOT NULL"), sqlite_where=text("import_id IS NOT NULL"))

# Imports in progress (services.importer): an import whose row was not touched for a while died,
# and the next import removes what it had staged.
import_runs = Table(
    "import_runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("actor", String(100), nullable=False),
    Column("source", String(255), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("touched_at", UTCDateTime, nullable=False),
)

# The in-app inbox (services.notifications): one row per person told, written by a commit handler in
# the transaction of the change it is about. The header's badge counts a person's unread rows on every
# poll, so the partial index holds only unread rows, by recipient: the count reads the index alone.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recipient", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("complaint_number", String(24)),
    Column("actor", String(100), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("summary", String(500), nullable=False),
    Column("request_id", Integer),  # an approval request this notification asks a lead to decide
    Column("read_at", UTCDateTime),
)
Index("ix_notifications_recipient_id", notifications.c.recipient, notifications.c.id)
Index("ix_notifications_unread", notifications.c.recipient,
      postgresql_where=text("read_at IS NULL"), sqlite_where=text("read_at IS NULL"))

# Teams as records with a lead (users.team names one; services.staff keeps them in step).
teams = Table(
    "teams",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("lead", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
)

# What needs a lead's approval before it happens (services.approvals): an escalation beyond one level,
# a close without the customer's sign-off. Until decided nothing changes on the complaint.
approval_requests = Table(
    "approval_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("complaint_number", String(24), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # escalate | close
    Column("requested_by", String(64), nullable=False),
    Column("approver", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # pending | approved | declined
    Column("requested_at", UTCDateTime, nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", UTCDateTime),
    Column("decision_note", String(1000)),
)

_mapped = False


def start_mappers() -> None:
    """Map the domain classes onto the tables, once per process."""
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(model.Customer, customers)
    mapper_registry.map_imperatively(model.Message, messages)
    mapper_registry.map_imperatively(model.Attachment, attachments)
    mapper_registry.map_imperatively(model.Transfer, transfers)
    mapper_registry.map_imperatively(model.Promise, promises)
    mapper_registry.map_imperatively(model.RepeatLink, repeat_links)
    mapper_registry.map_imperatively(Task, tasks, properties={"promise": relationship(model.Promise)})
    mapper_registry.map_imperatively(
        model.Complaint,
        complaints,
        version_id_col=complaints.c.version,
        exclude_properties=["next_due_at"],  # the database's own (triggers), never written by the ORM
        properties={
            "messages": relationship(model.Message, order_by=messages.c.id, cascade="all, delete-orphan"),
            "attachments": relationship(
                model.Attachment, order_by=attachments.c.id, cascade="all, delete-orphan"
            ),
            "transfers": relationship(model.Transfer, order_by=transfers.c.id, cascade="all, delete-orphan"),
            "promises": relationship(model.Promise, order_by=promises.c.id, cascade="all, delete-orphan"),
            "tasks": relationship(Task, order_by=tasks.c.id, cascade="all, delete-orphan"),
            "repeat_links": relationship(
                model.RepeatLink, order_by=repeat_links.c.id, cascade="all, delete-orphan"
            ),
        },
    )
    # Configured now, not on the first query: ``row_loading`` makes objects without one (a complaint
    # read before any ORM query in the process found its attributes' instrumentation missing).
    configure_mappers()
    _mapped = True


# Dashboard speed (migration 0004): the per-day signature and the SLA window read from the index alone.
# The queue (migration 0012): due order over everyone's complaints, over one owner's and over one
# category's; the columns after the order let a count (overdue, open, per owner: the board, the views)
# read the index alone instead of a hundred thousand rows.
_c = complaints.c
Index("ix_complaints_next_due", _c.next_due_at, _c.id, _c.stage, _c.owner, _c.import_id)
Index("ix_complaints_owner_due", _c.owner, _c.next_due_at, _c.id, _c.stage, _c.import_id, _c.opened_at,
      _c.escalation_level, _c.runaround)
Index("ix_complaints_category_due", _c.category, _c.next_due_at, _c.id, _c.stage, _c.import_id)
Index("ix_complaints_opened_signature", complaints.c.opened_at, complaints.c.version, complaints.c.id)
Index("ix_sla_clocks_due_kind_state", sla_clocks.c.due_at, sla_clocks.c.kind, sla_clocks.c.active,
      sla_clocks.c.updated_at)
# The SLA sweep (migration 0008): running clocks only, in due order. Each predicate is written as that
# database renders the sweep's condition, since SQLite uses a partial index only on a literal match.
Index("ix_sla_clocks_active_due", sla_clocks.c.due_at,
      postgresql_where=text("active"), sqlite_where=text("active = 1"))

