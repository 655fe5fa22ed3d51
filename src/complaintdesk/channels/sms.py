"""SMS out: one small interface over the providers, the ``COMPLAINTDESK_SMS_URL`` parsed once, and the
length rules (segments) every provider bills by.

A provider is anything with ``send(SmsRequest) -> SmsResult``. The three that ship:

- ``aliyun://KEY_ID:KEY_SECRET@dysmsapi.aliyuncs.com?sign=客服中心&template=SMS_123456789&params=name,number,body,link``
  Alibaba Cloud SMS, ``SendSms`` (2017-05-25), RPC signature (``sms_aliyun``);
- ``tencent://SECRET_ID:SECRET_KEY@sms.tencentcloudapi.com?app=1400000000&sign=客服中心&template=1234567&region=ap-guangzhou&params=number,body``
  Tencent Cloud SMS, ``SendSms`` (2021-01-11), TC3-HMAC-SHA256 (``sms_tencent``);
- ``https://KEY_ID:SECRET@gateway.example.cn/sms/send`` a centre's own gateway: a JSON POST signed with
  HMAC-SHA256 (``sms_http``).

``aliyun+http://`` and ``tencent+http://`` talk plain HTTP to the named host (a local gateway, tests).
The secret is never part of ``describe()``, an error text or a log line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from complaintdesk.domain.errors import ConfigurationError

SETTING = "COMPLAINTDESK_SMS_URL"
ERROR_TEXT_LIMIT = 300
PARAM_NAMES = ("name", "number", "title", "body", "link")
# A template variable's longest value, per the providers' published rules (a centre whose account allows
# more sets ?maxparam=): Alibaba Cloud notification variables 35 characters, Tencent Cloud 12.
DEFAULT_MAX_PARAM = {"aliyun": 35, "tencent": 12, "http": 0}  # 0: no limit
_SCHEMES = {
    "aliyun": ("aliyun", "https"),
    "aliyun+http": ("aliyun", "http"),
    "tencent": ("tencent", "https"),
    "tencent+http": ("tencent", "http"),
    "https": ("http", "https"),
    "http": ("http", "http"),
}


@dataclass(frozen=True)
class SmsConfig:
    provider: str  # aliyun | tencent | http
    scheme: str  # https | http
    host: str  # host[:port]
    path: str
    key_id: str
    secret: str = field(repr=False)
    sign: str = ""
    template: str = ""
    app: str = ""  # Tencent's SmsSdkAppId
    region: str = ""
    params: tuple[str, ...] = ("number", "body", "link")
    max_param: int = 0
    timeout: float = 10.0

    @property
    def endpoint(self) -> str:
        return f"{self.scheme}://{self.host}{self.path or '/'}"

    def describe(self) -> str:
        """Where messages go, for logs and errors: never the secret."""
        return f"{self.provider} {self.endpoint} sign={self.sign} template={self.template}"


def _fail(why: str) -> ConfigurationError:
    return ConfigurationError(f"{SETTING} {why}（见 docs/channels.md）", field=SETTING)


def parse_sms_url(url: str) -> SmsConfig:
    """The provider a ``COMPLAINTDESK_SMS_URL`` names; ConfigurationError naming the setting (never
    quoting the URL, which holds the secret) when it is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise _fail("应形如 aliyun://KEY:SECRET@dysmsapi.aliyuncs.com?sign=…&template=…")
    provider, scheme = _SCHEMES[parts.scheme]
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    key_id = unquote(parts.username or "")
    secret = unquote(parts.password or "")
    if not key_id or not secret:
        raise _fail("缺少密钥：用户名处写 AccessKey ID / SecretId，密码处写密钥")
    try:
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        max_param = int(query.get("maxparam", DEFAULT_MAX_PARAM[provider]))
        timeout = float(query.get("timeout", "10"))
    except ValueError:
        raise _fail("的端口、maxparam 或 timeout 无效") from None
    params = tuple(p.strip() for p in query.get("params", "number,body,link").split(",") if p.strip())
    unknown = [p for p in params if p not in PARAM_NAMES]
    if unknown:
        raise _fail(f"的 params 只能取 {', '.join(PARAM_NAMES)}（不认识 {', '.join(unknown)}）")
    config = SmsConfig(
        provider=provider,
        scheme=scheme,
        host=host,
        path=parts.path if provider == "http" else "/",
        key_id=key_id,
        secret=secret,
        sign=query.get("sign", ""),
        template=query.get("template", ""),
        app=query.get("app", ""),
        region=query.get("region", "ap-guangzhou" if provider == "tencent" else "cn-hangzhou"),
        params=params,
        max_param=max_param,
        timeout=timeout,
    )
    if provider != "http" and not (config.sign and config.template):
        raise _fail("需要 sign（短信签名）和 template（模板编号），两者都须在服务商处审核通过")
    if provider == "tencent" and not config.app:
        raise _fail("需要 app（腾讯云短信 SdkAppId）")
    if config.sign and not 2 <= len(config.sign) <= 12:
        raise _fail("的 sign 应为 2–12 个字（服务商的签名规则）")
    return config


