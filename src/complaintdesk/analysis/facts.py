"""Facts a handler needs before deciding (seed 001 case one: when bought, how many repairs, which model,
how much money, how long the customer waited). Works on the normalised text; spans are normalised
offsets that the caller maps back to the original.

Partial dates resolve to the first day of the period they name (2002年3月 → 2002-03-01); relative
dates (上个月, 前天, 10天前) need ``today`` and stay null without it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from complaintdesk.analysis.numbers import NUMBER, parse_number

# 办理退货 / 下单退款 are later events of the story, not the purchase.
_BUY = r"(?:购买|购入|买|入手|下单(?!退)|订购|购机|办理(?!了?(?:退|销|停|转|注销|取消|解约|拆机|报修|维修))|办的|开通|装的|安装的)"
_DAY_UNITS = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "个月": 30, "月": 30, "年": 365, "小时": 1 / 24}

_DURATION = re.compile(
    rf"(?P<num>{NUMBER})(?P<more>多)?(?P<unit>个多?月|个?星期|个?礼拜|天|周|小时|年|日(?=内|以内|之内)|月(?=内|以内|之内))"
    r"(?P<more2>多)?(?!前|后|以前|之前|底|初|份|[0-9一二三四五六七八九十])"
)
_REPAIR = re.compile(
    rf"(?:维修|修理|返修|修|换)(?:了|过)?(?:足足|整整|总共|一共|共)?(?P<a>{NUMBER})(?:次|回|遍)"
    rf"|(?P<b>{NUMBER})(?:次|回)(?:的)?(?:维修|修理|返修|上门维修)"
    rf"|第(?P<c>{NUMBER})次(?:维修|修理|返修|修|报修)"
)
# A sum in Chinese numerals with a unit of hundreds or more (三百五, 一万二千, 伍佰), so that a count
# (两次, 三个) is never read as money.
_CHINESE_SUM = r"[一二两三四肆五伍六陆七柒八捌九玖十壹贰叁拾]+[百佰千仟万][零〇一二两三四肆五伍六陆七柒八捌九玖十百千壹贰叁拾佰仟]*"
_AMOUNT = re.compile(
    rf"(?:(?:HK|NT|US|hk|nt)?[¥￥$＄]\s?(?P<a>{NUMBER}))"
    rf"|(?<![0-9零〇一二两三四肆五伍六陆七柒八捌九玖十百千万亿壹贰叁拾佰仟])(?P<b>{NUMBER})多?(?:元|块钱|蚊|港元|港币|台币|(?P<bare>块)(?!屏|板|主板|电|玻璃|表|地|砖|布)|圆|rmb|RMB)"
    rf"|(?:花了|花|付了|交了|扣了我?|多收了?我?|收了?我?们?|赔|退回|退还|退了我?|价格|售价|价值|值|新台币|台币|港币|人民币)"
    rf"(?P<c>\d[\d,]*(?:\.\d+)?(?:[千万](?:\d+[百千])*\d?)?|{_CHINESE_SUM})"
    rf"|(?P<d>\d{{3,}}[\d,]*|{_CHINESE_SUM})(?=买的|买了|购买|入手|拍的)"
    r"|(?P<e>\d[\d,]*(?:\.\d+)?)的[\u4e00-\u9fff]{0,3}费"
)
_MODEL = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,6}[- ]?\d{2,}[A-Za-z0-9\-]*)(?![A-Za-z0-9])")
_MODEL_STOP = re.compile(r"^(?:tel|qq|vip|no|id|top|pm|am)\s?\d", re.IGNORECASE)

_YMD = re.compile(r"(?P<y>\d{4}|\d{2})[年\-/.](?P<m>\d{1,2})(?:[月\-/.](?P<d>\d{1,2})[日号]?|月份?)")
_Y = re.compile(r"(?P<y>\d{4}|\d{2})年")
# Shopping festivals name a day: 2022年双十一 is 2022-11-11, not the first of January.
_FESTIVAL = re.compile(r"(?:(?P<y>\d{4}|\d{2})年|(?P<rel>去年|今年))?的?(?P<f>双十一|双11|双十二|双12|618)")
_FESTIVAL_DAY = {"双十一": (11, 11), "双11": (11, 11), "双十二": (12, 12), "双12": (12, 12), "618": (6, 18)}
_MD = re.compile(rf"(?P<rel>去年|今年)?(?P<m>\d{{1,2}}|{NUMBER})月份?(?:(?P<d>\d{{1,2}}|{NUMBER})[日号])?")
_RELATIVE = re.compile(
    rf"(?P<n>{NUMBER})(?P<unit>天|个多?月|周|个?星期)(?:以前|之前|前)|大前天|前天|昨天|今天|上周|上个?星期|上个?月|半个多?月前"
)
# When the fault appeared: a date right before 开始/出现/发现/就坏 … (not the purchase's own date).
_FAULT = r"(?:开始(?!用|使用|安装|上班|上课)|出现|发现|就坏|坏了|出了问题|出问题|出故障|故障|不制冷|不制热|漏水|漏电|黑屏|花屏|死机|自动关机|断网|不亮|异响|打不开|开不了机|不能用|用不了)"
_BUY_RE = re.compile(_BUY)
_FAULT_RE = re.compile(_FAULT)
_CLAUSE_MARK = re.compile(r"[,，。；;!！?？]")
_BOUGHT_FOR = re.compile(rf"(?:买了|刚买|买来|买回来|用了|骑了|穿了|戴了)(?:才|还不到|不到|刚)?(?P<n>{NUMBER})(?P<more>多)?(?P<unit>天|个多?月|周|个?星期)")


@dataclass(frozen=True, slots=True)
class RawFacts:
    purchase_date: date | None
    days_since_purchase: int | None
    repair_count: int | None
    amounts_yuan: tuple[float, ...]
    product_models: tuple[str, ...]
    durations_days: tuple[float, ...]
    evidence: tuple[tuple[str, int, int], ...]  # (fact name, start, end) in normalised offsets
    fault_date: date | None = None


def _int(token: str | None) -> int | None:
    value = parse_number(token) if token else None
    return int(value) if value is not None and value >= 0 and float(value).is_integer() else None


def _shift_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_before(text: str, end: int, today: date | None) -> tuple[date | None, int]:
    """The date expression closest before a purchase verb, and where it starts (-1 if none)."""
    window_start = max(0, end - 16)
    window = text[window_start:end]
    festival = list(_FESTIVAL.finditer(window))
    if festival and not re.search(r"[年月号日前天]", window[festival[-1].end() :]):  # the closest date said
        m = festival[-1]
        fest_month, fest_day = _FESTIVAL_DAY[m.group("f")]
        if m.group("y"):
            year = int(m.group("y"))
            year = year + 2000 if year < 100 else year
        elif today is not None:
            year = today.year - 1 if m.group("rel") == "去年" else today.year
            if not m.group("rel") and date(year, fest_month, fest_day) > today:
                year -= 1
        else:  # 去年/今年 without today: the year is unknown
            return None, window_start + m.start()
        return _safe_date(year, fest_month, fest_day), window_start + m.start()
    for pattern in (_YMD, _Y):
        found = list(pattern.finditer(window))
        if found:
            m = found[-1]
            year = int(m.group("y"))
            year = year + (2000 if year < 50 else 1900) if year < 100 else year
            month_number = int(m.groupdict().get("m") or 1)
            day_number = int(m.groupdict().get("d") or 1)
            return _safe_date(year, month_number, day_number), window_start + m.start()
    relative = list(_RELATIVE.finditer(window))
    if relative:
        m = relative[-1]
        return (_resolve_relative(m, today) if today else None), window_start + m.start()
    month_day = [m for m in _MD.finditer(window) if m.group("m")]
    if month_day:
        m = month_day[-1]
        month, day_of_month = _int(m.group("m")), _int(m.group("d"))
        if month is None or not 1 <= month <= 12 or today is None:
            return None, window_start + m.start()
        year = today.year - 1 if m.group("rel") == "去年" else today.year
        found_date = _safe_date(year, month, day_of_month or 1)
        if found_date and found_date > today and not m.group("rel"):
            found_date = _safe_date(year - 1, month, day_of_month or 1)
        return found_date, window_start + m.start()
    return None, -1


def _resolve_relative(m: re.Match[str], today: date) -> date | None:
    word = m.group(0)
    fixed = {"大前天": 3, "前天": 2, "昨天": 1, "今天": 0}
    if word in fixed:
        return today - timedelta(days=fixed[word])
    if word.startswith("上周") or word.startswith("上星期") or word.startswith("上个星期"):
        return today - timedelta(days=7)
    if word.startswith("上个月") or word.startswith("上月"):
        return _shift_months(today, 1)
    if word.startswith("半个"):
        return today - timedelta(days=15)
    n = parse_number(m.group("n") or "")
    if n is None:
        return None
    unit = m.group("unit")
    if "月" in unit:
        return today - timedelta(days=round(n * 30)) if n < 1 else _shift_months(today, int(n))
    return today - timedelta(days=round(n * (7 if ("周" in unit or "星期" in unit) else 1)))


def extract(text: str, today: date | None = None) -> RawFacts:
    evidence: list[tuple[str, int, int]] = []
    purchase: date | None = None
    days_since: int | None = None
    for verb in _BUY_RE.finditer(text):
        found, where = _date_before(text, verb.start(), today)
        if where >= 0 and (found or purchase is None):
            purchase = found
            evidence.append(("purchase_date", where, verb.end()))
            if found:
                break
    bought_for = _BOUGHT_FOR.search(text)
    if bought_for:
        n = parse_number(bought_for.group("n"))
        unit = bought_for.group("unit")
        if n is not None:
            span_days = round(n * (30 if "月" in unit else 7 if ("周" in unit or "星期" in unit) else 1))
            if purchase is None or today is None:
                days_since = span_days
                evidence.append(("days_since_purchase", bought_for.start(), bought_for.end()))
                if purchase is None and today is not None:
                    purchase = today - timedelta(days=span_days)
    if purchase is not None and today is not None and days_since is None:
        days_since = (today - purchase).days if today >= purchase else None

    fault_date: date | None = None
    purchase_spans = [(start, end) for name, start, end in evidence if name == "purchase_date"]
    for verb in _FAULT_RE.finditer(text):
        found, where = _date_before(text, verb.start(), today)
        if found is None or any(s <= where < e for s, e in purchase_spans):
            continue
        if _CLAUSE_MARK.search(text, where, verb.start()):
            continue  # the date belongs to another clause (3月20日开始用,后来发现…)
        if purchase is not None and found < purchase:
            continue  # a fault cannot appear before the sale: that date is something else
        fault_date = found
        evidence.append(("fault_date", where, verb.end()))
        break

    repair_count: int | None = None
    for m in _REPAIR.finditer(text):
        count = _int(m.group("a") or m.group("b") or m.group("c"))
        if count is not None and 0 < count < 100 and (repair_count is None or count > repair_count):
            repair_count = count
            evidence.append(("repair_count", m.start(), m.end()))

    amounts: list[float] = []
    for m in _AMOUNT.finditer(text):
        value = parse_number(m.group("a") or m.group("b") or m.group("c") or m.group("d") or m.group("e") or "")
        if m.group("bare") and value is not None and value < 10:
            continue  # 两块 is more often two pieces than two yuan
        if value is not None and value > 0 and value not in amounts:
            amounts.append(value)
            evidence.append(("amounts_yuan", m.start(), m.end()))

    models: list[str] = []
    for m in _MODEL.finditer(text):
        model = m.group(1).strip()
        if not _MODEL_STOP.match(model) and model not in models:
            models.append(model)
            evidence.append(("product_models", m.start(1), m.end(1)))

    durations: list[float] = []
    date_spans = [
        (start, end) for name, start, end in evidence if name in ("purchase_date", "days_since_purchase", "fault_date")
    ]
    for m in _DURATION.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in date_spans):
            continue
        before = text[m.start() - 1 : m.start()]
        if before in ("第", "几") or before.isdigit() or text[m.end() : m.end() + 2] == "两头":
            continue
        n = parse_number(m.group("num"))
        unit = m.group("unit").replace("个", "").replace("多", "")
        if n is None or n <= 0 or (unit == "年" and n >= 100):
            continue
        days = round(n * _DAY_UNITS[unit], 2)
        if days not in durations:
            durations.append(days)
            evidence.append(("durations_days", m.start(), m.end()))
    return RawFacts(
        purchase, days_since, repair_count, tuple(amounts), tuple(models), tuple(durations), tuple(evidence),
        fault_date,
    )
