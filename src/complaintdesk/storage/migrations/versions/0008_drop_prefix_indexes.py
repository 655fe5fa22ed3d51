"""drop the three indexes whose column leads another index

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

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


def upgrade() -> None:
    for table, name, _ in _REDUNDANT:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for table, name, column in _REDUNDANT:
        op.create_index(name, table, [column], unique=False)
