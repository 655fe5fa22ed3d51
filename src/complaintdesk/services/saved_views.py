"""Each user's saved queue views: a name for a set of the queue's filters, kept in the database (so it
follows the user from browser to browser), listed with how many complaints each finds now.

A view belongs to the account that saved it: every read and write here is by ``owner``, so another
user's view is simply not found (404), never shown. Saving, renaming and deleting are audit events.
The filters are the queue page's query string (``services.queue_filters``), checked when saved: an
unknown filter or a bad value is refused naming it (``filters.sla``), as is a duplicate name (``name``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import delete, func, insert, select, update

from complaintdesk.domain.errors import Conflict, InvalidInput, NotFound
from complaintdesk.domain.model import DomainEvent
from complaintdesk.services import queue
from complaintdesk.services.permissions import Staff
from complaintdesk.services.queue import QueueQuery
from complaintdesk.services.queue_filters import FILTER_NAMES, PARAM_OF_FIELD, count_query, scope_of
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage.orm_workspace import saved_views

MAX_NAME = 40
MAX_VIEWS = 30  # per user: the queue page counts each one on every visit
MAX_VALUE = 64
FLAG_FIELD = "flag"

Filters = dict[str, str | list[str]]


@dataclass(frozen=True)
class SavedView:
    id: int
    name: str
    scope: str
    filters: Filters
    created_at: datetime
    updated_at: datetime

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs, in the page's order, ``flag`` repeated."""
        pairs = [(k, str(self.filters[k])) for k in FILTER_NAMES if self.filters.get(k)]
        return pairs + [(FLAG_FIELD, f) for f in self.flags]

    @property
    def flags(self) -> list[str]:
        value = self.filters.get(FLAG_FIELD) or []
        return [value] if isinstance(value, str) else list(value)

    @property
    def href(self) -> str:
        return "/queue?" + urlencode([("scope", self.scope), *self.pairs])

    def to_dict(self, count: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "scope": self.scope,
            "filters": self.filters,
            "href": self.href,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }
        if count is not None:
            data["count"] = count
        return data


def _name(name: object) -> str:
    value = " ".join(str(name or "").split())
    if not value:
        raise InvalidInput("视图名称不能为空", field="name")
    if len(value) > MAX_NAME:
        raise InvalidInput(f"视图名称不能超过 {MAX_NAME} 个字符", field="name")
    return value


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{field} 应为文字", field=field)
    if len(value) > MAX_VALUE or "\x00" in value:
        raise InvalidInput(f"{field} 不能超过 {MAX_VALUE} 个字符", field=field)
    return value.strip()


def normalise(scope: str, filters: Mapping[str, object]) -> Filters:
    """The filters as kept: known names only, empty ones dropped, every value checked as the queue
    checks it (the error names ``filters.<name>``)."""
    scope_of(scope)
    kept: Filters = {}
    for key, value in filters.items():
        field = f"filters.{key}"
        if key == FLAG_FIELD:
            flags = [value] if isinstance(value, str) else value
            if not isinstance(flags, list):
                raise InvalidInput(f"{field} 应为标记的列表", field=field)
            cleaned = list(dict.fromkeys(f for f in (_text(v, field) for v in flags) if f))
            if cleaned:
                kept[FLAG_FIELD] = cleaned
        elif key in FILTER_NAMES:
            text = _text(value, field)
            if text and (key, text) != ("order", "due"):  # due order is the queue's default
                kept[key] = text
        else:
            raise InvalidInput(f"不认识的筛选条件 {key}，可选：{', '.join((*FILTER_NAMES, FLAG_FIELD))}", field=field)
    try:
        query = count_query(scope, _params(kept), _flags(kept))
        queue.validate(query)
    except InvalidInput as exc:
        name = PARAM_OF_FIELD.get(exc.field or "", exc.field)
        raise InvalidInput(exc.message, field=f"filters.{name}") from None
    return kept


def _params(filters: Filters) -> dict[str, str]:
    return {k: v for k, v in filters.items() if isinstance(v, str)}


def _flags(filters: Filters) -> list[str]:
    value = filters.get(FLAG_FIELD) or []
    return [value] if isinstance(value, str) else list(value)


def _view(row: Any) -> SavedView:
    filters = row.filters if isinstance(row.filters, dict) else {}
    return SavedView(row.id, row.name, row.scope, filters, row.created_at, row.updated_at)


def _find(uow: UnitOfWork, owner: str, view_id: int) -> SavedView:
    v = saved_views.c
    row = uow.users.session.execute(select(saved_views).where(v.id == view_id, v.owner == owner)).first()
    if row is None:  # another user's view is as absent as one never saved
        raise NotFound(f"视图 {view_id} 不存在", field="id")
    return _view(row)


