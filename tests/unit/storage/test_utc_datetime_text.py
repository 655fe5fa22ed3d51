"""A datetime bound on SQLite is stored as the text SQLAlchemy's own two steps wrote."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeDecorator

from complaintdesk.storage.schema import UTCDateTime, _sqlite_text


def _sqlalchemy_steps(value: datetime | None) -> object:
    """``process_bind_param`` then the SQLite DATETIME's own processor, as TypeDecorator chains them."""
    dialect = sqlite.dialect()
    plain = TypeDecorator.bind_processor(UTCDateTime().dialect_impl(dialect), dialect)
    assert plain is not None
    return plain(value)


def _bound(dialect: object) -> object:
    """The processor SQLAlchemy binds a UTCDateTime value with on ``dialect``."""
    return UTCDateTime().dialect_impl(dialect)._cached_bind_processor(dialect)  # type: ignore[arg-type]


def test_sqlite_text_of_aware_datetimes_in_any_zone_is_sqlalchemys_text() -> None:
    process = _bound(sqlite.dialect())
    assert process is _sqlite_text  # the one-call text, not SQLAlchemy's two steps, is what is compared
    chooser = random.Random(26)
    zones = [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30)),
             timezone(timedelta(hours=14)), timezone(timedelta(seconds=-1))]  # fmt: skip
    instants = [datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, 23, 59, 59, 999_999, tzinfo=UTC),
                datetime(999, 3, 4, 5, 6, 7, tzinfo=UTC), datetime(2026, 11, 23, 2, 0, tzinfo=UTC)]  # fmt: skip
    for _ in range(3_000):
        at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(microseconds=chooser.randrange(10**15) - 10**14)
        instants.append(at.astimezone(chooser.choice(zones)))
    for at in instants:
        assert process(at) == _sqlalchemy_steps(at), at
    assert process(None) is None


def test_a_naive_datetime_is_refused_on_sqlite_as_before() -> None:
    process = _bound(sqlite.dialect())
    assert callable(process)
    with pytest.raises(ValueError, match="naive"):
        process(datetime(2026, 11, 23, 2, 0))


def test_postgresql_keeps_the_aware_utc_datetime() -> None:
    process = _bound(postgresql.dialect())
    at = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    sent = process(at) if callable(process) else UTCDateTime().process_bind_param(at, postgresql.dialect())
    assert sent == datetime(2026, 11, 23, 2, 0, tzinfo=UTC) and sent.tzinfo is UTC
