"""A round's classes of rude agent lines, each with a polite twin that shares its words."""

from __future__ import annotations

from complaintdesk.quality.phrases import check_text


def assert_rude_flagged_and_polite_twin_clean(mechanism: str, rude: str, polite: str, family: str) -> None:
    """``rude`` is flagged in ``family`` with its span, the words matched and the norm it breaks;
    ``polite``, the same words said with courtesy, is not flagged at all."""
    found = [v for v in check_text(rude) if v.family == family]
    assert found, mechanism
    violation = found[0]
    assert violation.span is not None and violation.span[1] > violation.span[0]
    assert violation.match and violation.match in rude
    assert violation.bank_entry and violation.bank_source
    assert check_text(polite) == []
