"""What a page tells the search index (Pagefind's data attributes), in one place for every page kind.

A reader searches names, titles, methods, authors, aliases and summaries, so each
page wraps only those in `indexed(...)` (`data-pagefind-body`); listings, BibTeX,
related papers and navigation stay out of the index. `marks(...)` adds the result's
title and kind (`data-pagefind-meta`) and the search filters (`data-pagefind-filter`:
section, family, attack, defense, year, venue) as a hidden block that the index
reads and the reader never sees. Values are record text, so they go through `esc`.
"""

from __future__ import annotations

from collections.abc import Iterable

from safetykb.site.text import esc

#: The `section` filter's values, which the search box offers as tabs (kb-search.js reads them from the index).
PAPERS, TAXONOMY, RESOURCES, PAGES = "Papers", "Taxonomy", "Benchmarks and datasets", "Site pages"
RESULTS = "Results and systems"
#: Weight (Pagefind: 0-10, quadratic) of a taxonomy node's or resource's own names, so its page ranks above
#: the papers that mention it; a paper's method name gets the same weight.
NAME_WEIGHT = 10


def indexed(markdown: str) -> str:
    """Markdown whose text is searchable (Pagefind combines every data-pagefind-body block of a page)."""
    return f'<div class="kb-indexed" data-pagefind-body markdown>\n\n{markdown.strip()}\n\n</div>\n'


def weighted(html: str, weight: int = NAME_WEIGHT) -> str:
    """Inline HTML whose words count `weight` times as much when ranking."""
    return f'<span data-pagefind-weight="{weight}">{html}</span>'


def marks(title: str, kind: str, section: str, filters: Iterable[tuple[str, str]] = (),
          meta: Iterable[tuple[str, str]] = ()) -> str:
    """The hidden block of metadata (result title, kind, and any `meta`) and filters of one page (raw text in)."""
    spans = [f'<span data-pagefind-meta="title">{esc(title)}</span>',
             f'<span data-pagefind-meta="kind">{esc(kind)}</span>',
             f'<span data-pagefind-filter="section">{esc(section)}</span>']
    spans += [f'<span data-pagefind-meta="{name}">{esc(value)}</span>' for name, value in meta if value]
    seen: set[tuple[str, str]] = set()
    for name, value in filters:
        if value and (name, str(value)) not in seen:
            seen.add((name, str(value)))
            spans.append(f'<span data-pagefind-filter="{name}">{esc(value)}</span>')
    return f'<div class="kb-marks" hidden data-pagefind-ignore>{"".join(spans)}</div>\n'
