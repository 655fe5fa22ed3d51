"""A per-worker pool of migrated PostgreSQL schemas, handed to one test at a time and emptied in between.

Why: giving every PostgreSQL test a schema made by replaying the migrated schema's DDL, then dropping
it, cost ~100 ms of server CPU and ~0.6 s of wall time a test (catalogue writes, a file per table and
index, fsyncs), and, with autovacuum off on the CI server, left thousands of dead catalogue rows a test
behind, which slowed every later scan of the catalogue. Emptying a used schema costs a few milliseconds.

Isolation holds because:

- every test still starts on an empty schema of its own name, so a test that looks for an empty
  database, or runs Alembic itself, sees what it always saw. Only when the test's database is migrated
  from empty (``SchemaTemplates.migrate``) is a pooled schema swapped in under that name: a DROP of the
  empty schema and a RENAME of the pooled one, two catalogue rows;
- a schema goes back to the pool only if everything the catalogue says about its objects (tables,
  columns, defaults, indexes, constraints, triggers, rules, policies, functions, types, sequences,
  owners and privileges) still reads as on a fresh copy: a test that ran any DDL loses its schema, which
  is dropped as before;
- it goes back emptied (every table that holds rows; the rows the migrations insert are copied back
  from the template; every sequence set back to the template's state) and under a new name, so a
  connection the test left open names a schema that no longer exists.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from psycopg import sql


def schema_url(base: str, schema: str) -> str:
    """The test database's URL with ``schema`` alone on the search path. Its connections do not wait for
    their commits to reach the disk: what a test reads is the same (a commit is visible to every
    connection at once either way), only a server crash could lose it, and the CI server's fsyncs made
    about half of a PostgreSQL test's wall time."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"


_SEARCH_PATH = re.compile(r"search_path=(\w+)")


def schema_named_in(options: object) -> str | None:
    """The schema a test URL's libpq ``options`` put first on the search path."""
    found = _SEARCH_PATH.search(str(options or ""))
    return found.group(1) if found else None


# Everything about a schema's objects that a test could change with DDL, deparsed under a search_path
# of that schema alone and with the schema's own name taken out (index and trigger definitions name
# their table with it), so that two copies read the same. The schema's tables, sequences, views,
# functions and types are found through their dependency on it (an index lookup), not by scanning
# pg_class, pg_proc and pg_type, which the CI server never vacuums.
_FINGERPRINT = """
WITH n AS (SELECT oid, nspowner, nspacl FROM pg_namespace WHERE nspname = %(s)s),
owned AS (SELECT d.classid, d.objid FROM pg_depend d JOIN n ON d.refobjid = n.oid
    WHERE d.refclassid = 'pg_namespace'::regclass),
rels AS (SELECT c.* FROM pg_class c JOIN owned o ON o.classid = 'pg_class'::regclass AND o.objid = c.oid),
parts(x) AS (
    SELECT concat_ws(' ', 'n', nspowner, nspacl::text) FROM n
    UNION ALL SELECT concat_ws(' ', 'c', relname, relkind, relpersistence, relowner, relacl::text,
        relrowsecurity, relforcerowsecurity, reloptions::text, relreplident) FROM rels
    UNION ALL SELECT concat_ws(' ', 'a', r.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
        a.attnotnull, a.attisdropped, a.attidentity, a.attgenerated, a.attcollation, a.attacl::text,
        pg_get_expr(d.adbin, d.adrelid))
        FROM pg_attribute a JOIN rels r ON r.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attnum > 0
    UNION ALL SELECT concat_ws(' ', 'i', pg_get_indexdef(i.indexrelid), i.indisvalid)
        FROM pg_index i JOIN rels r ON r.oid = i.indrelid
    UNION ALL SELECT concat_ws(' ', 'k', r.relname, k.conname, pg_get_constraintdef(k.oid), k.convalidated)
        FROM pg_constraint k JOIN rels r ON r.oid = k.conrelid
    UNION ALL SELECT concat_ws(' ', 't', pg_get_triggerdef(t.oid), t.tgenabled)
        FROM pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL SELECT concat_ws(' ', 'r', w.rulename, pg_get_ruledef(w.oid), w.ev_enabled)
        FROM pg_rewrite w JOIN rels r ON r.oid = w.ev_class
    UNION ALL SELECT concat_ws(' ', 'p', r.relname, p.polname, p.polcmd, p.polpermissive, p.polroles::text,
        pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
        FROM pg_policy p JOIN rels r ON r.oid = p.polrelid
    UNION ALL SELECT concat_ws(' ', 's', r.relname, s.seqtypid, s.seqstart, s.seqincrement, s.seqmax,
        s.seqmin, s.seqcache, s.seqcycle) FROM pg_sequence s JOIN rels r ON r.oid = s.seqrelid
    UNION ALL SELECT concat_ws(' ', 'f', f.proname, pg_get_function_identity_arguments(f.oid),
        pg_get_function_result(f.oid), md5(f.prosrc), f.prokind, f.provolatile, f.prosecdef,
        f.proconfig::text, f.proowner, f.proacl::text)
        FROM pg_proc f JOIN owned o ON o.classid = 'pg_proc'::regclass AND o.objid = f.oid
    UNION ALL SELECT concat_ws(' ', 'y', t.typname, t.typtype, t.typbasetype, t.typnotnull,
        (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
        FROM pg_type t JOIN owned o ON o.classid = 'pg_type'::regclass AND o.objid = t.oid
    UNION ALL SELECT concat_ws(' ', 'd', d.defaclrole, d.defaclobjtype, d.defaclacl::text)
        FROM pg_default_acl d JOIN n ON d.defaclnamespace = n.oid
)
SELECT md5(string_agg(replace(x, quote_ident(%(s)s) || '.', ''), E'\\n' ORDER BY x)) FROM parts
"""

