"""Repositories over the ORM session: the only place that writes queries for the service layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, insert, inspect, select, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from complaintdesk.domain.errors import NotFound
from complaintdesk.domain.model import Complaint, Customer
from complaintdesk.domain.users import User
from complaintdesk.domain.vocab import Role, Segment, Stage
from complaintdesk.storage import driver_sql, orm, row_loading, search_entries, statements
from complaintdesk.storage.sla_repository import ClockRow, insert_clocks, json_values
from complaintdesk.storage.sla_repository import preload as preload_clocks

# session.info key: complaints inserted by ComplaintRepository.add without a flush (the search index
# picks them up, as it picks up those a flush inserts)
INSERTED_COMPLAINTS_KEY = "complaintdesk.complaints.inserted"


@dataclass(frozen=True)
class ComplaintFilter:
    stage: str | None = None
    owner: str | None = None
    category: str | None = None
    channel: str | None = None
    priority: str | None = None
    customer_id: int | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    open_only: bool = False
    sla_state: str | None = None  # "breached": an active clock past its due time; "on_track": none
    now: datetime | None = None  # the instant sla_state is judged at
    limit: int = 100
    after_id: int | None = None


class ComplaintRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: set[Complaint] = set()
        self._held: list[Customer] = []

    def new(self, **fields: Any) -> Complaint:
        """A new complaint, as ``Complaint(**fields)`` makes it, built past the ORM's instrumentation
        (``row_loading.built``: some fifty instrumented attribute sets cost about 0.1 ms an intake)."""
        return row_loading.built(Complaint, **fields)

    def add(self, complaint: Complaint, clocks: Sequence[ClockRow] = ()) -> None:
        """Store a new complaint with its first SLA clocks.

        Without child rows other than repeat links (an ordinary intake, or a customer's repeat) the
        complaint is written at once and joins the session as if it had been loaded: the ORM's flush of
        a new complaint was about a fifth of an intake's CPU, and with its repeat links about a third.
        On PostgreSQL one statement writes it, its clocks and its search entry; the repeat links follow,
        one statement each. With other children (imported messages) the ORM writes it, ordering the
        parent before the children.
        """
        if any(getattr(complaint, name) for name in statements.CHILD_TABLES if name != "repeat_links"):
            self.session.add(complaint)
            insert_clocks(self.session, clocks)
            self.seen.add(complaint)
            return
        held = complaint.__dict__  # a new object's values (read past the instrumented attributes)
        values = {name: held.get(name) for name in statements.COMPLAINT_INSERT_COLUMNS}
        indexed_here = False
        if self.session.get_bind().dialect.name == "postgresql":
            indexed_here = search_entries.index_present(self.session)
            values["clocks"] = [json_values(row) for row in clocks]
            if indexed_here:
                entry = search_entries.entry(complaint, datetime.now(UTC))
                values.update({f"entry_{name}": value for name, value in entry.items() if name != "complaint_id"})
            statement = statements.intake_insert_postgresql(indexed_here)
            ((complaint.id,),), _ = driver_sql.execute(self.session, statement, values)
        else:  # SQLite: both sent by sqlite3 itself (driver_sql)
            ((complaint.id,),), _ = driver_sql.execute(self.session, statements.complaint_insert(), values)
            driver_sql.execute_many(self.session, statements.clocks_insert(), [row.values() for row in clocks])
        for link in complaint.repeat_links:  # each written and made persistent as the complaint is
            held = link.__dict__
            held["complaint_id"] = complaint.id
            link_values = {name: held.get(name) for name in statements.REPEAT_LINK_INSERT_COLUMNS}
            ((held["id"],),), _ = driver_sql.execute(self.session, statements.repeat_link_insert(), link_values)
            make_transient_to_detached(link)
        make_transient_to_detached(complaint)  # persistent, nothing pending: no flush writes it again
        # and its repeat links, as loaded: every other collection is empty (checked above), so they are
        # all that session.add's cascade would find
        row_loading.attach(self.session, complaint, *complaint.repeat_links)
        if not indexed_here:  # the search index writes its entry before commit
            self.session.info.setdefault(INSERTED_COMPLAINTS_KEY, []).append(complaint)
        self.seen.add(complaint)

    def get(self, number: str, *, with_clocks: bool = False) -> Complaint:
        """The complaint, its customer (into the session, so ``customers.get`` costs nothing after),
        which of its child collections are empty and, ``with_clocks``, its SLA clocks (kept for
        ``clocks.for_complaint``) — all in one statement."""
        dialect = self.session.get_bind().dialect.name if with_clocks else None
        rows = driver_sql.fetch(self.session, statements.complaint_by_number(dialect), {"number": number})
        if not rows:
            raise NotFound(f"投诉单 {number} 不存在", field="number")
        row = rows[0]
        n, m = len(statements.COMPLAINT_COLUMNS), len(statements.CUSTOMER_COLUMNS)
        complaint = row_loading.loaded(
            self.session, Complaint, dict(zip(statements.COMPLAINT_COLUMNS, row[:n], strict=True))
        )
        customer = row_loading.loaded(
            self.session, Customer, dict(zip(statements.CUSTOMER_COLUMNS, row[n : n + m], strict=True))
        )
        self._held.append(customer)  # the session's identity map holds objects weakly
        flags = row[n + m :]
        if with_clocks:
            preload_clocks(self.session, number, flags[-1])
        # Most complaints have no attachments, transfers, promises or repeat links: marking the empty
        # collections loaded spares the detail view a lazy load each.
        unloaded = inspect(complaint).unloaded
        for name, has_rows in zip(statements.CHILD_TABLES, flags, strict=False):
            if name in unloaded and not has_rows:
                set_committed_value(complaint, name, [])
        self.seen.add(complaint)
        return complaint

    def query(self, flt: ComplaintFilter) -> list[Complaint]:
        c = orm.complaints.c
        query = select(Complaint).where(c.import_id.is_(None))  # an import still writing: not yet
        if flt.stage:
            query = query.where(c.stage == flt.stage)
        if flt.owner:
            query = query.where(c.owner == flt.owner)
        if flt.category:
            query = query.where(c.category == flt.category)
        if flt.channel:
            query = query.where(c.channel == flt.channel)
        if flt.priority:
            query = query.where(c.priority == flt.priority)
        if flt.customer_id is not None:
            query = query.where(c.customer_id == flt.customer_id)
        if flt.opened_from is not None:
            query = query.where(c.opened_at >= flt.opened_from)
        if flt.opened_to is not None:
            query = query.where(c.opened_at < flt.opened_to)
        if flt.open_only:
            query = query.where(c.stage != Stage.CLOSED.value)
        if flt.sla_state is not None:
            clocks = orm.sla_clocks.c
            overdue = (
                select(clocks.complaint_number)
                .where(clocks.active.is_(True))
                .where(clocks.due_at <= (flt.now or datetime.now(UTC)))
            )
            if flt.sla_state == "breached":
                query = query.where(c.number.in_(overdue))
            else:
                query = query.where(c.number.not_in(overdue))
        if flt.after_id is not None:
            query = query.where(c.id < flt.after_id)
        query = query.order_by(c.id.desc()).limit(flt.limit)
        return list(self.session.scalars(query))

    def repeat_candidates(self, customer_id: int, since: datetime) -> list[tuple[str, str]]:
        """(number, title + description) of the customer's open or recent complaints — plain rows, no
        entities, because intake only compares their text. Sent by the driver itself (``driver_sql``):
        the values are strings as stored."""
        params = {"customer_id": customer_id, "since": since}
        rows, _ = driver_sql.execute(self.session, statements.repeat_candidates(), params)
        return [(number, f"{title}。{description}") for number, title, description in rows]

    def count(self) -> int:
        query = select(func.count()).select_from(orm.complaints).where(orm.complaints.c.import_id.is_(None))
        return int(self.session.scalar(query) or 0)

    def next_number(self, day: date) -> str:
        """TS-YYYYMMDD-NNNNNN from a per-day counter, in one upsert (the first complaint of a day may
        arrive twice at once: both get a number, neither fails on the key).

        On PostgreSQL the counter is bumped in its own autocommit statement, so its row is locked for
        that statement only: drawn inside the intake's transaction it stayed locked until commit and
        every concurrent intake queued behind it (measured: eleven backends waiting on it at 80
        intakes/s), and without waiting for the disk (see migration 0007). The price is that an
        intake failing after the draw leaves its number unused; numbers stay unique and increasing
        per day. SQLite keeps the draw in the transaction: it serialises writers anyway, and a
        second connection would wait on the first one's lock.

        Drawn as the unit of work's first statement, it runs on the session's own connection (see
        ``_draw_before_transaction``); later draws take a second connection from the pool.
        """
        bind = self.session.get_bind()
        if bind.dialect.name == "postgresql":
            value = self._draw_before_transaction(day)
            if value is None:  # the transaction has begun: draw on a pooled connection of its own
                with bind.engine.connect() as conn:
                    value = _draw_in_autocommit(conn.connection.driver_connection, conn.connection.info, day)
        else:
            ((value,),), _ = driver_sql.execute(self.session, statements.next_day_number_sqlite(), {"day": day})
        return f"TS-{day:%Y%m%d}-{value:06d}"

    def _draw_before_transaction(self, day: date) -> int | None:
        """The draw on the session's connection before its transaction has sent BEGIN (PostgreSQL):
        psycopg starts a transaction lazily, at the first statement, so this one runs in autocommit
        and the transaction that follows starts after it. A second pooled connection (checkout, the
        isolation switch and back, check-in) cost an intake about a quarter of a millisecond more.
        None when the transaction has already begun."""
        from psycopg.pq import TransactionStatus  # only PostgreSQL gets here

        pooled = driver_sql.session_connection(self.session).connection
        driver = pooled.driver_connection
        if driver is None or driver.info.transaction_status != TransactionStatus.IDLE:
            return None
        return _draw_in_autocommit(driver, pooled.info, day)


def _draw_in_autocommit(driver: Any, info: dict[Any, Any], day: date) -> int:
    """The day's next number, drawn by psycopg in autocommit on a connection with no open transaction,
    on the pooled connection's own cursor (``driver_sql.cursor_of``: not one made and closed per draw)."""
    driver.autocommit = True
    try:
        row = driver_sql.cursor_of(info, driver).execute(statements.NEXT_DAY_NUMBER_POSTGRESQL, (day,)).fetchone()
    finally:
        driver.autocommit = False
    assert row is not None
    return int(row[0])


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def new(self, name: str, phone: str, segment: Segment, *, created_at: datetime) -> Customer:
        """A new customer, as ``Customer(…)`` makes it (and validates it), built past the ORM's
        instrumentation (``row_loading.built``)."""
        return row_loading.built(Customer, name, phone, segment, created_at=created_at)

    def add(self, customer: Customer) -> None:
        self.session.add(customer)
        self.session.flush()

    def get(self, customer_id: int) -> Customer:
        customer = self.session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"客户 {customer_id} 不存在", field="customer_id")
        return customer

    def find_or_add(self, probe: Customer) -> tuple[Customer, bool]:
        """The customer with this phone and name, and whether it was just created from ``probe``.

        On PostgreSQL one statement (``statements.CUSTOMER_FIND_OR_ADD_POSTGRESQL``). On SQLite a Core
        select, then a Core insert if none was found (both sent by sqlite3 itself, ``driver_sql``) (the intake's transaction already holds the write
        lock, taken by the day's number drawn before): no ORM query, no flush of the new customer.
        """
        if self.session.get_bind().dialect.name != "postgresql":
            key = {"phone": probe.phone, "name": probe.name}
            found = driver_sql.fetch(self.session, statements.customer_by_phone_and_name(), key)
            if found:
                return row_loading.loaded(self.session, Customer, found[0]._asdict()), False
            values = {"name": probe.name, "phone": probe.phone, "segment": probe.segment, "created_at": probe.created_at}
            ((probe.id,),), _ = driver_sql.execute(self.session, statements.customer_insert(), values)
            make_transient_to_detached(probe)  # in the session as if loaded: nothing for a flush to write
            row_loading.attach(self.session, probe)  # a customer has no relationships to cascade along
            return probe, True
        params = {
            "name": probe.name,
            "phone": probe.phone,
            "segment": probe.segment.value,
            "created_at": probe.created_at.astimezone(UTC),
        }
        ((customer_id, name, phone, segment, created_at, was_created),) = driver_sql.fetch_all(
            self.session, statements.CUSTOMER_FIND_OR_ADD_POSTGRESQL, params
        )
        held = self.session.identity_map.get(identity_key(Customer, customer_id))
        if held is not None:
            return held, False
        customer = probe if was_created else Customer(name, phone, segment, created_at=created_at.astimezone(UTC))
        customer.id = customer_id
        make_transient_to_detached(customer)  # in the session as if loaded: nothing for a flush to write
        row_loading.attach(self.session, customer)  # a customer has no relationships to cascade along
        return customer, bool(was_created)

    def find(self, phone: str, name: str | None = None) -> Customer | None:
        query = select(Customer).where(orm.customers.c.phone == phone)
        if name is not None:
            query = query.where(orm.customers.c.name == name)
        return self.session.scalars(query.order_by(orm.customers.c.id)).first()

    def with_phone(self, phone: str) -> list[Customer]:
        """Every customer with this (normalised) phone: a family may share one line."""
        query = select(Customer).where(orm.customers.c.phone == phone).order_by(orm.customers.c.id)
        return list(self.session.scalars(query))

    def all(self, limit: int = 100) -> list[Customer]:
        return list(self.session.scalars(select(Customer).order_by(orm.customers.c.id).limit(limit)))


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, username: str) -> User | None:
        row = self.session.execute(select(orm.users).where(orm.users.c.username == username)).first()
        return _user(row._mapping) if row else None

    def add(self, user: User, password_hash: str | None = None) -> User:
        values = {
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role.value,
            "team": user.team,
            "active": user.active,
            "created_at": user.created_at,
            "password_hash": password_hash,
        }
        new_id = self.session.execute(
            insert(orm.users).values(**values).returning(orm.users.c.id)
        ).scalar_one()
        return User(
            user.username, user.display_name, user.role, user.team, user.active, user.created_at, new_id
        )

    def all(self) -> list[User]:
        rows = self.session.execute(select(orm.users).order_by(orm.users.c.username)).all()
        return [_user(r._mapping) for r in rows]

    def update(self, username: str, **values: Any) -> None:
        """Change an account's role, team or active flag (services.staff audits it)."""
        self.session.execute(update(orm.users).where(orm.users.c.username == username).values(**values))

    # Teams as records with a lead (users.team names one).
    def team(self, name: str) -> Any:
        return self.session.execute(select(orm.teams).where(orm.teams.c.name == name)).first()

    def teams(self) -> list[Any]:
        return list(self.session.execute(select(orm.teams).order_by(orm.teams.c.name)).all())

    def add_team(self, name: str, lead: str | None, now: datetime) -> None:
        self.session.execute(insert(orm.teams).values(name=name, lead=lead, created_at=now))

    def set_team_lead(self, name: str, lead: str | None) -> None:
        self.session.execute(update(orm.teams).where(orm.teams.c.name == name).values(lead=lead))


def _user(row: Any) -> User:
    return User(
        username=row["username"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        team=row["team"],
        active=bool(row["active"]),
        created_at=row["created_at"],
        id=row["id"],
    )


class BlobStore:
    """Attachment contents, addressed by their SHA-256 (stored once however often attached)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, sha256: str, content: bytes) -> None:
        t = orm.attachment_blobs
        exists = self.session.execute(select(t.c.sha256).where(t.c.sha256 == sha256)).first()
        if exists is None:
            self.session.execute(insert(t).values(sha256=sha256, content=content, size=len(content)))

    def get(self, sha256: str) -> bytes | None:
        t = orm.attachment_blobs
        value = self.session.execute(select(t.c.content).where(t.c.sha256 == sha256)).scalar()
        return bytes(value) if value is not None else None
