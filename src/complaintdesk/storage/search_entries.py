"""What the full-text index stores for a complaint: its text folded to one form, and character bigrams.

Chinese has no spaces, so the index holds character bigrams: any substring of two or more characters
becomes a phrase of consecutive bigrams, which both SQLite FTS5 and PostgreSQL tsvector match exactly
(Zammad #1696, osTicket #4665: word-based indexes miss 退款 inside 要求退款). Text and queries are both
folded by ``complaintdesk.text.fold`` (simplified script, half-width, lower case), so 寬帶 finds 宽带.

Kept in storage because intake writes a new complaint's entry in the statement that inserts it
(``ComplaintRepository.add``); ``services.search_index`` keeps every later change in step.
"""

from __future__ import annotations

import re
import weakref
from datetime import datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from complaintdesk.domain.model import Complaint
from complaintdesk.text import fold

# What an entry is made of: a change to any of these rewrites the complaint's entry.
INDEXED_ATTRIBUTES = ("title", "description", "messages")

# Runs of CJK ideographs (and kana/hangul) or of latin letters and digits; everything else separates.
_TOKEN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+|[0-9a-z]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")


def is_cjk(token: str) -> bool:
    return bool(_CJK.match(token))


def run_tokens(run: str) -> list[str]:
    if not is_cjk(run):
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(normalised: str) -> list[list[str]]:
    """The token runs of normalised text: each run is a phrase (consecutive bigrams or one word)."""
    return [run_tokens(run) for run in _TOKEN_RUN.findall(normalised)]


def grams(normalised: str) -> str:
    """``tokens`` joined by spaces, each run's tokens in place: one list, no list per run."""
    out: list[str] = []
    for run in _TOKEN_RUN.findall(normalised):
        if len(run) > 1 and _CJK.match(run):
            out.extend([run[i : i + 2] for i in range(len(run) - 1)])
        else:
            out.append(run)
    return " ".join(out)


def original_text(complaint: Complaint) -> str:
    """What the index covers, as written: title, description and every message, one per line."""
    parts: list[str] = [complaint.title, complaint.description]
    parts.extend(m.body for m in complaint.messages)
    return "\n".join(parts)


def document_text(complaint: Complaint) -> str:
    return fold(original_text(complaint))


def entry(complaint: Complaint, now: datetime) -> dict[str, Any]:
    """The complaint's row of ``search_documents``: the version whose text it holds, and that text."""
    content = document_text(complaint)
    return {
        "complaint_id": complaint.id,
        "number": complaint.number,
        "version": complaint.version,
        "content": content,
        "grams": grams(content),
        "updated_at": now,
    }


def index_present(session: Session) -> bool:
    """Whether the database has the index tables (a database created before them has not)."""
    # Cached per engine object (not per URL: two in-memory SQLite databases share one URL).
    bind = session.get_bind()
    cached = _INDEX_PRESENT.get(bind.engine)
    if cached is None:
        names = set(inspect(session.connection()).get_table_names())
        cached = "search_documents" in names and (bind.dialect.name != "sqlite" or "search_fts" in names)
        _INDEX_PRESENT[bind.engine] = cached
    return cached


_INDEX_PRESENT: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()
