"""The bank's family patterns are written in the normal form they are matched in.

Patterns run on ``canonical`` text (没有 → 没, 您/你们 → 你, 这个 → 这, particles and 的 gone), so a word a
pattern spells otherwise ("门都没有", "一句话的事", "去你的") can never match: the phrase it was written for
slips through. These tests find such dead words in every pattern of the shipped bank.
"""

from __future__ import annotations

import re

import pytest

from complaintdesk.quality.bank import canonical, load_bank
from complaintdesk.quality.gate import literal_runs
from complaintdesk.quality.phrases import check_text


def test_literal_runs_lists_every_fixed_word_of_a_pattern() -> None:
    assert literal_runs("(你)?怎么(现在|这时候)才(来)?(说|反映)") == [
        "你", "怎么", "现在", "这时候", "才", "来", "说", "反映",
    ]
    assert literal_runs("门都没有|^没门$") == ["门都没有", "没门"]


def test_every_word_of_every_family_pattern_is_in_the_normal_form() -> None:
    bank = load_bank()
    dead = [
        (code, pattern.pattern, word)
        for code, family in bank.families.items()
        for pattern in family.patterns
        for word in literal_runs(pattern.pattern)
        if len(word) > 1 and canonical(word) != word
    ]
    assert dead == []


@pytest.mark.parametrize("line", ["门都没有!", "这事你放心,一句话的事。", "去你的!", "那你去领导那儿问吧。"])
def test_phrases_spelled_outside_the_normal_form_are_caught(line: str) -> None:
    assert any(v.family for v in check_text(line)), line


def test_a_dead_word_in_a_pattern_is_reported() -> None:
    assert [w for w in literal_runs("门都没有") if canonical(w) != w] == ["门都没有"]
    assert not [w for w in literal_runs(re.escape("门都没")) if canonical(w) != w]
