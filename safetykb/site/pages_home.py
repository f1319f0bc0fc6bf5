"""Home, explorer and downloads pages, and the explorer's data file."""

from __future__ import annotations

import functools
import json
from collections import Counter

from safetykb.core.records import authors_cut
from safetykb.site.entries import Entries, paper_url
from safetykb.site.index import SiteIndex
from safetykb.site.pages_matrix import MATRIX_PAGE
from safetykb.site.pages_news import FEED, NEWS_INDEX, PAPERS_INDEX, by_added, last_updated
from safetykb.site.pages_stats import STATS_PAGE
from safetykb.site.search_marks import PAGES, indexed, marks
from safetykb.site.text import esc, file_href, front, href, rel, safe_url

NEWEST = 8
EXPLORER_DATA = "assets/safetykb/papers.json"
DOWNLOADS = (("downloads/kb.json", "JSON", ":material-code-json:",
              "The whole knowledge base: `schema_version`, `metadata` (version, licences, sources), then papers, "
              "models, attacks, defenses, datasets, benchmarks, evaluated systems and result sets, each a list of "
              "records with the field names of the schemas."),
             ("downloads/papers.bib", "BibTeX", ":material-format-quote-close:",
              "Every paper as a BibTeX entry; keys are the record ids (`gong2023figstep`)."),
             ("downloads/graph.graphml", "GraphML", ":material-graph-outline:",
              "The knowledge graph: one node per record, typed edges (`targets`, `proposes`, `counters`, "
              "`evaluates`, `introduces`, `uses`, `subtype_of`). Opens in networkx, Gephi, yEd."),
             ("downloads/papers.csv", "CSV", ":material-table:", "One row per paper, for spreadsheets."),
             ("downloads/results.csv", "Results CSV", ":material-podium:",
              "One row per published result figure (source, benchmark, setting, metric, system, category, value)."))


#: The magnifier of the search boxes (Material's icon, inline: nothing to load).
MAGNIFY = ('<svg class="kb-search__icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M9.5 3A6.5 6.5 0 0 1 16 '
           '9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 '
           '1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>')


def search_box(src: str, directory_urls: bool, box_id: str) -> str:
    """A search form that kb-search.js turns into live Pagefind search; without JavaScript it submits the
    words to the explorer's text filter."""
    action = href(src, "explorer.md", directory_urls)
    return (f'<form class="kb-search" role="search" action="{action}" method="get" data-kb-search>'
            f'<label class="kb-search__label" for="{box_id}">Search papers, methods, authors, attack and defense '
            f'types, benchmarks</label><div class="kb-search__bar">{MAGNIFY}<input id="{box_id}" '
            'class="kb-search__input" type="search" name="q" placeholder="FigStep, backdoor, Yichen Gong, LVLM…" '
            'autocomplete="off" autocapitalize="off" spellcheck="false"></div></form>')


def home_page(index: SiteIndex, entries: Entries) -> str:
    src = "index.md"
    counts = Counter(index.kind.values())
    newest = by_added(index)[:NEWEST]
    stats = [("paper", "papers", "papers/index.md"), ("model", "model families", "models/index.md"),
             ("attack", "attack types", "attacks/index.md"), ("defense", "defense types", "defenses/index.md"),
             ("benchmark", "benchmarks", "benchmarks/index.md"), ("dataset", "datasets", "datasets/index.md")]
    link = functools.partial(href, src, directory_urls=index.directory_urls)
    updated = last_updated(index)
    numbers = "".join(f'<a class="kb-stat" href="{link(page)}"><b>{counts.get(kind, 0)}</b> <span>{label}</span></a>'
                      for kind, label, page in stats)
    out = [front(description=esc(f"A curated, cross-linked map of large-model safety research: {len(index.papers)} "
                                 "papers on attacks, defenses, model families and benchmarks."),
                 hide=("navigation", "toc")),
           '<div class="kb-hero" markdown>', "",
           "# Large-Model Safety Knowledge Base", "",
           "<p class=\"kb-lead\">Which <b>attacks</b> exist on large models, which <b>defenses</b> counter them, "
           "on which <b>model families</b>, measured by which <b>benchmarks</b>: research papers as checked, "
           "cross-linked records.</p>", "",
           search_box(src, index.directory_urls, "kb-q-home"), "",
           f'<nav class="kb-stats" aria-label="The knowledge base in numbers">{numbers}</nav>', "",
           f'<p class="kb-updated">Updated {esc(updated or "–")} · <a href="{link(NEWS_INDEX)}">What\'s new</a> · '
           f'<a href="{file_href(src, FEED, index.directory_urls)}">Atom feed</a> · '
           f'<a href="{link("explorer.md")}">Explorer</a> · '
           f'<a href="{link(MATRIX_PAGE)}">Model × attack matrix</a> · <a href="{link(STATS_PAGE)}">Statistics</a></p>',
           "", "</div>", "",
           "## Newest additions", "", entries.listing(newest, src),
           f"[All {len(index.papers)} papers :material-arrow-right:]({rel(src, PAPERS_INDEX)}) · "
           f"[What's new, month by month :material-arrow-right:]({rel(src, NEWS_INDEX)})", "",
           "## Browse", "", '<div class="grid kb-browse" markdown>', "",
           '<section class="kb-tree" markdown>', "", "### Model families", "",
           tree_counts(index, entries, src, "model", [("targets", "papers")]), "</section>", "",
           '<section class="kb-tree" markdown>', "", "### Threats", "",
           tree_counts(index, entries, src, "attack", [("proposes", "attack"), ("counters", "defense")]), "</section>",
           "", "</div>", ""]
    return "\n".join(out)


