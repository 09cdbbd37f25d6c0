"""`tracker sync` against a local HTTP server serving real OFAC files: new, unchanged, broken,
slow, redirected, pinned and shrunken editions; the lock; the archive; the run log."""

import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

import tracker
from tests.conftest import REPO_ROOT, Cli, content_checksum, shared_file
from tracker.sync import runner
from tracker.sync.archive import Archive
from tracker.sync.fetch import Limits
from tracker.sync.sources import list_source, load_sources

YEMEN = ("ofac_enhanced_xml", "2024-05-24_yemen", "yemen_sanctions.xml")
CONSOLIDATED = ("ofac_consolidated", "2018-04-06", "consolidated.xml")
LEGACY = "/exports/SDN.XML"
SDN_ENTRY = re.compile(rb"  <sdnEntry>.*?</sdnEntry>\r?\n", re.DOTALL)
FILE = "/exports/SDN_ENHANCED.XML"
ENTITY = re.compile(rb"\n    <entity id=\"(\d+)\">.*?\n    </entity>", re.DOTALL)
FAST = ("--timeout", "2", "--retries", "0", "--retry-wait", "0.01")


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    etag: str | None = None
    declared: int | None = None  # the Content-Length announced (default: the body's)
    location: str | None = None  # a redirect
    hang: bool = False  # wait for the test's `release` before answering


