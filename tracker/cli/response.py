"""`tracker response ...`: what governments and targets said or did in answer."""

from typing import Annotated

import typer
from sqlmodel import col

from tracker.cli.context import reading, writing
from tracker.cli.designation import SourceOption
from tracker.cli.output import FormatOption, JsonOption, OutputOption, emit, emit_record
from tracker.enums import Stance
from tracker.models import Response
from tracker.reports.records import RESPONSE_COLUMNS, response_rows, responses_concerning
from tracker.reports.render import Report, Section
from tracker.services import responses as service
from tracker.services.lookup import entity_by_key
from tracker.services.sources import resolve_sources
from tracker.validation import validated

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
    data = validated(service.ResponseCreate, stance=stance, stated_on=on, summary=summary)
    with writing(ctx) as session:
        responder = entity_by_key(session, by)
        subject = service.resolve_subject(session=session, text=about)
        response = service.respond(
            session=session,
            responder=responder,
            subject=subject,
            data=data,
            sources=resolve_sources(session=session, refs=source or []),
        )
        record = response_rows(session, lambda s: s.where(Response.id == response.id))[0]
    emit_record(
        f"Recorded: {by} {stance.value} {about} on {data.stated_on} (response {record['id']})",
        record,
        fmt,
        "response",
    )


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
    with reading(ctx) as session:
        conditions = []
        if by is not None:
            conditions.append(Response.responder_id == entity_by_key(session, by).id)
        if about is not None:
            entity_id = entity_by_key(session, about).id
            assert entity_id is not None
            conditions.append(responses_concerning(entity_id))
        if stance is not None:
            conditions.append(col(Response.stance) == stance)
        rows = response_rows(session, lambda s: s.where(*conditions))
    emit(
        Report(
            kind="responses",
            title="Official responses",
            sections=[Section("responses", "Official responses", RESPONSE_COLUMNS, rows)],
            empty_message="no responses matched",
        ),
        fmt,
        output,
    )
