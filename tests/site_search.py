"""The built site's search index, whichever engine or indexer wrote it, read so a test can ask "is this findable?".

One reader per index format; `read_index(site)` takes the first whose files are there:

- lunr (mkdocs and ProperDocs, the search plugin under Material): `search/search_index.json`,
  `{"docs": [{location, title, text}]}`, searched by `assets/javascripts/workers/search.*.js`;
- zensical: `search.json`, `{"items": [{location, title, text}]}`, searched by the same-named worker;
- pagefind (a post-build indexer over the HTML): `pagefind/pagefind-entry.json` and
  `pagefind/fragment/*.pf_fragment` (gzip of `pagefind_dcd` + JSON `{url, content, meta: {title}}`),
  searched by `pagefind/pagefind.js`.

`SearchIndex.find(query)` answers with the pages (site-relative paths such as `papers/x/`) whose
indexed title and text contain every word of the query: a conservative stand-in for the clients,
which also match prefixes and stems. It proves the page is in the index under those words; that the
client in the browser shows it is for the browser tests (tests/browser/).
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
PAGEFIND_SIGNATURE = b"pagefind_dcd"


def words(text: str) -> set[str]:
    return set(_WORD.findall(html.unescape(_TAG.sub(" ", text)).lower()))


def page_of(location: str) -> str:
    """'papers/x/#bibtex' or '/papers/x/' -> 'papers/x/'; the home page is ''."""
    return location.split("#", 1)[0].lstrip("/")


@dataclass
class SearchIndex:
    """The documents of a site's search index: page -> the words of its title and text."""

    reader: str
    client: Path
    pages: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    titles: dict[str, str] = field(default_factory=dict)

    def add(self, location: str, title: str, text: str) -> None:
        page = page_of(location)
        self.pages[page] |= words(title) | words(text)
        if "#" not in location:
            self.titles.setdefault(page, html.unescape(_TAG.sub("", title)).strip())

    def find(self, query: str) -> list[str]:
        """Pages holding every word of the query, those whose title holds them first."""
        wanted = words(query)
        hits = [p for p, have in self.pages.items() if wanted <= have]
        return sorted(hits, key=lambda p: (not wanted <= words(self.titles.get(p, "")), p))


def _client(site: Path, pattern: str) -> Path:
    found = sorted(site.glob(pattern))
    if not found:
        raise AssertionError(f"the search index is there but its client is not: no {pattern} in {site}")
    return found[0]


def _lunr(site: Path, path: str, key: str, reader: str) -> SearchIndex | None:
    index_file = site / path
    if not index_file.is_file():
        return None
    index = SearchIndex(reader, _client(site, "assets/javascripts/workers/search.*.js"))
    for doc in json.loads(index_file.read_text(encoding="utf-8"))[key]:
        index.add(doc["location"], doc.get("title", ""), doc.get("text", ""))
    return index


def read_pagefind(site: Path) -> SearchIndex | None:
    if not (site / "pagefind" / "pagefind-entry.json").is_file():
        return None
    index = SearchIndex("pagefind", _client(site, "pagefind/pagefind.js"))
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        if not raw.startswith(PAGEFIND_SIGNATURE):
            raise AssertionError(f"{fragment}: not a Pagefind fragment (no {PAGEFIND_SIGNATURE!r} signature)")
        data = json.loads(raw[len(PAGEFIND_SIGNATURE):])
        index.add(data["url"], data.get("meta", {}).get("title", ""), data.get("content", ""))
    return index


READERS: dict[str, Callable[[Path], SearchIndex | None]] = {
    "pagefind": read_pagefind,
    "lunr": lambda site: _lunr(site, "search/search_index.json", "docs", "lunr"),
    "zensical": lambda site: _lunr(site, "search.json", "items", "zensical"),
}


def read_index(site: Path) -> SearchIndex:
    """The site's search index; fails naming every format looked for when there is none."""
    for read in READERS.values():
        index = read(site)
        if index is not None:
            return index
    raise AssertionError(f"no search index in {site}: looked for {', '.join(READERS)} "
                         "(add a reader to tests/site_search.py for a new search)")
