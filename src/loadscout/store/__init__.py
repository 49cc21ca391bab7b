"""Persistence of runs: SQLAlchemy 2 async engine (SQLite or PostgreSQL), tables created only by
Alembic migrations, and repositories that hand out frozen records.

Import from the submodules: ``store.database`` (make_engine, make_session_factory, upgrade),
``store.runs`` (RunRepository), ``store.queue`` (RunQueue: claims, leases, cancel requests,
orphan recovery), ``store.series`` (SeriesRepository: per-second metrics), ``store.records``
(RunRecord, RunEvent, RunNotFound).
"""
