"""Looking a paper up by its title and first author in the arXiv API, Crossref and OpenAlex (no API keys).

A search returns candidates, never a verdict: whether a candidate is the paper is decided by
`safetykb.metadata.matching`. One request per service and paper (plus `arxiv_id` / `crossref_doi`,
which ask the issuing service about an id another service named):

- arXiv: the export API's `search_query=ti:"<title words>"` (Atom; read by `fetch.arxiv_entry`);
  candidates carry the first version's date (`first_version`), and a venue where arXiv's journal
  reference names one with its year;
- Crossref: `/works?query.bibliographic=<title>&query.author=<family>` (JSON; read by
  `fetch.crossref_work`): DOI, publication date, venue and the edition's year;
- OpenAlex: `/works?filter=title.search:<title words>`: DOI and arXiv id (from its locations), title,
  authors (`is_authors_truncated` marks a cut list). OpenAlex merges preprints with published versions,
  so its year is not the venue's and no venue is taken from it.

Politeness: at most one request per `delay` seconds to a host (arXiv asks for three), and HTTP 429/503
are retried after Retry-After; a service that still refuses (or answers 401/403) is not asked again in
that run, so a limit costs one wait, not one per paper. Base URLs: $SAFETYKB_ARXIV_API,
$SAFETYKB_CROSSREF_API and $SAFETYKB_OPENALEX_API (tests point them at a 127.0.0.1 server with recorded
answers).
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from safetykb.metadata.fetch import (
    DEFAULT_TIMEOUT,
    FetchError,
    Refused,
    arxiv_base,
    arxiv_entry,
    arxiv_error,
    arxiv_feed,
    crossref_base,
    crossref_message,
    crossref_work,
    get,
    parse_arxiv,
    parse_crossref,
)
from safetykb.metadata.model import Metadata, clean_text, split_name

OPENALEX_API = "https://api.openalex.org"
#: Candidates asked for per service and paper.
ROWS = 5
#: The services in the order they are asked, by refresh's source names.
SERVICES = ("arxiv", "crossref", "openalex")
#: Seconds between two requests to one host, per service (arXiv's terms ask for three).
DELAYS = {"arxiv": 3.0, "crossref": 1.0, "openalex": 1.0}


def openalex_base() -> str:
    return (os.environ.get("SAFETYKB_OPENALEX_API") or OPENALEX_API).rstrip("/")


def title_words(title: str) -> str:
    """The title's letters, digits and spaces: what a phrase or filter search can take."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", title).split())


@dataclass
class Searcher:
    """Title searches with a per-host pause and retries; `sleep` and `clock` are replaceable in tests."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = 3
    delays: dict[str, float] = field(default_factory=lambda: dict(DELAYS))
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict)
    requests: int = 0
    #: Services that refused or rate-limited us past the retries: not asked again in this run.
    stopped: dict[str, str] = field(default_factory=dict)

    def search(self, service: str, title: str, family: str) -> list[Metadata]:
        """Candidates of one service for a title and a first author's family name."""
        return _SEARCHES[service](self, title, family)

    def _get(self, service: str, url: str, accept: str) -> bytes:
        if service in self.stopped:
            raise FetchError(f"not asked: {self.stopped[service]}")
        wait = self.delays.get(service, 0.0) - (self.clock() - self._last.get(service, -1e9))
        if wait > 0:
            self.sleep(wait)
        try:
            self.requests += 1
            return get(url, self.timeout, accept, retries=self.retries, sleep=self.sleep)
        except Refused as exc:
            self.stopped[service] = f"{exc} (earlier in this run)"
            raise
        finally:
            self._last[service] = self.clock()

    # ------------------------------------------------------------ arXiv

    def arxiv(self, title: str, family: str) -> list[Metadata]:
        words = title_words(title)
        query = urllib.parse.urlencode({"search_query": f'ti:"{words}"', "start": 0, "max_results": ROWS})
        body = self._get("arxiv", f"{arxiv_base()}?{query}", "application/atom+xml")
        return parse_arxiv_search(body)

    def arxiv_id(self, bare: str) -> Metadata:
        """One arXiv paper by its id (NotFound when arXiv does not have it)."""
        query = urllib.parse.urlencode({"id_list": bare, "max_results": 1})
        return parse_arxiv(self._get("arxiv", f"{arxiv_base()}?{query}", "application/atom+xml"), bare)

    # ------------------------------------------------------------ Crossref

    def crossref_doi(self, doi: str) -> Metadata:
        """One Crossref work by its DOI (NotFound when Crossref does not know it)."""
        url = f"{crossref_base()}/works/{urllib.parse.quote(doi, safe='/:;()')}"
        return parse_crossref(self._get("crossref", url, "application/json"), doi)

    def crossref(self, title: str, family: str) -> list[Metadata]:
        params = {"query.bibliographic": title, "rows": ROWS}
        if family:
            params["query.author"] = family
        body = self._get("crossref", f"{crossref_base()}/works?{urllib.parse.urlencode(params)}",
                         "application/json")
        return parse_crossref_search(body)

    # ------------------------------------------------------------ OpenAlex

    def openalex(self, title: str, family: str) -> list[Metadata]:
        words = title_words(title).replace(",", " ")
        params = {"filter": f"title.search:{words}", "per-page": ROWS}
        body = self._get("openalex", f"{openalex_base()}/works?{urllib.parse.urlencode(params)}",
                         "application/json")
        return parse_openalex_search(body)


