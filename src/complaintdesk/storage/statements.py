"""The statements of the busiest use-cases, built once per process.

SQLAlchemy finds a statement's compiled form by a cache key it derives by walking the statement; a
statement rebuilt on every call (with its values inlined) is walked anew each time, which measured
more Python time than the database round trip itself. These are built once with named parameters and
executed with a parameter dict, so the walk is memoised and only the values change.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    bindparam,
    column,
    exists,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from complaintdesk.domain.vocab import Stage
from complaintdesk.storage import orm
from complaintdesk.storage.orm_api import search_documents

CHILD_TABLES = {
    "messages": orm.messages,
    "attachments": orm.attachments,
    "transfers": orm.transfers,
    "promises": orm.promises,
    "tasks": orm.tasks,
    "repeat_links": orm.repeat_links,
}

AUDIT_LOCK_KEY = 7_351_004  # PostgreSQL advisory lock id that serialises appends to the audit chain

# The function (migration 0006) takes the lock, reads the tail with a snapshot taken after the wait,
# links and hashes the events and inserts them.
# Sent by psycopg itself (storage.driver_sql): it runs on every change.
AUDIT_APPEND_POSTGRESQL = (
    "SELECT seq, prev_hash, hash FROM complaintdesk_audit_append(CAST(%(key)s AS bigint), CAST(%(events)s AS json))"
)


CUSTOMER_ROW = tuple(orm.customers.c[name] for name in ("id", "name", "phone", "segment", "created_at"))

# next_due_at is the database's own (triggers on sla_clocks, migration 0012)
COMPLAINT_INSERT_COLUMNS = tuple(c.key for c in orm.complaints.c if c.key not in ("id", "next_due_at"))


def _insert(table: Any, names: Any) -> Any:
    """An INSERT of exactly these columns, each a named parameter (so that a statement compiled once,
    as ``driver_sql`` compiles it, writes no other column)."""
    return insert(table).values({name: bindparam(name) for name in names})


@cache
def complaint_insert() -> Any:
    """A new complaint's row (values for every column in COMPLAINT_INSERT_COLUMNS), returning its id."""
    return _insert(orm.complaints, COMPLAINT_INSERT_COLUMNS).returning(orm.complaints.c.id)


REPEAT_LINK_INSERT_COLUMNS = ("complaint_id", "earlier_number", "score", "reason", "at")


@cache
def repeat_link_insert() -> Any:
    """A new complaint's repeat link (values for every column in REPEAT_LINK_INSERT_COLUMNS), returning its id."""
    return _insert(orm.repeat_links, REPEAT_LINK_INSERT_COLUMNS).returning(orm.repeat_links.c.id)


@cache
def intake_insert_postgresql(with_search_entry: bool) -> Any:
    """A new complaint's row, its first SLA clocks (``:clocks``, a JSON array of rows) and, with
    ``with_search_entry``, its search entry (``:entry_*``) in one statement, returning its id.

    Three statements (one of them an executemany) cost an intake about three times the Python and
    round-trip time of this one; data-modifying WITH clauses all run, in one snapshot.
    """
    t = orm.complaints
    complaint = (
        insert(t).values({name: bindparam(name) for name in COMPLAINT_INSERT_COLUMNS}).returning(t.c.id).cte("c")
    )
    k = orm.sla_clocks
    clock_columns = [col for col in k.c if col.key != "id"]
    rows = (
        func.json_to_recordset(bindparam("clocks", type_=JSON))
        .table_valued(*[column(col.key, col.type) for col in clock_columns])
        .render_derived(name="r", with_types=True)
    )
    clocks = insert(k).from_select([col.key for col in clock_columns], select(*rows.c)).cte("k")
    query = select(complaint.c.id).add_cte(clocks)
    if with_search_entry:
        d = search_documents.c
        entry_columns = ("number", "version", "content", "grams", "updated_at")
        values = [bindparam(f"entry_{name}", type_=d[name].type) for name in entry_columns]
        entry = insert(search_documents).from_select(
            ["complaint_id", *entry_columns], select(complaint.c.id, *values)
        )
        query = query.add_cte(entry.cte("s"))
    return query


# The clock columns ``complaint_by_number`` carries along as JSON (enough to rebuild a ClockRow).
PRELOADED_CLOCK_COLUMNS = ("id", "clock", "active", "due_at", "steps_applied", "warned", "updated_at")


def _clocks_as_json(dialect_name: str, number: Any) -> Any:
    """The complaint's SLA clock rows as one JSON array (null without any), in no particular order."""
    k = orm.sla_clocks
    pairs: list[Any] = []
    for name in PRELOADED_CLOCK_COLUMNS:
        value: Any = k.c[name]
        if name == "clock" and dialect_name != "postgresql":
            value = func.json(value)  # SQLite stores it as text: nested as JSON, not as a string
        pairs.extend((literal_column(f"'{name}'"), value))
    if dialect_name == "postgresql":
        rows = func.json_agg(func.json_build_object(*pairs))
    else:
        rows = func.json_group_array(func.json_object(*pairs))
    return select(rows).where(k.c.complaint_number == number).having(func.count() > 0).scalar_subquery()


# The complaint's and its customer's mapped columns, in the order ``complaint_by_number`` selects them.
COMPLAINT_COLUMNS = tuple(c.key for c in orm.complaints.c if c.key != "next_due_at")  # next_due_at: not mapped
CUSTOMER_COLUMNS = tuple(c.key for c in orm.customers.c)


