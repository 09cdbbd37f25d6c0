"""Benchmark: report query times on a large database, beside hand-written SQL.

Generates (once, cached under --workdir) a SQLite database with 100,000 entities, 300,000
designations and sanctions and 1,000,000 events, then times, `--repeat` times each:

- `report status --as-of`      vs the same question in raw SQL through sqlite3
- `report changes` over a year vs raw SQL
- `report timeline KEY`        vs raw SQL

and prints medians and the ratio report / raw. "Query time" is building the report data
(what every format renders), not drawing a table. Targets: ratio <= 2, report < 1 s.

    python tests/benchmarks/bench_reports.py [--workdir /tmp/tracker-bench] [--repeat 5]
"""

import argparse
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, select

from tracker import migrations
from tracker.db import create_engine, transaction
from tracker.models import Entity
from tracker.reports.changes import changes_report, timeline_report
from tracker.reports.filters import ReportFilters
from tracker.reports.status import status_report

ENTITIES = 100_000
DESIGNATIONS = 200_000
SANCTIONS = 100_000
EVENTS = 1_000_000
AS_OF = "2024-06-30"
YEAR = ("2024-01-01", "2024-12-31")
AUTHORITIES = ["us-state", "us-ofac", "un-sc", "eu", "uk"]
LISTS = ["SDN", "FTO", "SDGT", "UN", "EU-FSF"]
COUNTRIES = ["VE", "MX", "CO", "IR", "RU", "SY", "KP", "AF", None]
MEASURES = ["asset-freeze", "travel-ban", "arms-embargo", "visa-restriction"]


def random_day(rng: random.Random, start: int = 1997, end: int = 2026) -> str:
    year = rng.randint(start, end)
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def generate(path: Path) -> None:
    """Fill a migrated database through the raw driver (fast, and independent of tracker)."""
    url = f"sqlite:///{path}"
    engine = create_engine(url, must_exist=False)
    migrations.upgrade(engine)
    engine.dispose()
    rng = random.Random(20251124)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    with db:
        db.executemany(
            "INSERT INTO authority (id, key, name, jurisdiction) VALUES (?, ?, ?, ?)",
            [(i + 1, key, key.upper(), "XX") for i, key in enumerate(AUTHORITIES)],
        )
        db.executemany(
            "INSERT INTO entity (id, key, name, kind, country) VALUES (?, ?, ?, ?, ?)",
            (
                (i, f"entity-{i:06d}", f"Entity {i}", "organization", rng.choice(COUNTRIES))
                for i in range(1, ENTITIES + 1)
            ),
        )
        designations = []
        for i in range(1, DESIGNATIONS + 1):
            effective = random_day(rng)
            ended = random_day(rng, int(effective[:4]), 2026) if rng.random() < 0.3 else None
            if ended is not None and ended < effective:
                ended = None
            status = "revoked" if ended else "active"
            designations.append(
                (i, rng.randint(1, ENTITIES), rng.randint(1, 5), rng.choice(LISTS),
                 rng.choice(["SDGT", "VENEZUELA-EO13850", None]), effective, ended, status)
            )  # fmt: skip
        db.executemany(
            "INSERT INTO designation (id, entity_id, authority_id, list_code, program,"
            " effective_on, ended_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            designations,
        )
        sanctions = [
            (i, rng.randint(1, ENTITIES), rng.randint(1, 5), rng.choice(MEASURES),
             random_day(rng), "active")
            for i in range(1, SANCTIONS + 1)
        ]  # fmt: skip
        db.executemany(
            "INSERT INTO sanction (id, entity_id, authority_id, measure, start_on, status)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            sanctions,
        )
        db.executemany(
            "INSERT INTO source (id, title, url) VALUES (?, ?, ?)",
            ((i, f"Notice {i}", f"https://example.org/notice/{i}") for i in range(1, 1001)),
        )
        db.executemany(
            "INSERT INTO citation (source_id, designation_id) VALUES (?, ?)",
            ((rng.randint(1, 1000), i) for i in range(1, DESIGNATIONS + 1)),
        )
        db.executemany(
            "INSERT INTO event (action, subject_type, subject_id, entity_id, occurred_on,"
            " recorded_at, after, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _events(rng, designations, sanctions),
        )
    db.execute("ANALYZE")
    db.close()


def _events(rng: random.Random, designations: list, sanctions: list):  # type: ignore[no-untyped-def]
    recorded = "2026-01-01 00:00:00.000000+00:00"
    count = 0
    for d_id, entity_id, *_rest, effective, ended, _status in designations:
        yield ("listed", "designation", d_id, entity_id, effective, recorded, "{}", None)
        count += 1
        if ended:
            yield ("revoked", "designation", d_id, entity_id, ended, recorded, "{}", None)
            count += 1
    for s_id, entity_id, _a, _m, start, _status in sanctions:
        yield ("imposed", "sanction", s_id, entity_id, start, recorded, "{}", None)
        count += 1
    while count < EVENTS:
        d_id, entity_id, *_ = rng.choice(designations)
        after = '{"program": "SDGT"}'
        yield ("amended", "designation", d_id, entity_id, random_day(rng), recorded, after, None)
        count += 1


