"""The channel adapters' pure parts: signatures, bodies, addresses."""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote_plus

import pytest

from infra.notify.channels.base import DeliveryFailed, Outgoing
from infra.notify.channels.dingtalk import DingTalkChannel, sign
from infra.notify.channels.email import SmtpServer
from infra.notify.channels.sms import e164
from infra.notify.channels.tencent_sms import authorization, canonical_request, sha256_hex, string_to_sign
from infra.notify.channels.webhook import signature

NOW = datetime(2025, 3, 11, 10, 0, tzinfo=timezone(timedelta(hours=8)))
CONTRACT_FIELDS = {"notification_id", "kind", "recipient_cadre_id", "case_id", "tracking_code", "village_code",
                   "category", "due_at", "text", "created_at"}

# The worked example of TencentCloud API "Signature v3" (its secret key is redacted, so the
# key-free steps are checked against the published values).
DOC_PAYLOAD = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'


def test_tc3_canonical_request_and_string_to_sign_match_the_published_example() -> None:
    assert sha256_hex(DOC_PAYLOAD) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    canonical = canonical_request("cvm.tencentcloudapi.com", "DescribeInstances", DOC_PAYLOAD)
    assert sha256_hex(canonical) == "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
    assert string_to_sign(1551113065, "cvm", canonical) == (
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
        "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84")


def test_tc3_credential_date_is_utc_not_beijing() -> None:
    # 1551113065 is 00:44 on 26 Feb in Beijing, still 25 Feb in UTC
    header = authorization("AKIDtest", "key", "sms.tencentcloudapi.com", "SendSms", b"{}", 1551113065)
    assert header.startswith("TC3-HMAC-SHA256 Credential=AKIDtest/2019-02-25/sms/tc3_request, "
                             "SignedHeaders=content-type;host;x-tc-action, Signature=")


def test_dingtalk_signature_is_the_url_quoted_base64_hmac_of_timestamp_and_secret() -> None:
    secret, ts = "SEC0123456789abcdef", 1741658400000
    expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest())
    signed = sign(secret, ts)
    assert "+" not in signed and "/" not in signed and unquote_plus(signed).encode() == expected
    url = DingTalkChannel(None, "https://oapi.dingtalk.com/robot/send?access_token=abc", secret,  # type: ignore[arg-type]
                          now_ms=lambda: ts).signed_url()
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp={ts}&sign={signed}"


def outgoing(**kw: object) -> Outgoing:
    base = dict(delivery_id=1, channel="webhook", address=None, notification_id="n1", audience="cadre",
                kind="case_assigned", recipient_cadre_id="v1-dir", case_id="c1", tracking_code="K7QX2M9PTA",
                village_code="330782101201", category="water", due_at=NOW, text="【民情】新案件", created_at=NOW)
    return Outgoing(**{**base, **kw})  # type: ignore[arg-type]


def test_the_webhook_body_has_exactly_the_contract_fields_and_an_hmac_of_its_bytes() -> None:
    assert set(outgoing().contract_body()) == CONTRACT_FIELDS
    body = b'{"a":1}'
    assert signature("s3cret", body) == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()


def test_smtp_urls() -> None:
    server = SmtpServer.from_url("smtps://mq%40x.cn:p%40ss@mail.x.cn?from=minqing@x.cn")
    assert (server.host, server.port, server.username, server.password, server.tls) == (
        "mail.x.cn", 465, "mq@x.cn", "p@ss", True)
    plain = SmtpServer.from_url("smtp://127.0.0.1:2525?from=a@b.cn&starttls=1")
    assert (plain.port, plain.tls, plain.starttls, plain.username) == (2525, False, True, None)
    with pytest.raises(ValueError, match="from="):
        SmtpServer.from_url("smtp://127.0.0.1:25")


def test_sms_numbers_are_mainland_mobiles_in_e164() -> None:
    assert e164("+86 139-1234-5678") == "+8613912345678"
    with pytest.raises(DeliveryFailed) as refused:
        e164("0579-1234567")
    assert refused.value.permanent and "1234567" not in str(refused.value)
