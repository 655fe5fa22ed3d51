"""The page message catalogue (locale/messages.yaml): zh-CN first, English on request.

A centre edits the YAML; a key missing a language is refused at load, naming the key, so a page
never shows a blank label. Unknown keys render as the key itself (visible in review, not a crash).
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.domain.vocab import CATEGORIES
from complaintdesk.yamldata import load_yaml, shipped_text

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
_FILE = "messages.yaml"


def parse_catalogue(text: str, source: str = _FILE) -> dict[str, dict[str, str]]:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{source} 不是有效的 YAML: {exc}", field=source) from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), dict):
        raise ConfigurationError(f"{source} 缺少 messages 映射", field="messages")
    catalogue: dict[str, dict[str, str]] = {}
    for key, entry in data["messages"].items():
        if not isinstance(entry, dict):
            raise ConfigurationError(f"{source}：条目 {key} 必须是 语言→文本 的映射", field=str(key))
        for lang in LANGUAGES:
            value = entry.get(lang)
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"{source}：条目 {key} 缺少 {lang} 文本", field=f"{key}.{lang}")
        catalogue[str(key)] = {lang: str(entry[lang]) for lang in LANGUAGES}
    return catalogue


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    messages = parse_catalogue(shipped_text("complaintdesk.web.locale", _FILE))
    # A category's label lives with the category list, so adding a category is one edit.
    for category in CATEGORIES:
        messages.setdefault(f"label.{category.key}", {"zh-CN": category.zh, "en": category.en})
    return messages


def normalise_language(value: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """A supported language for ``value`` (``en-GB`` is ``en``); ``default`` when it names none."""
    lowered = (value or "").lower()
    if lowered.startswith("en"):
        return "en"
    if lowered.startswith("zh"):
        return "zh-CN"
    return default


def translate(key: str, lang: str) -> str:
    entry = catalogue().get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry[DEFAULT_LANGUAGE]
