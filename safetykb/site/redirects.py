"""Redirect pages: the address of every former id of a paper leads to the paper's page.

A paper renamed by scripts/refresh.py (its year, hence its id, changed) keeps its old ids in
`former_ids`. For each one, `redirects(index)` returns a small HTML file at the URL the old paper page
had (`papers/<old>/index.html`, or `papers/<old>.html` without directory URLs): an immediate meta
refresh, a canonical link and a visible link to the new page, so old links, bookmarks and citations
keep working with no script. Like every page, a pure function of the graph.
"""

from __future__ import annotations

from safetykb.core.queries import former_ids
from safetykb.site.index import SiteIndex, page_of
from safetykb.site.text import esc, href, page_url


def redirect_path(old: str, directory_urls: bool = True) -> str:
    """Where the page of a paper with id `old` was served, as a file of the built site."""
    url = page_url(page_of("paper", old), directory_urls)
    return url + "index.html" if url.endswith("/") else url


def redirect_page(old: str, new: str, title: str, target: str) -> str:
    """The HTML of one redirect (record text through `esc`; ids are slugs, the target a relative URL)."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved: {esc(title)}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
<meta name="robots" content="noindex">
</head>
<body>
<p>This paper moved: its id <code>{esc(old)}</code> is now <code>{esc(new)}</code>.
<a href="{target}">{esc(title)}</a></p>
</body>
</html>
"""


def redirects(index: SiteIndex) -> dict[str, str]:
    """{file path: HTML} for every former id of every paper."""
    out = {}
    for old, new in sorted(former_ids(index.graph).items()):
        if new not in index.kind:
            continue
        target = href(page_of("paper", old), index.page(new), index.directory_urls)
        out[redirect_path(old, index.directory_urls)] = redirect_page(old, new, index.rec(new)["title"], target)
    return out