def _name_taken(uow: UnitOfWork, owner: str, name: str, but: int | None = None) -> None:
    v = saved_views.c
    query = select(v.id).where(v.owner == owner, v.name == name)
    if but is not None:
        query = query.where(v.id != but)
    if uow.users.session.execute(query).first() is not None:
        raise Conflict(f"已有同名视图「{name}」", field="name")


def _audit(uow: UnitOfWork, kind: str, owner: str, now: datetime, payload: dict[str, Any]) -> None:
    uow.record_event(None, DomainEvent(kind, owner, now, payload))


def create(
    uow: UnitOfWork,
    owner: str,
    name: str,
    scope: str,
    filters: Mapping[str, object],
    *,
    now: datetime | None = None,
) -> SavedView:
    """Save ``filters`` (the queue's query string) under ``name`` for ``owner``."""
    now = now or datetime.now(UTC)
    name = _name(name)
    kept = normalise(scope, filters)
    v = saved_views.c
    with uow:
        session = uow.users.session
        _name_taken(uow, owner, name)
        held = session.execute(select(func.count()).select_from(saved_views).where(v.owner == owner)).scalar_one()
        if int(held) >= MAX_VIEWS:
            raise InvalidInput(f"每人最多保存 {MAX_VIEWS} 个视图，请先删除不用的", field="name")
        row = {"owner": owner, "name": name, "scope": scope, "filters": kept, "created_at": now, "updated_at": now}
        view_id = int(session.execute(insert(saved_views).values(**row).returning(v.id)).scalar_one())
        _audit(uow, "view_saved", owner, now, {"id": view_id, "name": name, "scope": scope, "filters": kept})
        uow.commit()
    return SavedView(view_id, name, scope, kept, now, now)


def views_of(uow: UnitOfWork, owner: str) -> list[SavedView]:
    """``owner``'s views, by name."""
    v = saved_views.c
    with uow.reading():
        rows = uow.users.session.execute(select(saved_views).where(v.owner == owner).order_by(v.name, v.id)).all()
    return [_view(r) for r in rows]


def get(uow: UnitOfWork, owner: str, view_id: int) -> SavedView:
    with uow.reading():
        return _find(uow, owner, view_id)


def query_of(view: SavedView) -> QueueQuery | None:
    """The query that counts what ``view`` finds; None for a view saved before one of its filter values
    went out of use (it counts as nothing rather than failing the page)."""
    try:
        query = count_query(view.scope, _params(view.filters), _flags(view.filters))
        queue.validate(query)
    except InvalidInput:
        return None
    return query


def count(uow: UnitOfWork, view: SavedView, viewer: Staff, *, now: datetime | None = None) -> int:
    """How many complaints the view finds for ``viewer`` now."""
    query = query_of(view)
    return queue.count_queue(uow, query, viewer=viewer, now=now) if query is not None else 0


def listed(uow: UnitOfWork, viewer: Staff, *, counts: bool = True) -> list[dict[str, Any]]:
    """The viewer's views as the API gives them, each with its count when asked."""
    views = views_of(uow, viewer.username)
    if not counts:
        return [view.to_dict() for view in views]
    queries = [query_of(view) for view in views]
    found = iter(queue.count_many(uow, [q for q in queries if q is not None], viewer=viewer))
    return [view.to_dict(next(found) if q is not None else 0) for view, q in zip(views, queries, strict=True)]


def rename(uow: UnitOfWork, owner: str, view_id: int, name: str, *, now: datetime | None = None) -> SavedView:
    now = now or datetime.now(UTC)
    name = _name(name)
    with uow:
        view = _find(uow, owner, view_id)
        _name_taken(uow, owner, name, but=view_id)
        uow.users.session.execute(
            update(saved_views).where(saved_views.c.id == view_id).values(name=name, updated_at=now)
        )
        _audit(uow, "view_renamed", owner, now, {"id": view_id, "from": view.name, "to": name})
        uow.commit()
    return SavedView(view.id, name, view.scope, view.filters, view.created_at, now)


def remove(uow: UnitOfWork, owner: str, view_id: int, *, now: datetime | None = None) -> SavedView:
    now = now or datetime.now(UTC)
    with uow:
        view = _find(uow, owner, view_id)
        uow.users.session.execute(delete(saved_views).where(saved_views.c.id == view_id))
        _audit(uow, "view_deleted", owner, now, {"id": view_id, "name": view.name})
        uow.commit()
    return view
