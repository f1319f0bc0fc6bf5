"""Wide tables as raw HTML: they scroll inside their own box, the first column stays in view, and the header
cells say what they head (`scope`). Used by the matrix, the benchmark and dataset indexes and the statistics.

Cells are HTML already (record text through `esc`); a row's first cell is its header (`th scope="row"`).
"""

from __future__ import annotations

from collections.abc import Iterable


def scroll_table(label: str, headers: Iterable[str], rows: Iterable[list[str]], css: str = "",
                 numeric: Iterable[int] = ()) -> str:
    """A table inside a focusable scroll box named `label` (so keyboard users can scroll it too).
    `numeric`: column positions aligned right."""
    right = set(numeric)

    def cell(tag: str, position: int, html: str, scope: str) -> str:
        align = ' class="kb-num"' if position in right else ""
        return f'<{tag} scope="{scope}"{align}>{html}</{tag}>' if tag == "th" else f"<td{align}>{html}</td>"

    head = "".join(cell("th", i, h, "col") for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("th", 0, c, "row") if i == 0 else cell("td", i, c, "")
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    klass = f"kb-table {css}".strip()
    return (f'<div class="kb-scroll" role="region" aria-label="{label}" tabindex="0">'
            f'<table class="{klass}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>\n')
