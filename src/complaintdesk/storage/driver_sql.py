"""Fixed PostgreSQL statements sent by psycopg itself, on the session's connection and transaction.

SQLAlchemy costs about 0.1 ms of CPU per statement over the driver alone (its execution context,
result metadata, row processing and the ORM session's execute), measured with the same statement
both ways. A hot statement whose SQL never changes and whose result is plain values (the audit
append) is sent here instead: same connection, same transaction, psycopg's prepared statement.

A Core statement built once (``storage.statements``) can go the same way (``execute``): it is
compiled once for the dialect, and its parameters pass through the same type processing SQLAlchemy
applies (JSON serialised by the engine's serializer, the casts it renders), so the database receives
what SQLAlchemy would have sent. Only statements without expanding (``IN``) parameters, and only
where the result's values need no conversion (ids, counts, row counts). On SQLite, ``execute`` and
``execute_many`` send the statement through sqlite3 the same way (compiled once with named
parameters): the intake's number draw, customer, complaint, repeat link and clock inserts, the audit
append and the search entry, where SQLAlchemy's execution was some 0.1 ms a statement against a few
microseconds for sqlite3's own; ``fetch`` on an ORM session's SQLite connection too.

What SQLAlchemy gives every statement is kept: the engine's ``before_cursor_execute`` and
``after_cursor_execute`` listeners see the statement (the statement counts, any tracing), and a
driver error is raised as SQLAlchemy's own exception class (``OperationalError`` and its lock
timeouts become ``DatabaseBusy`` as before; ``IntegrityError`` stays a conflict).
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement, Select
from sqlalchemy.sql.dml import UpdateBase

_Bind = tuple[str, str, str, Callable[[Any], Any] | None, bool, Any]


@dataclass(frozen=True)
class _Compiled:
    statement: ClauseElement  # both held, so that their ids are not reused while this entry lives
    dialect: Dialect
    sql: str
    construct: Callable[..., dict[str, Any]]
    processors: Mapping[str, Callable[[Any], Any]]
    escaped: Mapping[str, str]
    # a SELECT's rows: the result type processor of each selected column that has one, by position
    # (the others keep the driver's value), and the named tuple its rows are made as (``fetch``)
    converted: tuple[tuple[int, Callable[[Any], Any]], ...]
    row: Callable[[Any], tuple[Any, ...]]
    expanding: bool  # IN parameters expanded at execution: SQLAlchemy's to run
    # each bind parameter as (its key, its name, the name sent, its processor or None, whether it has a
    # value of its own, that value), when the values are plain (no collected parameters): a value given
    # under the key or the name, else the parameter's own, goes straight to the processor, as
    # ``construct_params`` and the processors' dict would take it; else None (``_params``)
    plan: tuple[_Bind, ...] | None


_COMPILED: dict[tuple[int, int], _Compiled] = {}
# Statements built once are few; a cache of statements built per filter shape (the queue's) is
# bounded too, but only by its own size: past this many entries the compiled forms start again.
_COMPILED_MAX = 1024
_TUPLES_OK = 2  # psycopg.pq.ExecStatus.TUPLES_OK (psycopg is imported only where PostgreSQL is used)


def _named(dialect: Dialect) -> Dialect:
    """SQLite's dialect compiling with named parameters (``:name``, which sqlite3 takes with a dict)
    instead of pysqlite's positional ``?``; the engine's JSON serializer and deserializer kept. Made
    once per engine dialect."""
    named: Dialect | None = dialect.__dict__.get("_complaintdesk_named")
    if named is None:
        named = cast(Any, type(dialect))(paramstyle="named")
        for name in ("_json_serializer", "_json_deserializer"):
            setattr(named, name, getattr(dialect, name, None))
        dialect.__dict__["_complaintdesk_named"] = named
    return named


def _compiled(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    key = (id(statement), id(dialect))
    found = _COMPILED.get(key)
    if found is None:
        compiled: Any = statement.compile(dialect=_named(dialect) if dialect.name == "sqlite" else dialect)
        selected = getattr(statement, "selected_columns", None)
        names = list(selected.keys()) if selected is not None else []
        results = tuple(column.type._cached_result_processor(dialect, None) for column in selected or ())
        found = _Compiled(
            statement,
            dialect,
            compiled.string,
            compiled.construct_params,
            compiled._bind_processors,
            compiled.escaped_bind_names or {},
            tuple((i, convert) for i, convert in enumerate(results) if convert is not None),
            namedtuple("Row", names, rename=True)._make,  # type: ignore[attr-defined]
            bool(compiled.positional or compiled.post_compile_params or compiled.literal_execute_params),
            _plan(compiled),
        )
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        _COMPILED[key] = found
    return found


def _plan(compiled: Any) -> tuple[_Bind, ...] | None:
    if compiled._render_postcompile or (compiled._collect_params and compiled._collected_params):
        return None  # values collected from the statement itself: SQLAlchemy merges them (``_params``)
    processors, escaped = compiled._bind_processors, compiled.escaped_bind_names or {}
    # a required parameter has no value of its own (a missing one is SQLAlchemy's error); a callable's
    # value is worked out at each execution, by SQLAlchemy
    return tuple(
        (bind.key, name, escaped.get(name, name), processors.get(name), not bind.required and not bind.callable,
         bind.value)
        for bind, name in compiled.bind_names.items()
    )  # fmt: skip


def _dialect(target: Session | Connection) -> Dialect:
    """The target's dialect: a session's own bind's (the engine it was made with) without ``get_bind``'s
    lookup, when it has one."""
    if isinstance(target, Session):
        return (target.bind or target.get_bind()).dialect
    return target.dialect


_CONNECTION_KEY = "complaintdesk.driver_sql.connection"


def session_connection(target: Session | Connection) -> Connection:
    """The session's connection in its current transaction, as ``Session.connection()`` returns it (which
    begins the transaction if need be). Kept in the session's ``info`` with the transaction it belongs to
    and used again while that transaction is the session's and active: ``connection()`` walks the
    session's transaction machinery for every statement (some 15,000 instructions). A transaction that
    ended or failed is not the one kept, so ``connection()`` runs again and says what it says."""
    if not isinstance(target, Session):
        return target
    held = target.info.get(_CONNECTION_KEY)
    transaction = target._transaction
    if held is not None and held[0] is transaction and transaction is not None and transaction.is_active:
        connection: Connection = held[1]
        return connection
    connection = target.connection()
    target.info[_CONNECTION_KEY] = (target._transaction, connection)
    return connection


def execute(
    target: Session | Connection, statement: ClauseElement, params: Mapping[str, Any]
) -> tuple[list[tuple[Any, ...]], int]:
    """Run a Core statement built once as SQLAlchemy would, but sent by the driver (psycopg, or sqlite3
    on SQLite): its rows as tuples (values as the driver returns them) and its row count."""
    compiled = _compiled(statement, _dialect(target))
    if compiled.expanding:
        raise ValueError("driver_sql.execute takes named parameters without expansion")
    return _send(target, compiled, params)


def execute_many(session: Session, statement: UpdateBase, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run a write statement built once for several parameter sets, in one ``executemany``: sent by
    sqlite3 itself on SQLite (the statement's listeners see it once, as SQLAlchemy's executemany),
    by SQLAlchemy elsewhere."""
    if not rows:
        return
    dialect = _dialect(session)
    if dialect.name != "sqlite":
        session.execute(statement, list(rows))
        return
    compiled = _compiled(statement, dialect)
    if compiled.expanding:
        raise ValueError("driver_sql.execute_many takes named parameters without expansion")
    _run_sqlite(session, compiled.sql, [_params(compiled, row) for row in rows], many=True)


