"""The migrated schema built once per test session (per xdist worker) and copied into each empty test database.

Running the eleven-plus Alembic migrations costs about a second a test on either database, and most
tests open a fresh one. The migrations still run, once per database kind, into a template; an empty
test database then receives a copy of what they made: SQLite through the backup API (pages, so the
file is byte for byte what the migrations wrote), PostgreSQL by replaying ``pg_dump``'s script of the
template schema (tables, indexes, functions, triggers, sequences and the rows the migrations insert,
``alembic_version`` included). A database that already holds tables is migrated as before, so tests of
the migrations themselves, and every upgrade path, still run through Alembic.

A PostgreSQL test's own schema (conftest's ``database_url``) is filled from the worker's pool of
already-migrated schemas instead (tests/schema_pool.py); the script is replayed only when the pool has
none free, and what it made then joins the pool when the test is over.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, inspect, make_url, text

from complaintdesk.storage.db import read_only_engine
from tests.schema_pool import PgSchemaPool, schema_named_in

Migrate = Callable[[Engine], None]

# Lines of pg_dump's script that would change the test connection's session, or name the template.
_SESSION_LINE = re.compile(r"^(\\|SET |SELECT pg_catalog\.set_config|CREATE SCHEMA |ALTER SCHEMA |COMMENT ON SCHEMA )")

# Whether the test's schema holds a table, found through the tables' dependency on it (an index lookup).
# inspect()'s get_table_names scans pg_class, which the CI server never vacuums: once every earlier
# test's schema had left its dead rows there, that look cost ~45 ms of server CPU, and it runs once for
# each database a test opens.
_PG_HOLDS_TABLES = """
SELECT EXISTS (
    SELECT 1 FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
    WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_namespace'::regclass
    AND d.refobjid = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
    AND c.relkind IN ('r', 'p')
)"""


@dataclass
class SchemaTemplates:
    workdir: Path
    pg_base: str | None
    real_migrate: Migrate
    _sqlite_file: Path | None = None
    _pg_script: str | None = None
    _pg_schema: str | None = None
    pg_pool: PgSchemaPool | None = None

    def __post_init__(self) -> None:
        if self.pg_base is not None:
            libpq = make_url(self.pg_base).set(drivername="postgresql").render_as_string(hide_password=False)
            self.pg_pool = PgSchemaPool(libpq, self._pg_template_schema)

    def migrate(self, engine: Engine) -> None:
        if not self._is_empty(engine):
            self.real_migrate(engine)
        elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            self._sqlite_restore(engine)
        elif engine.dialect.name == "postgresql" and self.pg_base is not None and shutil.which("pg_dump"):
            self._pg_restore(engine)
        else:
            self.real_migrate(engine)

    @staticmethod
    def _is_empty(engine: Engine) -> bool:
        # As the real migrate: a look that takes no write lock (another writer may hold it).
        with read_only_engine(engine).connect() as conn:
            if conn.dialect.name == "postgresql":
                empty = not conn.execute(text(_PG_HOLDS_TABLES)).scalar()
            else:
                empty = not inspect(conn).get_table_names()
            conn.rollback()
        return empty

    # -- SQLite ---------------------------------------------------------------------------------

    def _sqlite_restore(self, engine: Engine) -> None:
        if self._sqlite_file is None:
            built = self.workdir / "schema.db"
            template_engine = create_engine(f"sqlite:///{built}")
            self.real_migrate(template_engine)
            template_engine.dispose()
            self._sqlite_file = built
        source = sqlite3.connect(self._sqlite_file)
        raw = engine.raw_connection()
        try:
            target = raw.driver_connection
            assert isinstance(target, sqlite3.Connection)
            source.backup(target)
        finally:
            raw.close()
            source.close()

    # -- PostgreSQL ------------------------------------------------------------------------------

    def _pg_restore(self, engine: Engine) -> None:
        schema = schema_named_in(engine.url.query.get("options"))
        if self.pg_pool is not None and schema is not None and self.pg_pool.fill(schema):
            return
        script = self._pg_template_script()
        raw = engine.raw_connection()
        try:
            with raw.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
                cursor.execute(script)  # no parameters: the script's % signs are literal
            raw.commit()
        finally:
            raw.close()
        if self.pg_pool is not None and schema is not None:
            self.pg_pool.filled_by_copy(schema)

    def _pg_template_schema(self) -> str:
        self._pg_template_script()
        assert self._pg_schema is not None
        return self._pg_schema

    def _pg_template_script(self) -> str:
        if self._pg_script is not None:
            return self._pg_script
        assert self.pg_base is not None
        base = self.pg_base.replace("postgresql://", "postgresql+psycopg://", 1)
        schema = f"schema_tpl_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        self._pg_schema = schema
        sep = "&" if "?" in base else "?"
        template_engine = create_engine(f"{base}{sep}options=-csearch_path%3D{schema}")
        self.real_migrate(template_engine)
        template_engine.dispose()
        admin.dispose()
        url = make_url(base)
        command = ["pg_dump", "--no-owner", "--no-privileges", "--inserts", "--schema", schema]
        command += ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432)]
        command += ["--username", url.username or "postgres", unquote(url.database or "postgres")]
        dumped = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        lines = [line for line in dumped.splitlines() if not _SESSION_LINE.match(line)]
        self._pg_script = "\n".join(lines).replace(f'"{schema}".', "").replace(f"{schema}.", "")
        return self._pg_script

    def close(self) -> None:
        if self.pg_pool is not None:
            self.pg_pool.close()
        if self._pg_schema is not None and self.pg_base is not None:
            admin = create_engine(
                self.pg_base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
            )
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{self._pg_schema}" CASCADE'))
            admin.dispose()
