"""Reading YAML data: the files the product ships (lexicons, packs, playbooks, calendars) and the ones
a centre supplies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
            raise ConfigurationError(f"无法读取{label} {source}: {exc.strerror}", field=field) from exc
    try:
        return load_yaml(text), source
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{label} {source} 不是有效的 YAML: {exc}", field=field) from exc
