"""Benchmark: importing large OFAC SDN CSV files, beside plain sqlite3 writes of the same rows.

Builds sdn.csv files of each `--sizes` entries by repeating the real entries of
../shared/data/ofac_sdn_csv/2023-04-27T1843Z/sdn.csv under new entry numbers, then for each
size and engine (`--engine`; PostgreSQL in a fresh database per size):

- the first import, `tracker import ofac` in a new process (its peak RSS is the memory
  figure; the time includes the process's start-up, printed above the tables);
- a re-import of the identical file (recognised by its digest);
- a re-import of the same entries as a new edition (every entry compared, none changed).

And two baselines, plain sqlite3 in one transaction with `executemany`, timed from parsing
the file with tracker's own parser:

- bare: an entity and an identifier per entry, a designation per program, an event per
  designation (the least an import could write);
- full: every row tracker writes for a new list (source, authority, import run, entities,
  aliases, identifiers, list entries, designations and their citations, events, search
  names and keys, the countries and the match facts entries state), computed by the same
  functions tracker uses.

"rows" compares the rows tracker's first import wrote with the full baseline's. PostgreSQL
times are set beside SQLite's, as ratios to the (SQLite) baselines.

    python tests/benchmarks/bench_import.py [--sizes 10000,100000] [--engine both]
"""

import argparse
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tracker
from tests.benchmarks.common import (
    DATA,
    ENGINES,
    POSTGRES_ENV,
    postgres_base,
    postgres_database,
    print_table,
    sizes_option,
)
from tracker.importers import files, ofac_csv, specs
from tracker.importers.countries import listed_countries
from tracker.importers.facts import entry_facts
from tracker.models import SEARCH_KEY_LENGTH
from tracker.names import index_keys
from tracker.services.search_index import _normalized

SOURCE = DATA / "ofac_sdn_csv" / "2023-04-27T1843Z" / "sdn.csv"
PUBLISHED = "2023-04-27"
NEXT_EDITION = "2023-05-01"
LIST_KEY = specs.OFAC.list_key("SDN")
Row = tuple[Any, ...]

# Runs the CLI and reports the process's own peak RSS (KB) on stderr as it exits: VmHWM,
# the peak of this program's memory. Not getrusage's ru_maxrss, which a child inherits from
# the moment its parent forked it: this benchmark's own memory, after a baseline of 100,000
# entries, then counted as the import's.
MEASURED_CLI = (
    "import atexit, re, sys\n"
    "peak = lambda: re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]\n"
    "atexit.register(lambda: print(peak(), file=sys.stderr))\n"
    "from tracker.cli import main\n"
    "sys.argv = ['tracker', *sys.argv[1:]]\n"
    "main()\n"
)


def build(size: int, target: Path) -> None:
    """An sdn.csv of `size` entries: real rows repeated under fresh entry numbers."""
    rows = [line for line in SOURCE.read_text(encoding="utf-8").splitlines() if "," in line]
    with target.open("w", encoding="utf-8", newline="") as handle:
        for number in range(size):
            row = rows[number % len(rows)]
            handle.write(f"{number + 1}{row[row.index(',') :]}\r\n")
        handle.write("\x1a")


def cli(*args: str) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB, stdout) of one tracker command in a fresh process."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED_CLI, *args], capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - started
    peak = int(result.stderr.strip().splitlines()[-1]) // 1024
    return elapsed, peak, result.stdout


@dataclass(frozen=True)
class Imports:
    first: float
    peak_mb: int
    same_file: float
    new_edition: float
    rows: int | None  # rows in the database after the first import (SQLite)


def imports(url: str, csv_path: Path, size: int, rows: Callable[[], int] | None) -> Imports:
    """The first import, the identical file again, and the same entries as a new edition;
    `rows` counts what the first import wrote."""
    build(size, csv_path)
    with tracker.connect(url) as db:
        db.upgrade()

    def load(published: str) -> tuple[float, int, dict[str, object]]:
        seconds, peak, out = cli("--db", url, "import", "ofac", str(csv_path), "--published",
                                 published, "--quiet", "--format", "json")  # fmt: skip
        [summary] = json.loads(out)["imports"]
        return seconds, peak, summary

    first, peak, summary = load(PUBLISHED)
    assert summary["added"] == size, summary
    written = rows() if rows else None
    same, _, summary = load(PUBLISHED)
    assert summary["already_imported"], summary
    with csv_path.open("a", encoding="utf-8") as handle:
        handle.write("\r\n")  # new bytes, same entries: every entry is compared
    edition, _, summary = load(NEXT_EDITION)
    counts = {name: summary[name] for name in ("added", "changed", "removed", "unchanged")}
    assert counts == {"added": 0, "changed": 0, "removed": 0, "unchanged": size}, summary
    return Imports(first, peak, same, edition, written)


