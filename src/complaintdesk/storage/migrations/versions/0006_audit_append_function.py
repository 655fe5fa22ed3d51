"""audit chain: lock, link, hash and insert a transaction's events in one statement on PostgreSQL

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Appends hold the chain's advisory lock until their transaction commits. Reading the tail, sealing
# in Python and inserting took three round trips and the GIL between each, all under that lock; at a
# hundred writes a second the lock became a convoy. Here the caller passes the events as one JSON
# array of {head, number, kind, actor, at, payload}, where head is domain.audit.hash_head (canonical
# JSON of everything but "prev" and "seq"), and the database adds the link ('"prev":"<hash>",
# "seq":<n>}') and hashes, so the lock is held for this statement and the COMMIT that follows it.
# VOLATILE for the same reason as complaintdesk_audit_tail (0005): the tail is read with a snapshot
# taken after the lock is granted.
_CREATE = """
CREATE OR REPLACE FUNCTION complaintdesk_audit_append(lock_key bigint, events json)
RETURNS TABLE (seq integer, prev_hash varchar, hash varchar) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    tail_seq integer;
    tail_hash varchar;
    next_hash varchar;
    ev json;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT e.seq, e.hash INTO tail_seq, tail_hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
    IF tail_seq IS NULL THEN
        tail_seq := 0;
        tail_hash := repeat('0', 64);
    END IF;
    FOR ev IN SELECT value FROM json_array_elements(events) LOOP
        tail_seq := tail_seq + 1;
        next_hash := encode(
            sha256(convert_to((ev->>'head') || '"prev":"' || tail_hash || '","seq":' || tail_seq || '}', 'UTF8')),
            'hex'
        );
        INSERT INTO audit_events (seq, complaint_number, kind, actor, at, payload, prev_hash, hash)
        VALUES (
            tail_seq, ev->>'number', ev->>'kind', ev->>'actor', (ev->>'at')::timestamptz, ev->'payload',
            tail_hash, next_hash
        );
        seq := tail_seq;
        prev_hash := tail_hash;
        hash := next_hash;
        RETURN NEXT;
        tail_hash := next_hash;
    END LOOP;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS complaintdesk_audit_append(bigint, json)")
