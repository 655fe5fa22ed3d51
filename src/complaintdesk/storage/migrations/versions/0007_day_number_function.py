"""complaint numbers: draw the day's next number in one statement that does not wait for the disk

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The number is drawn in its own transaction, before the intake's (storage.repository.next_number).
# That transaction commits asynchronously: losing it in a crash is harmless, because WAL is flushed in
# order, so the intake that uses the number cannot be durable unless the draw before it is too. An
# intake that was lost with it leaves the number free to be drawn again.
_CREATE = """
CREATE OR REPLACE FUNCTION complaintdesk_next_day_number(for_day date) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    drawn integer;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO number_sequences (day, last_value) VALUES (for_day, 1)
    ON CONFLICT (day) DO UPDATE SET last_value = number_sequences.last_value + 1
    RETURNING last_value INTO drawn;
    RETURN drawn;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS complaintdesk_next_day_number(date)")
