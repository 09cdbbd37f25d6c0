"""Benchmark: report query times on a large database, through the API, beside hand-written SQL.

Generates a database of `--entities` entities (default 100,000), twice as many designations,
as many sanctions and ten times as many events, through the raw driver (SQLite: cached under
--workdir; PostgreSQL: a fresh scratch database, dropped at the end). A fifth of the
designations are what an import of a list that states no dates makes: no stated start, in
force from the edition that first showed them (`first_seen_on`), some gone from a later one
(`removed_on`). Then it times, `--repeat` times each:

- `status(as_of=...)`                        vs the same question in raw SQL
- `status(as_of=..., filters=Filters(authority="us-state", list="FTO"))` vs raw SQL
- `changes(since=..., until=...)` over a year vs raw SQL
- `timeline(KEY)`                            vs raw SQL

through `tracker.connect(url)` (each call one read transaction, records built), and prints
the medians and the ratio API / raw SQL.

    python tests/benchmarks/bench_reports.py [--entities 100000] [--repeat 5] [--engine both]
"""

import argparse
import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tracker
from tests.benchmarks.common import (
    ENGINES,
    POSTGRES_ENV,
    median_seconds,
    postgres_base,
    postgres_database,
    print_table,
)

AS_OF = "2024-06-30"
YEAR = ("2024-01-01", "2024-12-31")
TIMELINE_KEY = "entity-000042"
AUTHORITIES = ["us-state", "us-ofac", "un-sc", "eu", "uk"]
LISTS = ["SDN", "FTO", "SDGT", "UN", "EU-FSF"]
PROGRAMS = ["SDGT", "VENEZUELA-EO13850", None]
COUNTRIES = ["VE", "MX", "CO", "IR", "RU", "SY", "KP", "AF", None]
MEASURES = ["asset-freeze", "travel-ban", "arms-embargo", "visa-restriction"]
OBSERVED_SHARE = 0.2  # designations an import made, with no stated dates
ENDED_SHARE = 0.3
RECORDED = "2026-01-01 00:00:00+00:00"
SOURCES = 1000

Row = tuple[Any, ...]
# Writes rows into a table: (table, columns, rows).
Sink = Callable[[str, Sequence[str], Iterable[Row]], None]


def random_day(rng: random.Random, start: int = 1997, end: int = 2026) -> str:
    return f"{rng.randint(start, end):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def later_day(rng: random.Random, day: str) -> str | None:
    """A day on or after `day` (None when the draw falls before it)."""
    drawn = random_day(rng, int(day[:4]), 2026)
    return drawn if drawn >= day else None


def designation_rows(rng: random.Random, entities: int) -> list[Row]:
    """(id, entity, authority, list, program, effective, ended, status, first seen, last
    seen, removed): stated listings, and a share only observed in imported editions."""
    rows: list[Row] = []
    for i in range(1, 2 * entities + 1):
        entity, authority = rng.randint(1, entities), rng.randint(1, len(AUTHORITIES))
        list_code, program = rng.choice(LISTS), rng.choice(PROGRAMS)
        start = random_day(rng)
        end = later_day(rng, start) if rng.random() < ENDED_SHARE else None
        if rng.random() < OBSERVED_SHARE:
            status = "delisted" if end else "active"
            rows.append((i, entity, authority, list_code, program, None, None, status, start,
                         end or "2026-12-31", end))  # fmt: skip
        else:
            status = "revoked" if end else "active"
            rows.append((i, entity, authority, list_code, program, start, end, status, None,
                         None, None))  # fmt: skip
    return rows


