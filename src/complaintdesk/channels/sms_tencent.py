"""Tencent Cloud SMS: ``SendSms`` (API version 2021-01-11) signed with TC3-HMAC-SHA256.

The signature (Tencent Cloud API "signature v3"): a canonical request of the method, ``/``, an empty
query, the signed headers ``content-type`` and ``host`` (lower-case ``name:value`` lines) and the
SHA-256 of the JSON body; the string to sign is ``TC3-HMAC-SHA256``, the timestamp, the credential
scope ``<UTC date>/sms/tc3_request`` and the SHA-256 of the canonical request, one per line; the key is
derived by HMAC-SHA256 chained over ``"TC3" + SecretKey`` → date → ``sms`` → ``tc3_request``; the
signature is the hex HMAC of the string to sign, sent in ``Authorization`` with the SecretId.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from complaintdesk.channels.sms import SmsConfig, SmsRequest, SmsResult, error_text, template_params

API_VERSION = "2021-01-11"
SERVICE = "sms"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host"
# Per-number or request codes worth another attempt later: the provider's fault or its rate limits.
RETRY_PREFIXES = ("InternalError", "RequestLimitExceeded", "LimitExceeded.DeliveryFrequencyLimit", "ResourceUnavailable")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def authorization(secret_id: str, secret_key: str, host: str, body: bytes, timestamp: int) -> str:
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = "\n".join(
        ["POST", "/", "", f"content-type:{CONTENT_TYPE}\nhost:{host}\n", SIGNED_HEADERS, hashlib.sha256(body).hexdigest()]
    )
    scope = f"{date}/{SERVICE}/tc3_request"
    to_sign = "\n".join([ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), SERVICE), "tc3_request")
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}"


def request_parts(config: SmsConfig, request: SmsRequest, timestamp: int) -> tuple[bytes, dict[str, str]]:
    """The JSON body and the headers of one ``SendSms`` call."""
    payload = {
        "PhoneNumberSet": [f"+86{request.phone}"],
        "SmsSdkAppId": config.app,
        "SignName": config.sign,
        "TemplateId": config.template,
        "TemplateParamSet": list(template_params(config, request.params).values()),  # by position
        "SessionContext": request.reference,
    }
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {
        "Authorization": authorization(config.key_id, config.secret, config.host, body, timestamp),
        "Content-Type": CONTENT_TYPE,
        "Host": config.host,
        "X-TC-Action": "SendSms",
        "X-TC-Timestamp": str(timestamp),
        "X-TC-Version": API_VERSION,
        "X-TC-Region": config.region,
    }
    return body, headers


def _result(status: int, body: Any) -> SmsResult:
    answer = body.get("Response") if isinstance(body, dict) else None
    if not isinstance(answer, dict):
        return SmsResult(False, f"HTTP {status}", retry=status >= 500 or status == 429 or status == 200)
    error = answer.get("Error")
    if isinstance(error, dict):  # the whole request refused (signature, parameters, limits)
        code = str(error.get("Code", ""))
        return SmsResult(False, f"{code} {error.get('Message', '')}".strip()[:300], retry=code.startswith(RETRY_PREFIXES))
    statuses = answer.get("SendStatusSet") or [{}]
    first = statuses[0] if isinstance(statuses[0], dict) else {}
    code = str(first.get("Code", ""))
    if code == "Ok":
        return SmsResult(True, provider_id=str(first.get("SerialNo") or "") or None)
    return SmsResult(False, f"{code} {first.get('Message', '')}".strip()[:300], retry=code.startswith(RETRY_PREFIXES))


class TencentSms:
    def __init__(self, config: SmsConfig, transport: Any = None) -> None:
        import httpx

        self.config = config
        self._client = httpx.Client(timeout=config.timeout, follow_redirects=False, transport=transport)

    def send(self, request: SmsRequest) -> SmsResult:
        import httpx

        body, headers = request_parts(self.config, request, int(datetime.now(UTC).timestamp()))
        try:
            response = self._client.post(self.config.endpoint, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return SmsResult(False, error_text(exc))
        if response.status_code >= 500 or response.status_code == 429:
            return SmsResult(False, f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            answer = None
        return _result(response.status_code, answer)