def fresh_schema(path: Path) -> None:
    """An empty database at tracker's schema (not timed: both baselines start from it)."""
    for stale in path.parent.glob(f"{path.name}*"):
        stale.unlink()
    with tracker.connect(path) as db:
        db.upgrade()


def row_counts(path: Path) -> int:
    """Rows in every tracker table of a SQLite database."""
    db = sqlite3.connect(path)
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = "
                                             "'table' AND name <> 'alembic_version'")]  # fmt: skip
    total = sum(db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables)
    db.close()
    return total


def bare_baseline(csv_path: Path, db_path: Path) -> float:
    """Tracker's parser, then the least an import could write, in one transaction."""
    fresh_schema(db_path)
    started = time.perf_counter()
    parties = list(ofac_csv.read(csv_path, list_code="SDN", published_on=PUBLISHED).parties)
    recorded = dt.datetime.now(dt.UTC).isoformat(sep=" ")
    db = sqlite3.connect(db_path)
    with db:
        db.execute("INSERT INTO authority (id, key, name, jurisdiction)"
                   " VALUES (1, 'us-ofac', 'OFAC', 'US')")  # fmt: skip
        db.executemany(
            "INSERT INTO entity (id, key, name, kind) VALUES (?, ?, ?, ?)",
            ((i, f"ofac-{p.identifier}", p.name, p.kind.value) for i, p in enumerate(parties, 1)),
        )
        db.executemany(
            "INSERT INTO identifier (entity_id, scheme, value) VALUES (?, 'ofac-uid', ?)",
            ((i, p.identifier) for i, p in enumerate(parties, 1)),
        )
        designations = [
            (i, program)
            for i, p in enumerate(parties, 1)
            for program in dict.fromkeys(listing.program for listing in p.listings)
        ]
        db.executemany(
            "INSERT INTO designation (entity_id, authority_id, list_code, program, status)"
            " VALUES (?, 1, 'SDN', ?, 'active')",
            designations,
        )
        db.executemany(
            "INSERT INTO event (action, subject_type, subject_id, entity_id, occurred_on,"
            " recorded_at) VALUES ('listed', 'designation', ?, ?, ?, ?)",
            ((n, i, PUBLISHED, recorded) for n, (i, _) in enumerate(designations, 1)),
        )
    db.close()
    return time.perf_counter() - started


