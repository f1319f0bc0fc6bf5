"""Charts as inline SVG, drawn in Python (stacked bars by year, grouped bars by category): no JavaScript,
no library, nothing from another host."""

from __future__ import annotations

from safetykb.site.text import esc

PALETTE = ("#3f51b5", "#ff7043", "#26a69a", "#ab47bc", "#fbc02d", "#ef5350", "#42a5f5", "#8d6e63",
           "#66bb6a", "#ec407a", "#78909c", "#5c6bc0", "#ffa726", "#26c6da", "#9ccc65", "#7e57c2")


def stacked_bars(title: str, years: list[int], series: list[tuple[str, list[int]]],
                 width: int = 760, height: int = 280) -> str:
    """An SVG stacked bar chart (one bar per year, one colour per series) followed by its legend."""
    left, bottom, top = 40, 28, 12
    plot_h = height - bottom - top
    totals = [sum(counts[i] for _n, counts in series) for i in range(len(years))]
    peak = max(totals, default=0) or 1
    step = (width - left - 10) / max(len(years), 1)
    bar = min(56.0, max(4.0, step * 0.7))
    parts = [f"<svg class=\"kb-chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" "
             f"aria-label=\"{esc(title)}\" xmlns=\"http://www.w3.org/2000/svg\">"]
    for tick in range(5):
        value = round(peak * tick / 4)
        y = top + plot_h - plot_h * value / peak
        parts.append(f"<line x1=\"{left}\" x2=\"{width - 10}\" y1=\"{y:.1f}\" y2=\"{y:.1f}\" class=\"kb-grid\"/>"
                     f"<text x=\"{left - 6}\" y=\"{y + 4:.1f}\" text-anchor=\"end\" class=\"kb-axis\">{value}</text>")
    for i, year in enumerate(years):
        x = left + step * i + (step - bar) / 2
        y = top + plot_h
        for j, (name, counts) in enumerate(series):
            if not counts[i]:
                continue
            h = plot_h * counts[i] / peak
            y -= h
            parts.append(f"<rect x=\"{x:.1f}\" y=\"{y:.1f}\" width=\"{bar:.1f}\" height=\"{h:.1f}\" "
                         f"fill=\"{PALETTE[j % len(PALETTE)]}\"><title>{esc(name)} {year}: {counts[i]}</title></rect>")
        parts.append(f"<text x=\"{x + bar / 2:.1f}\" y=\"{height - 10}\" text-anchor=\"middle\" "
                     f"class=\"kb-axis\">{year}</text>")
        if totals[i]:
            parts.append(f"<text x=\"{x + bar / 2:.1f}\" y=\"{y - 3:.1f}\" text-anchor=\"middle\" "
                         f"class=\"kb-total\">{totals[i]}</text>")
    parts.append("</svg>")
    legend = "".join(f"<span><i style=\"background:{PALETTE[j % len(PALETTE)]}\"></i>{esc(name)}</span>"
                     for j, (name, _c) in enumerate(series))
    return f"<figure class=\"kb-figure\">{''.join(parts)}<figcaption class=\"kb-key\">{legend}</figcaption></figure>"


def grouped_hbars(title: str, categories: list[str], series: list[tuple[str, list[tuple[float, str] | None]]],
                  high: float, width: int = 760) -> str:
    """An SVG chart of horizontal bars grouped by category (one bar per series, a colour each, the figure
    at its end), scaled from 0 to `high`, followed by its legend. A series value is (number, text as
    published) or None where the series has no figure for a category."""
    label_w, right, top, bar, gap = 200, 54, 22, 10, 12
    group_h = bar * max(len(series), 1) + gap
    height = top + group_h * len(categories) + 8
    plot_w = width - label_w - right
    high = high or 1.0
    parts = [f"<svg class=\"kb-chart kb-bars\" viewBox=\"0 0 {width} {height}\" role=\"img\" "
             f"aria-label=\"{esc(title)}\" xmlns=\"http://www.w3.org/2000/svg\">"]
    for tick in range(5):
        value = high * tick / 4
        x = label_w + plot_w * tick / 4
        parts.append(f"<line x1=\"{x:.1f}\" x2=\"{x:.1f}\" y1=\"{top - 6}\" y2=\"{height - 6}\" class=\"kb-grid\"/>"
                     f"<text x=\"{x:.1f}\" y=\"{top - 9}\" text-anchor=\"middle\" class=\"kb-axis\">{value:g}</text>")
    for i, category in enumerate(categories):
        y0 = top + group_h * i
        middle = y0 + bar * len(series) / 2 + 4
        parts.append(f"<text x=\"{label_w - 8}\" y=\"{middle:.1f}\" text-anchor=\"end\" class=\"kb-axis\">"
                     f"{esc(category)}</text>")
        for j, (name, values) in enumerate(series):
            item = values[i]
            if item is None:
                continue
            number, text = item
            w = max(plot_w * min(max(number, 0.0), high) / high, 0.5)
            y = y0 + bar * j
            parts.append(f"<rect x=\"{label_w}\" y=\"{y:.1f}\" width=\"{w:.1f}\" height=\"{bar - 1}\" "
                         f"fill=\"{PALETTE[j % len(PALETTE)]}\"><title>{esc(name)}, {esc(category)}: {esc(text)}"
                         f"</title></rect><text x=\"{label_w + w + 4:.1f}\" y=\"{y + bar - 2:.1f}\" "
                         f"class=\"kb-value\">{esc(text)}</text>")
    parts.append("</svg>")
    legend = "".join(f"<span><i style=\"background:{PALETTE[j % len(PALETTE)]}\"></i>{esc(name)}</span>"
                     for j, (name, _v) in enumerate(series))
    return (f"<figure class=\"kb-figure kb-figure-wide\">{''.join(parts)}"
            f"<figcaption class=\"kb-key\">{legend}</figcaption></figure>")
