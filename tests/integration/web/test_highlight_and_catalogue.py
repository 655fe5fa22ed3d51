from __future__ import annotations

import re
from importlib import resources

import pytest

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.web.highlight import Mark, highlight, marks_from_analysis
from complaintdesk.web.i18n import LANGUAGES, catalogue, parse_catalogue, translate


def test_highlight_escapes_text_inside_and_outside_marks() -> None:
    text = "<b>我要去工信部投诉</b>"
    html = str(highlight(text, [Mark(3, 9, "threat", "regulator")]))
    assert html.startswith("&lt;b&gt;")
    assert '<mark class="ev ev-threat"' in html
    assert "<b>" not in html


def test_overlapping_spans_take_the_more_important_label() -> None:
    html = str(highlight("气死我了要投诉", [Mark(0, 4, "emotion", "anger"), Mark(2, 7, "threat", "regulator")]))
    assert html.count("<mark") == 3
    assert 'ev-threat" data-kind="threat" data-label="regulator"' in html
    assert "ev-emotion" in html


def test_spans_beyond_the_text_are_ignored() -> None:
    assert str(highlight("短", [Mark(0, 10, "threat", "x")])) == "短"


def test_marks_come_from_every_kind_of_evidence() -> None:
    analysis = {
        "emotion": {"label": "anger", "evidence": [{"start": 0, "end": 2, "text": "气死"}]},
        "threats": [{"kind": "media", "evidence": [{"start": 3, "end": 5, "text": "曝光"}]}],
        "demands": [{"kind": "refund", "evidence": [{"start": 6, "end": 8, "text": "退款"}]}],
        "customer_types": [{"type": "stubborn", "evidence": [{"start": "bad"}]}],
    }
    kinds = {m.kind for m in marks_from_analysis(analysis)}
    assert kinds == {"emotion", "threat", "demand"}


def test_catalogue_refuses_an_entry_without_english() -> None:
    with pytest.raises(ConfigurationError) as err:
        parse_catalogue("messages:\n  nav.queue:\n    zh-CN: 队列\n")
    assert err.value.field == "nav.queue.en"


def test_every_template_key_is_in_the_catalogue_in_both_languages() -> None:
    keys: set[str] = set()
    folder = resources.files("complaintdesk.web").joinpath("templates")
    for item in folder.iterdir():
        if item.name.endswith(".html"):
            keys |= set(re.findall(r"""\bt\(\s*["']([a-z_.A-Z]+[a-z_A-Z])["']\s*[,)]""", item.read_text("utf-8")))
    missing = sorted(k for k in keys if k not in catalogue())
    assert not missing
    assert all(translate(k, lang) for k in keys for lang in LANGUAGES)


def test_unknown_key_renders_as_itself() -> None:
    assert translate("no.such.key", "en") == "no.such.key"


def test_every_vocabulary_value_has_a_label() -> None:
    from complaintdesk.analysis import model
    from complaintdesk.domain import vocab
    from complaintdesk.domain.sla import ClockState

    expected = [f"label.{v}" for group in (model.EMOTION_LABELS, model.CUSTOMER_TYPES, model.DEMAND_KINDS,
                                           model.THREAT_KINDS, model.CATEGORY_LABELS, model.CHRONIC_SIGNS)
                for v in group]
    expected += [f"stage.{s.value}" for s in vocab.Stage] + [f"priority.{p.value}" for p in vocab.Priority]
    expected += [f"channel.{c.value}" for c in vocab.Channel] + [f"segment.{s.value}" for s in vocab.Segment]
    expected += [f"role.{r.value}" for r in vocab.Role] + [f"sla.state.{s.value}" for s in ClockState]
    missing = [key for key in expected if key not in catalogue()]
    assert not missing
