"""Charts as self-contained SVG: the dashboard and the briefs draw the same pictures.

Server-side SVG needs no JavaScript and no network, prints cleanly, and is byte-for-byte
reproducible for the same history (a brief for the same dates gives the same bytes). Lines
differ by dash pattern as well as colour, so a chart still reads in black and white, and
every chart carries a text summary (``<title>``/``<desc>``) for screen readers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from .status import Point, ProvisionHistory, Series, Threshold

#: (stroke colour, dash pattern, width) per series role; colours pass WCAG contrast on white.
STYLES: dict[str, tuple[str, str, float]] = {
    "delivered": ("#1f4e9c", "", 2.5),
    "handed_over": ("#0f766e", "6 3", 1.8),
    "required": ("#9f1239", "8 4", 1.8),
    "owed": ("#9f1239", "8 4", 1.8),
    "strength": ("#1f4e9c", "", 2.5),
    "mean": ("#111827", "", 2.0),
}
#: Daily series as bars; the k-th rolling mean is drawn in the darker shade of the k-th bars.
BAR_FILLS = ("#93b4e6", "#f2b880", "#a7d7c5", "#d4a5c8")
MEAN_STROKES = ("#1f4e9c", "#9a4a00", "#0f766e", "#7e2a6b")
THRESHOLD_STYLE = {"minimum": ("#b45309", "4 3"), "maximum": ("#b91c1c", "4 3"),
                   "target": ("#4b5563", "2 3")}
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, LEGEND_ROW = 60, 20, 48, 18


@dataclass(frozen=True)
class _Frame:
    """Maps days and values onto the plot area."""

    first: dt.date
    last: dt.date
    top: float
    step: float  # between value gridlines
    x0: float
    x1: float
    y0: float  # bottom of the plot area (value 0)
    y1: float  # top of the plot area (value ``top``)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def slot(self) -> float:
        return (self.x1 - self.x0) / self.days

    def x(self, day: dt.date) -> float:
        """Centre of the day's slot."""
        return self.x0 + ((day - self.first).days + 0.5) * self.slot()

    def y(self, value: float) -> float:
        return self.y0 - (value / self.top) * (self.y0 - self.y1) if self.top else self.y0


def provision_chart(h: ProvisionHistory, *, width: int = 640, height: int = 280) -> str:
    """The chart for one provision, or a short SVG saying there is nothing to plot."""
    if h.chart == "none":
        return _empty(h.title, "No figures over time are reported for this provision.",
                      width)
    return render(h.series, h.thresholds, title=h.title, caption=_CAPTIONS[h.chart],
                  unit=h.unit or "units", width=width, height=height)


_CAPTIONS = {"cumulative": "cumulative, against what is due",
             "daily": "units per day, with the rolling mean and the bounds",
             "level": "reported strength against the targets"}


