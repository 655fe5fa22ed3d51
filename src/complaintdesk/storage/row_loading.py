"""Mapped objects put into the session from plain row values, as the ORM's loading would leave them.

Loading a complaint through the ORM (``select(Complaint, Customer)``) was about a third of a stage
move's CPU: its execution context, result metadata and per-row loader bookkeeping for a 43-column
row. The row is read as plain columns instead (``driver_sql.fetch``, the columns' own type
conversions applied) and the object made here: created without ``__init__`` (as the ORM does), its
column values committed, persistent in the session under its identity key. Unlisted attributes (the
child collections) load lazily on first use, as after an ORM load.

An object already in the session keeps its values, as with the ORM's loading (the identity map
wins); only its attributes not loaded (expired by a commit, say) are filled from the row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value

T = TypeVar("T")


def loaded(session: Session, cls: type[T], values: Mapping[str, Any]) -> T:
    """The ``cls`` object of this row (mapped attribute name → value, primary key included) in ``session``."""
    mapper = inspect(cls)
    key = mapper.identity_key_from_primary_key([values[column.key] for column in mapper.primary_key])
    held: T | None = session.identity_map.get(key)
    if held is not None:
        for name in instance_state(held).unloaded & values.keys():
            set_committed_value(held, name, values[name])
        return held
    instance: T = mapper.class_manager.new_instance()
    instance_state(instance).dict.update(values)
    make_transient_to_detached(instance)  # the values committed, the rest expired (loaded on use)
    session.add(instance)
    return instance
