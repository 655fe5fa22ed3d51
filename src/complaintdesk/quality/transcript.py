"""Transcript parsing: plain ``客服: …`` / ``客户: …`` lines (timestamps optional) or a JSON list of turns.

Traditional script is converted to simplified for matching only; evidence quotes the original line.
Bad input raises InvalidInput / InputTooLarge naming the field; a usable but odd transcript is parsed
with warnings instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

from complaintdesk.domain.errors import InputTooLarge, InvalidInput
from complaintdesk.quality.model import EndedBy, Speaker, Transcript, Turn
from complaintdesk.quality.rubric import Rubric, load_rubric
from complaintdesk.text import fold

_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_OPEN, _CLOSE = r"[\[(（【]", r"[\])）】]"
_HANGUP = re.compile(r"挂断|挂机|挂线|挂了电话|挂掉|hung up|hangs? up|通话结束|结束通话", re.IGNORECASE)
_NOT_CLOSE = r"[^\])）】]"
_BRACKETED_HANGUP = re.compile(
    rf"{_OPEN}{_NOT_CLOSE}{{0,20}}(挂断|挂机|挂线|挂掉|hung up){_NOT_CLOSE}{{0,20}}{_CLOSE}"
)
_CUT_OFF = re.compile(r"(——|--|—)\s*$|[\[(（【](被)?(打断|插话)[\])）】]")
_LOOKS_JSON = re.compile(r"\{|\[\s*[{\]\"]")
_META = re.compile(
    r"^#\s*(agent|坐席|客服|工号|category|logged_category|登记类别|类别)\s*[:：]\s*(.+)$", re.IGNORECASE
)


def normalize(text: str) -> str:
    """The form a line is matched in: simplified, lower case, punctuation as typed (rubric patterns
    spell full-width punctuation); the same length as ``text``."""
    return fold(text, width=False)


@lru_cache(maxsize=8)
def _line_pattern(aliases: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    return re.compile(
        rf"^\s*(?:{_OPEN}?\s*(?P<ts1>{_TS})\s*{_CLOSE}?\s*)?"
        rf"(?P<spk>{names})(?![a-z])\s*(?:{_OPEN}(?P<tag>[^\])）】]{{0,24}}){_CLOSE})?\s*"
        rf"(?:(?P<ts2>{_TS})\s*)?[:：]\s*(?P<text>.*)$",
        re.IGNORECASE,
    )


def _seconds(stamp: str | None) -> float | None:
    if not stamp:
        return None
    parts = [float(p) for p in stamp.replace(",", ".").split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def _party(text: str, rubric: Rubric) -> EndedBy:
    lowered = normalize(text)
    for alias, role in sorted(rubric.speakers.items(), key=lambda kv: -len(kv[0])):
        if len(alias) > 1 and alias in lowered:
            return cast(EndedBy, role)
    return "unknown"


class _Builder:
    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.turns: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self.ended_by: EndedBy = "unknown"
        self.ended_line: int | None = None
        self.meta: dict[str, str] = {}

    def add(self, line: int, speaker: Speaker, text: str, t: float | None) -> None:
        text = text.strip()
        marker = _BRACKETED_HANGUP.search(normalize(text))
        if marker:
            party = _party(marker.group(0), self.rubric)
            self.hang_up(line, speaker if party == "unknown" else party)
        if text:
            self.turns.append({"line": line, "speaker": speaker, "text": text, "t": t})

    def hang_up(self, line: int, party: EndedBy) -> None:
        self.ended_by, self.ended_line = party, line

    def free_line(self, line: int, text: str) -> None:
        meta = _META.match(text)
        if meta:
            key = "agent" if meta.group(1).lower() in ("agent", "坐席", "客服", "工号") else "category"
            self.meta[key] = meta.group(2).strip()
        elif text.startswith("#"):
            return
        elif _HANGUP.search(normalize(text)):
            self.hang_up(line, _party(text, self.rubric))
        elif self.turns:
            self.turns[-1]["text"] += text  # a wrapped line continues the previous turn
        else:
            self.warnings.append(f"第 {line} 行没有说话人标注，已忽略")

    def build(self, agent_id: str | None, logged_category: str | None) -> Transcript:
        turns = tuple(
            Turn(
                index=i, line=d["line"], speaker=d["speaker"], text=d["text"], norm=normalize(d["text"]),
                t=d["t"], cut_off=bool(_CUT_OFF.search(d["text"])),
            )
            for i, d in enumerate(self.turns)
        )
        if len(turns) > self.rubric.max_turns:
            raise InputTooLarge(
                f"转写共有 {len(turns)} 轮发言，超过上限 {self.rubric.max_turns} 轮", field="transcript"
            )
        if not turns:
            raise InvalidInput(
                "没有识别到任何说话人。每行应以说话人开头，例如「客服：…」「客户：…」"
                "（也支持 坐席/用户/Agent/Customer，可带时间戳），或提供 JSON 列表",
                field="transcript",
            )
        if not any(t.speaker == "agent" for t in turns):
            raise InvalidInput("只有客户一方的发言，没有可质检的客服发言", field="transcript")
        warnings = list(self.warnings)
        if not any(t.speaker == "customer" for t in turns):
            warnings.append("只有客服一方的发言：按客服发言尽力评分，客户情绪与回应相关的判断不可靠")
        return Transcript(
            turns=turns, ended_by=self.ended_by, ended_line=self.ended_line, warnings=tuple(warnings),
            agent_id=agent_id or self.meta.get("agent"),
            logged_category=logged_category or self.meta.get("category"),
        )


def _parse_text(text: str, builder: _Builder) -> None:
    pattern = _line_pattern(tuple(builder.rubric.speakers))
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        # labels may be traditional (客戶): match on the simplified form, quote the original text
        normalized = normalize(stripped)
        found = pattern.match(normalized)
        if found is None:
            builder.free_line(number, stripped)
            continue
        speaker = cast(Speaker, builder.rubric.speakers[found.group("spk").lower()])
        tag = found.group("tag")
        stamp = found.group("ts1") or found.group("ts2") or (tag if tag and re.fullmatch(_TS, tag) else None)
        same_length = len(normalized) == len(stripped)
        text = stripped[found.start("text"):] if same_length else found.group("text")
        builder.add(number, speaker, text, _seconds(stamp))


def _parse_items(items: Sequence[Any], builder: _Builder) -> None:
    for index, item in enumerate(items):
        where = f"transcript[{index}]"
        if not isinstance(item, Mapping):
            raise InvalidInput(f"{where} 必须是对象 {{speaker, text, t?}}", field=where)
        text = item.get("text")
        if not isinstance(text, str):
            raise InvalidInput(f"{where}.text 缺失或不是文本", field=f"{where}.text")
        t = item.get("t")
        if t is not None and (isinstance(t, bool) or not isinstance(t, int | float) or t < 0):
            raise InvalidInput(f"{where}.t 必须是非负的秒数", field=f"{where}.t")
        speaker_raw = str(item.get("speaker", "")).strip().lower()
        role = builder.rubric.speakers.get(speaker_raw)
        if role is None:
            if speaker_raw in ("system", "event", "系统") or _HANGUP.search(normalize(text)):
                builder.free_line(index + 1, text)
                continue
            raise InvalidInput(
                f"{where}.speaker 必须是 agent 或 customer（或 客服/客户 等），收到 {item.get('speaker')!r}",
                field=f"{where}.speaker",
            )
        builder.add(index + 1, cast(Speaker, role), text, None if t is None else float(t))


def parse_transcript(
    source: str | Sequence[Any] | Mapping[str, Any],
    *,
    rubric: Rubric | None = None,
    agent_id: str | None = None,
    logged_category: str | None = None,
) -> Transcript:
    """Parse a transcript given as text (plain lines or JSON) or as already-decoded JSON."""
    rubric = rubric or load_rubric()
    if isinstance(source, str):
        size = len(source)
        if size > rubric.max_chars:
            raise InputTooLarge(f"转写长度 {size} 字符，超过上限 {rubric.max_chars} 字符", field="transcript")
        if not source.strip():
            raise InvalidInput("转写内容为空", field="transcript")
        stripped = source.lstrip("\ufeff \t\r\n")
        if _LOOKS_JSON.match(stripped):  # "[00:00:02] 客服: …" is a timestamp, not a JSON list
            try:
                source = cast(Any, json.loads(stripped))
            except json.JSONDecodeError as exc:
                raise InvalidInput(
                    f"转写看起来是 JSON 但无法解析（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}",
                    field="transcript",
                ) from exc
    builder = _Builder(rubric)
    if isinstance(source, Mapping):
        agent_id = agent_id or _opt_str(source, "agent_id") or _opt_str(source, "agent")
        logged_category = (
            logged_category or _opt_str(source, "logged_category") or _opt_str(source, "category")
        )
        body = source.get("turns", source.get("transcript", source.get("text")))
        if body is None:
            raise InvalidInput("JSON 对象需要 turns（或 transcript/text）字段", field="transcript")
        return parse_transcript(body, rubric=rubric, agent_id=agent_id, logged_category=logged_category)
    if isinstance(source, str):
        _parse_text(source, builder)
    elif isinstance(source, Sequence):
        if sum(len(str(i.get("text", ""))) for i in source if isinstance(i, Mapping)) > rubric.max_chars:
            raise InputTooLarge(f"转写长度超过上限 {rubric.max_chars} 字符", field="transcript")
        if not source:
            raise InvalidInput("转写内容为空", field="transcript")
        _parse_items(source, builder)
    else:
        raise InvalidInput("转写必须是文本或 JSON 列表", field="transcript")
    return builder.build(agent_id, logged_category)


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return str(value) if value not in (None, "") else None
