"""The database's maintenance settings as a server's start reads them: PostgreSQL's autovacuum, nothing on SQLite."""

from __future__ import annotations

from sqlalchemy import text

from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage.db import AUTOVACUUM_OFF_WARNING


def test_the_start_warns_exactly_when_postgresqls_autovacuum_is_off(desk: Desk) -> None:
    warnings = desk.maintenance_warnings()
    if desk.engine.dialect.name != "postgresql":
        assert warnings == []
        return
    with desk.engine.connect() as connection:
        setting = connection.execute(text("SHOW autovacuum")).scalar_one()
    assert warnings == ([] if setting == "on" else [AUTOVACUUM_OFF_WARNING])
