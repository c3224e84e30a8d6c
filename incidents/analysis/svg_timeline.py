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
from collections.abc import Callable

import numpy as np
import pandas as pd

from incidents.analysis.aggregate import actor_colour
from incidents.analysis.charts import time_domain, time_ticks
from incidents.domain import messages, taxonomy

#: The drawing's units are half pixels (integers: a short path), shown 600 pixels wide at most; LEFT is the least
#: left margin (see :func:`left_margin`).
WIDTH, LEFT, RIGHT, TOP, BOTTOM = 1200, 96, 16, 48, 44
#: The chart is never drawn narrower (pixels): its 13-pixel text would shrink below 10 pixels; a narrow column
#: scrolls it sideways instead.
MIN_WIDTH = 440
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

    Notes
    -----
    One path per actor and two for the band, and one tooltip per month (all actors' figures): a few kilobytes
    for years of months, drawn at once by the browser.
    """
    words = _WORDS.get(lang, _WORDS["en"])
    if periods.empty:
        return ""
    starts = pd.to_datetime(periods["start"])
    domain = time_domain(starts, starts + pd.DateOffset(months=1), "month")
    if domain is None:
        return ""
    first, last = np.datetime64(domain[0], "s"), np.datetime64(domain[1], "s")
    span = max(1.0, float((last - first) / np.timedelta64(1, "s")))
    height *= 2  # in half pixels
    months = _months(periods, bands)
    top = max(float(months["stacked"].max()), float(months["killed_max"].max()), 1.0)
    step = nice_step(top)
    top = step * math.ceil(top / step)
    edge = left_margin(top)
    plot_w, plot_h = WIDTH - edge - RIGHT, height - TOP - BOTTOM

    def x(when: np.ndarray) -> np.ndarray:
        return edge + plot_w * ((when.astype("datetime64[s]") - first) / np.timedelta64(1, "s")) / span

    def y(value: np.ndarray | float) -> np.ndarray:
        return TOP + plot_h * (1 - np.asarray(value, dtype="float64") / top)

    month = months["start"].to_numpy().astype("datetime64[M]")
    left, right = x(month), x(month + 1)
    parts = [_y_axis(step, top, float(x(np.array([first]))[0]), float(x(np.array([last]))[0]), y),
             _x_axis(first, last, x, height - BOTTOM, lang)]
    parts += _band(left, right, y(months["killed_min"].to_numpy(dtype="float64")),
                   y(months["killed_max"].to_numpy(dtype="float64")))
    parts += _bars(periods, months, left, right, y)
    title = words["figure"].format(fig=words[figure])
    parts.append(_y_title(title, lang))
    parts += _tips(months, left, right, TOP, height - BOTTOM, words, title, lang)
    svg = (f'<svg class="im-timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
           f'aria-label="{html.escape(title)}" '
           f'style="max-height:{height // 2}px;max-width:{WIDTH // 2}px;min-width:{MIN_WIDTH}px;font:26px sans-serif">'
           f'{_desc(months, words, title)}{"".join(parts)}</svg>')
    present = _actor_order(periods["actor"].astype(str).unique().tolist())
    return f'<div dir="ltr" style="overflow-x:auto">{svg}</div>{_legend(present, words, lang)}'


def left_margin(top: float) -> int:
    """The value axis's margin, in half pixels: :data:`LEFT`, or wider when the longest tick label ("100,000")
    would run off the left edge (about 15 half pixels a character at the chart's font, and a gap)."""
    return max(LEFT, 15 * len(f"{int(top):,}") + 24)


def _months(periods: pd.DataFrame, bands: pd.DataFrame) -> pd.DataFrame:
    """Per month: the stacked figure, killed minimum and maximum of all actors, and incidents."""
    data = periods.assign(start=pd.to_datetime(periods["start"]))
    months = data.groupby("start", sort=True).agg(stacked=("killed", "sum"), n=("n", "sum"),
                                                  killed_min=("killed_min", "sum"), killed_max=("killed_max", "sum"))
    if len(bands):  # the band as summarised (the same sums)
        band = bands.assign(start=pd.to_datetime(bands["start"])).set_index("start")
        months[["killed_min", "killed_max"]] = band[["killed_min", "killed_max"]].reindex(months.index).fillna(0)
    return months.reset_index()


def _desc(months: pd.DataFrame, words: dict, title: str) -> str:
    """What a screen reader is told beside the chart's name: the span, the total and the peak month of the figure
    the bars stack, and how the chart is drawn."""
    stacked = months["stacked"].to_numpy(dtype="int64")
    month = months["start"].dt.strftime("%Y-%m").tolist()
    peak = int(stacked.argmax())
    text = words["summary"].format(first=month[0], last=month[-1], fig=title, total=f"{int(stacked.sum()):,}",
                                   n=f"{int(months['n'].sum()):,}", peak=month[peak], top=f"{int(stacked[peak]):,}")
    return f"<desc>{html.escape(text)}</desc>"


def _rects(left: np.ndarray, right: np.ndarray, low: np.ndarray, high: np.ndarray) -> str:
    """Rectangles as one path's data (absolute corners, one decimal)."""
    width = np.maximum(np.round(right) - np.round(left), 1)
    return "".join(f"M{a:.0f} {b:.0f}h{w:.0f}V{c:.0f}h{-w:.0f}z"
                   for a, b, w, c in zip(left.tolist(), high.tolist(), width.tolist(), low.tolist(), strict=True))


def _y_axis(step: int, top: float, left: float, right: float, y: Callable) -> str:
    lines = []
    for value in range(0, int(top) + 1, step):
        at = float(y(value))
        lines.append(f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{at:.1f}" y2="{at:.1f}" stroke="#e6e6e6" stroke-width="2"/>'
                     f'<text x="{left - 8:.1f}" y="{at + 8:.1f}" text-anchor="end" fill="#555">{value:,}</text>')
    return "".join(lines)


def _y_title(title: str, lang: str) -> str:
    """What the bars count ("Killed (minimum)"), above the value axis: written right to left in Arabic."""
    direction = ' direction="rtl"' if lang == "ar" else ""
    return (f'<text x="{LEFT - 80}" y="{TOP - 18}" text-anchor="{"end" if lang == "ar" else "start"}"{direction} '
            f'fill="#333">{html.escape(title)}</text>')


def _x_axis(first: np.datetime64, last: np.datetime64, x: Callable, base: float, lang: str) -> str:
    """The time axis, ticked as the Vega timeline's (:func:`incidents.analysis.charts.time_ticks`): every n years,
    or every n months for shorter spans ("Jul 2017"; "2017-07" in Arabic)."""
    interval, step, fmt = time_ticks([str(first.astype("datetime64[D]")), str(last.astype("datetime64[D]"))], lang)
    ticks = _tick_dates(first, last, "year" if interval == "year" else "month", step)
    at = x(ticks.astype("datetime64[s]"))
    labels = [pd.Timestamp(tick).strftime(fmt) for tick in ticks]  # the domain spans 12 months or more
    texts = "".join(f'<text x="{a:.1f}" y="{base + 30:.1f}" text-anchor="middle" fill="#555">{html.escape(label)}'
                    f'</text>' for a, label in zip(at.tolist(), labels, strict=True))
    ends = x(np.array([first, last]))
    return f'<line x1="{ends[0]:.1f}" x2="{ends[1]:.1f}" y1="{base:.1f}" y2="{base:.1f}" stroke="#888" stroke-width="2"/>{texts}'


def _tick_dates(first: np.datetime64, last: np.datetime64, unit: str, step: int) -> np.ndarray:
    """The starts of years (or months) from ``first`` to ``last`` that are multiples of ``step`` (at least one)."""
    code = "Y" if unit == "year" else "M"
    units = np.arange(first.astype(f"datetime64[{code}]"), last.astype(f"datetime64[{code}]") + 1)
    units = units[units.astype("datetime64[s]") >= first]
    offset = 1970 if code == "Y" else 0  # years are stepped from year 0 ("2016, 2018"), months from January
    chosen = units[(units.astype(int) + offset) % step == 0]
    return chosen if len(chosen) else first.astype(f"datetime64[{code}]")[None]


def _band(left: np.ndarray, right: np.ndarray, low: np.ndarray, high: np.ndarray) -> list[str]:
    """The min–max band of each month: grey rectangles, their tops dashed."""
    tops = "".join(f"M{a:.0f} {b:.0f}H{c:.0f}" for a, b, c in zip(left.tolist(), high.tolist(), right.tolist(),
                                                                   strict=True))
    return [f'<path d="{_rects(left, right, low, high)}" fill="#333333" fill-opacity="0.16"/>',
            f'<path d="{tops}" stroke="#333333" stroke-width="2" stroke-dasharray="6 4" fill="none"/>']


def _actor_order(present: list[str]) -> list[str]:
    """The actors drawn, in the taxonomy's order, then any code the taxonomy lacks (stacked and keyed too)."""
    codes = taxonomy.codes("actor")
    return [c for c in codes if c in present] + sorted(c for c in present if c not in codes)


def _bars(periods: pd.DataFrame, months: pd.DataFrame, left: np.ndarray, right: np.ndarray,
          y: Callable) -> list[str]:
    """One path per actor: its part of each month's bar, actors stacked in the taxonomy's order."""
    data = periods.assign(start=pd.to_datetime(periods["start"]), actor=periods["actor"].astype(str))
    table = data.pivot_table(index="start", columns="actor", values="killed", aggfunc="sum", fill_value=0)
    table = table.reindex(months["start"], fill_value=0)
    order = _actor_order(list(table.columns))
    base = np.zeros(len(table))
    out = []
    for code in order:
        values = table[code].to_numpy(dtype="float64")
        shown = values > 0
        if shown.any():
            low, high = y(base[shown]), y(base[shown] + values[shown])
            out.append(f'<path d="{_rects(left[shown], right[shown], low, high)}" '
                       f'fill="{html.escape(actor_colour(code))}" fill-opacity="0.9"/>')
        base = base + values
    return out


def _tips(months: pd.DataFrame, left: np.ndarray, right: np.ndarray, top: float, bottom: float,
          words: dict, title: str, lang: str) -> list[str]:
    """An invisible full-height rectangle per month whose tooltip names each figure it gives: the bars' figure
    (``title``), all actors' minimum–maximum (the band) and the incidents.

    The chart is left to right (time runs rightwards), so an Arabic tooltip is set right to left on its own: its
    rectangles say ``direction="rtl"`` and its text is a right-to-left isolate (U+2067 … U+2069), which keeps the
    words in reading order whichever the tooltip renderer heeds."""
    rtl = lang == "ar"
    isolate = ("\u2067", "\u2069") if rtl else ("", "")
    out = []
    figures = months[["stacked", "killed_min", "killed_max", "n"]].to_numpy(dtype="int64").tolist()
    days = months["start"].dt.strftime("%Y-%m").tolist()
    for day, (stacked, low, high, n), a, b in zip(days, figures, left.tolist(), right.tolist(), strict=True):
        tip = html.escape(f'{isolate[0]}{day} · {title}: {stacked:,} · {words["band"]} {low:,}–{high:,} · '
                          f'{words["incidents"]}: {n:,}{isolate[1]}')
        out.append(f'<rect x="{a:.0f}" y="{top}" width="{max(round(b) - round(a), 1)}" height="{bottom - top}">'
                   f'<title>{tip}</title></rect>')
    group = '<g fill="transparent" direction="rtl">' if rtl else '<g fill="transparent">'
    return [group, *out, "</g>"]  # one fill (and direction) for all: a few kilobytes less


#: the band's key: a grey square, its top dashed (as drawn in the chart)
_BAND_KEY = ('<svg width="18" height="12" aria-hidden="true"><rect x="1" y="1" width="16" height="11" fill="#333333" '
             'fill-opacity="0.16"/><path d="M1 1.5H17" stroke="#333333" stroke-width="1.5" stroke-dasharray="3 2"/>'
             '</svg>')


def _legend(present: list[str], words: dict, lang: str) -> str:
    """The actors' colours and the band's key, in the interface language (each name isolated: an English code
    in the Arabic legend keeps its own order)."""
    band = f'<span class="im-key">{_BAND_KEY}{html.escape(words["band"])}</span>'
    keys = "".join(f'<span class="im-key"><span class="sw" style="background:{html.escape(actor_colour(c))}">'
                   f'</span><bdi>{html.escape(taxonomy.label("actor", c, lang))}</bdi></span>' for c in present)
    return f'<div class="im-legend" dir="auto"><b>{html.escape(words["actor"])}</b> {keys} {band}</div>'
