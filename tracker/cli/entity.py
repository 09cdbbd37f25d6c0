"""`tracker entity ...`: add, list, show and edit entities, their aliases and identifiers."""

from typing import Annotated

import typer

from tracker.cli.context import done, reading, writing
from tracker.cli.output import FormatOption, JsonOption, OutputOption, emit, emit_record
from tracker.enums import AliasKind, EntityKind
from tracker.reports.records import entity_list_report, entity_report
from tracker.services import entities as service
from tracker.services import links as service_links
from tracker.services.entities import entity_record
from tracker.services.lookup import entity_by_key
from tracker.validation import date_option, validated

app = typer.Typer(
    help="Entities: organisations, people, governments, vessels...", no_args_is_help=True
)

KeyArgument = Annotated[str, typer.Argument(help="The entity's key, e.g. cartel-de-los-soles.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The entity's name as the source gives it.")],
    kind: Annotated[EntityKind, typer.Option(help="What it is.")],
    key: Annotated[
        str | None, typer.Option(help="Stable key; default: made from the name.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 code, e.g. VE.")] = None,
    alias: Annotated[list[str] | None, typer.Option(help="Another name (repeatable).")] = None,
    identifier: Annotated[
        list[str] | None, typer.Option("--id", help="SCHEME:VALUE, e.g. ofac-uid:36 (repeatable).")
    ] = None,
    description: Annotated[str | None, typer.Option(help="A short description.")] = None,
    fmt: JsonOption = None,
) -> None:
    """Add an entity.

    Example: tracker entity add "Cartel de los Soles" --kind organization --country VE
    --alias "Cartel of the Suns"
    """
    data = validated(
        service.EntityCreate,
        name=name,
        kind=kind,
        key=key,
        country=country,
        description=description,
        aliases=tuple(alias or ()),
        identifiers=tuple(identifier or ()),
    )
    with writing(ctx) as session:
        entity = service.add_entity(session=session, data=data)
        record = entity_record(entity)
    emit_record(f"Added entity {entity.key} ({entity.name})", record, fmt, "entity")


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[EntityKind | None, typer.Option(help="Only this kind.")] = None,
    country: Annotated[str | None, typer.Option(help="Only this country (alpha-2).")] = None,
    name: Annotated[str | None, typer.Option(help="Name or alias contains this text.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List entities, by key.

    Example: tracker entity list --country MX --format csv
    """
    with reading(ctx) as session:
        entities = service.list_entities(
            session=session, kind=kind, country=country, name=name, limit=limit
        )
        report = entity_list_report(entities)
    emit(report, fmt, output)


@app.command("show")
def show(
    ctx: typer.Context, key: KeyArgument, fmt: FormatOption = None, output: OutputOption = None
) -> None:
    """Everything known about an entity: names, identifiers, designations, sanctions,
    responses and recent events.

    Example: tracker entity show cartel-de-los-soles --format json
    """
    with reading(ctx) as session:
        report = entity_report(session, entity_by_key(session, key))
    emit(report, fmt, output)


@app.command("edit")
def edit(
    ctx: typer.Context,
    key: KeyArgument,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    kind: Annotated[EntityKind | None, typer.Option(help="New kind.")] = None,
    country: Annotated[str | None, typer.Option(help="New country (alpha-2).")] = None,
    description: Annotated[str | None, typer.Option(help="New description.")] = None,
    fmt: JsonOption = None,
) -> None:
    """Change an entity's name, kind, country or description (recorded as an event).

    Example: tracker entity edit tren-de-aragua --country VE
    """
    given = {
        field: value
        for field, value in {
            "name": name,
            "kind": kind,
            "country": country,
            "description": description,
        }.items()
        if value is not None
    }
    if not given:
        raise typer.BadParameter("give at least one of --name, --kind, --country, --description")
    data = validated(service.EntityEdit, **given)
    with writing(ctx) as session:
        entity = entity_by_key(session, key)
        changed = service.edit_entity(session=session, entity=entity, data=data)
        record = entity_record(entity)
    message = (
        f"Edited {key}: " + ", ".join(f"{f} -> {v}" for f, v in changed.items())
        if changed
        else f"No change to {key}"
    )
    emit_record(message, record, fmt, "entity")


alias_app = typer.Typer(help="Other names of an entity.", no_args_is_help=True)
app.add_typer(alias_app, name="alias")


@alias_app.command("add")
def alias_add(
    ctx: typer.Context,
    key: KeyArgument,
    name: Annotated[str, typer.Argument(help="The other name.")],
    kind: Annotated[
        AliasKind, typer.Option(help="aka, weak-aka, fka or spelling.")
    ] = AliasKind.AKA,
    language: Annotated[str | None, typer.Option(help="Language code, e.g. es.")] = None,
    on: Annotated[
        str | None, typer.Option(help="Date the name was given (YYYY[-MM[-DD]]).")
    ] = None,
) -> None:
    """Add another name to an entity.

    Example: tracker entity alias add cartel-de-los-soles "Cartel of the Suns" --language en
    """
    occurred_on = date_option(on, "--on")
    with writing(ctx) as session:
        entity = entity_by_key(session, key)
        service.add_alias(
            session=session,
            entity=entity,
            name=name,
            kind=kind,
            language=language,
            occurred_on=occurred_on,
        )
    done(f"Added {kind.value} {name!r} to {key}")


@app.command("identify")
def identify(
    ctx: typer.Context,
    key: KeyArgument,
    identifier: Annotated[str, typer.Argument(help="SCHEME:VALUE, e.g. ofac-uid:36.")],
) -> None:
    """Attach an identifier to an entity (unique per scheme across the database).

    Example: tracker entity identify cartel-de-los-soles ofac-uid:54321
    """
    scheme, value = service.split_identifier(identifier)
    with writing(ctx) as session:
        entity = entity_by_key(session, key)
        service.add_identifier(session=session, entity=entity, scheme=scheme, value=value)
    done(f"Identified {key} as {scheme}:{value}")


NoteOption = Annotated[str | None, typer.Option(help="Why: the evidence, in a sentence.")]


@app.command("link")
def link(
    ctx: typer.Context,
    first: KeyArgument,
    second: Annotated[str, typer.Argument(help="The other entity's key.")],
    note: NoteOption = None,
) -> None:
    """Say that two entities (say, one group's OFAC and UN entries) are one real-world
    target, so `entity show` and the reports show them together. Recorded as an event on
    both; `entity unlink` takes it back. Nothing is merged.

    Example: tracker entity link ofac-6923 un-qde-004 --note "Same group: UN narrative"
    """
    with writing(ctx) as session:
        service_links.link(
            session=session,
            first=entity_by_key(session, first),
            second=entity_by_key(session, second),
            note=note,
        )
    done(f"Linked {first} and {second}: one target")


@app.command("unlink")
def unlink(
    ctx: typer.Context,
    first: KeyArgument,
    second: Annotated[str, typer.Argument(help="The other entity's key.")],
    note: NoteOption = None,
) -> None:
    """Take back a link made with `entity link` (the history keeps both events).

    Example: tracker entity unlink ofac-6923 un-qde-004
    """
    with writing(ctx) as session:
        service_links.unlink(
            session=session,
            first=entity_by_key(session, first),
            second=entity_by_key(session, second),
            note=note,
        )
    done(f"Unlinked {first} and {second}")
