"""The CLI end to end: demo, list, import (good and bad files), export, and clear errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.services.bootstrap import open_desk
from complaintdesk.storage import orm

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def _count(database_url: str, table: object) -> int:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        value = conn.scalar(select(func.count()).select_from(table))  # type: ignore[arg-type]
    engine.dispose()
    return int(value or 0)


def test_demo_then_list_shows_the_seed_cases_in_chinese(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("demo")
    assert code == 0, err
    code, out, _ = cli("complaint", "list", "--json")
    assert code == 0
    titles = " ".join(row["title"] for row in json.loads(out))
    assert "宽带" in titles and "30天" in titles  # seed 000: broadband cut under 30 days
    assert "充值" in titles  # seed 002: the recharge gift
    code, _, _ = cli("demo")  # a second run leaves the data alone
    assert code == 0
    code, out, _ = cli("audit", "verify")
    assert code == 0 and "审计链完整" in out


def test_list_for_an_account_shows_what_that_account_may_see(cli, demo_db) -> None:  # type: ignore[no-untyped-def]
    everyone = json.loads(cli("complaint", "list", "--json")[1])
    agent = json.loads(cli("complaint", "list", "--for", "chen_agent", "--json")[1])
    auditor = json.loads(cli("complaint", "list", "--for", "sun_auditor", "--json")[1])
    team_two = {"chen_agent", "he_agent", "zhou_lead"}
    assert agent and {row["owner"] for row in agent} <= team_two
    assert [row["number"] for row in agent] == [row["number"] for row in everyone if row["owner"] in team_two]
    assert auditor == everyone
    code, _, err = cli("complaint", "list", "--for", "nobody")
    assert code != 0 and "nobody" in err and "Traceback" not in err


def test_show_unknown_complaint_exits_3_with_a_message(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("complaint", "show", "TS-20990101-000001")
    assert code == 3
    assert "不存在" in err and "Traceback" not in err


def test_open_move_and_guard_error_through_the_cli(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(
        "complaint", "open", "--name", "陈先生", "--phone", "13906021234", "--title", "电视修了五次",
        "--text", "MT-34F1A 电视修了五次还是坏,要求换新机", "--json",
    )
    assert code == 0, err
    number = json.loads(out)["number"]
    code, _, err = cli("complaint", "move", number, "acting")
    assert code == 4
    assert "proposal" in err
    code, _, err = cli("complaint", "open", "--name", "陈先生", "--phone", "110", "--title", "t", "--text", "x")
    assert code == 2 and "phone" in err


def test_import_good_csv_and_xlsx(cli, database_url: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("import", str(FIXTURES / "good.csv"), "--no-analyse", "--json")
    assert code == 0, err
    assert json.loads(out)["imported"] == 20
    code, out, err = cli("import", str(FIXTURES / "good.xlsx"), "--no-analyse", "--json")
    assert code == 0, err
    assert json.loads(out)["imported"] == 20
    assert _count(database_url, orm.complaints) == 40


def test_import_with_bad_rows_names_row_and_column_and_writes_nothing(cli, database_url: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("import", str(FIXTURES / "bad_row.csv"), "--no-analyse")
    assert code == 2
    assert "第 8 行（数据第 7 行） [phone]" in err  # the header is row 1, as a spreadsheet shows it
    assert "第 13 行（数据第 12 行） [channel]" in err
    assert _count(database_url, orm.complaints) == 0
    assert _count(database_url, orm.customers) == 0


def test_import_of_a_gbk_csv_is_decoded(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("import", str(FIXTURES / "bad_encoding.csv"), "--no-analyse", "--json")
    assert code == 0, err
    assert json.loads(out)["encoding"] == "gb18030"


def test_import_rejects_empty_and_binary_files(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("import", str(FIXTURES / "empty.csv"))
    assert code == 2 and "没有数据行" in err
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 4)
    code, _, err = cli("import", str(junk))
    assert code == 2 and "Traceback" not in err
    code, _, err = cli("import", str(tmp_path / "missing.csv"))
    assert code == 2 and "不存在" in err


def test_export_round_trips_through_import(cli, tmp_path: Path, database_url: str) -> None:  # type: ignore[no-untyped-def]
    cli("import", str(FIXTURES / "good.csv"), "--no-analyse")
    out_file = tmp_path / "out.csv"
    code, _, err = cli("export", "--out", str(out_file), "--reveal-phone")
    assert code == 0, err
    code, out, err = cli("import", str(out_file), "--no-analyse", "--json")
    assert code == 0, err
    assert json.loads(out)["imported"] == 20
    assert _count(database_url, orm.customers) == 20  # same people, found again by phone and name


def test_an_unusable_database_is_a_clear_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("这不是数据库", encoding="utf-8")
    for url in (f"sqlite:///{not_a_db}", "mysql://x/y", f"sqlite:///{tmp_path}/file.txt/sub/x.db"):
        (tmp_path / "file.txt").write_text("x", encoding="utf-8")
        _context.reset()
        code = main(["--db", url, "complaint", "list"])
        err = capsys.readouterr().err
        assert code == 7, (url, err)
        assert "database_url" in err and "Traceback" not in err
    _context.reset()


def test_customer_show_lists_the_whole_history_with_its_counts(cli, demo_db) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("customer", "list", "--phone", "+86 138 1234 5678", "--json")
    assert code == 0
    wang = json.loads(out)
    assert [c["name"] for c in wang] == ["王女士"] and wang[0]["phone"] == "138****5678"
    code, out, _ = cli("customer", "show", str(wang[0]["id"]), "--json")
    shown = json.loads(out)
    assert code == 0 and shown["complaint_count"] == 2 and shown["open_complaints"] == 1
    assert shown["more"] is False and all("number" in c for c in shown["complaints"])
    code, out, _ = cli("customer", "show", str(wang[0]["id"]))
    assert code == 0 and "王女士" in out and "投诉 2 件，未结 1" in out
    assert cli("customer", "show", "99999")[0] == 3


def test_cli_offers_within_the_roles_authority_and_refuses_above_it(cli, demo_db) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("complaint", "list", "--open", "--json")
    number = json.loads(out)[0]["number"]
    version = json.loads(cli("complaint", "show", number, "--json")[1])["version"]
    code, _, err = cli("complaint", "offer", number, "--kind", "exchange", "--amount", "2999", "--role", "agent",
                       "--version", str(version))  # fmt: skip
    assert code == 6 and "请上报班组长" in err
    code, out, _ = cli("complaint", "offer", number, "--kind", "exchange", "--amount", "2999", "--role", "team_lead",
                       "--version", str(version), "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["proposal"] == "exchange 2999 元"


def test_cli_sets_a_password_that_ends_the_users_sessions(cli, demo_db, monkeypatch, database_url) -> None:  # type: ignore[no-untyped-def]
    import io

    from complaintdesk.services import accounts
    from complaintdesk.services.bootstrap import open_desk

    monkeypatch.setattr("sys.stdin", io.StringIO("brand-new-pass\n"))
    code, out, _ = cli("user", "password", "li_agent", "--password-stdin")
    assert code == 0 and "li_agent" in out
    desk = open_desk(database_url)
    try:
        assert accounts.login(desk.uow(), "li_agent", "brand-new-pass").token
    finally:
        desk.engine.dispose()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli("user", "password", "li_agent", "--password-stdin")[0] == 2


def test_exported_formulas_never_run_in_a_spreadsheet_and_still_round_trip(cli, tmp_path: Path, database_url: str) -> None:  # type: ignore[no-untyped-def]
    import csv

    from complaintdesk.services import users as user_svc

    desk = open_desk(database_url)  # the owner, whom the import checks exists (issue 17)
    user_svc.ensure_user(desk.uow(), "li_agent", "客服小李", "agent", "一组", now=datetime.now(UTC))
    desk.engine.dispose()
    hostile = '=HYPERLINK("http://evil.example","点我")'
    code, _, err = cli("complaint", "open", "--name", "王女士", "--phone", "+8613812345678", "--title", hostile,
                       "--text", "-宽带停了 @客服", "--actor", "li_agent")  # fmt: skip
    assert code == 0, err
    out_file = tmp_path / "out.csv"
    assert cli("export", "--out", str(out_file), "--reveal-phone")[0] == 0
    with out_file.open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["title"] == "'" + hostile and row["description"] == "'-宽带停了 @客服"
    assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())
    code, out, err = cli("import", str(out_file), "--no-analyse", "--json")
    assert code == 0, err
    number = json.loads(out)["numbers"][0]
    shown = json.loads(cli("complaint", "show", number, "--json")[1])
    assert (shown["title"], shown["description"]) == (hostile, "-宽带停了 @客服")


@pytest.mark.parametrize("title", ["'=1+1", "=1+1", "''x", "+1", "-", "@客服"])
def test_text_that_starts_with_an_apostrophe_or_a_formula_survives_export_and_import(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, title: str, database_url: str
) -> None:
    from complaintdesk.services import users as user_svc

    desk = open_desk(database_url)  # the owner, whom the import checks exists (issue 17)
    user_svc.ensure_user(desk.uow(), "li_agent", "客服小李", "agent", "一组", now=datetime.now(UTC))
    desk.engine.dispose()
    code, _, err = cli("complaint", "open", "--name", "王女士", "--phone", "13812345678", "--title", title,
                       "--text", "'=宽带停了", "--actor", "li_agent")  # fmt: skip
    assert code == 0, err
    out_file = tmp_path / "out.csv"
    assert cli("export", "--out", str(out_file), "--reveal-phone")[0] == 0
    code, out, err = cli("import", str(out_file), "--no-analyse", "--json")
    assert code == 0, err
    shown = json.loads(cli("complaint", "show", json.loads(out)["numbers"][0], "--json")[1])
    assert (shown["title"], shown["description"]) == (title, "'=宽带停了")
