"""The model x attack matrix (from `safetykb.core.queries.matrix`) and one list page per non-empty cell."""

from __future__ import annotations

import posixpath

from safetykb.core.queries import Matrix
from safetykb.site.entries import Entries
from safetykb.site.index import SiteIndex
from safetykb.site.search_marks import PAGES, indexed, marks
from safetykb.site.tables import scroll_table
from safetykb.site.text import esc, front, page_url, rel

MATRIX_PAGE = "matrix/index.md"


def cell_page_path(model: str, attack: str) -> str:
    return f"matrix/{model}/{attack}.md"


def _near(index: SiteIndex, src: str, dest: str) -> str:
    """The shortest relative URL from the page at src to the page at dest (cells sit below the matrix)."""
    here, there = page_url(src, index.directory_urls), page_url(dest, index.directory_urls)
    folder = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    target = posixpath.relpath(there or ".", folder.rstrip("/") or ".")
    return target + ("/" if there.endswith("/") and not target.endswith("/") else "")


def _cell(index: SiteIndex, grid: Matrix, src: str, model: str, attack: str) -> str:
    cell = grid.cell(model, attack)
    if not (cell.attacks or cell.defenses):
        return '<span class="kb-empty" title="nothing yet">·</span>'
    css = "kb-gap" if cell.gap else ("kb-covered" if cell.attacks else "kb-defonly")
    if cell.attacks and not cell.defenses and cell.broader:
        css = "kb-broader"
    tip = f"{len(cell.attacks)} attack papers, {len(cell.defenses)} defense papers"
    more = ""
    if cell.broader:
        tip += f", {len(cell.broader)} against a broader attack type"
        more = f"&thinsp;+{len(cell.broader)}"
    return (f'<a class="kb-cell {css}" href="{_near(index, src, cell_page_path(model, attack))}" '
            f'title="{tip}">{len(cell.attacks)}&thinsp;/&thinsp;{len(cell.defenses)}{more}</a>')


def matrix_page(index: SiteIndex, entries: Entries, grid: Matrix) -> str:
    src = MATRIX_PAGE
    attacks = [a for a, _d in grid.attacks]
    headers = ["model family", *(f'<a href="{index.href(src, a)}">{esc(index.name(a))}</a>' for a in attacks)]
    rows = []
    for model, depth in grid.models:
        indent = "&emsp;" * depth + ("↳ " if depth else "")
        rows.append([f'{indent}<a href="{index.href(src, model)}">{esc(index.name(model))}</a>',
                     *(_cell(index, grid, src, model, attack) for attack in attacks)])
    gaps = sorted(((m, a, len(c.attacks)) for (m, a), c in grid.cells.items() if c.gap), key=lambda t: (-t[2], t))
    out = [front(description="Model families against attack types: how many papers attack each pair and how many "
                             "defend it, with the gaps where attacks have no defense yet.", hide=("navigation", "toc")),
           indexed("# Model × attack matrix\n\nEach cell counts the papers that **attack** a model family with an "
                   "attack type, and the papers that **defend** it against that attack type (subtypes included on "
                   "both axes), so the gaps, attacks with no defense yet, stand out; \"+B\" counts the defense "
                   "papers against a broader (parent) attack type, which cover it too. Click a cell for its papers."),
           marks("Model × attack matrix", "Page", PAGES),
           "<div class=\"kb-legend\" markdown>",
           "<span class=\"kb-cell kb-covered\">A / D</span> attacks and defenses "
           "<span class=\"kb-cell kb-gap\">A / 0</span> **gap**: attacks, no defense yet "
           "<span class=\"kb-cell kb-broader\">A / 0 +B</span> defended only against a broader attack type "
           "<span class=\"kb-cell kb-defonly\">0 / D</span> defenses only "
           "<span class=\"kb-empty\">·</span> nothing yet", "</div>", "",
           scroll_table("Model × attack matrix", headers, rows, "kb-matrix"), ""]
    if gaps:
        out += ["## Gaps", "", "Attacks with no defense paper yet, largest first.", ""]
        out += [f"- [{esc(index.name(m))} × {esc(index.name(a))}]({rel(src, cell_page_path(m, a))}): "
                f"{n} attack paper{'s' if n != 1 else ''}, no defense" for m, a, n in gaps]
        out.append("")
    return "\n".join(out)


def model_cells_path(model: str) -> str:
    return f"matrix/{model}/index.md"


def model_cells_page(index: SiteIndex, entries: Entries, grid: Matrix, model: str) -> str:
    """The folder page of one model family's row of the matrix: its non-empty cells."""
    src = model_cells_path(model)
    title = f"{esc(index.name(model))} in the matrix"
    rows = []
    for attack, _depth in grid.attacks:
        cell = grid.cell(model, attack)
        if cell.attacks or cell.defenses:
            rows.append([f'<a href="{index.href(src, attack)}">{esc(index.name(attack))}</a>',
                         _cell(index, grid, src, model, attack)])
    out = [front(title=title) + f"# {title}", "",
           f"{entries.chip(model, src)} · [:material-table: back to the matrix]({rel(src, MATRIX_PAGE)})", "",
           "Attack types with papers on this model family: attack papers / defense papers.", "",
           scroll_table(f"Attack types on {esc(index.name(model))}", ["attack type", "attack / defense papers"], rows)]
    return "\n".join(out)


def cell_page(index: SiteIndex, entries: Entries, grid: Matrix, model: str, attack: str) -> str:
    src = cell_page_path(model, attack)
    cell = grid.cell(model, attack)
    title = f"{esc(index.name(model))} × {esc(index.name(attack))}"
    description = esc(f"{len(cell.attacks)} attack papers and {len(cell.defenses)} defense papers on "
                      f"{index.name(model)} against {index.name(attack).lower()}.")
    out = [front(title=title, description=description) + f"# {title}", "",
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
