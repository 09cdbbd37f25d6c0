"""Run every benchmark and write their figures, with the machine and the commands that made
them, to one Markdown file (default docs/benchmarks.md).

Each benchmark runs in its own process, one after the other (they would time each other
otherwise), and its printed tables go into the file as they are. PostgreSQL is measured too
when a server is configured (--postgres-url or $TRACKER_TEST_POSTGRES_URL): scratch
databases bench_* are made and dropped on it. `--smoke` runs everything at tiny sizes in well
under a minute: a check that the benchmarks still work (CI runs it), not a measurement.

    python tests/benchmarks/run.py [--smoke] [--output docs/benchmarks.md]
"""

import argparse
import datetime as dt
import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import DATA, ENGINES, POSTGRES_ENV, postgres_base

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


@dataclass(frozen=True)
class Benchmark:
    title: str
    script: str
    full: list[str]  # options at full size
    smoke: list[str]  # options at smoke size
    engines: bool = True  # takes --engine


BENCHMARKS = [
    Benchmark("Import", "bench_import.py", ["--sizes", "10000,100000"],
              ["--sizes", "200,500", "--postgres-sizes", "200"]),
    Benchmark("Reports", "bench_reports.py", ["--entities", "100000", "--repeat", "5"],
              ["--entities", "2000", "--repeat", "3"]),
    Benchmark("Search", "bench_search.py", [], ["--smoke"], engines=False),
    Benchmark("Matching", "bench_matching.py", [], ["--smoke"], engines=False),
    Benchmark("Serve", "bench_serve.py", ["--clients", "32", "--seconds", "60"], ["--smoke"]),
]  # fmt: skip


@dataclass(frozen=True)
class Ran:
    benchmark: Benchmark
    command: list[str]
    seconds: float
    output: str


def command(benchmark: Benchmark, args: argparse.Namespace) -> list[str]:
    options = benchmark.smoke if args.smoke else benchmark.full
    if benchmark.title == "Import" and args.postgres_sizes:
        options = [*options, "--postgres-sizes", args.postgres_sizes]
    if benchmark.engines:
        options = [*options, "--engine", args.engine]
    workdir = args.workdir / benchmark.script.removesuffix(".py")
    return ["python", str(Path("tests/benchmarks") / benchmark.script), *options,
            "--workdir", str(workdir)]  # fmt: skip


def run(benchmark: Benchmark, args: argparse.Namespace, postgres: str | None) -> Ran:
    """One benchmark in its own process; stops everything if it fails."""
    argv = command(benchmark, args)
    environment = dict(os.environ)
    if postgres:
        environment[POSTGRES_ENV] = postgres
    print(f"$ {shlex.join(argv)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, *argv[1:]], cwd=REPO, env=environment, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{benchmark.script} failed (exit {result.returncode}):\n{result.stderr}")
    print(result.stdout, file=sys.stderr, flush=True)
    return Ran(benchmark, argv, seconds, result.stdout)


def machine(postgres: str | None) -> list[str]:
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"- `uname -a`: `{uname or platform.platform()}`",
        f"- CPUs: {os.cpu_count()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    ]
    if postgres:
        lines.append(f"- {postgres_version(postgres)}")
    revision = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO,
                              capture_output=True, text=True).stdout.strip()  # fmt: skip
    if revision:
        lines.append(f"- tracker at commit `{revision}`")
    return lines


def postgres_version(base: str) -> str:
    engine = sa.create_engine(sa.make_url(base).set(drivername="postgresql+psycopg"))
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version").scalar_one()
    engine.dispose()
    return f"PostgreSQL {version} (the server of ${POSTGRES_ENV})"


def markdown(runs: list[Ran], args: argparse.Namespace, postgres: str | None) -> str:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    size = "smoke size (`--smoke`: a check that they run, not a measurement)" if args.smoke else (
        "full size"
    )  # fmt: skip
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python tests/benchmarks/run.py{' --smoke' if args.smoke else ''}` on"
        f" {today}, at {size}. Each benchmark prints its figures beside a baseline measured in"
        " the same run on the same machine; the times are wall clock on a shared machine, so"
        " read the ratios rather than the seconds. The scripts' docstrings say what each"
        " figure is.",
        "",
        "## Machine",
        "",
        *machine(postgres),
        "",
    ]
    for ran in runs:
        lines += [
            f"## {ran.benchmark.title} (`tests/benchmarks/{ran.benchmark.script}`)",
            "",
            "```console",
            f"$ {shlex.join(ran.command)}",
            "```",
            "",
            f"Took {ran.seconds:.0f} s.",
            "",
            "```text",
            ran.output.rstrip(),
            "```",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check, not measure")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench"))
    parser.add_argument("--postgres-url", help=f"default: ${POSTGRES_ENV}")
    parser.add_argument(
        "--engine", choices=ENGINES, help="default: both with a PostgreSQL server, else sqlite"
    )
    parser.add_argument("--postgres-sizes", help="import sizes on PostgreSQL (default: as SQLite)")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"shared data not available: {DATA}")
    postgres = postgres_base(args.postgres_url)
    args.engine = args.engine or ("both" if postgres else "sqlite")
    if args.engine == "sqlite":
        postgres = None
    elif postgres is None:
        sys.exit(f"--engine {args.engine}: give --postgres-url or set ${POSTGRES_ENV}")
    runs = [run(benchmark, args, postgres) for benchmark in BENCHMARKS]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(markdown(runs, args, postgres), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
