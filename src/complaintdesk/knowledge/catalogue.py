"""What a knowledge directory holds, each kind validated by its own loader, and where each came from.

Layout (every part optional; what is absent comes from the package)::

    policy/*.yaml            rule packs: added after the packaged ones; a rule with an existing id
                             replaces it, ``enabled: false`` switches it off
    assist/playbook.yaml … replies.yaml   each replaces the packaged file of that name
    analysis/<cue file>.yaml a cue list: replaces the packaged one, or adds to it with ``extends: true``
    analysis/userdict.txt    jieba's word list
    analysis/repeat_cues.yaml  what a caller says about an earlier call (follow-up or another incident)
    quality/rubric.yaml, quality/banned_phrases.yaml   the QA rubric and the 禁语 bank
    sla.yaml                 SLA targets and thresholds
    escalation.yaml          escalation-risk weights and the intake priority mapping
    routing.yaml             who takes the complaints a mail opens
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from complaintdesk.analysis import escalation, lexicon, segment, similarity
from complaintdesk.assist import playbook
from complaintdesk.assist.replies import by_prefix
from complaintdesk.domain import routing, sla_policy
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.policy import packs
from complaintdesk.quality import bank, rubric
from complaintdesk.yamldata import KnowledgeCache, centre_file, load_yaml

MODEL_FILE = "analysis_model.npz"  # a retrained analysis model (services/analysis_training.py)

# cache name -> (what it is, how to build it from a directory, the cache serving it)
KINDS: dict[str, tuple[str, Callable[[Path | None], Any], KnowledgeCache[Any]]] = {
    "packs": ("规则包", packs.active_packs.build, packs.active_packs),
    "playbook": ("助手手册", playbook.active_playbook.build, playbook.active_playbook),
    "lexicon": ("分析词库", lexicon.load.build, lexicon.load),
    "userdict": ("分词词表", segment.active_userdict.build, segment.active_userdict),
    "repeat_cues": ("重复来电线索", similarity.active_repeat_cues.build, similarity.active_repeat_cues),
    "rubric": ("质检规则", rubric.active_rubric.build, rubric.active_rubric),
    "bank": ("禁语库", bank.active_bank.build, bank.active_bank),
    "sla": ("SLA 时限", sla_policy.active_sla_policy.build, sla_policy.active_sla_policy),
    "escalation": ("升级风险与优先级", escalation.active_escalation.build, escalation.active_escalation),
    "routing": ("邮件分派规则", routing.active_routing.build, routing.active_routing),
}


@dataclass(frozen=True)
class Entry:
    kind: str  # a KINDS key
    title: str
    name: str  # where the file sits in a knowledge directory (policy/telecom.yaml, sla.yaml …)
    origin: str  # "centre" (the centre's file), "extends" (adds to the packaged one) or "packaged"
    path: str  # the file that was read
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "title": self.title, "name": self.name, "origin": self.origin,
                "path": self.path, "detail": self.detail}  # fmt: skip


@dataclass(frozen=True)
class Report:
    directory: Path | None
    exists: bool
    entries: tuple[Entry, ...]
    ignored: tuple[str, ...]  # files in the directory that no loader reads (a misplaced or misnamed file)

    @property
    def centre_files(self) -> int:
        return sum(1 for e in self.entries if e.origin != "packaged")

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory) if self.directory else None,
            "exists": self.exists,
            "centre_files": self.centre_files,
            "entries": [e.to_dict() for e in self.entries],
            "ignored": list(self.ignored),
        }


def build_all(directory: Path | None) -> dict[str, Any]:
    """Every kind of knowledge the directory makes, validated; the first error is raised as it is
    (a ConfigurationError naming the file, the rule or entry, and the field)."""
    built = {name: build(directory) for name, (_, build, _) in KINDS.items()}
    _check_findings(built["playbook"], built["packs"])
    return built


def active() -> dict[str, Any]:
    """The knowledge this process serves now (each built on first use)."""
    return {name: cache() for name, (_, _, cache) in KINDS.items()}


def _check_findings(book: Any, in_force: packs.PolicyPacks) -> None:
    """A finding sentence (replies.yaml ``faults.found``) may quote only parameters its rules have."""
    for rule in in_force:
        said = by_prefix(book.replies.found, rule.id)
        if said is None:
            continue
        try:
            said.format_map(dict(rule.params))
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigurationError(
                f"助手手册 replies.yaml 有误：faults.found 中 {rule.id} 的句子引用了规则没有的参数 {exc}"
                f"（可用：{', '.join(sorted(rule.params)) or '无'}）",
                field=f"replies.yaml:faults.found.{rule.id}",
            ) from None


def describe(directory: Path | None, built: Mapping[str, Any]) -> Report:
    """Where each piece of the knowledge in ``built`` came from: the centre's file or the package."""
    entries = [
        *_pack_entries(directory, built["packs"]),
        *_playbook_entries(directory),
        *_lexicon_entries(directory, built["lexicon"]),
        *_single(directory, "userdict", "analysis/userdict.txt", "complaintdesk/analysis/data/userdict.txt"),
        *_single(directory, "repeat_cues", "analysis/repeat_cues.yaml", "complaintdesk/analysis/data/repeat_cues.yaml",
                 f"{len(built['repeat_cues'].follow_up) + len(built['repeat_cues'].other_incident)} 条线索"),
        *_single(directory, "rubric", "quality/rubric.yaml", "complaintdesk/quality/data/rubric.yaml",
                 f"{len(built['rubric'].rules)} 条质检规则，{len(built['rubric'].phrases)} 条禁语"),
        *_single(directory, "bank", "quality/banned_phrases.yaml", "complaintdesk/quality/data/banned_phrases.yaml",
                 f"{len(built['bank'].entries)} 条禁语"),
        *_single(directory, "sla", "sla.yaml", "complaintdesk/data/sla.yaml",
                 f"{len(built['sla'].defaults)} 个时限，{len(built['sla'].segments)} 类客户另有时限"),
        *_single(directory, "escalation", "escalation.yaml", "complaintdesk/analysis/data/escalation.yaml",
                 f"{len(built['escalation'].threats)} 种威胁权重，{len(built['escalation'].priority)} 条优先级规则"),
        *_single(directory, "routing", "routing.yaml", "complaintdesk/data/routing.yaml",
                 f"{len(built['routing'].mail)} 条邮件分派规则"),
    ]
    model = centre_file(directory, MODEL_FILE)
    if model is not None:
        entries.append(Entry("model", "分析模型", MODEL_FILE, "centre", str(model), "中心重新训练的学习层"))
    exists = directory is not None and directory.is_dir()
    return Report(directory, exists, tuple(entries), _ignored(directory, entries) if exists else ())


