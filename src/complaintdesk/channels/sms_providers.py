"""The adapter a provider configuration names (kept apart from ``sms`` so the adapters can import it)."""

from __future__ import annotations

from complaintdesk.channels import sms_aliyun, sms_http, sms_tencent
from complaintdesk.channels.sms import SmsConfig, SmsProvider


def make_provider(config: SmsConfig, transport: object | None = None) -> SmsProvider:
    """The adapter of ``config.provider``; ``transport`` (an httpx transport) lets tests or a proxy
    setup replace the network."""
    if config.provider == "aliyun":
        return sms_aliyun.AliyunSms(config, transport)
    if config.provider == "tencent":
        return sms_tencent.TencentSms(config, transport)
    return sms_http.HttpSms(config, transport)
