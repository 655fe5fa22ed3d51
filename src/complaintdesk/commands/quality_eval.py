"""``complaintdesk eval quality``: the quality engine on real agent language, per split.

Prints 禁语 recall on the bank's frozen test part and on paraphrases of it, false alarms on courteous
agent lines, bad < good ordering of real reply pairs, and recall by family; ``--calibrate`` prints the
similarity threshold the courteous tune lines support (to write into banned_phrases.yaml).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from complaintdesk.commands._output import console, print_json
from complaintdesk.domain.errors import InvalidInput

EVAL = Path("eval")


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise InvalidInput(f"评测文件不存在：{path}", field=str(path))
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{path} 第 {number} 行不是合法 JSON: {exc.msg}", field=f"line {number}") from None
    return rows


def _pct(rate: dict[str, Any]) -> str:
    value = rate["value"]
    return "-" if value is None else f"{value:.1%} ({rate['hits']}/{rate['total']})"


def eval_quality_command(
    folder: Path = typer.Option(EVAL, "--eval-dir", help="评测数据目录（eval/）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    calibrate_only: bool = typer.Option(False, "--calibrate", help="只打印相似度阈值的校准结果（加 --json 输出可写入禁语库的 similarity 设置）"),
    show: int = typer.Option(0, "--show", help="每项最多列出多少条漏检/排序失败（含 test 部分：只看，不据此调整）"),
) -> None:
    """用真实客服用语评测质检：禁语召回、改写召回、礼貌用语误报、好坏回复排序、按家族召回。"""
    from complaintdesk.quality.bank import load_bank
    from complaintdesk.quality.evaluate import FA_TARGET, calibration, evaluate

    courteous = _read(folder / "quality_courteous.jsonl")
    if calibrate_only:
        bank = load_bank()
        settings = calibration(courteous, bank)
        console.print(f"校准阈值（礼貌用语 tune 部分误报 ≤{FA_TARGET:.1%}）：{settings['threshold']}；当前 {bank.threshold}")
        same = settings["common_bigrams"] == dict(bank.common_bigrams)
        console.print(f"礼貌用语常用字对 {len(settings['common_bigrams'])} 个；与禁语库{'一致' if same else '不一致'}")
        if as_json:
            print_json(settings)
        return
    paraphrases = _read(folder / "quality_paraphrases.jsonl")
    if (folder / "quality_paraphrases_tune.jsonl").is_file():  # optional: paraphrases of tune-part entries
        paraphrases += _read(folder / "quality_paraphrases_tune.jsonl")
    reports = evaluate(courteous, _read(folder / "quality_real.jsonl"), paraphrases)
    data = {split: r.to_dict() for split, r in reports.items()}
    if as_json:
        # --show bounds the misses in JSON as on screen: the default, 0, gives figures only.
        print_json({split: {key: {**part, "misses": part["misses"][:show]}
                            if isinstance(part, dict) and "misses" in part else part
                            for key, part in parts.items()}
                    for split, parts in data.items()})
        return
    table = Table(title="质检评测（真实客服用语）")
    for column in ("split", "禁语召回（禁语库）", "改写召回", "礼貌用语误报", "好<坏 排序"):
        table.add_column(column, justify="left" if column == "split" else "right")
    for split, d in data.items():
        table.add_row(split, _pct(d["bank_recall"]), _pct(d["paraphrase_recall"]), _pct(d["false_alarms"]),
                      _pct(d["pair_ordering"]))
    console.print(table)
    families = Table(title="按家族召回（禁语库 / 坏回复的问题）")
    for column in ("家族", "tune 禁语库", "test 禁语库", "tune 坏回复", "test 坏回复"):
        families.add_column(column, justify="left" if column == "家族" else "right")
    names = sorted({f for d in data.values() for f in (*d["family_recall"], *d["flaw_recall"])})
    for name in names:
        cells = [_pct(data[s][k].get(name, {"value": None})) if name in data[s][k] else "-"
                 for k in ("family_recall", "flaw_recall") for s in ("tune", "test")]
        families.add_row(name, cells[0], cells[1], cells[2], cells[3])
    console.print(families)
    for split, d in data.items():
        for key, title in (("bank_recall", "漏检"), ("paraphrase_recall", "改写漏检"), ("false_alarms", "误报"),
                           ("pair_ordering", "排序失败")):
            items = d[key]["misses"] if key != "false_alarms" else []
            if items and show > 0:
                console.print(f"[bold]{split} {title}[/] ({len(items)}): " + " | ".join(items[:show]), highlight=False)


def register(app: typer.Typer) -> None:
    from complaintdesk.commands.analysis import get_eval_app

    get_eval_app(app).command("quality", help="评测质检（real agent language: recall, false alarms, pair ordering）")(
        eval_quality_command
    )
