"""leaner indexes: drop the three whose column leads another index; the SLA sweep's index holds
active clocks only

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Each of these indexed one column that is also the first column of another index, which answers the
# same lookups (customers by phone: uq_customers_phone_name; a customer's complaints:
# ix_complaints_customer_opened; clocks by due time: ix_sla_clocks_due_kind_state). Every intake
# still paid to maintain them: one entry per complaint, per customer and per SLA clock (three a
# complaint), and one more per clock update that moves its due time.
_REDUNDANT = (
    ("customers", "ix_customers_phone", "phone"),
    ("complaints", "ix_complaints_customer_id", "customer_id"),
    ("sla_clocks", "ix_sla_clocks_due_at", "due_at"),
)

# The sweep claims the active clocks that fall due first. An index of every clock on "active" grows
# with every complaint ever closed and leaves a sort to do; this one holds only the running clocks,
# already in due order, so a sweep reads its batch and stops.
_ACTIVE_DUE = "ix_sla_clocks_active_due"


def upgrade() -> None:
    for table, name, _ in _REDUNDANT:
        op.drop_index(name, table_name=table)
    op.drop_index("ix_sla_clocks_active", table_name="sla_clocks")
    op.create_index(
        _ACTIVE_DUE,
        "sla_clocks",
        ["due_at"],
        postgresql_where=sa.text("active"),
        sqlite_where=sa.text("active = 1"),  # as SQLite renders the sweep's condition
    )


def downgrade() -> None:
    op.drop_index(_ACTIVE_DUE, table_name="sla_clocks")
    op.create_index("ix_sla_clocks_active", "sla_clocks", ["active"], unique=False)
    for table, name, column in _REDUNDANT:
        op.create_index(name, table, [column], unique=False)
