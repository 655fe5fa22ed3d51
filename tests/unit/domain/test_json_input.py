"""User JSON is refused, naming the path, when it would not be stored as given or nests too deep."""

from __future__ import annotations

import math

import pytest

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.json_input import MAX_DEPTH, check_json, parse_json


def _nested(levels: int) -> object:
    value: object = 1
    for _ in range(levels):
        value = {"a": value}
    return value


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_a_non_finite_number_is_refused_naming_its_path(number: float) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_json({"billing": {"fees": [1, number]}}, "facts")
    assert refused.value.field == "facts.billing.fees[1]"


@pytest.mark.parametrize("text", ['{"x": NaN}', '{"x": Infinity}', '{"x": -Infinity}', '{"x": 1e400}'])
def test_parsed_text_with_a_non_finite_number_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_json(text, "other", label="其他事实")
    assert refused.value.field == "other.x"


def test_twenty_levels_pass_and_twenty_one_are_refused_naming_the_field() -> None:
    check_json(_nested(MAX_DEPTH - 1), "facts")
    with pytest.raises(InvalidInput) as refused:
        check_json(_nested(MAX_DEPTH + 1), "facts")
    assert refused.value.field == "facts" and "20" in refused.value.message


def test_nesting_that_exhausts_the_parser_is_an_input_error() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_json("[" * 100_000 + "]" * 100_000, "other", label="其他事实")
    assert refused.value.field == "other" and refused.value.message.startswith("其他事实嵌套过深")


def test_too_many_values_and_too_much_text_are_refused() -> None:
    with pytest.raises(InvalidInput, match="5000"):
        check_json({"repairs": list(range(6000))}, "facts")
    with pytest.raises(InvalidInput, match="文本超过"):
        check_json({"note": "长" * 300_000}, "facts")


def test_integers_beyond_64_bits_and_lone_surrogates_are_refused() -> None:
    with pytest.raises(InvalidInput) as big:
        check_json({"n": 2**70}, "facts")
    assert big.value.field == "facts.n"
    with pytest.raises(InvalidInput) as surrogate:
        parse_json('{"s": "\\ud800"}', "facts")
    assert surrogate.value.field == "facts.s"


def test_ordinary_facts_pass() -> None:
    facts = {"product": {"kind": "tv"}, "billing": {"monthly_fee": 60.0, "amount_due": 0}, "repairs": [], "x": None}
    check_json(facts, "facts")
    assert parse_json('{"a": [1, 2.5, "三", true, null]}', "facts") == {"a": [1, 2.5, "三", True, None]}
