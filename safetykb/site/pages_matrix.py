"""The model x attack matrix (from `safetykb.core.queries.matrix`) and one list page per non-empty cell."""

from __future__ import annotations

from safetykb.core.queries import Matrix
from safetykb.site.entries import Entries
from safetykb.site.index import SiteIndex
from safetykb.site.text import esc, front_title, rel

MATRIX_PAGE = "matrix/index.md"


def cell_page_path(model: str, attack: str) -> str:
    return f"matrix/{model}/{attack}.md"


def matrix_page(index: SiteIndex, entries: Entries, grid: Matrix) -> str:
    src = MATRIX_PAGE
    attacks = [a for a, _d in grid.attacks]
    header = "| model family | " + " | ".join(
        f"[{esc(index.name(a))}]({rel(src, index.page(a))})" for a in attacks) + " |"
    rule = "|---|" + "|".join(":-:" for _ in attacks) + "|"
    rows = []
    for model, depth in grid.models:
        cells = []
        for attack in attacks:
            cell = grid.cell(model, attack)
            if not (cell.attacks or cell.defenses):
                cells.append("<span class=\"kb-empty\">·</span>")
                continue
            css = "kb-gap" if cell.gap else ("kb-covered" if cell.attacks else "kb-defonly")
            if cell.attacks and not cell.defenses and cell.broader:
                css = "kb-broader"
            tip = f"{len(cell.attacks)} attack papers, {len(cell.defenses)} defense papers"
            more = ""
            if cell.broader:
                tip += f", {len(cell.broader)} against a broader attack type"
                more = f"&thinsp;+{len(cell.broader)}"
            cells.append(f"[{len(cell.attacks)}&thinsp;/&thinsp;{len(cell.defenses)}{more}]"
                         f"({rel(src, cell_page_path(model, attack))}){{ .kb-cell .{css} title=\"{tip}\" }}")
        indent = "&emsp;" * depth + ("↳ " if depth else "")
        rows.append(f"| {indent}[{esc(index.name(model))}]({rel(src, index.page(model))}) | " + " | ".join(cells)
                    + " |")
    gaps = sorted(((m, a, len(c.attacks)) for (m, a), c in grid.cells.items() if c.gap), key=lambda t: (-t[2], t))
    out = ["---", "hide:", "  - navigation", "  - toc", "---", "", "# Model × attack matrix", "",
           "Each cell counts the papers that **attack** a model family with an attack type, and the papers that "
           "**defend** it against that attack type (subtypes included on both axes); \"+B\" counts the defense "
           "papers against a broader (parent) attack type, which cover it too. Click a cell for its papers.",
           "", "<div class=\"kb-legend\" markdown>",
           "<span class=\"kb-cell kb-covered\">A / D</span> attacks and defenses "
           "<span class=\"kb-cell kb-gap\">A / 0</span> **gap**: attacks, no defense yet "
           "<span class=\"kb-cell kb-broader\">A / 0 +B</span> defended only against a broader attack type "
           "<span class=\"kb-cell kb-defonly\">0 / D</span> defenses only "
           "<span class=\"kb-empty\">·</span> nothing yet", "</div>", "",
           "<div class=\"kb-matrix\" markdown>", "", header, rule, *rows, "", "</div>", ""]
    if gaps:
        out += ["## Gaps", "", "Attacks with no defense paper yet, largest first.", ""]
        out += [f"- [{esc(index.name(m))} × {esc(index.name(a))}]({rel(src, cell_page_path(m, a))}): "
                f"{n} attack paper{'s' if n != 1 else ''}, no defense" for m, a, n in gaps]
        out.append("")
    return "\n".join(out)


def cell_page(index: SiteIndex, entries: Entries, grid: Matrix, model: str, attack: str) -> str:
    src = cell_page_path(model, attack)
    cell = grid.cell(model, attack)
    title = f"{esc(index.name(model))} × {esc(index.name(attack))}"
    out = [front_title(title) + f"# {title}", "",
           f"{entries.chip(model, src)} {entries.chip(attack, src)} · "
           f"[:material-table: back to the matrix]({rel(src, MATRIX_PAGE)})", "",
           f"<span class=\"kb-count\"><b>{len(cell.attacks)}</b> attack papers</span> "
           f"<span class=\"kb-count\"><b>{len(cell.defenses)}</b> defense papers</span>", ""]
    if cell.gap:
        out += ["!!! warning \"A gap\"", "",
                "    Attacks of this type on this model family have no defense paper in the knowledge base yet.", ""]
    elif cell.attacks and not cell.defenses:
        out += ["!!! note \"Defended only against a broader attack type\"", "",
                "    No defense paper names this attack type on this family; the papers listed last defend "
                "against a parent type.", ""]
    out += [f"## Attack papers <small>{len(cell.attacks)}</small>", "",
            entries.listing(index.newest(cell.attacks), src),
            f"## Defense papers <small>{len(cell.defenses)}</small>", "",
            entries.listing(index.newest(cell.defenses), src)]
    if cell.broader:
        out += [f"## Defenses against a broader attack type <small>{len(cell.broader)}</small>", "",
                f"These defend {entries.chip(model, src)} against a parent type of {entries.chip(attack, src)}, "
                "which covers it too.", "", entries.listing(index.newest(cell.broader), src)]
    return "\n".join(out)
