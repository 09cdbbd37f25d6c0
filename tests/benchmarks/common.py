"""What the benchmark scripts share: where the real data is, timing, a plain table printer and
scratch PostgreSQL databases. Benchmarks print figures beside a baseline measured in the same
run and never assert a time: the machines they run on are shared and noisy."""

import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
POSTGRES_ENV = "TRACKER_TEST_POSTGRES_URL"
ENGINES = ("sqlite", "postgresql", "both")

Result = TypeVar("Result")


def median_seconds(action: Callable[[], Result], repeat: int) -> tuple[float, Result]:
    """The median wall-clock time of `repeat` calls, and the last call's result."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns right-aligned to their widest cell, the first one left-aligned: figures line
    up whatever the sizes, in a terminal and in a Markdown code block alike."""
    widths = [max(len(line[i]) for line in (header, *rows)) for i in range(len(header))]
    for line in (header, *rows):
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
        print("  ".join(cells).rstrip())


def sizes_option(text: str) -> list[int]:
    """A comma-separated list of positive sizes ("10000,100000"), for argparse."""
    sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        raise ValueError(f"not a list of positive sizes: {text!r}")
    return sizes


def postgres_base(explicit: str | None) -> str | None:
    """The server to make scratch databases on: the option, else the test suite's variable."""
    return explicit or os.environ.get(POSTGRES_ENV)


@contextmanager
def postgres_database(base: str, prefix: str) -> Iterator[str]:
    """A new, empty database on the server `base` names, dropped again at the end; yields its
    URL for tracker. Named `prefix` and the process id, so runs at once (CI's smoke test
    beside a full run) never share one; a crashed run's leftover of that name is dropped."""
    if not prefix.startswith("bench_"):
        raise ValueError(f"scratch databases are named bench_*, not {prefix!r}")
    name = f"{prefix}_{os.getpid()}"
    server = sa.make_url(base).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
