"""Benchmark: `tracker serve` under concurrent load on 127.0.0.1, an import running meanwhile,
and POST /api/match throughput beside in-process screening.

Builds a database of the OFAC SDN list of 2023-04-24 (12,193 entries) and the UN Security
Council list of 2022-09-15 (952), starts `tracker serve` on it as a subprocess on a free
port, then:

- load: `--clients` threads (default 32), each with one keep-alive connection
  (http.client), ask for `--seconds` (default 60) a mixed workload: searches for real listed
  names taken from the database, and misspelt ones (`tests/helpers/search_queries.py`:
  aliases, words reordered, accents, typos, Cyrillic); entity documents by key; the status of
  the SDN list (a page of 100); a page of entities; the HTML entity page and search page.
  Counted as an error: any non-2xx answer and any connection error (target: zero). Reported
  per request type: count, errors, p50 / p95 / p99 latency, and requests per second overall;
- while the load runs, another process (`python -m tracker import ...`) writes the next
  editions to the same database: the SDN list of 2023-04-27 (+30, -14, 32 changed), then the
  UN list of 2024-09-26; when each started and ended is given in seconds from the start of the
  load, and the latencies of the requests that overlapped an import beside the others';
- /match: `--match-names` names (half listed: real names and misspelt ones; half ordinary
  people who are not listed) in batches of 100 by POST /api/match, from one client and from
  `--match-clients`, beside `Tracker.screen` of the same names in this process (the baseline:
  the ratio is what HTTP, JSON and the server cost).

The figures are wall clock on a shared machine (the load averages are printed); nothing is
asserted. `--smoke`: 4 clients for 5 s on a 400-entry slice of the SDN list and a 60-entry
slice of the UN list, 200 names matched: a check that the benchmark runs, not a measurement.

PostgreSQL (`--engine postgresql` or `both`): the same on a scratch database bench_serve_*,
the server holding its engine's connection pool.

    python tests/benchmarks/bench_serve.py [--smoke] [--clients 32] [--seconds 60] [--engine sqlite]
"""

import argparse
import http.client
import json
import os
import queue
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tracker
from tests.benchmarks.common import (
    DATA,
    ENGINES,
    POSTGRES_ENV,
    percentile,
    postgres_base,
    postgres_database,
    print_table,
)
from tests.helpers.search_queries import listed_queries, ordinary_names
from tracker.models import Entity

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[2]
BATCH = 100  # names per POST /api/match: the server's default most
TIMEOUT = 120.0  # seconds a client waits for one answer before counting it an error


@dataclass(frozen=True)
class Edition:
    title: str
    format: str  # the `tracker import` subcommand
    parts: tuple[str, ...]  # path under the shared data
    published: str | None  # the SDN CSV states no date


BASE = [
    Edition(
        "SDN 2023-04-24", "ofac", ("ofac_sdn_csv", "2023-04-24T1843Z", "sdn.csv"), "2023-04-24"
    ),
    Edition("UN 2022-09-15", "un", ("un_consolidated", "2022-09-15", "consolidated.xml"), None),
]
NEWER = [
    Edition(
        "SDN 2023-04-27", "ofac", ("ofac_sdn_csv", "2023-04-27T1843Z", "sdn.csv"), "2023-04-27"
    ),
    Edition("UN 2024-09-26", "un", ("un_consolidated", "2024-09-26", "consolidated.xml"), None),
]


@dataclass(frozen=True)
class Scale:
    clients: int
    seconds: float
    sdn_rows: int | None  # a slice of the SDN lists (None: all of them)
    un_entries: int | None  # a slice of the UN lists: individuals, and a third as many entities
    sample: int  # listed entities whose names and keys the clients ask for
    match_names: int
    match_clients: int
    repeat: int  # of each /match measurement


FULL = Scale(32, 60.0, None, None, sample=2000, match_names=2000, match_clients=4, repeat=3)
SMOKE = Scale(4, 5.0, 400, 60, sample=200, match_names=200, match_clients=2, repeat=1)


# -- the database -----------------------------------------------------------------------


