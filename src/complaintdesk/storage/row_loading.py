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
from sqlalchemy.orm.collections import CollectionAdapter

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
    attach(session, instance)  # its relationships are not loaded: a cascade would find nothing
    return instance


def attach(session: Session, instance: object, *cascaded: object) -> None:
    """``session.add(instance)`` for a detached object whose save-update cascade would find exactly
    ``cascaded`` (also detached): each joins the session as persistent, without the cascade's walk over
    every mapped property of the class (for a complaint some 150,000 instructions, finding nothing in
    empty or unloaded collections). The caller names what the cascade would find;
    tests/integration/test_row_loading.py checks it against the cascade itself."""
    for member in (instance, *cascaded):
        state = instance_state(member)
        state._orphaned_outside_of_session = False  # as session.add does
        session._update_impl(state)


_SHADOWS: dict[type, type] = {}


def _shadow(cls: type) -> type:
    """An unmapped twin of ``cls``: its methods and its own ``__init__``, none of the mapped attributes."""
    shadow = _SHADOWS.get(cls)
    if shadow is None:
        manager: Any = inspect(cls).class_manager
        skipped = {"__init__", "__dict__", "__weakref__", "__table__", "__mapper__", *manager.keys()}
        namespace = {
            name: value for name, value in vars(cls).items() if name not in skipped and not name.startswith("_sa_")
        }
        shadow = type(f"Unmapped{cls.__name__}", (), {**namespace, "__init__": manager.original_init})
        _SHADOWS[cls] = shadow
    return shadow


def built(cls: type[T], /, *args: Any, **fields: Any) -> T:
    """A new (transient) ``cls`` made by the class's own ``__init__``, as ``cls(*args, **fields)`` would make it,
    but with that constructor's attribute writes kept past the ORM's instrumentation.

    A mapped ``Complaint`` built the ordinary way pays for some fifty instrumented attribute sets and six
    collections adapted one by one (about 0.1 ms of an intake's CPU). Here the constructor runs on an
    unmapped twin of the class, and its attributes are moved into a new instance's state at once; the
    relationship collections are set as committed empty collections (instrumented, so what is appended
    later is tracked and cascaded as usual). The object is then exactly as new as one built by
    ``cls(**fields)``: no attribute history, which an intake's insert does not read (a pending object's
    INSERT takes its values from its state, and a written one is made persistent by hand).
    """
    made = _shadow(cls)(*args, **fields)
    mapper = inspect(cls)
    instance: T = mapper.class_manager.new_instance()
    state = instance_state(instance)
    values = vars(made)
    filled, committed = [], []
    for name, impl in _relationship_impls(mapper):
        if name not in values:
            continue
        items = values.pop(name)
        if items:
            filled.append((name, items))
        elif impl.collection:
            _empty_collection(state, values, name, impl)
        else:
            committed.append(name)
    state.dict.update(values)
    for name in committed:
        set_committed_value(instance, name, [])
    for name, items in filled:
        setattr(instance, name, items)  # tracked, cascaded on flush
    return instance


_RELATIONSHIPS: dict[object, list[tuple[str, Any]]] = {}


def _relationship_impls(mapper: Any) -> list[tuple[str, Any]]:
    """The mapper's relationships and their attribute implementations, kept by mapper (a class mapped
    again has new implementations)."""
    impls = _RELATIONSHIPS.get(mapper)
    if impls is None:
        manager = mapper.class_manager
        impls = [(r.key, manager[r.key].impl) for r in mapper.relationships]
        _RELATIONSHIPS[mapper] = impls
    return impls


def _empty_collection(state: Any, values: dict[str, Any], name: str, impl: Any) -> None:
    """What ``set_committed_value(instance, name, [])`` leaves on a state made a moment ago: an empty
    instrumented collection with its adapter, and no history. Such a state has nothing committed,
    expired, pending or lazily callable to clear, so only the collection is made (about a quarter of
    ``set_committed_value``'s instructions); tests/integration/test_row_loading.py compares the two."""
    data = impl.collection_factory()
    adapter = CollectionAdapter(impl, state, data)
    if impl.dispatch.init_collection:  # listeners, if any are ever added, are told as the ORM tells them
        impl.dispatch.init_collection(state, data, adapter)
    values[name] = data
