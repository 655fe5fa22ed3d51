"""The metadata every table is declared on, and the column types the tables share.

The mapping modules (``orm``, ``orm_api``, ``orm_analytics``) each import this and none imports another;
``all_tables`` imports all three where the whole schema is needed (Alembic).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


SQLITE_DATETIME_FORMAT = "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
"""SQLAlchemy's text for a datetime on SQLite (its DATETIME type's default storage format)."""


def _sqlite_text(value: datetime | None) -> str | None:
    """An aware datetime as SQLite stores it: UTC, naive, in ``SQLITE_DATETIME_FORMAT``."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database; use an aware datetime")
    # in UTC its ISO text ends "+00:00" after the 26 characters wanted (the year is always four digits)
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which has no time zones) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Dialect) -> Callable[[datetime | None], Any] | None:
        # On SQLite the two steps (``process_bind_param``, then the dialect's text format filled from a dict
        # of seven fields) cost about 2 µs a value, and an intake binds a dozen; ``isoformat`` writes the
        # same text in C (tests/unit/storage/test_utc_datetime_text.py compares both on many instants).
        impl = self.impl_instance.dialect_impl(dialect)
        if dialect.name == "sqlite" and getattr(impl, "_storage_format", None) == SQLITE_DATETIME_FORMAT:
            return _sqlite_text
        return super().bind_processor(dialect)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def vocabulary(enum_type: Any, name: str) -> Enum:
    """A column holding one value of a closed vocabulary (``domain.vocab``)."""
    # Stored as VARCHAR (no CHECK): a new vocabulary value needs no schema migration.
    return Enum(
        enum_type, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e], length=32
    )
