"""dashboard speed: daily rollup table and covering indexes for the window scans

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.Column("version_sum", sa.BigInteger(), nullable=False),
        sa.Column("max_id", sa.Integer(), nullable=False),
        sa.Column("totals", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_dashboard_days"),
    )
    # The per-day signature (count, sum of versions, highest id) read from the index alone.
    op.create_index("ix_complaints_opened_signature", "complaints", ["opened_at", "version", "id"])
    # SLA attainment over a window of due dates, read from the index alone.
    op.create_index("ix_sla_clocks_due_kind_state", "sla_clocks", ["due_at", "kind", "active", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_sla_clocks_due_kind_state", table_name="sla_clocks")
    op.drop_index("ix_complaints_opened_signature", table_name="complaints")
    op.drop_table("dashboard_days")
