"""saved queue views per user; the complaint's next due time kept by triggers, for the queue at scale

Revision ID: 0012
Revises: 0011

``complaints.next_due_at`` is the earliest ``due_at`` of the complaint's running (``active``) clocks,
NULL when none runs. Triggers on ``sla_clocks`` keep it (whatever writes a clock: the services, the
importer, a bulk load), and one on ``complaints`` fills it for a complaint whose clocks were written
first. The queue then sorts by due time with an index and counts overdue complaints without reading
the clocks.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The complaint's clocks are read through ix_sla_clocks_complaint_number; the fence (a subquery with an
# offset) keeps the planner from turning min() into a walk of the due-time index that stops only at this
# complaint's clock — a walk through every earlier clock, for every row a bulk load writes.
_NEXT_DUE = (
    "(SELECT min(d.due_at) FROM (SELECT k.due_at FROM sla_clocks k"
    " WHERE k.complaint_number = {number} AND k.active{true} {fence}) d)"
)

_SQLITE_TRIGGERS = (
    """CREATE TRIGGER trg_sla_clocks_next_due_insert AFTER INSERT ON sla_clocks BEGIN
        UPDATE complaints SET next_due_at = {due_new} WHERE number = NEW.complaint_number; END""",
    """CREATE TRIGGER trg_sla_clocks_next_due_update AFTER UPDATE OF active, due_at, complaint_number
        ON sla_clocks
        WHEN OLD.active IS NOT NEW.active OR OLD.due_at IS NOT NEW.due_at
             OR OLD.complaint_number IS NOT NEW.complaint_number BEGIN
        UPDATE complaints SET next_due_at = {due_row}
        WHERE number IN (NEW.complaint_number, OLD.complaint_number); END""",
    """CREATE TRIGGER trg_sla_clocks_next_due_delete AFTER DELETE ON sla_clocks BEGIN
        UPDATE complaints SET next_due_at = {due_row} WHERE number = OLD.complaint_number; END""",
    """CREATE TRIGGER trg_complaints_next_due_insert AFTER INSERT ON complaints
        WHEN EXISTS (SELECT 1 FROM sla_clocks WHERE complaint_number = NEW.number) BEGIN
        UPDATE complaints SET next_due_at = {due_row} WHERE id = NEW.id; END""",
)

_PG_FUNCTIONS = (
    # Planned at each call (plan_cache_mode): a plan cached while the tables were small would read every
    # clock of a grown table by sequential scan for each row written (a bulk load never finished).
    """CREATE FUNCTION complaint_next_due_from_clock() RETURNS trigger LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE complaints SET next_due_at = {due_old} WHERE number = OLD.complaint_number;
        END IF;
        IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.complaint_number IS DISTINCT FROM OLD.complaint_number
                                  OR NEW.active IS DISTINCT FROM OLD.active OR NEW.due_at IS DISTINCT FROM OLD.due_at)
        THEN
            UPDATE complaints SET next_due_at = {due_new} WHERE number = NEW.complaint_number;
        END IF;
        RETURN NULL;
    END $$""",
    # New clocks, once per statement: an intake writes three clocks and its complaint is updated once,
    # a bulk load's batch of thousands is one UPDATE.
    """CREATE FUNCTION complaint_next_due_from_new_clocks() RETURNS trigger LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan AS $$
    BEGIN
        UPDATE complaints SET next_due_at = {due_row}
        WHERE number IN (SELECT DISTINCT complaint_number FROM added_clocks);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_sla_clocks_next_due_insert AFTER INSERT ON sla_clocks
        REFERENCING NEW TABLE AS added_clocks FOR EACH STATEMENT
        EXECUTE FUNCTION complaint_next_due_from_new_clocks()""",
    """CREATE TRIGGER trg_sla_clocks_next_due_update AFTER UPDATE OF active, due_at, complaint_number
        ON sla_clocks FOR EACH ROW
        WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.due_at IS DISTINCT FROM NEW.due_at
              OR OLD.complaint_number IS DISTINCT FROM NEW.complaint_number)
        EXECUTE FUNCTION complaint_next_due_from_clock()""",
    """CREATE TRIGGER trg_sla_clocks_next_due_delete AFTER DELETE ON sla_clocks
        FOR EACH ROW EXECUTE FUNCTION complaint_next_due_from_clock()""",
    """CREATE FUNCTION complaint_next_due_on_insert() RETURNS trigger LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan AS $$
    BEGIN
        NEW.next_due_at := {due_insert};
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER trg_complaints_next_due_insert BEFORE INSERT ON complaints
        FOR EACH ROW EXECUTE FUNCTION complaint_next_due_on_insert()""",
)


# The queue's orders, each followed by what a count reads, so counts read the index alone.
_INDEXES = {
    "ix_complaints_next_due": ["next_due_at", "id", "stage", "owner", "import_id"],
    "ix_complaints_owner_due": [
        "owner", "next_due_at", "id", "stage", "import_id", "opened_at", "escalation_level", "runaround"
    ],
    "ix_complaints_category_due": ["category", "next_due_at", "id", "stage", "import_id"],
}  # fmt: skip


def _next_due(number: str, dialect: str) -> str:
    if dialect == "sqlite":
        return _NEXT_DUE.format(number=number, true=" = 1", fence="LIMIT -1 OFFSET 0")
    return _NEXT_DUE.format(number=number, true="", fence="OFFSET 0")


def _ddl(dialect: str) -> list[str]:
    def due(number: str) -> str:
        return _next_due(number, dialect)

    names = {
        "due_new": due("NEW.complaint_number"),
        "due_old": due("OLD.complaint_number"),
        "due_row": due("complaints.number"),
        "due_insert": due("NEW.number"),
    }
    statements = _SQLITE_TRIGGERS if dialect == "sqlite" else _PG_FUNCTIONS
    return [s.format(**names) for s in statements]


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("filters", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("owner", "name", name="uq_saved_views_owner_name"),
    )
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True)))
        batch.drop_index("ix_complaints_owner")
        batch.drop_index("ix_complaints_category")
    # Created after the backfill below, so its updates do not maintain them.
    op.execute(f"UPDATE complaints SET next_due_at = {_next_due('complaints.number', dialect)}")
    for name, columns in _INDEXES.items():
        op.create_index(name, "complaints", columns)
    for statement in _ddl(dialect):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, table in (
        ("trg_complaints_next_due_insert", "complaints"),
        ("trg_sla_clocks_next_due_delete", "sla_clocks"),
        ("trg_sla_clocks_next_due_update", "sla_clocks"),
        ("trg_sla_clocks_next_due_insert", "sla_clocks"),
    ):
        op.execute(f"DROP TRIGGER {name}" + ("" if dialect == "sqlite" else f" ON {table}"))
    if dialect != "sqlite":
        op.execute("DROP FUNCTION complaint_next_due_on_insert()")
        op.execute("DROP FUNCTION complaint_next_due_from_new_clocks()")
        op.execute("DROP FUNCTION complaint_next_due_from_clock()")
    for name in _INDEXES:
        op.drop_index(name, table_name="complaints")
    with op.batch_alter_table("complaints") as batch:
        batch.create_index("ix_complaints_owner", ["owner"])
        batch.create_index("ix_complaints_category", ["category"])
        batch.drop_column("next_due_at")
    op.drop_table("saved_views")
