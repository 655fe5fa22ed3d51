"""Finding complaints by their words: Chinese full-text search over title, description and messages
(``search_text``), scoped like the queue (``services.queue``, which lists complaints by their fields)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.model import Complaint, Customer
from complaintdesk.services import search_index
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import complaint_summary
from complaintdesk.storage import orm, search_entries
from complaintdesk.text import fold


def _customers(session: Session, ids: set[int]) -> dict[int, Customer]:
    """One query for the customers of a page (not one per row)."""
    if not ids:
        return {}
    found = session.scalars(select(Customer).where(orm.customers.c.id.in_(sorted(ids))))
    return {c.id: c for c in found if c.id is not None}


# -- Chinese full-text search ----------------------------------------------------------------------

MAX_QUERY = 200
MAX_TERMS = 8


@dataclass(frozen=True)
class Hit:
    summary: dict[str, Any]
    score: float
    snippet: str
    # Where the query's terms are in ``snippet``: [start, end) character offsets, the evidence of the match.
    matches: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "snippet_matches": [list(span) for span in self.matches],
        }


def _terms(query: str) -> list[list[str]]:
    """Each whitespace-separated term as its token sequence; every term must match (AND)."""
    if not (query or "").strip():
        raise InvalidInput("搜索词不能为空", field="q")
    if len(query) > MAX_QUERY:
        raise InvalidInput(f"搜索词不能超过 {MAX_QUERY} 个字符", field="q")
    terms: list[list[str]] = []
    for raw in fold(query).split()[:MAX_TERMS]:
        runs = search_entries.tokens(raw)
        if len(runs) > 1:
            # In "xqb1234型" the lone 型 would prefix-match half the index while adding almost no precision.
            runs = [r for r in runs if not (len(r) == 1 and len(r[0]) == 1)] or runs
        terms.extend(runs)
    if not terms:
        raise InvalidInput("搜索词里没有可检索的文字或数字", field="q")
    return terms


def _is_prefix(run: list[str]) -> bool:
    # One Chinese character matches any bigram it starts; a latin/digit word also matches as a prefix
    # (``iphone`` finds ``iphone13``).
    return len(run) == 1 and (len(run[0]) == 1 or not search_entries.is_cjk(run[0]))


def _fts5_query(terms: list[list[str]]) -> str:
    parts = []
    for run in terms:
        if _is_prefix(run):
            parts.append(f'"{run[0]}"*')
        else:
            parts.append('"' + " ".join(run) + '"')
    return " AND ".join(parts)


def _needle(run: list[str]) -> str:
    """A term's text again: consecutive bigrams 宽带, 带停, 停机 spell 宽带停机."""
    return run[0] + "".join(token[1:] for token in run[1:]) if _is_cjk_run(run) else run[0]


def _is_cjk_run(run: list[str]) -> bool:
    return bool(run) and search_entries.is_cjk(run[0])


