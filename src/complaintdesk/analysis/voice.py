"""Whose words a cue stands in, and whether the customer does anything with the name it cites.

Two checks on the cue hits, both on the normalised (simplified) text:

- **Reported speech.** 客服说给我500元话费当补偿, 店里说可以免单, 合作方说解约要付违约金: what someone else
  said, reported without quotation marks, is not the customer's demand, threat or manner. A reporting
  verb (说, 称, 表示, 答应, 建议 …) earlier in the clause, with no 我 before it, makes the rest of the clause
  someone else's words; 我说, 我跟他说 stay the customer's own.
- **A name is not an act.** 12345, 消协, 微博, 业主群, 记者 are places and people. They make a threat only
  when the customer does something with them in the same sentence (打12345, 向消协投诉, 发到微博, 找记者);
  a hotline or a platform mentioned in passing (业主群里一问, 在抖音刷到广告, 官方微博写着) is not a threat.
  Which cues are bare names and which words are acts is data (``threats.yaml``: ``lists.bare_names``,
  ``lists.acts``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from complaintdesk.analysis.wordsets import contains_any

SENTENCE_BREAKS = "。！？!?；;\n"
CLAUSE_BREAKS = SENTENCE_BREAKS + "，,：:"
REPORT_WINDOW = 14
# 说 followed by one of these is not reporting: 说明, 说清楚, 说法, 说好 (a promise the customer holds up).
_NOT_REPORTING_AFTER = frozenset("明清法好服")
_NOT_REPORTING_NEGATED = ("不清", "不通", "不过去", "不出")  # 说不清楚, 说不过去: no one's words reported
_REPORTING = re.compile(r"说|称|表示|答应|承诺|建议|回复|告知|声称|佢话|就话|只话|净系话|讲|喊|骂|吼|嚷|怒斥|叫道")
_SELF = re.compile(r"我(?!们公司)")
# The narrator's own discourse words (先说结论, 老实说, 说实话, 说白了, 简单来说): no one else's words follow (Session 16).
_NARRATORS = re.compile(r"(?:先说|再说|老实说|坦白说|说实话|说真的|说白了|说句|直说|总的来说|简单来说|简单说|也就是说|就是说|比如说|俗话说|不用说|话说|虽说|讲真|老实讲|讲白了|照道理讲|讲句)")
# A name followed by what it says is the speaker in the customer's story (消协说电动车没有统一标准).
# The name as the one that replied (12345回复说, 消委会的回覆是, 市场监管局答复称: Session 16) speaks too.
_SPEAKS = re.compile(r"(?:的)?(?:工作人员|总干事|主席|发言人|人员|那边|方面|人)?(?:说|话|称|表示|认为|讲|回复|答复|回覆|答覆|回应|告知|回话|回电说|回电话说)(?![明清好理道])")


_BREAK_SETS: dict[str, re.Pattern[str]] = {}  # a breaks string → the character class of its characters


def _breaks(breaks: str) -> re.Pattern[str]:
    found = _BREAK_SETS.get(breaks)
    if found is None:
        found = _BREAK_SETS[breaks] = re.compile("[" + "".join(map(re.escape, breaks)) + "]")
    return found


def clause_start(text: str, position: int, limit: int, breaks: str) -> int:
    """Where the clause holding ``position`` begins: the first break before it, looking back ``limit`` at most."""
    lower = max(0, position - limit)
    if not breaks or position <= lower:
        return lower
    # the nearest break before ``position`` is the first one in the window read backwards (one search in C)
    found = _breaks(breaks).search(text[lower:position][::-1])
    return lower if found is None else position - found.start()


def clause_end(text: str, position: int, breaks: str) -> int:
    """Where the clause holding ``position`` ends: the first break at or after it, else the text's end."""
    if not breaks or position >= len(text):
        return max(position, len(text))
    found = _breaks(breaks).search(text, position)
    return len(text) if found is None else found.start()


