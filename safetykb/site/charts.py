"""Stacked bar charts in HTML and CSS (one horizontal bar per year), drawn in Python: no JavaScript, no library.

Horizontal bars keep their labels at the page's own font size on any screen (an
SVG scaled down to a phone shrank them to 7 px); the axis has round ticks (1, 2
or 5 times a power of ten); colours are the Okabe-Ito set, which readers with
colour-blindness can tell apart, and series past the eighth repeat them with
stripes. The chart is an image for assistive technology (its numbers are in the
table that follows it on the page).
"""

from __future__ import annotations

import math

from safetykb.site.text import esc

#: Series colours are CSS classes kb-s0 ... (site.css): 8 colours, then the same 8 striped.
SERIES_STYLES = 16


def nice_ticks(peak: int, most: int = 6) -> list[int]:
    """Round axis ticks from 0 to at least peak: steps of 1, 2 or 5 times a power of ten, at most `most` + 1."""
    peak = max(int(peak), 1)
    magnitude = 10 ** int(math.floor(math.log10(peak)))
    for factor in (0.1, 0.2, 0.5, 1, 2, 5, 10):
        step = max(1, int(magnitude * factor))
        if math.ceil(peak / step) <= most:
            break
    top = step * math.ceil(peak / step)
    return list(range(0, top + 1, step))


def stacked_bars(title: str, years: list[int], series: list[tuple[str, list[int]]], caption: str = "") -> str:
    """A horizontal stacked bar chart (newest year first, one colour per series) with its legend and caption."""
    totals = [sum(counts[i] for _n, counts in series) for i in range(len(years))]
    ticks = nice_ticks(max(totals, default=0))
    top = ticks[-1]
    rows = []
    for i in reversed(range(len(years))):
        segments = "".join(
            f'<span class="kb-seg kb-s{j % SERIES_STYLES}" style="width:{100 * counts[i] / top:.3f}%" '
            f'title="{esc(name)}, {years[i]}: {counts[i]}"></span>'
            for j, (name, counts) in enumerate(series) if counts[i])
        rows.append(f'<div class="kb-bar"><span class="kb-bar__year">{years[i]}</span>'
                    f'<span class="kb-bar__track">{segments}<span class="kb-bar__total">{totals[i]}</span></span>'
                    "</div>")
    grid = "".join(f'<span class="kb-tick" style="left:{100 * t / top:.3f}%">{t}</span>' for t in ticks)
    legend = "".join(f'<li><i class="kb-s{j % SERIES_STYLES}"></i>{esc(name)}</li>'
                     for j, (name, _c) in enumerate(series))
    summary = esc(f"{title}: stacked bars per year; the numbers are in the table below")
    note = f"<p>{caption}</p>" if caption else ""
    step = f"{100 * ticks[1] / top:.3f}%" if len(ticks) > 1 else "100%"
    return (f'<figure class="kb-figure"><div class="kb-chart" role="img" aria-label="{summary}" '
            f'style="--kb-step:{step}">{"".join(rows)}'
            f'<div class="kb-axis"><span class="kb-axis__ticks">{grid}</span></div></div>'
            f'<figcaption><ul class="kb-key">{legend}</ul>{note}</figcaption></figure>')


def grouped_bars(title: str, categories: list[str], series: list[tuple[str, list[tuple[float, str] | None]]],
                 high: float) -> str:
    """Horizontal bars grouped by category (a leaderboard's per-category breakdown): one bar per series, in
    the series' colour, with the figure as published at its end, on an axis from 0 to `high`. A series value
    is (number, text as published) or None where that series has no figure for the category."""
    ticks = [round(high * i / 4, 6) for i in range(5)] if high else [0, 1]
    top = ticks[-1] or 1.0
    groups = []
    for i, category in enumerate(categories):
        bars = []
        for j, (name, values) in enumerate(series):
            item = values[i]
            if item is None:
                continue
            number, text = item
            width = 100 * min(max(number, 0.0), top) / top
            bars.append(f'<span class="kb-gbar"><span class="kb-seg kb-s{j % SERIES_STYLES}" '
                        f'style="width:{width:.3f}%" title="{esc(name)}, {esc(category)}: {esc(text)}"></span>'
                        f'<span class="kb-bar__total">{esc(text)}</span></span>')
        groups.append(f'<div class="kb-group-bars"><span class="kb-group-bars__name">{esc(category)}</span>'
                      f'<span class="kb-group-bars__bars">{"".join(bars)}</span></div>')
    grid = "".join(f'<span class="kb-tick" style="left:{100 * t / top:.3f}%">{t:g}</span>' for t in ticks)
    legend = "".join(f'<li><i class="kb-s{j % SERIES_STYLES}"></i>{esc(name)}</li>'
                     for j, (name, _v) in enumerate(series))
    summary = esc(f"{title}: bars per category; the numbers are in the table below")
    return (f'<figure class="kb-figure"><div class="kb-chart kb-chart--grouped" role="img" aria-label="{summary}">'
            f'{"".join(groups)}<div class="kb-axis"><span class="kb-axis__ticks">{grid}</span></div></div>'
            f'<figcaption><ul class="kb-key">{legend}</ul></figcaption></figure>')
