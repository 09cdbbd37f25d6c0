"""Fixtures: a fresh database per test, on SQLite always and on PostgreSQL when
TRACKER_TEST_POSTGRES_URL names a server.

Databases are copies of templates built once per session (a migrated one, a seeded one,
ones holding real list files): a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on
PostgreSQL. Tests talk to the database through the API (`db`), or through the command line
in-process (`cli`) when the command line is what they test.
"""

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import Result

import tracker
from tests.helpers.cli_runner import CliRunner
from tracker.cli import app
from tracker.db import create_engine, sqlite_path
from tracker.sync.records import SyncAttempt

POSTGRES_ENV = "TRACKER_TEST_POSTGRES_URL"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
REPO_ROOT = Path(__file__).resolve().parents[1]
Build = Callable[[tracker.Tracker], None]


def postgres_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _engines() -> list:
    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(
                    postgres_url() is None, reason=f"{POSTGRES_ENV} is not set: no PostgreSQL"
                ),
            ],
        ),
    ]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first (longest processing time first): started at once, they run beside
    the many short ones instead of leaving every other worker idle at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def shared_file(*parts: str) -> Path:
    """A file under ../shared/data, or a clear skip when the shared data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


def _database_url(base: str, name: str) -> str:
    return sa.make_url(base).set(database=name).render_as_string(hide_password=False)


def _admin(statement: str) -> None:
    """Run a statement that cannot run in a transaction (CREATE / DROP DATABASE)."""
    base = postgres_url()
    assert base is not None
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` between processes (released if the holder dies)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _shared_folder(base: Path) -> Path:
    """The folder for what is built once per run: the run's base temporary folder, which
    every xdist worker's own base folder is inside."""
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared"
    folder.mkdir(exist_ok=True)
    return folder


@dataclass
class Templates:
    """Databases built once per run, copied per test. A template is named and built by a
    function of an API connection; one built from another starts as its copy.

    The first xdist worker to need a template builds it; the others wait for it and reuse
    it (a SQLite file in the run's shared folder, or a PostgreSQL database named in a marker
    file there, dropped at the end of the run by `drop_postgres_templates`)."""

    folder: Path
    built: dict[tuple[str, str], str] = field(default_factory=dict)

    def get(self, engine: str, name: str, build: Build, base: str | None) -> str:
        """The template (a file path, or a PostgreSQL database name), built if new."""
        if (engine, name) not in self.built:
            source = self.built[(engine, base)] if base is not None else None
            self.built[(engine, name)] = self.once(
                f"{engine}-{name}", lambda: self._make(engine, name, build, source)
            )
        return self.built[(engine, name)]

    def once(self, key: str, make: Callable[[], str]) -> str:
        """What `make()` answered (a path or a database name) the first time any worker of
        the run asked for `key`; made now if nobody has."""
        marker = self.folder / f"{key}.built"
        with _locked(self.folder / f"{key}.lock"):
            if not marker.exists():
                made = make()
                partial = marker.with_suffix(".partial")
                partial.write_text(made)
                partial.replace(marker)
        return marker.read_text()

    def _make(self, engine: str, name: str, build: Build, source: str | None) -> str:
        if engine == "sqlite":
            path = self.folder / f"{name}.db"
            building = self.folder / f"{name}.building.db"
            building.unlink(missing_ok=True)
            if source is not None:
                shutil.copyfile(source, building)
            self._build(f"sqlite:///{building}", build)
            building.replace(path)
            return str(path)
        database = f"tpl_{name.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        template = f" TEMPLATE {source}" if source else ""
        _admin(f"CREATE DATABASE {database}{template}")
        try:
            self._build(_database_url(postgres_url() or "", database), build)
        except BaseException:
            _admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            raise
        return database

    @staticmethod
    def _build(url: str, build: Build) -> None:
        with tracker.connect(url) as db:
            build(db)


