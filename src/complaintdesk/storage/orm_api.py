"""Tables of the server side: tokens and sessions, login throttling, idempotency records, the search
index and the webhook outbox. Defined on ``storage.schema.metadata``; created by migration 0002."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from complaintdesk.storage.schema import UTCDateTime, metadata

auth_tokens = Table(
    "auth_tokens",
    metadata,
    # Only the SHA-256 of a token is stored: a leaked table does not leak live credentials.
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # bearer | session
    Column("csrf_token", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(128), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("first_at", UTCDateTime, nullable=False),
    Column("locked_until", UTCDateTime),
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("method", String(8), nullable=False),
    Column("path", String(300), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

search_documents = Table(
    "search_documents",
    metadata,
    Column("complaint_id", Integer, primary_key=True, autoincrement=False),
    Column("number", String(24), nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("content", Text, nullable=False),  # t2s-normalised, lower-cased title + description + messages
    Column("grams", Text, nullable=False),  # the same text as space-separated character bigrams
    Column("updated_at", UTCDateTime, nullable=False),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String(500), nullable=False),
    Column("secret", String(128), nullable=False),
    Column("events", JSON, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

webhook_outbox = Table(
    "webhook_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscription_id", Integer, ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("event", String(32), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # pending | delivered | dead
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime),
    Column("last_error", Text),
)
Index("ix_webhook_outbox_due", webhook_outbox.c.status, webhook_outbox.c.next_attempt_at)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("outbox_id", Integer, ForeignKey("webhook_outbox.id"), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)
