"""docs/cli.md, the command-line reference, is generated from the commands and kept current."""

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Annotated

import pytest
import typer
import typer.main

from tests.conftest import REPO_ROOT


def _load_script() -> ModuleType:
    path = REPO_ROOT / "scripts" / "cli_reference.py"
    spec = importlib.util.spec_from_file_location("cli_reference", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _load_script()


def _toy() -> typer.Typer:
    """A small command tree: a group, a hidden command, a hidden option, a wrapped example."""
    toy = typer.Typer(help="A toy.\n\nExample: toy item add x")
    items = typer.Typer(help="Items.")
    toy.add_typer(items, name="item")

    @items.command("add")
    def add(
        name: str,
        secret: Annotated[bool, typer.Option(hidden=True)] = False,
        size: Annotated[int, typer.Option(help="How big.")] = 1,
    ) -> None:
        """Add an item <here>, *now*.

        Example: toy item add "A thing" --size 3
        --size 4
        Example: toy item add other
        """

    @items.command("purge", hidden=True)
    def purge() -> None:
        """Not for the public."""

    return toy


def test_docs_cli_md_is_current() -> None:
    """docs/cli.md is exactly what the commands generate today."""
    assert reference.REFERENCE.read_text(encoding="utf-8") == reference.render(), (
        f"docs/cli.md is out of date: run `{reference.REGENERATE}`"
    )


def test_every_command_gets_a_section_in_order_hidden_ones_skipped() -> None:
    """Groups come before their commands; a hidden command or option is left out."""
    page = reference.render(typer.main.get_command(_toy()), prog_name="toy")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == ["## toy", "## toy item", "## toy item add"]
    assert "- [toy item add](#toy-item-add)" in page
    assert "purge" not in page
    assert "--secret" not in page
    assert "--size INTEGER  How big.  [default: 1]" in page


def test_examples_become_a_shell_block_and_prose_stays_text() -> None:
    """Each `Example:` line starts a command and the lines after it continue it."""
    page = reference.render(typer.main.get_command(_toy()), prog_name="toy")
    assert (
        "Add an item &lt;here>, \\*now\\*.\n\nExamples:\n\n```console\n"
        '$ toy item add "A thing" --size 3 \\\n    --size 4\n$ toy item add other\n```'
    ) in page


def test_the_page_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A narrow terminal or forced colour does not change a byte of the page."""
    page = reference.render()
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert reference.render() == page


def test_check_reports_a_stale_page_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--check` writes nothing and exits 1 on a stale page; a fresh one passes."""
    page = tmp_path / "cli.md"
    page.write_text("old\n", encoding="utf-8")
    assert reference.main(["--check"], reference=page) == 1
    assert page.read_text(encoding="utf-8") == "old\n"
    message = capsys.readouterr().err.strip().splitlines()
    assert message == [f"{page} is out of date: run `python scripts/cli_reference.py`"]
    assert reference.main([], reference=page) == 0
    assert reference.main(["--check"], reference=page) == 0
