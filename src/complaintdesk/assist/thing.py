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
_FEE_BEFORE = frozenset({"n", "nz", "vn"})  # a fee is named by a thing or an act (容量费, 调试费), never a pronoun (我费了)

_HAN = range(0x4E00, 0x9FA6)


@lru_cache(maxsize=1)
def _pos() -> Any:
    import jieba.posseg

    return jieba.posseg.POSTokenizer(tokenizer())


def _han(word: str) -> bool:
    return all(ord(c) in _HAN for c in word)


def listed_subject(text: str, words: Sequence[str], places: Sequence[str] = (), means: Sequence[str] = ()
                   ) -> str | None:
    """The listed subject the complaint names first, as a whole word; of a compound, its head, which Chinese puts
    last (电脑补习班 is a course, not a computer: 补习班); never where it names a place (电梯口贴了通知) or the means
    the customer used (``means``: 上网查了一下 is how a price was compared, not an internet complaint)."""
    whole = WordChecker(text)
    found = []
    for w in words:
        at = text.find(w)
        while at >= 0 and (not _whole_or_head(whole, text, at, at + len(w), words)
                           or _place(text, at + len(w), whole, places) or _within(text, at, w, means)):
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


def _within(text: str, at: int, word: str, phrases: Sequence[str]) -> bool:
    """Is the ``word`` at ``at`` part of one of the phrases?"""
    return any(text.startswith(p, at - p.index(word)) for p in phrases if word in p and at >= p.index(word))


def names_at(text: str, start: int, end: int, whole: WordChecker, places: Sequence[str] = (),
             bound_heads: Sequence[str] = ()) -> bool:
    """Does ``text[start:end]`` name its thing here? A whole word does, and so does the head of a word (护栏 of 防护栏:
    Chinese puts the head last; 装宽带 of 安|装宽带) or its modifier (转让 of 转让费, 转卡 of 转|卡费: the fee of it);
    a cue that runs into the start of another word does not (停电 of 停|电梯), nor a thing naming a place (电梯 of
    电梯口, 电梯|旁边)."""
    def edge(at: int) -> bool:
        return whole(at, at)

    if not edge(start) and not edge(end):
        return False  # inside one word
    stop = end
    while stop < len(text) and not edge(stop):
        stop += 1
    rest = text[end:stop]
    if rest and any(edge(at) for at in range(start + 1, end)) and rest not in bound_heads:
        return False  # it runs into the start of another word
    return not _place(text, end, whole, places)


