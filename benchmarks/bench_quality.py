"""Quality-inspection throughput, against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_quality.py [--calls 400] [--batch-calls 800]

Prints (1) transcripts per second of ``complaintdesk.quality.inspect`` beside raw jieba segmentation of
the same text (the cheapest thing any Chinese text pipeline does), with and without the analysis engine,
measured in alternating rounds so that the load of a shared machine weighs on both sides alike;
every agent line goes through the banned-phrase bank (family patterns and the bigram similarity
fallback), and (2) batch throughput with 1 and 2 worker processes and their ratio (ideal: the number of
workers).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from complaintdesk.quality import inspect  # noqa: E402
from complaintdesk.quality.batch import run_batch  # noqa: E402

FIXTURES = ROOT / "tests" / "unit" / "quality" / "fixtures"
ROUNDS = 10  # the single-process figures alternate jieba and inspect this many times
EXTRA_AGENT = [
    "我马上为您查询,请您稍等。", "这是公司规定,请您谅解。", "给您带来不便,真是非常抱歉。",
    "您可以重启一下光猫试试。", "明天上午我会回电跟进处理进度。", "我理解您的心情,但是系统就是这样。",
    "这个跟我们没关系,谁卖给你的你找谁。", "打这么多次电话也没用。", "您稍后留意短信就可以了。",
]
EXTRA_CUSTOMER = ["我不同意!", "你们这是什么态度?", "好的,谢谢。", "我已经等了三天了,太过分了!", "那要多久?"]


def make_calls(count: int, seed: int = 7) -> list[str]:
    """Distinct calls built from the seed fixtures (distinct so no cache flatters the figures)."""
    rng = random.Random(seed)
    bases = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    calls = []
    for i in range(count):
        lines = [bases[i % len(bases)].rstrip("\n")]
        for turn in range(rng.randint(2, 8)):
            lines.append(f"客户: {rng.choice(EXTRA_CUSTOMER)}(工单{i}-{turn})")
            lines.append(f"客服: {rng.choice(EXTRA_AGENT)}编号{i}-{turn}。")
        calls.append("\n".join(lines))
    return calls


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def bench_single(calls: list[str], use_analysis: bool) -> float:
    start = time.perf_counter()
    for text in calls:
        inspect(text, use_analysis=use_analysis)
    return rate(len(calls), time.perf_counter() - start)


def bench_jieba(calls: list[str]) -> float:
    import jieba

    start = time.perf_counter()
    for text in calls:
        jieba.lcut(text)
    return rate(len(calls), time.perf_counter() - start)


def bench_batch(calls: list[str], workers: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "calls.jsonl"
        source.write_text(
            "\n".join(json.dumps({"id": i, "agent": str(i % 5), "text": t}, ensure_ascii=False)
                      for i, t in enumerate(calls)) + "\n",
            encoding="utf-8",
        )
        with (Path(tmp) / "out.jsonl").open("w", encoding="utf-8") as out:
            start = time.perf_counter()
            run_batch(source, out, workers=workers)
            return rate(len(calls), time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--batch-calls", type=int, default=2000)
    args = parser.parse_args()

    import jieba

    jieba.initialize()
    inspect("客户: 我要投诉!\n客服: 您好")  # load rubric, OpenCC and (if present) the analysis engine
    warm = make_calls(20, seed=1)
    bench_single(warm, True)
    bench_jieba(warm)

    calls = make_calls(args.calls)
    chars = sum(len(c) for c in calls) / len(calls)
    # interleaved in rounds, so a change of machine load in the run weighs on the baseline and on inspect alike
    analysed, cued = make_calls(args.calls, seed=11), make_calls(args.calls, seed=12)
    seconds = {"jieba": 0.0, "analysis": 0.0, "cues": 0.0}
    rounds = max(1, min(ROUNDS, len(calls)))
    for r in range(rounds):
        part = slice(r * len(calls) // rounds, (r + 1) * len(calls) // rounds)
        seconds["jieba"] += len(calls[part]) / bench_jieba(calls[part])
        seconds["analysis"] += len(analysed[part]) / bench_single(analysed[part], True)
        seconds["cues"] += len(cued[part]) / bench_single(cued[part], False)
    jieba_rate, with_analysis, cues_only = (rate(len(calls), seconds[k]) for k in ("jieba", "analysis", "cues"))
    print(f"calls: {len(calls)}, mean {chars:.0f} characters; cores: {os.cpu_count()}")
    print(f"jieba.lcut baseline          : {jieba_rate:8.1f} transcripts/s")
    print(f"inspect (analysis + cues)    : {with_analysis:8.1f} transcripts/s  "
          f"= {with_analysis / jieba_rate:.2f} × jieba")
    print(f"inspect (rubric cues only)   : {cues_only:8.1f} transcripts/s  = {cues_only / jieba_rate:.2f} × jieba")

    batch_calls = make_calls(args.batch_calls, seed=21)
    one = bench_batch(batch_calls, 1)
    two = bench_batch(batch_calls, 2)
    print(f"batch, 1 worker              : {one:8.1f} transcripts/s")
    print(f"batch, 2 workers             : {two:8.1f} transcripts/s  = {two / one:.2f} × 1 worker (ideal 2.00)")


if __name__ == "__main__":
    main()
