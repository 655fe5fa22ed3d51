"""`complaintdesk policy …`: check a case's facts against the rule packs; list the rules in force."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from complaintdesk.commands._output import console, print_json
from complaintdesk.domain.errors import InputTooLarge, InvalidInput
from complaintdesk.domain.json_input import parse_json

policy_app = typer.Typer(help="政策与权益：客户依法、依公司规定有权得到什么（check, rules）", no_args_is_help=True)

MAX_FACTS_BYTES = 1_000_000  # a case's facts are a few KB; anything near a megabyte is a wrong file
VERDICT_ZH = {"entitled": "[green]有权获得[/]", "discretionary": "[yellow]可酌情[/]",
              "not_entitled": "[red]无权要求[/]", "unknown": "[magenta]待确认[/]"}


def _read_facts(path: Path) -> dict[str, Any]:
    try:
        raw = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"文件不存在：{path}", field="facts") from None
    except OSError as exc:
        raise InvalidInput(f"无法读取 {path}: {exc.strerror}", field="facts") from None
    if len(raw) > MAX_FACTS_BYTES:
        raise InputTooLarge(f"事实文件过大（{len(raw)} 字节，上限 {MAX_FACTS_BYTES}）", field="facts")
    try:
        data = parse_json(raw.decode("utf-8"), "facts", label=str(path))
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} 不是 UTF-8 文本", field="facts") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path} 的顶层必须是 JSON 对象", field="facts")
    return data


def _show(result: dict[str, Any]) -> None:
    table = Table(title="诉求判断", show_lines=True)
    for column in ("诉求", "结论", "理由", "依据", "还需确认"):
        table.add_column(column, overflow="fold")
    for d in result["demands"]:
        rules = "\n".join(f"{r['source']} {r['article']}" for r in d["rules"])
        table.add_row(d["demand"], VERDICT_ZH.get(d["verdict"], d["verdict"]), d["reason"], rules,
                      "\n".join(d["missing_facts"]))
    console.print(table)
    for v in result["company_violations"]:
        console.print(f"[bold red]公司违规[/] {v['finding']}  ({v['rule']['source']} {v['rule']['article']})")
    for r in result["remedies"]:
        amount = "?" if r["amount_yuan"] is None else f"{r['amount_yuan']:g} 元"
        console.print(f"[bold]补救[/] {r['kind']}: {amount}  {r['computation']}")
    for d in result["deadlines"]:
        console.print(f"[bold]期限[/] {d['due']} {d['what']}")
    a = result["authority"]
    allowed = "[green]可以直接承诺[/]" if a["offer_allowed"] else "[red]不能直接承诺[/]"
    to = f"，上报 {a['escalate_to']}" if a["escalate_to"] else ""
    console.print(f"[bold]权限[/] {allowed}{to}:{a['reason']}")


def check_command(
    facts: Path = typer.Argument(..., help="事实 JSON 文件（- 表示标准输入）"),
    packs: list[Path] = typer.Option([], "--packs", help="附加规则包目录或文件（可多次给出）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """按事实判断每项诉求：有权获得 / 可酌情 / 无权要求 / 待确认，并给出依据。"""
    from complaintdesk.policy import check, load_packs

    data = _read_facts(facts)
    result = check(data, packs=load_packs(packs) if packs else None).to_dict()
    if as_json:
        print_json(result)
    else:
        _show(result)


def rules_command(
    packs: list[Path] = typer.Option([], "--packs", help="附加规则包目录或文件（可多次给出）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出生效的全部规则及其出处（法规、条款、日期）。"""
    from complaintdesk.policy import list_rules, load_packs

    rules = list_rules(load_packs(packs) if packs else None)
    if as_json:
        print_json([r.to_dict() for r in rules])
        return
    table = Table(title=f"生效规则 {len(rules)} 条", show_lines=True)
    for column in ("id", "出处与条款", "日期", "适用"):
        table.add_column(column, overflow="fold")
    for r in rules:
        table.add_row(r.id, f"{r.source} {r.article}", r.date.isoformat() if r.date else "",
                      ",".join(sorted(r.applies_to)) or "全部")
    console.print(table)


SPLITS_ZH = {"tune": "调参集 tune", "test": "测试集 test"}


def eval_policy_command(
    cases: Path = typer.Argument(..., help="真实案例 JSONL（如 eval/policy_real.jsonl）"),
    split: list[str] = typer.Option([], "--split", help="只看某个划分（tune / test，可多次给出）；默认全部"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """用已公开的真实案例评测政策引擎：按划分统计结论、违规、金额的一致率，并列出每个不一致。"""
    from complaintdesk.policy import check
    from complaintdesk.policy.evaluate import evaluate, load_cases

    if not cases.is_file():
        raise InvalidInput(f"案例文件不存在：{cases}", field="cases")
    report = evaluate(load_cases(cases.read_text(encoding="utf-8"), str(cases)), check)
    wanted = split or sorted(report.splits)
    unknown = [s for s in wanted if s not in report.splits]
    if unknown:
        raise InvalidInput(f"没有划分 {unknown[0]}，可选：{', '.join(sorted(report.splits))}", field="split")
    data = report.to_dict(wanted)
    if as_json:
        print_json(data)
        return
    table = Table(title=f"政策引擎 × 真实案例 {cases}")
    for column in ("划分", "案例", "全对", "一致率", "结论", "违规", "金额"):
        table.add_column(column, justify="right" if column != "划分" else "left")
    for name, t in data["splits"].items():
        table.add_row(SPLITS_ZH.get(name, name), str(t["cases"]), str(t["cases_right"]), f"{t['agreement']:.3f}",
                      "{}/{}".format(*t["verdicts"]), "{}/{}".format(*t["violations"]), "{}/{}".format(*t["amounts"]))
    console.print(table)
    for m in data["misses"]:
        console.print(f"[bold]{m['case']}[/] ({m['split']}) {m['what']}：期望 {m['expected']} 实得 {m['given']}"
                      f"\n    理由：{m['reason']}", highlight=False)


policy_app.command("check")(check_command)
policy_app.command("rules")(rules_command)


def register(app: typer.Typer) -> None:
    from complaintdesk.commands.analysis import get_eval_app

    app.add_typer(policy_app, name="policy")
    get_eval_app(app).command("policy", help="用真实案例评测政策引擎（score the policy engine on real cases）")(
        eval_policy_command)
