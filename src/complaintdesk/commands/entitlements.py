"""`complaintdesk complaint facts | policy | offer`: what the customer is entitled to, on the facts the
agent established, and offers within the offering role's authority (the company's 授权表)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, print_json
from complaintdesk.commands.complaint import ACTOR, JSON, VERSION, _read_text, complaint_app, show_detail
from complaintdesk.domain.json_input import parse_json
from complaintdesk.services.commands import RecordFacts
from complaintdesk.services.handlers import handle


@complaint_app.command("facts")
def facts(
    number: str,
    file: Path = typer.Argument(..., help="事实 JSON（与 policy check 相同的字段；- 为标准输入）"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """记录已核实的事实（购买日期、维修记录、欠费与停机日期 …），供权益判断与处理建议使用。"""
    raw = sys.stdin.read() if str(file) == "-" else _read_text(None, file)
    data = parse_json(raw, "facts", label="事实文件")
    command = RecordFacts(number=number, facts=data, actor=actor, expected_version=version)
    show_detail(handle(desk().uow(), command), as_json)


@complaint_app.command("policy")
def policy(number: str, as_json: bool = JSON) -> None:
    """按法律与公司规则检查该投诉的客户权益（含依据）。"""
    from complaintdesk.services import casework

    result = casework.policy_for(desk().uow(), number).to_dict()
    if as_json:
        print_json(result)
        return
    for verdict in result["demands"]:
        console.print(f"[bold]{verdict['demand']}[/] → {verdict['verdict']}: ", end="", highlight=False)
        console.print(verdict["reason"], markup=False, highlight=False)
        for rule in verdict["rules"]:
            console.print(f"    依据 {rule['source']} {rule['article']}", markup=False, highlight=False)
        for question in verdict["missing_facts"]:
            console.print(f"    待核实：{question}", markup=False, highlight=False)


@complaint_app.command("offer")
def offer(
    number: str,
    kind: str = typer.Option(..., "--kind", help="compensation | gift | waive_fee | refund | repair | exchange"),
    amount: float = typer.Option(..., "--amount", min=0, help="金额（元）"),
    role: str = typer.Option(..., "--role", help="提出方案者的角色：agent | team_lead | manager（按授权表检查）"),
    note: str = typer.Option("", "--note", help="方案说明"),
    actor: str = ACTOR,
    version: int = typer.Option(..., "--version", help="你读到的版本号；他人已修改时拒绝写入"),
    as_json: bool = JSON,
) -> None:
    """在授权额度内向客户提出补偿方案（记为解决方案）；超出额度的拒绝并指明上报给谁。"""
    from complaintdesk.services import casework

    detail = casework.make_offer(desk().uow(), number, role, kind, amount, note, actor, expected_version=version)
    show_detail(detail, as_json)


def register(app: typer.Typer) -> None:
    """Nothing to add: these commands hang on ``complaint_app``, which ``commands.core`` registers."""
