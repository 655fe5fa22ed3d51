"""The thing a complaint is about, read from the text's own nouns (jieba's parts of speech).

The rounds' fresh scenarios kept missing must-say points that name the complained-of object (a cupboard door, a
battery, a gum, a dog): the list of subjects the paraphrase knows cannot name what it has never seen. This reads
the object structurally instead: the common noun the customer names most often (at least twice, counting a
compound whose head it is: 柜门 in 柜门到了……柜门关不上), the earliest on a tie. Parties and people are not
things (their heads say so: 店, 公司, 医院, 员, 师, 人 …, or they are names and places to jieba), nor are the
words every complaint uses (问题, 情况, 电话 …); the word lists are ``replies.yaml`` ``subjects.not_things``.
A listed subject counts only as a whole word (电视台 names no TV, 同行李先生 no luggage).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from complaintdesk.analysis.features import feature_text
from complaintdesk.analysis.segment import WordChecker, tokenizer

_SENTENCE = re.compile(r"[。！？!?；;\n]")

NOUN_FLAGS = frozenset({"n", "nz"})

_HAN = range(0x4E00, 0x9FA6)


@lru_cache(maxsize=1)
def _pos() -> Any:
    import jieba.posseg

    return jieba.posseg.POSTokenizer(tokenizer())


def _han(word: str) -> bool:
    return all(ord(c) in _HAN for c in word)


def listed_subject(text: str, words: Sequence[str]) -> str | None:
    """The listed subject the complaint names first, as a whole word; of a compound, its head, which Chinese puts
    last (电脑补习班 is a course, not a computer: 补习班)."""
    whole = WordChecker(text)
    found = []
    for w in words:
        at = text.find(w)
        while at >= 0 and not _whole_or_head(whole, text, at, at + len(w), words):
            at = text.find(w, at + 1)
        if at >= 0:
            found.append((at, -len(w), w))
    if not found:
        return None
    at, minus_len, word = sorted(found)[0]
    end = at - minus_len
    while heads := [w for w in words if text.startswith(w, end)]:
        word = max(heads, key=len)
        end += len(word)
    return word


def _whole_or_head(whole: WordChecker, text: str, start: int, end: int, words: Sequence[str]) -> bool:
    """A whole word, or the start of a run of listed words (电脑补习班) that ends on a word boundary."""
    if whole(start, end):
        return True
    stop = end
    while heads := [w for w in words if text.startswith(w, stop)]:
        stop += len(max(heads, key=len))
        if whole(start, stop):
            return True
    return False


def named_thing(text: str, not_heads: Sequence[str], not_words: Sequence[str], refused: Sequence[str] = (),
                at_least: int = 2) -> str | None:
    """The common noun the text names most often (``at_least`` times, its compounds counted), or None, in the
    customer's own script. A noun in a sentence that refuses something (我要优惠券有什么用) is what the customer
    turned down, not the complaint's thing. A one-character noun is named by its commonest compound (砖 of
    瓷砖): 您说的砖 is not how one person speaks to another."""
    simplified = feature_text(text)
    if len(simplified) != len(text):  # never seen: the fold keeps the length; the raw text is then read as is
        simplified = text
    tokens = _compounds(_tagged(simplified))
    flags: dict[str, str] = {}
    for w, flag, _ in tokens:
        flags.setdefault(w, flag)  # a word's first tag, as the reading met it
    turned_down = {w for sentence in _SENTENCE.split(simplified) if any(r in sentence for r in refused)
                   for w, _ in _pos().cut(sentence, HMM=False)}
    nouns = [w for w, _, _ in tokens if _is_thing(w, flags[w], not_heads, not_words)
             and w not in turned_down]
    if not nouns:
        return None
    words = [w for w, _, _ in tokens]
    counts: dict[str, int] = {}
    for noun in dict.fromkeys(nouns):
        counts[noun] = sum(1 for w in words if w.endswith(noun))  # 砖 counts 瓷砖 and 地砖: Chinese puts the head last
    # a one-character noun must also stand alone that often and head a compound of the text (砖 of 瓷砖, 卡 of 年卡):
    # alone, 内, 学, 路 are mostly pieces of phrases jieba split
    eligible = {n: c for n, c in counts.items()
                if c >= at_least and (len(n) > 1 or (sum(1 for w in words if w == n) >= at_least
                                                     and any(len(w) > 1 and w.endswith(n) for w in words)))}
    if not eligible:
        return None
    best = max(eligible.values())
    noun = next(n for n in nouns if eligible.get(n) == best)
    if len(noun) == 1:
        compounds = [w for w in words if len(w) > 1 and w.endswith(noun)
                     and _is_thing(w, flags[w], not_heads, not_words)
                     and not any(w.endswith(x) for x in not_words if len(x) > 1)]  # 工商部门 is a party
        if not compounds:
            return None
        noun = max(dict.fromkeys(compounds), key=compounds.count)  # the commonest, the earliest on a tie
    at = next(start for w, _, start in tokens if w == noun)
    return text[at:at + len(noun)]  # as the customer wrote it (柜門 stays 柜門)


def _tagged(simplified: str) -> list[tuple[str, str, int]]:
    """jieba's words and parts of speech, each with its offset: tagging reads simplified script only."""
    out, at = [], 0
    for pair in _pos().cut(simplified, HMM=False):
        word = str(pair.word)
        out.append((word, str(pair.flag), at))
        at += len(word)
    return out


def _compounds(tokens: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Adjacent nouns as one compound, its head last (拐角 + 柜 is 拐角柜, a corner cupboard)."""
    out: list[tuple[str, str, int]] = []
    for word, flag, at in tokens:
        if out and flag in NOUN_FLAGS and out[-1][1] in NOUN_FLAGS and _han(word) and _han(out[-1][0]) \
                and len(out[-1][0]) > 1:  # a one-character first part is mostly a measure word (支 + 手机)
            out[-1] = (out[-1][0] + word, flag, out[-1][2])
        else:
            out.append((word, flag, at))
    return out


def _is_thing(word: str, flag: str, not_heads: Sequence[str], not_words: Sequence[str]) -> bool:
    if flag not in NOUN_FLAGS or not _han(word) or word in not_words:
        return False
    if len(word) == 1:  # a one-character noun only as jieba's plain noun (换 read as a proper noun is a verb)
        return flag == "n" and word not in not_heads
    return not any(word.endswith(h) for h in not_heads)
