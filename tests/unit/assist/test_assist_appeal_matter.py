"""An appeal to the authorities (希望有关部门介入) is no regulator threat in the analysis (Session 16), yet the
assist engine still takes it to the manager, as data (tactics.yaml ``matters.authorities``). Analyses built by
hand carry no threat, so the test fails without the matter."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaintdesk.assist import advise

from .helpers import analysis

NOW = datetime(2026, 11, 23, 10, 0)
FACTS = {"today": "2026-11-23"}


@pytest.mark.parametrize("text", [
    "电梯坏了两个月没人修，希望有关部门赶紧介入处理。",
    "一套校服收两倍多的钱还不给发票，恳请相关部门彻查。",
    "路燈壞了三個月，請有關部門管一管。",
])
def test_an_appeal_to_the_authorities_is_a_matter_for_the_manager(text: str) -> None:
    advice = advise(analysis(), None, "proposing", text=text, facts=FACTS, now=NOW)
    assert advice.escalate.to == "manager"
    assert advice.action("matter_authorities") is not None


def test_an_appeal_declined_is_no_matter() -> None:
    advice = advise(analysis(), None, "proposing", text="我不想请有关部门出面，只想把钱退回来。", facts=FACTS, now=NOW)
    assert advice.escalate.to is None
