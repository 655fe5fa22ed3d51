"""`complaintdesk assist`: next best actions and a reply draft for a complaint text or a stored complaint."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from complaintdesk.commands._output import console, print_json, read_jsonl
from complaintdesk.domain.errors import InputTooLarge, InvalidInput
from complaintdesk.domain.json_input import parse_json

MAX_FILE_BYTES = 1_000_000
STYLE_ZH = {"full": "完全致歉（承认错误）", "non_admission": "致歉但不承认企业有错", "none": "不致歉（投诉成癖者）"}
ESCALATE_ZH = {"team_lead": "班组长", "manager": "投诉部经理", "head_office": "总部", None: "不需要升级"}


def _read(path: Path, field: str) -> str:
    try:
        raw = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"文件不存在：{path}", field=field) from None
    except OSError as exc:
        raise InvalidInput(f"无法读取 {path}: {exc.strerror}", field=field) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputTooLarge(f"{field} 文件过大（{len(raw)} 字节，上限 {MAX_FILE_BYTES}）", field=field)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} 不是 UTF-8 文本", field=field) from None


def _facts(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    text = _read(path, "facts")
    data = parse_json(text, "facts", label=str(path))
    if not isinstance(data, dict):
        raise InvalidInput(f"{path} 的顶层必须是 JSON 对象", field="facts")
    return data


def _date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} 不是有效日期（应为 YYYY-MM-DD）：{value!r}", field=field) from None


def _datetime(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} 不是 ISO 时间（例：2026-11-24T18:00:00+08:00）：{value!r}", field=field) from None


def _stored(number: str) -> dict[str, Any]:
    from complaintdesk.commands._context import desk
    from complaintdesk.services import casework

    return casework.advise_for(desk().uow(), number).to_dict()


def _show(d: dict[str, Any]) -> None:
    console.print(f"[bold]阶段[/] {d['stage']}  [bold]技巧[/] {d['technique_detail']['label']}"
                  f"({d['technique']}):{escape(d['technique_detail']['why'])}", highlight=False)
    apology = d["apology"]
    console.print(f"[bold]致歉[/] {STYLE_ZH.get(apology['style'], apology['style'])}:{escape(apology['why'])}",
                  highlight=False)
    esc = d["escalate"]
    console.print(f"[bold]升级[/] {ESCALATE_ZH.get(esc['to'], esc['to'])}（优先级 {esc['priority']}）："
                  f"{escape(esc['why'])}", highlight=False)
    console.print("[bold]下一步[/]")
    for i, a in enumerate(d["next_actions"], start=1):
        console.print(f"  {i}. {escape(a['action'])}\n     [dim]为什么：{escape(a['why'])}({escape(a['source'])})[/]",
                      highlight=False)
    if d["questions"]:
        console.print("[bold]需要问清[/] " + escape(" ".join(d["questions"])), highlight=False)
    if d["expectation"]:
        console.print(f"[bold]承诺[/] {escape(d['expectation']['promise'])}", highlight=False)
    console.print("[bold]回复草稿[/]")
    console.print(d["reply_draft"], markup=False, highlight=False)
    console.print("[bold]避免[/]")
    for a in d["avoid"]:
        console.print(f"  - {escape(a['phrase_or_behaviour'])}:[dim]{escape(a['why'])}[/]", highlight=False)
    for note in d.get("notes", []):
        console.print(f"[yellow]注意[/] {escape(note)}", highlight=False)


def assist_command(
    number: str | None = typer.Argument(None, help="已登记的投诉单号（如 TS-…）；不给则用 --text"),
    text: Path | None = typer.Option(None, "--text", help="投诉内容文本文件（UTF-8;- 表示标准输入）"),
    stage: str | None = typer.Option(None, "--stage", help="当前阶段：accepted/calming/clarifying/proposing/"
                                     "acting/thanking/follow_up/closed/reopened"),
    facts: Path | None = typer.Option(None, "--facts", help="事实 JSON 文件（与 policy check 相同格式）"),
    today: str | None = typer.Option(None, "--today", help="以哪天为今天（YYYY-MM-DD）"),
    now: str | None = typer.Option(None, "--now", help="当前时间（ISO 8601），用于算出承诺的截止时间"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """给坐席的处理建议：下一步做什么、用哪种致歉和技巧、承诺多久、是否升级，以及可编辑的回复草稿。"""
    if number is not None:
        data = _stored(number)
    else:
        if text is None and facts is None:
            raise InvalidInput("请用 --text 提供投诉内容（或用 --facts 提供事实），或给出投诉单号", field="text")
        from complaintdesk.assist import advise

        content = _read(text, "text") if text is not None else None
        data = advise(None, stage=stage, text=content, facts=_facts(facts), now=_datetime(now, "now"),
                      today=_date(today, "today")).to_dict()
    if as_json:
        print_json(data)
    else:
        _show(data)




def _scenarios(path: Path) -> list[Any]:
    from complaintdesk.assist.evaluate import parse_scenario

    return [parse_scenario(record, f"第 {number} 条") for number, record in enumerate(read_jsonl(path, "file"), start=1)]


def _advise_scenario(sc: Any) -> Any:
    from complaintdesk.assist import advise

    text = "\n".join([sc.text, *sc.messages])
    return advise(None, None, sc.stage, text=text, facts=sc.facts, now=sc.now, channel=sc.channel)


def eval_assist_command(
    file: Path = typer.Argument(Path("eval/assist_real.jsonl"), help="场景 JSONL（默认 eval/assist_real.jsonl）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    show: int = typer.Option(20, "--show", help="每个集合最多列出多少条失败"),
    split: str = typer.Option("", "--split", help="只评测一个集合（tune 或 test）：调参时只看 tune 的失败"),
    cues_only: bool = typer.Option(False, "--cues-only", help="分析引擎只用线索扫描（不用学习层）：语料场景的文本"
                                   "在学习层的训练语料里，这样得到的是未见过文本时的数字"),
) -> None:
    """评测回复草稿：致歉方式准确率、必须说到的要点比例、不该说的话（含质检禁语、半角标点、代码）次数，按 tune/test 分开。"""
    from rich.table import Table

    from complaintdesk.analysis import learned
    from complaintdesk.assist.evaluate import run
    from complaintdesk.quality import check_text

    if split not in ("", "tune", "test"):
        raise InvalidInput("--split 应为 tune 或 test", field="split")
    scenarios = [s for s in _scenarios(file) if not split or s.split == split]
    if cues_only:
        learned.disable()
    try:
        scores = run(scenarios, _advise_scenario, check_text)
    finally:
        if cues_only:
            learned.use(None)
    if as_json:
        # --show bounds the failures in JSON as on the table: --show 0 prints figures only (a frozen split's items stay unseen).
        rows = [{**d, "failures": d["failures"][:show]}
                for d in (s.to_dict() for s in scores.values() if not split or s.name == split)]
        print_json(rows)
        return
    table = Table(title=f"回复草稿评测 {file}" + (" （仅线索扫描）" if cues_only else ""))
    for column in ("集合 split", "n", "致歉方式 acc", "升级 acc", "必说要点", "不该说（次）"):
        table.add_column(column, justify="left" if column == "集合 split" else "right")
    shown = [s for s in scores.values() if not split or s.name == split]
    for s in shown:
        d = s.to_dict()
        table.add_row(s.name, str(s.n), *(("-" if d[k] is None else f"{d[k]:.3f}") for k in
                      ("apology_style_accuracy", "escalation_accuracy", "must_say_rate")),
                      str(d["must_not_say_violations"]))
    console.print(table)
    for s in shown:
        for o in s.failures[:show]:
            head = f"[{s.name}] {o.scenario.id}"
            if o.style != o.scenario.apology:
                head += f" 致歉 期望 {o.scenario.apology} 实得 {o.style}"
            if o.escalate != o.scenario.escalate:
                head += f" 升级 期望 {o.scenario.escalate} 实得 {o.escalate}"
            console.print(escape(head), highlight=False)
            for m in o.missing:
                console.print(f"    缺：{escape(m)}", highlight=False)
            for p in o.said:
                console.print(f"    不该说：{escape(p)}", highlight=False)


def register(app: typer.Typer) -> None:
    from complaintdesk.commands.analysis import get_eval_app

    app.command("assist")(assist_command)
    get_eval_app(app).command("assist", help="评测回复草稿（score reply drafts on reviewed scenarios）")(eval_assist_command)