@dataclass
class Server:
    """A local HTTP server: routes by path, each request recorded."""

    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    waiting: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = FILE) -> str:
        return self.base + path

    def count(self, path: str = FILE) -> int:
        return sum(1 for hit, _ in self.hits if hit == path)


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.hits.append((self.path, dict(self.headers)))
            route = server.routes.get(self.path, Route(b"not here", status=404))
            if route.hang:
                server.waiting.set()
                server.release.wait(10)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.end_headers()
                return
            if route.location:
                self.send_response(302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Length", str(route.declared or len(route.body)))
            if route.etag:
                self.send_header("ETag", route.etag)
            self.end_headers()
            with suppress(OSError):  # the client gave up (a timeout test)
                self.wfile.write(route.body)

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    """A server on 127.0.0.1 at a free port, in a thread, for one test."""
    state = Server("")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    httpd.block_on_close = False
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def yemen() -> bytes:
    """OFAC's enhanced XML, a real Sanctions List Service export of ten entities."""
    return shared_file(*YEMEN).read_bytes()


def _without(body: bytes, count: int) -> bytes:
    """The same edition with its last `count` entities cut out (a shrunken list)."""
    blocks = list(ENTITY.finditer(body))[-count:]
    for block in reversed(blocks):
        body = body[: block.start()] + body[block.end() :]
    return body


@pytest.fixture(scope="module")
def legacy() -> bytes:
    """OFAC's legacy XML (a whole list, with its own record count): the 2018 consolidated
    list, read once."""
    return shared_file(*CONSOLIDATED).read_bytes()


def _excerpt(body: bytes, keep: int, declared: int | None = None) -> bytes:
    """The legacy XML cut to its first `keep` entries, its Record_Count saying `declared`
    (default: `keep`, so the excerpt is a consistent, smaller list)."""
    head = body[: body.index(b"  <sdnEntry>")]
    count = f"<Record_Count>{declared or keep}</Record_Count>".encode()
    head = re.sub(rb"<Record_Count>\d+</Record_Count>", count, head)
    return head + b"".join(SDN_ENTRY.findall(body)[:keep]) + b"</sdnList>\n"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "archive"


def _sync(cli: Cli, server: Server, archive: Path, *extra: str, path: str = FILE) -> Result:
    return cli("sync", "--url", server.url(path), "--format", "ofac", "--name", "ofac-sdn",
               "--archive", str(archive), *FAST, *extra)  # fmt: skip


def _runs(cli: Cli) -> list[dict[str, Any]]:
    return cli.json("sync", "runs")["runs"]


def _archived(archive: Path) -> list[Path]:
    return sorted(p for p in (archive / "ofac-sdn").glob("*") if p.is_file())


def _imports(cli: Cli) -> int:
    return len(cli.json("import", "runs")["runs"])


def test_a_new_edition_is_imported_archived_and_recorded(
    cli: Cli, server: Server, archive: Path, yemen: bytes
) -> None:
    """A new edition: imported citing its URL, kept as sha256-named file, one ok run."""
    server.routes[FILE] = Route(yemen)
    result = _sync(cli, server, archive)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ofac-sdn: ok: edition of 2024-05-24: 10 added"), result.stdout
    digest = hashlib.sha256(yemen).hexdigest()
    (kept,) = _archived(archive)
    assert kept.name == f"2024-05-24_{digest}.xml"
    assert kept.read_bytes() == yemen
    (run,) = _runs(cli)
    assert run["outcome"] == "ok"
    assert (run["url"], run["http_status"], run["bytes"]) == (server.url(), 200, len(yemen))
    assert (run["sha256"], run["archive_path"]) == (digest, str(kept))
    assert (run["added"], run["changed"], run["removed"]) == (10, 0, 0)
    (imported,) = cli.api.import_runs()
    assert run["import_run_id"] == imported.id
    assert imported.file_name == "SDN_ENHANCED.XML"
    assert imported.source is not None
    assert imported.source.url == server.url()


def test_a_304_is_unchanged_and_imports_nothing(
    cli: Cli, server: Server, archive: Path, yemen: bytes
) -> None:
    """The ETag of the last good run goes back as If-None-Match; the 304 is "unchanged"."""
    server.routes[FILE] = Route(yemen, etag='"v1"')
    _sync(cli, server, archive)
    result = _sync(cli, server, archive)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ofac-sdn: unchanged: not modified (304)"
    assert server.hits[-1][1].get("If-None-Match") == '"v1"'
    latest, first = _runs(cli)
    assert (latest["outcome"], latest["http_status"]) == ("unchanged", 304)
    assert latest["archive_path"] == first["archive_path"]  # still stands on that edition
    assert _imports(cli) == 1
    assert len(_archived(archive)) == 1


def test_an_identical_body_is_unchanged_and_imports_nothing(
    cli: Cli, server: Server, archive: Path, yemen: bytes
) -> None:
    """No validators: the same bytes again (same SHA-256) are "unchanged", not re-archived."""
    server.routes[FILE] = Route(yemen)
    _sync(cli, server, archive)
    result = _sync(cli, server, archive)
    assert result.exit_code == 0, result.output
    assert "unchanged: the same file as the last archived edition" in result.stdout
    assert _runs(cli)[0]["outcome"] == "unchanged"
    assert _imports(cli) == 1
    assert len(_archived(archive)) == 1


def test_a_truncated_body_fails_and_keeps_the_last_good_edition(
    cli: Cli, server: Server, archive: Path, yemen: bytes
) -> None:
    """Content-Length larger than what came: failed, nothing imported, nothing archived."""
    server.routes[FILE] = Route(yemen)
    _sync(cli, server, archive)
    shrunk = _without(yemen, 1)
    server.routes[FILE] = Route(shrunk, declared=len(shrunk) + 1000)
    result = _sync(cli, server, archive)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ofac-sdn: failed: truncated"), line
    run = _runs(cli)[0]
    assert (run["outcome"], run["import_run_id"], run["archive_path"]) == ("failed", None, None)
    assert _imports(cli) == 1
    assert [p.read_bytes() for p in _archived(archive)] == [yemen]
    assert not list(archive.glob("**/*.partial"))


def test_a_500_is_retried_then_fails_and_a_404_is_not_retried(
    cli: Cli, server: Server, archive: Path
) -> None:
    """A 5xx is asked again, with back-off, a bounded number of times, then fails in one
    line; a 4xx will not pass by asking again: one request."""
    server.routes[FILE] = Route(b"down", status=500)
    result = _sync(cli, server, archive, "--retries", "2")
    assert result.exit_code == 1, result.output
    assert server.count() == 3
    assert result.stderr.strip() == (
        "Error: ofac-sdn: failed: HTTP 500 Internal Server Error (after 3 attempts)"
    )
    run = _runs(cli)[0]
    assert (run["outcome"], run["http_status"]) == ("failed", 500)
    assert _imports(cli) == 0
    result = _sync(cli, server, archive, "--retries", "3", path="/gone.xml")
    assert result.exit_code == 1, result.output
    assert server.count("/gone.xml") == 1
    assert "HTTP 404" in result.stderr


def test_a_hang_past_the_timeout_fails_fast(cli: Cli, server: Server, archive: Path) -> None:
    """A server that never answers: failed after the timeout, not stuck."""
    server.routes[FILE] = Route(b"late", hang=True)
    result = _sync(cli, server, archive, "--timeout", "0.3")
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == "Error: ofac-sdn: failed: cannot connect: timed out"
    assert _runs(cli)[0]["outcome"] == "failed"


def test_a_redirect_is_followed(cli: Cli, server: Server, archive: Path, yemen: bytes) -> None:
    """A 302 to where the file is now: followed; the run keeps the address asked for."""
    server.routes["/old.xml"] = Route(location=server.url())
    server.routes[FILE] = Route(yemen)
    result = _sync(cli, server, archive, path="/old.xml")
    assert result.exit_code == 0, result.output
    run = _runs(cli)[0]
    assert (run["outcome"], run["url"]) == ("ok", server.url("/old.xml"))
    assert server.count() == 1


def test_an_edition_delisting_too_many_fails_and_imports_nothing(
    cli: Cli, server: Server, archive: Path, legacy: bytes
) -> None:
    """The import's own guards hold for a sync: a file short of its own record count, and an
    edition delisting over 5% of the list, fail and import nothing; --allow-mass-delisting
    passes the second."""
    server.routes[LEGACY] = Route(_excerpt(legacy, 40))
    assert _sync(cli, server, archive, path=LEGACY).exit_code == 0
    server.routes[LEGACY] = Route(_excerpt(legacy, 39, declared=40))
    short = _sync(cli, server, archive, path=LEGACY)
    assert short.exit_code == 1, short.output
    assert "the file says it holds 40 entries but 39 were read" in short.stderr
    server.routes[LEGACY] = Route(_excerpt(legacy, 30))
    result = _sync(cli, server, archive, path=LEGACY)
    assert result.exit_code == 1, result.output
    assert "would delist 10 of the 40 entries" in result.stderr
    assert _imports(cli) == 1
    assert len(_archived(archive)) == 1
    result = _sync(cli, server, archive, "--allow-mass-delisting", path=LEGACY)
    assert result.exit_code == 0, result.output
    assert "0 added, 0 changed, 10 removed" in result.stdout
    assert len(_archived(archive)) == 2
    assert [r["outcome"] for r in _runs(cli)] == ["ok", "failed", "failed", "ok"]


def test_a_wrong_sha256_an_oversized_or_a_foreign_body_fails(
    cli: Cli, server: Server, archive: Path, legacy: bytes
) -> None:
    """A digest other than the one pinned, a body over --max-size (refused unread), a
    maintenance page served as 200 (no entries): each fails; none is imported or archived."""
    server.routes[LEGACY] = Route(legacy)
    result = _sync(cli, server, archive, "--sha256", "0" * 64, path=LEGACY)
    assert result.exit_code == 1, result.output
    assert "is not the 0000" in result.stderr
    result = _sync(cli, server, archive, "--max-size", "1", path=LEGACY)  # 1,087,045 bytes
    assert result.exit_code == 1, result.output
    assert "over the limit of 1,048,576" in result.stderr
    server.routes[LEGACY] = Route(b"<html><body>Down for maintenance</body></html>")
    result = _sync(cli, server, archive, path=LEGACY)
    assert result.exit_code == 1, result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("Error: ofac-sdn: failed: ")
    assert _imports(cli) == 0
    assert _archived(archive) == []
    assert [r["outcome"] for r in _runs(cli)] == ["failed", "failed", "failed"]


def test_a_second_sync_at_the_same_time_is_refused(
    cli: Cli, server: Server, archive: Path, yemen: bytes
) -> None:
    """While one sync holds the archive, another refuses at once and writes nothing."""
    server.routes[FILE] = Route(yemen, hang=True)
    source = list_source(name="ofac-sdn", format="ofac", url=server.url())
    results: list[Any] = []

    def first() -> None:
        with tracker.connect(cli.url) as db:
            results.extend(db.sync([source], archive=archive, limits=Limits(timeout=10)))

    thread = threading.Thread(target=first)
    thread.start()
    assert server.waiting.wait(10)
    second = _sync(cli, server, archive)
    server.release.set()
    thread.join(20)
    assert second.exit_code == 1, second.output
    assert "another `tracker sync` is running" in second.stderr
    assert [r.outcome for r in results] == ["ok"]
    assert len(_runs(cli)) == 1
    assert _imports(cli) == 1


def test_sync_runs_lists_every_attempt_as_json_and_csv(
    cli: Cli, server: Server, archive: Path, yemen: bytes
) -> None:
    """`sync runs`: newest first, filtered by list and outcome, in every format."""
    server.routes[FILE] = Route(yemen, etag='"v1"')
    _sync(cli, server, archive)
    _sync(cli, server, archive)
    _sync(cli, server, archive, path="/gone.xml")
    document = cli.json("sync", "runs")
    assert document["kind"] == "sync-runs"
    assert [r["outcome"] for r in document["runs"]] == ["failed", "unchanged", "ok"]
    assert set(document["runs"][0]) >= {
        "name", "url", "started_at", "finished_at", "outcome", "reason", "http_status",
        "bytes", "sha256", "archive_path", "import_run_id", "added", "changed", "removed",
    }  # fmt: skip
    assert len(cli.json("sync", "runs", "--outcome", "ok")["runs"]) == 1
    assert cli.json("sync", "runs", "--name", "nobody")["runs"] == []
    csv = cli.ok("sync", "runs", "--format", "csv").stdout
    assert csv.splitlines()[0].startswith("id,name,outcome")


def test_a_sources_file_names_the_lists(
    cli: Cli, server: Server, archive: Path, yemen: bytes, tmp_path: Path
) -> None:
    """`--sources FILE`: the lists named are synced in turn; one failing fails the command,
    not the others; an unknown name is an error naming the known ones."""
    server.routes[FILE] = Route(yemen)
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "lists:\n"
        f"  - {{name: sdn, format: ofac, url: '{server.url()}'}}\n"
        f"  - {{name: broken, format: un, url: '{server.url('/none.xml')}'}}\n"
    )
    result = cli("sync", "--sources", str(sources), "--archive", str(archive), *FAST)
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("sdn: ok")
    assert result.stderr.startswith("Error: broken: failed: HTTP 404")
    only = cli("sync", "run", "sdn", "--sources", str(sources), "--archive", str(archive))
    assert only.exit_code == 0, only.output
    unknown = cli("sync", "nothing", "--sources", str(sources), "--archive", str(archive))
    assert unknown.exit_code == 2
    assert "no list 'nothing' in the sources file (it names sdn, broken)" in unknown.stderr


