"""``complaintdesk knowledge check | reload`` and every CLI command reading the centre's knowledge."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.knowledge import runtime
from complaintdesk.settings import get_settings
from complaintdesk.yamldata import use_knowledge_dir
from tests.knowledge_dirs import centre_pack, write

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[Run]:
    def run(*args: str) -> tuple[int, str, str]:
        _context.reset()
        get_settings.cache_clear()
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    yield run
    _context.reset()
    runtime._served = None
    use_knowledge_dir(None)


def test_check_lists_the_centre_files_and_what_nothing_reads(cli: Run, tmp_path: Path) -> None:
    centre_pack(tmp_path, "telecom.restore_48h", hours=24)
    write(tmp_path, "rubric.yaml", "misplaced: true\n")  # belongs in quality/
    code, out, err = cli("knowledge", "check", "--dir", str(tmp_path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["centre_files"] == 1 and report["ignored"] == ["rubric.yaml"]
    assert {"name": "policy/ours.yaml", "origin": "centre"}.items() <= next(
        e for e in report["entries"] if e["name"] == "policy/ours.yaml"
    ).items()


def test_check_of_a_broken_file_exits_with_the_configuration_code_naming_it(cli: Run, tmp_path: Path) -> None:
    write(tmp_path, "quality/rubric.yaml", "version: [oops\n")
    code, out, err = cli("knowledge", "check", "--dir", str(tmp_path))
    assert code == 7 and "rubric.yaml" in err and "Traceback" not in err + out


def test_cli_commands_read_the_centre_knowledge_dir(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    centre_pack(tmp_path / "k", "telecom.restore_48h", hours=24)
    monkeypatch.setenv("COMPLAINTDESK_KNOWLEDGE_DIR", str(tmp_path / "k"))
    code, out, err = cli("policy", "rules", "--json")
    assert code == 0, err
    rule = next(r for r in json.loads(out) if r["id"] == "telecom.restore_48h")
    assert rule["params"]["hours"] == 24


def test_reload_validates_then_leaves_the_stamp_every_server_worker_watches(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    centre_pack(tmp_path / "k", "telecom.restore_48h", hours=24)
    monkeypatch.setenv("COMPLAINTDESK_KNOWLEDGE_DIR", str(tmp_path / "k"))
    code, _, err = cli("knowledge", "reload")
    assert code == 0, err
    stamp = runtime.stamp_path(get_settings())
    first = stamp.read_text("utf-8")
    centre_pack(tmp_path / "k", "telecom.restore_48h", hours=0.5)
    code, _, err = cli("knowledge", "reload")
    assert code == 7 and "params.hours" in err
    assert stamp.read_text("utf-8") == first  # a broken directory tells no server anything


def test_check_without_a_directory_reports_the_packaged_defaults(cli: Run) -> None:
    code, out, err = cli("knowledge", "check", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["exists"] is False and report["centre_files"] == 0
