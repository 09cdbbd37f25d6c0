"""`tracker response add|show|list`: what governments and targets said or did in answer."""

from typing import Annotated

import typer

from tracker.cli.context import db
from tracker.cli.designation import AllowDuplicateOption, SourceOption
from tracker.cli.output import (
    FormatOption,
    JsonOption,
    OutputOption,
    emit,
    emit_record,
    show_record,
)
from tracker.enums import Stance

app = typer.Typer(help="Official responses to designations and sanctions.", no_args_is_help=True)

ABOUT_HELP = (
    "designation:REF or sanction:REF (an id, or KEY/AUTHORITY/LIST), or an entity: KEY"
    " (entity:KEY also works)."
)


@app.command("add")
def add(
    ctx: typer.Context,
    by: Annotated[str, typer.Option(help="Who responded (entity key).")],
    about: Annotated[str, typer.Option(help=f"What it answers: {ABOUT_HELP}")],
    stance: Annotated[Stance, typer.Option(help="The stance taken.")],
    on: Annotated[str, typer.Option(help="Date of the response (YYYY[-MM[-DD]]).", metavar="DATE")],
    summary: Annotated[str, typer.Option(help="What was said or done, in a sentence.")],
    source: SourceOption = None,
    allow_duplicate: AllowDuplicateOption = False,
    fmt: JsonOption = None,
) -> None:
    """Record an official response. The same stance by the same party on the same subject
    and day again is refused unless --allow-duplicate.

    Example: tracker response add --by government-of-venezuela
    --about designation:cartel-de-los-soles/us-state/FTO --stance rejects --on 2025-11-24
    --summary "Called the designation a fabrication"
    """
    record = db(ctx).respond(
        by=by,
        about=about,
        stance=stance,
        on=on,
        summary=summary,
        sources=source or (),
        allow_duplicate=allow_duplicate,
    )
    message = f"Recorded: {by} {stance.value} {about} on {record.stated_on} (response {record.id})"
    emit_record(message, "response", record, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    by: Annotated[str | None, typer.Option(help="Only responses by this entity.")] = None,
    about: Annotated[
        str | None,
        typer.Option(help=f"Only responses about this: {ABOUT_HELP} An entity: all about it."),
    ] = None,
    stance: Annotated[Stance | None, typer.Option(help="Only this stance.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List official responses, oldest first.

    Example: tracker response list --about cartel-de-los-soles
    """
    from tracker.reports.views import responses_view

    records = db(ctx).responses(by=by, about=about, stance=stance.value if stance else None)
    emit("responses", records, responses_view(records), fmt, output)


@app.command("show")
def show(
    ctx: typer.Context,
    response_id: Annotated[int, typer.Argument(metavar="ID", help="The response's id.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """One response: who answered what, when, with which stance, and its sources.

    Example: tracker response show 1 --format json
    """
    record = db(ctx).response(response_id)
    show_record("response", f"response {record.id}", record, fmt, output)
