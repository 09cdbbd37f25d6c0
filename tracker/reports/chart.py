"""An inline SVG timeline: designations, sanctions and responses on a time axis.

One lane per authority or responder, one mark per event, coloured by authority (listings and
sanctions) or by stance (responses). Self-contained: no script, no font or network fetch.
Each mark carries a `<title>` so a browser shows what it is on hover.
"""

import datetime as dt
import hashlib
import html
from dataclasses import dataclass

from tracker.dates import PartialDate

# Beyond this many marks a chart is unreadable (and costly to build): reports leave it out.
MAX_MARKS = 2000
WIDTH = 960
LANE_HEIGHT = 30
MARGIN_LEFT = 170
MARGIN_RIGHT = 30
AXIS_HEIGHT = 36
LEGEND_ROW = 20

AUTHORITY_COLOURS = {
    "us-state": "#1f4e9c",
    "us-ofac": "#2a8f6a",
    "un-sc": "#3b9fd8",
    "eu": "#d4a017",
    "uk": "#8e3b8e",
}
STANCE_COLOURS = {
    "rejects": "#c0392b",
    "denies": "#d35400",
    "condemns": "#a93226",
    "disputes": "#e67e22",
    "contests-legally": "#b9770e",
    "petitions-for-delisting": "#af601a",
    "retaliates": "#78281f",
    "acknowledges": "#7f8c8d",
    "complies": "#16a085",
    "supports": "#27ae60",
    "welcomes": "#229954",
}
FALLBACK_COLOURS = ["#5d6d7e", "#6c3483", "#1e8449", "#b03a2e", "#2874a6", "#9a7d0a"]


@dataclass(frozen=True)
class Mark:
    """One event on the chart."""

    date: str  # ISO partial date
    lane: str  # e.g. the authority or the responder
    colour_key: str  # authority key or stance
    shape: str  # "designation" | "sanction" | "response" | "other"
    title: str


def colour(key: str) -> str:
    if key in AUTHORITY_COLOURS:
        return AUTHORITY_COLOURS[key]
    if key in STANCE_COLOURS:
        return STANCE_COLOURS[key]
    digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    return FALLBACK_COLOURS[digest % len(FALLBACK_COLOURS)]


def _day(mark: Mark) -> dt.date:
    return PartialDate.parse(mark.date).first_day()


def _shape(mark: Mark, x: float, y: float) -> str:
    fill = colour(mark.colour_key)
    title = f"<title>{html.escape(mark.date)}: {html.escape(mark.title)}</title>"
    common = f'class="mark mark-{mark.shape}" fill="{fill}" fill-opacity="0.85"'
    if mark.shape == "sanction":
        return (
            f'<rect {common} x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10">{title}</rect>'
        )
    if mark.shape == "response":
        points = f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}"
        return f'<polygon {common} points="{points}">{title}</polygon>'
    radius = 6 if mark.shape == "designation" else 4
    return f'<circle {common} cx="{x:.1f}" cy="{y:.1f}" r="{radius}">{title}</circle>'


def _ticks(start: dt.date, end: dt.date) -> list[dt.date]:
    """Year ticks (every few years on a long span); months on a span under two years."""
    years = end.year - start.year
    if years < 2:
        ticks = []
        month = dt.date(start.year, start.month, 1)
        while month <= end:
            ticks.append(month)
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        step = max(1, len(ticks) // 12)
        return ticks[::step]
    step = max(1, years // 12)
    return [dt.date(year, 1, 1) for year in range(start.year, end.year + 1, step)]


def timeline_svg(marks: list[Mark], *, title: str) -> str:
    """The chart as an inline <svg> element (empty string when there is nothing dated)."""
    dated = [mark for mark in marks if mark.date]
    if not dated:
        return ""
    days = [_day(mark) for mark in dated]
    start, end = min(days), max(days)
    if start == end:
        start, end = start - dt.timedelta(days=30), end + dt.timedelta(days=30)
    span = (end - start).days or 1
    lanes = sorted({mark.lane for mark in dated})
    legend = sorted({mark.colour_key for mark in dated})
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = LANE_HEIGHT * len(lanes)
    height = 10 + plot_height + AXIS_HEIGHT + LEGEND_ROW * ((len(legend) + 5) // 6) + 10

    def x_of(day: dt.date) -> float:
        return MARGIN_LEFT + plot_width * (day - start).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" font-family="system-ui, sans-serif" '
        f'font-size="11">',
        f"<title>{html.escape(title)}</title>",
    ]
    for index, lane in enumerate(lanes):
        y = 10 + index * LANE_HEIGHT + LANE_HEIGHT / 2
        shade = "#f4f6f9" if index % 2 == 0 else "#ffffff"
        parts.append(
            f'<rect x="{MARGIN_LEFT}" y="{y - LANE_HEIGHT / 2}" width="{plot_width}" '
            f'height="{LANE_HEIGHT}" fill="{shade}"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 8}" y="{y + 4}" text-anchor="end">{html.escape(lane)}</text>'
        )
    axis_y = 10 + plot_height
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{axis_y}" x2="{WIDTH - MARGIN_RIGHT}" y2="{axis_y}" '
        f'stroke="#6b7383"/>'
    )
    for tick in (t for t in _ticks(start, end) if t >= start):
        x = x_of(tick)
        label = tick.isoformat()[:4] if tick.month == 1 else tick.isoformat()[:7]
        parts.append(
            f'<line x1="{x:.1f}" y1="10" x2="{x:.1f}" y2="{axis_y + 4}" stroke="#dde1e8"/>'
        )
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle">{label}</text>')
    for mark, day in zip(dated, days, strict=True):
        y = 10 + lanes.index(mark.lane) * LANE_HEIGHT + LANE_HEIGHT / 2
        parts.append(_shape(mark, x_of(day), y))
    legend_y = axis_y + AXIS_HEIGHT
    for index, key in enumerate(legend):
        x = MARGIN_LEFT + (index % 6) * 125
        y = legend_y + (index // 6) * LEGEND_ROW
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour(key)}"/>')
        parts.append(f'<text x="{x + 14}" y="{y}">{html.escape(key)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
