"""Tables of the customer channels (migration 0010): status-page links, the mail outbox, the inbound
mails already taken in, and the e-mail addresses customers write from."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from complaintdesk.storage.schema import UTCDateTime, metadata

status_links = Table(
    "status_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True),
    # 256 random bits (secrets.token_urlsafe(32)): the token is the customer's only credential.
    Column("token", String(64), nullable=False, unique=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("complaint_number", String(24), nullable=False, index=True),
    Column("message_id", Integer),  # the timeline message this mail carries (none for an acknowledgement)
    Column("purpose", String(16), nullable=False),  # reply | acknowledgement
    Column("to_addr", String(254), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("rfc_message_id", String(255), nullable=False, unique=True),  # our Message-ID header
    Column("in_reply_to", String(255)),
    Column("status", String(16), nullable=False),  # queued | sent | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text),
)

inbound_mails = Table(
    "inbound_mails",
    metadata,
    # The sender's Message-ID: a second delivery of the same mail is recognised and ignored.
    Column("rfc_message_id", String(255), primary_key=True),
    Column("complaint_number", String(24)),
    Column("outcome", String(16), nullable=False),  # opened | threaded | ignored
    Column("reason", String(200)),
    Column("received_at", UTCDateTime, nullable=False),
)

customer_emails = Table(
    "customer_emails",
    metadata,
    Column("address", String(254), primary_key=True),  # lower-cased
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
)
