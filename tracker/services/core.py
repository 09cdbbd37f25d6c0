"""Core statements inside an ORM session: the bulk writers use SQLAlchemy Core (executemany,
no ORM unit of work, COPY on PostgreSQL), and must see every ORM change the session holds
first."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session


def core(session: Session) -> sa.Connection:
    """The session's connection, with pending ORM changes flushed to it."""
    session.flush()
    return session.connection()


def insert_rows(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT the rows (all with the same keys): executemany, or COPY on PostgreSQL, where
    psycopg spends longer composing a multi-row INSERT of a thousand rows than the server
    spends running it, and COPY composes nothing (an import of 10,000 SDN entries: 16 s down
    to about 7)."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _copy_rows(connection, table, rows)
    else:
        connection.execute(table.insert(), rows)


def insert_returning_ids(
    connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """INSERT the rows as `insert_rows` does; their new ids, in the rows' order. On
    PostgreSQL the ids are drawn from the table's sequence first, then COPYed with the rows.

    On SQLite the first row's INSERT ... RETURNING takes the database's write lock and the
    next free id; the rest follow it with ids given (one executemany). SQLite cannot promise
    the order of a multi-row RETURNING, so asked for ids in order SQLAlchemy sends one
    statement a row: an import of 10,000 entries ran 42,000 of them."""
    if not rows:
        return []
    if connection.dialect.name != "postgresql":
        first = connection.execute(table.insert().returning(table.c.id), rows[0]).scalar_one()
        ids = list(range(first, first + len(rows)))
        rest = [{**row, "id": i} for row, i in zip(rows[1:], ids[1:], strict=True)]
        if rest:
            connection.execute(table.insert(), rest)
        return ids
    ids = sorted(
        connection.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id'))"
                    " FROM generate_series(1, :count)"),
            {"table": table.name, "count": len(rows)},
        ).scalars()
    )  # fmt: skip
    _copy_rows(connection, table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def _copy_rows(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """COPY the rows into the table, valued as SQLAlchemy would bind them."""
    names = list(rows[0])
    defaults = {  # Python-side column defaults, which COPY would leave NULL
        column.name: column.default.arg
        for column in table.c
        if column.name not in names and isinstance(column.default, sa.ColumnDefault)
    }
    dialect = connection.dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        for name in [*names, *defaults]
    ]
    preparer = dialect.identifier_preparer
    columns = ", ".join(preparer.quote(name) for name in [*names, *defaults])
    statement = f"COPY {preparer.format_table(table)} ({columns}) FROM STDIN"
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    driver_error = dialect.loaded_dbapi.Error
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                values = [row[name] for name in names]
                values.extend(arg(None) if callable(arg) else arg for arg in defaults.values())
                copy.write_row(
                    [v if p is None else p(v) for v, p in zip(values, processors, strict=True)]
                )
    except driver_error as error:  # raised as SQLAlchemy would: IntegrityError, ...
        raise sa.exc.DBAPIError.instance(statement, None, error, driver_error) from error


def update_rows(*, session: Session, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE rows by id, each with its own values: one executemany per set of columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(sorted(key for key in row if key != "id")), []).append(row)
    connection = core(session)
    for columns, group in by_columns.items():
        statement = (
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values({column: sa.bindparam(f"new_{column}") for column in columns})
        )
        connection.execute(
            statement,
            [{"row_id": row["id"], **{f"new_{c}": row[c] for c in columns}} for row in group],
        )
