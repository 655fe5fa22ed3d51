"""Train the 禁语 style model (complaintdesk.quality.style) on the tune parts only, and calibrate its threshold.

    PYTHONPATH=src python scripts/quality_eval/train_style.py [--dev] [--write]

Banned: the bank's tune-part phrases and our rewordings of them (the bank's ``variants``). Courteous: every
clause and pair of adjacent clauses of the courteous lines' tune part and of the good replies of the tune
pairs. The threshold is cross-fitted: in each of K folds the model is fitted without a fifth of the
courteous lines (and a fifth of the banned phrases, each with its rewordings), the held-out lines are
scored, and the threshold is the highest held-out courteous score plus a margin. The held-out banned phrases
give the honest estimate printed: how many phrases the model (and the bigram index) catch that they never
saw. ``--dev`` (how the shipped model was trained since the sixth round) also learns from our development lines —
probes and the held-out sets' development halves as banned, hard courteous lines, those halves' polite lines and the
rubric's suggested wordings as courteous — which are never scored for the thresholds. ``--write`` writes
quality/data/banned_style.json (a model: JSON, read in milliseconds). The frozen test parts and the held-out check
halves (r5, r6) are never read.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from complaintdesk.quality.bank import Bank, load_bank  # noqa: E402
from complaintdesk.quality.banned import Matcher, _windows, canonical_map  # noqa: E402
from complaintdesk.quality.style import StyleModel, grams  # noqa: E402
from complaintdesk.quality.transcript import normalize  # noqa: E402

K = 5
C = 4.0  # inverse regularisation of the logistic regression
MARGIN = 0.02  # above the highest held-out courteous score
# the model's own threshold, at which it quotes a window alone (``similarity.style_alone`` in the bank): a window near
# no tune phrase needs a wider margin over the highest held-out courteous score than the joint rule's
ALONE_MARGIN = 0.03
PRUNE = 0.2  # n-grams with a smaller |weight| are left out of the model
MIN_DF = 1  # an n-gram must occur in two training texts to be a feature
# The joint rule (how the shipped bank uses the model): a clause at least this similar to a tune phrase, below the
# bigram index's own threshold, and scoring at least the joint style threshold. The style threshold is the highest
# held-out courteous score among windows that close, plus the margin, and never below the floor; the floor was
# chosen on our hard courteous probes (scripts/quality_eval/hard_courteous.txt), where a lower one flags more.
JOINT_SIMILARITY = 0.28
JOINT_STYLE_FLOOR = 0.8
OUT = ROOT / "src" / "complaintdesk" / "quality" / "data" / "banned_style.json"


def probe_lines(name: str) -> list[tuple[str, str]]:
    """("family" or "x", line) of a probe file beside this script, comments aside."""
    raw = (Path(__file__).resolve().parent / name).read_text(encoding="utf-8").splitlines()
    kept = [line.strip() for line in raw if line.strip() and not line.startswith("#")]
    return [(tag, text) for tag, _, text in (line.partition(" ") for line in kept)]


# the held-out sets and which of their halves are development material (the others' check halves are never read here)
DEV_HALVES = {"heldout_r4.txt": ("dev", "check"), "heldout_r5.txt": ("dev",), "heldout_r6.txt": ("dev",),
              "heldout_r7.txt": ("dev",)}


def development_lines() -> tuple[list[str], list[str]]:
    """(rude, polite) lines we wrote for development: probes.txt and hard_courteous.txt, the rubric's suggested
    wordings, and the development halves of the held-out sets (tune.half_of decides a line's half)."""
    from tune import half_of

    from complaintdesk.quality import forbidden_phrases

    rude = [text for tag, text in probe_lines("probes.txt") if tag != "x"]
    polite = [text for _, text in probe_lines("hard_courteous.txt")]
    # the rubric's own suggested wordings (what to say instead of a forbidden phrase or of a family's phrases)
    polite += [p.instead for p in forbidden_phrases() if p.instead]
    polite += [f.instead for f in load_bank().families.values() if f.instead]
    for name, halves in DEV_HALVES.items():
        for tag, text in probe_lines(name):
            if tag.startswith("#") or half_of(text) not in halves:
                continue
            (polite if tag == "x" else rude).append(text)
    return rude, polite


def rows(name: str) -> list[dict[str, object]]:
    path = ROOT / "eval" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def windows(text: str) -> list[str]:
    norm = normalize(text)
    clauses, pairs = _windows(norm)
    return [w for w in (canonical_map(norm[a:b])[0] for a, b in (*clauses, *pairs)) if w]


def fit(banned: list[str], courteous: list[str], c: float = C, min_df: int = MIN_DF, prune: float = 0.0) -> StyleModel:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    texts = banned + courteous
    counts: dict[str, int] = {}
    for text in texts:
        for gram in grams(text):
            counts[gram] = counts.get(gram, 0) + 1
    vocabulary = {g: i for i, g in enumerate(sorted(g for g, n in counts.items() if n >= min_df))}
    # smoothed idf, as scikit-learn's TfidfVectorizer: rare n-grams say more
    idf = {g: math.log((1 + len(texts)) / (1 + counts[g])) + 1 for g in vocabulary}
    data, indices, indptr = [], [], [0]
    for text in texts:
        present = sorted((vocabulary[g], idf[g]) for g in grams(text) if g in vocabulary)
        norm = math.sqrt(sum(v * v for _, v in present)) or 1.0
        data.extend(v / norm for _, v in present)
        indices.extend(i for i, _ in present)
        indptr.append(len(indices))
    matrix = csr_matrix((data, indices, indptr), shape=(len(texts), len(vocabulary)))
    labels = [1] * len(banned) + [0] * len(courteous)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(matrix, labels)
    # n-grams whose weight is below ``prune`` are left out of the shipped model (they barely move a score; the
    # calibration is made on pruned models too, as every fold's model is pruned the same way)
    weights = {g: (round(float(model.coef_[0][i]), 4), round(idf[g], 4)) for g, i in vocabulary.items()
               if abs(model.coef_[0][i]) >= prune}
    return StyleModel(weights, float(model.intercept_[0]), 0.99)


def best(model: StyleModel, text: str) -> float:
    return max((model.score(w) for w in windows(text)), default=0.0)


def scored(model: StyleModel, index: Matcher, text: str) -> list[tuple[float, float]]:
    """(bigram similarity, style score) of each window of ``text``, as the matcher reads them (a window the
    index finds nothing near, or that performs a courteous act, has no style score)."""
    out = []
    for window in windows(text):
        similarity, entry = index.similar(window)
        out.append((similarity, model.score(window) if entry is not None else 0.0))
    return out


def joint_hit(pairs: list[tuple[float, float]], threshold: float, joint: tuple[float, float]) -> bool:
    return any(sim >= threshold or (sim >= joint[0] and style >= joint[1]) for sim, style in pairs)


def without(bank: Bank, held: set[str]) -> Bank:
    return replace(bank, entries=tuple(e for e in bank.entries if e.canon not in held),
                   variants=tuple(v for v in bank.variants if v[1].canon not in held))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--joint-similarity", type=float, default=JOINT_SIMILARITY,
                        help="the joint rule's similarity gate (its style threshold is calibrated for windows this near)")
    parser.add_argument("--probes", action="store_true",
                        help="also learn from our development probes (probes.txt) on the banned side")
    parser.add_argument("-C", type=float, default=C, help="inverse regularisation of the logistic regression")
    parser.add_argument("--min-df", type=int, default=MIN_DF, help="training texts an n-gram must occur in to be a feature")
    parser.add_argument("--prune", type=float, default=PRUNE, help="leave out n-grams whose |weight| is below this")
    parser.add_argument("--dev", action="store_true",
                        help="also learn (never calibrate) from our development lines: probes.txt and the held-out sets' "
                             "development halves (heldout_r4.txt in full, the dev halves of r5 and r6) on the banned "
                             "side, hard_courteous.txt and those halves' polite lines on the courteous side")
    parser.add_argument("--hard", action="store_true",
                        help="also learn from our hard courteous lines (hard_courteous.txt) on the courteous side, "
                             "cross-fitted and calibrated on like the tune lines")
    args = parser.parse_args()
    bank = load_bank()
    groups: dict[str, list[str]] = {e.canon: [e.canon] for e in bank.part("tune")}
    for canon, entry in bank.variants:
        groups[entry.canon].append(canon)
    phrase = {e.canon: e.phrase for e in bank.part("tune")}
    lines = [str(r["text"]) for r in rows("quality_courteous.jsonl") if r["split"] == "tune"]
    lines += [str(p["good"]) for p in rows("quality_real.jsonl") if p["split"] == "tune"]
    probes: list[str] = []
    if args.probes:
        probes = [canonical_map(normalize(text))[0] for tag, text in probe_lines("probes.txt")]
    if args.hard:
        lines += [text for _, text in probe_lines("hard_courteous.txt")]
    extra: list[str] = []  # courteous windows learnt from in every fold, never scored for the threshold
    if args.dev:
        rude, polite = development_lines()
        probes += [canonical_map(normalize(text))[0] for text in rude]
        extra = [w for text in polite for w in windows(text)]
    keys = sorted(groups)
    random.Random(21).shuffle(keys)
    held_scores: list[float] = []
    near_scores: list[float] = [0.0]  # style of held-out courteous windows at least JOINT_SIMILARITY near a phrase
    folds = []
    for k in range(K):
        held = set(keys[k::K])
        banned = [t for key in keys if key not in held for t in groups[key]] + probes
        courteous = [w for i, line in enumerate(lines) if i % K != k for w in windows(line)] + extra
        model = fit(banned, courteous, args.C, args.min_df, args.prune)
        index = Matcher(without(bank, held))
        held_scores += [best(model, line) for i, line in enumerate(lines) if i % K == k]
        near_scores += [style for i, line in enumerate(lines) if i % K == k
                        for sim, style in scored(model, index, line) if sim >= args.joint_similarity]
        folds.append((held, model, index))
    threshold = min(0.99, math.ceil(round((max(held_scores) + ALONE_MARGIN) * 100, 6)) / 100)
    joint = (args.joint_similarity, max(JOINT_STYLE_FLOOR, min(0.99, math.ceil(round((max(near_scores) + MARGIN) * 100, 6)) / 100)))
    # the held-out banned phrases, scored against the cross-fitted thresholds
    caught = {"style": 0, "index": 0, "either": 0, "index or joint": 0}
    for held, model, index in folds:
        for key in held:
            style = best(model, phrase[key]) >= threshold
            near = index.best_score(normalize(phrase[key])) >= bank.threshold
            caught["style"] += style
            caught["index"] += near
            caught["either"] += style or near
            caught["index or joint"] += joint_hit(scored(model, index, phrase[key]), bank.threshold, joint)
    total = len(keys)
    print(f"threshold (highest held-out courteous score {max(held_scores):.3f} + margin): {threshold}")
    print(f"joint rule: similarity ≥ {joint[0]} and style ≥ {joint[1]} (highest held-out courteous style that near: "
          f"{max(near_scores):.3f}; floor {JOINT_STYLE_FLOOR})")
    print("tune phrases never seen by the fallbacks, caught: "
          + ", ".join(f"{name} {n}/{total} ({n / total:.3f})" for name, n in caught.items()))
    final = fit([t for key in keys for t in groups[key]] + probes, [w for line in lines for w in windows(line)] + extra,
                args.C, args.min_df, args.prune)
    final = replace(final, threshold=threshold)
    print(f"features {len(final.weights)}; courteous tune lines at or above the threshold (in-sample): "
          f"{sum(best(final, line) >= threshold for line in lines)}/{len(lines)}")
    if args.write:
        body = {
            "about": "禁语 style model (complaintdesk.quality.style), written by scripts/quality_eval/train_style.py "
                     "--write from the tune parts only; threshold cross-fitted on the courteous side. Do not edit.",
            "threshold": threshold, "joint": {"similarity": joint[0], "style": joint[1]},
            "intercept": round(final.intercept, 4), "min_chars": final.min_chars,
            "weights": {g: list(w) for g, w in sorted(final.weights.items())},
        }
        args.out.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