def snippet(original: str, terms: list[list[str]], width: int = 60) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About ``width`` characters of ``original`` around the first term found, and where the terms are.

    Terms are matched on the folded text (simplified, half-width, lower case), which keeps every
    character in place: the snippet is the customer's own text, in the script they wrote.
    """
    folded = fold(original)
    spans: list[tuple[int, int]] = []
    first = -1
    for run in terms:
        needle = _needle(run)
        at = folded.find(needle)
        if at >= 0 and first < 0:
            first = at
        while at >= 0:
            spans.append((at, at + len(needle)))
            at = folded.find(needle, at + len(needle))
    start = max(0, first - width // 3) if first >= 0 else 0
    end = start + width
    inside: list[tuple[int, int]] = []
    for left, right in sorted(spans):
        left, right = max(left, start) - start, min(right, end) - start
        if left >= right:
            continue
        if inside and left <= inside[-1][1]:
            inside[-1] = (inside[-1][0], max(inside[-1][1], right))
        else:
            inside.append((left, right))
    return original[start:end].replace("\n", " "), tuple(inside)


CANDIDATES = 1000  # ranking looks at the newest matches only: bounded cost however common the words


def _pg_tsquery(terms: list[list[str]], params: dict[str, Any]) -> str:
    parts = []
    for i, run in enumerate(terms):
        params[f"t{i}"] = run[0] + ":*" if _is_prefix(run) else " ".join(run)
        # Prefix terms go through to_tsquery; the value is one token of letters/digits/ideographs only.
        fn = "to_tsquery" if _is_prefix(run) else "phraseto_tsquery"
        parts.append(f"{fn}('simple', :t{i})")
    return " && ".join(parts)


def _candidates_sql(
    dialect: str, terms: list[list[str]], owners: Collection[str] | None
) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {"k": CANDIDATES}
    scope = ""
    if owners is not None:
        names = sorted(owners) or [""]
        params.update({f"o{i}": name for i, name in enumerate(names)})
        scope = " AND c.owner IN (" + ", ".join(f":o{i}" for i in range(len(names))) + ")"
    if dialect == "sqlite":
        params["q"] = _fts5_query(terms)
        join = " JOIN complaints c ON c.id = f.rowid" if scope else ""
        sql = (
            f"SELECT f.rowid AS cid, -bm25(search_fts) AS score FROM search_fts f{join}"
            f" WHERE search_fts MATCH :q{scope} ORDER BY f.rowid DESC LIMIT :k"
        )
    else:
        tsq = _pg_tsquery(terms, params)
        join = " JOIN complaints c ON c.id = d.complaint_id" if scope else ""
        sql = (
            f"SELECT d.complaint_id AS cid, ts_rank(d.tsv, q.q) AS score"
            f" FROM search_documents d{join} CROSS JOIN (SELECT {tsq} AS q) q"
            f" WHERE d.tsv @@ q.q{scope} ORDER BY d.complaint_id DESC LIMIT :k"
        )
    return sql, params


def search_text(
    uow: UnitOfWork, query: str, *, owners: Collection[str] | None = None, limit: int = 20
) -> list[Hit]:
    """Complaints whose title, description or messages contain every term, best first.

    Ranking (BM25 on SQLite, ts_rank on PostgreSQL) orders the newest ``CANDIDATES`` matches.
    """
    if not 1 <= limit <= 100:
        raise InvalidInput("limit 必须在 1 到 100 之间", field="limit")
    terms = _terms(query)
    with uow.reading():
        session = uow.complaints.session
        sql, params = _candidates_sql(session.get_bind().dialect.name, terms, owners)
        ranked = session.execute(text(sql), params).all()
        top = sorted(ranked, key=lambda r: (-float(r.score or 0.0), -int(r.cid)))[:limit]
        if not top:
            return []
        ids = [int(r.cid) for r in top]
        # Messages in one more statement, not one per hit: the snippet may come from any of them.
        with_messages = selectinload(Complaint.messages)  # type: ignore[misc,arg-type]  # mapped imperatively
        visible = orm.complaints.c.import_id.is_(None)  # an import still writing: indexed, not yet shown
        found = session.scalars(
            select(Complaint).where(orm.complaints.c.id.in_(ids), visible).options(with_messages)
        )
        complaints_by_id = {c.id: c for c in found}
        customers = _customers(session, {c.customer_id for c in complaints_by_id.values()})
        hits = []
        for row in top:
            complaint = complaints_by_id.get(int(row.cid))
            if complaint is None:
                continue
            summary = complaint_summary(complaint, customers.get(complaint.customer_id))
            excerpt, matches = snippet(search_entries.original_text(complaint), terms)
            hits.append(Hit(summary, float(row.score or 0.0), excerpt, matches))
        return hits


def reindex(uow: UnitOfWork, *, full: bool = False) -> int:
    """Bring the search index up to date (complaints written before the index existed, or by old code)."""
    with uow:
        return search_index.reindex(uow.complaints.session, full=full)
