"""Replies sent by SMS: queued with the reply, delivered by the worker through each provider's adapter
to a local fake that verifies the provider's signature, retried with backoff, never sent to a customer
who opted out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from complaintdesk.channels.sms import SmsProvider
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services import commands, mail_outbox, sms_outbox
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.settings import get_settings
from tests.integration.channels.channel_helpers import open_complaint
from tests.integration.channels.sms_fake import FakeSmsProvider

REPLY = "您好,宽带已为您恢复,停机期间的月租全部减免。"


@pytest.fixture(params=["aliyun", "tencent", "http"])
def fake(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSmsProvider]:
    provider = FakeSmsProvider(request.param).start()
    monkeypatch.setenv("COMPLAINTDESK_SMS_URL", provider.url())
    monkeypatch.setenv("COMPLAINTDESK_PUBLIC_URL", "https://desk.example.cn")
    get_settings.cache_clear()
    yield provider
    provider.stop()
    get_settings.cache_clear()


def _reply(desk: Desk, body: str = REPLY, **extra: object) -> tuple[str, dict[str, object]]:
    number = open_complaint(desk)
    view = handle(
        desk.uow(),
        commands.AddMessage(number=number, kind="outbound", body=body, actor="alice", send_to_customer=True, **extra),  # type: ignore[arg-type]
    )
    return number, view


def _later(minutes: float) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes, seconds=1)


def test_a_reply_to_a_phone_customer_is_queued_as_sms_and_the_fake_provider_verifies_its_signature(
    desk: Desk, fake: FakeSmsProvider
) -> None:
    number, view = _reply(desk)
    assert fake.requests == 0  # nothing sent inside the request
    delivery = view["delivery"]
    assert isinstance(delivery, dict) and delivery["channel"] == "sms" and delivery["status"] == "queued"
    assert delivery["to"] == "138****8000" and delivery["segments"] >= 1
    [queued] = sms_outbox.sms_of(desk.uow(), number)["messages"]
    assert queued["status"] == "queued" and queued["segments"] == delivery["segments"]
    assert queued["text"].startswith("【客服中心】")

    run = sms_outbox.deliver_configured(desk.uow)
    assert run is not None and run.sent == 1, fake.rejected
    [seen] = fake.accepted  # accepted only after the fake recomputed the provider's signature
    assert seen["phone"].endswith("13800138000")
    params = seen["params"]
    values = list(params.values()) if isinstance(params, dict) else params
    assert number in values
    [sent] = sms_outbox.sms_of(desk.uow(), number)["messages"]
    assert sent["status"] == "sent" and sent["attempts"] == 1 and sent["provider_id"]
    assert svc.get_complaint(desk.uow(), number)["messages"][-1]["body"] == REPLY


def test_a_request_signed_with_the_wrong_secret_is_refused_by_the_provider_and_not_retried(
    desk: Desk, fake: FakeSmsProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTDESK_SMS_URL", fake.url(secret="not-the-secret"))
    get_settings.cache_clear()
    number, _ = _reply(desk)
    run = sms_outbox.deliver_configured(desk.uow)
    assert run is not None and run.failed == 1 and fake.accepted == [] and len(fake.rejected) == 1
    [failed] = sms_outbox.sms_of(desk.uow(), number)["messages"]
    assert failed["status"] == "failed" and "not-the-secret" not in (failed["last_error"] or "")


@pytest.mark.parametrize("failure", ["http503", "busy"])
def test_a_provider_failure_is_retried_with_backoff_then_sent(desk: Desk, fake: FakeSmsProvider, failure: str) -> None:
    number, _ = _reply(desk)
    fake.fail_next = [failure]
    first = sms_outbox.deliver_configured(desk.uow)
    assert first is not None and first.retrying == 1 and fake.accepted == []
    [waiting] = sms_outbox.sms_of(desk.uow(), number)["messages"]
    assert waiting["status"] == "queued" and waiting["attempts"] == 1 and waiting["last_error"]
    assert datetime.fromisoformat(waiting["next_attempt_at"]) >= _later(0) + sms_outbox.BASE_BACKOFF - timedelta(seconds=5)

    provider = _provider()
    assert sms_outbox.deliver_due(desk.uow, provider).claimed == 0  # not due yet: the backoff holds
    again = sms_outbox.deliver_due(desk.uow, provider, now=_later(1))
    assert again.sent == 1 and len(fake.accepted) == 1
    [sent] = sms_outbox.sms_of(desk.uow(), number)["messages"]
    assert sent["status"] == "sent" and sent["attempts"] == 2 and sent["last_error"] is None


def _provider() -> SmsProvider:
    from complaintdesk.channels.sms_providers import make_provider

    config = sms_outbox.configured()
    assert config is not None
    return make_provider(config)


def test_a_final_provider_error_fails_at_once_and_a_lasting_one_after_the_last_attempt(
    desk: Desk, fake: FakeSmsProvider
) -> None:
    number, _ = _reply(desk)
    fake.fail_next = ["fatal"]
    run = sms_outbox.deliver_configured(desk.uow)
    assert run is not None and run.failed == 1
    [refused] = sms_outbox.sms_of(desk.uow(), number)["messages"]
    assert refused["status"] == "failed" and refused["attempts"] == 1
    other, _ = _reply(desk, body="第二条回复")
    fake.fail_next = ["busy"] * sms_outbox.MAX_ATTEMPTS
    provider, moment = _provider(), datetime.now(UTC)
    for _ in range(sms_outbox.MAX_ATTEMPTS):
        sms_outbox.deliver_due(desk.uow, provider, now=moment)
        moment += sms_outbox.MAX_BACKOFF + timedelta(seconds=1)
    [dead] = sms_outbox.sms_of(desk.uow(), other)["messages"]
    assert dead["status"] == "failed" and dead["attempts"] == sms_outbox.MAX_ATTEMPTS
    assert fake.accepted == []


def test_a_customer_who_opted_out_gets_no_sms_and_the_record_says_why(desk: Desk, fake: FakeSmsProvider) -> None:
    number = open_complaint(desk)
    with pytest.raises(InvalidInput) as no_reason:
        sms_outbox.set_opt_out(desk.uow(), number, True, " ", "alice")
    assert no_reason.value.field == "reason"
    sms_outbox.set_opt_out(desk.uow(), number, True, "客户来电要求不再接收短信", "alice")
    view = handle(
        desk.uow(), commands.AddMessage(number=number, kind="outbound", body=REPLY, actor="alice", send_to_customer=True)
    )
    assert view["delivery"]["status"] == "skipped" and view["delivery"]["reason"] == "客户来电要求不再接收短信"
    run = sms_outbox.deliver_configured(desk.uow)
    assert run is not None and run.claimed == 0 and fake.requests == 0
    listed = sms_outbox.sms_of(desk.uow(), number)
    assert listed["sms_opted_out"] is True
    [skipped] = listed["messages"]
    assert skipped["status"] == "skipped" and "退订" in skipped["last_error"]
    assert svc.get_complaint(desk.uow(), number)["messages"][-1]["body"] == REPLY  # the reply itself is kept


def test_an_opt_out_after_queueing_stops_the_queued_sms(desk: Desk, fake: FakeSmsProvider) -> None:
    number, _ = _reply(desk)
    sms_outbox.set_opt_out(desk.uow(), number, True, "客户回复退订", "alice")
    run = sms_outbox.deliver_configured(desk.uow)
    assert run is not None and run.skipped == 1 and fake.requests == 0
    sms_outbox.set_opt_out(desk.uow(), number, False, "", "alice")
    assert sms_outbox.sms_of(desk.uow(), number)["sms_opted_out"] is False


def test_sms_waits_queued_while_no_provider_is_configured(desk: Desk) -> None:
    number, view = _reply(desk)
    assert view["delivery"]["status"] == "queued"
    assert sms_outbox.deliver_configured(desk.uow) is None
    [queued] = sms_outbox.sms_of(desk.uow(), number)["messages"]
    assert queued["status"] == "queued" and queued["attempts"] == 0


def test_a_reply_goes_by_mail_when_the_customer_has_an_address_and_by_sms_when_asked(desk: Desk) -> None:
    number = open_complaint(desk)
    mail_outbox.add_customer_address(desk.uow(), number, "wang@example.cn", "alice")
    mailed = handle(desk.uow(), commands.AddMessage(number=number, kind="outbound", body="您好", actor="alice", send_to_customer=True))
    assert mailed["delivery"]["channel"] == "email" and len(mail_outbox.mails_of(desk.uow(), number)) == 1
    texted = handle(
        desk.uow(),
        commands.AddMessage(number=number, kind="outbound", body="您好", actor="alice", send_to_customer=True, via="sms"),
    )
    assert texted["delivery"]["channel"] == "sms" and len(sms_outbox.sms_of(desk.uow(), number)["messages"]) == 1


def test_a_landline_customer_cannot_be_texted(desk: Desk) -> None:
    cmd = svc.OpenComplaint(customer_name="李女士", phone="010-62345678", title="宽带被停机", description="宽带停机", actor="alice")
    number = str(svc.open_complaint(desk.uow(), cmd)["number"])
    with pytest.raises(InvalidInput) as refused:
        handle(desk.uow(), commands.AddMessage(number=number, kind="outbound", body="您好", actor="alice", send_to_customer=True))
    assert refused.value.field == "send_to_customer"
    assert svc.get_complaint(desk.uow(), number)["messages"] == []


def test_a_reply_too_long_for_sms_is_refused_whole(desk: Desk) -> None:
    number = open_complaint(desk)
    with pytest.raises(InvalidInput) as refused:
        handle(
            desk.uow(),
            commands.AddMessage(number=number, kind="outbound", body="很" * 600, actor="alice", send_to_customer=True),
        )
    assert refused.value.field == "body"
    assert sms_outbox.sms_of(desk.uow(), number)["messages"] == []


def test_an_unreachable_provider_keeps_the_sms_queued_and_the_error_never_shows_the_secret(
    desk: Desk, fake: FakeSmsProvider
) -> None:
    from tests.integration.channels.sms_fake import SECRET

    number, _ = _reply(desk)
    fake.stop()
    run = sms_outbox.deliver_configured(desk.uow)
    assert run is not None and run.retrying == 1
    [waiting] = sms_outbox.sms_of(desk.uow(), number)["messages"]
    assert waiting["status"] == "queued" and waiting["last_error"] and SECRET not in waiting["last_error"]
