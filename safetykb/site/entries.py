"""Awesome-list entries and taxonomy chips, the building blocks of every paper listing.

An entry reads like a line of the best Awesome lists: date, title linked to the
paper page, paper and code links, authors, venue, the paper's one-line summary
when it has one, then small chips for the model families and threats. Entries depend only on the paper and on the
depth of the page that lists it, so they are rendered once per depth.

Entries, chips and listings are raw HTML (record text through `esc`, links to
final URLs through `SiteIndex.href`): Markdown passes such blocks through
untouched, where parsing thousands of inline links per build was most of its
time. The tests check that every internal link lands on a built page.
"""

from __future__ import annotations

from safetykb.core.records import authors_cut, publication_year
from safetykb.site.index import SiteIndex
from safetykb.site.text import esc, ext_anchor

MAX_AUTHORS = 6
_CHIP_CLASS = {"model": "kb-model", "attack": "kb-attack", "defense": "kb-defense",
               "dataset": "kb-data", "benchmark": "kb-data"}


def paper_url(links: dict[str, str]) -> str | None:
    """Where the paper itself can be read: explicit URL, arXiv abstract, or DOI."""
    if links.get("url"):
        return links["url"]
    if links.get("arxiv"):
        return f"https://arxiv.org/abs/{links['arxiv']}"
    if links.get("doi"):
        return f"https://doi.org/{links['doi']}"
    return None


def when(data: dict) -> str:
    return str(data.get("date") or data.get("year") or "")


def venue_text(data: dict) -> str:
    venue = esc(data.get("venue") or "")
    if data.get("venue_note"):
        venue += f" ({esc(data['venue_note'])})"
    year = publication_year(data)
    return f"{venue} {year}" if venue and year else venue


def authors_text(data: dict, limit: int = MAX_AUTHORS) -> str:
    """The first `limit` authors, then 'et al.' when more are left out or a source cut the list."""
    authors = data.get("authors") or []
    shown = ", ".join(esc(a) for a in authors[:limit])
    return shown + (" et al&#46;" if authors and (len(authors) > limit or authors_cut(data)) else "")


class Entries:
    """Renders entries and chips, caching each by the depth of the page that shows it."""

    def __init__(self, index: SiteIndex) -> None:
        self.index = index
        self._cache: dict[tuple[str, str], str] = {}

    def chip(self, node: str, src: str, label: str | None = None) -> str:
        kind = self.index.kind[node]
        text = label if label is not None else esc(self.index.name(node))
        # No icon per chip: thousands of inline SVGs made pages heavy; the chip's colour and dot show its kind.
        return f'<a class="kb-chip {_CHIP_CLASS[kind]}" href="{self.index.href(src, node)}">{text}</a>'

    def chip_nodes(self, paper: str) -> list[str]:
        """The taxonomy nodes a paper's chips show: model families, then threats, then defense types."""
        data = self.index.rec(paper)
        nodes: list[str] = list(data.get("models") or [])
        for field in ("attacks", "counters", "evaluates", "defenses"):
            nodes.extend(n for n in data.get(field) or [] if n not in nodes)
        return [n for n in nodes if n in self.index.kind]

    def chips(self, paper: str, src: str, omit: str | None = None) -> str:
        """Chips to the paper's taxonomy nodes; `omit` is the node of the page listing it (no chip to itself)."""
        return " ".join(self.chip(n, src) for n in self.chip_nodes(paper) if n != omit)

    def entry(self, paper: str, src: str, omit: str | None = None) -> str:
        """One HTML list item for a paper, for a page at `src` (the page of node `omit`, if any). The item
        carries the year, venue and contributions as data attributes for the in-page filter."""
        omit = omit if omit in self.chip_nodes(paper) else None
        key = (paper, str(self.index.depth(src)), omit or "")
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        data = self.index.rec(paper)
        links = data.get("links") or {}
        title = f'<a href="{self.index.href(src, paper)}">{esc(data["title"])}</a>'
        extra = []
        if (url := paper_url(links)) and (link := ext_anchor("paper", url, "kb-link")):
            extra.append(link)
        if links.get("code") and (link := ext_anchor("code", links["code"], "kb-link kb-code")):
            extra.append(link)
        method = f' <span class="kb-method">{esc(data["method"])}</span>' if data.get("method") else ""
        venue = venue_text(data)
        meta = " · ".join(p for p in (authors_text(data), f"<em>{venue}</em>" if venue else "")
                          if p)
        facets = (f' data-year="{esc(data.get("year") or "")}" data-venue="{esc(data.get("venue") or "")}"'
                  f' data-contrib="{esc(" ".join(data.get("contribution") or []))}"')
        summary = f'<span class="kb-summary">{esc(data["summary"])}</span>' if data.get("summary") else ""
        line = (f'<li{facets}><span class="kb-date">{esc(when(data))}</span> <strong>{title}</strong>{method} '
                f'{" ".join(extra)}<span class="kb-meta">{meta}</span>{summary}'
                f'<span class="kb-chips">{self.chips(paper, src, omit)}</span></li>')
        self._cache[key] = line
        return line

    def brief(self, paper: str, src: str, note: str = "") -> str:
        """A one-line list item: date, linked title, venue and a note (for related papers)."""
        data = self.index.rec(paper)
        tail = f' <span class="kb-why">{esc(note)}</span>' if note else ""
        return (f'<li><span class="kb-date">{esc(when(data))}</span> <a href="{self.index.href(src, paper)}">'
                f'{esc(data["title"])}</a> <span class="kb-venue">{venue_text(data)}</span>{tail}</li>')

    def listing(self, papers: list[str], src: str, omit: str | None = None) -> str:
        """A block of entries (already ordered by the caller)."""
        if not papers:
            return "*None yet.*\n"
        items = "\n".join(self.entry(p, src, omit) for p in papers)
        return f'<ul class="kb-entries">\n{items}\n</ul>\n'

    def briefs(self, items: list[tuple[str, str]], src: str) -> str:
        """A block of one-line items (paper, note), for related papers."""
        lines = "\n".join(self.brief(paper, src, note) for paper, note in items)
        return f'<ul class="kb-related">\n{lines}\n</ul>\n'
