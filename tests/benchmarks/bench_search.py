"""Benchmark: name search quality and speed on the largest real SDN list, beside brute force.

Imports every OFAC name ../shared/data holds (the seeds, the 2018 SDN file set with its
aliases, the 2023-04-27 SDN list of 12,209 entries, the 2018 consolidated list: 24,000+
names) into a fresh SQLite database through the API, builds the labelled query set of
`tests/helpers/search_queries.py` (listed parties mistyped five ways, and ordinary names that
are not listed), then measures in the same run:

- `Tracker.search` per query (p50 / p95; each call one read transaction), with recall@1 and
  the ordinary names scoring at or above the default threshold;
- the brute-force baseline: rapidfuzz `process.extract` (WRatio) of the normalised query over
  every normalised name, loaded into memory beforehand (p50 / p95, recall@1, the same
  threshold);
- ordinary names of three words (a second given name) at or above the default threshold;
- `Tracker.screen` of 10,000 names, in-process (wall clock, names per second);
- start-up, each a new process (median of 7): `tracker --version`, `tracker --help` and
  `tracker search NAME` on this database, beside `python -c "import typer"`, the least any
  typer command costs.

`--smoke` imports only the 2018 consolidated list (640 entries) and asks 40 + 40 queries and
screens 500 names: a check that the benchmark runs, in a few seconds, not a measurement.

    python tests/benchmarks/bench_search.py [--workdir /tmp/tracker-bench-search] [--smoke]
"""

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tracker
from tests.benchmarks.common import DATA, median_seconds, percentile, print_table
from tests.helpers.search_queries import SDN_EDITIONS, Query, listed_queries, ordinary_names
from tracker.config import DEFAULT_THRESHOLD
from tracker.names import normalize_name

SMOKE_EDITIONS = [(("ofac_consolidated", "2018-04-06", "cons_prim.csv"), "2018-04-06")]
WARM_UP = 20  # queries asked of both sides before timing: caches and the index warm
STARTS = 7  # runs of each start-up command
LIMIT = 10  # hits per query, both sides

Ranked = list[tuple[str, float]]  # (entity key, score), best first


@dataclass(frozen=True)
class Scale:
    editions: Sequence[tuple[Sequence[str], str]]  # (path under the shared data, published)
    seeds: bool
    queries: int  # listed queries, and as many ordinary names
    screened: int


FULL = Scale(SDN_EDITIONS, seeds=True, queries=300, screened=10_000)
SMOKE = Scale(SMOKE_EDITIONS, seeds=False, queries=40, screened=500)


def load(db: tracker.Tracker, scale: Scale) -> float:
    """A fresh database holding the editions (and the seeds); seconds, indexing included."""
    started = time.perf_counter()
    db.upgrade()
    if scale.seeds:
        db.seed()
    for parts, published in scale.editions:
        db.import_list(DATA.joinpath(*parts), format="ofac", published=published,
                       allow_mass_delisting=True)  # fmt: skip
    return time.perf_counter() - started


@dataclass(frozen=True)
class Measured:
    times: list[float]
    found: Counter[str]  # listed queries whose entity came first, per variant
    asked: Counter[str]
    flagged: int  # ordinary names whose best hit reached the threshold


def measure(queries: list[Query], top: Callable[[str], Ranked]) -> Measured:
    times: list[float] = []
    found: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    flagged = 0
    for query in queries:
        started = time.perf_counter()
        ranked = top(query.text)
        times.append(time.perf_counter() - started)
        if query.expected is None:
            flagged += bool(ranked and ranked[0][1] >= DEFAULT_THRESHOLD)
            continue
        asked[query.variant] += 1
        best = [key for key, score in ranked if score == ranked[0][1]]  # ties: identical names
        found[query.variant] += query.expected in best
    return Measured(times, found, asked, flagged)


def indexed_names(path: Path) -> list[tuple[str, str]]:
    """(normalised name, entity key) of every indexed name: the brute force's memory."""
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT n.normalized, e.key FROM search_name n JOIN entity e ON e.id = n.entity_id"
    ).fetchall()
    connection.close()
    return rows


