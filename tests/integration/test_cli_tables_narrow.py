"""CLI tables at 80 and 120 columns, piped (issue 25): every complaint number whole, each title's first
eight characters visible, no English vocabulary code in the zh-CN output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import open_desk

TITLES = ("新买的第二台电视送货时包装箱被划破", "对维修、送货、客服全面不满，要求找领导", "宽带欠费不到三十天就被停机")
CODES = ("delivery", "installation", "billing", "service_suspension", "product_quality", "accepted", "calming",
         "complaint_opened", "stage_changed")  # fmt: skip


@pytest.fixture
def numbers(tmp_path: Path) -> list[str]:
    desk = open_desk(f"sqlite:///{tmp_path / 'data' / 'complaintdesk.db'}")
    out = []
    for i, title in enumerate(TITLES):
        detail = svc.open_complaint(desk.uow(), svc.OpenComplaint(
            "王女士", f"1381234567{i}", title, f"{title},请尽快处理宽带和电视的问题。", actor="cli"))  # fmt: skip
        out.append(str(detail["number"]))
    desk.engine.dispose()
    return out


def _run(tmp_path: Path, columns: int, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTDESK_")}
    env.update(COMPLAINTDESK_DATA_DIR=str(tmp_path / "data"), COLUMNS=str(columns), COMPLAINTDESK_REPEAT_USE_EMBEDDINGS="false")
    result = subprocess.run([sys.executable, "-m", "complaintdesk.cli", *args], env=env, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _cells_joined(output: str) -> str:
    """The table's text with the box drawing and line breaks taken out, so a folded title reads whole."""
    return re.sub(r"[\s│┃┏┓┗┛┡┩└┘━─╇╋┳┻┯┷├┤┼╀╁]", "", output)


@pytest.mark.parametrize("columns", [80, 120])
def test_complaint_list_and_search_read_well_at_the_terminals_width(tmp_path: Path, numbers: list[str], columns: int) -> None:
    for args in (("complaint", "list"), ("search", "宽带")):
        output = _run(tmp_path, columns, *args)
        assert max(len(line) for line in output.splitlines()) <= columns
        for number in numbers:  # every description says 宽带, so search finds all three
            assert number in output  # whole, on one line
        joined = _cells_joined(output)
        for title in TITLES:
            assert title[:8] in joined
        for code in CODES:
            assert code not in output, (args, code)


@pytest.mark.parametrize("columns", [80, 120])
def test_audit_recent_names_events_in_chinese(tmp_path: Path, numbers: list[str], columns: int) -> None:
    output = _run(tmp_path, columns, "audit", "recent", "--limit", "10")
    assert numbers[-1] in output and "受理" in output
    for code in CODES:
        assert f" {code} " not in output