def test_every_loops_past_a_failed_round_until_ctrl_c(
    cli: Cli, server: Server, archive: Path, yemen: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--every`: a failed round does not stop the loop; Ctrl-C ends it cleanly (exit 0)."""
    server.routes[FILE] = Route(b"down", status=503)
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        server.routes[FILE] = Route(yemen)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_sleep", sleep)
    result = _sync(cli, server, archive, "--every", "6h")
    assert result.exit_code == 0, result.output
    assert "Error: ofac-sdn: failed: HTTP 503" in result.stderr
    assert result.stderr.strip().endswith("Stopped.")
    assert "ofac-sdn: ok" in result.stdout
    assert 21000 < sleeps[0] <= 6 * 3600
    assert [r["outcome"] for r in _runs(cli)] == ["ok", "failed"]


def test_a_crash_between_commit_and_rename_is_finished_by_the_next_round(
    cli: Cli, server: Server, archive: Path, yemen: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file waits as `.partial` until its import commits; a round finds one its run
    names and gives it its name, and deletes one no run names."""
    server.routes[FILE] = Route(yemen, etag='"v1"')
    monkeypatch.setattr(Archive, "publish", staticmethod(lambda final: None))  # the crash
    assert _sync(cli, server, archive).exit_code == 0
    (partial,) = archive.glob("ofac-sdn/*.partial")
    orphan = archive / "ofac-sdn" / "2024-01-01_abc.xml.partial"
    orphan.write_bytes(b"never imported")
    monkeypatch.undo()
    assert _sync(cli, server, archive).exit_code == 0
    assert _archived(archive) == [partial.with_name(partial.name.removesuffix(".partial"))]
    assert _archived(archive)[0].read_bytes() == yemen


def test_the_shipped_sources_and_the_default_archive(monkeypatch: pytest.MonkeyPatch) -> None:
    """The packaged sources file loads; the archive defaults beside a SQLite file only."""
    monkeypatch.delenv(runner.ARCHIVE_ENV, raising=False)
    names = [source.name for source in load_sources()]
    assert {"ofac-sdn", "un-sc", "uk-hmt", "eu-fsf", "opensanctions"} <= set(names)
    assert runner.archive_folder("sqlite:////data/t.db") == Path("/data/t.db.archive")
    with pytest.raises(tracker.TrackerError, match="--archive DIR"):
        runner.archive_folder("postgresql+psycopg://localhost/t")


def _killed_sync(cli: Cli, server: Server, archive: Path, *, before_commit: bool) -> None:
    """`tracker sync` in a subprocess, SIGKILLed once every write of its import is sent and
    it is about to commit (`before_commit`), or while it waits for the download."""
    script = "tests/helpers/pause_before_commit.py" if before_commit else "-m"
    program = [script] if before_commit else [script, "tracker"]
    process = subprocess.Popen(
        [sys.executable, *program, "--db", cli.url, "sync", "--url", server.url(), "--format",
         "ofac", "--name", "ofac-sdn", "--archive", str(archive), *FAST],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip
    assert process.stdout is not None
    if before_commit:
        reached = process.stdout.readline().strip() == "ready to commit"
    else:
        reached = server.waiting.wait(30)
    if not reached:
        process.kill()
        pytest.fail(f"the sync never got there: {process.communicate()!r}")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    server.release.set()


@pytest.mark.parametrize("before_commit", [True, False], ids=["before-commit", "downloading"])
def test_a_sync_killed_leaves_database_and_archive_consistent(
    cli: Cli, server: Server, archive: Path, yemen: bytes, before_commit: bool
) -> None:
    """SIGKILL mid-sync: no import, no run and no archived edition, whichever the moment (at
    most a `.partial` file no run names); the next round imports and archives it once."""
    server.routes[FILE] = Route(yemen, hang=not before_commit)
    before = content_checksum(cli.url)
    _killed_sync(cli, server, archive, before_commit=before_commit)
    assert content_checksum(cli.url) == before
    assert (_runs(cli), _imports(cli)) == ([], 0)
    # At most the file staged for the import that never committed, under its `.partial` name.
    assert [p.suffix for p in _archived(archive)] == [".partial"] * before_commit
    server.routes[FILE] = Route(yemen)
    assert _sync(cli, server, archive).exit_code == 0
    ((run,), (kept,)) = (_runs(cli), _archived(archive))
    assert (run["outcome"], run["archive_path"], run["added"]) == ("ok", str(kept), 10)
    assert kept.read_bytes() == yemen
    assert not list(archive.glob("ofac-sdn/*.partial"))
    assert _imports(cli) == 1