_SEARCHES: dict[str, Callable[[Searcher, str, str], list[Metadata]]] = {
    "arxiv": Searcher.arxiv,
    "crossref": Searcher.crossref,
    "openalex": Searcher.openalex,
}


def parse_arxiv_search(body: bytes) -> list[Metadata]:
    """The papers of an arXiv API search feed (an error entry is a FetchError)."""
    malformed = "the arXiv API sent a malformed search answer"
    found = []
    for entry in arxiv_feed(body, malformed):
        why = arxiv_error(entry)
        if why is not None:
            raise FetchError(f"the arXiv API refused the search: {why}")
        meta = arxiv_entry(entry, malformed)
        if meta is not None:
            found.append(meta)
    return found


def parse_crossref_search(body: bytes) -> list[Metadata]:
    """The works of a Crossref /works search; items without title, authors or date are skipped."""
    malformed = "Crossref sent a malformed search answer"
    message = crossref_message(body, malformed)
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list):
        raise FetchError(f"{malformed} (no list of `items`)")
    found = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("DOI"), str):
            continue
        try:
            found.append(crossref_work(item, item["DOI"], malformed))
        except FetchError:
            continue  # a work Crossref knows too little about is no candidate
    return found


_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_ARXIV_PAGE = re.compile(r"^https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/([^?#]+?)(?:v\d+)?(?:\.pdf)?$", re.IGNORECASE)


def bare_doi(value: Any) -> str | None:
    """'https://doi.org/10.1/x' -> '10.1/x'."""
    if not isinstance(value, str) or not value.strip():
        return None
    return re.sub(r"^https?://(dx\.)?doi\.org/", "", value.strip(), flags=re.IGNORECASE)


def parse_openalex_search(body: bytes) -> list[Metadata]:
    """The works of an OpenAlex /works answer."""
    malformed = "OpenAlex sent a malformed search answer"
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"{malformed} (not JSON: {exc})") from None
    results = payload.get("results") if isinstance(payload, dict) else None
    if not isinstance(results, list):
        raise FetchError(f"{malformed} (no list of `results`)")
    return [meta for meta in (openalex_work(w) for w in results if isinstance(w, dict)) if meta is not None]


def openalex_work(work: dict[str, Any]) -> Metadata | None:
    """One OpenAlex work as a candidate: None without a title, authors or year."""
    title = clean_text(str(work.get("title") or work.get("display_name") or ""), markup=True)
    names = []
    for authorship in work.get("authorships") or []:
        author = authorship.get("author") if isinstance(authorship, dict) else None
        name = author.get("display_name") if isinstance(author, dict) else None
        if isinstance(name, str) and name.strip():
            names.append(name)
    year = work.get("publication_year")
    if not title or not names or not isinstance(year, int):
        return None
    meta = Metadata(title=title, authors=[split_name(n) for n in names], year=year,
                    where=f"OpenAlex {str(work.get('id') or '').rsplit('/', 1)[-1]}", source="openalex",
                    authors_complete=not work.get("is_authors_truncated"))
    date = work.get("publication_date")
    if isinstance(date, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        meta.date = date
    doi = bare_doi(work.get("doi") or (work.get("ids") or {}).get("doi"))
    on_arxiv = _ARXIV_DOI.match(doi or "")
    if on_arxiv:
        meta.arxiv = on_arxiv.group(1)
    elif doi:
        meta.doi = doi
    for location in work.get("locations") or []:
        page = location.get("landing_page_url") if isinstance(location, dict) else None
        found = _ARXIV_PAGE.match(page or "")
        if found and not meta.arxiv:
            meta.arxiv = found.group(1)
    return meta