def edition_file(edition: Edition, scale: Scale, workdir: Path) -> Path:
    """The edition's file, or at smoke size a slice of it written under `workdir`."""
    path = DATA.joinpath(*edition.parts)
    if edition.format == "ofac" and scale.sdn_rows is not None:
        # The newest entries (by ent_num) of either edition: those that the editions of April
        # 2023 add, remove and amend are among them, and both slices start at the same entry.
        base = DATA.joinpath(*BASE[0].parts).read_bytes().split(b"\r\n")
        first = int(base[-1 - scale.sdn_rows].split(b",")[0])
        lines = path.read_bytes().split(b"\r\n")  # one row a line; the last is the 0x1A byte
        kept = [line for line in lines[:-1] if int(line.split(b",")[0]) >= first]
        sliced = workdir / f"{edition.title.replace(' ', '-')}-{scale.sdn_rows}.csv"
        sliced.write_bytes(b"\r\n".join([*kept, lines[-1]]))
        return sliced
    if edition.format == "un" and scale.un_entries is not None:
        sliced = workdir / f"{edition.title.replace(' ', '-')}-{scale.un_entries}.xml"
        tree = ET.parse(path)
        for group, keep in (("INDIVIDUALS", scale.un_entries), ("ENTITIES", scale.un_entries // 3)):
            parent = tree.getroot().find(group)
            for child in list(parent)[keep:] if parent is not None else []:
                parent.remove(child)  # type: ignore[union-attr]
        tree.write(sliced, encoding="UTF-8", xml_declaration=True)
        return sliced
    return path


def import_command(url: str, edition: Edition, path: Path) -> list[str]:
    command = [sys.executable, "-m", "tracker", "--db", url, "import", edition.format, str(path),
               "--quiet", "--allow-mass-delisting"]  # fmt: skip
    return command + (["--published", edition.published] if edition.published else [])


def build(url: str, scale: Scale, workdir: Path) -> float:
    """A fresh database holding the base editions; seconds taken."""
    started = time.perf_counter()
    with tracker.connect(url) as db:
        db.upgrade()
        for edition in BASE:
            db.import_list(edition_file(edition, scale, workdir), format=edition.format,
                           published=edition.published, allow_mass_delisting=True)  # fmt: skip
    return time.perf_counter() - started


@dataclass(frozen=True)
class Names:
    listed: list[tuple[str, str]]  # (key, name) of entities in the database
    misspelt: list[str]  # listed names as people mistype them


def names_of(url: str, count: int) -> Names:
    engine = sa.create_engine(url)
    with Session(engine) as session:
        rows = session.execute(sa.select(Entity.key, Entity.name).order_by(Entity.id)).all()
        misspelt = listed_queries(session, "ofac-uid", count) + listed_queries(
            session, "un-ref", max(1, count // 10)
        )
    engine.dispose()
    rng = random.Random(5)
    listed = [(key, name) for key, name in rng.sample(rows, min(count, len(rows)))]
    return Names(listed, [query.text for query in misspelt])


# -- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(url: str, log: Path) -> Iterator[tuple[int, float]]:
    """`tracker serve` on a free port, answering; yields (port, seconds it took to answer)."""
    port = free_port()
    command = [sys.executable, "-m", "tracker", "serve", "--db", url, "--host", HOST,
               "--port", str(port)]  # fmt: skip
    started = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=REPO, stdout=output, stderr=subprocess.STDOUT)
    try:
        while True:
            if process.poll() is not None:
                sys.exit(f"tracker serve exited ({process.returncode}):\n{log.read_text()}")
            if time.perf_counter() - started > 60:
                sys.exit(f"tracker serve did not answer within 60 s:\n{log.read_text()}")
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=5)
                connection.request("GET", "/")
                answered = connection.getresponse().status == 200
                connection.close()
                if answered:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        yield port, time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_errors(log: Path) -> list[str]:
    """The tracebacks the server logged (the first line of each and its last)."""
    lines = log.read_text(errors="replace").splitlines()
    found = []
    for number, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((i for i in range(number + 1, len(lines))
                        if lines[i] and not lines[i].startswith((" ", "\t"))), number)  # fmt: skip
            found.append(lines[end].strip())
    return found


# -- the load ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Done:
    kind: str
    started: float  # seconds since the load began
    seconds: float
    error: str | None  # None: a 2xx answer


Pick = Callable[[random.Random], str]


def workload(names: Names) -> list[tuple[str, int, Pick]]:
    """(request type, weight, a path for it) of the mixed workload."""
    listed, misspelt = names.listed, names.misspelt

    def key(rng: random.Random) -> str:
        return quote(rng.choice(listed)[0], safe="")

    def name(rng: random.Random) -> str:
        return quote(rng.choice(listed)[1], safe="")

    return [
        ("api search, listed name", 25, lambda rng: f"/api/search?q={name(rng)}"),
        ("api search, misspelt", 15, lambda rng: f"/api/search?q={quote(rng.choice(misspelt))}"),
        ("api entity", 20, lambda rng: f"/api/entities/{key(rng)}"),
        ("api status SDN, 100", 4, lambda rng: "/api/status?list=SDN&limit=100"),
        ("api entities, 100", 3, lambda rng: "/api/entities?limit=100"),
        ("html entity", 15, lambda rng: f"/entities/{key(rng)}"),
        ("html search", 18, lambda rng: f"/?q={name(rng)}"),
    ]


class Client:
    """One keep-alive connection, opened again after an error."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def ask(self, method: str, path: str, body: bytes | None = None) -> tuple[str | None, bytes]:
        """(None, the body) for a 2xx answer, else (what went wrong, the body)."""
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
            headers = {"Content-Type": "application/json"} if body is not None else {}
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
            if response.will_close:
                self.close()
            if 200 <= response.status < 300:
                return None, data
            return f"HTTP {response.status} {data[:160].decode(errors='replace')}", data
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return f"{type(error).__name__}: {error}", b""

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def client_loop(number: int, port: int, mix: list[tuple[str, int, Pick]], began: float,
                deadline: float, done: list[Done]) -> None:  # fmt: skip
    rng = random.Random(number)
    kinds = [kind for kind, _weight, _pick in mix]
    weights = [weight for _kind, weight, _pick in mix]
    picks = {kind: pick for kind, _weight, pick in mix}
    client = Client(port)
    while time.perf_counter() < deadline:
        kind = rng.choices(kinds, weights)[0]
        path = picks[kind](rng)
        started = time.perf_counter()
        error, _body = client.ask("GET", path)
        done.append(Done(kind, started - began, time.perf_counter() - started,
                         None if error is None else f"GET {path}: {error}"))  # fmt: skip
    client.close()


@dataclass
class Span:
    title: str
    started: float = 0.0  # seconds since the load began
    ended: float | None = None
    result: str = ""


def import_while_loading(url: str, editions: list[tuple[Edition, Path]], began: float,
                         delay: float, spans: list[Span]) -> None:  # fmt: skip
    """The newer editions, one after the other, by the CLI in another process."""
    time.sleep(delay)
    for edition, path in editions:
        span = Span(edition.title, started=time.perf_counter() - began)
        spans.append(span)
        ran = subprocess.run(import_command(url, edition, path), cwd=REPO, capture_output=True,
                             text=True)  # fmt: skip
        span.ended = time.perf_counter() - began
        last = (ran.stdout.strip() or ran.stderr.strip() or "(nothing printed)").splitlines()[-1]
        span.result = last if ran.returncode == 0 else f"FAILED (exit {ran.returncode}): {last}"


def milliseconds(times: Sequence[float]) -> list[str]:
    if not times:
        return ["-", "-", "-"]
    return [f"{statistics.median(times) * 1000:.1f}", f"{percentile(times, 0.95) * 1000:.1f}",
            f"{percentile(times, 0.99) * 1000:.1f}"]  # fmt: skip


def latency_row(title: str, done: Sequence[Done]) -> list[str]:
    errors = sum(request.error is not None for request in done)
    return [title, f"{len(done):,}", f"{errors:,}", *milliseconds([d.seconds for d in done])]


def load(url: str, port: int, names: Names, scale: Scale, workdir: Path) -> None:
    mix = workload(names)
    newer = [(edition, edition_file(edition, scale, workdir)) for edition in NEWER]
    per_client: list[list[Done]] = [[] for _ in range(scale.clients)]
    spans: list[Span] = []
    before = os.getloadavg()
    began = time.perf_counter()
    deadline = began + scale.seconds
    threads = [threading.Thread(target=client_loop,
                                args=(n, port, mix, began, deadline, per_client[n]))
               for n in range(scale.clients)]  # fmt: skip
    writer = threading.Thread(target=import_while_loading,
                              args=(url, newer, began, scale.seconds * 0.2, spans))  # fmt: skip
    for thread in [*threads, writer]:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    writer.join()
    after = os.getloadavg()
    done = [request for requests in per_client for request in requests]
    errors = [request.error for request in done if request.error is not None]
    print(f"load: {scale.clients} clients for {scale.seconds:.0f} s (last answer at"
          f" {elapsed:.1f} s): {len(done):,} requests, {len(done) / elapsed:,.1f} requests/s,"
          f" {len(errors):,} errors; load average {before[0]:.2f} before, {after[0]:.2f}"
          f" after ({os.cpu_count()} CPUs)\n")  # fmt: skip
    by_kind = {kind: [d for d in done if d.kind == kind] for kind, _weight, _pick in mix}
    print_table(["request", "count", "errors", "p50 ms", "p95 ms", "p99 ms"],
                [*(latency_row(kind, found) for kind, found in by_kind.items()),
                 latency_row("all", done)])  # fmt: skip
    print("\nimports meanwhile (another process; seconds from the start of the load):\n")
    print_table(["edition", "start s", "end s", "result"],
                [[span.title, f"{span.started:.1f}",
                  "-" if span.ended is None else f"{span.ended:.1f}", span.result]
                 for span in spans])  # fmt: skip
    windows = [(span.started, span.ended if span.ended is not None else elapsed) for span in spans]

    def overlaps(request: Done) -> bool:
        end = request.started + request.seconds
        return any(request.started < stop and end > start for start, stop in windows)

    print()
    print_table(["requests", "count", "errors", "p50 ms", "p95 ms", "p99 ms"],
                [latency_row("during an import", [d for d in done if overlaps(d)]),
                 latency_row("otherwise", [d for d in done if not overlaps(d)])])  # fmt: skip
    for error in sorted(set(errors))[:5]:
        print(f"  error ({errors.count(error)}x): {error}")


# -- /match -----------------------------------------------------------------------------


def match_names(names: Names, count: int) -> list[str]:
    """Half listed (real names and misspelt ones, half each), half ordinary people."""
    listed = [name for _key, name in names.listed]
    half = count // 2
    chosen = listed[: half - half // 2] + names.misspelt[: half // 2]
    chosen += [query.text for query in ordinary_names(count - len(chosen))]
    random.Random(3).shuffle(chosen)
    return chosen


def http_match(port: int, batches: list[list[str]], clients: int) -> tuple[float, int, int]:
    """(seconds, names with hits, errors) of every batch by POST /api/match."""
    todo: queue.SimpleQueue[list[str]] = queue.SimpleQueue()
    for batch in batches:
        todo.put(batch)
    tallies: list[tuple[int, int]] = []

    def work() -> None:
        client, with_hits, errors = Client(port), 0, 0
        while True:
            try:
                batch = todo.get_nowait()
            except queue.Empty:
                break
            body = {"queries": [{"name": name, "id": str(i)} for i, name in enumerate(batch)],
                    "limit": 3}  # fmt: skip
            error, data = client.ask("POST", "/api/match", json.dumps(body).encode())
            results = json.loads(data)["results"] if error is None else []
            if error is not None or len(results) != len(batch):
                errors += 1
                print(f"  /api/match error: {error}", file=sys.stderr)
            with_hits += sum(bool(result["hits"]) for result in results)
        client.close()
        tallies.append((with_hits, errors))

    threads = [threading.Thread(target=work) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return seconds, sum(hits for hits, _ in tallies), sum(errors for _, errors in tallies)


def match(url: str, port: int, names: Names, scale: Scale) -> None:
    """Every method `scale.repeat` times, in turn (a noisy neighbour slows them all alike):
    the median of each."""
    chosen = match_names(names, scale.match_names)
    batches = [chosen[i : i + BATCH] for i in range(0, len(chosen), BATCH)]
    methods = ["Tracker.screen, in-process"] + [
        f"POST /api/match, {clients} client{'s' if clients > 1 else ''}"
        for clients in sorted({1, scale.match_clients})
    ]
    times: dict[str, list[float]] = {method: [] for method in methods}
    tallies: dict[str, tuple[int, int]] = {}
    with tracker.connect(url) as db:
        list(db.screen(chosen[:20]))  # warm both sides up
        http_match(port, [chosen[:20]], 1)
        for _ in range(scale.repeat):
            started = time.perf_counter()
            with_hits = sum(bool(result.hits) for result in db.screen(chosen, limit=3))
            times[methods[0]].append(time.perf_counter() - started)
            tallies[methods[0]] = (with_hits, 0)
            for method, clients in zip(methods[1:], sorted({1, scale.match_clients}), strict=True):
                seconds, with_hits, errors = http_match(port, batches, clients)
                times[method].append(seconds)
                tallies[method] = (with_hits, tallies.get(method, (0, 0))[1] + errors)
    baseline = statistics.median(times[methods[0]])
    half = len(chosen) // 2
    print(f"\nmatch {len(chosen):,} names ({half:,} listed: real and misspelt names;"
          f" {len(chosen) - half:,} ordinary people), {len(batches)} batches of {BATCH};"
          f" medians of {scale.repeat}:\n")  # fmt: skip
    rows = []
    for method in methods:
        seconds = statistics.median(times[method])
        with_hits, errors = tallies[method]
        rows.append([method, f"{seconds:.2f}", f"{len(chosen) / seconds:,.0f}", f"{with_hits:,}",
                     f"{errors}", f"{baseline / seconds:.2f}"])  # fmt: skip
    print_table(["method", "seconds", "names/s", "with hits", "errors", "x in-process"], rows)


# -- main -------------------------------------------------------------------------------


def measure(engine: str, url: str, scale: Scale, workdir: Path) -> None:
    print(f"\n{engine}\n")
    seconds = build(url, scale, workdir)
    names = names_of(url, scale.sample)
    with tracker.connect(url) as db:
        entities = len(db.entities())
    sliced = " (smoke: slices)" if scale.sdn_rows is not None else ""
    print(f"{entities:,} entities: {' + '.join(e.title for e in BASE)}{sliced},"
          f" built in {seconds:.1f} s")  # fmt: skip
    log = workdir / f"serve-{engine}.log"
    with server(url, log) as (port, ready):
        print(f"`tracker serve` answered in {ready:.1f} s (log: {log})\n")
        load(url, port, names, scale, workdir)
        match(url, port, names, scale)
    tracebacks = server_errors(log)
    print(f"\nserver log: {len(tracebacks)} tracebacks")
    for line in sorted(set(tracebacks))[:5]:
        print(f"  {tracebacks.count(line)}x {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench-serve"))
    parser.add_argument("--smoke", action="store_true", help="4 clients, 5 s, list slices")
    parser.add_argument("--clients", type=int, help="concurrent clients (default 32)")
    parser.add_argument("--seconds", type=float, help="seconds of load (default 60)")
    parser.add_argument("--match-names", type=int, help="names matched (default 2000)")
    parser.add_argument("--match-clients", type=int, help="concurrent /match clients (4)")
    parser.add_argument("--repeat", type=int, help="of each /match measurement (default 3)")
    parser.add_argument("--engine", choices=ENGINES, default="sqlite")
    parser.add_argument("--postgres-url", help=f"the server for a scratch database"
                                               f" (default: ${POSTGRES_ENV})")  # fmt: skip
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"shared data not available: {DATA}")
    postgres = postgres_base(args.postgres_url)
    if args.engine != "sqlite" and postgres is None:
        sys.exit(f"--engine {args.engine}: give --postgres-url or set ${POSTGRES_ENV}")
    scale = SMOKE if args.smoke else FULL
    scale = Scale(
        clients=args.clients or scale.clients,
        seconds=args.seconds or scale.seconds,
        sdn_rows=scale.sdn_rows,
        un_entries=scale.un_entries,
        sample=scale.sample,
        match_names=args.match_names or scale.match_names,
        match_clients=args.match_clients or scale.match_clients,
        repeat=args.repeat or scale.repeat,
    )
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.engine in ("sqlite", "both"):
        path = args.workdir / ("smoke.db" if args.smoke else "serve.db")
        for stale in path.parent.glob(f"{path.name}*"):
            stale.unlink()
        measure("sqlite", f"sqlite:///{path}", scale, args.workdir)
    if args.engine in ("postgresql", "both"):
        assert postgres is not None
        with postgres_database(postgres, "bench_serve") as url:
            measure("postgresql", url, scale, args.workdir)


if __name__ == "__main__":
    main()
