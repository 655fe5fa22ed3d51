"""Facts recorded on a stored complaint drive the policy verdicts and the advice for it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services import casework
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle

CST = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 23, 10, 0, tzinfo=CST)
BROADBAND = "今天宽带连不上,打10000号说欠费停机了。我只是这个月忘了交,欠费还不到30天,客服说先开通是不可能的!我要求马上恢复宽带并道歉,赔偿停机损失。"


def _broadband(desk: Desk) -> str:
    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带欠费不足30天被停机", BROADBAND, actor="li_agent", opened_at=AT)
    return str(svc.open_complaint(desk.uow(), cmd, now=AT)["number"])


def test_recorded_billing_facts_turn_the_suspension_into_a_company_violation(desk: Desk) -> None:
    number = _broadband(desk)
    before = casework.policy_for(desk.uow(), number, now=AT).policy
    assert before.company_violations == ()
    handle(desk.uow(), cmds.RecordFacts(number=number, facts={
            "billing": {"prepaid": False, "monthly_fee": 60, "due_date": "2026-11-01", "suspended_on": "2026-11-20"},
            "outage_days": 3,
        }, actor="li_agent"), now=AT)
    after = casework.policy_for(desk.uow(), number, now=AT).policy
    assert after.company_violations, after
    answer = casework.advise_for(desk.uow(), number, now=AT)
    assert answer.advice.apology.style == "full"
    assert "王女士" in answer.advice.reply_draft
    assert answer.policy == after  # the advice rests on the same verdict


def test_contradictory_facts_are_refused_naming_the_field(desk: Desk) -> None:
    number = _broadband(desk)
    with pytest.raises(InvalidInput) as err:
        handle(desk.uow(), cmds.RecordFacts(number=number, facts={"purchase_date": "2026-10-01", "repairs": [{"date": "2026-09-01", "days_in_repair": 2}]}, actor="li_agent"), now=AT)
    assert err.value.field and "repairs" in err.value.field
    assert svc.get_complaint(desk.uow(), number)["facts"] == {}
