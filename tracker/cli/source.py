"""`tracker source ...` and `tracker authority ...`: the documents facts cite, and who acts."""

from typing import Annotated

import typer
from sqlmodel import select

from tracker.cli.context import reading, writing
from tracker.cli.output import FormatOption, JsonOption, OutputOption, emit, emit_record
from tracker.models import Authority, Source
from tracker.reports.records import SOURCE_COLUMNS, source_row
from tracker.reports.render import Report, Section, columns
from tracker.services.sources import SourceCreate, add_source
from tracker.validation import validated

source_app = typer.Typer(help="Sources: the documents facts rest on.", no_args_is_help=True)
authority_app = typer.Typer(help="Authorities: who designates and sanctions.", no_args_is_help=True)


@source_app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Option(help="The document's title.")],
    url: Annotated[str | None, typer.Option(help="Where it can be read.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Who published it.")] = None,
    document: Annotated[
        str | None, typer.Option(help="Document number, e.g. '2025-20750; 90 FR 53045'.")
    ] = None,
    published: Annotated[str | None, typer.Option(help="Publication date.")] = None,
    fmt: JsonOption = None,
) -> None:
    """Record a source; its id can then be given to any `--source` option.

    Example: tracker source add --title "FTO Designation of Cartel de los Soles"
    --publisher "Federal Register" --document "2025-20750; 90 FR 53045" --published 2025-11-24
    --url https://www.federalregister.gov/d/2025-20750
    """
    data = validated(
        SourceCreate,
        title=title,
        url=url,
        publisher=publisher,
        document_number=document,
        published_on=published,
    )
    with writing(ctx) as session:
        source = add_source(session=session, data=data)
        record = source_row(source)
    emit_record(f"Added source {source.id}: {source.title}", record, fmt, "source")


@source_app.command("list")
def list_sources(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """List sources by id.

    Example: tracker source list --format csv -o sources.csv
    """
    with reading(ctx) as session:
        rows = [source_row(s) for s in session.exec(select(Source).order_by(Source.id))]
    section = Section("sources", "Sources", SOURCE_COLUMNS, rows)
    emit(Report(kind="sources", title="Sources", sections=[section]), fmt, output)


@authority_app.command("list")
def list_authorities(
    ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None
) -> None:
    """List the authorities (the keys `--authority` accepts).

    Example: tracker authority list
    """
    with reading(ctx) as session:
        rows = [
            {"key": a.key, "name": a.name, "jurisdiction": a.jurisdiction}
            for a in session.exec(select(Authority).order_by(Authority.key))
        ]
    section = Section(
        "authorities",
        "Authorities",
        columns(("key", "key"), ("name", "name"), ("jurisdiction", "jurisdiction")),
        rows,
    )
    emit(Report(kind="authorities", title="Authorities", sections=[section]), fmt, output)
