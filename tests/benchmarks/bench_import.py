"""Benchmark: importing a large OFAC SDN CSV, beside raw sqlite3 inserts of the same rows.

Builds 10,000- and 100,000-entry sdn.csv files by repeating the real entries of
../shared/data/ofac_sdn_csv/2023-04-27T1843Z/sdn.csv with new entry numbers, then for each:

- import into a fresh SQLite database (`tracker import ofac`, in a subprocess: its peak RSS
  is the memory figure);
- re-import the identical file (recognised by its digest);
- re-import the same entries as a new edition (every entry compared, none changed);
- baseline: the same parser, and the same rows inserted with sqlite3 `executemany` in one
  transaction (entities, identifiers, aliases, designations, events).

Targets: import within 3x of the baseline; an unchanged re-import under half the first
import's time; peak memory that does not grow with the file.

    python tests/benchmarks/bench_import.py [--workdir /tmp/tracker-bench]
"""

import argparse
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tracker import migrations
from tracker.db import create_engine
from tracker.importers import ofac_csv

SOURCE = Path(__file__).resolve().parents[3] / "shared/data/ofac_sdn_csv/2023-04-27T1843Z/sdn.csv"
SIZES = (10_000, 100_000)


def build(size: int, target: Path) -> None:
    """An sdn.csv of `size` entries: real rows repeated under fresh entry numbers."""
    rows = [line for line in SOURCE.read_text(encoding="utf-8").splitlines() if "," in line]
    with target.open("w", encoding="utf-8", newline="") as handle:
        for number in range(size):
            row = rows[number % len(rows)]
            handle.write(f"{number + 1}{row[row.index(',') :]}\r\n")
        handle.write("\x1a")


# Runs the CLI and reports the process's own peak RSS (KB) on stderr as it exits.
MEASURED_CLI = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
    " file=sys.stderr))\n"
    "from tracker.cli import main\n"
    "sys.argv = ['tracker', *sys.argv[1:]]\n"
    "main()\n"
)


def tracker(*args: str) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB, stdout) of one tracker command in a fresh process."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED_CLI, *args], capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - started
    peak = int(result.stderr.strip().splitlines()[-1]) // 1024
    return elapsed, peak, result.stdout


def baseline(csv_path: Path, db_path: Path) -> float:
    """The same parser; the same rows written with raw executemany in one transaction."""
    engine = create_engine(f"sqlite:///{db_path}", must_exist=False)
    migrations.upgrade(engine)
    engine.dispose()
    started = time.perf_counter()
    parties = list(ofac_csv.read(csv_path, "SDN", "2023-04-27").parties)
    db = sqlite3.connect(db_path)
    with db:
        db.execute(
            "INSERT INTO authority (id, key, name, jurisdiction)"
            " VALUES (1, 'us-ofac', 'OFAC', 'US')"
        )
        db.executemany(
            "INSERT INTO entity (id, key, name, kind, details) VALUES (?, ?, ?, ?, ?)",
            ((i, f"ofac-{p.identifier}", p.name, p.kind.value, json.dumps(p.comparable))
             for i, p in enumerate(parties, 1)),
        )  # fmt: skip
        db.executemany(
            "INSERT INTO identifier (entity_id, scheme, value) VALUES (?, 'ofac-uid', ?)",
            ((i, p.identifier) for i, p in enumerate(parties, 1)),
        )
        db.executemany(
            "INSERT OR IGNORE INTO alias (entity_id, name, kind) VALUES (?, ?, ?)",
            ((i, a.name, a.kind.value) for i, p in enumerate(parties, 1) for a in p.aliases),
        )
        designations = [
            (i, program) for i, p in enumerate(parties, 1) for program in set(p.programs)
        ]
        db.executemany(
            "INSERT INTO designation (entity_id, authority_id, list_code, program, status)"
            " VALUES (?, 1, 'SDN', ?, 'active')",
            designations,
        )
        db.executemany(
            "INSERT INTO event (action, subject_type, subject_id, entity_id, occurred_on,"
            " recorded_at) VALUES ('listed', 'designation', ?, ?, '2023-04-27', '2026-01-01')",
            ((n, i) for n, (i, _) in enumerate(designations, 1)),
        )
    db.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench"))
    args = parser.parse_args()
    if not SOURCE.exists():
        sys.exit(f"shared data not available: {SOURCE}")
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"{'entries':>8}{'import':>9}{'baseline':>10}{'ratio':>7}{'same file':>11}"
          f"{'new edition':>13}{'vs import':>11}{'peak RSS':>10}")  # fmt: skip
    for size in SIZES:
        folder = args.workdir / f"import-{size}"
        folder.mkdir(exist_ok=True)
        csv_path = folder / "sdn.csv"
        build(size, csv_path)
        for stale in folder.glob("*.db*"):
            stale.unlink()
        url = f"sqlite:///{folder / 'tracker.db'}"
        tracker("--db", url, "db", "upgrade")
        first, peak, _ = tracker("--db", url, "import", "ofac", str(csv_path), "--published",
                                 "2023-04-27", "--quiet")  # fmt: skip
        same, _, _ = tracker("--db", url, "import", "ofac", str(csv_path), "--published",
                             "2023-04-27", "--quiet")  # fmt: skip
        with csv_path.open("a", encoding="utf-8") as handle:
            handle.write("\r\n")  # new bytes, same entries: every entry is compared
        edition, _, out = tracker("--db", url, "import", "ofac", str(csv_path), "--published",
                                  "2023-05-01", "--quiet")  # fmt: skip
        assert f"0 added, 0 changed, 0 removed, {size} unchanged" in out, out
        raw = baseline(csv_path, folder / "baseline.db")
        print(f"{size:>8}{first:>8.1f}s{raw:>9.1f}s{first / raw:>7.2f}{same:>10.1f}s"
              f"{edition:>12.1f}s{edition / first:>11.2f}{peak:>8} MB")  # fmt: skip
    print("(import and re-import times include the CLI's start-up, about 1.5 s)")


if __name__ == "__main__":
    main()