RAW_STATUS = """
SELECT d.id, e.key, e.name, a.key, d.list_code, d.program, d.announced_on, d.effective_on,
       d.ended_on, d.status
FROM designation d JOIN entity e ON e.id = d.entity_id JOIN authority a ON a.id = d.authority_id
WHERE (d.effective_on <= :day OR d.announced_on <= :day
       OR (d.effective_on IS NULL AND d.announced_on IS NULL))
  AND (d.ended_on IS NULL OR d.ended_on > :day)
ORDER BY e.key, d.id
"""
RAW_STATUS_ONE_LIST = RAW_STATUS.replace(
    "ORDER BY", "AND a.key = 'us-state' AND d.list_code = 'FTO' ORDER BY"
)
RAW_STATUS_SANCTIONS = """
SELECT s.id, e.key, a.key, s.measure, s.program, s.start_on
FROM sanction s JOIN entity e ON e.id = s.entity_id JOIN authority a ON a.id = s.authority_id
WHERE s.start_on <= :day AND (s.end_on IS NULL OR s.end_on > :day)
ORDER BY e.key, s.id
"""
RAW_STATUS_SOURCES = """
SELECT c.designation_id, src.url FROM citation c JOIN source src ON src.id = c.source_id
JOIN designation d ON d.id = c.designation_id
WHERE (d.effective_on <= :day OR d.announced_on <= :day)
  AND (d.ended_on IS NULL OR d.ended_on > :day)
"""
RAW_CHANGES = """
SELECT ev.id, ev.occurred_on, ev.action, ev.subject_type, ev.subject_id, e.key, e.name,
       ev.before, ev.after, a.key, d.list_code, d.program, sa.key, s.measure
FROM event ev LEFT JOIN entity e ON e.id = ev.entity_id
LEFT JOIN designation d ON ev.subject_type = 'designation' AND d.id = ev.subject_id
LEFT JOIN authority a ON a.id = d.authority_id
LEFT JOIN sanction s ON ev.subject_type = 'sanction' AND s.id = ev.subject_id
LEFT JOIN authority sa ON sa.id = s.authority_id
WHERE ev.occurred_on >= :since AND ev.occurred_on <= :until
ORDER BY ev.occurred_on, ev.id
"""
RAW_TIMELINE = """
SELECT ev.id, ev.occurred_on, ev.action, ev.subject_type, ev.subject_id, ev.before, ev.after,
       a.key, d.list_code, d.program, sa.key, s.measure
FROM event ev
LEFT JOIN designation d ON ev.subject_type = 'designation' AND d.id = ev.subject_id
LEFT JOIN authority a ON a.id = d.authority_id
LEFT JOIN sanction s ON ev.subject_type = 'sanction' AND s.id = ev.subject_id
LEFT JOIN authority sa ON sa.id = s.authority_id
WHERE ev.entity_id = :entity_id
ORDER BY ev.occurred_on IS NOT NULL, ev.occurred_on, ev.id
"""


def median_seconds(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / "reports.db"
    if not path.exists():
        started = time.perf_counter()
        generate(path)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s")
    engine = create_engine(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    with Session(engine) as session:
        busiest = session.exec(select(Entity).where(Entity.key == "entity-000042")).one()
    entity_id = busiest.id

    def report_status() -> object:
        with transaction(engine, read_only=True) as session:
            return status_report(session, day=AS_OF, filters=ReportFilters())

    def raw_status() -> object:
        day = {"day": AS_OF}
        return (
            raw.execute(RAW_STATUS, day).fetchall(),
            raw.execute(RAW_STATUS_SANCTIONS, day).fetchall(),
            raw.execute(RAW_STATUS_SOURCES, day).fetchall(),
        )

    def report_status_one_list() -> object:
        filters = ReportFilters(authority="us-state", list_code="FTO")
        with transaction(engine, read_only=True) as session:
            return status_report(session, day=AS_OF, filters=filters)

    def raw_status_one_list() -> object:
        day = {"day": AS_OF}
        rows = raw.execute(RAW_STATUS_ONE_LIST, day).fetchall()
        ids = ",".join(str(row[0]) for row in rows)
        sources = raw.execute(
            "SELECT c.designation_id, s.url FROM citation c JOIN source s ON s.id = c.source_id"
            f" WHERE c.designation_id IN ({ids})"
        ).fetchall()
        return rows, sources

    def report_changes() -> object:
        with transaction(engine, read_only=True) as session:
            return changes_report(session, since=YEAR[0], until=YEAR[1])

    def raw_changes() -> object:
        return raw.execute(RAW_CHANGES, {"since": "2024", "until": YEAR[1]}).fetchall()

    def report_timeline() -> object:
        with transaction(engine, read_only=True) as session:
            return timeline_report(session, entity=session.get(Entity, entity_id))

    def raw_timeline() -> object:
        return raw.execute(RAW_TIMELINE, {"entity_id": entity_id}).fetchall()

    print(f"{'question':<28}{'rows':>9}{'report p50':>13}{'raw SQL p50':>13}{'ratio':>8}")
    for name, report, baseline in [
        (f"status --as-of {AS_OF}", report_status, raw_status),
        ("status, us-state FTO only", report_status_one_list, raw_status_one_list),
        (f"changes {YEAR[0][:4]}", report_changes, raw_changes),
        ("timeline entity-000042", report_timeline, raw_timeline),
    ]:
        report_time, result = median_seconds(report, args.repeat)
        raw_time, _ = median_seconds(baseline, args.repeat)
        rows = sum(len(s.rows) for s in result.sections)  # type: ignore[attr-defined]
        print(
            f"{name:<28}{rows:>9}{report_time * 1000:>11.0f}ms{raw_time * 1000:>11.0f}ms"
            f"{report_time / raw_time:>8.2f}"
        )
    engine.dispose()


if __name__ == "__main__":
    main()
