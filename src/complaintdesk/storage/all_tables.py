"""The whole schema: every mapping module's tables on the one metadata, for Alembic and the schema test.

A new mapping module is added here, or autogenerate would read its tables as dropped.
"""

from __future__ import annotations

from complaintdesk.storage import orm, orm_analytics, orm_api, orm_channels, orm_sms
from complaintdesk.storage.schema import metadata

MAPPING_MODULES = (orm, orm_api, orm_analytics, orm_channels, orm_sms)

__all__ = ["MAPPING_MODULES", "metadata"]
