"""The overview's timeline as static SVG: bars per month stacked by actor, with the all-actors min–max band.

The timeline page draws the same figures with Altair (:func:`incidents.analysis.charts.build_timeline`: drag to
select, tooltips). The overview's small chart selects nothing, and an Altair chart there made a new visitor wait
for the browser to load and start Vega (about 0.8 MB of script) before the map beside it was shown (#16), so it is
drawn here as plain SVG: shown with the page's text, and each bar's figures in its native tooltip (``<title>``).
Every text is escaped; colours come from the taxonomy.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from incidents.analysis.aggregate import actor_colour
from incidents.analysis.charts import time_domain
from incidents.domain import messages, taxonomy

WIDTH, LEFT, RIGHT, TOP, BOTTOM = 600, 48, 8, 8, 22
_WORDS = {lang: messages.words("charts", lang) for lang in ("en", "ar")}


def nice_step(top: float, ticks: int = 4) -> int:
    """Return a round tick step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks up to ``top``."""
    raw = max(1.0, top / ticks)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def build_timeline_svg(periods: pd.DataFrame, bands: pd.DataFrame, *, figure: str = "min", lang: str = "en",
                       height: int = 300) -> str:
    """Return the monthly timeline as an HTML block: an SVG chart and its legend of actors.

    Parameters
    ----------
    periods, bands
        Monthly :func:`incidents.analysis.aggregate.summarise_periods` (``start``, ``actor``, ``n``,
        ``killed_min``, ``killed_max``, ``killed``) and :func:`~incidents.analysis.aggregate.summarise_bands`.
    figure
        Which killed figure the bars stack ("min", "max", "best"); the band always spans minimum–maximum.
    height
        The chart's height in pixels (its width follows the column).
    """
    words = _WORDS.get(lang, _WORDS["en"])
    data = periods.assign(start=pd.to_datetime(periods["start"]))
    domain = time_domain(data["start"], data["start"] + pd.DateOffset(months=1), "month") if len(data) else None
    if domain is None:
        return ""
    first, last = pd.Timestamp(domain[0]), pd.Timestamp(domain[1])
    span = max(1.0, (last - first).total_seconds())
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    stacked = data.groupby("start")["killed"].sum()
    top = max(float(stacked.max()), float(bands["killed_max"].max()) if len(bands) else 0.0, 1.0)
    step = nice_step(top)
    top = step * math.ceil(top / step)

    def x(when: pd.Timestamp) -> float:
        return LEFT + plot_w * (when - first).total_seconds() / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [_y_axis(step, top, x(first), x(last), y), _x_axis(first, last, x, height - BOTTOM)]
    parts += _band(bands, x, y, words)
    parts += _bars(data, x, y, words, lang)
    title = html.escape(words["figure"].format(fig=words[figure]))
    svg = (f'<svg class="im-timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{title}" '
           f'style="max-height:{height}px;font:11px sans-serif">{"".join(parts)}</svg>')
    return f'<div dir="ltr">{svg}</div>{_legend(data, words, lang)}'


def _y_axis(step: int, top: float, left: float, right: float, y: object) -> str:
    lines = []
    for value in range(0, int(top) + 1, step):
        at = y(value)  # type: ignore[operator]
        lines.append(f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{at:.1f}" y2="{at:.1f}" stroke="#e6e6e6"/>'
                     f'<text x="{left - 4:.1f}" y="{at + 4:.1f}" text-anchor="end" fill="#555">{value:,}</text>')
    return "".join(lines)


def _x_axis(first: pd.Timestamp, last: pd.Timestamp, x: object, base: float) -> str:
    years = list(range(first.year + (first.month > 1 or first.day > 1), last.year + 1))
    every = max(1, math.ceil(len(years) / 8))
    ticks = [f'<text x="{x(pd.Timestamp(year, 1, 1)):.1f}" y="{base + 15:.1f}" text-anchor="middle" '  # type: ignore[operator]
             f'fill="#555">{year}</text>' for year in years[::every]]
    if not ticks:  # less than a year: the first month named
        ticks = [f'<text x="{x(first):.1f}" y="{base + 15:.1f}" fill="#555">{first:%Y-%m}</text>']  # type: ignore[operator]
    return f'<line x1="{x(first):.1f}" x2="{x(last):.1f}" y1="{base:.1f}" y2="{base:.1f}" stroke="#888"/>' + "".join(ticks)  # type: ignore[operator]


def _band(bands: pd.DataFrame, x: object, y: object, words: dict) -> list[str]:
    """The min–max band of each month: a grey rectangle, its top dashed."""
    out = []
    for row in bands.assign(start=pd.to_datetime(bands["start"])).itertuples(index=False):
        left, right = x(row.start), x(row.start + pd.DateOffset(months=1))  # type: ignore[operator]
        low, high = y(float(row.killed_min)), y(float(row.killed_max))  # type: ignore[operator]
        tip = html.escape(f'{row.start:%Y-%m} · {words["band"]}: {int(row.killed_min):,}–{int(row.killed_max):,}')
        out.append(f'<rect x="{left:.1f}" y="{high:.1f}" width="{max(right - left, 0.5):.1f}" '
                   f'height="{max(low - high, 0):.1f}" fill="#333333" fill-opacity="0.16"><title>{tip}</title></rect>'
                   f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{high:.1f}" y2="{high:.1f}" stroke="#333333" '
                   f'stroke-dasharray="3 2"/>')
    return out


def _bars(data: pd.DataFrame, x: object, y: object, words: dict, lang: str) -> list[str]:
    """Each month's bar, its actors stacked in the taxonomy's order."""
    order = {code: i for i, code in enumerate(taxonomy.codes("actor"))}
    out = []
    for start, month in data.groupby("start", sort=True):
        left, right = x(start), x(start + pd.DateOffset(months=1))  # type: ignore[operator]
        base = 0.0
        for row in sorted(month.itertuples(index=False), key=lambda r: order.get(str(r.actor), len(order))):
            value = float(row.killed)
            if value <= 0:
                continue
            tip = html.escape(f'{start:%Y-%m} · {taxonomy.label("actor", str(row.actor), lang)}: '
                              f'{int(value):,} {words["killed"].lower()} ({int(row.killed_min):,}–'
                              f'{int(row.killed_max):,}) · {words["incidents"]}: {int(row.n):,}')
            low, high = y(base), y(base + value)  # type: ignore[operator]
            out.append(f'<rect x="{left:.1f}" y="{high:.1f}" width="{max(right - left, 0.5):.1f}" '
                       f'height="{low - high:.1f}" fill="{html.escape(actor_colour(str(row.actor)))}" '
                       f'fill-opacity="0.9"><title>{tip}</title></rect>')
            base += value
    return out


def _legend(data: pd.DataFrame, words: dict, lang: str) -> str:
    present = [c for c in taxonomy.codes("actor") if c in set(data["actor"].astype(str))]
    keys = "".join(f'<span class="im-key"><span class="sw" style="background:{html.escape(actor_colour(c))}">'
                   f'</span>{html.escape(taxonomy.label("actor", c, lang))}</span>' for c in present)
    return f'<div class="im-legend" dir="auto"><b>{html.escape(words["actor"])}</b> {keys}</div>'
