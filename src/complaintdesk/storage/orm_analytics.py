"""The dashboard's daily rollup: per local day, the complaint figures that do not depend on the clock.

A cache, not a source of truth: each row carries the signature of the complaints it was computed from
(count, sum of versions, highest id), and services.analytics_rollup recomputes any day whose signature
no longer matches. Defined on ``storage.schema.metadata``; created by migration 0004.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Date, Integer, Table

from complaintdesk.storage.schema import UTCDateTime, metadata

dashboard_days = Table(
    "dashboard_days",
    metadata,
    Column("day", Date, primary_key=True),  # local date (COMPLAINTDESK_TIMEZONE) the complaints were opened
    Column("complaints", Integer, nullable=False),
    Column("version_sum", BigInteger, nullable=False),
    Column("max_id", Integer, nullable=False),
    Column("totals", JSON, nullable=False),  # services.analytics_rollup.DayTotals.to_json()
    Column("computed_at", UTCDateTime, nullable=False),
)