def events(
    rng: random.Random, designations: list[Row], sanctions: list[Row], total: int
) -> Iterator[Row]:
    """(action, subject type, subject, entity, occurred on, after): each listing's own
    events, then amendments of random designations up to `total` events."""
    count = 0
    for d_id, entity_id, *_rest, effective, ended, _status, seen, _last, removed in designations:
        yield ("listed", "designation", d_id, entity_id, effective or seen, "{}")
        count += 1
        if ended or removed:
            action = "revoked" if ended else "delisted"
            yield (action, "designation", d_id, entity_id, ended or removed, "{}")
            count += 1
    for s_id, entity_id, _a, _m, start, _status in sanctions:
        yield ("imposed", "sanction", s_id, entity_id, start, "{}")
        count += 1
    while count < total:
        d_id, entity_id, *_ = rng.choice(designations)
        yield ("amended", "designation", d_id, entity_id, random_day(rng), '{"program": "SDGT"}')
        count += 1


def generate(write: Sink, entities: int) -> None:
    """Fill a migrated database (the same rows on every engine: one seed)."""
    rng = random.Random(20251124)
    authorities = [(i, key, key.upper(), "XX") for i, key in enumerate(AUTHORITIES, 1)]
    write("authority", ["id", "key", "name", "jurisdiction"], authorities)
    write(
        "entity",
        ["id", "key", "name", "kind", "country"],
        ((i, f"entity-{i:06d}", f"Entity {i}", "organization", rng.choice(COUNTRIES))
         for i in range(1, entities + 1)),
    )  # fmt: skip
    designations = designation_rows(rng, entities)
    write(
        "designation",
        ["id", "entity_id", "authority_id", "list_code", "program", "effective_on", "ended_on",
         "status", "first_seen_on", "last_seen_on", "removed_on"],
        designations,
    )  # fmt: skip
    sanctions = [
        (i, rng.randint(1, entities), rng.randint(1, len(AUTHORITIES)), rng.choice(MEASURES),
         random_day(rng), "active")
        for i in range(1, entities + 1)
    ]  # fmt: skip
    write("sanction", ["id", "entity_id", "authority_id", "measure", "start_on", "status"],
          sanctions)  # fmt: skip
    notices = ((i, f"Notice {i}", f"https://example.org/notice/{i}") for i in range(1, SOURCES + 1))
    write("source", ["id", "title", "url"], notices)
    cited = ((rng.randint(1, SOURCES), row[0]) for row in designations)
    write("citation", ["source_id", "designation_id"], cited)
    write(
        "event",
        ["action", "subject_type", "subject_id", "entity_id", "occurred_on", "recorded_at",
         "after"],
        ((*row[:5], RECORDED, row[5])
         for row in events(rng, designations, sanctions, 10 * entities)),
    )  # fmt: skip


def generate_sqlite(path: Path, entities: int) -> None:
    with tracker.connect(path) as db:
        db.upgrade()
    connection = sqlite3.connect(path)

    def write(table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        marks = ", ".join("?" for _ in columns)
        connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                               rows)  # fmt: skip

    with connection:
        generate(write, entities)
    connection.execute("ANALYZE")
    connection.close()


