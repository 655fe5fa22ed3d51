"""The demo database built once per test session (per xdist worker) and copied into each test's database.

Loading the demo opens every demo complaint through the services (about 4 s a test); copying what
one load wrote takes a fraction of that. SQLite copies the file; PostgreSQL migrates the test's own
schema as before and copies the rows from a template schema, sequences included, so ids handed out
later in the test continue where the demo stopped, exactly as after a real load."""

from __future__ import annotations

import re
import shutil
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import Connection, Engine, create_engine, text

from complaintdesk.services import demo
from complaintdesk.services.bootstrap import Desk, open_desk
from complaintdesk.settings import get_settings

_SCHEMA = re.compile(r"options=-csearch_path%3D(\w+)")


def schema_of(url: str) -> str:
    found = _SCHEMA.search(url)
    assert found, f"no private schema in {url}"
    return unquote(found.group(1))


@dataclass
class DemoTemplates:
    """One built demo per database kind, made on first use and kept for the session."""

    workdir: Path
    pg_base: str | None
    numbers: dict[str, list[str]] = field(default_factory=dict)
    sqlite_file: Path | None = None
    pg_schema: str | None = None
    _admin: Engine | None = None
    _copy_plan: _CopyPlan | None = None

    def _build(self, url: str) -> list[str]:
        # Built outside any test: keep the user's data directory and environment out of it.
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("COMPLAINTDESK_DATA_DIR", str(self.workdir / "data"))
            mp.delenv("COMPLAINTDESK_DATABASE_URL", raising=False)
            mp.setenv("COMPLAINTDESK_REPEAT_USE_EMBEDDINGS", "false")
            get_settings.cache_clear()
            try:
                desk = open_desk(url)
                result = demo.load_demo(desk.uow, now=datetime.now(UTC))  # demo accounts, admin included
                desk.engine.dispose()
            finally:
                get_settings.cache_clear()
        return list(result.numbers)

    def open_copy(self, database_url: str) -> tuple[Desk, list[str]]:
        """A desk over ``database_url`` (a fresh, empty test database) holding the demo."""
        if database_url.startswith("sqlite"):
            return self._sqlite_copy(database_url)
        return self._pg_copy(database_url)

    def _sqlite_copy(self, database_url: str) -> tuple[Desk, list[str]]:
        if self.sqlite_file is None:
            built = self.workdir / "demo.db"
            self.numbers["sqlite"] = self._build(f"sqlite:///{built}")
            with sqlite3.connect(built) as conn:  # fold the WAL into the file: only the file is copied
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.sqlite_file = built
        target = Path(database_url.removeprefix("sqlite:///"))
        shutil.copyfile(self.sqlite_file, target)
        return open_desk(database_url), self.numbers["sqlite"]

    def _pg_copy(self, database_url: str) -> tuple[Desk, list[str]]:
        assert self.pg_base is not None
        admin = self._admin_engine()
        if self.pg_schema is None:
            schema = f"demo_{uuid.uuid4().hex[:12]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            sep = "&" if "?" in self.pg_base else "?"
            self.numbers["postgresql"] = self._build(f"{self.pg_base}{sep}options=-csearch_path%3D{schema}")
            self.pg_schema = schema
        desk = open_desk(database_url)  # the schema's tables, functions and sequences, by the migrations
        with desk.engine.begin() as conn:
            if self._copy_plan is None:
                self._copy_plan = _CopyPlan.read(conn, self.pg_schema)
            _copy_rows(conn, self._copy_plan, self.pg_schema, schema_of(database_url))
        return desk, self.numbers["postgresql"]

    def _admin_engine(self) -> Engine:
        if self._admin is None:
            assert self.pg_base is not None
            self._admin = create_engine(
                self.pg_base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
            )
        return self._admin

    def close(self) -> None:
        if self._admin is not None:
            if self.pg_schema is not None:
                with self._admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA "{self.pg_schema}" CASCADE'))
            self._admin.dispose()


@dataclass
class _CopyPlan:
    """What copying the demo's rows takes, read once from the template schema (which no test changes):
    asking the catalogue through information_schema for every copy cost more than the copy itself."""

    columns: dict[str, list[str]]  # table -> its columns that take values
    sequences: list[tuple[str, int]]  # sequence -> its last value

    @classmethod
    def read(cls, conn: Connection, source: str) -> _CopyPlan:
        tables = conn.execute(
            text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = :s "
                "AND table_type = 'BASE TABLE' AND table_name <> 'alembic_version'"
            ),
            {"s": source},
        ).scalars().all()
        columns = {}
        for table in tables:
            # Same migrations, same column order; generated columns are left to the database.
            columns[table] = list(
                conn.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = :s "
                        "AND table_name = :t AND is_generated = 'NEVER' ORDER BY ordinal_position"
                    ),
                    {"s": source, "t": table},
                ).scalars()
            )
        sequences = conn.execute(
            text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = :s AND last_value IS NOT NULL"),
            {"s": source},
        ).all()
        return cls(columns, [(str(name), int(value)) for name, value in sequences])


def _copy_rows(conn: Connection, plan: _CopyPlan, source: str, target: str) -> None:
    # Foreign keys are not checked while replicating (the rows are consistent in the source), so the
    # tables can be copied in any order.
    conn.execute(text("SET LOCAL session_replication_role = replica"))
    for table, columns in plan.columns.items():
        names = ", ".join(f'"{c}"' for c in columns)
        conn.execute(text(f'INSERT INTO "{target}"."{table}" ({names}) SELECT {names} FROM "{source}"."{table}"'))
    for name, last_value in plan.sequences:
        conn.execute(text("SELECT setval(:seq, :v, true)"), {"seq": f'"{target}"."{name}"', "v": last_value})
