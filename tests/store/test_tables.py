"""UTCDateTime: the one place timestamps are normalised for both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.dialects.sqlite.base import SQLiteDialect

from loadscout.store.tables import UTCDateTime

PARIS_WINTER = timezone(timedelta(hours=1))


def test_sqlite_stores_naive_utc_and_reads_back_aware_utc() -> None:
    dialect = SQLiteDialect()
    stored = UTCDateTime().process_bind_param(
        datetime(2026, 1, 1, 13, 0, tzinfo=PARIS_WINTER), dialect
    )
    assert stored == datetime(2026, 1, 1, 12, 0)
    assert UTCDateTime().process_result_value(stored, dialect) == datetime(
        2026, 1, 1, 12, 0, tzinfo=UTC
    )


def test_postgresql_keeps_the_zone_and_reads_back_utc() -> None:
    dialect = PGDialect()
    stored = UTCDateTime().process_bind_param(
        datetime(2026, 1, 1, 13, 0, tzinfo=PARIS_WINTER), dialect
    )
    assert stored == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert stored is not None
    assert stored.tzinfo == UTC
    read = UTCDateTime().process_result_value(
        datetime(2026, 1, 1, 13, 0, tzinfo=PARIS_WINTER), dialect
    )
    assert read is not None
    assert read.tzinfo == UTC
    assert read.hour == 12


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), SQLiteDialect())
