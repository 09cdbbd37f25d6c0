"""`tracker response ...`: what governments and targets said or did in answer."""

from typing import Annotated

import typer

from tracker.cli.context import db
from tracker.cli.designation import SourceOption
from tracker.cli.output import FormatOption, JsonOption, OutputOption, emit, emit_record
from tracker.enums import Stance
from tracker.reports.views import responses_view

app = typer.Typer(help="Official responses to designations and sanctions.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    by: Annotated[str, typer.Option(help="Who responded (entity key).")],
    about: Annotated[str, typer.Option(help="designation:ID, sanction:ID or entity:KEY.")],
    stance: Annotated[Stance, typer.Option(help="The stance taken.")],
    on: Annotated[str, typer.Option(help="Date of the response (YYYY[-MM[-DD]]).")],
    summary: Annotated[str, typer.Option(help="What was said or done, in a sentence.")],
    source: SourceOption = None,
    fmt: JsonOption = None,
) -> None:
    """Record an official response.

    Example: tracker response add --by government-of-venezuela --about designation:3
    --stance rejects --on 2025-11-24 --summary "Called the designation a fabrication"
    """
    record = db(ctx).respond(
        by=by, about=about, stance=stance, on=on, summary=summary, sources=source or ()
    )
    message = f"Recorded: {by} {stance.value} {about} on {record.stated_on} (response {record.id})"
    emit_record(message, "response", record, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    by: Annotated[str | None, typer.Option(help="Only responses by this entity.")] = None,
    about: Annotated[
        str | None, typer.Option(help="Only responses concerning this entity (key).")
    ] = None,
    stance: Annotated[Stance | None, typer.Option(help="Only this stance.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List official responses, oldest first.

    Example: tracker response list --about cartel-de-los-soles
    """
    records = db(ctx).responses(by=by, about=about, stance=stance.value if stance else None)
    emit("responses", records, responses_view(records), fmt, output)
