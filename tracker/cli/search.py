"""`tracker search` (one name) and `tracker screen` (a file of names)."""

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from tracker.cli.context import done, progress_enabled, reading, stderr, stdout, writing
from tracker.cli.output import FormatOption, OutputOption, emit
from tracker.cli.report import AuthorityFilter, KindFilter, ListFilter, _day
from tracker.errors import InvalidInput
from tracker.reports.render import OutputFormat
from tracker.reports.search import (
    DEFAULT_LIMIT,
    DEFAULT_THRESHOLD,
    SearchFilters,
    find_by_identifier,
    search_report,
)
from tracker.reports.search import search as search_names
from tracker.services.search_index import reindex_all

Threshold = Annotated[
    float,
    typer.Option(min=0.0, max=1.0, help="Lowest score shown, 0..1 (1: the same name)."),
]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Designations in force on this day (default: today).")
]
ActiveOnly = Annotated[
    bool, typer.Option("--active-only", help="Only entities with a designation in force.")
]


def search(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="A name in any script or spelling.")] = None,
    identifier: Annotated[
        str | None, typer.Option("--id", help="Find by identifier instead: SCHEME:VALUE.")
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
    """
    if (name is None) == (identifier is None):
        raise InvalidInput("give a NAME or --id SCHEME:VALUE (one of them)")
    filters = SearchFilters(authority, list_code, kind, active_only, _day(as_of, "--as-of"))
    with reading(ctx) as session:
        if identifier is not None:
            hits = find_by_identifier(session, identifier, filters)
        else:
            assert name is not None
            if not name.strip():
                raise InvalidInput("the name to search for is empty")
            hits = search_names(session, name, limit=limit, threshold=threshold, filters=filters)
    query = name if name is not None else identifier
    assert query is not None
    meta = {"threshold": threshold, "as_of": filters.as_of, "filters": _given(filters)}
    emit(search_report(query, hits, meta), fmt, output)


def _given(filters: SearchFilters) -> dict[str, Any]:
    given = {"authority": filters.authority, "list": filters.list_code,
             "kind": filters.kind.value if filters.kind else None,
             "active_only": filters.active_only or None}  # fmt: skip
    return {key: value for key, value in given.items() if value is not None}


SCREEN_COLUMNS = ["input_line", "input", "rank", "score", "key", "name", "matched", "why",
                  "in_force"]  # fmt: skip


def _read_names(path: Path, column: str | None) -> Iterator[tuple[int, str]]:
    """(line, name) from a CSV with a header (the named column, else `name`, else the first)
    or from a text file of one name per line."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise InvalidInput(f"{path}: a binary file, not names (CSV or one name per line)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidInput(f"{path}: line {line}: not UTF-8 text") from error
    if path.suffix.lower() != ".csv":
        if column is not None:
            raise InvalidInput(f"{path}: --column needs a CSV file with a header")
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield number, line.strip()
        return
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise InvalidInput(f"{path}: empty CSV file")
    wanted = column or ("name" if "name" in header else header[0])
    if wanted not in header:
        raise InvalidInput(f"{path}: no column {wanted!r} (columns: {', '.join(header)})")
    index = header.index(wanted)
    for cells in reader:
        if index < len(cells) and cells[index].strip():
            yield reader.line_num, cells[index].strip()


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
    fmt: FormatOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Screen every name of a file against the lists: one row per (input, hit).

    Writes CSV (default) or JSON lines (`--format json`) to stdout or `-o FILE`; names with
    no hit above the threshold write no row. A summary goes to stderr.

    Example: tracker screen customers.csv --column full_name -o hits.csv
    """
    chosen = fmt or (OutputFormat.JSON if output and output.suffix == ".json" else OutputFormat.CSV)
    if chosen not in (OutputFormat.CSV, OutputFormat.JSON):
        raise InvalidInput("screen writes csv or json (JSON lines)")
    names = list(_read_names(path, column))
    filters = SearchFilters(active_only=active_only, as_of=_day(as_of, "--as-of"))
    rows: list[dict[str, Any]] = []
    with (
        reading(ctx) as session,
        Progress(console=stderr, disable=not progress_enabled(quiet), transient=True) as progress,
    ):
        task = progress.add_task("Screening", total=len(names))
        for line, name in names:
            for rank, hit in enumerate(
                search_names(session, name, limit=limit, threshold=threshold, filters=filters),
                start=1,
            ):
                rows.append({"input_line": line, "input": name, **hit.row(rank)})
            progress.advance(task)
    text = _screen_text(rows, chosen)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        stdout.file.write(text)
    hit_names = len({row["input_line"] for row in rows})
    message = f"Screened {len(names):,} names: {hit_names:,} with hits ({len(rows):,} rows)"
    if output is not None:
        done(f"{message}; wrote {output}")
    else:
        stderr.print(message, highlight=False, markup=False)


def _screen_text(rows: list[dict[str, Any]], fmt: OutputFormat) -> str:
    if fmt == OutputFormat.JSON:
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SCREEN_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {key: "; ".join(row[key]) if key == "in_force" else row[key] for key in SCREEN_COLUMNS}
        )
    return buffer.getvalue()


def reindex(ctx: typer.Context) -> None:
    """Rebuild the name-search index from every entity and alias (after an upgrade that
    changes how names are normalised).

    Example: tracker db reindex
    """
    with writing(ctx) as session:
        count = reindex_all(session)
    done(f"Reindexed the names of {count:,} entities")
