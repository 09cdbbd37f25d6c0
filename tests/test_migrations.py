"""Migrations are tested like code: one head, up and down on both engines, models agree."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import REPO_ROOT, Tracker
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


def test_db_commands(bare: Tracker) -> None:
    """`db upgrade`, `current`, `history`, `check` and `downgrade` report what they did."""
    head = migrations.head_revision()
    assert f"to {head}" in bare.ok("db", "upgrade").stdout
    assert "already at" in bare.ok("db", "upgrade").stdout
    assert bare.ok("db", "current").stdout.strip() == f"{head} (head)"
    assert "matches the models" in bare.ok("db", "check").stdout
    history = bare.json("db", "history")
    assert [r["revision"] for r in history["revisions"]][-1] == head
    assert "to base" in bare.ok("db", "downgrade", "base").stdout
    assert bare.ok("db", "current").stdout.strip().startswith("base")


def test_commands_refuse_a_database_that_is_not_at_head(bare: Tracker) -> None:
    """A database behind the code gets one line telling the user to upgrade."""
    bare.ok("db", "upgrade")
    bare.ok("db", "downgrade", "base")
    result = bare("entity", "list")
    assert result.exit_code == 1
    assert "run `tracker db upgrade`" in result.stderr


def test_unknown_revision_is_a_clear_error(bare: Tracker) -> None:
    """Asking for a revision that does not exist is one line, not a traceback."""
    bare.ok("db", "upgrade")
    result = bare("db", "downgrade", "nonsense")
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