def _place(text: str, end: int, whole: WordChecker, places: Sequence[str]) -> bool:
    """Does a place word finish the word ending at or after ``end`` (电梯口), or follow it (电梯|旁边)?"""
    stop = end
    while stop < len(text) and not whole(stop, stop):
        stop += 1
    if text[end:stop] in places:
        return True
    return any(text.startswith(p, stop) and whole(stop + len(p), stop + len(p)) for p in places)


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
                at_least: int = 2, *, bound_heads: Sequence[str] = (), kept_whole: Sequence[str] = ()) -> str | None:
    """The common noun the text names most often (``at_least`` times, its compounds counted), or None, in the
    customer's own script. A noun in a sentence that refuses something (我要优惠券有什么用) is what the customer
    turned down, not the complaint's thing. A one-character noun is named by its commonest compound (砖 of
    瓷砖): 您说的砖 is not how one person speaks to another. A compound jieba cuts is kept whole (``bound_heads``:
    基本 + 费 is 基本费; ``kept_whole``: 装灰费), so the draft never says 您说的基本."""
    simplified = feature_text(text)
    if len(simplified) != len(text):  # never seen: the fold keeps the length; the raw text is then read as is
        simplified = text
    tokens = _compounds(_kept_whole(_tagged(simplified), bound_heads, kept_whole))
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
    # a fee counts for what it is the fee of (天然气费 for 天然气), as a compound counts for its head
    bases = [next((w[:-len(h)] for h in bound_heads if w.endswith(h) and len(w) > len(h)), w) for w in words]
    counts: dict[str, int] = {}
    for noun in dict.fromkeys(nouns):
        # 砖 counts 瓷砖 and 地砖: Chinese puts the head last
        counts[noun] = sum(1 for w, b in zip(words, bases, strict=True) if w.endswith(noun) or b.endswith(noun))
    # a one-character noun must also stand alone that often and head a compound of the text (砖 of 瓷砖, 卡 of 年卡):
    # alone, 内, 学, 路 are mostly pieces of phrases jieba split
    eligible = {n: c for n, c in counts.items()
                if c >= at_least and (len(n) > 1 or (sum(1 for w in words if w == n) >= at_least
                                                     and any(len(b) > 1 and b.endswith(n) for b in bases)))}
    if not eligible:
        return None
    best = max(eligible.values())
    noun = next(n for n in nouns if eligible.get(n) == best)
    if len(noun) == 1:
        compounds = [b for w, b in zip(words, bases, strict=True) if len(b) > 1 and b.endswith(noun)
                     and _is_thing(b, flags[w] if b == w else "n", not_heads, not_words)
                     and not any(b.endswith(x) for x in not_words if len(x) > 1)]  # 工商部门 is a party
        if not compounds:
            return None
        noun = max(dict.fromkeys(compounds), key=compounds.count)  # the commonest, the earliest on a tie
    noun = _as_fee(noun, words, bases)
    at = next(start for (w, _, start), b in zip(tokens, bases, strict=True) if noun in (w, b))
    return text[at:at + len(noun)]  # as the customer wrote it (柜門 stays 柜門)


def _as_fee(noun: str, words: list[str], bases: list[str]) -> str:
    """A thing counted mostly through its fee, the fee named at least twice, is named by the fee (基本 + 基本费 twice
    is 基本费: 您说的基本 names no thing); one named alone at least as often as its fee, or whose fee is named once,
    keeps its own name (天然气 and 天然气费 are 天然气)."""
    fees = [w for w, b in zip(words, bases, strict=True) if b == noun and w != noun]
    alone = sum(1 for w in words if w == noun)
    return max(dict.fromkeys(fees), key=fees.count) if len(fees) > max(alone, 1) else noun


def _tagged(simplified: str) -> list[tuple[str, str, int]]:
    """jieba's words and parts of speech, each with its offset: tagging reads simplified script only."""
    out, at = [], 0
    for pair in _pos().cut(simplified, HMM=False):
        word = str(pair.word)
        out.append((word, str(pair.flag), at))
        at += len(word)
    return out


def _kept_whole(tokens: list[tuple[str, str, int]], bound_heads: Sequence[str],
                kept_whole: Sequence[str]) -> list[tuple[str, str, int]]:
    """A listed compound whose edges the cut keeps, as one noun (装 + 灰 + 费 is 装灰费); a bound head standing alone
    after a noun, joined to it (基本 + 费: jieba tags the lone 费 a verb, yet it is the fee of the noun before it)."""
    out: list[tuple[str, str, int]] = []
    i = 0
    while i < len(tokens):
        word, flag, at = tokens[i]
        listed = next((w for w in kept_whole if _spans(tokens, i, w)), None)
        if listed is not None:
            n = _spans(tokens, i, listed)
            out.append((listed, "n", at))
            i += n
            continue
        if word in bound_heads and out and out[-1][1] in _FEE_BEFORE and _han(out[-1][0]):
            out[-1] = (out[-1][0] + word, "n", out[-1][2])
        else:
            out.append((word, flag, at))
        i += 1
    return out


def _spans(tokens: list[tuple[str, str, int]], i: int, word: str) -> int:
    """How many tokens from ``i`` make up exactly ``word`` (0 when its edges are not the cut's)."""
    joined, n = "", 0
    while i + n < len(tokens) and len(joined) < len(word):
        joined += tokens[i + n][0]
        n += 1
    return n if joined == word and n > 1 else 0


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
