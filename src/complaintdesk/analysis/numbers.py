"""Numbers as people write them in complaints: 5, 1,299, 1.5万, 3千, 五, 两, 十五, 一万二, 三千五, 半."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
           "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_ARABIC = re.compile(r"^(\d[\d,]*(?:\.\d+)?)([十百千万亿]*)$")
# 1万2千, 3千5百, 2万5: Arabic digits with Chinese units between them.
_MIXED = re.compile(r"^(?:\d+(?:\.\d+)?[十百千万亿])+\d*$")
_MIXED_PART = re.compile(r"(\d+(?:\.\d+)?)([十百千万亿]?)")

NUMBER = (
    r"(?:\d[\d,]*(?:\.\d+)?(?:[十百千万亿](?:\d+[十百千])*\d?)?"
    r"|[零〇一二两三四肆五伍六陆七柒八捌九玖十百千万亿壹贰叁拾佰仟]+|半)"
)
"""A regex fragment for one number as written (no capture groups)."""


def parse_number(token: str) -> float | None:
    token = token.strip()
    if not token:
        return None
    if token == "半":
        return 0.5
    if _MIXED.match(token) and not _ARABIC.match(token):
        return _parse_mixed(token)
    arabic = _ARABIC.match(token)
    if arabic:
        digits = arabic.group(1).replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return None
        for unit in arabic.group(2):
            value *= _UNITS.get(unit) or _BIG[unit]
        return value
    return _parse_chinese(token)


def _parse_chinese(token: str) -> float | None:
    total, section, number = 0, 0, 0
    previous_multiplier = 0
    for char in token:
        if char in _DIGITS:
            number = _DIGITS[char]
            previous_multiplier = 0 if char in "零〇" else previous_multiplier
        elif char in _UNITS:
            unit = _UNITS[char]
            section += (number or 1) * unit
            number, previous_multiplier = 0, unit
        elif char in _BIG:
            big = _BIG[char]
            total += (section + number or 1) * big
            section, number, previous_multiplier = 0, 0, big
        else:
            return None
    if number and previous_multiplier >= 100:
        # Spoken abbreviation: 一万二 = 12000, 三千五 = 3500 (the trailing digit is one unit lower).
        number *= previous_multiplier // 10
    return float(total + section + number)


def _parse_mixed(token: str) -> float:
    """1万2千 = 12000, 3千5百 = 3500, 2万5 = 25000 (a trailing digit is one unit below the last)."""
    total, section, last = 0.0, 0.0, 1
    for digits, unit in _MIXED_PART.findall(token):
        value = float(digits)
        if unit in _BIG:
            total += (section + value) * _BIG[unit]
            section, last = 0.0, _BIG[unit]
        elif unit:
            section += value * _UNITS[unit]
            last = _UNITS[unit]
        else:
            section += value * max(1, last // 10)
    return total + section
