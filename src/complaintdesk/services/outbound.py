"""Which channel a reply marked "send to customer" goes out on, and the change that sends it.

``via`` chooses: ``email`` (the mail outbox) or ``sms`` (the SMS outbox). Unchosen, the customer's own
channel decides: a complaint that came by e-mail, or a customer whose address an agent recorded, is
answered by mail; otherwise a customer with a mobile number is answered by SMS, Chinese centres'
default. A customer reachable by neither is refused (422, field ``send_to_customer``), nothing written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from complaintdesk.channels.sms import is_mobile
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.model import Complaint
from complaintdesk.domain.vocab import MessageKind
from complaintdesk.services import mail_outbox, sms_outbox
from complaintdesk.services.unit_of_work import UnitOfWork

CHANNELS = ("email", "sms")


def choose(uow: UnitOfWork, complaint: Complaint) -> str:
    channel = sms_outbox.default_channel(uow, complaint)
    if channel is None:
        raise InvalidInput("该客户既没有登记邮箱，也没有手机号，无法发送给客户", field="send_to_customer")
    return channel


class CustomerReply:
    """The change of a reply sent to the customer; ``delivery`` says afterwards where it went (the
    request's answer shows it: SMS segments, or that an opted-out customer was not sent one)."""

    def __init__(self, uow: UnitOfWork, kind: MessageKind, actor: str, body: str, now: datetime, via: str | None) -> None:
        if kind != MessageKind.OUTBOUND:
            raise InvalidInput("只有回复（outbound）可以发送给客户，备注和来电记录不会发出", field="send_to_customer")
        if via is not None and via not in CHANNELS:
            raise InvalidInput(f"发送渠道只能是 {' / '.join(CHANNELS)}", field="via")
        self.uow, self.actor, self.body, self.now, self.via = uow, actor, body, now, via
        self.delivery: dict[str, Any] = {}

    def __call__(self, complaint: Complaint) -> None:
        channel = self.via or choose(self.uow, complaint)
        if channel == "email":
            mail_outbox.reply_by_mail(self.uow, MessageKind.OUTBOUND, self.actor, self.body, self.now)(complaint)
            self.delivery = {"channel": "email", "status": "queued"}
            return
        if not is_mobile(sms_outbox.phone_of(self.uow, complaint)):
            raise InvalidInput("该客户没有手机号，无法发送短信", field="send_to_customer")
        self.delivery = sms_outbox.reply_by_sms(self.uow, self.actor, self.body, self.now, complaint)
