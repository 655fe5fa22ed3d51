"""The second similarity fallback: a linear model of how banned phrases are worded, over character 1–3-grams
of a clause's normal form.

It is used in one of two ways (``similarity.style_alone`` in the bank): alone, a clause scoring at least the
model's ``threshold`` is a match; or jointly (the shipped way), a clause is a match only when it is both near
a tune phrase (bigram similarity at least ``joint[0]``, below the index's own threshold) and worded as banned
phrases are (score at least ``joint[1]``). Courteous lines that share a few words with a banned phrase are
rarely also worded like one, so the joint rule quotes clauses neither test alone would.

The bigram index (``banned.Matcher.similar``) finds a clause close to one tune-part phrase. Banned phrases
that share no words with any phrase of the bank still share their manner — 你怎么还…, …去, 别…, 就是…,
rhetorical 吗 — and this model scores that manner. It is trained by ``scripts/quality_eval/train_style.py``
on the bank's tune part and our rewordings of it (banned) against the courteous lines' tune part and the
good replies of the tune pairs (courteous); its threshold is the highest score any courteous line reached
when the model was fitted without it (cross-fitted), so on the lines it was calibrated on it fires on none.
The frozen test parts are never read. Shipped as data: ``quality/data/banned_style.json``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from complaintdesk.domain.errors import ConfigurationError

NGRAMS = (1, 2, 3)


def grams(canon: str) -> set[str]:
    """The distinct character 1–3-grams of a normal form (punctuation is already gone)."""
    return {canon[i:i + n] for n in NGRAMS for i in range(len(canon) - n + 1)}


@dataclass(frozen=True, eq=False)
class StyleModel:
    weights: Mapping[str, tuple[float, float]]  # n-gram → (weight, idf); every n-gram of the vocabulary
    intercept: float
    threshold: float  # probability at or above which a clause is worded as a banned phrase
    min_chars: int = 3  # shorter clauses ("好", "嗯") are left to the patterns
    # (similarity, style): the joint rule, a clause both this close to a tune phrase (below the bigram index's
    # own threshold) and worded this much as banned phrases are; None when the model file has none
    joint: tuple[float, float] | None = None

    def score(self, canon: str) -> float:
        """Probability that a clause (in normal form) is worded as a banned phrase: the vocabulary's n-grams
        present, each valued by its idf and the whole scaled to unit length, through the logistic function."""
        if len(canon) < self.min_chars:
            return 0.0
        present = [self.weights[g] for g in grams(canon) if g in self.weights]
        norm = math.sqrt(sum(idf * idf for _, idf in present))
        z = self.intercept + (sum(w * idf for w, idf in present) / norm if norm else 0.0)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def parse_style(data: Any, source: str) -> StyleModel:
    """A style model from its YAML; a broken file is a ConfigurationError naming the field."""
    def fail(field: str, problem: str) -> ConfigurationError:
        return ConfigurationError(f"禁语措辞模型 {source}：字段 {field} {problem}", field=field)

    if not isinstance(data, dict):
        raise fail("（文件）", "必须是映射")
    weights = data.get("weights")
    if not isinstance(weights, dict) or not weights or not all(
        isinstance(g, str) and 1 <= len(g) <= max(NGRAMS) and isinstance(w, list) and len(w) == 2
        and all(isinstance(x, int | float) for x in w) and w[1] > 0 for g, w in weights.items()
    ):
        raise fail("weights", "必须是 字符n元组: [权重, idf] 的非空映射")
    intercept, threshold = data.get("intercept"), data.get("threshold")
    if not isinstance(intercept, int | float):
        raise fail("intercept", "必须是数")
    if not isinstance(threshold, int | float) or not 0.5 <= threshold < 1:
        raise fail("threshold", "必须是 0.5 到 1 之间的数")
    min_chars = data.get("min_chars", 3)
    if not isinstance(min_chars, int) or min_chars < 1:
        raise fail("min_chars", "必须是正整数")
    joint = data.get("joint")
    if joint is not None and not (
        isinstance(joint, dict) and set(joint) == {"similarity", "style"}
        and all(isinstance(joint[k], int | float) and 0 < joint[k] < 1 for k in joint)
    ):
        raise fail("joint", "必须是 {similarity: 0 到 1 之间的数, style: 0 到 1 之间的数}")
    return StyleModel(
        {str(g): (float(w[0]), float(w[1])) for g, w in weights.items()}, float(intercept), float(threshold), min_chars,
        (float(joint["similarity"]), float(joint["style"])) if joint is not None else None,
    )