def reported(text: str, start: int) -> bool:
    """Is the cue at ``start`` inside someone else's words reported in the customer's account?"""
    begin = clause_start(text, start, REPORT_WINDOW, SENTENCE_BREAKS + "，,")
    before = text[begin:start]
    last = None
    for match in _REPORTING.finditer(before):
        end = match.end()
        if match.group() == "说" and end < len(before) and before[end] in _NOT_REPORTING_AFTER:
            continue
        if match.group() == "说" and before.startswith(_NOT_REPORTING_NEGATED, end):  # 说不清楚我就去投诉
            continue
        if match.start() > 0 and before[match.start() - 1] in "按照依":  # 按承诺, 照原本的承诺: the customer holds it up
            continue
        if any(m.start() <= match.start() < m.end() for m in _NARRATORS.finditer(before, max(0, match.start() - 4))):
            continue  # 先说结论, 说实话: the narrator's own words
        last = match
    if last is None:
        # 客服说：退款要走流程 — the reporting verb ends the previous clause with a colon.
        colon = begin - 1
        if colon >= 0 and text[colon] in "：:":
            head = text[clause_start(text, colon, REPORT_WINDOW, CLAUSE_BREAKS) : colon]
            return bool(_REPORTING.search(head)) and not _SELF.search(head)
        return False
    # 我说, 我跟他说, 我就说: the customer's own words; and a 我要/我想 after the verb starts them again.
    if _SELF.search(before[: last.start()]):
        return False
    after = before[last.end() :]
    return not re.search(r"我(?:要|想|希望|坚持|只要|必须)|要求|请", after)


def acted_on(
    text: str,
    start: int,
    end: int,
    acts: tuple[str, ...],
    window: int = 12,
    reads: tuple[str, ...] = (),
    names: tuple[str, ...] = (),
    not_acts: tuple[str, ...] = (),
) -> bool:
    """Does the customer do something with the name at ``start:end`` in the same sentence
    (打12345, 向消协投诉, 发到微博, 找记者, 尊敬的区领导)? A name read (刷抖音微博看到别人说: a reading verb
    before it, other ``names`` between) is a place the customer read, not one they act on. Words holding an
    act's character without its sense (``not_acts``: 告示, 公告, 打卡, 写着) are not acts."""
    if _SPEAKS.match(text, end):  # 消协说…, 消委会总干事话…: the name speaks; the customer does nothing with it
        return False
    left = clause_start(text, start, window, SENTENCE_BREAKS)
    before = text[left:start]
    if reads and _read_before(before, reads, names):
        return False
    after = text[end : end + 4].lstrip("上里中")
    if reads and any(after.startswith(word) for word in reads) and not contains_any(before, acts):  # 在抖音上看到广告
        return False
    right = end
    limit = min(len(text), end + window)
    while right < limit and text[right] not in SENTENCE_BREAKS:
        right += 1
    around = before + "|" + text[end:right]
    for word in _longest_first((*reads, *not_acts)):  # 看到 is reading, not the 到 of 发到
        around = around.replace(word, "#")
    return contains_any(around, acts)


@lru_cache(maxsize=8)
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` longest first (a stable sort: words of one length keep their order), sorted once per list."""
    return tuple(sorted(words, key=len, reverse=True))


def _read_before(before: str, reads: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Does ``before`` end with a reading verb, optionally followed by other names (刷抖音|微博)?"""
    rest = before.rstrip("、和跟与及")
    while True:
        if rest.endswith(reads):
            return True
        if not rest.endswith(names):  # one test in C; only a hit needs the longest name found
            return False
        name = next(n for n in sorted(names, key=len, reverse=True) if rest.endswith(n))
        rest = rest[: -len(name)].rstrip("、和跟与及在上里")


def done_to_customer(text: str, start: int, end: int) -> bool:
    """动手打我, 被三个男的堵门: violence the customer suffered, not violence the customer threatens."""
    after = text[end : end + 2]
    before = text[clause_start(text, start, 8, CLAUSE_BREAKS) : start]
    return after.startswith(("我", "了我")) or "被" in before


_NOT_CAME = ("没", "不", "未", "没有", "还没", "都没", "也没", "从没", "唔", "冇")


def came(text: str, end: int, arrivals: tuple[str, ...], window: int = 10) -> bool:
    """Did the body named just before ``end`` come or take the case up (工商所来人调解了, 电视台已经来过了, 物价局的人
    来查过, 12345已经转办)? A body that came to a complaint is there because the customer took it there (issue 20,
    Session 17). Only the words after the name, in its clause, count: a body that did not come (工商所也没来过) did
    nothing, and one that replied (12345回复说已转办) is the guide's reply, not the customer's act."""
    if _SPEAKS.match(text, end):
        return False
    right = clause_end(text, end, CLAUSE_BREAKS)
    after = text[end : min(right, end + window)]
    for word in _longest_first(arrivals):
        at = after.find(word)
        if at >= 0 and not after[:at].endswith(_NOT_CAME):
            return True
    return False
