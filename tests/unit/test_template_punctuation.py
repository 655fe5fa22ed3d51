"""A page's own punctuation around a label or an aside follows the page's language: 负责人：li_agent and
王女士（138****5678） in Chinese, "Owner: li_agent" and "Ms Wang (138****5678)" in English. Templates take
it from the ``punct.*`` messages; an ASCII colon or parenthesis written straight after a label is a
half-width mark in every Chinese page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from complaintdesk.web.i18n import translate

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "complaintdesk" / "web" / "templates"
# a label's output ({{ … }}, </strong>, </a>) followed by an ASCII colon, or by a space and a parenthesis
_LITERAL_AFTER_LABEL = re.compile(r"(?:\}\}|</strong>|</a>): |(?:\}\}|</a>) \(")


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_templates_take_label_punctuation_from_the_page_language(path: Path) -> None:
    slips = [m.group(0) for m in _LITERAL_AFTER_LABEL.finditer(path.read_text(encoding="utf-8"))]
    assert not slips, f"{path.name}: {slips}"


def test_punctuation_messages_are_full_width_in_chinese_and_spaced_in_english() -> None:
    assert [translate(k, "zh-CN") for k in ("punct.colon", "punct.open", "punct.close")] == ["：", "（", "）"]
    assert [translate(k, "en") for k in ("punct.colon", "punct.open", "punct.close")] == [": ", " (", ")"]
