"""Numbers as people write them in complaints: 5, 1,299, 1.5万, 3千, 五, 两, 十五, 一万二, 三千五, 半."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_ARABIC = re.compile(r"^(\d[\d,]*(?:\.\d+)?)([十百千万亿]*)$")

NUMBER = r"(?:\d[\d,]*(?:\.\d+)?[十百千万亿]?|[零〇一二两三四五六七八九十百千万亿壹贰叁拾佰仟]+|半)"
"""A regex fragment for one number as written (no capture groups)."""


def parse_number(token: str) -> float | None:
    token = token.strip()
    if not token:
        return None
    if token == "半":
        return 0.5
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
