"""One hash of everything the analysis engine says about the dev and tune texts: a change meant to make
the engine cheaper must leave it the same (compare the hash on main and on the branch).

    python benchmarks/analysis_fingerprint.py [--each] [--repeat-pairs]

Reads every text of ``eval/analysis_dev.jsonl`` and of the shipped tune corpus (complaints and reviews:
2,008 texts), each as of its record's ``today``, and a few made-up edge cases (a text past the one-line
caches' 512 characters, traditional script, a transcript, an empty and a binary one). For each it hashes
``analyze(text, today)``: its ``to_dict()`` and the ``repr`` of the dataclasses (every bit of every float), ``read_emotion`` and
``read_chronic``; ``--repeat-pairs`` adds the repeat matcher's pre-filter reading (``RepeatMatcher.match``
without the model) of every pair of ``eval/repeat_pairs.jsonl``. ``--each`` prints one hash per text, to
find the one that moved. Not a frozen split: no test text is read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

EDGE = [
    "",
    "\x00\x01\x02binary\x03\x04" * 20,
    "hello world, nothing Chinese here",
    "我們的網路三天兩頭斷線，客服答覆說要等工程師，傢俱都被師傅弄髒了，我要求退款並賠償，不然就找消委會！",
    "坐席:您好,请问有什么可以帮您?\n客户:我的宽带又断了,你们必须今天修好!\n坐席:非常抱歉给您带来不便。\n客户:不是要道歉,我要退钱!",
    "客服说\"这不归我们管\",我就想问问到底归谁管?我已经打了五次电话了,每次都推来推去。",
]


# the held-out tune files (corpus.HELD_OUT_PARTS), by id so the script also runs on heads that predate the name
HELD_OUT_IDS = ("tn-", "to-", "tp-")


def _texts() -> list[tuple[str, date | None]]:
    sys.path.insert(0, str(ROOT / "src"))
    from complaintdesk.analysis import corpus

    records: list[dict[str, Any]] = [
        json.loads(line) for line in (ROOT / "eval" / "analysis_dev.jsonl").read_text("utf-8").splitlines() if line.strip()
    ]
    records += [r for r in corpus.tune_complaints() if not str(r.get("id", "")).startswith(HELD_OUT_IDS)] + corpus.tune_reviews()
    out = [(str(r["text"]), date.fromisoformat(r["today"]) if r.get("today") else None) for r in records]
    long_text = "".join(text for text, _ in out[:12])  # past the one-line caches' 512 characters
    out += [(text, date(2024, 9, 1)) for text in [*EDGE, long_text, long_text[:511], long_text * 3]]
    return out


def _canonical(value: object) -> object:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _reading(text: str, today: date | None) -> str:
    from complaintdesk.analysis import analyze, read_chronic, read_emotion

    reading = analyze(text, today)
    body = {
        "analysis": _canonical(reading.to_dict()),
        "exact": repr(reading),  # the dataclasses themselves: to_dict rounds, repr keeps every bit
        "emotion": _canonical(list(read_emotion(text))),
        "chronic": read_chronic(text),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def _repeat_readings() -> list[str]:
    from complaintdesk.analysis.similarity import RepeatMatcher

    matcher = RepeatMatcher(use_embeddings=False)
    out = []
    for line in (ROOT / "eval" / "repeat_pairs.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            pair = json.loads(line)
            found = matcher.match(pair["a"], [("b", pair["b"]), ("a", pair["a"])])
            out.append(json.dumps(_canonical([m.to_dict() for m in found]), ensure_ascii=False, sort_keys=True))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--each", action="store_true", help="one hash per text")
    parser.add_argument("--repeat-pairs", action="store_true", help="the repeat pre-filter's readings too")
    args = parser.parse_args()
    whole = hashlib.sha256()
    texts = _texts()
    for number, (text, today) in enumerate(texts):
        one = _reading(text, today).encode()
        whole.update(one)
        if args.each:
            print(number, hashlib.sha256(one).hexdigest()[:16], text[:30].replace("\n", " "))
    if args.repeat_pairs:
        for one_pair in _repeat_readings():
            whole.update(one_pair.encode())
    print(f"{len(texts)} texts: {whole.hexdigest()}")


if __name__ == "__main__":
    main()
