"""The attendance trend as a server-rendered SVG line chart: no JavaScript, no inline styles.

Lines differ in marker shape and dash pattern and carry their name at the end (direct labels), so
the chart reads without colour; the colours in static/css/reports.css are an extra.
"""

import math
from dataclasses import dataclass, replace

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .selectors import Series

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 48, 190, 16, 48
DASHES = ["", "8 4", "2 4", "10 4 2 4", "14 6", "4 4 4 10"]
MARKERS = ["circle", "square", "triangle", "diamond", "cross", "triangle-down"]
MAX_LINES = len(MARKERS)  # every line its own marker and dash pattern
LABEL_GAP = 15
MAX_LABEL = 24


@dataclass
class Point:
    x: float
    y: float
    value: int
    marker: str


@dataclass
class Line:
    name: str
    label: str
    css: str
    dash: str
    points: list
    label_y: float

    @property
    def polyline(self):
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def marker_path(shape, x, y, r=4.5):
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0"
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r}v{2 * r}h{-2 * r}z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}l{r + 1},{2 * r + 1}h{-2 * r - 2}z"
    if shape == "triangle-down":
        return f"M{x:.1f},{y + r + 1:.1f}l{r + 1},{-2 * r - 1}h{-2 * r - 2}z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r - 1:.1f}l{r + 1},{r + 1}l{-r - 1},{r + 1}l{-r - 1},{-r - 1}z"
    return f"M{x - r:.1f},{y - r:.1f}l{2 * r},{2 * r}m0,{-2 * r}l{-2 * r},{2 * r}"  # cross


def nice_step(maximum, ticks=5):
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= raw)


def _spread(positions, low, high):
    """Move label positions apart (at least LABEL_GAP) while keeping their order, inside [low, high]."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = {}
    previous = None
    for i in order:
        y = positions[i] if previous is None else max(positions[i], previous + LABEL_GAP)
        placed[i] = y
        previous = y
    overflow = (previous or 0) - high
    if overflow > 0:
        for i in order:
            placed[i] = max(low, placed[i] - overflow)
    return [placed[i] for i in range(len(positions))]


def chart_series(series, limit=MAX_LINES):
    """At most `limit` lines, each with a marker and dash of its own: with more programmes, the ones
    with the most people present (kept in report order) and one line "Other programmes" for the rest.

    Programme names repeat across library organisations, so with several the name carries its library.
    """
    if len({item.library for item in series}) > 1:
        series = [replace(item, name=f"{item.name} ({item.library})") for item in series]
    if len(series) <= limit:
        return series
    ranked = sorted(range(len(series)), key=lambda i: -sum(series[i].values))  # stable: ties keep order
    kept = set(ranked[: limit - 1])
    rest = [item.values for i, item in enumerate(series) if i not in kept]
    other = Series(name=_("Other programmes"), values=[sum(month) for month in zip(*rest, strict=True)])
    return [item for i, item in enumerate(series) if i in kept] + [other]


def trend_chart(months, series):
    """Geometry for templates/admin/reports/_trend_chart.html, or None when there is nothing to draw."""
    if not months or not series:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = max(max(s.values) for s in series) or 1
    step = nice_step(top_value)
    y_max = math.ceil(top_value / step) * step

    def x_at(index):
        return LEFT + (plot_w * index / (len(months) - 1) if len(months) > 1 else plot_w / 2)

    def y_at(value):
        return TOP + plot_h - plot_h * value / y_max

    lines = []
    for index, item in enumerate(series):
        marker = MARKERS[index % len(MARKERS)]
        points = [
            Point(x_at(i), y_at(v), v, marker_path(marker, x_at(i), y_at(v)))
            for i, v in enumerate(item.values)
        ]
        label = item.name if len(item.name) <= MAX_LABEL else item.name[: MAX_LABEL - 1] + "…"
        lines.append(
            Line(
                name=item.name,
                label=label,
                css=f"series-{index % 8}",
                dash=DASHES[(index // len(MARKERS) + index) % len(DASHES)],
                points=points,
                label_y=points[-1].y,
            )
        )
    for line, y in zip(lines, _spread([line.label_y for line in lines], TOP + 4, TOP + plot_h), strict=True):
        line.label_y = y + 4
    every = max(1, math.ceil(len(months) / 12))
    x_ticks = [
        {"x": x_at(i), "label": date_format(month, "M y")} for i, month in enumerate(months) if i % every == 0
    ]
    y_ticks = [{"y": y_at(v), "label": f"{v:g}"} for v in _frange(0, y_max, step)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + plot_h,
        "label_x": WIDTH - RIGHT + 14,
        "lines": lines,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "x_axis_y": TOP + plot_h + 20,
    }


def _frange(start, stop, step):
    value = start
    while value <= stop + 1e-9:
        yield value
        value += step
