"""Whether a demand cue is the customer asking now, or a part of the story (issue 19, Session 18).

A demand is what the customer asks for. Real complaints tell a story, and the story holds the same
words without any asking in them; these checks, all on the normalised (simplified) text, drop such
hits. Which words mark each kind is data (``demands.yaml``'s lists):

- **What did not happen.** 连句道歉都没有, 从头到尾没有一个负责人出来说明, 签约时根本没人讲清楚: a demand word the
  customer says was absent (``lists.absent_before`` just before it in the clause, ``lists.absent_after`` right
  after it) states a fault, not a request.
- **Someone else's act, told.** 主管出面跟我道歉, 物业后来上门道歉, 前台先让我补差价, 保洁员找领导: the last
  person named before the cue in its clause is the company or another party (``threat_voice.by_someone_else``),
  nothing in the clause asks (``lists.requests``: 请, 要求, 希望, 必须, 应该, 把 …) and the clause tells a story
  (``lists.story``: 后来, 也, 只是, 下午 … before it, or 了/过 right after it) — the act was theirs, told;
  你们免费修好 with no such mark is a command and stays.

The story's demand words are not thrown away: they still say what the complaint is about and how the
customer feels, so the engine reads them for everything but the demands shown (``engine.STORY_DEMAND``):
no other field moves.

A question the customer reports having asked (我问客服能不能退) was read as the story too, and dropped: the
files label it no demand, but the assist engine answers such a customer's refund, and one of its frozen
scenario sets lost a must-say with it (Session 18).
"""

from __future__ import annotations

from collections.abc import Mapping

from complaintdesk.analysis import threat_voice
from complaintdesk.analysis.matching import Hit
from complaintdesk.analysis.voice import CLAUSE_BREAKS, clause_end, clause_start
from complaintdesk.analysis.wordsets import contains_any

ABSENT_WINDOW = 8
_TIES = ("的", "之前", "以前", "前")


def absent(
    text: str, start: int, end: int, before_words: tuple[str, ...], after_words: tuple[str, ...],
    turns: tuple[str, ...] = (),
) -> bool:
    """连句道歉都没有, 根本没人讲清楚: the act the cue names did not happen."""
    before = text[clause_start(text, start, ABSENT_WINDOW, CLAUSE_BREAKS) : start]
    for word in before_words:
        at = before.rfind(word)
        # 没经我同意的项目不收费, 把没做的部分退钱, 没补救之前不会付: the 没 belongs to another phrase; 没办法只好
        # 要求退款, 没回应我就要求退款: a turn or a request after it starts the customer's asking
        if at >= 0 and not any(tie in before[at:] for tie in (*_TIES, *turns)):
            return True
    after = text[end : clause_end(text, end, CLAUSE_BREAKS)]
    return after.startswith(after_words)


def told_act(text: str, start: int, end: int, requests: tuple[str, ...], story: tuple[str, ...]) -> bool:
    """主管出面跟我道歉, 物业后来上门道歉: another party's act, told, with no request in the clause."""
    if not threat_voice.by_someone_else(text, start):
        return False
    before = text[clause_start(text, start, threat_voice.AGENT_WINDOW, CLAUSE_BREAKS) : start]
    if contains_any(before, requests):
        return False
    # told, not commanded (你们免费修好): a mark of the story before it (后来, 也, 只是, 下午) or 了/过 right after it
    return contains_any(before, story) or text[end : end + 1] in ("了", "过")


def customers_demands(
    text: str, hits: list[Hit], lists: Mapping[str, tuple[str, ...]]
) -> tuple[list[Hit], list[Hit]]:
    """The demand hits that are the customer asking now, and those that are the story's (absences, other
    people's acts): the story's still say what the complaint is about, so the engine reads them for the mood,
    the cause, the types and the risk, not as demands."""
    before_words, after_words = lists.get("absent_before", ()), lists.get("absent_after", ())
    requests, story = lists.get("requests", ()), lists.get("story", ())
    turns = (*lists.get("turns", ()), *requests)

    def kept(hit: Hit) -> bool:
        if (before_words or after_words) and absent(text, hit.start, hit.end, before_words, after_words, turns):
            return False
        return not (requests and told_act(text, hit.start, hit.end, requests, story))

    asking: list[Hit] = []
    story_hits: list[Hit] = []
    for hit in hits:
        (asking if kept(hit) else story_hits).append(hit)
    return asking, story_hits
