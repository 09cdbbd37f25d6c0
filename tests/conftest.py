"""Fixtures: a fresh database per test, on SQLite always and on PostgreSQL when
TRACKER_TEST_POSTGRES_URL names a server; a CLI runner bound to that database."""

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner, Result

from tracker import migrations
from tracker.cli import app
from tracker.db import create_engine, sqlite_path

POSTGRES_ENV = "TRACKER_TEST_POSTGRES_URL"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
REPO_ROOT = Path(__file__).resolve().parents[1]


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


@pytest.fixture(params=_engines())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to a database of its own: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    with _postgres_schema() as url:
        yield url


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """For tests that need a PostgreSQL database beside the parametrised one."""
    if postgres_url() is None:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL")
    with _postgres_schema() as url:
        yield url


@contextmanager
def _postgres_schema() -> Iterator[str]:
    """A new, empty schema on the test server, dropped afterwards."""
    base = postgres_url()
    assert base is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For the few tests about SQLite files themselves."""
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@dataclass
class Tracker:
    """Runs `tracker --db URL ...` in-process and keeps stdout and stderr apart."""

    url: str
    runner: CliRunner

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(app, ["--db", self.url, *args], input=input)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, f"{args}: {result.output}"
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--format", "json").stdout)


@pytest.fixture
def tracker(db_url: str) -> Tracker:
    """The CLI on a fresh, migrated database."""
    engine = create_engine(db_url, must_exist=False)
    migrations.upgrade(engine)
    engine.dispose()
    return Tracker(db_url, CliRunner())


@pytest.fixture(scope="session")
def seeded_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped seeds loaded once into a SQLite file that tests copy."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    Tracker(f"sqlite:///{path}", CliRunner()).ok("seed")
    return path


@pytest.fixture(scope="session")
def seeded_postgres_template() -> Iterator[str]:
    """A PostgreSQL database holding the shipped seeds, copied per test (CREATE ... TEMPLATE)."""
    base = postgres_url()
    assert base is not None
    name = f"tracker_template_{uuid.uuid4().hex[:8]}"
    _admin(base, f"CREATE DATABASE {name}")
    Tracker(_database_url(base, name), CliRunner()).ok("seed")
    yield name
    _admin(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _database_url(base: str, name: str) -> str:
    return sa.make_url(base).set(database=name).render_as_string(hide_password=False)


def _admin(base: str, statement: str) -> None:
    """Run a statement that cannot run in a transaction (CREATE / DROP DATABASE)."""
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()


@pytest.fixture
def seeded(db_url: str, request: pytest.FixtureRequest) -> Iterator[Tracker]:
    """The CLI on a fresh database holding the shipped seeds (a copy of one seeded once)."""
    path = sqlite_path(db_url)
    if path is not None:
        shutil.copyfile(request.getfixturevalue("seeded_sqlite_template"), path)
        yield Tracker(db_url, CliRunner())
        return
    base = postgres_url()
    assert base is not None
    template = request.getfixturevalue("seeded_postgres_template")
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin(base, f"CREATE DATABASE {name} TEMPLATE {template}")
    yield Tracker(_database_url(base, name), CliRunner())
    _admin(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def empty(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Tracker:
    """A second database, not yet created, on the same engine as `filled`."""
    if db_url.startswith("sqlite"):
        return Tracker(f"sqlite:///{tmp_path / 'restored.db'}", CliRunner())
    return Tracker(request.getfixturevalue("postgres_schema_url"), CliRunner())


@pytest.fixture
def bare(db_url: str) -> Tracker:
    """The CLI on a database that does not exist yet."""
    return Tracker(db_url, CliRunner())


def fingerprint(url: str) -> str:
    """A checksum of the database: the file's bytes for SQLite, every row for PostgreSQL."""
    path = sqlite_path(url)
    if path is not None:
        digest = hashlib.sha256(path.read_bytes())
        for suffix in ("-wal",):
            extra = Path(f"{path}{suffix}")
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


def shared_file(*parts: str) -> Path:
    """A file under ../shared/data, or a clear skip when the shared data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


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
  </sdnEntry>
</sdnList>
"""


@pytest.fixture
def filled(seeded: Tracker, tmp_path: Path) -> Tracker:
    """Every table holds rows: the seeds, two editions of an OFAC list (so amended events
    carry before/after JSON), and facts recorded by hand through the CLI (a link too)."""
    for number, (date, name, remarks) in enumerate(
        [("01/02/2025", "CARTEL DE LOS SOLES", "Linked To: X."),
         ("02/03/2025", "CARTEL DE LOS SOLES (CDLS)", "Linked To: Y.")]
    ):  # fmt: skip
        path = tmp_path / f"sdn-{number}.xml"
        path.write_text(FILLED_EDITION.format(date=date, name=name, remarks=remarks))
        seeded.ok("import", "ofac", str(path), "--quiet")
    seeded.ok("entity", "add", "Tren de Aragua Cell 7", "--kind", "organization",
              "--country", "VE", "--alias", "TdA-7")  # fmt: skip
    seeded.ok("entity", "identify", "tren-de-aragua-cell-7", "test-id:7")
    seeded.ok("designate", "tren-de-aragua-cell-7", "--authority", "us-state", "--list", "FTO",
              "--announced", "2025-11-16", "--effective", "2025-11-24",
              "--source", "https://www.state.gov/example")  # fmt: skip
    sanction = seeded.json("sanction", "add", "tren-de-aragua-cell-7", "--authority", "us-ofac",
                           "--measure", "asset-freeze", "--from", "2025-11-24")  # fmt: skip
    seeded.ok("response", "add", "--by", "government-of-venezuela", "--about",
              f"sanction:{sanction['sanction']['id']}", "--stance", "rejects",
              "--on", "2025-11-25", "--summary", "Rejected as a fabrication.")  # fmt: skip
    seeded.ok("entity", "link", "tren-de-aragua-cell-7", "tren-de-aragua",
              "--note", "A cell of the group")  # fmt: skip
    return seeded
