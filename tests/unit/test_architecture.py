"""The import graph keeps the layers of docs/architecture.md (issue 22's acceptance), read with ``ast``.

An edge is what a module's code imports, at any depth (a function-level import counts): ``import a.b``
and ``from a.b import name`` depend on ``a.b``; ``from a import b`` where ``a.b`` is a module depends on
``a.b`` alone. Importing ``a.b`` also runs ``a/__init__``, which is not counted as an edge, as in
import-linter: a package that re-exports its modules would otherwise be a cycle with each of them.
Cycles are checked between modules, the finest level.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGE = "complaintdesk"
ENGINES = ("analysis", "policy", "assist", "quality")
OUTER = ("storage", "services", "web", "api", "http", "commands", "cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _sources() -> dict[str, tuple[Path, ast.Module]]:
    return {
        _module_name(path): (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for path in sorted((SRC / PACKAGE).rglob("*.py"))
    }


def _imported(name: str, path: Path, tree: ast.Module) -> Iterator[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in _sources() else base


@cache
def _graph() -> dict[str, frozenset[str]]:
    modules = _sources()
    graph = {}
    for name, (path, tree) in modules.items():
        targets = set()
        for target in _imported(name, path, tree):
            while target and target not in modules:  # ``a.b.func`` → the module ``a.b``
                target = target.rpartition(".")[0]
            if target.startswith(PACKAGE) and target != name:
                targets.add(target)
        graph[name] = frozenset(targets)
    return graph


def test_every_import_of_the_project_names_a_module_that_exists() -> None:
    # mypy runs with ignore_missing_imports, so a module moved away is only found when the import runs.
    missing = sorted(
        f"{name} imports {target}"
        for name, (path, tree) in _sources().items()
        for target in _imported(name, path, tree)
        if target.startswith(f"{PACKAGE}.") and target not in _sources()
    )
    assert missing == []


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _edges(from_layers: tuple[str, ...], to_layers: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{source} -> {target}"
        for source, targets in _graph().items()
        if _layer(source) in from_layers
        for target in targets
        if _layer(target) in to_layers
    )


def test_the_graph_reader_sees_the_imports_it_must() -> None:
    # The rules below pass vacuously if the reader finds nothing: pin a few edges known to exist.
    graph = _graph()
    assert "complaintdesk.domain.errors" in graph["complaintdesk.domain.workflow"]
    assert "complaintdesk.analysis.engine" in graph["complaintdesk.analysis"]  # from-import of a module
    assert "complaintdesk.storage.schema" in graph["complaintdesk.storage.orm"]
    assert _cycles({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}) == [
        ["a", "b", "c"]
    ]


def test_no_import_cycles_between_modules() -> None:
    assert _cycles(_graph()) == []


@pytest.mark.parametrize(
    ("layers", "forbidden"),
    [
        pytest.param(("domain",), (*ENGINES, *OUTER), id="domain-imports-no-engine-and-no-outer-layer"),
        pytest.param(ENGINES, OUTER, id="engines-import-no-storage-services-web-api"),
        pytest.param(("knowledge",), OUTER, id="knowledge-loading-sits-below-services"),
        pytest.param(("channels",), OUTER, id="channels-protocol-code-sits-below-services"),
        pytest.param(("storage",), ("services", "web", "api", "http", "commands", "cli"), id="storage-is-below-services"),
        pytest.param(("web",), ("api",), id="web-does-not-import-api"),
        pytest.param(("http",), ("api", "web"), id="http-shared-by-api-and-web-imports-neither"),
    ],
)
def test_layers_import_only_inwards(layers: tuple[str, ...], forbidden: tuple[str, ...]) -> None:
    assert _edges(layers, forbidden) == []


def _calls_to(tree: ast.Module, name: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == name:
                yield node


def test_no_importlib_in_src() -> None:
    # Package data is read through complaintdesk.yamldata.shipped; modules are imported plainly.
    found = sorted(
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path, tree in _sources().values()
        for node in ast.walk(tree)
        if (isinstance(node, ast.Import) and any(a.name.split(".")[0] == "importlib" for a in node.names))
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "importlib")
    )
    found += sorted(f"{path.relative_to(SRC)}:{call.lineno}" for path, tree in _sources().values()
                    for call in _calls_to(tree, "__import__"))
    assert found == []


def test_tests_never_skip_when_the_project_fails_to_import() -> None:
    # A broken engine import must fail the suite, not skip the tests that would show it.
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for call in _calls_to(tree, "importorskip"):
            if call.args and PACKAGE in ast.unparse(call.args[0]):
                found.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert found == []
