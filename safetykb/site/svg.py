"""Stacked bar charts as inline SVG, drawn in Python: no JavaScript, no library, nothing from another host."""

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
