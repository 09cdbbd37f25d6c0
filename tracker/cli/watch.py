"""`tracker watch add|list|remove` and `tracker alerts [list]|ack|deliver`: follow entities,
programs, lists and names; read what imports raised for them; send their webhooks."""

import os
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tracker.cli.context import db, done, stderr
from tracker.cli.output import FormatOption, JsonOption, OutputOption, emit, emit_record
from tracker.errors import InvalidValue

KINDS = "entity, program, list or name"
ALERT_KINDS = (
    "listed, listed-elsewhere, delisted, amended, new-listing, name-match,"
    " screening-hit or screening-changed"
)

watch_app = typer.Typer(
    help="Watches: entities, programs, lists and names that imports raise alerts for.\n\n"
    "Example: tracker watch add program SDGT",
    no_args_is_help=True,
)


@watch_app.command("add")
def add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"What to follow: {KINDS}.", show_default=False)],
    target: Annotated[
        str,
        typer.Argument(
            help="An entity key, a program code, AUTHORITY/LIST, or a name.", show_default=False
        ),
    ],
    threshold: Annotated[
        float | None,
        typer.Option(help="A name watch's likeness (0 to 1; default: the screening one)."),
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why it is watched.")] = None,
    webhook: Annotated[
        str | None, typer.Option(help="POST each alert to this URL (with --secret-env).")
    ] = None,
    secret_env: Annotated[
        str | None,
        typer.Option(
            help="The environment variable holding the webhook's signing secret.", metavar="VAR"
        ),
    ] = None,
    by: Annotated[str | None, typer.Option(help="Who watches (default: your user name).")] = None,
    fmt: JsonOption = None,
) -> None:
    """Watch an entity (and the entities linked to it), a program, a list or a name: each
    later import raises an alert for what it changes that the watch covers. An entity watch
    alerts when the entity is listed (by a new authority: listed-elsewhere), delisted or
    amended; a program or list watch, on each new listing; a name watch, when a newly listed
    or renamed party's name matches. With --webhook, each alert is also POSTed there, signed
    with the secret read from --secret-env (never given on the command line).

    Example: tracker watch add entity cartel-de-los-soles --note "client exposure"

    Example: tracker watch add name "Cartel de los Soles" --threshold 0.9

    Example: tracker watch add list us-ofac/SDN --webhook https://example.org/hook
    --secret-env HOOK_SECRET
    """
    secret = None
    if secret_env is not None:
        secret = os.environ.get(secret_env)
        if not secret:
            raise InvalidValue(f"--secret-env {secret_env}: that environment variable is not set")
    record = db(ctx).watch(
        kind,
        target,
        threshold=threshold,
        note=note,
        webhook_url=webhook,
        webhook_secret=secret,
        by=by,
    )
    emit_record(
        f"Watching {record.kind.value} {record.target} (watch {record.id})", "watch", record, fmt
    )


@watch_app.command("list")
def list_watches(
    ctx: typer.Context,
    include_removed: Annotated[bool, typer.Option("--all", help="Removed watches too.")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List the watches, oldest first.

    Example: tracker watch list --all --format json
    """
    from tracker.watches.views import watches_view

    records = db(ctx).watches(include_removed=include_removed)
    emit("watches", {"watches": records}, watches_view(records), fmt, output)


@watch_app.command("remove")
def remove(
    ctx: typer.Context,
    watch_id: Annotated[int, typer.Argument(metavar="ID", help="The watch's id.")],
    fmt: JsonOption = None,
) -> None:
    """Stop a watch. It is kept, marked removed, so its alerts still say what they were for;
    webhook deliveries already queued are still sent.

    Example: tracker watch remove 3
    """
    record = db(ctx).unwatch(watch_id)
    emit_record(
        f"Removed watch {record.id} ({record.kind.value} {record.target})", "watch", record, fmt
    )


class AlertsGroup(TyperGroup):
    """`tracker alerts [OPTIONS]` is `tracker alerts list [OPTIONS]`: anything that is not
    one of the group's commands (or its --help) goes to `list`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["list", *args]
        return super().parse_args(ctx, args)


alerts_app = typer.Typer(
    cls=AlertsGroup,
    help=(
        "Alerts raised by imports for watches (and by rescreens). `tracker alerts [OPTIONS]`"
        " is short for `tracker alerts list [OPTIONS]`.\n\nExample: tracker alerts --unread"
    ),
)


@alerts_app.command("list")
def list_alerts(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(help="Raised on or after this day or time (UTC).", metavar="WHEN"),
    ] = None,
    unread: Annotated[bool, typer.Option("--unread", help="Only alerts not yet read.")] = False,
    watch: Annotated[
        int | None, typer.Option(help="Only this watch's alerts.", metavar="ID")
    ] = None,
    kind: Annotated[str | None, typer.Option(help=f"Only this kind: {ALERT_KINDS}.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.", min=1)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List alerts, newest first: kind, one line saying what changed, the watch.

    The JSON form holds each alert's detail (entity, list, program, authority, the fields
    an amendment changed...).

    Example: tracker alerts --unread --since 2025-03-01 --format json
    """
    from tracker.watches.views import alerts_view

    records = db(ctx).alerts(since=since, unread=unread, watch=watch, kind=kind, limit=limit)
    emit("alerts", {"alerts": records}, alerts_view(records), fmt, output)


@alerts_app.command("ack")
def ack(
    ctx: typer.Context,
    ids: Annotated[
        list[int] | None, typer.Argument(metavar="ID...", help="The alerts read.")
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every unread alert.")] = False,
) -> None:
    """Mark alerts read. An unknown id marks none of them.

    Example: tracker alerts ack 12 13

    Example: tracker alerts ack --all
    """
    if every == bool(ids):
        raise InvalidValue("give the alerts' ids, or --all (not both)")
    count = db(ctx).ack_alerts(None if every else ids)
    done(f"Marked {count} alert{'s' if count != 1 else ''} read")


@alerts_app.command("deliver")
def deliver(
    ctx: typer.Context,
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for each receiver.", min=0.01)
    ] = 10.0,
) -> None:
    """Send the webhook deliveries that are due.

    Oldest first, and in order per watch: a delivery the receiver does not take (not 2xx,
    or no answer) is retried later, waiting longer each time, and never dropped, and the
    watch's later ones wait behind it. `tracker sync` also sends them after each round.
    Exits 1 if any failed, with one line per failing watch.

    Example: tracker alerts deliver
    """
    outcome = db(ctx).deliver_webhooks(timeout=timeout)
    done(
        f"Delivered {len(outcome.delivered)}, {len(outcome.failed)} failed,"
        f" {outcome.waiting} waiting"
    )
    for failure in outcome.failed:
        retry = failure.next_attempt_at.isoformat(timespec="seconds")
        stderr.print(
            f"Error: watch {failure.watch_id}: {failure.url}: {failure.last_error}"
            f" (attempt {failure.attempts}; next after {retry})",
            highlight=False,
            markup=False,
        )
    if outcome.failed:
        raise typer.Exit(1)
