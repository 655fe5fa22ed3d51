"""Courteous wording the 禁语 bank must leave alone: a request is no command, and a line that performs a
courteous act is not quoted by the similarity fallbacks (the patterns still read it)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.quality.bank import load_bank, parse_bank
from complaintdesk.quality.banned import Matcher
from complaintdesk.quality.phrases import check_text
from complaintdesk.quality.transcript import normalize


def _families(line: str) -> set[str | None]:
    return {v.family for v in check_text(line)}


@pytest.mark.parametrize("line", ["请您到后面排队,谢谢配合。", "麻烦您把单子填好,交给我就行。"])
def test_a_request_with_please_before_it_is_no_command(line: str) -> None:
    assert "commanding" not in _families(line)


@pytest.mark.parametrize("line", ["到后面排队去!", "把单子填好,交给我!"])
def test_the_same_words_without_please_are_a_command(line: str) -> None:
    assert "commanding" in _families(line)


def test_polite_words_are_read_in_the_normal_form_and_must_be_words() -> None:
    bank = parse_bank({"families": {"commanding": {"label": "命令", "severity": "major", "polite": ["请"]}},
                       "sources": []}, "t")
    assert bank.families["commanding"].polite == ("请",)
    with pytest.raises(ConfigurationError, match="polite"):
        parse_bank({"families": {"commanding": {"label": "命令", "severity": "major", "polite": "请"}},
                    "sources": []}, "t")


def test_a_fee_not_charged_is_no_refusal() -> None:
    assert "bare_refusal" not in _families("我们不收任何手续费,您放心。")
    assert "bare_refusal" in _families("这种旧版的钱我们不收。")


def test_a_line_with_a_courteous_act_is_quoted_by_patterns_only() -> None:
    line = normalize("您之前是怎么操作的?我帮您看看是哪一步出了问题。")
    bank = load_bank()
    assert Matcher(replace(bank, courtesy=None)).find(line)  # the clause alone is near a banned phrase
    assert Matcher(bank).find(line) == []
    rude = normalize("这不归我管,谢谢。")
    assert [h.how for h in Matcher(bank).find(rude)] == ["pattern"]


def test_a_clause_of_a_tune_phrase_is_near_a_sibling_that_shares_only_that_clause() -> None:
    data = {"families": {"commanding": {"label": "命令", "severity": "major"}}, "test_share": 0.0001,
            "sources": [{"url": "u", "phrases": ["commanding 没零钱,自己去换,别在这儿等着"]}]}
    whole = Matcher(parse_bank(data, "t"))
    clauses = Matcher(parse_bank({**data, "similarity": {"index_clauses": True}}, "t"))
    sibling = normalize("零钱没有了,自己去换")
    assert clauses.best_score(sibling) > whole.best_score(sibling)
    assert clauses.best_score(sibling) >= clauses.bank.threshold > whole.best_score(sibling)


def test_the_calibration_score_of_a_courteous_line_is_zero() -> None:
    assert Matcher(load_bank()).best_score(normalize("对不起,零钱不够了,我去换一下")) == 0.0