def _params(compiled: _Compiled, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` processed as SQLAlchemy would process them for the compiled statement."""
    plan = compiled.plan
    if plan is not None and params:
        sent = {}
        for key, name, sent_name, process, has_own, own in plan:
            if key in params:
                value = params[key]
            elif name in params:
                value = params[name]
            elif has_own:
                value = own
            else:  # a missing value or a callable's: SQLAlchemy's own reading, or its error
                break
            sent[sent_name] = value if process is None else process(value)
        else:
            return sent
    processors, escaped = compiled.processors, compiled.escaped
    values = compiled.construct(params, escape_names=False)
    return {
        escaped.get(key, key): (processors[key](value) if key in processors else value)
        for key, value in values.items()
    }


def _send(target: Session | Connection, compiled: _Compiled, params: Mapping[str, Any]) -> tuple[list[tuple[Any, ...]], int]:
    """The compiled statement sent with ``params`` processed as SQLAlchemy would process them."""
    if compiled.dialect.name == "sqlite":
        return _run_sqlite(target, compiled.sql, _params(compiled, params))
    return _run(target, compiled.sql, _params(compiled, params))


def fetch(target: Session | Connection, statement: Select[Any], params: Mapping[str, Any]) -> list[Any]:
    """Run a SELECT built once, on a session or one of its connections, and return its rows: named
    tuples, values converted by the selected columns' types as SQLAlchemy converts them (vocabulary
    values as enums, times as UTC). Sent by psycopg on PostgreSQL (``execute``), and by sqlite3 on an ORM
    session's SQLite connection (which the session begins as SQLAlchemy would: a plain connection's
    transaction, as ``single_read`` keeps it, stays SQLAlchemy's to begin); SQLAlchemy runs it elsewhere,
    and wherever a parameter expands (``IN``), and then the rows are its own."""
    dialect = _dialect(target)
    by_driver = dialect.name == "postgresql" or (dialect.name == "sqlite" and isinstance(target, Session))
    compiled = _compiled(statement, dialect) if by_driver else None
    if compiled is None or compiled.expanding:
        connection = target.connection() if isinstance(target, Session) else target
        return list(connection.execute(statement, params).all())
    rows, _ = _send(target, compiled, params)
    converted, make = compiled.converted, compiled.row
    if not converted:
        return [make(row) for row in rows]
    made = []
    for row in rows:
        values = list(row)
        for i, convert in converted:
            values[i] = convert(values[i])
        made.append(make(values))
    return made


def write(session: Session, statement: UpdateBase, params: Mapping[str, Any]) -> int:
    """Run a write statement built once and return its row count: sent by psycopg on PostgreSQL
    (``execute``), by SQLAlchemy on the session's connection elsewhere."""
    if _dialect(session).name == "postgresql":
        return execute(session, statement, params)[1]
    count: int = session_connection(session).execute(statement, params).rowcount
    return count


def fetch_all(session: Session, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (psycopg's ``%(name)s`` placeholders) on the session's connection, in its
    transaction (begun if need be), and return every row as a tuple."""
    return _run(session, sql, params)[0]


def _run(
    target: Session | Connection, sql: str, params: Mapping[str, Any]
) -> tuple[list[tuple[Any, ...]], int]:
    connection = session_connection(target)
    driver = connection.connection.driver_connection
    assert driver is not None  # a checked-out connection always has one
    listened = (connection._has_events or connection.engine._has_events) and _listeners(connection)
    try:
        cursor = cursor_of(connection.connection.info, driver)
        if listened:
            connection.dispatch.before_cursor_execute(connection, cursor, sql, params, None, False)
        cursor.execute(sql, params, prepare=True)
        result = cursor.pgresult
        returned = result is not None and result.status == _TUPLES_OK
        rows: list[tuple[Any, ...]] = cursor.fetchall() if returned else []
        count = cursor.rowcount
        if listened:
            connection.dispatch.after_cursor_execute(connection, cursor, sql, params, None, False)
    except Exception as exc:
        import psycopg  # only PostgreSQL gets here

        if isinstance(exc, psycopg.Error):
            raise DBAPIError.instance(sql, dict(params), exc, psycopg.Error, dialect=connection.dialect) from exc
        raise
    return rows, count


def run_sqlite(connection: Connection, sql: str) -> None:
    """A fixed statement without parameters or rows (SQLite's ``BEGIN``) sent by sqlite3 on ``connection``,
    its listeners and error classes kept as for every statement here."""
    _run_sqlite(connection, sql, ())


def _run_sqlite(
    target: Session | Connection, sql: str, params: Any, *, many: bool = False
) -> tuple[list[tuple[Any, ...]], int]:
    """``sql`` (named parameters) run by sqlite3 on the session's connection, in its transaction (begun
    by SQLAlchemy, BEGIN IMMEDIATE for a writer, if need be); a sqlite3 error raised as SQLAlchemy's
    class, so that a locked database is still ``DatabaseBusy``."""
    connection = session_connection(target)
    driver = connection.connection.driver_connection
    assert driver is not None  # a checked-out connection always has one
    listened = (connection._has_events or connection.engine._has_events) and _listeners(connection)
    try:
        cursor = driver.cursor()
        if listened:
            connection.dispatch.before_cursor_execute(connection, cursor, sql, params, None, many)
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall() if cursor.description is not None else []
        count = cursor.rowcount
        cursor.close()
        if listened:
            connection.dispatch.after_cursor_execute(connection, cursor, sql, params, None, many)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, params, exc, sqlite3.Error, dialect=connection.dialect) from exc
    return rows, count


def _listeners(connection: Connection) -> bool:
    """Whether any cursor listener is registered: the engine's other events (SQLite's ``begin``) make
    ``_has_events`` true for every statement, and calling two empty listener lists costs some 17,000
    instructions a statement. Without listeners of its own a connection has the engine's, read on the
    engine's dispatch, which lives as long as the engine (a connection's builds each listener list anew)."""
    dispatch = connection.dispatch if connection._has_events else connection.engine.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute)


_CURSOR_KEY = "complaintdesk.driver_sql.cursor"


def cursor_of(info: dict[Any, Any], driver: Any) -> Any:
    """The pooled connection's own psycopg cursor, made once and kept in its pool record's ``info``
    (which lives and dies with the database connection): a cursor made and closed per statement was
    about a third of psycopg's Python time for a statement. A connection serves one thread at a time,
    and each statement's rows are fetched before the next runs."""
    cursor = info.get(_CURSOR_KEY)
    if cursor is None or cursor.closed or cursor.connection is not driver:
        cursor = driver.cursor()
        info[_CURSOR_KEY] = cursor
    return cursor
