"""The migrations build exactly the schema the table definitions describe, and 0008 goes both ways."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage.db import alembic_config
from complaintdesk.storage.orm import metadata


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
