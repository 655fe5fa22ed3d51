"""audit chain: lock and read the chain's tail in one round trip on PostgreSQL

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# VOLATILE on purpose: in READ COMMITTED each query inside a volatile function takes a fresh snapshot,
# so the SELECT runs after the lock is granted and sees the tail the previous holder committed. The same
# two queries as one plain statement would read a snapshot taken before the wait and fork the chain.
_CREATE = """
CREATE OR REPLACE FUNCTION complaintdesk_audit_tail(lock_key bigint)
RETURNS TABLE (seq integer, hash varchar) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN QUERY SELECT e.seq, e.hash::varchar FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS complaintdesk_audit_tail(bigint)")