def render(series: list[Series], thresholds: list[Threshold], *, title: str, unit: str,
           caption: str = "", width: int = 640, height: int = 280) -> str:
    """Draw series over days: daily series as bars, the rest as (step) lines."""
    drawn = [s for s in series if any(p.value is not None for p in s.points)]
    days = [p.day for s in drawn for p in s.points]
    if not days:
        return _empty(title, "No figures reported yet.", width)
    values = [p.value for s in drawn for p in s.points if p.value is not None]
    values += [t.value for t in thresholds]
    legend_rows = math.ceil((len(drawn) + len(thresholds)) / 2)
    bottom = height - 34 - legend_rows * LEGEND_ROW
    top, step = _nice_top(max(values, default=1))
    frame = _Frame(first=min(days), last=max(days), top=top, step=step,
                   x0=MARGIN_LEFT, x1=width - MARGIN_RIGHT, y0=bottom, y1=MARGIN_TOP)
    out = [_open(width, height, title, _describe(drawn, thresholds, unit))]
    out.append(f'<text x="12" y="18" font-size="13" font-weight="bold">'
               f"{escape(_clip(title, width // 8))}</text>")
    if caption:
        out.append(f'<text x="12" y="34" fill="#374151">{escape(caption)}</text>')
    out += _axes(frame, unit)
    bars = [s for s in drawn if s.role == "daily"]
    for i, s in enumerate(bars):
        out += _bars(frame, s, i, len(bars))
    for t in thresholds:
        colour, dash = THRESHOLD_STYLE.get(t.kind, ("#4b5563", "2 3"))
        y = _r(frame.y(t.value))
        out.append(f'<line x1="{frame.x0}" x2="{frame.x1}" y1="{y}" y2="{y}" '
                   f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>')
    means = [s for s in drawn if s.role == "mean"]
    for s in drawn:
        if s.role == "mean":
            out.append(_line(frame, s, MEAN_STROKES[means.index(s) % len(MEAN_STROKES)]))
        elif s.role != "daily":
            out.append(_line(frame, s))
    out += _legend(drawn, bars, means, thresholds, width, bottom + 34)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _open(width: int, height: int, title: str, desc: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" font-family="DejaVu Sans, Arial, sans-serif" '
            f'font-size="11" fill="#111827">\n<title>{escape(title)}</title>\n'
            f"<desc>{escape(desc)}</desc>\n"
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>')


def _empty(title: str, message: str, width: int) -> str:
    return "\n".join([_open(width, 60, title, message),
                      f'<text x="12" y="22" font-size="13" font-weight="bold">'
                      f"{escape(_clip(title, width // 8))}</text>",
                      f'<text x="12" y="44">{escape(message)}</text>', "</svg>"]) + "\n"


def _describe(series: list[Series], thresholds: list[Threshold], unit: str) -> str:
    """A sentence per line: what a sighted reader takes from the picture."""
    parts = []
    for s in series:
        known = [p for p in s.points if p.value is not None]
        if known:
            parts.append(f"{s.name}: {_fmt(known[-1].value)} {unit} on {known[-1].day}"
                         + (f", from {_fmt(known[0].value)} on {known[0].day}"
                            if len(known) > 1 else ""))
    parts += [f"{t.label}: {_fmt(t.value)}" for t in thresholds]
    return "; ".join(parts) + "."


def _axes(f: _Frame, unit: str) -> list[str]:
    out = []
    for value in _ticks(f.top, f.step):
        y = f.y(value)
        out.append(f'<line x1="{f.x0}" x2="{f.x1}" y1="{_r(y)}" y2="{_r(y)}" '
                   'stroke="#e5e7eb"/>')
        out.append(f'<text x="{f.x0 - 6}" y="{_r(y + 4)}" text-anchor="end">{_fmt(value)}'
                   "</text>")
    out.append(f'<line x1="{f.x0}" x2="{f.x1}" y1="{f.y0}" y2="{f.y0}" stroke="#374151"/>')
    out.append(f'<text x="14" y="{_r((f.y0 + f.y1) / 2)}" text-anchor="middle" '
               f'transform="rotate(-90 14 {_r((f.y0 + f.y1) / 2)})">{escape(unit)}</text>')
    step = _day_step(f.days)
    day = f.first
    while day <= f.last:
        x = _r(f.x(day))
        out.append(f'<line x1="{x}" x2="{x}" y1="{f.y0}" y2="{f.y0 + 4}" stroke="#374151"/>')
        out.append(f'<text x="{x}" y="{f.y0 + 16}" text-anchor="middle">'
                   f"{day.strftime('%d %b')}</text>")
        day += dt.timedelta(days=step)
    return out


def _bars(f: _Frame, s: Series, index: int, count: int) -> list[str]:
    width = f.slot() * 0.8 / count
    fill = BAR_FILLS[index % len(BAR_FILLS)]
    out = []
    for p in s.points:
        if p.value is None:
            continue
        x = f.x(p.day) - f.slot() * 0.4 + index * width
        y = f.y(p.value)
        # A reported zero is data, not a gap: it still shows as a sliver on the axis.
        y = min(y, f.y0 - 1.5)
        out.append(f'<rect x="{_r(x)}" y="{_r(y)}" width="{_r(max(width - 1, 1))}" '
                   f'height="{_r(f.y0 - y)}" fill="{fill}" stroke="#374151" '
                   f'stroke-width="0.5"><title>{escape(s.name)}, {p.day}: '
                   f"{_fmt(p.value)}</title></rect>")
    return out


def _line(f: _Frame, s: Series, colour: str | None = None) -> str:
    default, dash, width = STYLES.get(s.role, ("#111827", "", 1.5))
    colour = colour or default
    path: list[str] = []
    prev: Point | None = None
    for p in s.points:
        if p.value is None:
            prev = None
            continue
        x, y = _r(f.x(p.day)), _r(f.y(p.value))
        if prev is None:
            path.append(f"M{x} {y}")
        elif s.step:
            path.append(f"H{x} V{y}")
        else:
            path.append(f"L{x} {y}")
        prev = p
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    out = (f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
           f'stroke-width="{width}"{dash_attr}><title>{escape(s.name)}</title></path>')
    if not s.step:  # markers, so a single day's value is visible too
        out += "".join(f'\n<circle cx="{_r(f.x(p.day))}" cy="{_r(f.y(p.value))}" r="2.5" '
                       f'fill="{colour}"/>' for p in s.points if p.value is not None)
    return out


def _legend(series: list[Series], bars: list[Series], means: list[Series],
            thresholds: list[Threshold], width: int, top: float) -> list[str]:
    entries: list[str] = []
    col = (width - MARGIN_LEFT) / 2
    labels = [(s, None) for s in series] + [(None, t) for t in thresholds]
    for i, (s, t) in enumerate(labels):
        x = MARGIN_LEFT + (i % 2) * col
        y = top + (i // 2) * LEGEND_ROW
        if s is not None and s.role == "daily":
            fill = BAR_FILLS[bars.index(s) % len(BAR_FILLS)]
            swatch = (f'<rect x="{_r(x)}" y="{_r(y - 8)}" width="18" height="9" '
                      f'fill="{fill}" stroke="#374151" stroke-width="0.5"/>')
            name = s.name
        else:
            if s is not None:
                colour, dash, w = STYLES.get(s.role, ("#111827", "", 1.5))
                if s in means:
                    colour = MEAN_STROKES[means.index(s) % len(MEAN_STROKES)]
                name = s.name
            else:
                assert t is not None
                colour, dash = THRESHOLD_STYLE.get(t.kind, ("#4b5563", "2 3"))
                w, name = 1.5, f"{t.label} ({_fmt(t.value)})"
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            swatch = (f'<line x1="{_r(x)}" x2="{_r(x + 18)}" y1="{_r(y - 4)}" '
                      f'y2="{_r(y - 4)}" stroke="{colour}" stroke-width="{w}"{dash_attr}/>')
        entries.append(swatch)
        entries.append(f'<text x="{_r(x + 24)}" y="{_r(y)}">{escape(_clip(name, 42))}</text>')
    return entries


def _nice_top(value: float) -> tuple[float, float]:
    """(top of the axis, tick step): four or fewer steps of 1, 2 or 5 × 10^k, with headroom."""
    if value <= 0:
        return 1.0, 0.25
    value *= 1.08
    raw = value / 4
    exp = 10 ** math.floor(math.log10(raw))
    step = float(next(m * exp for m in (1, 2, 5, 10) if m * exp >= raw))
    return math.ceil(value / step) * step, step


def _ticks(top: float, step: float) -> Iterable[float]:
    n = round(top / step)
    return (step * i for i in range(n + 1))


def _day_step(days: int) -> int:
    return next((s for s in (1, 2, 7, 14, 30, 61, 91, 182, 365) if days / s <= 8), 730)


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _r(value: float) -> str:
    """Coordinates at 0.1 px: stable text, no float noise between platforms."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
