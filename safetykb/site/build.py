"""The site as data: `generate(graph)` returns every generated page and file, the nav and the hidden pages.

This is the pure part of the site build (graph in, `{path: content}` out). The
mkdocs hook (`mkdocs_hooks.py`) and `scripts/build_pages.py` only hand its
result to mkdocs or write it into a folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetykb.core.graph import build_graph
from safetykb.core.layout import SCHEMA_DIR, record_path
from safetykb.core.queries import Graph, matrix
from safetykb.core.validation import load_kb
from safetykb.export.bibtex import to_bibtex
from safetykb.export.formats import records_of, to_csv, to_graphml, to_json
from safetykb.site.context import SiteContext
from safetykb.site.entries import Entries
from safetykb.site.index import SiteIndex, build_index
from safetykb.site.pages_about import ABOUT_PAGE, about_page
from safetykb.site.pages_home import EXPLORER_DATA, downloads_page, explorer_data, explorer_page, home_page
from safetykb.site.pages_matrix import (
    MATRIX_PAGE,
    cell_page,
    cell_page_path,
    matrix_page,
    model_cells_page,
    model_cells_path,
)
from safetykb.site.pages_news import FEED, NEWS_INDEX, PAPERS_INDEX, atom_feed, news_pages, papers_index
from safetykb.site.pages_paper import paper_page, split_bibtex
from safetykb.site.pages_results import add_results
from safetykb.site.pages_results import navigation as results_nav
from safetykb.site.pages_stats import STATS_PAGE, statistics_page
from safetykb.site.pages_taxonomy import (
    RESOURCE_INDEX,
    attack_page,
    defense_page,
    kind_index,
    model_page,
    resource_page,
    resources_index,
)
from safetykb.site.redirects import redirects
from safetykb.site.text import esc

ASSET_DIR = Path(__file__).resolve().parent / "assets"
ASSET_PREFIX = "assets/safetykb/"
#: Hand-written pages kept in docs_dir (site_src/) that the nav lists.
STATIC_PAGES = ("contribute.md", "license.md")


@dataclass
class Site:
    """Generated Markdown pages, other files (downloads, assets, feed), pages kept out of the nav, the nav, and
    the repository file each record page is made from (its "edit this page" target)."""

    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, str | bytes] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    nav: list[Any] = field(default_factory=list)
    records: dict[str, str] = field(default_factory=dict)


def _tree_nav(index: SiteIndex, kind: str) -> list[Any]:
    def item(node: str) -> Any:
        kids = index.kids.get(node)
        if kids:
            return {esc(index.name(node)): [index.page(node), *(item(k) for k in kids)]}
        return index.page(node)

    return [f"{kind}s/index.md", *(item(r) for r in index.roots(kind))]


def navigation(index: SiteIndex) -> list[Any]:
    """Sections only: taxonomy trees, list pages, leaderboards; papers, resources, systems and matrix cells stay
    out (build cost)."""
    return [{"Home": "index.md"}, {"Models": _tree_nav(index, "model")}, {"Attacks": _tree_nav(index, "attack")},
            {"Defenses": _tree_nav(index, "defense")},
            {"Benchmarks": [RESOURCE_INDEX["benchmark"][0], RESOURCE_INDEX["dataset"][0]]},
            {"Results": results_nav(index)},
            {"Matrix": MATRIX_PAGE}, {"Explorer": ["explorer.md", PAPERS_INDEX, NEWS_INDEX]},
            {"Statistics": STATS_PAGE}, {"About": [ABOUT_PAGE, "downloads.md", *STATIC_PAGES]}]


def generate(graph: Graph, directory_urls: bool = True, context: SiteContext | None = None) -> Site:
    """Every generated page and file of the site, from the graph (and what the site knows of itself:
    addresses, sources, licences; `context.directory_urls` wins over `directory_urls`)."""
    context = context or SiteContext(directory_urls=directory_urls)
    directory_urls = context.directory_urls
    index = build_index(graph, directory_urls)
    entries = Entries(index)
    grid = matrix(graph)
    site = Site()
    pages = site.pages
    pages["index.md"] = home_page(index, entries)
    for kind in ("model", "attack", "defense"):
        pages[f"{kind}s/index.md"] = kind_index(index, entries, kind)
    for node in index.of("model"):
        pages[index.page(node)] = model_page(index, entries, grid, node)
    for node in index.of("attack"):
        pages[index.page(node)] = attack_page(index, entries, node)
    for node in index.of("defense"):
        pages[index.page(node)] = defense_page(index, entries, node)
    for kind in ("dataset", "benchmark"):
        pages[RESOURCE_INDEX[kind][0]] = resources_index(index, entries, kind)
        for node in index.of(kind):
            pages[index.page(node)] = resource_page(index, entries, node, context)
            site.hidden.add(index.page(node))
    for node, kind in index.kind.items():
        if kind != "paper":
            site.records[index.page(node)] = record_path(kind, node)
    papers = records_of(graph, "paper")
    bib = to_bibtex(papers)
    entries_bib = split_bibtex(bib, [p["id"] for p in papers])
    for paper in index.papers:
        pages[index.page(paper)] = paper_page(index, entries, paper, entries_bib[paper], context)
        site.hidden.add(index.page(paper))
        site.records[index.page(paper)] = record_path("paper", paper, index.rec(paper).get("year"))
    pages[PAPERS_INDEX] = papers_index(index, entries)
    pages.update(news_pages(index, entries))
    site.hidden.update(p for p in pages if p.startswith("whats-new/") and p != NEWS_INDEX)
    site.files[FEED] = atom_feed(index, context)
    pages[MATRIX_PAGE] = matrix_page(index, entries, grid)
    for (model, attack), cell in grid.cells.items():
        if cell.attacks or cell.defenses:
            path = cell_page_path(model, attack)
            pages[path] = cell_page(index, entries, grid, model, attack)
            site.hidden.add(path)
            if model_cells_path(model) not in pages:
                pages[model_cells_path(model)] = model_cells_page(index, entries, grid, model)
                site.hidden.add(model_cells_path(model))
    add_results(site, index, entries)
    pages[STATS_PAGE] = statistics_page(index)
    pages["explorer.md"] = explorer_page(directory_urls)
    site.files[EXPLORER_DATA] = explorer_data(index)
    site.files.update(redirects(index))  # the old address of every renamed paper
    site.files.update({"downloads/kb.json": to_json(graph), "downloads/papers.bib": bib,
                       "downloads/graph.graphml": to_graphml(graph), "downloads/papers.csv": to_csv(graph)})
    schemas = sorted(SCHEMA_DIR.glob("*.schema.json"))
    for schema in schemas:
        site.files[f"schemas/{schema.name}"] = schema.read_text(encoding="utf-8")
    pages["downloads.md"] = downloads_page(index, [f"schemas/{s.name}" for s in schemas])
    pages[ABOUT_PAGE] = about_page(index, context)
    for asset in sorted(ASSET_DIR.iterdir()):
        if asset.is_file():
            site.files[ASSET_PREFIX + asset.name] = asset.read_bytes()
    site.nav = navigation(index)
    return site


def load_site(root: Path, directory_urls: bool = True, context: SiteContext | None = None) -> Site:
    """Validate the records under root (raises InvalidKnowledgeBase), build the graph, generate the site."""
    return generate(build_graph(load_kb(root)), directory_urls, context)
