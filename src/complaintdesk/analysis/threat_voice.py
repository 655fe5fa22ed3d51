"""Whose act a threat cue stands in, and the regulator complaints no single cue names (issue 19).

A threat is what the customer does, or says they will do, to press the company. The cue scan finds the
words; these checks, all on the normalised (simplified) text, keep only the customer's own acts:

- **Someone else acts.** 你们就把下个月的钱转走了, 卖家直接把我拉黑, 银行要我剪卡, 官方在脸书发个道歉, 你们却让我
  走诉讼: the last person named before the cue in its clause is the company or another party, or the
  customer is its object (把我, 让我, 要我), so the act is theirs. A condition (你们再不退钱就法庭见, 不然,
  否则, 的话) keeps it the customer's threat.
- **Done to someone.** 号码被转走, 被拉黑: a 被 just before the cue.
- **Violence needs the customer's hand.** 动手推我, 他还追出来动手, 跟猫打架 are not threats; 我把你们这电脑砸了,
  信不信我动手 are. A violence cue stands only with the customer (我, not as an object) before it in the clause,
  a warning (不然, 否则, 小心, 信不信), or 你 in the cue itself. Someone else's insult quoted (指着我鼻子骂：
  "我就弄死你") is theirs.
- **The complaint's own title.** 我要申诉补习班的退费问题。举报装机人员私自收费。: a generic act (``lists.
  title_acts``) opening the text names the complaint being filed, not a threat to the company.
- **Not wanted.** 我不想闹到消协去: an act the customer does not want, unless a 但 or 只能 follows.
- **Asked, not said.** 请问可以跟消保官申诉吗: whether the customer may, asked in a question.
- **An intention dropped.** 本来想跟家长们一起请律师…算了, 想过找媒体爆料，但气消后: an earlier intention with
  no turn (现在, 只能, 决定, 已经) before the cue.
- **A story read.** 看到日报报道了这家公司: the press named right after a reading verb (``lists.reads``) is a
  story the customer read, though the press "ran" it (``lists.media_arrivals``: 报道了, 登了).
- **A body and an act.** 向台北市政府提出消费申诉, 已向台北市文化局申诉, 去金融监管局投诉: an address word (向, 到,
  去, 跟, 找), a public body (``lists.body_suffixes``: …局, …政府, …委员会) within a few characters, and a
  complaint act (``lists.complaint_acts``) after it make a regulator threat whatever the body's name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from complaintdesk.analysis import voice
from complaintdesk.analysis.matching import Hit, negated
from complaintdesk.analysis.voice import CLAUSE_BREAKS as _CLAUSE_BREAKS
from complaintdesk.analysis.voice import SENTENCE_BREAKS as _SENTENCE_BREAKS
from complaintdesk.analysis.voice import clause_end as _clause_end
from complaintdesk.analysis.voice import clause_start as _clause_start
from complaintdesk.analysis.wordsets import contains_any

AGENT_WINDOW = 16

# a person right after one of these is the object (把我, 让我, 向客服, 跟商家), not the one acting
_OBJECT_BEFORE = frozenset("把被让叫要逼对向朝给跟和与帮替打骂拉告找带请劝催问就")
_PLACE_BEFORE = frozenset("去到来在")  # 去你们公司堵门: the company as a place (再拖下去我就: 我 still acts)
# the customer as an agent's record names them (客户进门就要打架)
_CUSTOMER = ("我们", "我", "本人", "客户", "顾客", "用户", "来电人", "投诉人")
_PREPOSITION = re.compile(r"把|向|跟|对|找|给|和|与|往|将")
_PERSON = re.compile(
    r"我们|我|本人|客户|顾客|用户|来电人|投诉人|你们|(?<!其)他们|(?<!其)他|她们|她|对方|商家|店家|卖家|公司|银行|平台|店员|客服|老板|物业|主办|官方|业者|厂商|厂家|"
    r"餐厅|骑手|快递员|师傅|经理|销售|业务员|建商|柜员|工作人员|邻居|朋友|别人|有人|同事|网友|其他人"
)
_CONDITION = re.compile(r"唔系|唔係|再不|不然|否则|的话|要是|如果|若是|若|不[^，。！？]{0,8}就|信不信|小心|当心|迟早")
_PASSIVE = re.compile(r"被[^，。！？；\n]{0,4}$")
_VIOLENT_HAND = re.compile(r"我(?![的家])|客户|顾客|用户|信不信|小心|当心|不然|否则|再不")
_QUOTED_INSULT = re.compile(r"(?:(?<!我)|(?<=[着对朝冲向]我))(?:骂|吼|嚷|威胁|恐吓|喊|叫嚣)(?:道|着|说)?[:：]?\s*[\"“'‘「『]([^\"“”'‘’「」『』\n]{1,200})[\"”'’」』]")
_DROPPED = re.compile(r"本来想|原本想|本想|本打算|原本打算|想过|曾经想|曾想|一度想")
_TURN = re.compile(r"现在|只能|决定|已经|还是要|这次|如今|终于")
_MAY_I = re.compile(r"请问|能不能|可不可以|能否|是否可以|可以")
_UNWILLING = re.compile(r"不想|不愿|不希望|不愿意")
_BUT = re.compile(r"但|可是|不过|只能|逼")


def by_someone_else(text: str, start: int) -> bool:
    """Is the threat cue at ``start`` an act of the company or another party, or done to someone?"""
    begin = _clause_start(text, start, AGENT_WINDOW, _CLAUSE_BREAKS)
    before = text[begin:start]
    if _PASSIVE.search(before):
        return True
    last = None
    previous_end = -1
    for match in _PERSON.finditer(before):
        at = match.start()
        adjacent, previous_end = at == previous_end, match.end()
        if adjacent:  # 你们公司, 我们公司法务: one noun phrase, its role already read
            continue
        if at > 0 and (before[at - 1] in _OBJECT_BEFORE or (before[at - 1] in _PLACE_BEFORE and match.group() not in _CUSTOMER)):
            if match.group().startswith("我"):  # 把我拉黑, 让我去起诉: the customer is the object
                last = ("object", match.end())
            continue
        if match.group().startswith("我") and before[match.end() : match.end() + 1] in ("的", "家"):
            continue  # 我的号码, 我家: a possessive, not the one acting
        mine = match.group() in _CUSTOMER
        if not mine and (last is None or last[0] == "self") and _PREPOSITION.search(before, last[1] if last else 0, at):
            continue  # (我)已经把安装公司和维保公司告上法庭: the company is the customer's object
        last = ("self" if mine else "other", match.end())
    if last is None or last[0] == "self":
        return False
    return not _CONDITION.search(before)


def customers_violence(text: str, start: int, cue: str) -> bool:
    """A violence cue the customer threatens: 你 in the cue, or the customer's hand or a warning before it."""
    if "你" in cue:
        return True
    before = text[_clause_start(text, start, 12, _CLAUSE_BREAKS) : start] + cue  # 信不信我动手: the hand in the cue
    for match in _VIOLENT_HAND.finditer(before):
        at = match.start()
        if match.group() == "我" and at > 0 and (before[at - 1] in _OBJECT_BEFORE or before[at - 1] == "着"):
            continue
        return True
    return False


