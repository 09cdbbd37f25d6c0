"""Engines and transactions from one URL; every engine difference lives here.

SQLite gets foreign keys, WAL and a busy timeout on every connection, and its transactions
begin with BEGIN IMMEDIATE so two writers queue instead of failing half-way. A command runs in
exactly one transaction (`transaction`): on any error nothing is written.
"""

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlmodel import Session

from tracker.config import busy_timeout_seconds
from tracker.errors import DatabaseBusy, DatabaseNotReady, InvalidInput, OutOfTime

# PostgreSQL's codes for "gave up waiting for a lock", "deadlock" and "serialization failure".
BUSY_SQLSTATES = {"55P03", "40P01", "40001"}
READ_ONLY_OPTION = "tracker_read_only"
QUERY_CANCELED_SQLSTATE = "57014"
# When the statements of the current context must stop (time.monotonic()), if ever: a server
# gives each request a budget. Worker threads inherit it with the request's context.
_deadline: ContextVar[float | None] = ContextVar("tracker_deadline", default=None)
SQLITE_CHECK_EVERY = 20_000  # virtual machine steps between two looks at the clock


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Statements run within the block stop once `seconds` have passed (the public API
    raises `OutOfTime`)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _past_deadline() -> int:
    deadline = _deadline.get()
    return int(deadline is not None and time.monotonic() > deadline)


def is_out_of_time(error: DBAPIError) -> bool:
    """A statement stopped by `time_budget`, on either engine."""
    if getattr(error.orig, "sqlstate", None) == QUERY_CANCELED_SQLSTATE:
        return True
    return isinstance(error, OperationalError) and "interrupted" in str(error.orig)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for an in-memory database or another engine)."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def create_engine(url: str, *, must_exist: bool = True) -> Engine:
    """An engine for the URL; for SQLite, refuses a missing file unless asked to create it.

    Opening a missing SQLite file would silently create an empty database, and the user would
    then see a confusing "no such table" error instead of being told to migrate.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise InvalidInput(f"invalid database URL {url!r}") from error
    if is_sqlite(url):
        path = sqlite_path(url)
        if must_exist and path is not None and not path.exists():
            raise DatabaseNotReady(
                f"no database at {path}: run `tracker db upgrade` (or `tracker demo`) first"
            )
        engine = sa.create_engine(parsed, connect_args={"timeout": busy_timeout_seconds()})
        _configure_sqlite(engine)
        return engine
    engine = sa.create_engine(parsed, pool_pre_ping=True)
    _configure_postgresql(engine)
    return engine


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Without a lock timeout a writer blocked by another would wait forever.
        timeout_ms = int(busy_timeout_seconds() * 1000)
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {timeout_ms}")
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        deadline = _deadline.get()
        if deadline is not None:
            remaining_ms = max(1, int((deadline - time.monotonic()) * 1000))
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {remaining_ms}")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_seconds() * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
        dbapi_connection.set_progress_handler(_past_deadline, SQLITE_CHECK_EVERY)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A writer takes the write lock up front: a deferred transaction that reads, then
        # writes, can fail with "database is locked" mid-command when another writer got there
        # first. Readers never block writers in WAL mode, so they begin deferred.
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def reset_id_sequences(connection: sa.Connection, tables: list[sa.Table]) -> None:
    """After rows were inserted with explicit ids, let new rows continue after the largest.

    PostgreSQL's identity sequences do not notice explicit ids; SQLite needs nothing (a new
    rowid is always one more than the largest).
    """
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.columns:
            continue
        largest = sa.func.max(table.c.id)
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        connection.execute(
            sa.select(sa.func.setval(sequence, sa.func.coalesce(largest, 1), largest.is_not(None)))
        )


def refresh_planner_statistics(connection: sa.Connection, tables: Sequence[str]) -> None:
    """ANALYZE tables a PostgreSQL transaction is filling. With no statistics the planner
    takes `value IN (2,000 values)` to match the whole table and scans it for every batch,
    which made a 100,000-entry import quadratic. SQLite plans by index and needs nothing."""
    if connection.dialect.name == "postgresql":
        preparer = connection.dialect.identifier_preparer
        connection.exec_driver_sql(f"ANALYZE {', '.join(preparer.quote(t) for t in tables)}")


@contextmanager
def schema_change(engine: Engine) -> Iterator[sa.Connection]:
    """A connection in one transaction for a migration.

    SQLite alters a table by rebuilding it (Alembic's batch mode), which foreign-key
    enforcement forbids while other rows point at that table. Enforcement is paused for the
    transaction (it can only be switched outside one) and every key is checked before commit,
    so a migration still cannot leave a dangling reference.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise InvalidInput(
                            f"the migration would leave a dangling reference in {broken[0]}"
                        )
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


@contextmanager
def transaction(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """One session in one transaction: committed if the block succeeds, else rolled back.

    `read_only` sessions are for reports and dumps: they never take the write lock, are rolled
    back, and see one snapshot of the whole database (PostgreSQL: REPEATABLE READ; SQLite's
    WAL readers always do).
    """
    if _past_deadline():
        raise OutOfTime("the time this question was given ran out before it began")
    bind = engine
    if read_only:
        bind = engine.execution_options(**{READ_ONLY_OPTION: True})
        if not is_sqlite(str(engine.url)):
            bind = bind.execution_options(isolation_level="REPEATABLE READ")
    try:
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session
            if read_only:
                session.rollback()
    except DBAPIError as error:
        if is_busy(error):
            raise DatabaseBusy("database is busy, try again") from error
        raise


def is_busy(error: DBAPIError) -> bool:
    """Another writer held a lock for longer than the busy timeout, on either engine."""
    if getattr(error.orig, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)
