"""WCAG AA contrast of the pages' colours, computed from the stylesheet itself: every rule that sets
both a text colour and a background (SLA states, badges, flashes, steps, tabs) reaches 4.5:1, every
state's text and muted text on its own background too, and text-only colours on white and on the page."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

AA = 4.5
CSS = re.sub(
    r"/\*.*?\*/",
    "",
    files("complaintdesk.web.static").joinpath("app.css").read_text(encoding="utf-8"),
    flags=re.S,
)
ROOT = dict(re.findall(r"(--[a-z-]+)\s*:\s*(#[0-9a-fA-F]{3,6})", CSS.split("}", 1)[0]))
RULES = [
    (selector.strip(), dict(re.findall(r"([a-z-]+)\s*:\s*([^;]+?)\s*(?:;|$)", body)))
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS)
    if not selector.strip().startswith((":root", "@"))
]
STATES = ("green", "amber", "red", "none")


def _colour(value: str) -> str | None:
    value = value.strip()
    var = re.fullmatch(r"var\((--[a-z-]+)\)", value)
    if var:
        return ROOT[var.group(1)]
    if re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value):
        return value
    if value == "#fff" or value == "white":
        return "#fff"
    return None  # inherit, none, gradients: nothing to compute


def luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rule(selector: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for sel, decls in RULES:
        if selector in [s.strip() for s in sel.split(",")]:
            merged.update(decls)
    return merged


def test_the_ratio_matches_the_wcag_examples():
    assert ratio("#000", "#fff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


PAIRS = [
    (sel, _colour(d["color"]), _colour(d.get("background") or d.get("background-color") or ""))
    for sel, d in RULES
    if "color" in d and ("background" in d or "background-color" in d)
]
PAIRS = [(sel, fg, bg) for sel, fg, bg in PAIRS if fg and bg]


def test_the_stylesheet_has_the_state_colours_to_check():
    assert {"--green-bg", "--green-ink", "--amber-bg", "--amber-ink", "--red-bg", "--red-ink"} <= set(ROOT)
    assert len(PAIRS) >= 20


@pytest.mark.parametrize(("selector", "fg", "bg"), PAIRS, ids=[p[0][:40] for p in PAIRS])
def test_every_rule_with_text_and_background_reaches_aa(selector, fg, bg):
    assert ratio(fg, bg) >= AA, f"{selector}: {fg} on {bg} is {ratio(fg, bg):.2f}:1"


@pytest.mark.parametrize("state", STATES)
def test_each_sla_state_and_the_due_time_inside_it_are_readable(state):
    rule = _rule(f".sla-{state}")
    bg, fg = _colour(rule["background"]), _colour(rule["color"])
    assert ratio(fg, bg) >= AA
    # The due time beside an overdue count is muted text: inside a state it takes the state's ink.
    muted = _rule(".sla .muted").get("color", _rule(".muted")["color"])
    muted_colour = fg if muted.strip() == "inherit" else _colour(muted)
    assert ratio(muted_colour, bg) >= AA, f"due time {muted_colour} on {bg}"


@pytest.mark.parametrize("name", ["--ink", "--muted", "--brand", "--green-ink", "--amber-ink"])
def test_text_colours_read_on_white_and_on_the_page(name):
    for ground in ("#fff", ROOT["--bg"]):
        assert ratio(ROOT[name], ground) >= AA, f"{name} on {ground}"
