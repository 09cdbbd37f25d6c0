"""`tracker source add|show|list` and `tracker authority add|list`: the documents facts
cite, and who acts."""

from typing import Annotated

import typer

from tracker.cli.context import db
from tracker.cli.designation import AllowDuplicateOption
from tracker.cli.output import (
    FormatOption,
    JsonOption,
    OutputOption,
    emit,
    emit_record,
    show_record,
)

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
    published: Annotated[str | None, typer.Option(help="Publication date.", metavar="DATE")] = None,
    allow_duplicate: AllowDuplicateOption = False,
    fmt: JsonOption = None,
) -> None:
    """Record a source; its id can then be given to any `--source` option. A URL already
    recorded is refused (cite that source's id); so is the same title and document number
    without a URL, unless --allow-duplicate.

    Example: tracker source add --title "FTO Designation of Cartel de los Soles"
    --publisher "Federal Register" --document "2025-20750; 90 FR 53045" --published 2025-11-24
    --url https://www.federalregister.gov/d/2025-20750
    """
    record = db(ctx).add_source(
        title=title,
        url=url,
        publisher=publisher,
        document_number=document,
        published=published,
        allow_duplicate=allow_duplicate,
    )
    emit_record(f"Added source {record.id}: {record.title}", "source", record, fmt)


@source_app.command("list")
def list_sources(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """List sources by id.

    Example: tracker source list --format csv -o sources.csv
    """
    from tracker.reports.views import sources_view

    records = db(ctx).sources()
    emit("sources", records, sources_view(records), fmt, output)


@source_app.command("show")
def show_source(
    ctx: typer.Context,
    source_id: Annotated[int, typer.Argument(metavar="ID", help="The source's id.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """One source: title, publisher, URL, document number, date; for an imported edition
    its file name and sha256.

    Example: tracker source show 1
    """
    record = db(ctx).source(source_id)
    show_record("source", f"source {record.id}: {record.title}", record, fmt, output)


@authority_app.command("add")
def add_authority(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Its key, e.g. ca-gac (what --authority takes).")],
    name: Annotated[str, typer.Option(help="Its name.")],
    jurisdiction: Annotated[str, typer.Option(help="Whose law it applies: CA, US, UN, EU...")],
    description: Annotated[str | None, typer.Option(help="What it does.")] = None,
    fmt: JsonOption = None,
) -> None:
    """Record an authority (the seeds hold the usual ones).

    Example: tracker authority add ca-gac --name "Global Affairs Canada" --jurisdiction CA
    """
    record = db(ctx).add_authority(
        key, name=name, jurisdiction=jurisdiction, description=description
    )
    emit_record(f"Added authority {record.key}: {record.name}", "authority", record, fmt)


@authority_app.command("list")
def list_authorities(
    ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None
) -> None:
    """List the authorities (the keys `--authority` accepts).

    Example: tracker authority list
    """
    from tracker.reports.views import authorities_view

    records = db(ctx).authorities()
    emit("authorities", records, authorities_view(records), fmt, output)
