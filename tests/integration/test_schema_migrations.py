"""The migrations build exactly the schema the table definitions describe, and 0008 goes both ways."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, inspect

from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage.all_tables import metadata
from complaintdesk.storage.db import alembic_config


def _differences(desk: Desk) -> list[Any]:
    with desk.engine.connect() as connection:
        found = compare_metadata(MigrationContext.configure(connection), metadata)
    return [d for d in found if not _made_by_dialect_ddl(d)]


def _made_by_dialect_ddl(difference: Any) -> bool:
    """The search index's own structures, which migration 0002 writes in each database's DDL: SQLite's
    FTS5 virtual table (with its shadow tables), PostgreSQL's generated tsvector column and its index."""
    kind, item = difference[0], difference[-1]
    if kind == "remove_table":
        return str(item.name).startswith("search_fts")
    if kind == "remove_index":
        return str(item.name) == "ix_search_documents_tsv"
    if kind == "remove_column":
        return difference[2] == "search_documents" and str(item.name) == "tsv"
    return False


def test_the_migrations_build_the_schema_the_models_describe(desk: Desk) -> None:
    assert _differences(desk) == []


def _indexes(desk: Desk, table: str) -> set[str]:
    return {str(ix["name"]) for ix in inspect(desk.engine).get_indexes(table)}


def _migrate(desk: Desk, revision: str, *, down: bool) -> None:
    config = alembic_config(desk.engine.url.render_as_string(hide_password=False))
    with desk.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_an_index_whose_column_leads_another_index_is_not_kept(desk: Desk) -> None:
    assert "ix_customers_phone" not in _indexes(desk, "customers")
    assert "ix_complaints_customer_id" not in _indexes(desk, "complaints")
    assert "ix_sla_clocks_due_at" not in _indexes(desk, "sla_clocks")
    _migrate(desk, "0007", down=True)
    assert "ix_complaints_customer_id" in _indexes(desk, "complaints")
    _migrate(desk, "head", down=False)
    assert "ix_complaints_customer_id" not in _indexes(desk, "complaints")
    assert _differences(desk) == []


def test_the_sla_sweep_reads_its_batch_from_the_index_of_running_clocks(desk: Desk) -> None:
    # Measured on PostgreSQL with a million clocks, five thousand of them running: 0.4 ms and 402
    # buffers to claim a batch of 200, where the index of every clock on "active" took 22.8 ms and
    # 5,207 buffers (it read all the running clocks, then sorted them).
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if "FROM sla_clocks" in statement:
            seen.append((statement, parameters))

    event.listen(desk.engine, "before_cursor_execute", capture)
    try:
        with desk.uow() as uow:
            uow.clocks.claim_active(limit=50)
    finally:
        event.remove(desk.engine, "before_cursor_execute", capture)
    statement, parameters = seen[-1]
    with desk.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        if desk.engine.dialect.name == "postgresql":
            # An empty table: the planner would scan it whole; ask for the plan a large one gets.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + statement, parameters)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "ix_sla_clocks_active_due" in plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan
