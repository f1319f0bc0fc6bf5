"""The website: pages generated from the knowledge graph at build time.

`generate(graph, context=...)` (in `build.py`) is a pure function from the graph
and the site's context (`context.py`: its address, repository, sources and
licences) to every generated page and file (`redirects.py`: the old address of
every renamed paper leads to its page; leaderboards, system pages and the Results
section come from `pages_results.py`); `mkdocs_hooks.py` hands them to mkdocs (with the shortcuts of
`fastbuild.py`, which change its cost, never its output), and
`scripts/build_pages.py` writes them into a folder (for Zensical or any other
static site tool). After a build, `search_index.py` runs Pagefind over the HTML
(the hook does it; `scripts/index_site.py` for other builders).
"""

from safetykb.site.build import Site, generate, load_site

__all__ = ["Site", "generate", "load_site"]
