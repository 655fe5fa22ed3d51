"""A fresh process (a server worker, a CLI command) may read a complaint before it has run any ORM
query: the mapping is configured when the desk opens, not on the first query."""

from __future__ import annotations

import os
import subprocess
import sys

from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.complaints import OpenComplaint

READ_FIRST = """
import sys
from complaintdesk.services.bootstrap import open_desk
desk = open_desk(sys.argv[1])
with desk.uow() as uow:
    print(uow.complaints.get(sys.argv[2]).title)
"""


def test_a_complaint_read_first_thing_in_a_fresh_process_loads(desk: Desk, database_url: str) -> None:
    opened = svc.open_complaint(
        desk.uow(),
        OpenComplaint(customer_name="王女士", phone="13800000000", title="宽带停机", description="欠费不到30天就停机。", actor="agent1"),
    )
    result = subprocess.run(
        [sys.executable, "-c", READ_FIRST, database_url, opened["number"]],
        capture_output=True, text=True, timeout=120, env=os.environ.copy(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "宽带停机"