def drop_postgres_templates(folder: Path) -> None:
    """Drop the PostgreSQL templates of a run, once no worker can copy them any more."""
    for marker in sorted(folder.glob("postgresql-*.built")):
        _admin(f"DROP DATABASE IF EXISTS {marker.read_text()} WITH (FORCE)")
        marker.unlink()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In the process that started the run (not an xdist worker): drop its templates."""
    if os.environ.get("PYTEST_XDIST_WORKER") or postgres_url() is None:
        return
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    folder = factory.getbasetemp() / "shared"
    if folder.is_dir():
        drop_postgres_templates(folder)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(_shared_folder(tmp_path_factory.getbasetemp()))


@pytest.fixture(params=_engines())
def engine(request: pytest.FixtureRequest) -> str:
    """The engine the test runs on: every database test runs on both."""
    return str(request.param)


@dataclass
class Copies:
    """Fresh databases for one test, each a copy of a template; dropped after the test."""

    engine: str
    templates: Templates
    folder: Path
    made: list[str] = field(default_factory=list)

    def copy(self, name: str, build: Build, base: str | None = "migrated") -> str:
        """A URL to a new copy of the template `name` (built by `build` on top of `base`)."""
        if base is not None and (self.engine, base) not in self.templates.built:
            self.templates.get(self.engine, base, TEMPLATE_BUILDS[base], None)
        template = self.templates.get(self.engine, name, build, base)
        if self.engine == "sqlite":
            path = self.folder / f"{name}-{len(self.made)}.db"
            shutil.copyfile(template, path)
            self.made.append(str(path))
            return f"sqlite:///{path}"
        return self._postgres(f" TEMPLATE {template}")

    def blank(self) -> str:
        """A URL to a database that does not hold a tracker schema yet (no SQLite file)."""
        if self.engine == "sqlite":
            return f"sqlite:///{self.folder / f'blank-{len(self.made)}.db'}"
        return self._postgres("")

    def _postgres(self, template: str) -> str:
        """A new PostgreSQL database (` TEMPLATE name`, or empty), dropped after the test."""
        database = f"t_{uuid.uuid4().hex[:12]}"
        _admin(f"CREATE DATABASE {database}{template}")
        self.made.append(database)
        return _database_url(postgres_url() or "", database)

    def close(self) -> None:
        if self.engine == "postgresql":
            for database in self.made:
                _admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def migrate(db: tracker.Tracker) -> None:
    db.upgrade()


def seed(db: tracker.Tracker) -> None:
    db.seed()


TEMPLATE_BUILDS: dict[str, Build] = {"migrated": migrate, "seeded": seed}


@pytest.fixture
def copies(engine: str, templates: Templates, tmp_path: Path) -> Iterator[Copies]:
    made = Copies(engine, templates, tmp_path)
    yield made
    made.close()


@pytest.fixture
def db_url(copies: Copies) -> str:
    """A URL to a fresh, migrated database of the test's engine."""
    return copies.copy("migrated", migrate, base=None)


@pytest.fixture
def db(db_url: str) -> Iterator[tracker.Tracker]:
    """The API on a fresh, migrated database."""
    with tracker.connect(db_url) as connection:
        yield connection


@dataclass
class Cli:
    """Runs `tracker --db URL ...` in-process and keeps stdout and stderr apart."""

    url: str
    runner: CliRunner = field(default_factory=CliRunner)

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(app, ["--db", self.url, *args], input=input)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, f"{args}: {result.output}"
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--format", "json").stdout)

    @property
    def api(self) -> tracker.Tracker:
        return tracker.connect(self.url)


@pytest.fixture
def cli(db_url: str) -> Cli:
    """The command line on a fresh, migrated database."""
    return Cli(db_url)


@pytest.fixture
def seeded(copies: Copies) -> Cli:
    """The command line on a fresh database holding the shipped seeds."""
    return Cli(copies.copy("seeded", seed))


@pytest.fixture
def bare(copies: Copies) -> Cli:
    """The command line on a database that does not exist yet (or holds no schema)."""
    return Cli(copies.blank())


@pytest.fixture
def empty(copies: Copies) -> Cli:
    """A second database, not yet migrated, on the same engine as the test's."""
    return Cli(copies.blank())


def fingerprint(url: str) -> str:
    """A checksum of the database: the file's bytes for SQLite, every row for PostgreSQL."""
    path = sqlite_path(url)
    if path is not None:
        digest = hashlib.sha256(path.read_bytes())
        extra = Path(f"{path}-wal")
        if extra.exists():
            digest.update(extra.read_bytes())
        return digest.hexdigest()
    return content_checksum(url)


def content_checksum(url: str) -> str:
    """Every row of every table, in primary-key order."""
    engine = create_engine(url)
    digest = hashlib.sha256()
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for table in sorted(metadata.tables.values(), key=lambda t: t.name):
            order = list(table.primary_key.columns) or list(table.columns)
            for row in connection.execute(sa.select(table).order_by(*order)):
                digest.update(repr((table.name, tuple(row))).encode())
    engine.dispose()
    return digest.hexdigest()