def quoted_insults(text: str) -> list[tuple[int, int]]:
    """Words someone else shouted at the customer, quoted after 骂, 吼, 威胁 (指着我骂, not 我骂)."""
    return [(m.start(1), m.end(1)) for m in _QUOTED_INSULT.finditer(text)]


def title(text: str, start: int, cue: str, title_acts: frozenset[str]) -> bool:
    """A generic act (申诉, 举报) opening the text's first sentence: the complaint being filed."""
    if cue not in title_acts or start > 6:
        return False
    return not any(ch in _SENTENCE_BREAKS for ch in text[:start])


def read_before(text: str, start: int, reads: tuple[str, ...]) -> bool:
    """看到日报报道了…: the press named right after a reading verb is a story the customer read, not one they
    took to it (``voice.came`` reads only the words after the name, so 报道了 alone would make it one)."""
    before = text[_clause_start(text, start, AGENT_WINDOW, _CLAUSE_BREAKS) : start].rstrip("、和跟与及在上里的")
    return bool(reads) and before.endswith(reads)


def dropped(text: str, start: int) -> bool:
    """An intention the customer had and let go (本来想请律师, 想过找媒体爆料，但…), in the same sentence."""
    before = text[_clause_start(text, start, 40, _SENTENCE_BREAKS) : start]
    ends = [m.end() for m in _DROPPED.finditer(before)]
    return bool(ends) and not _TURN.search(before[ends[-1] :])


