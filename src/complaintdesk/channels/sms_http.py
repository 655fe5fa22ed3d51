"""A centre's own SMS gateway: the message POSTed as JSON, signed like the desk's webhooks.

Body: ``{"id": "<our reference>", "to": "+8613800138000", "text": "<the whole message>",
"params": {<the template variables>}, "sign": "<sign>", "template": "<template>"}``. Headers:
``X-Complaintdesk-Timestamp`` (Unix seconds) and ``X-Complaintdesk-Signature: sha256=<hex>`` — HMAC-SHA256
keyed with the URL's password over ``timestamp + "." + body``; ``X-Complaintdesk-Key`` carries the URL's
user name, so a gateway can tell keys apart. A 2xx answer is success; 429 and 5xx are retried; any other
answer is final.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from complaintdesk.channels.sms import SmsConfig, SmsRequest, SmsResult, error_text, template_params

SIGNATURE_HEADER = "X-Complaintdesk-Signature"
TIMESTAMP_HEADER = "X-Complaintdesk-Timestamp"
KEY_HEADER = "X-Complaintdesk-Key"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def request_parts(config: SmsConfig, request: SmsRequest, timestamp: int) -> tuple[bytes, dict[str, str]]:
    payload = {
        "id": request.reference,
        "to": f"+86{request.phone}",
        "text": request.text,
        "params": template_params(config, request.params),
        "sign": config.sign,
        "template": config.template,
    }
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    stamp = str(timestamp)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: sign(config.secret, stamp, body),
        KEY_HEADER: config.key_id,
    }
    return body, headers


class HttpSms:
    def __init__(self, config: SmsConfig, transport: Any = None) -> None:
        import httpx

        self.config = config
        self._client = httpx.Client(timeout=config.timeout, follow_redirects=False, transport=transport)

    def send(self, request: SmsRequest) -> SmsResult:
        import httpx

        body, headers = request_parts(self.config, request, int(time.time()))
        try:
            response = self._client.post(self.config.endpoint, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return SmsResult(False, error_text(exc))
        if response.is_success:
            try:
                answer = response.json()
            except ValueError:
                answer = {}
            ref = answer.get("id") if isinstance(answer, dict) else None
            return SmsResult(True, provider_id=str(ref) if ref else None)
        # Only the status, never the gateway's body: the record must not become a way to read it.
        code = response.status_code
        return SmsResult(False, f"HTTP {code}", retry=code >= 500 or code == 429)
