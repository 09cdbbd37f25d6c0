"""Migrations are tested like code: one head, up and down on both engines, models agree."""

import hashlib
import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import REPO_ROOT, Cli
from tracker import migrations
from tracker.db import create_engine


def test_there_is_one_head() -> None:
    """Revisions form one line: no forgotten merge."""
    heads = [info for info in migrations.history() if info.is_head]
    assert len(heads) == 1


def test_upgrade_downgrade_upgrade_and_models_match(db_url: str) -> None:
    """upgrade -> downgrade base -> upgrade works; autogenerate then finds no difference."""
    engine = create_engine(db_url, must_exist=False)
    migrations.upgrade(engine)
    assert migrations.current_revision(engine) == migrations.head_revision()
    assert migrations.schema_differences(engine) == []
    migrations.downgrade(engine, "base")
    assert migrations.current_revision(engine) is None
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(engine)
    assert migrations.schema_differences(engine) == []
    engine.dispose()


def test_db_commands(bare: Cli) -> None:
    """`db upgrade`, `current`, `history`, `check` and `downgrade` report what they did."""
    head = migrations.head_revision()
    assert f"to {head}" in bare.ok("db", "upgrade").stdout
    assert "already at" in bare.ok("db", "upgrade").stdout
    assert bare.ok("db", "current").stdout.strip() == f"{head} (head)"
    assert "matches the models" in bare.ok("db", "check").stdout
    history = bare.json("db", "history")
    assert [r["revision"] for r in history["revisions"]][-1] == head
    assert "to base" in bare.ok("db", "downgrade", "base", "--yes").stdout
    assert bare.ok("db", "current").stdout.strip().startswith("base")


def test_commands_refuse_a_database_that_is_not_at_head(bare: Cli) -> None:
    """A database behind the code gets one line telling the user to upgrade."""
    bare.ok("db", "upgrade")
    bare.ok("db", "downgrade", "base", "--yes")
    result = bare("entity", "list")
    assert result.exit_code == 1
    assert "run `tracker db upgrade`" in result.stderr


def test_commands_refuse_a_database_from_a_newer_tracker(bare: Cli) -> None:
    """A revision this tracker does not know is named, and upgrading it is not suggested."""
    bare.ok("db", "upgrade")
    engine = create_engine(bare.url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    for command in (["entity", "list"], ["report", "status"], ["dump", "-"], ["db", "check"]):
        result = bare(*command)
        assert result.exit_code == 1
        assert "revision 9999, which this tracker does not know" in result.stderr


def test_every_revision_keeps_the_data_on_the_way_back_up(filled: Cli) -> None:
    """Filled through the CLI (seeds, an OFAC import, facts), the database walks down one
    revision at a time to base; from each revision it goes up to head and down again, and
    every row and value that revision held is there as before (row counts and a checksum
    per table). A revision that moves data (0005 splits stated from observed dates) must
    restore it exactly on the way down."""
    engine = create_engine(filled.url)
    revisions = [info.revision for info in migrations.history()]
    walked = []
    for target in [*reversed(revisions[:-1]), "base"]:
        migrations.downgrade(engine, target)
        below = table_contents(engine)
        migrations.upgrade(engine)
        migrations.downgrade(engine, target)
        again = table_contents(engine, only=below)
        assert again == below, f"going up from {target} and back lost or changed data"
        walked.append(target)
    assert walked[-1] == "base"
    assert len(walked) == len(revisions)
    migrations.upgrade(engine)
    assert migrations.schema_differences(engine) == []
    engine.dispose()


@dataclass(frozen=True)
class TableContents:
    columns: tuple[str, ...]
    rows: int
    checksum: str


def table_contents(
    engine: sa.Engine, only: dict[str, TableContents] | None = None
) -> dict[str, TableContents]:
    """Per table: its columns, row count and a checksum of every value (in id order); with
    `only`, just the tables and columns named there."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    contents = {}
    with engine.connect() as connection:
        for table in metadata.tables.values():
            if table.name == "alembic_version" or (only is not None and table.name not in only):
                continue
            names = only[table.name].columns if only else tuple(sorted(table.columns.keys()))
            query = sa.select(*(table.c[n] for n in names)).order_by(*table.primary_key.columns)
            digest = hashlib.sha256()
            rows = 0
            for row in connection.execute(query):
                digest.update(repr(tuple(row)).encode())
                rows += 1
            contents[table.name] = TableContents(names, rows, digest.hexdigest())
    return contents


def test_unknown_revision_is_a_clear_error(bare: Cli) -> None:
    """Asking for a revision that does not exist is one line, not a traceback."""
    bare.ok("db", "upgrade")
    result = bare("db", "downgrade", "nonsense", "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_alembic_command_line_from_the_repository_root(tmp_path: Path) -> None:
    """`alembic upgrade head` works from the repo root with the tracker's own settings."""
    path = tmp_path / "alembic.db"
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{path}"}
    alembic = Path(sys.executable).with_name("alembic")
    subprocess.run([str(alembic), "upgrade", "head"], cwd=REPO_ROOT, env=env, check=True)
    current = subprocess.run(
        [str(alembic), "current"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert migrations.head_revision() in current.stdout


@pytest.mark.slow
def test_wheel_carries_migrations_and_seeds(tmp_path: Path) -> None:
    """A non-editable install from the built wheel can migrate and seed."""
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=REPO_ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel = next(dist.glob("tracker-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The dependencies come from this environment's site-packages (added after the venv's
    # own, without running its .pth files, so the editable checkout stays out of sight);
    # tracker itself comes only from the wheel.
    venv_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(venv_site, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--force-reinstall", "-q", str(wheel)],
        check=True,
    )
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    url = f"sqlite:///{workdir / 'wheel.db'}"
    code = (
        "import sys, tracker.resources as r; "
        "print(r.bundled('alembic')); sys.argv=['tracker', '--db', sys.argv[1], 'seed']; "
        "from tracker.cli import main; main()"
    )
    result = subprocess.run(
        [str(python), "-c", code, url], cwd=workdir, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "_bundled" in result.stdout.splitlines()[0]
    assert "added 5 authorities" in result.stdout
    # The web pages' templates and stylesheet travel in the wheel too.
    serve = (
        "import sys; from fastapi.testclient import TestClient; "
        "from tracker.server import ServerSettings, create_app; "
        "client = TestClient(create_app(ServerSettings(url=sys.argv[1]))); "
        "print(client.get('/?q=Cartel+of+the+Suns').text.count('cartel-de-los-soles'), "
        "client.get('/static/style.css').status_code)"
    )
    served = subprocess.run(
        [str(python), "-c", serve, url], cwd=workdir, capture_output=True, text=True, check=False
    )
    assert served.returncode == 0, served.stderr
    found, stylesheet = served.stdout.split()
    assert int(found) > 0
    assert stylesheet == "200"


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    """Commands find the head without loading Alembic; it must be the head Alembic finds."""
    assert migrations.head_revision() == migrations._scripts().get_current_head()
