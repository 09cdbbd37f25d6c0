"""`tracker search` (one name) and `tracker screen` (a file of names)."""

import csv
import io
import itertools
from contextlib import closing
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.context import db, done, progress_enabled, stderr
from tracker.cli.filters import AuthorityFilter, KindFilter, ListFilter, day_option, filters
from tracker.cli.output import FormatOption, OutputOption, emit, written
from tracker.config import DEFAULT_LIMIT, DEFAULT_THRESHOLD
from tracker.dates import as_of_day
from tracker.errors import InvalidValue
from tracker.reports.formats import implied_by_suffix

if TYPE_CHECKING:
    from tracker.records import ScreenResult

Threshold = Annotated[
    float,
    typer.Option(min=0.0, max=1.0, help="Lowest score shown, 0..1 (1: the same name)."),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Designations in force on this day (default: today).", metavar="DATE"
    ),
]
ActiveOnly = Annotated[
    bool, typer.Option("--active-only", help="Only entities with a designation in force.")
]


def search(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="A name in any script or spelling.")] = None,
    identifier: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Find by identifier instead: SCHEME:VALUE, or a number the lists give a party"
            " (passport, tax, IMO...), as a list writes it or bare.",
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Most hits shown.")] = DEFAULT_LIMIT,
    threshold: Threshold = DEFAULT_THRESHOLD,
    authority: AuthorityFilter = None,
    list_code: ListFilter = None,
    kind: KindFilter = None,
    active_only: ActiveOnly = False,
    as_of: AsOf = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Find listed parties by any spelling of a name or alias, best match first.

    Tolerates case, accents, punctuation, word order, titles and legal forms ("S.A. de C.V.",
    "LLC"), other scripts (Cyrillic, Arabic, Chinese...) and typos. Each hit shows the name
    that matched, a score in [0, 1], why it matched, and its designations in force.

    Example: tracker search "Nicolas Maduro" --active-only
    Example: tracker search --id ofac-uid:22790 --format json
    Example: tracker search --id "Cedula No. 5892464"
    """
    from tracker.reports.views import search_view

    if (name is None) == (identifier is None):
        raise InvalidValue("give a NAME or --id SCHEME:VALUE (one of them)")
    day = day_option(as_of, "--as-of") or as_of_day(None)
    chosen = filters(authority, list_code, kind=kind)
    hits = db(ctx).search(
        name,
        identifier=identifier,
        limit=limit,
        threshold=threshold,
        filters=chosen,
        active_only=active_only,
        as_of=day,
    )
    query = name if name is not None else identifier
    assert query is not None
    meta = {"query": query, "threshold": threshold, "as_of": day,
            "active_only": active_only,
            "filters": chosen.given()}  # fmt: skip
    emit("search", {"hits": hits}, search_view(query, hits), fmt, output, **meta)


class ScreenFormat(StrEnum):
    """What screening streams as it goes: a table drawn at the end would hold every row."""

    CSV = "csv"
    JSON = "json"  # JSON lines


SCREEN_SUFFIXES = {
    ".csv": ScreenFormat.CSV,
    ".json": ScreenFormat.JSON,
    ".jsonl": ScreenFormat.JSON,
}


def _screen_format(fmt: ScreenFormat | None, output: Path | None) -> ScreenFormat:
    if fmt is not None:
        return fmt
    if output is None:
        return ScreenFormat.CSV
    return implied_by_suffix(output, SCREEN_SUFFIXES)


SCREEN_COLUMNS = ["input_line", "input", "rank", "score", "key", "name", "matched", "why",
                  "in_force", "agrees", "contradicts"]  # fmt: skip


def _screen_lines(result: "ScreenResult", fmt: ScreenFormat) -> str:
    """One CSV row or JSON line per (input, hit)."""
    from tracker.reports.json import record_fields, to_json_line
    from tracker.reports.views import hit_row

    if fmt == ScreenFormat.JSON:
        return "".join(
            to_json_line({"input_line": int(result.query.id or 0), "input": result.query.name,
                          "rank": rank, **record_fields(hit)})
            for rank, hit in enumerate(result.hits, start=1)
        )  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SCREEN_COLUMNS, lineterminator="\n",
                            extrasaction="ignore")  # fmt: skip
    for rank, hit in enumerate(result.hits, start=1):
        row = hit_row(rank, hit)
        writer.writerow({"input_line": result.query.id, "input": result.query.name, **row,
                         "in_force": "; ".join(row["in_force"]),
                         "agrees": "; ".join(hit.agrees),
                         "contradicts": "; ".join(hit.contradicts)})  # fmt: skip
    return buffer.getvalue()


def screen(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A CSV with a header, or one name per line.")],
    column: Annotated[
        str | None,
        typer.Option(help="The CSV column holding names (default: name, else the first)."),
    ] = None,
    threshold: Threshold = DEFAULT_THRESHOLD,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Most hits per name.")] = 3,
    active_only: ActiveOnly = False,
    as_of: AsOf = None,
    output: OutputOption = None,
    fmt: Annotated[
        ScreenFormat | None,
        typer.Option(
            "--format", "-f", help="csv (default) or json (JSON lines).", case_sensitive=False
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    record: Annotated[
        str | None,
        typer.Option(
            help="Remember this run as a run of the screening NAME (created if new): its rows,"
            " hits and their states against the decisions (`tracker decide`).",
            metavar="NAME",
        ),
    ] = None,
    id_column: Annotated[
        str | None, typer.Option(help="With --record: the CSV column of each row's own id.")
    ] = None,
    birth_date_column: Annotated[
        str | None,
        typer.Option(help="A CSV column of dates of birth (YYYY, YYYY-MM or YYYY-MM-DD)."),
    ] = None,
    country_column: Annotated[
        str | None, typer.Option(help="A CSV column of countries (codes or names).")
    ] = None,
    gender_column: Annotated[
        str | None, typer.Option(help="A CSV column of genders (male, female, m, f).")
    ] = None,
    kind_column: Annotated[
        str | None,
        typer.Option(help="A CSV column of kinds (person, organization, vessel...)."),
    ] = None,
    identifier_column: Annotated[
        list[str] | None,
        typer.Option(
            help="A CSV column of identifiers (passport, IMO, tax numbers..., or SCHEME:VALUE;"
            " several to a cell split by ';'). Repeat for several columns."
        ),
    ] = None,
    follow: Annotated[
        bool | None,
        typer.Option(
            "--follow/--no-follow",
            help="With --record: rescreen it after every sync that imports a new edition.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Screen every name of a file against the lists: one row per (input, hit).

    Writes CSV (default) or JSON lines (`--format json`) to stdout or `-o FILE`, as each
    name is screened; names with no hit above the threshold write no row. A summary goes to
    stderr.

    The columns of dates of birth, countries, genders, kinds and identifiers are weighed
    beside the name: an identifier the lists give a party makes it a hit whatever its names
    (score 1); a date of birth (-0.15 for another year, -0.10 for another day), country
    (-0.10), gender (-0.20) or kind (-0.20) that contradicts what the lists state lowers the
    score. The `agrees` and `contradicts` columns say which did.

    With `--record NAME --id-column ID` the run is remembered: each row under its id, each
    hit with its state (new, open, changed-since-decision, match); hits decided
    false-positive are left out (the summary counts them). The screening's threshold and
    limit are those of its first run.

    Example: tracker screen customers.csv --column full_name -o hits.csv

    Example: tracker screen customers.csv --birth-date-column dob --identifier-column passport

    Example: tracker screen customers.csv --id-column id --record customers
    """
    from tracker.screening.files import Columns, read_queries

    columns = Columns(
        name=column, id=id_column, birth_date=birth_date_column, country=country_column,
        gender=gender_column, kind=kind_column, identifiers=tuple(identifier_column or ()),
    )  # fmt: skip
    if path.suffix.lower() != ".csv" and columns != Columns():
        named = [f"--{option.replace('_', '-')}" for option in _given_columns(ctx)]
        raise InvalidValue(f"{path}: {', '.join(named)} needs a CSV file with a header")
    if record is not None:
        from tracker.cli.screening import record_screen

        if active_only or as_of is not None:
            raise InvalidValue("--active-only and --as-of do not go with --record")
        record_screen(
            ctx, path, name=record, columns=columns,
            threshold=threshold if _given(ctx, "threshold") else None,
            limit=limit if _given(ctx, "limit") else None, follow=follow,
            output=output, json_lines=_screen_format(fmt, output) == ScreenFormat.JSON,
            quiet=quiet,
        )  # fmt: skip
        return
    if id_column or follow is not None:
        raise InvalidValue("--id-column and --follow go with --record")
    from rich.progress import Progress

    chosen = _screen_format(fmt, output)
    day = day_option(as_of, "--as-of") or as_of_day(None)
    queries = list(read_queries(path, columns))
    names = rows = hit_names = 0
    screening = db(ctx).screen(queries, limit=limit, threshold=threshold,
                               active_only=active_only, as_of=day)  # fmt: skip
    with closing(screening) as results:
        first = next(results, None)  # opens the database: its errors come before any output
        with (
            written(output) as out,
            Progress(console=stderr, disable=not progress_enabled(quiet),
                     transient=True) as progress,
        ):  # fmt: skip
            if chosen == ScreenFormat.CSV:
                out.write(",".join(SCREEN_COLUMNS) + "\n")
            task = progress.add_task("Screening", total=len(queries))
            for result in itertools.chain([first] if first is not None else [], results):
                out.write(_screen_lines(result, chosen))
                names += 1
                rows += len(result.hits)
                hit_names += bool(result.hits)
                progress.advance(task)
    message = f"Screened {names:,} names: {hit_names:,} with hits ({rows:,} rows)"
    if output is not None:
        done(f"{message}; wrote {output}")
    else:
        stderr.print(message, highlight=False, markup=False)


COLUMN_OPTIONS = ("column", "id_column", "birth_date_column", "country_column",
                  "gender_column", "kind_column", "identifier_column")  # fmt: skip


def _given_columns(ctx: typer.Context) -> list[str]:
    return [option for option in COLUMN_OPTIONS if ctx.params.get(option)]


def _given(ctx: typer.Context, option: str) -> bool:
    """Whether the user gave the option (rather than its default applying)."""
    return getattr(ctx.get_parameter_source(option), "name", None) != "DEFAULT"


def reindex(ctx: typer.Context) -> None:
    """Rebuild the name-search index from every entity and alias (after an upgrade that
    changes how names are normalised).

    Example: tracker db reindex
    """
    count = db(ctx).reindex()
    done(f"Reindexed the names of {count:,} entities")
