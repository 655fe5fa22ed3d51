"""customer channels: status-page links, the mail outbox, inbound mails seen, customers' e-mail addresses

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "status_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "complaint_id", sa.Integer, sa.ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS),
    )
    op.create_index("ix_status_links_complaint_id", "status_links", ["complaint_id"])
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("complaint_number", sa.String(24), nullable=False),
        sa.Column("message_id", sa.Integer),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("to_addr", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("rfc_message_id", sa.String(255), nullable=False, unique=True),
        sa.Column("in_reply_to", sa.String(255)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", _TS, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("sent_at", _TS),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_mail_outbox_complaint_number", "mail_outbox", ["complaint_number"])
    op.create_index("ix_mail_outbox_next_attempt_at", "mail_outbox", ["next_attempt_at"])
    op.create_table(
        "inbound_mails",
        sa.Column("rfc_message_id", sa.String(255), primary_key=True),
        sa.Column("complaint_number", sa.String(24)),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(200)),
        sa.Column("received_at", _TS, nullable=False),
    )
    op.create_table(
        "customer_emails",
        sa.Column("address", sa.String(254), primary_key=True),
        sa.Column(
            "customer_id", sa.Integer, sa.ForeignKey("customers.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_index("ix_customer_emails_customer_id", "customer_emails", ["customer_id"])


def downgrade() -> None:
    op.drop_table("customer_emails")
    op.drop_table("inbound_mails")
    op.drop_table("mail_outbox")
    op.drop_table("status_links")
