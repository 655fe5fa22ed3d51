"""The analysis panel's correction form: one select per single-label field, one checkbox per label of
the multi-label fields (named ``<field>.<label>``, since the page's form handling keeps one value a key)."""

from __future__ import annotations

from typing import Any

from complaintdesk.services.corrections import MULTI, SINGLE


def choices() -> dict[str, tuple[str, ...]]:
    return {**SINGLE, **MULTI}


def from_form(form: dict[str, Any]) -> dict[str, Any]:
    """The agent's whole reading: the selects as chosen (empty: left as the engine read it) and every
    multi-label field as ticked — an unticked box is the agent saying that label does not apply."""
    corrections: dict[str, Any] = {}
    for name in SINGLE:
        value = str(form.get(name) or "").strip()
        if value:
            corrections[name] = value
    for name, labels in MULTI.items():
        corrections[name] = [label for label in labels if form.get(f"{name}.{label}")]
    return corrections


def effective(analysis: dict[str, Any] | None) -> dict[str, Any]:
    """What the panel shows per field: the agent's correction where there is one, else the engine's."""
    if not analysis:
        return {}
    corrected = analysis.get("corrections") or {}
    engine = {
        "emotion": (analysis.get("emotion") or {}).get("label"),
        "category": (analysis.get("category") or {}).get("label"),
        "customer_types": [t.get("type") for t in analysis.get("customer_types", [])],
        "demands": [d.get("kind") for d in analysis.get("demands", [])],
        "threats": [t.get("kind") for t in analysis.get("threats", [])],
        "company_faults": [f.get("kind") for f in analysis.get("company_faults", [])],
    }
    return {name: corrected.get(name, value) for name, value in engine.items()}
