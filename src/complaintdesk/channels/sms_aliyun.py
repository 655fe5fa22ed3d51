"""Alibaba Cloud SMS: ``SendSms`` (API version 2017-05-25) with the RPC-style request signature.

The signature (Alibaba Cloud's "signature mechanism" for RPC APIs, SignatureVersion 1.0): every
parameter but ``Signature`` is percent-encoded (RFC 3986: only ``A-Z a-z 0-9 - _ . ~`` stay as they
are, a space is ``%20``), sorted by name and joined as ``k=v&…``; the string to sign is
``POST&%2F&`` + the percent-encoded joined string; the signature is Base64 of HMAC-SHA1 keyed with the
AccessKey secret followed by ``&``. ``SignatureNonce`` (a UUID) and ``Timestamp`` (UTC, ISO 8601) make
every request's signature different, so a captured request cannot be replayed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from complaintdesk.channels.sms import SmsConfig, SmsRequest, SmsResult, error_text, template_params

API_VERSION = "2017-05-25"
# Answers worth another attempt later: the provider's own fault, or its rate limits.
RETRY_CODES = ("isp.SYSTEM_ERROR", "isv.BUSINESS_LIMIT_CONTROL", "Throttling", "ServiceUnavailable", "InternalError")


def percent_encode(value: str) -> str:
    return quote(str(value), safe="-_.~")


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def signature(secret: str, method: str, params: Mapping[str, str]) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_params(config: SmsConfig, request: SmsRequest, *, now: datetime, nonce: str) -> dict[str, str]:
    params = {
        "AccessKeyId": config.key_id,
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": request.phone,
        "RegionId": config.region,
        "SignName": config.sign,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": nonce,
        "SignatureVersion": "1.0",
        "TemplateCode": config.template,
        "TemplateParam": json.dumps(template_params(config, request.params), ensure_ascii=False),
        "Timestamp": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": API_VERSION,
    }
    if request.reference:
        params["OutId"] = request.reference
    params["Signature"] = signature(config.secret, "POST", params)
    return params


def _result(status: int, body: Any) -> SmsResult:
    code = str(body.get("Code", "")) if isinstance(body, dict) else ""
    if status == 200 and code == "OK":
        return SmsResult(True, provider_id=str(body.get("BizId") or "") or None)
    message = str(body.get("Message", "")) if isinstance(body, dict) else ""
    retry = status >= 500 or status == 429 or any(code.startswith(c) for c in RETRY_CODES)
    return SmsResult(False, f"HTTP {status} {code} {message}".strip()[:300], retry=retry)


class AliyunSms:
    def __init__(self, config: SmsConfig, transport: Any = None) -> None:
        import httpx

        self.config = config
        self._client = httpx.Client(timeout=config.timeout, follow_redirects=False, transport=transport)

    def send(self, request: SmsRequest) -> SmsResult:
        import httpx

        params = signed_params(self.config, request, now=datetime.now(UTC), nonce=str(uuid.uuid4()))
        try:
            response = self._client.post(self.config.endpoint, data=params)
        except httpx.HTTPError as exc:
            return SmsResult(False, error_text(exc))
        try:
            body = response.json()
        except ValueError:
            body = None
        return _result(response.status_code, body)