# After this many rows deleted from one pooled table, it is vacuumed (the CI server does not autovacuum),
# so that the scans of later tests do not walk the dead rows of earlier ones.
_VACUUM_AFTER_ROWS = 2000


@dataclass
class _Layout:
    """What a fresh copy looks like: its fingerprint, its tables, and those the migrations put rows in."""

    fingerprint: str
    tables: list[str]
    seeded: dict[str, list[str]]  # table -> its columns that take values (generated ones left out)
    sequences: dict[str, tuple[int, bool]]  # sequence -> the template's (value, is_called), for setval


@dataclass
class PgSchemaPool:
    conninfo: str  # a libpq URL of the test database
    template_schema: Callable[[], str]  # the migrated template (SchemaTemplates'), made on first use
    _conn: psycopg.Connection[tuple[object, ...]] | None = None
    _layout: _Layout | None = None
    _lent: set[str] = field(default_factory=set)  # schemas made empty for a test, not yet released
    _filled: set[str] = field(default_factory=set)  # lent schemas holding a copy of the template
    _free: list[str] = field(default_factory=list)  # emptied copies under pool names
    _dead_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (pool schema, table) -> rows

    def lend(self) -> str:
        """A new, empty schema for one test."""
        schema = f"t_{uuid.uuid4().hex[:12]}"
        self._admin().execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        self._lent.add(schema)
        return schema

    def fill(self, schema: str) -> bool:
        """Puts a pooled copy of the template in place of ``schema`` (lent and still empty); False when
        there is none to give or ``schema`` is not the pool's, and the caller copies the template itself."""
        if schema not in self._lent or not self._free:
            return False
        pooled = self._free.pop()
        try:
            with self._admin().transaction():
                self._admin().execute(sql.SQL("DROP SCHEMA {}").format(sql.Identifier(schema)))  # not CASCADE
                self._rename(pooled, schema)
        except psycopg.Error:
            self._free.append(pooled)
            return False
        self._filled.add(schema)
        self._rekey(pooled, schema)
        return True

    def filled_by_copy(self, schema: str) -> None:
        """``schema`` now holds a fresh copy of the template, made by the caller: it may join the pool."""
        if schema in self._lent:
            if self._layout is None:
                self._layout = self._read_layout(schema)
            self._filled.add(schema)

    def release(self, schema: str) -> None:
        """The test is over: its schema goes back to the pool, emptied, or is dropped."""
        self._lent.discard(schema)
        filled = schema in self._filled
        self._filled.discard(schema)
        if filled and self._layout is not None and self._fingerprint(schema) == self._layout.fingerprint:
            pooled = f"pool_{uuid.uuid4().hex[:12]}"
            try:
                with self._admin().transaction():
                    self._empty(schema)
                    self._rename(schema, pooled)
            except psycopg.Error:  # whatever stopped the emptying, the schema is not handed on
                pass
            else:
                self._rekey(schema, pooled)
                self._vacuum_if_dead(pooled)
                self._free.append(pooled)
                return
        self._forget(schema)
        self._admin().execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))

    def close(self) -> None:
        for schema in self._free:
            self._admin().execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        self._free.clear()
        if self._conn is not None:
            self._conn.close()

    # -- the work ------------------------------------------------------------------------------

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        if self._conn is None:
            self._conn = psycopg.connect(self.conninfo, autocommit=True, options="-csynchronous_commit=off")
        return self._conn

    def _rename(self, old: str, new: str) -> None:
        self._admin().execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(old), sql.Identifier(new)))

    def _fingerprint(self, schema: str) -> str:
        conn = self._admin()
        with conn.transaction():
            conn.execute(sql.SQL("SET LOCAL search_path = {}").format(sql.Identifier(schema)))
            row = conn.execute(_FINGERPRINT, {"s": schema}).fetchone()
        assert row is not None
        return str(row[0])

    def _read_layout(self, schema: str) -> _Layout:
        conn = self._admin()
        tables = [
            str(name)
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %(s)s ORDER BY tablename", {"s": schema}
            )
        ]
        seeded: dict[str, list[str]] = {}
        for table in self._holding_rows(schema, tables):
            columns = conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %(s)s "
                "AND table_name = %(t)s AND is_generated = 'NEVER' ORDER BY ordinal_position",
                {"s": schema, "t": table},
            )
            seeded[table] = [str(c) for (c,) in columns]
        sequences = {
            str(name): (int(str(last if last is not None else start)), last is not None)
            for name, last, start in conn.execute(
                "SELECT sequencename, last_value, start_value FROM pg_sequences WHERE schemaname = %(t)s",
                {"t": self.template_schema()},
            )
        }
        return _Layout(self._fingerprint(schema), tables, seeded, sequences)

    def _holding_rows(self, schema: str, tables: list[str]) -> list[str]:
        probes = sql.SQL(" UNION ALL ").join(
            sql.SQL("(SELECT {} FROM {}.{} LIMIT 1)").format(sql.Literal(t), sql.Identifier(schema), sql.Identifier(t))
            for t in tables
        )
        return [str(t) for (t,) in self._admin().execute(probes)]

    def _empty(self, schema: str) -> None:
        assert self._layout is not None
        conn = self._admin()
        # Foreign keys and the tables' own triggers stay out of the way: every row goes, in any order.
        conn.execute("SET LOCAL session_replication_role = replica")
        for table in self._holding_rows(schema, self._layout.tables):
            deleted = conn.execute(sql.SQL("DELETE FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
            key = (schema, table)
            self._dead_rows[key] = self._dead_rows.get(key, 0) + max(deleted.rowcount, 0)
        template = self.template_schema()
        for table, columns in self._layout.seeded.items():
            names = sql.SQL(", ").join(map(sql.Identifier, columns))
            conn.execute(
                sql.SQL("INSERT INTO {}.{} ({}) SELECT {} FROM {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(table), names, names,
                    sql.Identifier(template), sql.Identifier(table),
                )
            )
        # Sequences are not transactional: one that a test advanced (even in a rolled-back transaction)
        # goes back to where the template's stands.
        conn.execute(
            sql.SQL("SELECT {}").format(
                sql.SQL(", ").join(
                    sql.SQL("setval({}, {}, {})").format(
                        sql.Literal(sql.Identifier(schema, name).as_string(conn)), sql.Literal(value), sql.Literal(called)
                    )
                    for name, (value, called) in self._layout.sequences.items()
                )
            )
        )

    def _vacuum_if_dead(self, schema: str) -> None:
        for (owner, table), rows in list(self._dead_rows.items()):
            if owner == schema and rows >= _VACUUM_AFTER_ROWS:
                self._admin().execute(sql.SQL("VACUUM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
                self._dead_rows[(owner, table)] = 0

    def _rekey(self, old: str, new: str) -> None:
        for owner, table in [key for key in self._dead_rows if key[0] == old]:
            self._dead_rows[(new, table)] = self._dead_rows.pop((owner, table))

    def _forget(self, schema: str) -> None:
        for key in [key for key in self._dead_rows if key[0] == schema]:
            del self._dead_rows[key]
