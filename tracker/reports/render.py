"""One view type, many renderers: table | csv | markdown | html.

A renderer knows nothing of a particular report: it draws `Section`s of rows. JSON is not
drawn from a view: it is the records themselves (`tracker.reports.json`), the stable
interface for scripts. A CSV holds one table, so a view of several sections is written as one
CSV per section.
"""

import csv
import html
import io
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.table import Table

from tracker.errors import InvalidValue
from tracker.reports.chart import Mark, timeline_svg
from tracker.reports.formats import OutputFormat

LARGE_TABLE = 1_000  # rows: a larger table, not for a terminal, is drawn by `drawn_table`


@dataclass(frozen=True)
class Column:
    key: str
    header: str


@dataclass
class Section:
    """A titled table of rows (or, with `single`, one record shown as fields)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    single: bool = False
    group_by: str | None = None  # rows sorted by this key are shown in groups (e.g. by date)
    # Says what the report rests on (what the imported editions cover), not what it found:
    # shown even when nothing matched, and not counted as a result.
    context: bool = False


@dataclass
class Report:
    kind: str
    title: str
    sections: list[Section]
    meta: dict[str, Any] = field(default_factory=dict)
    empty_message: str = "nothing matched"
    marks: list[Mark] = field(default_factory=list)  # drawn as a timeline in HTML

    def only(self, *keys: str) -> "Report":
        """The same report with just the named sections (e.g. for a short summary)."""
        chosen = [section for section in self.sections if section.key in keys]
        return replace(self, sections=chosen)

    @property
    def is_empty(self) -> bool:
        return all(not section.rows for section in self.sections if not section.context)

    @property
    def main(self) -> Section:
        """The section the report is about (the first that is not context)."""
        return next((s for s in self.sections if not s.context), self.sections[0])

    def section(self, key: str) -> Section:
        """The section named `key`; an unknown name is an error naming the known ones."""
        for section in self.sections:
            if section.key == key:
                return section
        known = ", ".join(section.key for section in self.sections)
        raise InvalidValue(f"--section: no section {key!r} in this report; use one of: {known}")


def columns(*pairs: tuple[str, str]) -> list[Column]:
    return [Column(key, header) for key, header in pairs]


def cell_text(value: Any) -> str:
    """A value as one flat cell: lists joined by "; ", records as "field: value, ..." (the
    fields that have a value)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{key}: {text}" for key, item in value.items() if (text := cell_text(item))
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def section_csv(section: Section) -> str:
    """One section as one CSV table: a header of column keys, flat cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(column.key for column in section.columns)
    for row in section.rows:
        writer.writerow(cell_text(row.get(column.key)) for column in section.columns)
    return buffer.getvalue()


def to_csv(report: Report) -> str:
    """The report's main section as CSV (a CSV file holds one table; `section_csv` writes
    any other)."""
    return section_csv(report.main)


def _markdown_cell(value: Any) -> str:
    return cell_text(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    for section in report.sections:
        if section.context and not section.rows:
            continue
        lines += [f"## {section.title}", ""]
        if not section.rows:
            lines += [f"_{report.empty_message}_", ""]
            continue
        if section.single:
            lines += ["| field | value |", "| --- | --- |"]
            row = section.rows[0]
            lines += [f"| {c.header} | {_markdown_cell(row.get(c.key))} |" for c in section.columns]
        else:
            for group, rows in _groups(section):
                if group is not None:
                    lines += [f"### {cell_text(group) or 'undated'}", ""]
                lines.append("| " + " | ".join(c.header for c in section.columns) + " |")
                lines.append("|" + " --- |" * len(section.columns))
                for row in rows:
                    cells = (_markdown_cell(row.get(c.key)) for c in section.columns)
                    lines.append("| " + " | ".join(cells) + " |")
                lines.append("")
        if lines[-1]:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _groups(section: Section) -> list[tuple[Any, list[dict[str, Any]]]]:
    """The rows in consecutive groups of equal `group_by` value (one group of all if none)."""
    if section.group_by is None:
        return [(None, section.rows)]
    key = section.group_by
    return [(value, list(rows)) for value, rows in groupby(section.rows, lambda r: r.get(key))]


_HTML_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d2330}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:1.8rem;border-bottom:1px solid #d5dae3}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #d5dae3;padding:.3rem .5rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere}td.short{white-space:nowrap;overflow-wrap:normal}
th{background:#f1f4f8}tr:nth-child(even) td{background:#fafbfc}.empty{color:#6b7383}
footer{margin-top:2rem;color:#6b7383;font-size:12px}figure.chart{margin:1rem 0}
tr.group th{background:#e4e9f1}
"""


SHORT_CELL = 12  # dates, codes and keys this short never wrap


def _html_cell(value: Any) -> str:
    text = cell_text(value)
    css = ' class="short"' if len(text) <= SHORT_CELL else ""
    return f"<td{css}>{html.escape(text)}</td>"


