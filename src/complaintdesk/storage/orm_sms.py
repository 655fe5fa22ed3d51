"""Tables of SMS to customers (migration 0013): the SMS outbox and the customers who opted out."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from complaintdesk.storage.schema import UTCDateTime, metadata

sms_outbox = Table(
    "sms_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("complaint_number", String(24), nullable=False, index=True),
    Column("message_id", Integer),  # the timeline message this SMS carries
    Column("purpose", String(16), nullable=False),  # reply
    Column("to_phone", String(20), nullable=False),
    Column("body", Text, nullable=False),  # the whole text the customer reads, sign included
    Column("params", Text, nullable=False),  # the template variables (JSON), in the configured order
    Column("segments", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # queued | sent | failed | skipped
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("provider_id", String(100)),  # the provider's id of the accepted message
    Column("last_error", Text),  # for skipped: why (the customer opted out)
)

sms_opt_outs = Table(
    "sms_opt_outs",
    metadata,
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True),
    Column("reason", String(200), nullable=False),
    Column("source", String(16), nullable=False),  # agent | reply (the customer's 退订/TD/STOP)
    Column("created_by", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
