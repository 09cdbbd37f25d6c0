"""`tracker entity ...`: add, list, show and edit entities, their aliases and identifiers."""

from typing import Annotated

import typer

from tracker.cli.context import db, done
from tracker.cli.designation import AllowDuplicateOption
from tracker.cli.output import (
    FormatOption,
    JsonOption,
    OutputOption,
    SectionOption,
    emit,
    emit_record,
)
from tracker.enums import AliasKind, EntityKind

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
    allow_duplicate: AllowDuplicateOption = False,
    fmt: JsonOption = None,
) -> None:
    """Add an entity. One of the same kind and name under another key is refused unless
    --allow-duplicate (two people may share a name).

    Example: tracker entity add "Cartel de los Soles" --kind organization --country VE
    --alias "Cartel of the Suns"
    """
    record = db(ctx).add_entity(
        name,
        kind=kind,
        key=key,
        country=country,
        description=description,
        aliases=alias or (),
        identifiers=identifier or (),
        allow_duplicate=allow_duplicate,
    )
    emit_record(f"Added entity {record.key} ({record.name})", "entity", record, fmt)


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
    from tracker.reports.views import entities_view

    records = db(ctx).entities(
        kind=kind.value if kind else None, country=country, name=name, limit=limit
    )
    emit("entities", records, entities_view(records), fmt, output)


@app.command("show")
def show(
    ctx: typer.Context,
    key: KeyArgument,
    fmt: FormatOption = None,
    output: OutputOption = None,
    section: SectionOption = None,
) -> None:
    """Everything known about an entity: names, identifiers, designations, sanctions,
    responses, what each imported list says of it, and recent events.

    Example: tracker entity show cartel-de-los-soles --format json
    """
    from tracker.reports.views import entity_view

    profile = db(ctx).entity(key)
    emit("entity", profile, entity_view(profile), fmt, output, section)


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
    record, changed = db(ctx).edit_entity(
        key, name=name, kind=kind, country=country, description=description
    )
    message = (
        f"Edited {key}: " + ", ".join(f"{f} -> {v}" for f, v in changed.items())
        if changed
        else f"No change to {key}"
    )
    emit_record(message, "entity", record, fmt)


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
        str | None, typer.Option(help="Date the name was given (YYYY[-MM[-DD]]).", metavar="DATE")
    ] = None,
) -> None:
    """Add another name to an entity.

    Example: tracker entity alias add cartel-de-los-soles "Cartel of the Suns" --language en
    """
    db(ctx).add_alias(key, name, kind=kind, language=language, on=on)
    done(f"Added {kind.value} {name!r} to {key}")


@alias_app.command("list")
def alias_list(
    ctx: typer.Context, key: KeyArgument, fmt: FormatOption = None, output: OutputOption = None
) -> None:
    """List an entity's other names, with their kind, language and script.

    Example: tracker entity alias list cartel-de-los-soles --format csv
    """
    from tracker.reports.views import entity_view

    profile = db(ctx).entity(key)
    view = entity_view(profile).only("aliases")
    emit("aliases", {"entity": profile.entity, "aliases": profile.aliases}, view, fmt, output)


@alias_app.command("remove")
def alias_remove(
    ctx: typer.Context,
    key: KeyArgument,
    name: Annotated[str, typer.Argument(help="The name to take off, exactly as listed.")],
) -> None:
    """Take a name recorded by hand off an entity (the history keeps it, as an
    `alias-removed` event). A name an imported list gives stays while the list gives it.

    Example: tracker entity alias remove cartel-de-los-soles "Cartel of the Sun"
    """
    db(ctx).remove_alias(key, name)
    done(f"Removed {name!r} from {key}")


@app.command("identify")
def identify(
    ctx: typer.Context,
    key: KeyArgument,
    identifier: Annotated[str, typer.Argument(help="SCHEME:VALUE, e.g. ofac-uid:36.")],
) -> None:
    """Attach an identifier to an entity (unique per scheme across the database).

    Example: tracker entity identify cartel-de-los-soles ofac-uid:54321
    """
    scheme, value = db(ctx).identify(key, identifier)
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
    db(ctx).link(first, second, note=note)
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
    db(ctx).unlink(first, second, note=note)
    done(f"Unlinked {first} and {second}")
