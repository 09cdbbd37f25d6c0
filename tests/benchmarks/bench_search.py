"""Benchmark: name search quality and speed on the largest real SDN list, beside brute force.

Imports every OFAC name ../shared/data holds (the 2018 SDN file set with its aliases, the
2023-04-27 SDN list of 12,209 entries, the 2018 consolidated list: 24,000+ names) into a fresh
SQLite database, builds the labelled query set of `tests/helpers/search_queries.py` (listed
parties mistyped five ways, and ordinary names that are not listed), then measures in the same
run:

- `tracker.reports.search.search` per query, in-process on an open session (p50 / p95),
  with recall@1 and the ordinary names scoring at or above the default threshold;
- the brute-force baseline: rapidfuzz `process.extract` (WRatio) of the normalised query over
  every normalised name, loaded into memory beforehand (p50 / p95, recall@1, the same
  threshold);
- `tracker screen` of 10,000 names end to end, in a subprocess (wall clock).

Targets: p95 under 50 ms; at least 5x faster than brute force at equal or better recall@1;
10,000 names screened in under 60 s.

    python tests/benchmarks/bench_search.py [--workdir /tmp/tracker-bench-search]
"""

import argparse
import csv
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.helpers.search_queries import (
    Query,
    import_commands,
    listed_queries,
    ordinary_names,
)
from tracker.db import create_engine
from tracker.models import Entity, SearchName
from tracker.names import normalize_name
from tracker.reports.search import DEFAULT_THRESHOLD, search

DATA = Path(__file__).resolve().parents[3] / "shared/data"
SCREENED = 10_000


def tracker(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tracker", *args], check=True, capture_output=True)
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(
    queries: list[Query], top: Callable[[str], list[tuple[str, float]]]
) -> tuple[list[float], Counter, Counter, int]:
    """Per-query seconds; found-first and asked per variant; ordinary names flagged."""
    times, found, asked, flagged = [], Counter(), Counter(), 0
    for query in queries:
        started = time.perf_counter()
        ranked = top(query.text)
        times.append(time.perf_counter() - started)
        if query.expected is None:
            flagged += bool(ranked and ranked[0][1] >= DEFAULT_THRESHOLD)
            continue
        asked[query.variant] += 1
        best = [key for key, score in ranked if ranked and score == ranked[0][1]]
        found[query.variant] += query.expected in best
    return times, found, asked, flagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench-search"))
    options = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"shared data not available: {DATA}")
    options.workdir.mkdir(parents=True, exist_ok=True)
    db = options.workdir / "sdn.db"
    db.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    seconds = sum(tracker("--db", url, *command) for command in import_commands(DATA))
    engine = create_engine(url)
    with Session(engine) as session:
        names = session.execute(
            SearchName.__table__.select()
            .with_only_columns(  # type: ignore[attr-defined]
                SearchName.normalized, Entity.key
            )
            .join(Entity.__table__, Entity.id == SearchName.entity_id)  # type: ignore[attr-defined]
        ).all()
        print(f"{len(names):,} names of {len({key for _n, key in names}):,} entities"
              f" (seed and imports, indexing included: {seconds:.1f} s)\n")  # fmt: skip
        queries = listed_queries(session, "ofac-uid", 300) + ordinary_names(300)

        def ours(text: str) -> list[tuple[str, float]]:
            return [(hit.key, hit.score) for hit in search(session, text, limit=10)]

        normalized = [name for name, _key in names]
        owner = [key for _name, key in names]

        def brute(text: str) -> list[tuple[str, float]]:
            found = process.extract(normalize_name(text), normalized, scorer=fuzz.WRatio, limit=10)
            return [(owner[index], score / 100) for _choice, score, index in found]

        for query in queries[:20]:  # warm caches on both sides
            ours(query.text), brute(query.text)
        results = {"indexed search": measure(queries, ours), "brute force": measure(queries, brute)}
    engine.dispose()

    print(f"{'method':<16}{'p50 ms':>8}{'p95 ms':>8}{'recall@1':>10}{'ordinary >= thr':>17}")
    for method, (times, found, asked, flagged) in results.items():
        recall = sum(found.values()) / sum(asked.values())
        print(f"{method:<16}{statistics.median(times) * 1000:>8.2f}"
              f"{percentile(times, 0.95) * 1000:>8.2f}{recall:>10.3f}"
              f"{flagged:>10} / 300")  # fmt: skip
    ours_times, brute_times = results["indexed search"][0], results["brute force"][0]
    print(f"\nspeed-up: p50 {statistics.median(brute_times) / statistics.median(ours_times):.1f}x,"
          f" p95 {percentile(brute_times, 0.95) / percentile(ours_times, 0.95):.1f}x")  # fmt: skip
    _times, found, asked, _flagged = results["indexed search"]
    print("recall@1 by variant: " + ", ".join(
        f"{variant} {found[variant]}/{asked[variant]}" for variant in asked))  # fmt: skip

    screen_file = options.workdir / "names.csv"
    with screen_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name"])
        for number in range(SCREENED):
            writer.writerow([queries[number % len(queries)].text])
    seconds = tracker("--db", url, "screen", str(screen_file), "-o",
                      str(options.workdir / "hits.csv"), "--quiet")  # fmt: skip
    print(f"\nscreen {SCREENED:,} names end to end: {seconds:.1f} s")


if __name__ == "__main__":
    main()
