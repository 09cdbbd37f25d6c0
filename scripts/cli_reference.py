"""Write docs/cli.md, the command-line reference, from the commands themselves.

Run from anywhere: python scripts/cli_reference.py [--check]
Every visible command and group, in the order `--help` lists them, gets a section: its help
text (the `Example:` lines as a shell block), then its usage, arguments and options as plain
`--help` gives them, at a fixed width and without colour, so the page does not depend on the
terminal that wrote it. With --check nothing is written: exit 1 if docs/cli.md is out of date
(tests/test_cli_reference.py makes the same comparison, so the suite fails on a stale page).
"""

import argparse
import inspect
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import typer.main

from tracker.cli import app

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "cli.md"
REGENERATE = "python scripts/cli_reference.py"
WIDTH = 100
EXAMPLE = "Example:"
CODE_SPAN = re.compile(r"(`[^`]*`)")

INTRO = f"""\
# Command-line reference

Every `tracker` command's help, generated from the commands themselves by
`{REGENERATE}`: do not edit this page by hand (the test suite fails when it
is out of date). A group's options go before its commands: `tracker [OPTIONS] COMMAND [ARGS]...`.
"""


def sections(command: Any, ctx: Any) -> Iterator[Any]:
    """The context of `command` and of every visible command under it, depth first, in the
    order `--help` lists them."""
    yield ctx
    for name in getattr(command, "commands", {}):
        sub = command.commands[name]
        if not sub.hidden:
            yield from sections(sub, _context(sub, name, parent=ctx))


def _context(command: Any, name: str, parent: Any = None) -> Any:
    """A context for help only: no arguments parsed, the width fixed."""
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    return command.context_class(command, info_name=name, parent=parent, **settings)


def render(root: Any = None, prog_name: str = "tracker") -> str:
    """The whole page for the command tree `root` (default: tracker's)."""
    root = typer.main.get_command(app) if root is None else root
    contexts = list(sections(root, _context(root, prog_name)))
    toc = [f"{'  ' * _depth(ctx)}- [{ctx.command_path}](#{_anchor(ctx)})" for ctx in contexts]
    parts = [INTRO, "\n".join(toc) + "\n", *(_section(ctx) for ctx in contexts)]
    return "\n".join(parts)


def _depth(ctx: Any) -> int:
    return 0 if ctx.parent is None else 1 + _depth(ctx.parent)


def _anchor(ctx: Any) -> str:
    """GitHub's anchor for a heading: lower case, spaces to hyphens, other punctuation dropped."""
    kept = (c for c in ctx.command_path.lower().replace(" ", "-") if c.isalnum() or c in "-_")
    return "".join(kept)


def _section(ctx: Any) -> str:
    command = ctx.command
    formatter = ctx.make_formatter()
    command.format_usage(ctx, formatter)
    command.format_options(ctx, formatter)
    plain = formatter.getvalue().rstrip()
    help_text = _help_markdown(command.help or "")
    if command.deprecated:
        help_text = f"**Deprecated.** {help_text}".rstrip()
    blocks = [f"## {ctx.command_path}", help_text, f"```text\n{plain}\n```"]
    return "\n\n".join(block for block in blocks if block) + "\n"


def _help_markdown(text: str) -> str:
    """Help text as Markdown: prose paragraphs as they are, `Example:` lines as a shell block."""
    text = inspect.cleandoc(text).partition("\f")[0]  # click hides what follows \f
    blocks = []
    for paragraph in text.split("\n\n"):
        lines = [line for line in paragraph.splitlines() if line.strip() != "\b"]
        first = next((i for i, line in enumerate(lines) if line.startswith(EXAMPLE)), len(lines))
        if prose := "\n".join(lines[:first]).strip():
            blocks.append(_escape(prose))
        if examples := _examples(lines[first:]):
            label = "Example:" if len(examples) == 1 else "Examples:"
            blocks.append(label + "\n\n```console\n" + "\n".join(examples) + "\n```")
    return "\n\n".join(blocks)


def _escape(prose: str) -> str:
    """Help is plain text: outside `code spans`, `*` and `<` stay characters, not emphasis or
    HTML."""
    parts = CODE_SPAN.split(prose)
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("*", "\\*").replace("<", "&lt;")
    return "".join(parts)


def _examples(lines: Sequence[str]) -> list[str]:
    """Each `Example:` line starts a command; the lines after it continue that command."""
    commands: list[list[str]] = []
    for line in lines:
        if line.startswith(EXAMPLE):
            commands.append([line.removeprefix(EXAMPLE).strip()])
        elif line.strip():
            commands[-1].append(line.strip())
    return ["$ " + " \\\n    ".join(command) for command in commands]


def main(argv: Sequence[str] | None = None, reference: Path = REFERENCE) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the page is out of date"
    )
    args = parser.parse_args(argv)
    page = render()
    if args.check:
        current = reference.read_text(encoding="utf-8") if reference.exists() else None
        if current != page:
            shown = reference.relative_to(ROOT) if reference.is_relative_to(ROOT) else reference
            print(f"{shown} is out of date: run `{REGENERATE}`", file=sys.stderr)
            return 1
        return 0
    reference.write_text(page, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
