"""The root command: global options, sub-command groups, and errors translated once.

A `TrackerError` becomes `Error: <one line>` on stderr and its exit code: 2 for a usage error
(a bad option or value: `InvalidValue`, or click's own), 1 for a problem with the data or the
database's state. Anything else is a bug.
"""

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup, _main

from tracker import __version__
from tracker.cli import context, help  # noqa: F401  (help: readable types in --help)
from tracker.config import DATABASE_URL_ENV, database_chosen
from tracker.errors import TrackerError
from tracker.storable import unstorable

# Typer vendors click; its usage errors all derive from this class (public via BadParameter).
ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


class TrackerGroup(TyperGroup):
    """Turns expected errors into one line on stderr instead of a traceback or a box."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as error:
            context.stderr.print(f"Error: {error}", highlight=False, markup=False)
            raise typer.Exit(error.exit_code) from error
        finally:
            if isinstance(ctx.obj, context.AppState):
                ctx.obj.close()

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        for position, arg in enumerate(sys.argv[1:] if args is None else args, start=1):
            if (problem := unstorable(arg)) is not None:
                message = f"Error: argument {position} ({arg[:30]!r}) {problem}"
                context.stderr.print(message, highlight=False, markup=False)
                sys.exit(2)
        try:
            result = _main(
                self,
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                rich_markup_mode=self.rich_markup_mode,
                **extra,
            )
        except typer.Abort:
            context.stderr.print("Aborted.")
            sys.exit(1)
        except ClickException as error:
            command = getattr(getattr(error, "ctx", None), "command_path", "tracker")
            context.stderr.print(
                f"Error: {error.format_message()} (see `{command} --help`)",
                highlight=False,
                markup=False,
            )
            sys.exit(error.exit_code)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=TrackerGroup,
    help=(
        "Record who is designated or sanctioned, by whom, since when, and how they answered;"
        " report what changed.\n\n"
        "Example: tracker demo"
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tracker {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help=f"Database URL or SQLite file (default: ${DATABASE_URL_ENV}, else tracker.db).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Record who is designated or sanctioned, by whom, since when, and how they answered.

    Example: tracker --db sqlite:///cases.db report status
    """
    ctx.obj = context.AppState(url=db, chosen=database_chosen(db))