def startup(url: str, name: str) -> list[tuple[str, float]]:
    """Median wall-clock seconds of each command, run as a user runs it: a new process."""
    entry = shutil.which("tracker") or sys.exit("the tracker command is not installed")
    commands = {
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "tracker --version": [entry, "--version"],
        "tracker --help": [entry, "--help"],
        f"tracker search {name!r}": [entry, "--db", url, "search", name],
    }
    medians = []
    for label, argv in commands.items():
        subprocess.run(argv, capture_output=True, check=True)  # warm the file cache
        seconds, _ = median_seconds(
            lambda argv=argv: subprocess.run(argv, capture_output=True, check=True), STARTS
        )
        medians.append((label, seconds))
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench-search"))
    parser.add_argument("--smoke", action="store_true", help="one small list, few queries")
    options = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"shared data not available: {DATA}")
    scale = SMOKE if options.smoke else FULL
    options.workdir.mkdir(parents=True, exist_ok=True)
    path = options.workdir / ("smoke.db" if options.smoke else "sdn.db")
    for stale in path.parent.glob(f"{path.name}*"):
        stale.unlink()
    url = f"sqlite:///{path}"
    with tracker.connect(url) as db:
        seconds = load(db, scale)
        names = indexed_names(path)
        print(f"{len(names):,} names of {len({key for _n, key in names}):,} entities"
              f" (imports, indexing included: {seconds:.1f} s)\n")  # fmt: skip
        engine = sa.create_engine(url)
        with Session(engine) as session:  # the helper reads the entries themselves
            queries = listed_queries(session, "ofac-uid", scale.queries)
        engine.dispose()
        queries += ordinary_names(scale.queries)

        def ours(text: str) -> Ranked:
            return [(hit.entity.key, hit.score) for hit in db.search(text, limit=LIMIT)]

        normalized = [name for name, _key in names]
        owner = [key for _name, key in names]

        def brute(text: str) -> Ranked:
            found = process.extract(
                normalize_name(text), normalized, scorer=fuzz.WRatio, limit=LIMIT
            )
            return [(owner[index], score / 100) for _choice, score, index in found]

        for query in queries[:WARM_UP]:
            ours(query.text), brute(query.text)
        results = {"indexed search": measure(queries, ours), "brute force": measure(queries, brute)}

        three_names = ordinary_names(scale.queries, middle=True)
        flagged_three = sum(bool(db.search(query.text, limit=1)) for query in three_names)

        started = time.perf_counter()
        screened = [queries[number % len(queries)].text for number in range(scale.screened)]
        with_hits = sum(bool(result.hits) for result in db.screen(screened))
        screening = time.perf_counter() - started
    started_up = startup(url, queries[0].text)

    ordinary = scale.queries
    print_table(
        ["method", "p50 ms", "p95 ms", "recall@1", "ordinary >= threshold"],
        [[method, f"{statistics.median(m.times) * 1000:.2f}",
          f"{percentile(m.times, 0.95) * 1000:.2f}",
          f"{sum(m.found.values()) / sum(m.asked.values()):.3f}", f"{m.flagged} / {ordinary}"]
         for method, m in results.items()],
    )  # fmt: skip
    ours_times, brute_times = results["indexed search"].times, results["brute force"].times
    print(f"\nspeed-up: p50 {statistics.median(brute_times) / statistics.median(ours_times):.1f}x,"
          f" p95 {percentile(brute_times, 0.95) / percentile(ours_times, 0.95):.1f}x")  # fmt: skip
    indexed = results["indexed search"]
    print(f"ordinary names of three words >= threshold: {flagged_three} / {len(three_names)}")
    print("recall@1 by variant: " + ", ".join(
        f"{variant} {indexed.found[variant]}/{indexed.asked[variant]}"
        for variant in indexed.asked))  # fmt: skip
    print(f"\nscreen {scale.screened:,} names (the queries in turn): {screening:.1f} s,"
          f" {scale.screened / screening:,.0f} names/s, {with_hits:,} with hits")  # fmt: skip
    typer_only = started_up[0][1]
    print(f"\nstart-up, a new process each (median of {STARTS}):")
    print_table(["command", "seconds", "/ import typer"],
                [[label, f"{seconds:.3f}", f"{seconds / typer_only:.1f}"]
                 for label, seconds in started_up])  # fmt: skip


if __name__ == "__main__":
    main()