def to_html(report: Report) -> str:
    """One self-contained page: inline CSS, no scripts, nothing fetched from the network."""
    escape = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(report.title)}</title><style>{_HTML_STYLE}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
    ]
    chart = timeline_svg(report.marks, title=report.title)
    if chart:
        parts.append(f'<figure class="chart">{chart}</figure>')
    for section in report.sections:
        if section.context and not section.rows:
            continue
        parts.append(f"<h2>{escape(section.title)}</h2>")
        if not section.rows:
            parts.append(f'<p class="empty">{escape(report.empty_message)}</p>')
            continue
        parts.append(f'<table data-section="{escape(section.key)}">')
        if section.single:
            row = section.rows[0]
            for column in section.columns:
                value = escape(cell_text(row.get(column.key)))
                parts.append(f"<tr><th>{escape(column.header)}</th><td>{value}</td></tr>")
        else:
            headers = "".join(f"<th>{escape(c.header)}</th>" for c in section.columns)
            parts.append(f"<thead><tr>{headers}</tr></thead>")
            for group, rows in _groups(section):
                parts.append("<tbody>")
                if group is not None:
                    label = escape(cell_text(group) or "undated")
                    span = len(section.columns)
                    parts.append(f'<tr class="group"><th colspan="{span}">{label}</th></tr>')
                for row in rows:
                    cells = "".join(_html_cell(row.get(c.key)) for c in section.columns)
                    parts.append(f"<tr>{cells}</tr>")
                parts.append("</tbody>")
        parts.append("</table>")
    parts.append("<footer>Generated by tracker.</footer></body></html>")
    return "\n".join(parts) + "\n"


def print_table(report: Report, console: Console) -> None:
    """Rich tables for a terminal (plain text when the output is not one)."""
    console.print(report.title, style="bold underline", highlight=False, markup=False)
    empty = report.is_empty
    for section in report.sections:
        if empty and not section.context:
            continue
        if not section.rows and len(report.sections) > 1:
            continue
        title = None if section.title == report.title else section.title  # said just above
        if len(section.rows) > LARGE_TABLE and not section.single and not console.is_terminal:
            console.file.writelines(drawn_table(section, title, console.width))
            continue
        table = Table(title=title, title_justify="left", title_style="bold")
        if section.single:
            table.add_column("field", style="bold")
            table.add_column("value")
            row = section.rows[0]
            for column in section.columns:
                table.add_row(column.header, cell_text(row.get(column.key)))
        else:
            for column in section.columns:
                table.add_column(column.header)
            for _, rows in _groups(section):
                for row in rows:
                    table.add_row(*(cell_text(row.get(c.key)) for c in section.columns))
                table.add_section()
        console.print(table)
    if empty:
        console.print(report.empty_message)


def drawn_table(section: Section, title: str | None, width: int) -> Iterator[str]:
    """A large section as the lines of the table rich would draw (same box, columns cut to
    fit `width`, long cells wrapped), drawn here line by line: rich lays a table out in
    about 5 ms a row, over an hour for a status report of 100,000 entities."""
    headers = [column.header for column in section.columns]
    cells = [[cell_text(row.get(c.key)) for c in section.columns] for row in section.rows]
    natural = [max([len(header), *(len(row[i]) for row in cells)]) for i, header in
               enumerate(headers)]  # fmt: skip
    widths = _fitted(natural, width - 3 * len(headers) - 1)

    def line(left: str, fill: str, middle: str, right: str) -> str:
        return left + middle.join(fill * (w + 2) for w in widths) + right + "\n"

    def rows_of(values: list[str], edge: str) -> Iterator[str]:
        wrapped = [textwrap.wrap(v, w, break_on_hyphens=False) or [""] for v, w in
                   zip(values, widths, strict=True)]  # fmt: skip
        for n in range(max(len(lines) for lines in wrapped)):
            parts = [(lines[n] if n < len(lines) else "").ljust(w) for lines, w in
                     zip(wrapped, widths, strict=True)]  # fmt: skip
            yield f"{edge} " + f" {edge} ".join(parts) + f" {edge}\n"

    if title:
        yield title + "\n"
    yield line("┏", "━", "┳", "┓")
    yield from rows_of(headers, "┃")
    yield line("┡", "━", "╇", "┩")
    index = 0
    for number, (_, group) in enumerate(_groups(section)):
        if number:
            yield line("├", "─", "┼", "┤")
        for _row in group:
            yield from rows_of(cells[index], "│")
            index += 1
    yield line("└", "─", "┴", "┘")


def _fitted(natural: list[int], room: int) -> list[int]:
    """Column widths that fit `room`: the widest columns cut to one width, as little as
    needed (never below 8, so a table wider than the room stays readable)."""
    if sum(natural) <= room:
        return natural
    low, high = 8, max(natural)
    while low < high:  # the widest cap that fits
        cap = (low + high + 1) // 2
        if sum(min(width, cap) for width in natural) <= room:
            low = cap
        else:
            high = cap - 1
    return [min(width, low) for width in natural]


TEXT_RENDERERS: dict[OutputFormat, Callable[[Report], str]] = {
    OutputFormat.CSV: to_csv,
    OutputFormat.MARKDOWN: to_markdown,
    OutputFormat.HTML: to_html,
}


def render_text(report: Report, fmt: OutputFormat, *, width: int = 120) -> str:
    """The view as text in any format but JSON (a table is drawn without colour at `width`)."""
    assert fmt != OutputFormat.JSON, "JSON is the records themselves: tracker.reports.json"
    renderer = TEXT_RENDERERS.get(fmt)
    if renderer is not None:
        return renderer(report)
    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False)
    print_table(report, console)
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()