def generate_postgresql(url: str, entities: int) -> None:
    with tracker.connect(url) as db:
        db.upgrade()
    with psycopg.connect(libpq(url)) as connection:

        def write(table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with connection.cursor().copy(statement) as copy:  # type: ignore[arg-type]
                for row in rows:
                    copy.write_row(row)

        generate(write, entities)
        connection.commit()
        connection.autocommit = True
        connection.execute("ANALYZE")


def libpq(url: str) -> str:
    """A URL for tracker as one for psycopg itself (no SQLAlchemy driver name)."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


IN_FORCE = """
  AND (d.effective_on <= :day OR d.announced_on <= :day
       OR (d.effective_on IS NULL AND d.announced_on IS NULL
           AND (d.first_seen_on IS NULL OR d.first_seen_on <= :day)))
  AND (d.ended_on IS NULL OR d.ended_on > :day)
  AND (d.removed_on IS NULL OR d.removed_on > :day)
"""
RAW_STATUS = f"""
SELECT d.id, e.key, e.name, a.key, d.list_code, d.program, d.announced_on, d.effective_on,
       d.ended_on, d.status, d.first_seen_on, d.last_seen_on, d.removed_on
FROM designation d JOIN entity e ON e.id = d.entity_id JOIN authority a ON a.id = d.authority_id
WHERE TRUE {IN_FORCE}
ORDER BY e.key, d.id
"""
RAW_STATUS_ONE_LIST = RAW_STATUS.replace(
    "ORDER BY", "AND a.key = 'us-state' AND d.list_code = 'FTO' ORDER BY"
)
RAW_STATUS_SANCTIONS = """
SELECT s.id, e.key, a.key, s.measure, s.program, s.start_on, s.first_seen_on
FROM sanction s JOIN entity e ON e.id = s.entity_id JOIN authority a ON a.id = s.authority_id
WHERE (s.start_on <= :day OR (s.start_on IS NULL
                              AND (s.first_seen_on IS NULL OR s.first_seen_on <= :day)))
  AND (s.end_on IS NULL OR s.end_on > :day) AND (s.removed_on IS NULL OR s.removed_on > :day)
ORDER BY e.key, s.id
"""
RAW_STATUS_SOURCES = f"""
SELECT c.designation_id, src.url FROM citation c JOIN source src ON src.id = c.source_id
JOIN designation d ON d.id = c.designation_id
WHERE TRUE {IN_FORCE}
"""
RAW_CHANGES = """
SELECT ev.id, ev.occurred_on, ev.action, ev.subject_type, ev.subject_id, e.key, e.name,
       ev.before, ev.after, src.url, a.key, d.list_code, d.program, sa.key, s.measure
FROM event ev LEFT JOIN entity e ON e.id = ev.entity_id
LEFT JOIN source src ON src.id = ev.source_id
LEFT JOIN designation d ON ev.subject_type = 'designation' AND d.id = ev.subject_id
LEFT JOIN authority a ON a.id = d.authority_id
LEFT JOIN sanction s ON ev.subject_type = 'sanction' AND s.id = ev.subject_id
LEFT JOIN authority sa ON sa.id = s.authority_id
WHERE ev.occurred_on >= :since AND ev.occurred_on <= :until
ORDER BY ev.occurred_on, ev.id
"""
RAW_TIMELINE = """
SELECT ev.id, ev.occurred_on, ev.action, ev.subject_type, ev.subject_id, ev.before, ev.after,
       src.url, a.key, d.list_code, d.program, sa.key, s.measure
FROM event ev
LEFT JOIN source src ON src.id = ev.source_id
LEFT JOIN designation d ON ev.subject_type = 'designation' AND d.id = ev.subject_id
LEFT JOIN authority a ON a.id = d.authority_id
LEFT JOIN sanction s ON ev.subject_type = 'sanction' AND s.id = ev.subject_id
LEFT JOIN authority sa ON sa.id = s.authority_id
WHERE ev.entity_id = (SELECT id FROM entity WHERE key = :key)
ORDER BY ev.occurred_on IS NOT NULL, ev.occurred_on, ev.id
"""

# Runs one raw query: (SQL with :name parameters, parameters) -> rows.
Query = Callable[[str, dict[str, str]], list[Row]]


@contextmanager
def raw_driver(url: str) -> Iterator[Query]:
    """The bare driver under tracker's URL: sqlite3, or psycopg (its parameters as %(name)s)."""
    if url.startswith("sqlite"):
        sqlite = sqlite3.connect(sa.make_url(url).database or "")
        yield lambda sql, params: sqlite.execute(sql, params).fetchall()
        sqlite.close()
        return
    with psycopg.connect(libpq(url), autocommit=True) as postgres:
        yield lambda sql, params: postgres.execute(
            re.sub(r":(\w+)", r"%(\1)s", sql),  # type: ignore[arg-type]
            params,
        ).fetchall()


Question = tuple[str, Callable[[], int], Callable[[], int]]


def questions(db: tracker.Tracker, raw: Query) -> list[Question]:
    """(question, the API's answer, the raw SQL's): each as the rows it found."""
    day = {"day": AS_OF}
    one_list = tracker.Filters(authority="us-state", list="FTO")

    def status() -> int:
        report = db.status(as_of=AS_OF)
        return len(report.designations) + len(report.sanctions)

    def status_one_list() -> int:
        return len(db.status(as_of=AS_OF, filters=one_list).designations)

    def raw_status() -> int:
        raw(RAW_STATUS_SOURCES, day)
        return len(raw(RAW_STATUS, day)) + len(raw(RAW_STATUS_SANCTIONS, day))

    def raw_status_one_list() -> int:
        rows = raw(RAW_STATUS_ONE_LIST, day)
        ids = ",".join(str(row[0]) for row in rows) or "NULL"
        raw("SELECT c.designation_id, s.url FROM citation c JOIN source s"
            f" ON s.id = c.source_id WHERE c.designation_id IN ({ids})", {})  # fmt: skip
        return len(rows)

    return [
        (f"status as of {AS_OF}", status, raw_status),
        ("status, us-state FTO only", status_one_list, raw_status_one_list),
        (f"changes {YEAR[0][:4]}", lambda: len(db.changes(since=YEAR[0], until=YEAR[1]).changes),
         lambda: len(raw(RAW_CHANGES, {"since": YEAR[0], "until": YEAR[1]}))),
        (f"timeline {TIMELINE_KEY}", lambda: len(db.timeline(TIMELINE_KEY).events),
         lambda: len(raw(RAW_TIMELINE, {"key": TIMELINE_KEY}))),
    ]  # fmt: skip


def measure(engine: str, url: str, repeat: int) -> None:
    print(f"\n{engine}")
    with tracker.connect(url) as db, raw_driver(url) as raw:
        rows = []
        for name, api, baseline in questions(db, raw):
            api_time, found = median_seconds(api, repeat)
            raw_time, expected = median_seconds(baseline, repeat)
            rows.append([name, f"{found:,}/{expected:,}", milliseconds(api_time),
                         milliseconds(raw_time), f"{api_time / raw_time:.2f}"])  # fmt: skip
        print_table(["question", "rows API/raw", "API p50", "raw SQL p50", "API/raw"], rows)


def milliseconds(seconds: float) -> str:
    """Three significant figures at most, and never a bare 0."""
    ms = seconds * 1000
    return f"{ms:.2f} ms" if ms < 1 else f"{ms:.1f} ms" if ms < 10 else f"{ms:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench"))
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--engine", choices=ENGINES, default="sqlite")
    parser.add_argument("--postgres-url", help=f"the server for a scratch database"
                        f" bench_reports_* (default: ${POSTGRES_ENV})")  # fmt: skip
    args = parser.parse_args()
    postgres = postgres_base(args.postgres_url)
    if args.engine != "sqlite" and postgres is None:
        sys.exit(f"--engine {args.engine}: give --postgres-url or set ${POSTGRES_ENV}")
    entities = args.entities
    print(f"{entities:,} entities, {2 * entities:,} designations, {entities:,} sanctions,"
          f" {10 * entities:,} events; medians of {args.repeat} runs")  # fmt: skip
    if args.engine in ("sqlite", "both"):
        args.workdir.mkdir(parents=True, exist_ok=True)
        path = args.workdir / f"reports-{entities}-r{tracker.Tracker.head()}.db"
        if not path.exists():
            started = time.perf_counter()
            generate_sqlite(path.with_suffix(".partial"), entities)
            path.with_suffix(".partial").rename(path)
            print(f"generated {path} in {time.perf_counter() - started:.1f} s")
        measure("SQLite", f"sqlite:///{path}", args.repeat)
    if args.engine in ("postgresql", "both"):
        assert postgres is not None
        with postgres_database(postgres, f"bench_reports_{entities}") as url:
            started = time.perf_counter()
            generate_postgresql(url, entities)
            print(f"\ngenerated PostgreSQL database in {time.perf_counter() - started:.1f} s")
            measure("PostgreSQL", url, args.repeat)


if __name__ == "__main__":
    main()
