"""Home, explorer and downloads pages, and the explorer's data file."""

from __future__ import annotations

import json
from collections import Counter

from safetykb.core.records import authors_cut
from safetykb.site.entries import Entries, paper_url
from safetykb.site.index import SiteIndex
from safetykb.site.text import esc, rel, safe_url

NEWEST = 12
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


def home_page(index: SiteIndex, entries: Entries) -> str:
    src = "index.md"
    counts = Counter(index.kind.values())
    newest = sorted(index.papers, key=lambda p: str(index.rec(p).get("added") or ""), reverse=True)[:NEWEST]
    cards = [("paper", ":material-file-document-multiple-outline:", "papers", "explorer.md"),
             ("model", ":material-cube-outline:", "model families", "models/index.md"),
             ("attack", ":material-sword:", "attack types", "attacks/index.md"),
             ("defense", ":material-shield-half-full:", "defense types", "defenses/index.md"),
             ("benchmark", ":material-scale-balance:", "benchmarks", "benchmarks/index.md"),
             ("dataset", ":material-database:", "datasets", "benchmarks/index.md")]
    out = ["---", "hide:", "  - navigation", "  - toc", "---", "",
           "# Large-Model Safety Knowledge Base", "",
           "<p class=\"kb-lead\">A curated, cross-linked map of research on the safety of large models: which "
           "<b>attacks</b> exist, which <b>defenses</b> counter them, on which <b>model families</b>, measured by "
           "which <b>benchmarks</b>, in which <b>papers</b>. Every entry is a YAML record checked against a "
           "schema; this site is generated from them.</p>", "",
           f"[:material-table-search: Explore all papers]({rel(src, 'explorer.md')}){{ .md-button "
           f".md-button--primary }} [:material-grid: Model × attack matrix]({rel(src, 'matrix/index.md')})"
           f"{{ .md-button }} [:material-chart-bar: Statistics]({rel(src, 'statistics.md')}){{ .md-button }}", "",
           "<div class=\"kb-stats\" markdown>", ""]
    for kind, icon, label, page in cards:
        out.append(f"[{icon} <b>{counts.get(kind, 0)}</b> <span>{label}</span>]({rel(src, page)}){{ .kb-stat }}")
    out += ["", "</div>", "", "## Start from a model family", "", "<div class=\"grid cards\" markdown>", ""]
    for node in index.roots("model"):
        out += card(index, entries, node, src, [("papers", len(index.papers_under("targets", node)))])
    out += ["", "</div>", "", "## Start from a threat", "", "<div class=\"grid cards\" markdown>", ""]
    for node in index.roots("attack"):
        out += card(index, entries, node, src, [("attack papers", len(index.papers_under("proposes", node))),
                                                ("defense papers", len(index.papers_under("counters", node)))])
    out += ["", "</div>", "", "## Newest additions", "", entries.listing(newest, src),
            f"[All {len(index.papers)} papers in the explorer :material-arrow-right:]({rel(src, 'explorer.md')})", ""]
    return "\n".join(out)


def card(index: SiteIndex, entries: Entries, node: str, src: str, counts: list[tuple[str, int]]) -> list[str]:
    data = index.rec(node)
    desc = esc(data.get("description") or "")
    kids = ", ".join(esc(index.name(k)) for k in index.kids.get(node, []))
    numbers = " · ".join(f"**{n}** {label}" for label, n in counts)
    icon = {"model": ":material-cube-outline:", "attack": ":material-sword:"}.get(index.kind[node], "")
    lines = [f"-   {icon} **[{esc(index.name(node))}]({rel(src, index.page(node))})**", "", "    ---", ""]
    if desc:
        lines += [f"    {desc}", ""]
    if kids:
        lines += [f"    <small>Includes {kids}.</small>", ""]
    lines += [f"    {numbers}", ""]
    return lines


def explorer_page(directory_urls: bool) -> str:
    pattern = "papers/{id}/" if directory_urls else "papers/{id}.html"
    return "\n".join([
        "---", "hide:", "  - navigation", "  - toc", "---", "",
        "# Explorer", "",
        "Every paper in one table. Filter by model family, attack type, defense type, contribution, year, venue or "
        "any text; sort by clicking a column. The filters are kept in the address bar: copy it to share the view.",
        "",
        f"<div id=\"kb-explorer\" data-src=\"{EXPLORER_DATA}\" data-paper=\"{pattern}\">",
        "<noscript>The explorer needs JavaScript. The same data is on the downloads page.</noscript>",
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
    out = ["# Downloads", "",
           "The knowledge base in open formats, regenerated from the records on every build.", "",
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
