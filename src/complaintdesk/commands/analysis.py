"""`complaintdesk analyze …` and `complaintdesk eval analysis …`: read complaints, score the reader.

Other areas add their own evaluations to the shared ``eval`` group::

    from complaintdesk.commands.analysis import eval_app
    @eval_app.command("repeat")
    def ...
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from complaintdesk.commands._output import console, print_json, read_jsonl
from complaintdesk.domain.errors import ComplaintDeskError, InvalidInput
from complaintdesk.domain.vocab import CATEGORY_LABELS_ZH

eval_app = typer.Typer(help="评测：用金标数据给各引擎打分（evaluate engines against gold sets）", no_args_is_help=True)

_LABELS_ZH = {
    "anger": "愤怒", "anxiety": "焦虑", "disappointment": "失望", "calm": "平静",
    "intimidating": "威吓型", "whiner": "发牢骚型", "silent": "沉默型", "friendly": "友好型", "negative": "否定型",
    "know_it_all": "无所不知型", "procrastinator": "拖延型", "stubborn": "固执的怪人", "nagger": "唠叨者",
    "self_important": "妄自尊大者", "boss_demander": "要找你老板",
    "refund": "退款", "exchange": "换货", "repair": "维修", "compensation": "赔偿", "apology": "道歉",
    "explanation": "解释/说法", "restore_service": "恢复服务", "escalate": "找领导/升级", "expedite": "催办/加快",
    "waive_fee": "免除费用", "discipline_staff": "处理员工", "reship": "补发", "cancel_account": "注销",
    "price_difference": "退差价/保价", "credit_record": "更正征信记录", "ship": "发货",
    "media": "媒体", "regulator": "监管部门", "lawyer": "律师/诉讼", "social_media": "网络/社交媒体",
    "violence": "暴力", "churn": "离网/不再购买",
    **CATEGORY_LABELS_ZH,
    "blames_others": "总是指责别人", "never_accepts_fault": "从不承担责任", "absolute_language": "总是/从不/必须",
    "endless_list": "还有一件事……",
}
_STYLES = {"emotion": "bold red", "demands": "bold green", "threats": "bold white on red",
           "customer_types": "bold magenta", "category": "bold cyan", "chronic": "underline yellow",
           "facts": "bold blue"}


def zh(label: str) -> str:
    return f"{_LABELS_ZH.get(label, label)} ({label})"


def get_eval_app(app: typer.Typer) -> typer.Typer:
    """The ``eval`` group on ``app``: the one already registered, or ours, registered now."""
    for group in app.registered_groups:
        if group.name == "eval" and group.typer_instance is not None:
            return group.typer_instance
    app.add_typer(eval_app, name="eval")
    return eval_app


def _parse_today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--today 不是 ISO 日期：{value!r}（例：2026-11-23）", field="today") from None


def _read_input(source: str) -> str:
    """UTF-8 text from a file or stdin; undecodable bytes become U+FFFD so binary input reads as empty."""
    if source == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    else:
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(f"文件不存在：{source}", field="file")
        data = path.read_bytes()
    return data.decode("utf-8", errors="replace")


def _highlighted(text: str, reading: dict[str, Any]) -> Text:
    rich_text = Text(text)
    spans: list[tuple[str, dict[str, Any]]] = []
    spans += [("emotion", s) for s in reading["emotion"]["evidence"]]
    spans += [("category", s) for s in reading["category"]["evidence"]]
    for key in ("customer_types", "demands", "threats"):
        spans += [(key, s) for item in reading[key] for s in item["evidence"]]
    spans += [("chronic", s) for sign in reading["chronic_complainer"]["signs"] for s in sign["evidence"]]
    spans += [("facts", s) for s in reading["facts"]["evidence"]]
    for family, span in spans:
        rich_text.stylize(_STYLES[family], span["start"], span["end"])
    return rich_text


def _quote(item: dict[str, Any]) -> str:
    return "、".join(f"“{s['text']}”" for s in item["evidence"][:3])


def show_reading(text: str, reading: dict[str, Any], out: Console = console) -> None:
    if reading["notes"]:
        for note in reading["notes"]:
            out.print(f"[yellow]注意：[/] {note}")
    emotion = reading["emotion"]
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_row("情绪 emotion", f"{zh(emotion['label'])} 强度 {emotion['intensity']:.2f}", _quote(emotion))
    for item in reading["customer_types"]:
        table.add_row("客户类型 type", f"{zh(item['type'])} {item['score']:.2f}", _quote(item))
    chronic = reading["chronic_complainer"]
    if chronic["signs"]:
        verdict = "疑似投诉成癖" if chronic["likely"] else "有迹象"
        table.add_row("投诉成癖 chronic", f"{verdict} {chronic['score']:.2f}",
                      "; ".join(f"{zh(s['sign'])} {_quote(s)}" for s in chronic["signs"]))
    for item in reading["demands"]:
        table.add_row("诉求 demand", zh(item["kind"]), _quote(item))
    for item in reading["threats"]:
        table.add_row("威胁 threat", f"[red]{zh(item['kind'])}[/]", _quote(item))
    category = reading["category"]
    table.add_row("原因 category", zh(category["label"]), _quote(category))
    facts = reading["facts"]
    shown = {k: v for k, v in facts.items() if k != "evidence" and v not in (None, [])}
    if shown:
        table.add_row("事实 facts", ", ".join(f"{k}={v}" for k, v in shown.items()), "")
    risk = reading["escalation_risk"]
    table.add_row("升级风险 risk", f"{risk['score']:.2f}", ";".join(risk["reasons"]))
    out.print(table)
    out.print()
    out.print(_highlighted(text, reading))


def _batch_lines(handle: TextIO) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(handle, start=1):
        if line.strip():
            yield number, line


def _run_batch(batch: Path, today: date | None, output: Path | None) -> None:
    from complaintdesk.analysis import analyze

    if not batch.is_file():
        raise InvalidInput(f"文件不存在：{batch}", field="batch")
    total = sum(1 for line in batch.open(encoding="utf-8", errors="replace") if line.strip())
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    progress = Progress(TextColumn("分析中 analysing"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    try:
        with progress, batch.open(encoding="utf-8", errors="replace") as handle:
            task = progress.add_task("analyse", total=total)
            for number, line in _batch_lines(handle):
                record = _batch_record(number, line, today)
                if "error" not in record:
                    record["analysis"] = analyze(record.pop("_text"), record.pop("_today")).to_dict()
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                sink.flush()
                progress.advance(task)
    finally:
        if output:
            sink.close()


def _batch_record(number: int, line: str, default_today: date | None) -> dict[str, Any]:
    """One JSONL line: {"id"?, "text", "today"?}; a bad line yields an error record, the batch goes on."""
    try:
        item = json.loads(line)
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise InvalidInput("每行须为含 text 字段的 JSON 对象", field="text")
        today = date.fromisoformat(item["today"]) if item.get("today") else default_today
        from complaintdesk.analysis import MAX_CHARS
        from complaintdesk.domain.errors import InputTooLarge

        if len(item["text"]) > MAX_CHARS:
            raise InputTooLarge(f"text 过长，上限 {MAX_CHARS} 字符", field="text")
        return {"line": number, "id": item.get("id"), "_text": item["text"], "_today": today}
    except json.JSONDecodeError as exc:
        return {"line": number, "error": {"code": "invalid_input", "message": f"不是合法 JSON: {exc.msg}",
                                          "field": "line"}}
    except ValueError:
        return {"line": number, "error": {"code": "invalid_input", "message": "today 不是 ISO 日期",
                                          "field": "today"}}
    except ComplaintDeskError as exc:
        return {"line": number, "error": exc.to_dict()}


def analyze_command(
    file: str = typer.Argument(None, help="投诉文本文件；- 表示标准输入（a text file, or - for stdin）"),
    today: str = typer.Option(None, "--today", help="相对日期的基准日，默认今天（ISO date; default: today）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON (the issue-3 contract)"),
    batch: Path = typer.Option(None, "--batch", help="JSONL 批量分析，每行 {\"text\": ...} (stream JSONL out)"),
    output: Path = typer.Option(None, "--output", "-o", help="批量结果写入文件（with --batch）"),
) -> None:
    """分析一条投诉：情绪、客户类型、诉求、威胁、原因、事实，逐项给出证据。"""
    from complaintdesk.analysis import analyze

    anchor = _parse_today(today)
    if batch is not None:
        _run_batch(batch, anchor, output)
        return
    if file is None:
        raise InvalidInput("请提供文件路径或 -（标准输入），或使用 --batch FILE.jsonl", field="file")
    text = _read_input(file)
    reading = analyze(text, anchor).to_dict()
    if as_json:
        print_json(reading)
    else:
        show_reading(text, reading)


DEFAULT_SETS = (
    "@tune",
    "@tune-reviews",
    "eval/analysis_real/test.jsonl",
    "eval/analysis_real/reviews-test.jsonl",
    "eval/analysis_dev.jsonl",
    "eval/analysis_test.jsonl",
)
_SUMMARY = (("emotion", "情绪 acc"), ("category", "类别 acc"), ("customer_types", "类型 µF1"),
            ("demands", "诉求 µF1"), ("threats", "威胁 µF1"), ("company_faults", "企业过错 µF1"))  # fmt: skip


def eval_analysis_command(
    golds: list[str] = typer.Argument(
        None, help="金标 JSONL 文件，可多个；@tune / @tune-reviews 为随包的真实语料调参集。不给则评测全部默认集"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    show: int = typer.Option(30, "--show", help="最多列出多少条分歧（disagreements to list）"),
    labels: bool = typer.Option(False, "--labels", help="列出每个标签的 P/R/F1"),
) -> None:
    """用金标数据评测分析引擎：逐字段 precision / recall / F1 与分歧；评论集给出不满度的 AUC。

    多个文件时逐个评测，最后一张总表每个集合一行（真实语料的调参集、冻结测试集、团队编写的集合分开）。"""
    from complaintdesk.analysis import analyze
    from complaintdesk.analysis.evaluate import dissatisfaction_auc, evaluate

    names = list(golds) if golds else [n for n in DEFAULT_SETS if n.startswith("@") or Path(n).is_file()]
    results: list[dict[str, Any]] = []
    for name in names:
        records = _read_set(name)
        if records and "label" in records[0] and "expect" not in records[0]:
            auc, negatives, positives = dissatisfaction_auc(records, analyze)
            results.append({"set": name, "n": len(records), "dissatisfaction_auc": round(auc, 3),
                            "negatives": negatives, "positives": positives})  # fmt: skip
            continue
        report = evaluate(records, analyze)
        # --show bounds the disagreements in JSON as on screen: --show 0 gives figures only.
        reported = report.to_dict()
        results.append({"set": name, **reported, "disagreements": reported["disagreements"][:show]})
        if not as_json and len(names) == 1:
            _print_report(name, report, show, labels)
    if as_json:
        print_json(results if len(results) > 1 else results[0])
        return
    summary = Table(title="分析引擎评测汇总（each set on its own）")
    for column in ("集合 set", "n", *(title for _, title in _SUMMARY), "不满度 AUC"):
        summary.add_column(column, justify="left" if column == "集合 set" else "right")
    for result in results:
        by_field = {f["field"]: f for f in result.get("fields", [])}
        cells = []
        for key, _ in _SUMMARY:
            f = by_field.get(key)
            cells.append("-" if f is None else _fmt(f.get("accuracy") if f["kind"] == "single" else f.get("micro_f1")))
        summary.add_row(Path(result["set"]).name, str(result["n"]), *cells, _fmt(result.get("dissatisfaction_auc")))
    console.print(summary)


def _print_report(name: str, report: Any, show: int, labels: bool) -> None:
    table = Table(title=f"分析引擎评测 {name} (n={report.n})")
    for column in ("字段 field", "n", "准确率 acc", "macro-F1", "micro-P", "micro-R", "micro-F1"):
        table.add_column(column, justify="right" if column != "字段 field" else "left")
    for field in report.fields:
        micro = field.micro if field.labels else None
        table.add_row(field.name, str(field.n), _fmt(field.accuracy),
                      _fmt(field.macro_f1 if field.labels else None), _fmt(micro.precision if micro else None),
                      _fmt(micro.recall if micro else None), _fmt(micro.f1 if micro else None))
    console.print(table)
    if labels:
        per_label = Table(title="逐标签 per label")
        for column in ("字段 field", "标签 label", "P", "R", "F1", "tp", "fp", "fn"):
            per_label.add_column(column, justify="left" if column in ("字段 field", "标签 label") else "right")
        for field in report.fields:
            for score in field.labels:
                per_label.add_row(field.name, score.label, _fmt(score.precision), _fmt(score.recall),
                                  _fmt(score.f1), str(score.tp), str(score.fp), str(score.fn))
        console.print(per_label)
    if report.disagreements and show > 0:
        console.print(f"[bold]分歧 disagreements[/]（{len(report.disagreements)}，显示前 {show} 条）")
        for item in report.disagreements[:show]:
            snippet = item.text.replace("\n", " ")[:50]
            console.print(f"  #{item.index + 1} {item.field}：期望 {item.expected} 实得 {item.got} | {snippet}",
                          highlight=False)


def _read_set(name: str) -> list[dict[str, Any]]:
    from complaintdesk.analysis import corpus

    if name == "@tune":
        return corpus.tune_complaints()
    if name == "@tune-reviews":
        return corpus.tune_reviews()
    return _read_gold(Path(name))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _read_gold(gold: Path) -> list[dict[str, Any]]:
    return read_jsonl(gold, "gold")


def register(app: typer.Typer) -> None:
    app.command("analyze", help="分析一条投诉（read one complaint, with evidence）")(analyze_command)
    group = get_eval_app(app)
    group.command("analysis", help="评测分析引擎（score the analysis engine on a gold set）")(eval_analysis_command)
