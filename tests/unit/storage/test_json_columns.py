"""What JSON columns store: the same data ``json.dumps`` would, readable by ``json.loads``; and what they
read: what ``json.loads`` reads, older rows included."""

from __future__ import annotations

import json
import math

from complaintdesk.domain.vocab import Stage
from complaintdesk.storage.db import dump_json, load_json


def test_json_columns_read_back_as_written_with_chinese_text_unescaped() -> None:
    value = {"label": "停机", "score": 0.6, "spans": [[0, 2]], "nested": {"ok": True, "none": None}}
    stored = dump_json(value)
    assert "停机" in stored  # UTF-8, not \\u escapes
    assert json.loads(stored) == value


def test_json_columns_take_what_json_dumps_takes() -> None:
    assert json.loads(dump_json({1: Stage.CALMING, "pair": (1, 2)})) == {"1": "calming", "pair": [1, 2]}


def test_a_not_a_number_is_stored_as_null_which_postgresql_accepts() -> None:
    assert json.loads(dump_json({"score": math.nan})) == {"score": None}


def test_json_columns_read_what_they_wrote() -> None:
    value = {"label": "停机", "score": 0.6, "spans": [[0, 2]], "big": 2**63 - 1, "nested": {"none": None}}
    assert load_json(dump_json(value)) == value
    assert load_json(dump_json(value).encode()) == value  # the driver may hand over bytes


def test_a_not_a_number_an_older_release_wrote_is_still_read() -> None:
    assert math.isnan(load_json('{"score": NaN}')["score"])
