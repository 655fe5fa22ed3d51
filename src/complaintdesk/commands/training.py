"""`complaintdesk train analysis`: retrain the analysis engine's learned layer.

On the shipped real corpus (tune split) plus, with ``--corrections``, a centre's own corrected
complaints; a part of those corrections is held out and scored before and after, and a model that does
worse on them is not installed.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from complaintdesk.commands._output import console, print_json, read_jsonl
from complaintdesk.domain.errors import InvalidInput

train_app = typer.Typer(help="训练：用标注数据重新训练引擎的学习层（retrain the learned layers）", no_args_is_help=True)


def train_analysis_command(
    out: Path = typer.Option(None, "--out", help="模型写到哪里（默认：知识目录下 analysis_model.npz）"),
    corrections: Path = typer.Option(None, "--corrections", help="本中心更正过的投诉（JSONL，与金标同格式）"),
    extra: list[Path] = typer.Option(None, "--extra", help="另加的训练集（JSONL，可重复；不留出，如团队编写的开发集）"),
    from_desk: bool = typer.Option(False, "--from-desk", help="加上数据库里坐席更正过的投诉（更正即标注）"),
    heads: str = typer.Option(None, "--heads", help="只重训这些头（逗号分隔，如 category）；其余的头从基础模型原样复制"),
    base: Path = typer.Option(None, "--base", help="与 --heads 同用：其余的头取自此模型文件（默认：在用的模型）"),
    tune: str = typer.Option(None, "--tune", help="只读这些调参集文件（如 a-m 或 a-g,k；默认全部）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """在随包真实语料（调参集）和本中心更正过的投诉上重新训练分析引擎的学习层。"""
    from complaintdesk.analysis import corpus
    from complaintdesk.services import analysis_training
    from complaintdesk.services import corrections as corrected_complaints

    if base is not None and heads is None:
        raise InvalidInput("--base 只与 --heads 同用（其余的头从它复制）", field="base")
    chosen_heads = [h.strip() for h in heads.split(",") if h.strip()] if heads is not None else None
    if chosen_heads is not None and not chosen_heads:
        raise InvalidInput("--heads 至少要给一个头", field="heads")
    parts = corpus.chosen_parts(tune) if tune is not None else None

    corrected = _read_jsonl(corrections, "corrections") if corrections is not None else []
    if from_desk:
        from complaintdesk.commands._context import desk

        corrected += corrected_complaints.corrected_records(desk().uow())
    more = [record for path in extra or [] for record in _read_jsonl(path, "extra")]
    with console.status("训练中（training）…"):
        result = analysis_training.retrain(corrected, out, extra=more, heads=chosen_heads, base=base, tune=parts)
    if as_json:
        print_json(result)
        return
    console.print(f"训练样本 {result['examples']} 条（调参集文件 {','.join(result['tune'])}），词表 {result['vocabulary']} 项，"
                  f"重训的头：{'、'.join(result['retrained'])}", highlight=False)  # fmt: skip
    for head, figures in result["heads"].items():
        console.print(f"  {head}: {json.dumps(figures, ensure_ascii=False)[:200]}", highlight=False, markup=False)
    if result.get("held_out"):
        console.print(f"留出的本中心更正：之前 {result['held_out']['before']:.3f} → 之后 {result['held_out']['after']:.3f}",
                      highlight=False)  # fmt: skip
    console.print(("已安装新模型：" if result["installed"] else "未安装（不如当前模型）：") + str(result["path"]),
                  highlight=False, markup=False)  # fmt: skip


def _read_jsonl(path: Path, field: str) -> list[dict[str, object]]:
    records = read_jsonl(path, field)
    for number, record in enumerate(records, start=1):
        if not isinstance(record.get("text"), str) or not isinstance(record.get("expect"), dict):
            raise InvalidInput(f"{path} 第 {number} 条应含 text 和 expect", field=f"line {number}")
    return records


def register(app: typer.Typer) -> None:
    for group in app.registered_groups:
        if group.name == "train" and group.typer_instance is not None:
            group.typer_instance.command("analysis")(train_analysis_command)
            return
    train_app.command("analysis", help="重新训练分析引擎的学习层（retrain the analysis learned layer）")(
        train_analysis_command
    )
    app.add_typer(train_app, name="train")