def tree_counts(index: SiteIndex, entries: Entries, src: str, kind: str, counts: list[tuple[str, str]]) -> str:
    """Top-level nodes of a tree with their paper counts and subtypes, as a compact list."""
    lines = ['<ul class="kb-roots">']
    for node in index.roots(kind):
        numbers = " · ".join(f"{len(index.papers_under(relation, node))} {label}" for relation, label in counts)
        kids = ", ".join(f'<a href="{index.href(src, k)}">{esc(index.name(k))}</a>' for k in index.kids.get(node, []))
        sub = f'<span class="kb-roots__kids">{kids}</span>' if kids else ""
        lines.append(f'<li><a href="{index.href(src, node)}"><strong>{esc(index.name(node))}</strong></a> '
                     f'<span class="kb-roots__n">{numbers}</span>{sub}</li>')
    return "\n".join(lines) + "\n</ul>\n"


def explorer_page(directory_urls: bool) -> str:
    pattern = "papers/{id}/" if directory_urls else "papers/{id}.html"
    intro = ["# Explorer", "",
             "Every paper in one table. Filter by model family, attack type, defense type, contribution, year, venue "
             "(several values each) or any text; sort by clicking a column. The filters are kept in the address bar: "
             "copy it to share the view."]
    return "\n".join([
        front(description="Every paper of the knowledge base in one sortable table, filtered by model family, attack "
                          "and defense type, contribution, year, venue and text.", hide=("navigation", "toc"))
        + indexed("\n".join(intro)), marks("Explorer: every paper in one table", "Page", PAGES),
        f"<div id=\"kb-explorer\" data-src=\"{EXPLORER_DATA}\" data-paper=\"{pattern}\">",
        "<noscript>The explorer needs JavaScript. The same data is on the downloads page, and every paper is listed "
        "on the What's new pages.</noscript>",
        "</div>", ""])


def _expand(index: SiteIndex, ids: list[str]) -> list[str]:
    found: list[str] = []
    for node in ids:
        for up in index.up.get(node, [node]):
            if up not in found:
                found.append(up)
    return found


def explorer_data(index: SiteIndex) -> str:
    """The explorer's JSON: taxonomy names and trees, then one compact row per paper, newest first."""
    rows = []
    for paper in index.papers:
        d = index.rec(paper)
        links = d.get("links") or {}
        threats = [*(d.get("attacks") or []), *(d.get("counters") or []), *(d.get("evaluates") or [])]
        rows.append({
            "id": paper, "t": d["title"], "d": str(d.get("date") or d.get("year")), "y": d["year"],
            "v": d.get("venue") or "", "a": d.get("authors") or [], "me": d.get("method") or "",
            "u": safe_url(paper_url(links)) or "", "co": safe_url(links.get("code")) or "",
            "c": d.get("contribution") or [], "m": d.get("models") or [],
            "th": list(dict.fromkeys(threats)), "df": d.get("defenses") or [],
            "M": _expand(index, d.get("models") or []), "A": _expand(index, threats),
            "D": _expand(index, d.get("defenses") or []),
            **({"ac": False} if authors_cut(d) else {}),  # a cut author list: the row says "et al."
        })
    trees = {kind: [[n, depth] for n, depth in index.trees[kind]] for kind in ("model", "attack", "defense")}
    names = {n: index.name(n) for n in index.kind if index.kind[n] in ("model", "attack", "defense")}
    payload = {"names": names, "trees": trees, "papers": rows}
    # Plain JSON read by fetch(); the page inserts every value with textContent, never as HTML.
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def downloads_page(index: SiteIndex, schema_files: list[str]) -> str:
    src = "downloads.md"
    intro = ["# Downloads", "", "The knowledge base in open formats (JSON, BibTeX, GraphML, CSV) and the JSON Schemas "
             "of its records, regenerated from the records on every build."]
    out = [front(description="The knowledge base in open formats: JSON, BibTeX, GraphML, CSV, and the JSON Schemas "
                             "of its records.") + indexed("\n".join(intro)), marks("Downloads", "Page", PAGES),
           "<div class=\"grid cards\" markdown>", ""]
    for path, label, icon, text in DOWNLOADS:
        name = path.rsplit("/", 1)[-1]
        out += [f"-   {icon} **[{name}]({rel(src, path)})** — {label}", "", "    ---", "", f"    {text}", ""]
    out += ["</div>", "", "## JSON Schemas", "",
            "Each record kind has a strict JSON Schema (unknown keys are errors). Editors that speak the YAML "
            "language server validate a record as you type through its first line, for example "
            "`# yaml-language-server: $schema=../../safetykb/schemas/paper.schema.json`.", "",
            "| kind | schema |", "|---|---|"]
    for path in schema_files:
        name = path.rsplit("/", 1)[-1]
        out.append(f"| {name.split('.')[0]} | [{name}]({rel(src, path)}) |")
    out += ["", f"{len(index.papers)} papers, generated from the records at build time.", ""]
    return "\n".join(out)
