"""`complaintdesk sms …` and the server's housekeeping: SMS delivered by a worker, the opt-out set from
the command line, a missing provider said plainly."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from complaintdesk.channels.sms import count_segments
from complaintdesk.services import commands, sms_outbox
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.services.housekeeping import Housekeeper
from complaintdesk.settings import get_settings
from tests.integration.channels.channel_helpers import open_complaint
from tests.integration.channels.sms_fake import FakeSmsProvider

Cli = Callable[..., tuple[int, str, str]]



def _reply(desk: Desk) -> str:
    number = open_complaint(desk)
    handle(desk.uow(), commands.AddMessage(number=number, kind="outbound", body="您好,已恢复。", actor="alice", send_to_customer=True))
    return number


def test_sms_deliver_sends_through_the_provider_and_says_so_without_one(
    desk: Desk, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = _reply(desk)
    code, _, err = cli("sms", "deliver")
    assert code != 0 and "COMPLAINTDESK_SMS_URL" in err and "Traceback" not in err
    fake = FakeSmsProvider("tencent").start()
    try:
        monkeypatch.setenv("COMPLAINTDESK_SMS_URL", fake.url())
        get_settings.cache_clear()
        code, out, err = cli("sms", "deliver", "--json")
        assert code == 0, err
        assert json.loads(out)["sent"] == 1 and len(fake.accepted) == 1
    finally:
        fake.stop()
        get_settings.cache_clear()
    assert [m["status"] for m in sms_outbox.sms_of(desk.uow(), number)["messages"]] == ["sent"]


def test_sms_opt_out_from_the_command_line_is_recorded_and_undone(desk: Desk, cli: Cli) -> None:
    number = open_complaint(desk)
    code, _, err = cli("sms", "opt-out", number)
    assert code != 0 and "reason" in err and "Traceback" not in err
    code, out, err = cli("sms", "opt-out", number, "--reason", "客户来电要求不再接收短信")
    assert code == 0 and "已退订" in out, err
    assert sms_outbox.sms_of(desk.uow(), number)["sms_opted_out"] is True
    assert cli("sms", "opt-out", number, "--undo")[0] == 0
    assert sms_outbox.sms_of(desk.uow(), number)["sms_opted_out"] is False
    code, out, _ = cli("sms", "preview", number, "您好", "--json")
    shown = json.loads(out)
    assert code == 0 and "您好" in shown["text"] and shown["segments"] == count_segments(shown["text"]).segments


def test_the_servers_housekeeping_round_delivers_due_sms(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    number = _reply(desk)
    fake = FakeSmsProvider("http").start()
    try:
        monkeypatch.setenv("COMPLAINTDESK_SMS_URL", fake.url())
        get_settings.cache_clear()
        Housekeeper(desk, 60).send_sms()
        assert len(fake.accepted) == 1 and fake.accepted[0]["phone"] == "+8613800138000"
    finally:
        fake.stop()
        get_settings.cache_clear()
    assert [m["status"] for m in sms_outbox.sms_of(desk.uow(), number)["messages"]] == ["sent"]
