"""The pool of PostgreSQL test schemas (tests/schema_pool.py) never lets one test see another's work:
rows, sequence values and schema changes stay with the test that made them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import Connection, create_engine, text

from tests.conftest import PG_URL
from tests.schema_pool import PgSchemaPool, schema_url
from tests.schema_template import SchemaTemplates

pytestmark = pytest.mark.skipif(PG_URL is None, reason="needs COMPLAINTDESK_TEST_DATABASE_URL")


@pytest.fixture
def pool(_schema_templates: SchemaTemplates) -> PgSchemaPool:
    assert _schema_templates.pg_pool is not None
    return _schema_templates.pg_pool


@contextmanager
def lent(pool: PgSchemaPool, templates: SchemaTemplates) -> Iterator[tuple[str, Connection, int]]:
    """A schema as a test gets it (empty, then migrated); its name, a connection to it and its oid."""
    assert PG_URL is not None
    schema = pool.lend()
    engine = create_engine(schema_url(PG_URL, schema))
    try:
        templates.migrate(engine)
        with engine.connect() as conn:
            oid = conn.execute(text("SELECT oid FROM pg_namespace WHERE nspname = :s"), {"s": schema}).scalar_one()
            yield schema, conn, int(oid)
    finally:
        engine.dispose()
        pool.release(schema)


def _exists(conn: Connection, oid: int) -> bool:
    return bool(conn.execute(text("SELECT count(*) FROM pg_namespace WHERE oid = :o"), {"o": oid}).scalar_one() == 1)


def test_the_next_test_gets_the_schema_back_empty_with_fresh_sequences(
    pool: PgSchemaPool, _schema_templates: SchemaTemplates
) -> None:
    with lent(pool, _schema_templates) as (_, conn, first):
        conn.execute(text("INSERT INTO number_sequences (day, last_value) VALUES ('2026-12-01', 7)"))
        conn.execute(text("SELECT nextval('users_id_seq'), nextval('users_id_seq')"))
        conn.execute(text("DELETE FROM alembic_version"))
        conn.commit()
    with lent(pool, _schema_templates) as (_, conn, second):
        assert second == first  # the same schema, reused rather than made anew
        assert conn.execute(text("SELECT count(*) FROM number_sequences")).scalar_one() == 0
        assert conn.execute(text("SELECT nextval('users_id_seq')")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1  # the migrations' row


def test_a_test_that_changed_the_schema_does_not_hand_it_on(
    pool: PgSchemaPool, _schema_templates: SchemaTemplates
) -> None:
    with lent(pool, _schema_templates) as (_, conn, changed):
        conn.execute(text("CREATE INDEX ix_probe ON customers (name)"))
        conn.commit()
    with lent(pool, _schema_templates) as (_, conn, after):
        assert after != changed and not _exists(conn, changed)
        indexes = conn.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_probe'")).scalar_one()
        assert indexes == 0


@pytest.mark.parametrize(
    "ddl",
    [
        "ALTER TABLE customers ADD COLUMN probe integer",
        "ALTER TABLE complaints DISABLE TRIGGER trg_complaints_next_due_insert",
        "CREATE OR REPLACE FUNCTION complaintdesk_next_day_number(for_day date) RETURNS integer "
        "LANGUAGE sql AS 'SELECT 1'",
        "CREATE TABLE probe (id integer)",
        "GRANT SELECT ON audit_events TO PUBLIC",
    ],
)
def test_any_ddl_marks_the_schema_as_changed(
    pool: PgSchemaPool, _schema_templates: SchemaTemplates, ddl: str
) -> None:
    with lent(pool, _schema_templates) as (_, conn, changed):
        conn.execute(text(ddl))
        conn.commit()
    with lent(pool, _schema_templates) as (_, conn, _after):
        assert not _exists(conn, changed)


def test_a_connection_left_open_cannot_reach_the_next_test(
    pool: PgSchemaPool, _schema_templates: SchemaTemplates
) -> None:
    assert PG_URL is not None
    with lent(pool, _schema_templates) as (schema, _, _oid):
        leftover = psycopg.connect(schema_url(PG_URL, schema).replace("+psycopg", ""), autocommit=True)
    try:
        with lent(pool, _schema_templates) as (_, conn, _oid):
            conn.execute(text("INSERT INTO number_sequences (day, last_value) VALUES ('2026-12-02', 1)"))
            conn.commit()
            with pytest.raises(psycopg.errors.UndefinedTable):
                leftover.execute("SELECT count(*) FROM number_sequences")
    finally:
        leftover.close()


def test_a_schema_the_test_built_itself_is_dropped(pool: PgSchemaPool) -> None:
    assert PG_URL is not None
    schema = pool.lend()
    engine = create_engine(schema_url(PG_URL, schema))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE own (id integer)"))
        oid = conn.execute(text("SELECT oid FROM pg_namespace WHERE nspname = :s"), {"s": schema}).scalar_one()
    engine.dispose()
    pool.release(schema)
    with create_engine(schema_url(PG_URL, "public")).connect() as conn:
        assert not _exists(conn, int(oid))
