"""Engines and sessions for SQLite (embedded default, WAL) and PostgreSQL, and schema migrations."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from complaintdesk.domain.errors import ConfigurationError, DatabaseBusy
from complaintdesk.settings import get_settings
from complaintdesk.storage import complaint_updates, driver_sql
from complaintdesk.storage.orm import start_mappers
from complaintdesk.yamldata import shipped

MIGRATIONS_DIR = shipped("complaintdesk.storage", "migrations")

# How long a SQLite statement waits for the write lock before the request is answered "busy, retry".
# Writers hold the lock for one short transaction (an import writes in short batches, an export holds
# none), so a wait this long means something is wrong, and the caller is better told so than kept.
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Execution option of a read-only unit of work: on SQLite its transaction begins DEFERRED (a read
# snapshot, no write lock); everything else begins IMMEDIATE.
READ_ONLY_OPTION = "complaintdesk_read_only"


def _normalise_url(url: str) -> str:
    # Accept the URLs operators paste (postgres://, postgresql://) and use psycopg 3 for them.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def dump_json(value: Any) -> str:
    """JSON columns' serializer: orjson, cheaper than ``json.dumps`` on an intake's analysis (the audit
    chain's payloads keep their own canonical form, ``domain.audit.canonical_json``). It accepts
    everything ``json.dumps`` accepts, writes non-ASCII text as UTF-8 rather than escapes, and NaN as
    null (which PostgreSQL would refuse)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def load_json(text: str | bytes) -> Any:
    """JSON columns' deserializer: orjson, about three times cheaper than ``json.loads`` on a
    complaint's analysis, read with every workflow command. ``dump_json`` writes nothing orjson cannot
    read back; what an older release wrote to SQLite with ``json.dumps`` and orjson refuses (NaN) is
    read by ``json.loads``."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = _normalise_url(url)
    kwargs.setdefault("json_serializer", dump_json)
    kwargs.setdefault("json_deserializer", load_json)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
        engine = create_engine(url, connect_args={"timeout": timeout, "check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql"):
        settings = get_settings()
        # Keep as many idle connections as the server's handler threads can hold at once (plus the
        # number draw's and the async credential check's): with SQLAlchemy's default of five, the
        # sixth to eighth connection were opened and closed again on every burst, at a backend
        # start each (several milliseconds of CPU) on the machine that also runs the server.
        if "poolclass" not in kwargs:
            kwargs.setdefault("pool_size", settings.api_threads + 2)
        engine = create_engine(url, **kwargs)
        if settings.database_pre_ping and not kwargs.get("pool_pre_ping"):
            _ping_connections_idle_longer_than(engine, settings.database_ping_idle_seconds)
        return engine
    raise ConfigurationError(
        f"不支持的数据库地址 {url!r}:请使用 sqlite:/// 或 postgresql://", field="database_url"
    )


def _ping_connections_idle_longer_than(engine: Engine, seconds: float) -> None:
    """Test a pooled connection with a round trip before use, if it sat in the pool for ``seconds``.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: a round trip and about a third of a
    millisecond of CPU per transaction, on connections that under load were in use a moment ago.
    A database restart kills the idle connections, which this still catches; a connection used in
    the last few seconds is trusted, and if the database went away in that window the request fails
    once and SQLAlchemy discards the whole pool (it does so on any disconnect error).
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The pool catches this, discards the connection and checks out another one.
            raise DisconnectionError("pooled connection is gone") from exc


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself so writers take the lock at the start (BEGIN IMMEDIATE):
        # the audit chain's "read last hash, append" must not interleave between two writers.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A reader must not take the write lock: under WAL a DEFERRED transaction reads a snapshot
        # while one writer works. A writer takes the lock at BEGIN, so it never reads a snapshot that
        # another writer outdates before it writes (that would fail at once, SQLITE_BUSY_SNAPSHOT).
        # Sent by sqlite3 itself (driver_sql: the statement listeners see it, a lock timeout is still
        # SQLAlchemy's OperationalError): SQLAlchemy's execution of it was a sixth of an empty transaction.
        begin = "BEGIN" if connection.get_execution_options().get(READ_ONLY_OPTION) else "BEGIN IMMEDIATE"
        driver_sql.run_sqlite(connection, begin)


def read_only_engine(engine: Engine) -> Engine:
    """The engine (same pool) for read-only units of work: their transactions begin DEFERRED on SQLite."""
    reader = engine.__dict__.get("_complaintdesk_reader")
    if reader is None:
        reader = engine.execution_options(**{READ_ONLY_OPTION: True})
        engine.__dict__["_complaintdesk_reader"] = reader
    return reader


_BUSY_SQLITE = ("database is locked", "database table is locked", "database is busy")
_BUSY_POSTGRESQL = {"55P03", "40P01"}  # lock_not_available, deadlock_detected: both worth a retry


def as_busy(exc: BaseException) -> DatabaseBusy | None:
    """The "busy, retry" error for a driver error that only says the database was busy, else None."""
    if not isinstance(exc, OperationalError):
        return None
    orig = exc.orig
    text = str(orig).lower()
    if any(marker in text for marker in _BUSY_SQLITE) or getattr(orig, "sqlstate", None) in _BUSY_POSTGRESQL:
        return DatabaseBusy()
    return None


@contextmanager
def single_read(engine: Engine) -> Iterator[Connection]:
    """A connection for a use-case that is one read and nothing else (a queue page, a count, the
    board), without an ORM session: making a session's connection and rolling it back cost 50-60 µs
    of CPU more than the pool's checkout, about a twentieth of a queue page.

    On PostgreSQL it runs without BEGIN and ROLLBACK (autocommit): a lone statement sees one snapshot
    either way. SQLite keeps a transaction, begun DEFERRED: a read snapshot that takes no write lock.
    A driver error that only says the database was busy is raised as ``DatabaseBusy``.
    """
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection, _autocommit(connection):
                yield connection
            return
        with read_only_engine(engine).connect() as connection, connection.begin():
            yield connection
    except Exception as exc:
        busy = as_busy(exc)
        if busy is not None:
            raise busy from exc
        raise


@contextmanager
def _autocommit(connection: Connection) -> Iterator[None]:
    """psycopg's connection in autocommit for the block, then transactional again before it goes back to
    the pool. Switched on the driver's connection itself: an engine with the isolation option made
    SQLAlchemy set and restore the level through its characteristics on every use (twice psycopg's
    autocommit and isolation setters, about 4% of a queue page). A connection that cannot be switched
    back (lost during the read) is invalidated, never pooled in autocommit."""
    driver = connection.connection.driver_connection
    assert driver is not None  # a checked-out connection always has one
    driver.autocommit = True
    try:
        yield
    finally:
        try:
            driver.autocommit = False
        except Exception:  # the connection is gone: dropped, and the read's own outcome stands
            connection.invalidate()


AUTOVACUUM_OFF_WARNING = (
    "PostgreSQL 的 autovacuum 已关闭：数据库不会自动更新统计信息（ANALYZE），投诉一多，队列、计数和搜索会越来越慢"
    "（实测：无统计信息时一页队列要扫描全部投诉）。请开启 autovacuum，或定期运行 VACUUM ANALYZE。"
)


def autovacuum_warning(setting: str) -> str | None:
    """The warning a server's start gives when PostgreSQL's ``autovacuum`` setting is not on."""
    return None if setting.strip().lower() in ("on", "true", "1", "yes") else AUTOVACUUM_OFF_WARNING


def maintenance_warnings(engine: Engine) -> list[str]:
    """What the database's own settings will cost the centre as its data grows (PostgreSQL; none on SQLite,
    which plans from its own statistics-free rules)."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as connection:
        setting = str(connection.exec_driver_sql("SHOW autovacuum").scalar_one())
    warning = autovacuum_warning(setting)
    return [warning] if warning else []


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    start_mappers()
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    complaint_updates.install(factory)
    return factory


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", _normalise_url(url).replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent). A schema already at the newest migration
    is only read: every CLI command opens the desk, and must not wait for (or take) the write lock."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with read_only_engine(engine).connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
        connection.rollback()
    if set(current) == set(ScriptDirectory.from_config(config).get_heads()):
        return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_is_current(engine: Engine) -> bool:
    return "alembic_version" in inspect(engine).get_table_names()