def full_baseline(csv_path: Path, db_path: Path) -> float:
    """Tracker's parser, then every row tracker writes for a new list, in one transaction:
    the same comparable form and digest per entry, the same normalised names and keys."""
    fresh_schema(db_path)
    _normalized.cache_clear()  # as cold as in the import's own process
    started = time.perf_counter()
    edition = ofac_csv.read(csv_path, list_code="SDN", published_on=PUBLISHED)
    parties = list(edition.parties)
    recorded = dt.datetime.now(dt.UTC).isoformat(sep=" ")
    spec = edition.spec
    source = {"title": f"OFAC sanctions list SDN, edition of {PUBLISHED}",
              "publisher": spec.publisher, "url": edition.official_url,
              "published_on": PUBLISHED, "file_name": csv_path.name,
              "sha256": files.sha256(edition.files)}  # fmt: skip
    entities: list[Row] = []
    aliases: list[Row] = []
    identifiers: list[Row] = []
    entries: list[Row] = []
    names: list[tuple[int, int | None, str]] = []  # (entity, alias or None, name)
    designations: list[Row] = []
    events: list[Row] = []
    countries: list[Row] = []
    facts: list[Row] = []
    for entity_id, party in enumerate(parties, 1):
        key = spec.entity_key(party.identifier)
        entities.append((entity_id, key, party.name, party.kind.value))
        identifiers.append((entity_id, spec.scheme, party.identifier))
        entries.append((entity_id, party.identifier, entity_id, json.dumps(party.comparable),
                        party.digest))  # fmt: skip
        names.append((entity_id, None, party.name))
        ties = sorted(listed_countries(party.details).ties)
        countries.extend((entity_id, code, role.value, entity_id) for role, code in ties)
        facts.extend((entity_id, entity_id, kind.value, value, compared)
                     for kind, value, compared in sorted(entry_facts(party.details)))  # fmt: skip
        seen = {party.name}
        for alias in party.aliases:  # each name once, none the entity's own
            if alias.name not in seen:
                seen.add(alias.name)
                aliases.append((len(aliases) + 1, entity_id, alias.name, alias.kind.value))
                names.append((entity_id, len(aliases), alias.name))
        after = {"key": key, "name": party.name, "kind": party.kind.value,
                 "identifiers": [{"scheme": spec.scheme, "value": party.identifier}]}  # fmt: skip
        events.append(("entity-added", "entity", entity_id, entity_id, json.dumps(after)))
        for program in dict.fromkeys(listing.program for listing in party.listings):
            designations.append((len(designations) + 1, entity_id, program, entity_id))
            after = {"authority": spec.authority, "list_code": "SDN", "program": program,
                     "status": "active", "first_seen_on": PUBLISHED}  # fmt: skip
            events.append(("listed", "designation", len(designations), entity_id,
                           json.dumps(after)))  # fmt: skip
    normalized = [(i, entity_id, alias_id, name, _normalized(name))
                  for i, (entity_id, alias_id, name) in enumerate(names, 1)]  # fmt: skip
    keys = [(i, key[:SEARCH_KEY_LENGTH]) for i, *_rest, text in normalized
            for key in index_keys(text)]  # fmt: skip
    db = sqlite3.connect(db_path)
    with db:
        db.execute(
            "INSERT INTO source (id, title, publisher, url, published_on, file_name, sha256)"
            " VALUES (1, :title, :publisher, :url, :published_on, :file_name, :sha256)",
            source,
        )
        db.execute("INSERT INTO authority (id, key, name, jurisdiction, source_id)"
                   " VALUES (1, ?, ?, 'US', 1)", (spec.authority, spec.publisher))  # fmt: skip
        db.execute(
            "INSERT INTO import_run (id, format, list_key, list_code, source_id, complete,"
            " file_name, sha256, published_on, started_at, finished_at, added, changed,"
            " removed, unchanged) VALUES (1, ?, ?, 'SDN', 1, 1, ?, ?, ?, ?, ?, ?, 0, 0, 0)",
            (edition.format, LIST_KEY, csv_path.name, source["sha256"], PUBLISHED, recorded,
             recorded, len(parties)),
        )  # fmt: skip
        db.executemany(
            "INSERT INTO event (action, subject_type, subject_id, occurred_on, recorded_at,"
            " after) VALUES (?, ?, 1, NULL, ?, ?)",
            [("source-added", "source", recorded, json.dumps(source)),
             ("authority-added", "authority", recorded, json.dumps({"key": spec.authority}))],
        )  # fmt: skip
        db.executemany(
            "INSERT INTO entity (id, key, name, kind, source_id) VALUES (?, ?, ?, ?, 1)", entities
        )
        db.executemany(
            "INSERT INTO alias (id, entity_id, name, kind, source_id) VALUES (?, ?, ?, ?, 1)",
            aliases,
        )
        db.executemany(
            "INSERT INTO identifier (entity_id, scheme, value, source_id) VALUES (?, ?, ?, 1)",
            identifiers,
        )
        db.executemany(
            "INSERT INTO list_entry (id, list_key, identifier, entity_id, content, digest,"
            f" first_seen_on, last_seen_on, source_id) VALUES (?, '{LIST_KEY}', ?, ?, ?, ?,"
            f" '{PUBLISHED}', '{PUBLISHED}', 1)",
            ((entry_id, *rest) for entry_id, *rest in entries),
        )
        db.executemany(
            "INSERT INTO designation (id, entity_id, authority_id, list_code, program, status,"
            " first_seen_on, last_seen_on, list_entry_id)"
            f" VALUES (?, ?, 1, 'SDN', ?, 'active', '{PUBLISHED}', '{PUBLISHED}', ?)",
            designations,
        )
        db.executemany(
            "INSERT INTO citation (source_id, designation_id) VALUES (1, ?)",
            ((designation_id,) for designation_id, *_rest in designations),
        )
        db.executemany(
            "INSERT INTO event (action, subject_type, subject_id, entity_id, occurred_on,"
            " recorded_at, after, source_id, import_run_id)"
            f" VALUES (?, ?, ?, ?, '{PUBLISHED}', '{recorded}', ?, 1, 1)",
            events,
        )
        db.executemany(
            "INSERT INTO search_name (id, entity_id, alias_id, name, normalized)"
            " VALUES (?, ?, ?, ?, ?)",
            normalized,
        )
        db.executemany("INSERT INTO search_key (search_name_id, key) VALUES (?, ?)", keys)
        db.executemany(
            "INSERT INTO entity_country (entity_id, country, role, list_entry_id, source_id)"
            " VALUES (?, ?, ?, ?, 1)",
            countries,
        )
        db.executemany(
            "INSERT INTO match_fact (entity_id, list_entry_id, kind, value, normalized)"
            " VALUES (?, ?, ?, ?, ?)",
            facts,
        )
    db.close()
    return time.perf_counter() - started


@dataclass(frozen=True)
class Size:
    """One size's figures: the SQLite baselines, and each engine's imports."""

    entries: int
    bare: float
    full: float
    full_rows: int
    runs: dict[str, Imports]


