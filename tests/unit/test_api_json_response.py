"""The API's orjson responses write the same JSON that json.dumps wrote, hostile text included."""

from __future__ import annotations

import json
from typing import Any

import pytest

from complaintdesk.api.json_response import JSONResponse

CASES: list[Any] = [
    {"description": '<script>alert("x")</script>\'; DROP TABLE complaints; --\x00\x07\u2028繁體'},
    {1: "int keys become strings", "nested": [1, 2.5, None, True, {"a": []}]},
    [],
    "退款",
]


@pytest.mark.parametrize("content", CASES)
def test_body_is_what_json_dumps_wrote(content: Any) -> None:
    body = JSONResponse(content).body
    assert json.loads(body) == json.loads(json.dumps(content, ensure_ascii=False))
    assert body == json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


def test_chinese_is_sent_as_utf8_not_escaped() -> None:
    assert JSONResponse({"t": "宽带"}).body == '{"t":"宽带"}'.encode()
