"""A centre's own calendar edits (extra closures and working days), on top of the shipped calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from complaintdesk.storage import orm


@dataclass(frozen=True)
class CalendarEdit:
    day: date
    kind: str  # holiday | workday
    name: str | None


class CalendarRepository:
    def __init__(self, session: Session, calendar: str = "cn") -> None:
        self.session = session
        self.calendar = calendar

    def edits(self) -> list[CalendarEdit]:
        t = orm.calendar_days
        rows = self.session.execute(select(t).where(t.c.calendar == self.calendar).order_by(t.c.day)).all()
        return [CalendarEdit(r.day, r.kind, r.name) for r in rows]

    def upsert(self, edit: CalendarEdit) -> None:
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(orm.calendar_days).values(
            calendar=self.calendar, day=edit.day, kind=edit.kind, name=edit.name
        )
        self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["calendar", "day"], set_={"kind": edit.kind, "name": edit.name}
            )
        )

    def remove(self, day: date) -> bool:
        t = orm.calendar_days
        result = self.session.execute(delete(t).where(t.c.calendar == self.calendar, t.c.day == day))
        return bool(getattr(result, "rowcount", 0))