def measure(size: int, workdir: Path, engines: list[str], postgres: str | None) -> Size:
    folder = workdir / f"import-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / "sdn.csv"
    runs: dict[str, Imports] = {}
    if "sqlite" in engines:
        db_path = folder / "tracker.db"
        for stale in folder.glob("tracker.db*"):
            stale.unlink()
        runs["sqlite"] = imports(str(db_path), csv_path, size, lambda: row_counts(db_path))
    if "postgresql" in engines:
        assert postgres is not None
        with postgres_database(postgres, f"bench_import_{size}") as url:
            runs["postgresql"] = imports(url, csv_path, size, None)
    bare = bare_baseline(csv_path, folder / "bare.db")
    full = full_baseline(csv_path, folder / "full.db")
    return Size(size, bare, full, row_counts(folder / "full.db"), runs)


def report(results: list[Size], startup: float) -> None:
    print(f"baselines: plain sqlite3, one transaction (full: every row tracker writes);"
          f" tracker: a new process (start-up {startup:.2f} s included)\n")  # fmt: skip
    if any("sqlite" in size.runs for size in results):
        print("SQLite")
        print_table(
            ["entries", "import", "bare", "full", "/bare", "/full", "rows tracker/full",
             "same file", "new edition", "new/full", "peak RSS"],
            [[f"{s.entries:,}", f"{run.first:.2f}s", f"{s.bare:.2f}s", f"{s.full:.2f}s",
              f"{run.first / s.bare:.2f}", f"{run.first / s.full:.2f}",
              f"{run.rows or 0:,}/{s.full_rows:,}", f"{run.same_file:.2f}s",
              f"{run.new_edition:.2f}s", f"{run.new_edition / s.full:.2f}",
              f"{run.peak_mb} MB"]
             for s in results if (run := s.runs.get("sqlite"))],
        )  # fmt: skip
        growth(results, "sqlite")
    if any("postgresql" in size.runs for size in results):
        print("\nPostgreSQL (ratios to the SQLite baselines above)")
        print_table(
            ["entries", "import", "SQLite import", "vs SQLite", "/bare (SQLite)",
             "/full (SQLite)", "same file", "new edition", "new/full (SQLite)", "peak RSS"],
            [[f"{s.entries:,}", f"{run.first:.2f}s",
              f"{s.runs['sqlite'].first:.2f}s" if "sqlite" in s.runs else "-",
              f"{run.first / s.runs['sqlite'].first:.2f}" if "sqlite" in s.runs else "-",
              f"{run.first / s.bare:.2f}", f"{run.first / s.full:.2f}",
              f"{run.same_file:.2f}s", f"{run.new_edition:.2f}s",
              f"{run.new_edition / s.full:.2f}", f"{run.peak_mb} MB"]
             for s in results if (run := s.runs.get("postgresql"))],
        )  # fmt: skip
        growth(results, "postgresql")


def growth(results: list[Size], engine: str) -> None:
    """How much more memory the largest file took than the smallest: streaming keeps it flat."""
    measured = [size for size in results if engine in size.runs]
    if len(measured) < 2:
        return
    small, large = measured[0], measured[-1]
    first, last = small.runs[engine].peak_mb, large.runs[engine].peak_mb
    print(f"peak RSS growth {small.entries:,} -> {large.entries:,} entries:"
          f" {(last - first) / first * 100:+.0f}% ({first} -> {last} MB)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench"))
    parser.add_argument(
        "--sizes",
        type=sizes_option,
        default=[10_000, 100_000],
        help="entries per file, comma-separated (default 10000,100000)",
    )
    parser.add_argument(
        "--postgres-sizes",
        type=sizes_option,
        help="sizes to import into PostgreSQL (default: --sizes)",
    )
    parser.add_argument("--engine", choices=ENGINES, default="sqlite")
    parser.add_argument("--postgres-url", help=f"the server for scratch databases bench_import_*"
                        f" (default: ${POSTGRES_ENV})")  # fmt: skip
    args = parser.parse_args()
    if not SOURCE.exists():
        sys.exit(f"shared data not available: {SOURCE}")
    postgres = postgres_base(args.postgres_url)
    if args.engine != "sqlite" and postgres is None:
        sys.exit(f"--engine {args.engine}: give --postgres-url or set ${POSTGRES_ENV}")
    sizes_on = {  # engine -> the sizes imported into it
        "sqlite": args.sizes if args.engine in ("sqlite", "both") else [],
        "postgresql": (args.postgres_sizes or args.sizes) if args.engine != "sqlite" else [],
    }
    startup, _, _ = cli("--version")
    results = [
        measure(size, args.workdir, [e for e, sizes in sizes_on.items() if size in sizes], postgres)
        for size in sorted({size for sizes in sizes_on.values() for size in sizes})
    ]
    report(results, startup)


if __name__ == "__main__":
    main()
