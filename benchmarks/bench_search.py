"""Search latency: the bigram full-text index (``services.search.search_text``) beside a plain
``LIKE '%term%'`` scan over the same complaints, same database, same run.

    python benchmarks/bench_search.py [--rows 200000] [--queries 200] [--url postgresql+psycopg://…]

Loads synthetic complaints (title + description from a complaint vocabulary, some in traditional
script) into a private schema, then times a mix of one-word, two-word, rare, common and traditional
queries. Prints p50/p95 for both and the ratio. Target (PostgreSQL, 1 M rows): p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import create_engine, insert, text

from complaintdesk.services import search
from complaintdesk.services.bootstrap import open_desk
from complaintdesk.storage import orm, search_entries
from complaintdesk.storage.orm_api import search_documents
from complaintdesk.text import fold

# fmt: off
WORDS = [
    "宽带", "停机", "欠费", "退款", "赔偿", "道歉", "电视", "维修", "换货", "退货", "冰箱", "不制冷", "空调", "漏水", "热水器",
    "洗衣机", "噪音", "快递", "延误", "丢件", "破损", "话费", "多扣", "账单", "套餐", "流量", "信号", "网速", "客服", "态度",
    "恶劣", "挂电话", "上门", "迟到", "安装", "师傅", "收费", "保修", "三包", "发票", "配件", "缺货", "投诉", "工信部", "消协",
    "媒体", "律师", "起诉", "曝光", "经理", "领导", "回电", "承诺", "没有兑现", "等了", "三天", "一周", "一个月", "五次", "两次",
    "要求", "马上", "解决", "恢复", "服务", "质量", "问题", "产品", "屏幕", "碎了", "电池", "充电", "手机", "电脑", "订单", "取消",
    "优惠", "活动", "积分", "会员", "自动续费", "扣款",
]
# fmt: on
TRADITIONAL = ["寬帶", "電視", "維修", "賠償", "熱水器", "話費", "態度", "發票", "網速", "投訴"]
QUERIES = [
    "退款", "宽带 停机", "電視 維修", "热水器 漏水", "工信部", "自动续费", "屏幕碎了", "师傅 迟到 收费",
    "寬帶", "话费 多扣", "不制冷", "律师 起诉", "积分", "快递 破损", "发票",
    "xqb0042", "XQB4711 漏水", "光明湾", "幸福镇 宽带", "xqb1234型", "长安路 维修", "xqb3000",
]  # fmt: skip


# Rare terms, as real complaints carry them: product models and place names seen in few complaints.
MODELS = [f"XQB{n:04d}" for n in range(5000)]
PLACES = [a + b for a in "东南西北中新长安和平幸福光明" for b in "城区街镇路湾园"]


def _text(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    words.insert(rng.randrange(n), rng.choice(MODELS) + "型")
    words.insert(rng.randrange(n), rng.choice(PLACES))
    if rng.random() < 0.2:
        words[rng.randrange(n)] = rng.choice(TRADITIONAL)
    return "".join(w + ("," if rng.random() < 0.2 else "") for w in words)


def _schema_url(base: str) -> tuple[str, str | None]:
    if base.startswith("sqlite"):
        return base, None
    schema = f"bench_search_{uuid.uuid4().hex[:8]}"
    with create_engine(base, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", schema


def _load(url: str, rows: int, seed: int) -> None:
    desk = open_desk(url)
    rng = random.Random(seed)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    sqlite = desk.engine.dialect.name == "sqlite"
    with desk.engine.begin() as conn:
        conn.execute(
            insert(orm.customers).values(
                id=1, name="基准客户", phone="13800000000", segment="regular", created_at=now
            )
        )
    batch = 5000
    for start in range(0, rows, batch):
        complaints, docs = [], []
        for i in range(start, min(rows, start + batch)):
            title, body = _text(rng, 3), _text(rng, rng.randint(12, 40))
            complaints.append(
                {
                    "id": i + 1, "number": f"TS-B-{i + 1:09d}", "customer_id": 1, "channel": "phone",
                    "title": title, "description": body, "category": "other", "demands": [],
                    "priority": "normal", "stage": "accepted", "owner": f"agent{i % 50}",
                    "escalation_level": 0, "transfer_count": 0, "runaround": False, "repeat": False,
                    "reopen_count": 0, "opened_at": now, "updated_at": now, "version": 1,
                }
            )  # fmt: skip
            content = fold(f"{title}\n{body}")
            docs.append(
                {
                    "complaint_id": i + 1, "number": f"TS-B-{i + 1:09d}", "version": 1,
                    "content": content, "grams": search_entries.grams(content), "updated_at": now,
                }
            )  # fmt: skip
        with desk.engine.begin() as conn:
            conn.execute(insert(orm.complaints), complaints)
            conn.execute(insert(search_documents), docs)
            if sqlite:
                conn.execute(
                    text("INSERT INTO search_fts (rowid, grams) VALUES (:complaint_id, :grams)"),
                    docs,
                )
        print(f"\r  loaded {min(rows, start + batch):,}/{rows:,}", end="", flush=True)
    with desk.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    print()
    desk.engine.dispose()


def _like_baseline(conn: object, q: str) -> None:
    # The naive helpdesk search: every word must appear in title or description, newest first.
    clauses, params = [], {}
    for i, word in enumerate(q.split()):
        params[f"w{i}"] = f"%{word}%"
        clauses.append(f"(title LIKE :w{i} OR description LIKE :w{i})")
    sql = f"SELECT number FROM complaints WHERE {' AND '.join(clauses)} ORDER BY id DESC LIMIT 20"
    conn.execute(text(sql), params).all()  # type: ignore[attr-defined]


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "COMPLAINTDESK_BENCH_DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
        ),
        help="PostgreSQL (default) or sqlite:///path",
    )
    args = parser.parse_args()
    base = args.url
    if base == "sqlite":
        base = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    url, schema = _schema_url(base)
    try:
        print(f"loading {args.rows:,} synthetic complaints …")
        t0 = time.perf_counter()
        _load(url, args.rows, seed=7)
        print(f"  load + index: {time.perf_counter() - t0:.1f} s")
        desk = open_desk(url, create=False)
        queries = [QUERIES[i % len(QUERIES)] for i in range(args.queries)]
        fts, like, hits = [], [], []
        for q in queries[: len(QUERIES)]:  # warm caches for both sides alike
            search.search_text(desk.uow(), q)
            with desk.engine.connect() as conn:
                _like_baseline(conn, fold(q))
        for q in queries:
            t = time.perf_counter()
            hits.append(len(search.search_text(desk.uow(), q)))
            fts.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            with desk.engine.connect() as conn:
                _like_baseline(conn, q)
            like.append((time.perf_counter() - t) * 1000)
        print(f"database: {desk.engine.dialect.name}, rows: {args.rows:,}, queries: {len(queries)}")
        print(f"  full-text  p50 {_pct(fts, 50):8.1f} ms   p95 {_pct(fts, 95):8.1f} ms")
        print(f"  LIKE scan  p50 {_pct(like, 50):8.1f} ms   p95 {_pct(like, 95):8.1f} ms")
        print(f"  ratio (LIKE p95 / full-text p95): {_pct(like, 95) / max(_pct(fts, 95), 1e-6):.1f}x")
        print(f"  mean hits per query (capped at 20): {statistics.mean(hits):.1f}")
        slowest = sorted(zip(fts, queries, strict=True), reverse=True)[:5]
        print("  slowest full-text queries: " + ", ".join(f"{q} {ms:.0f} ms" for ms, q in slowest))
        desk.engine.dispose()
    finally:
        if schema:
            with create_engine(base, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
