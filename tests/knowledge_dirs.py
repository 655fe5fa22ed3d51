"""Serving a centre's knowledge directory for the length of a test, then the packaged defaults again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from complaintdesk.yamldata import knowledge_dir, use_knowledge_dir


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def serving(directory: Path | None) -> Iterator[Path | None]:
    before = knowledge_dir()
    use_knowledge_dir(directory)
    try:
        yield directory
    finally:
        use_knowledge_dir(before)


def centre_pack(root: Path, rule_id: str, *, file: str = "ours.yaml", text: str | None = None,
                **params: object) -> Path:
    """A centre pack in ``root/policy/`` that restates a packaged rule with other parameters (and text)."""
    import yaml

    from complaintdesk.policy.packs import merge_packs

    rule = merge_packs([]).get(rule_id)
    assert rule is not None, rule_id
    body = {
        "id": rule.id, "kind": rule.kind, "source": rule.source, "article": rule.article,
        "text": text or rule.text, "text_status": rule.text_status, "applies_to": sorted(rule.applies_to),
        "params": {**{k: list(v) if isinstance(v, tuple) else v for k, v in rule.params.items()}, **params},
    }  # fmt: skip
    if rule.date is not None:
        body["date"] = rule.date.isoformat()
    document = {"pack": "本中心", "kind": "company", "rules": [body]}
    return write(root, f"policy/{file}", yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
