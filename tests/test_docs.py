"""The examples of docs/api.md run as written, and their printed results are the real ones."""

import doctest
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, shared_file

ENHANCED = ("ofac_enhanced_xml", "2024-05-24_yemen", "yemen_sanctions.xml")


def test_the_api_guide_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Record, import, status, changes, search and screen, in a fresh directory holding the
    OFAC sample the guide imports."""
    shutil.copyfile(shared_file(*ENHANCED), tmp_path / "yemen_sanctions.xml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    guide = REPO_ROOT / "docs" / "api.md"
    results = doctest.testfile(
        str(guide), module_relative=False, optionflags=doctest.ELLIPSIS, report=True
    )
    assert results.attempted > 40
    assert results.failed == 0, f"{results.failed} examples of {guide.name} failed (see above)"
