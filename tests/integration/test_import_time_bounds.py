"""Issue 17 points 6 and 7 through the importer and the CLI: a year-1 or future intake time, or an owner
who is no account, is refused naming the row and the column; nothing is written, and no number like
TS-10102-… is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.services import importer
from complaintdesk.services.bootstrap import open_desk

HEADER = "customer_name,phone,title,description,received_at\n"


@pytest.mark.parametrize("received", ["0001-01-02T09:00:00", "9999-12-31T09:00:00", "2100-01-01T09:00:00"])
def test_import_with_an_intake_time_out_of_bounds_names_row_and_column(
    database_url: str, tmp_path: Path, received: str
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        HEADER + "王先生,13800138000,宽带停机,欠费不到三十天就停机,2026-11-20T09:00:00\n"
        f"李女士,13900139000,电视维修,电视修了五次还是坏,{received}\n",
        encoding="utf-8",
    )
    desk = open_desk(database_url)
    try:
        with pytest.raises(importer.ImportRejected) as err:
            importer.import_file(desk.uow(), path, analyse=False)
        assert err.value.errors[0].row == 3 and err.value.errors[0].column == "received_at"
        with desk.uow() as uow:
            assert uow.complaints.count() == 0
    finally:
        desk.engine.dispose()


def test_cli_import_with_year_one_exits_2_naming_the_column(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(HEADER + "王先生,13800138000,宽带停机,欠费不到三十天就停机,0001-01-02T09:00:00\n", encoding="utf-8")
    _context.reset()
    try:
        code = main(["--db", database_url, "import", str(path)])
    finally:
        _context.reset()
    err = capsys.readouterr().err
    assert code == 2, err
    assert "received_at" in err and "第 2 行" in err and "Traceback" not in err


def test_import_with_an_owner_who_does_not_exist_names_row_and_column(database_url: str, tmp_path: Path) -> None:
    from complaintdesk.services import users as user_svc
    from complaintdesk.services.complaints import utcnow

    path = tmp_path / "owners.csv"
    path.write_text(
        "customer_name,phone,title,description,owner\n"
        "王先生,13800138000,宽带停机,欠费不到三十天就停机,li_agent\n"
        "李女士,13900139000,电视维修,电视修了五次还是坏,ghost_user\n",
        encoding="utf-8",
    )
    desk = open_desk(database_url)
    try:
        user_svc.ensure_user(desk.uow(), "li_agent", "客服小李", "agent", "一组", now=utcnow())
        with pytest.raises(importer.ImportRejected) as err:
            importer.import_file(desk.uow(), path, analyse=False)
        assert (err.value.errors[0].row, err.value.errors[0].column) == (3, "owner")
        assert "ghost_user" in err.value.errors[0].message
        with desk.uow() as uow:
            assert uow.complaints.count() == 0
        path.write_text(path.read_text(encoding="utf-8").replace("ghost_user", "li_agent"), encoding="utf-8")
        assert importer.import_file(desk.uow(), path, analyse=False).imported == 2
    finally:
        desk.engine.dispose()