def _single(directory: Path | None, kind: str, name: str, packaged: str, detail: str = "") -> list[Entry]:
    local = centre_file(directory, *name.split("/"))
    title = KINDS[kind][0]
    return [Entry(kind, title, name, "centre" if local else "packaged", str(local) if local else packaged, detail)]


def _pack_entries(directory: Path | None, in_force: packs.PolicyPacks) -> list[Entry]:
    counts = Counter(rule.file for rule in in_force)
    centre = {str(p) for folder in packs.centre_folders(directory) for p in folder.iterdir()}
    files = sorted(counts, key=lambda f: (f in centre, f))
    for folder in packs.centre_folders(directory):  # a centre file that only switches rules off
        files += [str(p) for p in sorted(folder.iterdir()) if p.suffix in (".yaml", ".yml") and str(p) not in counts]
    out = []
    for file in files:
        mine = file in centre
        name = f"policy/{Path(file).name}"
        out.append(Entry("packs", "规则包", name, "centre" if mine else "packaged", file, f"生效规则 {counts[file]} 条"))
    return out


def _playbook_entries(directory: Path | None) -> list[Entry]:
    out = []
    for name, local in playbook.playbook_sources(directory).items():
        path = local or f"complaintdesk/assist/data/{name}"
        out.append(Entry("playbook", "助手手册", f"assist/{name}", "centre" if local else "packaged", path))
    return out


def _lexicon_entries(directory: Path | None, lex: lexicon.Lexicon) -> list[Entry]:
    out = []
    local = lexicon.centre_files(directory)
    for family, name in lexicon.FAMILIES.items():
        cue_file = lex.files[family]
        cues = sum(len(c) for c in cue_file.labels.values())
        path = local[name]
        origin = "packaged" if path is None else ("extends" if _extends(path) else "centre")
        shown = str(path) if path else f"complaintdesk/analysis/data/{name}"
        out.append(Entry("lexicon", "分析词库", f"analysis/{name}", origin, shown, f"{cues} 条线索"))
    return out


def _extends(path: Path) -> bool:
    """Whether a centre cue file adds to the packaged one (it was validated when it was built)."""
    try:
        data = load_yaml(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and data.get("extends") is True


def _ignored(directory: Path | None, entries: Iterable[Entry]) -> tuple[str, ...]:
    """Files under the directory that nothing reads: a typo in a name would otherwise go unnoticed."""
    if directory is None:
        return ()
    read = {Path(e.path).resolve() for e in entries if e.origin != "packaged"}
    found = []
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and path.resolve() not in read:
            found.append(str(path.relative_to(directory)))
    return tuple(found)
