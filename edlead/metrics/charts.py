"""Server-rendered line charts: the geometry of an inline SVG, computed here, drawn by
`templates/metrics/_chart.html`. No JavaScript and no inline style (the CSP forbids both); each series
differs by dash pattern and marker as well as colour, so the chart reads in grey print too."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 60, 16, 22, 34

# (css class, dash pattern) per series position: school, district, state, then others.
STYLES: list[tuple[str, str]] = [
    ("edlead-series-0", ""),
    ("edlead-series-1", "6 4"),
    ("edlead-series-2", "2 3"),
    ("edlead-series-3", "10 3 2 3"),
    ("edlead-series-4", "1 2"),
    ("edlead-series-5", "8 2"),
]


@dataclass
class Point:
    x: float
    y: float
    label: str


@dataclass
class Series:
    label: str
    css: str
    dash: str
    segments: list[str]  # "x,y x,y …" for each unbroken run of values
    points: list[Point]


@dataclass
class Marker:
    x: float
    number: int
    label: str


@dataclass
class Tick:
    pos: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    title: str
    desc: str
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    markers: list[Marker] = field(default_factory=list)
    band: tuple[float, float] | None = None  # shaded (x, width): a tenure
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top

    @property
    def tick_x(self) -> int:
        return self.plot_left - 6

    @property
    def label_y(self) -> int:
        return self.plot_bottom + 22

    @property
    def marker_y(self) -> int:
        return self.plot_top - 8

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)


def _nice_step(span: float) -> float:
    raw = span / 4 or 1
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    while magnitude > raw:
        magnitude /= 10
    for mult in (1, 2, 2.5, 5, 10):
        if magnitude * mult >= raw:
            return magnitude * mult
    return magnitude * 10


def _fmt_tick(value: float, step: float) -> str:
    if step >= 1:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def line_chart(
    *,
    title: str,
    desc: str,
    years: list[int],
    series: list[tuple[str, list[Decimal | None], list[str]]],
    markers: list[tuple[int, str]] | None = None,
    band: tuple[int, int] | None = None,
    percent: bool = False,
    dollars: bool = False,
) -> Chart:
    """`series` is [(label, values aligned with years, display text of each value)]; `markers` are
    (year, label) vertical lines; `band` shades the years from..to inclusive."""
    values = [float(v) for _, vals, _ in series for v in vals if v is not None]
    if values:
        lo, hi = min(values), max(values)
        pad = (hi - lo) * 0.15 or max(abs(hi) * 0.1, 1.0)
        lo, hi = lo - pad, hi + pad
        if percent:
            lo, hi = max(lo, 0.0), (min(hi, 100.0) if max(values) <= 100 else hi)  # >100%: no clamp (hang)
        elif min(values) >= 0:
            lo = max(lo, 0.0)
    else:
        lo, hi = 0.0, 1.0
    step = _nice_step(hi - lo)
    lo = step * int(lo // step)
    hi = step * -int(-hi // step)
    if hi <= lo:
        hi = lo + step
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    count = max(len(years) - 1, 1)

    def x_of(index: float) -> float:
        return round(LEFT + plot_w * (index / count if len(years) > 1 else 0.5), 1)

    def y_of(value: float) -> float:
        return round(TOP + plot_h * (1 - (value - lo) / (hi - lo)), 1)

    index_of = {y: i for i, y in enumerate(years)}
    built: list[Series] = []
    for position, (label, vals, texts) in enumerate(series):
        css, dash = STYLES[position % len(STYLES)]
        segments: list[str] = []
        run: list[str] = []
        points: list[Point] = []
        for i, value in enumerate(vals):
            if value is None:
                if len(run) > 1:
                    segments.append(" ".join(run))
                run = []
                continue
            x, y = x_of(i), y_of(float(value))
            run.append(f"{x},{y}")
            points.append(Point(x, y, f"{label}, {years[i]}: {texts[i]}"))
        if len(run) > 1:
            segments.append(" ".join(run))
        built.append(Series(label, css, dash, segments, points))
    y_ticks: list[Tick] = []
    tick = lo
    while tick <= hi + step / 1000:
        y_ticks.append(
            Tick(y_of(tick), ("$" if dollars else "") + _fmt_tick(tick, step) + ("%" if percent else ""))
        )
        tick += step
    every = 1 if len(years) <= 5 else (2 if len(years) <= 10 else 3)
    x_ticks = [
        Tick(x_of(i), f"{y}-{(y + 1) % 100:02d}")
        for i, y in enumerate(years)
        if (len(years) - 1 - i) % every == 0
    ]
    built_markers = [
        Marker(x_of(index_of[year]), n, label)
        for n, (year, label) in enumerate(markers or [], start=1)
        if year in index_of
    ]
    built_band = None
    if band and years:
        start = max(band[0], years[0])
        end = min(band[1], years[-1])
        if start <= end and start in index_of and end in index_of:
            half = plot_w / count / 2 if len(years) > 1 else plot_w / 2
            x0 = max(LEFT, x_of(index_of[start]) - half)
            x1 = min(WIDTH - RIGHT, x_of(index_of[end]) + half)
            built_band = (round(x0, 1), round(x1 - x0, 1))
    return Chart(WIDTH, HEIGHT, title, desc, built, x_ticks, y_ticks, built_markers, built_band)
