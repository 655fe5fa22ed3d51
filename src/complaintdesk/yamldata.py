"""Reading YAML data: the files the product ships (lexicons, packs, playbooks, calendars) and the ones
a centre supplies."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import yaml

# libyaml's parser when PyYAML was built with it: the holiday calendar parses in 6 ms instead of
# 40 ms, which a server worker otherwise pays on its first request.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The installed package's own directory. Data files are package data (pyproject's package-data), so
# they sit next to the modules in a wheel as in a checkout: one path rule, no import machinery.
_PACKAGE_ROOT = Path(__file__).resolve().parent


def shipped(package: str, name: str = "") -> Path:
    """The file ``name`` (or the folder, without a name) shipped in ``package``, given dotted as in
    ``"complaintdesk.analysis.data"``: every read of the product's own data goes through here."""
    top, _, rest = package.partition(".")
    if top != _PACKAGE_ROOT.name:
        raise ValueError(f"{package} is not a package of {_PACKAGE_ROOT.name}")
    folder = _PACKAGE_ROOT.joinpath(*rest.split(".")) if rest else _PACKAGE_ROOT
    return folder / name if name else folder


def shipped_text(package: str, name: str) -> str:
    """The UTF-8 text of a file shipped in ``package`` (see ``shipped``)."""
    return shipped(package, name).read_text(encoding="utf-8")


def load_yaml(text: str) -> Any:
    """``yaml.safe_load``, faster: the same safe subset, the same ``yaml.YAMLError`` on bad input."""
    return yaml.load(text, Loader=_LOADER)


def read_data_file(path: Any, package: str, name: str, label: str, field: str) -> tuple[Any, str]:
    """The parsed YAML of a knowledge file and where it came from: the file at ``path`` (a centre's own),
    or ``name`` shipped in ``package``. An unreadable or malformed file is a ConfigurationError naming it."""
    from complaintdesk.domain.errors import ConfigurationError

    if path is None:
        source = f"{package.replace('.', '/')}/{name}"
        text = shipped_text(package, name)
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(f"无法读取{label} {source}：{exc.strerror}", field=field) from exc
        except UnicodeDecodeError:
            raise ConfigurationError(f"{label} {source} 不是 UTF-8 文本", field=field) from None
    try:
        return load_yaml(text), source
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{label} {source} 不是有效的 YAML：{exc}", field=field) from exc


# --- The centre's knowledge directory -------------------------------------------------------------
# Composition (the server, the CLI, the housekeeping worker) says which directory holds the centre's
# own knowledge files; the loaders ask here instead of reading settings, so the engines stay free of
# configuration. Each swap starts a new generation: loaders cache their result per generation, and a
# reload is one assignment, whatever the number of loaders.


@dataclass(frozen=True)
class _Active:
    directory: Path | None
    generation: int
    preloaded: Mapping[str, Any]


_ACTIVE = _Active(None, 0, {})


def use_knowledge_dir(directory: Path | None, preloaded: Mapping[str, Any] | None = None) -> int:
    """Serve the knowledge in ``directory`` (None: only the packaged defaults) from now on.
    ``preloaded`` holds what a validation already built, by cache name, so it is not built twice."""
    global _ACTIVE
    _ACTIVE = _Active(directory, _ACTIVE.generation + 1, dict(preloaded or {}))
    return _ACTIVE.generation


def knowledge_dir() -> Path | None:
    return _ACTIVE.directory


def knowledge_generation() -> int:
    return _ACTIVE.generation


def centre_file(directory: Path | None, *parts: str) -> Path | None:
    """``directory/parts...`` when that file exists: the centre's copy of a packaged file."""
    if directory is None:
        return None
    candidate = directory.joinpath(*parts)
    return candidate if candidate.is_file() else None


T = TypeVar("T")


class KnowledgeCache(Generic[T]):
    """A no-argument loader of packaged-or-centre knowledge, built once per knowledge generation."""

    def __init__(self, name: str, build: Callable[[Path | None], T]) -> None:
        self.name = name
        self.build = build
        self._held: tuple[int, T] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> T:
        active = _ACTIVE
        held = self._held
        if held is not None and held[0] == active.generation:
            return held[1]
        with self._lock:  # one build per process even when request threads ask at once
            held = self._held
            if held is not None and held[0] == active.generation:
                return held[1]
            if self.name in active.preloaded:
                value = cast(T, active.preloaded[self.name])
            else:
                value = self.build(active.directory)
            self._held = (active.generation, value)
            return value

    def cache_clear(self) -> None:
        self._held = None

    def is_built(self) -> bool:
        """Whether the knowledge in force is already built (a server builds it before its first request)."""
        held = self._held
        return held is not None and held[0] == _ACTIVE.generation


def knowledge_cache(name: str) -> Callable[[Callable[[Path | None], T]], KnowledgeCache[T]]:
    """Decorate ``build(directory)``: the result is a cached no-argument loader named ``name``."""

    def wrap(build: Callable[[Path | None], T]) -> KnowledgeCache[T]:
        return KnowledgeCache(name, build)

    return wrap
