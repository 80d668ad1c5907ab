"""Tencent Cloud SMS (SendSms, API 2021-01-11) signed with TC3-HMAC-SHA256, as the
TencentCloud API 3.0 "Signature v3" documentation describes it:

    CanonicalRequest = POST \\n / \\n (empty query) \\n canonical headers \\n signed headers \\n sha256(payload)
    StringToSign     = TC3-HMAC-SHA256 \\n timestamp \\n date/service/tc3_request \\n sha256(CanonicalRequest)
    key chain        = HMAC("TC3" + SecretKey, date) → service → "tc3_request"
The date is the UTC date of the timestamp (a local date breaks every request after midnight
in Beijing until 08:00)."""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import httpx
import orjson

from infra.notify.channels.base import DeliveryFailed, check_http

ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host;x-tc-action"


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def canonical_request(host: str, action: str, payload: bytes | str) -> str:
    headers = f"content-type:{CONTENT_TYPE}\nhost:{host}\nx-tc-action:{action.lower()}\n"
    return "\n".join(("POST", "/", "", headers, SIGNED_HEADERS, sha256_hex(payload)))


def utc_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")


def string_to_sign(timestamp: int, service: str, canonical: str) -> str:
    return "\n".join((ALGORITHM, str(timestamp), f"{utc_date(timestamp)}/{service}/tc3_request", sha256_hex(canonical)))


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def signature(secret_key: str, timestamp: int, service: str, to_sign: str) -> str:
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), utc_date(timestamp)), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(secret_id: str, secret_key: str, host: str, action: str, payload: bytes, timestamp: int,
                  service: str = "sms") -> str:
    to_sign = string_to_sign(timestamp, service, canonical_request(host, action, payload))
    return (f"{ALGORITHM} Credential={secret_id}/{utc_date(timestamp)}/{service}/tc3_request, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={signature(secret_key, timestamp, service, to_sign)}")


@dataclass(frozen=True)
class TencentAccount:
    secret_id: str
    secret_key: str
    sdk_app_id: str
    sign_name: str
    region: str = "ap-guangzhou"
    endpoint: str = "https://sms.tencentcloudapi.com"


class TencentSms:
    """An SMS provider: one template message to one phone."""

    version = "2021-01-11"

    def __init__(self, client: httpx.AsyncClient, account: TencentAccount) -> None:
        self._client, self._account = client, account

    async def send(self, phone: str, template_id: str, params: Sequence[str], timestamp: int) -> None:
        a = self._account
        host = httpx.URL(a.endpoint).host
        payload = orjson.dumps({"PhoneNumberSet": [phone], "SmsSdkAppId": a.sdk_app_id, "SignName": a.sign_name,
                                "TemplateId": template_id, "TemplateParamSet": list(params)})
        headers = {"Authorization": authorization(a.secret_id, a.secret_key, host, "SendSms", payload, timestamp),
                   "Content-Type": CONTENT_TYPE, "Host": host, "X-TC-Action": "SendSms",
                   "X-TC-Timestamp": str(timestamp), "X-TC-Version": self.version, "X-TC-Region": a.region}
        response = await self._client.post(a.endpoint, content=payload, headers=headers)
        check_http(response, "Tencent Cloud SMS")
        _check_answer(response.json())


def _check_answer(answer: dict[str, Any]) -> None:
    body = answer.get("Response") or {}
    if "Error" in body:
        error = body["Error"]
        code = str(error.get("Code", ""))
        # bad credentials, signature, template or parameters: retrying the same request cannot help
        permanent = code.startswith(("AuthFailure", "InvalidParameter", "UnauthorizedOperation",
                                     "FailedOperation.TemplateIncorrectOrUnapproved"))
        raise DeliveryFailed(f"Tencent Cloud SMS refused: {code} {error.get('Message')}", permanent=permanent)
    statuses = body.get("SendStatusSet") or []
    if not statuses or statuses[0].get("Code") != "Ok":
        status = statuses[0] if statuses else {}
        raise DeliveryFailed(f"Tencent Cloud SMS did not send: {status.get('Code')} {status.get('Message')}")
