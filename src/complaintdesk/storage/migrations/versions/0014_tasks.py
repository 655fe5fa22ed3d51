"""call-back and follow-up tasks: a promise to call back or a scheduled follow-up, its reminder, its
escalation when missed, and its outcome; attachments the customer uploaded on the status page

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "complaint_id", sa.Integer, sa.ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("promise_id", sa.Integer, sa.ForeignKey("promises.id", ondelete="SET NULL")),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True)),
        sa.Column("missed_at", sa.DateTime(timezone=True)),
        sa.Column("outcome", sa.String(16)),
        sa.Column("outcome_by", sa.String(100)),
        sa.Column("outcome_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_tasks_complaint_id", "tasks", ["complaint_id"])
    # A file the customer uploaded on their status page.
    op.add_column(
        "attachments", sa.Column("from_customer", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.create_index(
        "ix_tasks_open_due",
        "tasks",
        ["due_at"],
        postgresql_where=sa.text("outcome IS NULL"),
        sqlite_where=sa.text("outcome IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_tasks_open_due", table_name="tasks")
    op.drop_index("ix_tasks_complaint_id", table_name="tasks")
    op.drop_table("tasks")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("from_customer")
