"""import staging: complaints an import is still writing carry its id and stay out of sight

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An import writes its rows in short transactions, each complaint marked with the import's id;
    # reads leave marked complaints out, and the import's last, short transaction clears the mark on
    # all of them at once (services.importer). Only staged rows are indexed: the index stays tiny.
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("import_id", sa.String(32), nullable=True))
    op.create_index(
        "ix_complaints_import_id",
        "complaints",
        ["import_id"],
        postgresql_where=sa.text("import_id IS NOT NULL"),
        sqlite_where=sa.text("import_id IS NOT NULL"),
    )
    op.create_table(
        "import_runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("touched_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("import_runs")
    op.drop_index("ix_complaints_import_id", table_name="complaints")
    with op.batch_alter_table("complaints") as batch:
        batch.drop_column("import_id")
