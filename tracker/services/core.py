"""Core statements inside an ORM session: the bulk writers use SQLAlchemy Core (executemany,
no ORM unit of work, COPY on PostgreSQL), and must see every ORM change the session holds
first."""

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.batching import batched

IN_CHUNK = 10_000  # values per IN (...): SQLite refuses statements with over 32,766 parameters


def core(session: Session) -> sa.Connection:
    """The session's connection, with pending ORM changes flushed to it."""
    session.flush()
    return session.connection()


def insert_rows(
    connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """INSERT the rows (all with the same keys); their new ids, in the rows' order.

    On PostgreSQL the rows go through COPY with ids drawn from the table's sequence first:
    psycopg spends longer composing a multi-row INSERT ... RETURNING of a thousand rows than
    the server spends running it, and COPY composes nothing (an import of 10,000 SDN
    entries: 16 s down to about 7)."""
    if not rows:
        return []
    if connection.dialect.name != "postgresql":
        if "id" not in table.c:
            connection.execute(table.insert(), rows)
            return []
        statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(statement, rows).scalars())
    return _copy_rows(connection, table, rows)


def _copy_rows(
    connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    names = list(rows[0])
    if "id" not in table.c:
        ids: list[int] = []
    elif "id" in names:
        ids = [row["id"] for row in rows]
    else:
        ids = sorted(
            connection.execute(
                sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id'))"
                        " FROM generate_series(1, :count)"),
                {"table": table.name, "count": len(rows)},
            ).scalars()
        )  # fmt: skip
        rows = [{**row, "id": row_id} for row, row_id in zip(rows, ids, strict=True)]
        names.append("id")
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
    return ids


def chunks(ids: Sequence[Any] | set[Any]) -> Iterator[list[Any]]:
    """Values in lists short enough for one IN (...) on every engine."""
    return batched(sorted(ids) if isinstance(ids, set) else ids, IN_CHUNK)


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
