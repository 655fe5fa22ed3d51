"""What a free-text proposal promises the customer: money, a refund, an exchange — read from the words.

The structured offer (kind and amount) is what the authority table checks; this is the second line
of defence for the text stored beside it, so that "赔偿5000元" typed into the proposal box cannot slip
past a check the structured offer would fail. Each finding keeps its span as evidence.

The reading, clause by clause (a clause ends at 。,;!? and their ASCII forms or a line break):
* a promise word (赔偿, 退还, 换机, 赠送, 减免 … and their English forms) names the kind; a word with a
  negation before it in its clause (不符合换机条件) promises nothing;
* an amount (Arabic or Chinese numerals with 元/块/圆/yuan, a ¥ sign, or a number ending in 万) belongs
  to the nearest promise word before it in its clause (else the first after it); an amount in a clause
  without a promise word describes a price, not a promise (宽带包月60元);
* a refund, compensation or exchange word with no amount in its clause is a promise of unknown value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from complaintdesk.analysis.numbers import NUMBER, parse_number

# Longer words first: the regex alternation takes the first that matches at a position.
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # 更换 alone is left out: 更换主板 is a repair, not an exchange of the product.
    ("exchange", ("换货", "换机", "换新", "调换", "全新机", "换一台", "换台", "exchange", "replace")),
    ("refund", ("退款", "退还", "退费", "退回", "返还", "退钱", "退机", "退货", "退", "refund")),
    ("compensation", ("赔偿", "补偿", "赔付", "赔", "补贴", "给您", "给你", "支付", "打款", "转账", "现金",
                      "红包", "compensat", "pay")),
    ("gift", ("赠送", "加赠", "送", "购物券", "代金券", "优惠券", "gift", "voucher", "coupon")),
    ("waive_fee", ("减免", "免收", "免除", "免去", "waive")),
)
# Kinds whose promise without an amount cannot be checked: the structured offer must say how much.
NEEDS_AMOUNT = frozenset({"exchange", "refund", "compensation"})
_WORD_KIND = {word.lower(): kind for kind, words in _KIND_WORDS for word in words}
_WORDS = re.compile("|".join(re.escape(w) for w in sorted(_WORD_KIND, key=len, reverse=True)), re.IGNORECASE)
_NEGATION = re.compile(r"不|没有|没|无法|未|非|拒绝|no |not ", re.IGNORECASE)
_AMOUNT = re.compile(
    rf"[¥￥]\s*(?P<a>{NUMBER})"
    rf"|(?P<b>{NUMBER})\s*(?:元|块钱|块|圆|yuan|rmb|RMB|CNY)"
    rf"|(?P<c>(?:\d[\d,]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)万[一二两三四五六七八九]?)",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[^。,，;；!！?？\n]+")


@dataclass(frozen=True)
class TextPromise:
    kind: str  # a column of the authority table: compensation, gift, waive_fee, refund, exchange
    amount: float | None  # yuan; None when the clause names no amount
    evidence: str  # the clause's words that say it

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "amount": self.amount, "evidence": self.evidence}


def _words(clause: str) -> list[tuple[int, str]]:
    found = []
    for m in _WORDS.finditer(clause):
        if _NEGATION.search(clause[: m.start()]):
            continue
        found.append((m.start(), _WORD_KIND[m.group(0).lower()]))
    return found


def promises_in(text: str) -> list[TextPromise]:
    """Every promise of money, a refund, an exchange, a gift or a waived fee the text makes."""
    found: list[TextPromise] = []
    for clause_match in _CLAUSE.finditer(text or ""):
        clause = clause_match.group(0)
        words = _words(clause)
        if not words:
            continue
        priced: set[str] = set()
        for m in _AMOUNT.finditer(clause):
            value = parse_number(m.group("a") or m.group("b") or m.group("c") or "")
            if value is None or value <= 0:
                continue
            before = [kind for pos, kind in words if pos < m.start()]
            kind = before[-1] if before else words[0][1]
            priced.add(kind)
            found.append(TextPromise(kind, value, clause.strip()))
        for kind in dict.fromkeys(k for _, k in words):
            if kind not in priced and kind in NEEDS_AMOUNT:
                found.append(TextPromise(kind, None, clause.strip()))
    return found