def unwilling(text: str, start: int) -> bool:
    """我不想闹到消协去: an act the customer does not want, unless a 但 or 只能 follows in the sentence
    (我不想去12345投诉，但你们逼我的)."""
    before = text[_clause_start(text, start, 12, _CLAUSE_BREAKS) : start]
    if not _UNWILLING.search(before):
        return False
    return not _BUT.search(text[start : _clause_end(text, start, _SENTENCE_BREAKS)])


def asked(text: str, start: int) -> bool:
    """请问可以跟消保官申诉吗, 能不能投诉到12345？: asking whether one may, in a question, is not yet a threat."""
    before = text[_clause_start(text, start, 20, _CLAUSE_BREAKS) : start]
    if not _MAY_I.search(before):
        return False
    end = _clause_end(text, start, _CLAUSE_BREAKS)
    return text[end : end + 1] in ("？", "?") or text[end - 1 : end] in ("吗", "呢")


def done(text: str, start: int, markers: tuple[str, ...]) -> bool:
    """我已经向消协投诉了, 录音已经交给杂志社的记者了: a marker of a step already taken (``lists.done``) earlier in the
    cue's clause — the threat is something the customer has done, not only said they might do."""
    before = text[_clause_start(text, start, AGENT_WINDOW, _CLAUSE_BREAKS) : start]
    return contains_any(before, markers)


@lru_cache(maxsize=4)
def _body_pattern(suffixes: tuple[str, ...], acts: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(sorted((re.escape(s) for s in suffixes), key=len, reverse=True))
    act = "|".join(sorted((re.escape(a) for a in acts), key=len, reverse=True))
    stop = "，,。！？!?；;：:\n"
    return re.compile(
        rf"(?:向|到|去|跟|找|给)(?:[^{stop}]{{0,8}}?)(?:{body})(?:[^{stop}]{{0,6}}?)(?:{act})"
    )


def body_complaints(text: str, suffixes: tuple[str, ...], acts: tuple[str, ...], weight: float = 1.0) -> list[Hit]:
    """向台北市政府提出消费申诉, 去金融监管局投诉: an address word, a public body, a complaint act."""
    if not suffixes or not acts:
        return []
    return [
        Hit("threat", "regulator", m.start(), m.end(), weight, m.group())
        for m in _body_pattern(suffixes, acts).finditer(text)
    ]


def customers_threats(text: str, hits: list[Hit], lists: Mapping[str, tuple[str, ...]]) -> list[Hit]:
    """The threat hits that are the customer's own acts, with the body-and-act regulator complaints added
    (``lists``: ``threats.yaml``'s lists: negators, title_acts, body_suffixes, complaint_acts)."""
    negators = lists.get("negators", ())
    found = list(hits)
    for hit in body_complaints(text, lists.get("body_suffixes", ()), lists.get("complaint_acts", ())):
        if not negated(text, hit.start, negators) and not voice.reported(text, hit.start):
            found.append(hit)
    insults = quoted_insults(text)
    titles = frozenset(lists.get("title_acts", ()))
    reads = lists.get("reads", ())

    def kept(hit: Hit) -> bool:
        if any(s <= hit.start < e for s, e in insults):
            return False
        if hit.label == "violence" and not customers_violence(text, hit.start, hit.cue):
            return False
        if hit.label == "media" and read_before(text, hit.start, reads):
            return False
        return not (
            by_someone_else(text, hit.start) or title(text, hit.start, hit.cue, titles)
            or dropped(text, hit.start) or unwilling(text, hit.start) or asked(text, hit.start)
        )

    return sorted((h for h in found if kept(h)), key=lambda h: (h.start, h.end))
