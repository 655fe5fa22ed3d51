"""A local fake of the SMS providers: a real HTTP server on a loopback port, in a thread, that checks
every request's signature with its own implementation of each provider's check (written from the
providers' documentation, not from the desk's signing code), and can fail on demand.

``kind`` is ``aliyun`` (RPC signature, HMAC-SHA1 over the canonical query), ``tencent``
(TC3-HMAC-SHA256 in the Authorization header) or ``http`` (the generic gateway's HMAC-SHA256 header).
``fail_next`` holds the failures to play, one per request: ``"http503"`` (the provider's server is in
trouble), ``"busy"`` (a retryable provider error code) or ``"fatal"`` (a final one: a bad number).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote

KEY_ID = "LTAI-test-key"
SECRET = "s3cret/with+odd=chars"
SCHEMES = {"aliyun": "aliyun+http", "tencent": "tencent+http", "http": "http"}


def _rfc3986(value: str) -> str:
    return quote(value, safe="~")  # letters, digits and "_.-~" stay; a space is %20


def aliyun_expected(secret: str, fields: dict[str, str]) -> str:
    pairs = sorted((k, v) for k, v in fields.items() if k != "Signature")
    query = "&".join(_rfc3986(k) + "=" + _rfc3986(v) for k, v in pairs)
    text = "POST&" + _rfc3986("/") + "&" + _rfc3986(query)
    return base64.b64encode(hmac.new((secret + "&").encode(), text.encode(), hashlib.sha1).digest()).decode()


def tencent_expected(secret: str, host: str, content_type: str, body: bytes, stamp: int, date: str) -> str:
    canonical = f"POST\n/\n\ncontent-type:{content_type}\nhost:{host}\n\ncontent-type;host\n" + hashlib.sha256(body).hexdigest()
    to_sign = f"TC3-HMAC-SHA256\n{stamp}\n{date}/sms/tc3_request\n" + hashlib.sha256(canonical.encode()).hexdigest()
    key = ("TC3" + secret).encode()
    for part in (date, "sms", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class FakeSmsProvider:
    def __init__(self, kind: str, secret: str = SECRET) -> None:
        self.kind = kind
        self.secret = secret
        self.accepted: list[dict[str, Any]] = []
        self.rejected: list[str] = []  # why each refused request was refused
        self.fail_next: list[str] = []
        self.requests = 0
        self._nonces: set[str] = set()
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._stopped = False

    def url(self, key_id: str = KEY_ID, secret: str = SECRET, **query: str) -> str:
        defaults = {
            "aliyun": {"sign": "客服中心", "template": "SMS_100200300", "params": "number,body,link"},
            "tencent": {"app": "1400006666", "sign": "客服中心", "template": "1234567", "params": "number,body"},
            "http": {"sign": "客服中心"},
        }[self.kind]
        merged = {**defaults, **query}
        path = "/sms/send" if self.kind == "http" else "/"
        return (
            f"{SCHEMES[self.kind]}://{quote(key_id, safe='')}:{quote(secret, safe='')}@127.0.0.1:{self.port}{path}?"
            + "&".join(f"{k}={quote(v, safe=',')}" for k, v in merged.items())
        )

    def start(self) -> FakeSmsProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()

    # -- the checks --------------------------------------------------------------------------------------

    def _check_aliyun(self, headers: Any, body: bytes) -> tuple[str | None, dict[str, Any]]:
        fields = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        if fields.get("SignatureMethod") != "HMAC-SHA1" or fields.get("SignatureVersion") != "1.0":
            return "SignatureMethod", {}
        if fields.get("Action") != "SendSms" or fields.get("Version") != "2017-05-25":
            return "InvalidAction", {}
        stamp = datetime.strptime(fields.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs((datetime.now(UTC) - stamp).total_seconds()) > 900:
            return "InvalidTimeStamp.Expired", {}
        if fields.get("SignatureNonce", "") in self._nonces:
            return "SignatureNonceUsed", {}
        self._nonces.add(fields.get("SignatureNonce", ""))
        if fields.get("AccessKeyId") != KEY_ID or not hmac.compare_digest(
            aliyun_expected(self.secret, fields), fields.get("Signature", "")
        ):
            return "SignatureDoesNotMatch", {}
        return None, {
            "phone": fields["PhoneNumbers"],
            "sign": fields["SignName"],
            "template": fields["TemplateCode"],
            "params": json.loads(fields["TemplateParam"]),
        }

    def _check_tencent(self, headers: Any, body: bytes) -> tuple[str | None, dict[str, Any]]:
        found = re.fullmatch(
            r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/sms/tc3_request, "
            r"SignedHeaders=content-type;host, Signature=([0-9a-f]{64})",
            headers.get("Authorization", ""),
        )
        if not found or headers.get("X-TC-Action") != "SendSms" or headers.get("X-TC-Version") != "2021-01-11":
            return "AuthFailure.InvalidAuthorization", {}
        stamp = int(headers.get("X-TC-Timestamp", "0"))
        if abs(time.time() - stamp) > 300:
            return "AuthFailure.SignatureExpire", {}
        secret_id, date, signature = found.groups()
        if date != datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d"):
            return "AuthFailure.SignatureFailure", {}
        expected = tencent_expected(self.secret, headers.get("Host", ""), headers.get("Content-Type", ""), body, stamp, date)
        if secret_id != KEY_ID or not hmac.compare_digest(expected, signature):
            return "AuthFailure.SignatureFailure", {}
        payload = json.loads(body)
        return None, {
            "phone": payload["PhoneNumberSet"][0],
            "sign": payload["SignName"],
            "template": payload["TemplateId"],
            "app": payload["SmsSdkAppId"],
            "params": payload["TemplateParamSet"],
        }

    def _check_http(self, headers: Any, body: bytes) -> tuple[str | None, dict[str, Any]]:
        stamp = headers.get("X-Complaintdesk-Timestamp", "")
        expected = "sha256=" + hmac.new(self.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > 300:
            return "stale", {}
        if headers.get("X-Complaintdesk-Key") != KEY_ID or not hmac.compare_digest(
            expected, headers.get("X-Complaintdesk-Signature", "")
        ):
            return "signature", {}
        payload = json.loads(body)
        return None, {"phone": payload["to"], "text": payload["text"], "params": payload["params"]}

    # -- the answers ------------------------------------------------------------------------------------------

    def _answer(self, refused: str | None, failure: str | None) -> tuple[int, dict[str, Any]]:
        if self.kind == "aliyun":
            if refused:
                return 400, {"Code": refused, "Message": "refused", "RequestId": "r"}
            code = {"busy": "isp.SYSTEM_ERROR", "fatal": "isv.MOBILE_NUMBER_ILLEGAL"}.get(failure or "", "OK")
            return 200, {"Code": code, "Message": code, "BizId": f"biz-{self.requests}", "RequestId": "r"}
        if self.kind == "tencent":
            if refused:
                return 200, {"Response": {"Error": {"Code": refused, "Message": "refused"}, "RequestId": "r"}}
            code = {"busy": "InternalError.Timeout", "fatal": "InvalidParameterValue.IncorrectPhoneNumber"}.get(
                failure or "", "Ok"
            )
            status = {"SerialNo": f"serial-{self.requests}", "Code": code, "Message": code, "Fee": 1}
            return 200, {"Response": {"SendStatusSet": [status], "RequestId": "r"}}
        if refused:
            return 401, {"error": refused}
        return {"busy": 429, "fatal": 400}.get(failure or "", 200), {"id": f"gw-{self.requests}"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with fake.lock:
                    fake.requests += 1
                    failure = fake.fail_next.pop(0) if fake.fail_next else None
                    if failure == "http503":
                        status, answer = 503, {"error": "unavailable"}
                    else:
                        check = {"aliyun": fake._check_aliyun, "tencent": fake._check_tencent, "http": fake._check_http}
                        refused, seen = check[fake.kind](self.headers, body)
                        if refused:
                            fake.rejected.append(refused)
                        elif failure is None:
                            fake.accepted.append(seen)
                        status, answer = fake._answer(refused, failure)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
