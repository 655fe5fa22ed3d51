"""The agent workspace's own records: each user's saved queue views (services.saved_views).

A view belongs to one account (``owner``) and is found only through it, so a user lists, renames and
deletes their own views and never sees another's. Its filters are the queue page's query string, kept
as a JSON object (``{"stage": "calming", "flag": ["runaround"]}``) and checked again when counted."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String, Table, UniqueConstraint

from complaintdesk.storage.schema import UTCDateTime, metadata

saved_views = Table(
    "saved_views",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(64), nullable=False),
    Column("name", String(40), nullable=False),
    Column("scope", String(8), nullable=False),  # mine | team | all (the queue page's tabs)
    Column("filters", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("owner", "name", name="uq_saved_views_owner_name"),
)
