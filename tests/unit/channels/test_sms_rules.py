"""SMS rules that need no server: segment counting, the Alibaba Cloud signature against the example in
its documentation, the provider URL (and that its secret never shows)."""

from __future__ import annotations

import pytest

from complaintdesk.channels import sms_aliyun, sms_tencent
from complaintdesk.channels.sms import SmsRequest, count_segments, parse_sms_url, template_params
from complaintdesk.domain.errors import ConfigurationError


@pytest.mark.parametrize(
    ("text", "encoding", "chars", "segments"),
    [
        ("", "ucs2", 0, 0),  # empty: nothing to send (an empty text counts as GSM below)
        ("您" * 70, "ucs2", 70, 1),  # Chinese: 70 characters fit one SMS
        ("您" * 71, "ucs2", 71, 2),  # one more: concatenated, 67 a segment
        ("您" * 134, "ucs2", 134, 2),
        ("您" * 135, "ucs2", 135, 3),
        ("a" * 160, "gsm7", 160, 1),  # all-GSM text: 160, then 153
        ("a" * 161, "gsm7", 161, 2),
        ("a" * 159 + "€", "gsm7", 161, 2),  # an extension character counts two
        ("ok" * 35 + "😀", "ucs2", 72, 2),  # one emoji turns it UCS-2, and is two UTF-16 units
    ],
)
def test_segments_follow_the_gsm_and_ucs2_rules(text: str, encoding: str, chars: int, segments: int) -> None:
    counted = count_segments(text)
    if text:
        assert counted.encoding == encoding
    assert (counted.units, counted.segments) == (chars, segments)


def test_the_aliyun_signature_matches_the_example_in_alibaba_clouds_documentation() -> None:
    # The worked example of Alibaba Cloud's RPC "signature mechanism" page (DescribeRegions, key
    # testid / testsecret, GET): its documented result is CT9X0VtwR86fNWSnsc6v8YGOjuE=.
    params = {
        "TimeStamp": "2016-02-23T12:46:24Z",
        "Format": "XML",
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "Version": "2014-05-26",
        "SignatureVersion": "1.0",
    }
    assert sms_aliyun.string_to_sign("GET", params).startswith("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions")
    assert "TimeStamp%3D2016-02-23T12%253A46%253A24Z" in sms_aliyun.string_to_sign("GET", params)
    assert sms_aliyun.signature("testsecret", "GET", params) == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_aliyun_percent_encoding_keeps_only_the_unreserved_characters() -> None:
    assert sms_aliyun.percent_encode("a b*c~d/e+f") == "a%20b%2Ac~d%2Fe%2Bf"
    assert sms_aliyun.percent_encode("客") == "%E5%AE%A2"


def test_a_provider_url_is_parsed_and_its_secret_never_shows() -> None:
    config = parse_sms_url("aliyun://LTAI5t:top%2Fsecret@dysmsapi.aliyuncs.com?sign=客服中心&template=SMS_1&params=number,body")
    assert (config.provider, config.scheme, config.secret, config.params) == ("aliyun", "https", "top/secret", ("number", "body"))
    assert config.endpoint == "https://dysmsapi.aliyuncs.com/"
    assert "secret" not in config.describe() and "secret" not in repr(config)
    with pytest.raises(ConfigurationError) as refused:
        parse_sms_url("aliyun://LTAI5t:top-secret@dysmsapi.aliyuncs.com?template=SMS_1")  # no sign
    assert refused.value.field == "COMPLAINTDESK_SMS_URL" and "top-secret" not in refused.value.message
    with pytest.raises(ConfigurationError):
        parse_sms_url("tencent://id:key@sms.tencentcloudapi.com?sign=客服中心&template=1")  # no app
    with pytest.raises(ConfigurationError):
        parse_sms_url("aliyun://id:key@dysmsapi.aliyuncs.com?sign=客服中心&template=1&params=body,password")


def test_template_variables_are_cut_to_the_providers_limit() -> None:
    tencent = parse_sms_url("tencent://id:key@sms.tencentcloudapi.com?app=1400&sign=客服中心&template=1&params=number,body")
    cut = template_params(tencent, {"number": "TS-1", "body": "您好,宽带已经为您恢复,停机期间的月租全部减免。"})
    assert list(cut) == ["number", "body"] and len(cut["body"]) == tencent.max_param == 12 and cut["body"].endswith("…")


def test_the_tencent_request_carries_the_number_in_e164_and_variables_by_position() -> None:
    config = parse_sms_url("tencent://id:key@sms.tencentcloudapi.com?app=1400&sign=客服中心&template=77&params=body,number")
    body, headers = sms_tencent.request_parts(config, SmsRequest("13800138000", "t", {"number": "N1", "body": "好"}), 1700000000)
    assert b'"+8613800138000"' in body and '"TemplateParamSet": ["好", "N1"]' in body.decode()
    assert headers["Authorization"].startswith("TC3-HMAC-SHA256 Credential=id/2023-11-14/sms/tc3_request, ")
