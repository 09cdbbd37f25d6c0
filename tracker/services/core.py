"""Core statements inside an ORM session: the bulk writers use SQLAlchemy Core (executemany,
no ORM unit of work), and must see every ORM change the session holds first."""

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
