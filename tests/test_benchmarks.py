"""The benchmarks still run: `tests/benchmarks/run.py --smoke` at tiny sizes writes a report
with every benchmark's figures. The figures themselves are not checked (a shared machine is
too noisy to time; docs/benchmarks.md holds a full run): a refactoring that breaks a
benchmark script fails here instead of on the day someone measures."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, SHARED_DATA

# What each benchmark's section must show: its table's rows, with ratios to the baselines.
FIGURES = {
    "Import": [
        r"^[\d,]+\s+[\d.]+s\s+[\d.]+s\s+[\d.]+s\s+\d+\.\d\d\s+\d+\.\d\d\s",  # import, /bare, /full
        r"^peak RSS growth [\d,]+ -> [\d,]+ entries: [+-]\d+%",
    ],
    "Reports": [r"^changes \d{4}\s+[\d,]+/[\d,]+\s+[\d.]+ ms\s+[\d.]+ ms\s+\d+\.\d\d$"],
    "Search": [
        r"^indexed search\s+[\d.]+\s+[\d.]+\s+[01]\.\d{3}\s",  # p50, p95, recall@1
        r"^speed-up: p50 \d+\.\dx",
        r"^screen [\d,]+ names .* [\d,]+ names/s",
    ],
}


@pytest.mark.slow
def test_every_benchmark_runs_at_smoke_size(tmp_path: Path) -> None:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not available: {SHARED_DATA}")
    output = tmp_path / "b.md"
    result = subprocess.run(
        [sys.executable, "tests/benchmarks/run.py", "--smoke", "--output", str(output),
         "--workdir", str(tmp_path / "work")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    sections = dict(
        re.findall(r"^## (\w+)[^\n]*\n(.*?)(?=^## |\Z)", output.read_text(), re.M | re.S)
    )
    assert set(FIGURES) <= set(sections), sorted(sections)
    for title, figures in FIGURES.items():
        for figure in figures:
            assert re.search(figure, sections[title], re.M), (figure, sections[title])
