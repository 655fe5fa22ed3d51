"""In-memory fakes of the repositories and unit of work, for fast service-layer unit tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self

from complaintdesk.domain.audit import GENESIS_HASH, AuditRecord, seal
from complaintdesk.domain.errors import NotFound
from complaintdesk.domain.model import Complaint, Customer, DomainEvent
from complaintdesk.domain.users import User
from complaintdesk.domain.vocab import Stage
from complaintdesk.storage.repository import ComplaintFilter
from complaintdesk.storage.sla_repository import ClockRow


class FakeComplaints:
    def __init__(self, clocks: FakeClocks) -> None:
        self.rows: dict[str, Complaint] = {}
        self.seen: set[Complaint] = set()
        self.counters: dict[date, int] = {}
        self.clocks = clocks

    def new(self, **fields: Any) -> Complaint:
        return Complaint(**fields)

    def add(self, complaint: Complaint, clocks: Sequence[ClockRow] = ()) -> None:
        complaint.id = len(self.rows) + 1
        self.rows[complaint.number] = complaint
        self.seen.add(complaint)
        self.clocks.add(*clocks)

    def get(self, number: str, *, with_clocks: bool = False) -> Complaint:
        if number not in self.rows:
            raise NotFound(f"投诉单 {number} 不存在", field="number")
        self.seen.add(self.rows[number])
        return self.rows[number]

    def query(self, flt: ComplaintFilter) -> list[Complaint]:
        rows = [c for c in self.rows.values() if not flt.stage or c.stage == flt.stage]
        return sorted(rows, key=lambda c: c.id or 0, reverse=True)[: flt.limit]

    def repeat_candidates(self, customer_id: int, since: datetime) -> list[tuple[str, str]]:
        return [
            (c.number, f"{c.title}。{c.description}")
            for c in self.rows.values()
            if c.customer_id == customer_id and (c.stage != Stage.CLOSED or c.opened_at >= since)
        ]

    def count(self) -> int:
        return len(self.rows)

    def next_number(self, day: date) -> str:
        self.counters[day] = self.counters.get(day, 0) + 1
        return f"TS-{day:%Y%m%d}-{self.counters[day]:06d}"


class FakeCustomers:
    def __init__(self) -> None:
        self.rows: list[Customer] = []

    def new(self, name: str, phone: str, segment: Any, *, created_at: datetime) -> Customer:
        return Customer(name, phone, segment, created_at=created_at)

    def add(self, customer: Customer) -> None:
        customer.id = len(self.rows) + 1
        self.rows.append(customer)

    def get(self, customer_id: int) -> Customer:
        return self.rows[customer_id - 1]

    def find(self, phone: str, name: str | None = None) -> Customer | None:
        return next((c for c in self.rows if c.phone == phone and (name is None or c.name == name)), None)

    def with_phone(self, phone: str) -> list[Customer]:
        return [c for c in self.rows if c.phone == phone]

    def find_or_add(self, probe: Customer) -> tuple[Customer, bool]:
        existing = self.find(probe.phone, probe.name)
        if existing is not None:
            return existing, False
        self.add(probe)
        return probe, True


class FakeAudit:
    def __init__(self) -> None:
        self.records: list[AuditRecord] = []

    def append(self, items: list[tuple[str | None, DomainEvent]]) -> list[AuditRecord]:
        out = []
        for number, ev in items:
            prev = self.records[-1].hash if self.records else GENESIS_HASH
            record = seal(len(self.records) + 1, prev, number, ev.kind, ev.actor, ev.at, ev.payload)
            self.records.append(record)
            out.append(record)
        return out

    def iter_all(self) -> list[AuditRecord]:
        return list(self.records)

    def for_complaint(self, number: str) -> list[AuditRecord]:
        return [r for r in self.records if r.complaint_number == number]


class FakeClocks:
    def __init__(self) -> None:
        self.rows: list[ClockRow] = []

    def add(self, *rows: ClockRow) -> None:
        for row in rows:
            row.id = len(self.rows) + 1
            self.rows.append(row)

    def save(self, row: ClockRow) -> None:
        self.rows[(row.id or 1) - 1] = row

    def for_complaint(self, number: str) -> list[ClockRow]:
        return [r for r in self.rows if r.complaint_number == number]

    def claim_active(self, limit: int) -> list[ClockRow]:
        return [r for r in self.rows if r.active][:limit]


class FakeUsers:
    def __init__(self) -> None:
        self.rows: dict[str, User] = {}

    def get(self, username: str) -> User | None:
        return self.rows.get(username)

    def add(self, user: User, password_hash: str | None = None) -> User:
        self.rows[user.username] = user
        return user

    def all(self) -> list[User]:
        return list(self.rows.values())


class FakeCalendar:
    def edits(self) -> list[Any]:
        return []


class FakeUnitOfWork:
    """Shares its stores across uses, like a database; commit only counts and seals events."""

    def __init__(self) -> None:
        self.clocks: Any = FakeClocks()
        self.complaints: Any = FakeComplaints(self.clocks)
        self.customers: Any = FakeCustomers()
        self.audit: Any = FakeAudit()
        self.users: Any = FakeUsers()
        self.blobs: Any = {}
        self.calendar: Any = FakeCalendar()
        self.commits = 0
        self._extra: list[tuple[str | None, DomainEvent]] = []

    def __enter__(self) -> Self:
        return self

    def reading(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def record_event(self, complaint_number: str | None, event: DomainEvent) -> None:
        self._extra.append((complaint_number, event))

    def hold_complaint_events(self) -> list[tuple[str | None, DomainEvent]]:
        items: list[tuple[str | None, DomainEvent]] = []
        for complaint in self.complaints.seen:
            items.extend((complaint.number, ev) for ev in complaint.pending_events)
            complaint.pending_events.clear()
        return items

    def flush(self) -> None:
        return None

    def commit(self) -> None:
        items: list[tuple[str | None, DomainEvent]] = []
        for complaint in self.complaints.seen:
            items.extend((complaint.number, ev) for ev in complaint.pending_events)
            complaint.pending_events.clear()
        items.extend(self._extra)
        self._extra = []
        self.audit.append(sorted(items, key=lambda i: i[1].at))
        self.commits += 1

    def rollback(self) -> None:
        return None
