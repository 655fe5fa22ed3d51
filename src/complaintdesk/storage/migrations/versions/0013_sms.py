"""sms: the SMS outbox and the customers who opted out of SMS

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sms_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("complaint_number", sa.String(24), nullable=False),
        sa.Column("message_id", sa.Integer),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("to_phone", sa.String(20), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("segments", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", _TS, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("sent_at", _TS),
        sa.Column("provider_id", sa.String(100)),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_sms_outbox_complaint_number", "sms_outbox", ["complaint_number"])
    op.create_index("ix_sms_outbox_next_attempt_at", "sms_outbox", ["next_attempt_at"])
    op.create_table(
        "sms_opt_outs",
        sa.Column(
            "customer_id", sa.Integer, sa.ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sms_opt_outs")
    op.drop_index("ix_sms_outbox_next_attempt_at", "sms_outbox")
    op.drop_index("ix_sms_outbox_complaint_number", "sms_outbox")
    op.drop_table("sms_outbox")
