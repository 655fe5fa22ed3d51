"""The opt-in second fallback of the 禁语 bank: a model of how banned phrases are worded (quality/style.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.quality.bank import load_bank, parse_bank
from complaintdesk.quality.banned import Matcher
from complaintdesk.quality.style import StyleModel, grams, parse_style
from complaintdesk.quality.transcript import normalize

COURTEOUS = ["您好,请问还有什么可以帮您?", "我马上帮您查一下订单,请稍等。", "这边给您登记好了,三天内回电。"]


def _with_style() -> Matcher:
    bank = load_bank()
    styled = parse_bank({"families": {"impatience": {"label": "不耐烦", "severity": "critical"}}, "sources": [],
                         "similarity": {"style_model": "banned_style.json"}}, "t").style
    return Matcher(replace(bank, style=styled))


def test_a_clause_worded_as_banned_phrases_are_is_found_though_no_phrase_is_close() -> None:
    line = normalize("你怎么还在这里磨蹭")  # ",快走" alone is now a 命令 pattern
    assert Matcher(load_bank()).find(line) == []
    hits = _with_style().find(line)
    assert [h.how for h in hits] == ["style"] and hits[0].entry is not None


@pytest.mark.parametrize("line", COURTEOUS)
def test_the_style_model_leaves_courteous_lines_alone(line: str) -> None:
    assert _with_style().find(normalize(line)) == []


def test_the_style_score_rises_with_the_manner_of_a_banned_phrase() -> None:
    model = StyleModel({"你": (1.0, 1.0), "怎么": (2.0, 1.0), "您": (-2.0, 1.0)}, 0.0, 0.9)
    assert model.score("你怎么还不走") > model.score("您请慢走") and model.score("好") == 0.0
    assert grams("你好") == {"你", "好", "你好"}


def test_a_broken_style_model_names_the_field() -> None:
    with pytest.raises(ConfigurationError, match="threshold"):
        parse_style({"weights": {"你": [1.0, 1.0]}, "intercept": 0.0, "threshold": 2}, "m.json")
    with pytest.raises(ConfigurationError, match="weights"):
        parse_style({"weights": {"你": 1.0}, "intercept": 0.0, "threshold": 0.9}, "m.json")
    with pytest.raises(ConfigurationError, match="style_model"):
        parse_bank({"families": {"impatience": {"label": "不耐烦", "severity": "critical"}}, "sources": [],
                    "similarity": {"style_model": "../secrets.json"}}, "t")


def test_the_shipped_bank_runs_without_the_style_model() -> None:
    assert load_bank().style is None
