"""agent workspace: the in-app inbox, teams as records with a lead, approval requests

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("complaint_number", sa.String(24)),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("request_id", sa.Integer),
        sa.Column("read_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_notifications_recipient_id", "notifications", ["recipient", "id"])
    # The header polls the unread count: only unread rows are indexed, so the count reads a few entries.
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["recipient"],
        postgresql_where=sa.text("read_at IS NULL"),
        sqlite_where=sa.text("read_at IS NULL"),
    )
    op.create_table(
        "teams",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("lead", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Every team already named by an account becomes a record (its lead: its one team lead, if one).
    op.execute(
        sa.text(
            "INSERT INTO teams (name, lead, created_at) "
            "SELECT u.team, (SELECT MIN(l.username) FROM users l WHERE l.team = u.team AND l.role = 'team_lead'), "
            "MIN(u.created_at) FROM users u WHERE u.team IS NOT NULL GROUP BY u.team"
        )
    )
    op.create_table(
        "approval_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("complaint_number", sa.String(24), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("approver", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decision_note", sa.String(1000)),
    )
    op.create_index("ix_approval_requests_complaint_number", "approval_requests", ["complaint_number"])


def downgrade() -> None:
    op.drop_table("approval_requests")
    op.drop_table("teams")
    op.drop_index("ix_notifications_unread", table_name="notifications")
    op.drop_index("ix_notifications_recipient_id", table_name="notifications")
    op.drop_table("notifications")
