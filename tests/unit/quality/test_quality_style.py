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
    return Matcher(replace(bank, style=styled, index_clauses=False))


def test_a_clause_worded_as_banned_phrases_are_is_found_though_no_phrase_is_close() -> None:
    line = normalize("你怎么还在这里磨蹭")  # ",快走" alone is now a 命令 pattern
    plain = replace(load_bank(), style=None, index_clauses=False)
    assert Matcher(plain).find(line) == []  # no pattern, and no whole phrase close enough
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


def test_the_shipped_bank_uses_the_style_model_jointly_and_alone_above_a_stricter_threshold() -> None:
    bank = load_bank()
    assert bank.style is not None and bank.style.joint is not None and bank.style_alone
    near, styled = bank.style.joint
    assert near < bank.threshold and 0.5 <= styled < 1  # below the index's own threshold; a probability
    assert bank.style.threshold > styled  # a clause near no tune phrase must be worded more as one


def _tiny(style_alone: bool) -> Matcher:
    """One tune phrase, and a style model that reads 怎么 and 你 as the manner of a banned phrase."""
    bank = parse_bank({"families": {"impatience": {"label": "不耐烦", "severity": "critical"}}, "test_share": 0.0001,
                       "sources": [{"url": "u", "phrases": ["impatience 你怎么这么烦"]}]}, "t")
    model = StyleModel({"怎么": (4.0, 1.0), "你": (2.0, 1.0), "安排": (-4.0, 1.0)}, -2.0, 0.9, joint=(0.28, 0.8))
    return Matcher(replace(bank, style=model, style_alone=style_alone))


def test_the_joint_rule_quotes_a_clause_both_near_a_tune_phrase_and_worded_as_one() -> None:
    found = _tiny(style_alone=False)
    near = normalize("你怎么还在这里磨蹭")
    assert 0.28 <= found.similar(near)[0] < found.bank.threshold  # the index alone would not quote it
    assert [(h.family, h.how) for h in found.find(near)] == [("impatience", "style")]


def test_the_joint_rule_leaves_a_clause_that_is_only_worded_as_a_banned_phrase() -> None:
    far = normalize("你怎么还不快点从这里走开")
    assert 0 < _tiny(style_alone=False).similar(far)[0] < 0.28
    assert _tiny(style_alone=False).find(far) == []
    assert [h.how for h in _tiny(style_alone=True).find(far)] == ["style"]  # alone, its manner is enough


def test_used_alone_the_style_model_still_applies_the_joint_rule() -> None:
    near = normalize("你怎么还在这里磨蹭")
    assert [(h.family, h.how) for h in _tiny(style_alone=True).find(near)] == [("impatience", "style")]


def test_the_joint_rule_leaves_a_near_clause_not_worded_as_a_banned_phrase() -> None:
    found = _tiny(style_alone=False)
    polite = normalize("我们这么安排")
    assert found.bank.style is not None and found.bank.style.score(polite) < 0.8
    assert found.find(polite) == []


def test_a_broken_joint_rule_names_the_field() -> None:
    with pytest.raises(ConfigurationError, match="joint"):
        parse_style({"weights": {"你": [1.0, 1.0]}, "intercept": 0.0, "threshold": 0.9, "joint": {"style": 0.8}}, "m")
    with pytest.raises(ConfigurationError, match="style_alone"):
        parse_bank({"families": {"impatience": {"label": "不耐烦", "severity": "critical"}}, "sources": [],
                    "similarity": {"style_alone": "no"}}, "t")