FILLED_EDITION = """<?xml version="1.0"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>{date}</Publish_Date><Record_Count>2</Record_Count>
  </publshInformation>
  <sdnEntry><uid>9001</uid><lastName>{name}</lastName><sdnType>Entity</sdnType>
    <programList><program>SDGT</program></programList>
    <akaList><aka><uid>1</uid><type>a.k.a.</type><category>strong</category>
      <lastName>CARTEL OF THE SUNS</lastName></aka></akaList>
    <addressList><address><uid>2</uid><country>Venezuela</country></address></addressList>
    <remarks>{remarks}</remarks></sdnEntry>
  <sdnEntry><uid>9002</uid><lastName>MADURO MOROS</lastName><firstName>Nicolas</firstName>
    <sdnType>Individual</sdnType><programList><program>VENEZUELA</program></programList>
    <dateOfBirthList><dateOfBirthItem><uid>3</uid><dateOfBirth>23 Nov 1962</dateOfBirth>
      <mainEntry>true</mainEntry></dateOfBirthItem></dateOfBirthList>
  </sdnEntry>
</sdnList>
"""


def fill(db: tracker.Tracker, folder: Path) -> None:
    """Every table holds rows: the seeds, two editions of an OFAC list (so amended events
    carry before/after JSON), and facts recorded by hand (a link too). The edition files are
    written to a new folder inside `folder` (builds for two engines may run at once)."""
    folder = Path(tempfile.mkdtemp(prefix="fill-", dir=folder))
    for number, (date, name, remarks) in enumerate(
        [("01/02/2025", "CARTEL DE LOS SOLES", "Linked To: X."),
         ("02/03/2025", "CARTEL DE LOS SOLES (CDLS)", "Linked To: Y.")]
    ):  # fmt: skip
        path = folder / f"sdn-{number}.xml"
        path.write_text(FILLED_EDITION.format(date=date, name=name, remarks=remarks))
        db.import_list(path)
        if number == 0:  # the next edition amends it: an alert, and its webhook delivery
            db.watch("entity", "ofac-9001", note="filled", by="fill",
                     webhook_url="http://127.0.0.1:9/hook", webhook_secret="fill")  # fmt: skip
    db.add_entity("Tren de Aragua Cell 7", kind="organization", country="VE",
                  aliases=["TdA-7"], identifiers=["test-id:7"])  # fmt: skip
    db.designate("tren-de-aragua-cell-7", authority="us-state", list="FTO",
                 announced="2025-11-16", effective="2025-11-24",
                 sources=["https://www.state.gov/example"])  # fmt: skip
    sanction = db.impose_sanction("tren-de-aragua-cell-7", authority="us-ofac",
                                  measure="asset-freeze", start="2025-11-24")  # fmt: skip
    db.respond(by="government-of-venezuela", about=f"sanction:{sanction.id}", stance="rejects",
               on="2025-11-25", summary="Rejected as a fabrication.")  # fmt: skip
    db.link("tren-de-aragua-cell-7", "tren-de-aragua", note="A cell of the group")
    started = dt.datetime(2025, 3, 2, tzinfo=dt.UTC)
    failed = SyncAttempt("ofac-sdn", "https://example.org/sdn.xml", "ofac", started, 503)
    db.record_sync_run(failed, "failed", reason="HTTP 503")
    # A remembered screening: its row, run and hit, and a decision on the hit.
    db.screen_and_record("filled", [tracker.ScreenQuery("Cartel of the Suns", "C-1")])
    db.decide("filled", "C-1", "ofac-9001", "false-positive", note="filled", by="fill")


@pytest.fixture
def filled(copies: Copies, templates: Templates) -> Cli:
    """Every table holds rows: seeds, two OFAC editions, hand-recorded facts, a link."""
    return Cli(copies.copy("filled", lambda db: fill(db, templates.folder), base="seeded"))


def imported(copies: Copies, name: str, *imports: tuple[Any, ...]) -> Cli:
    """A fresh copy of a template holding real list files imported in order: each import
    is (path, keyword arguments of `import_list`)."""

    def build(db: tracker.Tracker) -> None:
        for path, options in imports:
            db.import_list(path, **options)

    return Cli(copies.copy(name, build))