@cache
def complaint_by_number(clocks_dialect: str | None = None) -> Any:
    """The complaint's columns (``COMPLAINT_COLUMNS``), its customer's (``CUSTOMER_COLUMNS``), one flag
    per child collection (does it have any rows?) and, with ``clocks_dialect`` (the database's dialect
    name), its SLA clocks as JSON (``clocks``): every workflow command reads them right after the
    complaint (``sla_service.on_complaint_changed``), and a statement less is a round trip less. Reads
    that show no clock leave them out.

    Plain columns, not entities: ``storage.row_loading`` puts the objects into the session, at about
    a third of the ORM's cost of loading them."""
    c = orm.complaints.c
    customer = orm.customers.c
    flags = [exists().where(table.c.complaint_id == c.id).label(name) for name, table in CHILD_TABLES.items()]
    if clocks_dialect is not None:
        flags.append(_clocks_as_json(clocks_dialect, c.number).label("clocks"))
    return (
        select(
            *(c[name] for name in COMPLAINT_COLUMNS),
            *(customer[name].label(f"customer_{name}") for name in CUSTOMER_COLUMNS),
            *flags,
        )
        .join_from(orm.complaints, orm.customers, customer.id == c.customer_id)
        .where(c.number == bindparam("number"), c.import_id.is_(None))  # not while an import writes it
    )


# Read the customer by phone and name, else insert; a concurrent creator of the same customer meets
# ON CONFLICT, which returns that row instead of failing. A no-op update of a column outside every
# unique key: the row lock it takes (FOR NO KEY UPDATE) does not block the foreign-key checks of other
# complaints of this customer. xmax is 0 on a row this statement inserted, and set on one it met on
# conflict: ``was_created`` tells which. Sent by psycopg itself (storage.driver_sql) on every intake.
CUSTOMER_FIND_OR_ADD_POSTGRESQL = """
WITH found AS (
    SELECT id, name, phone, segment, created_at FROM customers
    WHERE phone = %(phone)s AND name = %(name)s
), created AS (
    INSERT INTO customers (name, phone, segment, created_at)
    SELECT %(name)s, %(phone)s, %(segment)s, %(created_at)s
    WHERE NOT EXISTS (SELECT found.id FROM found)
    ON CONFLICT (phone, name) DO UPDATE SET segment = customers.segment
    RETURNING id, name, phone, segment, created_at, xmax = 0 AS was_created
)
SELECT id, name, phone, segment, created_at, false AS was_created FROM found
UNION ALL
SELECT id, name, phone, segment, created_at, was_created FROM created
"""


# The function (migration 0007) bumps the counter in a transaction that commits without waiting for
# the disk; psycopg runs it in autocommit, outside the intake's transaction (see
# ComplaintRepository.next_number).
NEXT_DAY_NUMBER_POSTGRESQL = "SELECT complaintdesk_next_day_number(%s::date)"


@cache
def next_day_number_sqlite() -> Any:
    """Bump the per-day counter (created at 1 on the day's first complaint) and return it, inside the
    intake's transaction (PostgreSQL draws through NEXT_DAY_NUMBER_POSTGRESQL instead)."""
    seq = orm.number_sequences
    return (
        sqlite.insert(seq)
        .values(day=bindparam("day", type_=seq.c.day.type), last_value=1)
        .on_conflict_do_update(index_elements=[seq.c.day], set_={"last_value": seq.c.last_value + 1})
        .returning(seq.c.last_value)
    )


@cache
def clocks_insert() -> Any:
    """New SLA clock rows (``ClockRow.values()``)."""
    return _insert(orm.sla_clocks, [c.key for c in orm.sla_clocks.c if c.key != "id"])


@cache
def customer_by_phone_and_name() -> Any:
    """The customer with this phone and name (one at most: uq_customers_phone_name), as plain columns."""
    t = orm.customers
    return select(*CUSTOMER_ROW).where(t.c.phone == bindparam("phone")).where(t.c.name == bindparam("name"))


@cache
def customer_insert() -> Any:
    """A new customer's row, returning its id."""
    return _insert(orm.customers, ("name", "phone", "segment", "created_at")).returning(orm.customers.c.id)


@cache
def repeat_candidates() -> Any:
    c = orm.complaints.c
    return (
        select(c.number, c.title, c.description)
        .where(c.customer_id == bindparam("customer_id"))
        .where((c.stage != Stage.CLOSED.value) | (c.opened_at >= bindparam("since", type_=c.opened_at.type)))
        .order_by(c.id.desc())
        .limit(50)
    )


@cache
def clocks_of_complaint() -> Any:
    t = orm.sla_clocks
    return select(t).where(t.c.complaint_number == bindparam("number")).order_by(t.c.id)


@cache
def audit_insert() -> Any:
    """Sealed audit events (``audit_log._row``): every column, each a named parameter."""
    return _insert(orm.audit_events, [c.key for c in orm.audit_events.c])


@cache
def audit_tail_sqlite() -> Any:
    t = orm.audit_events
    return select(t.c.seq, t.c.hash).order_by(t.c.seq.desc()).limit(1)


@cache
def search_document_upsert(dialect_name: str) -> Any:
    """Write a complaint's search entry whether or not it has one (values come as parameters)."""
    dialect: Any = sqlite if dialect_name == "sqlite" else postgresql
    upsert = dialect.insert(search_documents)
    columns = ("number", "version", "content", "grams", "updated_at")
    return upsert.on_conflict_do_update(
        index_elements=[search_documents.c.complaint_id], set_={k: upsert.excluded[k] for k in columns}
    )
