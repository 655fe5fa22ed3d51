"""Customers' phone numbers: one spelling to store and compare, and the masked form most pages show."""

from __future__ import annotations

import re

from complaintdesk.domain.errors import InvalidInput

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalise_phone(raw: str) -> str:
    """Digits of a mainland mobile (11 digits) or landline (area code + number); else InvalidInput."""
    cleaned = re.sub(r"[\s()()]", "", str(raw or ""))
    if cleaned.startswith("+86"):
        cleaned = cleaned[3:]
    if _MOBILE.match(cleaned) or _LANDLINE.match(cleaned):
        return cleaned
    raise InvalidInput(f"电话号码 {raw!r} 无效：需要 11 位手机号或带区号的固话", field="phone")


def mask_phone(phone: str) -> str:
    """138****5678: the middle digits hidden, as every page but an authorised detail shows it."""
    digits = phone.replace("-", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"