# -- one message, one answer --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsRequest:
    phone: str  # 11-digit mainland mobile
    text: str  # the whole message as the customer reads it (for the generic gateway, and the record)
    params: Mapping[str, str]  # the template's variables, in the configured order
    reference: str = ""  # our id of the message (outbox row), echoed by providers that allow it


@dataclass(frozen=True)
class SmsResult:
    ok: bool
    error: str | None = None
    retry: bool = True  # worth another attempt later
    provider_id: str | None = None  # the provider's id of the accepted message (BizId, SerialNo …)


class SmsProvider(Protocol):
    config: SmsConfig

    def send(self, request: SmsRequest) -> SmsResult: ...


def error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_TEXT_LIMIT]


FREE_TEXT = ("body", "title")  # cut to fit; the number, the name and the link are passed whole


def template_params(config: SmsConfig, values: Mapping[str, str]) -> dict[str, str]:
    """The configured variables; free text cut to the provider's longest value (``…`` marks a cut).
    An identifier is never cut: a number or link the provider refuses is a template to fix, not to mangle."""
    out: dict[str, str] = {}
    for name in config.params:
        value = str(values.get(name, ""))
        if name in FREE_TEXT and config.max_param and len(value) > config.max_param:
            value = value[: config.max_param - 1] + "…"
        out[name] = value
    return out


# -- segments -------------------------------------------------------------------------------------------------

# The GSM 03.38 default alphabet (one septet each) and its extension table (two septets each).
_GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = "^{}\\[~]|€\f"
_GSM = set(_GSM_BASIC)
_GSM_EXT = set(_GSM_EXTENDED)


@dataclass(frozen=True)
class Segments:
    encoding: str  # gsm7 | ucs2
    units: int  # characters as the network counts them (septets, or UTF-16 code units)
    segments: int
    per_segment: int  # the capacity each segment had: 70 / 67 (UCS-2), 160 / 153 (GSM-7)

    def to_dict(self) -> dict[str, object]:
        return {"encoding": self.encoding, "chars": self.units, "segments": self.segments, "per_segment": self.per_segment}


def count_segments(text: str) -> Segments:
    """How many messages ``text`` costs. Any character outside the GSM alphabet — every Chinese
    character — makes the whole text UCS-2: 70 UTF-16 units fit one message, and a longer text is sent
    concatenated at 67 a segment (the 3 others carry the joining header). All-GSM text: 160, then 153,
    an extension character (€ [ ] { } …) counting two. An emoji is two UTF-16 units."""
    if all(c in _GSM or c in _GSM_EXT for c in text):
        units = sum(2 if c in _GSM_EXT else 1 for c in text)
        single, multi, encoding = 160, 153, "gsm7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "ucs2"
    if units <= single:
        return Segments(encoding, units, 1 if units else 0, single)
    return Segments(encoding, units, -(-units // multi), multi)


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def is_mobile(phone: str) -> bool:
    """A mainland mobile number, the only kind an SMS reaches (a landline does not)."""
    return bool(_MOBILE.match(phone or ""))
