"""Metadata from the arXiv export API (Atom XML) and Crossref (/works/DOI JSON), with a timeout.

Every way a request can go wrong ends as a `FetchError` whose message says what
happened and what to do (offline, timed out, not found, malformed answer), so
the command line prints one sentence instead of a traceback; `Unreachable` is the
one that means "no network to this host". HTTP 429 and 503 are retried after the
service's Retry-After (capped) when the caller allows retries. Base URLs come
from $SAFETYKB_ARXIV_API and $SAFETYKB_CROSSREF_API when set (tests point them
at a local server). `arxiv_entry` and `crossref_work` read one paper of an answer;
the title search of `safetykb.metadata.search` shares them.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from safetykb import __version__
from safetykb.metadata.model import Metadata, Person, clean_text, split_name
from safetykb.metadata.venues import known_venue, short_venue

ARXIV_API = "https://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org"
DEFAULT_TIMEOUT = 10.0
#: Answers larger than this are not metadata.
MAX_BYTES = 2 * 1024 * 1024
USER_AGENT = f"safetykb-add-paper/{__version__} (https://github.com/safetykb; contributor tool)"

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


class FetchError(Exception):
    """A request that gave no usable metadata; the message is for the contributor."""


class NotFound(FetchError):
    """The service answered, and it does not know the paper."""


class Refused(FetchError):
    """The service limits or refuses requests (HTTP 429/503 after the retries, 401, 403): asking again soon
    is pointless."""


class Unreachable(FetchError):
    """No connection to the host at all (no network, DNS failure, connection refused)."""

    def __init__(self, message: str, host: str, reason: str = "") -> None:
        super().__init__(message)
        self.host, self.reason = host, reason


#: Longest wait for a service's Retry-After before giving up on that request.
MAX_RETRY_WAIT = 60.0
#: Wait when a 429/503 answer names no Retry-After.
DEFAULT_RETRY_WAIT = 5.0


def arxiv_base() -> str:
    return os.environ.get("SAFETYKB_ARXIV_API") or ARXIV_API


def crossref_base() -> str:
    return (os.environ.get("SAFETYKB_CROSSREF_API") or CROSSREF_API).rstrip("/")


def get(url: str, timeout: float, accept: str, *, retries: int = 0,
        sleep: Callable[[float], None] = time.sleep) -> bytes:
    """The body of a GET request, or FetchError saying why there is none. HTTP 429 (too many requests)
    and 503 (busy) are tried again up to `retries` times, after the Retry-After the service names."""
    host = urllib.parse.urlsplit(url).netloc or url
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    attempt = 0
    while True:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                body = response.read(MAX_BYTES + 1)
            break
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise NotFound(f"{host} does not know it (HTTP 404)") from None
            if exc.code in (429, 503) and attempt < retries:
                attempt += 1
                sleep(retry_wait(exc.headers.get("Retry-After") if exc.headers else None))
                continue
            if exc.code in (429, 503):
                tries = f" after {attempt + 1} tries" if attempt else ""
                raise Refused(f"{host} answered HTTP {exc.code} {exc.reason}{tries}: it is busy or limits "
                              "requests; try again later") from None
            if exc.code in (401, 403):
                raise Refused(f"{host} answered HTTP {exc.code} {exc.reason}: it refuses these requests") from None
            raise FetchError(f"{host} answered HTTP {exc.code} {exc.reason}: try again later") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise FetchError(_timeout_message(host, timeout)) from None
            raise Unreachable(f"cannot reach {host} ({exc.reason}): are you offline? "
                              "Without a network, give the paper as a BibTeX entry instead", host,
                              str(exc.reason)) from None
        except TimeoutError:
            raise FetchError(_timeout_message(host, timeout)) from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"the connection to {host} failed ({exc.__class__.__name__}: {exc}): "
                             "try again, or give the paper as a BibTeX entry") from None
    if len(body) > MAX_BYTES:
        raise FetchError(f"{host} sent more than {MAX_BYTES // 1024 // 1024} MiB: not a metadata answer")
    return body


def retry_wait(value: str | None) -> float:
    """Seconds to wait for a Retry-After header (seconds or an HTTP date), at most MAX_RETRY_WAIT."""
    if not value:
        return DEFAULT_RETRY_WAIT
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_WAIT
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_WAIT))


def _timeout_message(host: str, timeout: float) -> str:
    return (f"no answer from {host} within {timeout:g} s: try again, raise --timeout, "
            "or give the paper as a BibTeX entry")


# ---------------------------------------------------------------- arXiv

def fetch_arxiv(arxiv_id: str, timeout: float = DEFAULT_TIMEOUT) -> Metadata:
    """The metadata of an arXiv paper (bare id, version ignored) from the export API."""
    bare = re.sub(r"v\d+$", "", arxiv_id)
    url = f"{arxiv_base()}?{urllib.parse.urlencode({'id_list': bare, 'max_results': 1})}"
    try:
        body = get(url, timeout, "application/atom+xml")
    except NotFound:
        raise NotFound(f"arXiv has no paper {bare}: check the id") from None
    return parse_arxiv(body, bare)


def arxiv_feed(body: bytes, malformed: str) -> list[ET.Element]:
    """The <entry> elements of an arXiv API Atom feed; FetchError (saying `malformed`) when it is none."""
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise FetchError(f"{malformed} (it declares a DOCTYPE, which Atom feeds never do)")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FetchError(f"{malformed} (not XML: {exc})") from None
    if root.tag != f"{_ATOM}feed":
        raise FetchError(f"{malformed} (not an Atom feed)")
    return root.findall(f"{_ATOM}entry")


def arxiv_error(entry: ET.Element) -> str | None:
    """The message of an arXiv API error entry, None for a paper."""
    if "/api/errors" in (entry.findtext(f"{_ATOM}id") or ""):
        return clean_text(entry.findtext(f"{_ATOM}summary") or "an error")
    return None


def arxiv_entry(entry: ET.Element, malformed: str) -> Metadata | None:
    """One paper of an arXiv feed: None when it has no title or authors, FetchError when it has no id or
    first-version date."""
    entry_id = (entry.findtext(f"{_ATOM}id") or "").strip()
    found = re.search(r"arxiv\.org/abs/(.+?)(v\d+)?$", entry_id)
    if not found:
        raise FetchError(f"{malformed} (an entry has no arXiv id: {entry_id or 'empty'})")
    bare = found.group(1)
    title = clean_text(entry.findtext(f"{_ATOM}title") or "")
    names = [clean_text(a.findtext(f"{_ATOM}name") or "") for a in entry.findall(f"{_ATOM}author")]
    authors = [split_name(n) for n in names if n]
    published = (entry.findtext(f"{_ATOM}published") or "").strip()
    if not title or not authors:
        return None
    if not re.match(r"^\d{4}-\d{2}-\d{2}", published):
        raise FetchError(f"{malformed} (no first-version date for {bare})")
    meta = Metadata(title=title, authors=authors, year=int(published[:4]), date=published[:10],
                    where=f"arXiv {bare}", venue="arXiv", arxiv=bare, source="arxiv", first_version=True)
    doi = (entry.findtext(f"{_ARXIV}doi") or "").strip()
    if doi:
        meta.doi = doi
    journal_ref = clean_text(entry.findtext(f"{_ARXIV}journal_ref") or "")
    if journal_ref:
        venue = known_venue(journal_ref)
        if venue and venue != "arXiv":
            meta.venue, meta.venue_note = short_venue(journal_ref)
            meta.venue_year = year_in(journal_ref)
            meta.notes.append(f"venue {meta.venue} taken from arXiv's journal reference '{journal_ref}'")
        else:
            meta.notes.append(f"arXiv's journal reference says '{journal_ref}': if it is published, "
                              "pass --venue with its short name")
    return meta


def year_in(text: str) -> int | None:
    """The last plausible year (1990-2099) written in a venue text ('AAAI 2025' -> 2025), or None."""
    years = re.findall(r"(?<!\d)(199\d|20\d\d)(?!\d)", text)
    return int(years[-1]) if years else None


def parse_arxiv(body: bytes, bare: str) -> Metadata:
    """Metadata from an arXiv API Atom feed asked for one id."""
    malformed = f"the arXiv API sent a malformed answer for {bare}"
    entries = arxiv_feed(body, malformed)
    if not entries:
        raise NotFound(f"arXiv has no paper {bare}: check the id")
    entry = entries[0]
    why = arxiv_error(entry)
    if why is not None:
        raise NotFound(f"arXiv refuses the id {bare}: {why}")
    entry_id = (entry.findtext(f"{_ATOM}id") or "").strip()
    found = re.search(r"arxiv\.org/abs/(.+?)(v\d+)?$", entry_id)
    if not found or found.group(1) != bare:
        raise FetchError(f"{malformed} (it describes {entry_id or 'no id'}, not {bare})")
    meta = arxiv_entry(entry, malformed)
    if meta is None:
        raise NotFound(f"arXiv has no paper {bare} (its answer has no title or authors): check the id")
    return meta


# ---------------------------------------------------------------- Crossref

def fetch_crossref(doi: str, timeout: float = DEFAULT_TIMEOUT) -> Metadata:
    """The metadata of a DOI from Crossref's /works endpoint."""
    url = f"{crossref_base()}/works/{urllib.parse.quote(doi, safe='/:;()')}"
    try:
        body = get(url, timeout, "application/json")
    except NotFound:
        raise NotFound(f"Crossref has no DOI {doi}: check it (arXiv DOIs 10.48550/... are looked up "
                       "on arXiv; other registries' DOIs need a BibTeX entry)") from None
    return parse_crossref(body, doi)


def parse_crossref(body: bytes, doi: str) -> Metadata:
    """Metadata from a Crossref /works/DOI answer."""
    malformed = f"Crossref sent a malformed answer for {doi}"
    message = crossref_message(body, malformed)
    if not isinstance(message, dict):
        raise FetchError(f"{malformed} (no `message` object)")
    return crossref_work(message, doi, malformed)


def crossref_message(body: bytes, malformed: str) -> Any:
    """The `message` of a Crossref answer (an object for one work, a list of items for a search)."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"{malformed} (not JSON: {exc})") from None
    if not isinstance(payload, dict) or "message" not in payload:
        raise FetchError(f"{malformed} (no `message` object)")
    return payload["message"]


def crossref_work(message: dict[str, Any], doi: str, malformed: str) -> Metadata:
    """One Crossref work: title, authors, DOI, publication date, venue (with the edition's year)."""
    title = clean_text(_first(message.get("title")) or "", markup=True)
    authors = [p for p in (_crossref_person(a) for a in message.get("author") or []) if p]
    if not title:
        raise FetchError(f"{malformed} (no title)")
    if not authors:
        raise FetchError(f"Crossref lists no authors for {doi}: give the paper as a BibTeX entry instead")
    parts = _date_parts(message)
    if not parts:
        raise FetchError(f"{malformed} (no publication date)")
    year = parts[0]
    date = "-".join([f"{year:04d}", *(f"{p:02d}" for p in parts[1:3])]) if len(parts) > 1 else None
    meta = Metadata(title=title, authors=authors, year=year, date=date, where=f"Crossref {doi}",
                    doi=str(message.get("DOI") or doi), source="crossref")
    containers = _all(message.get("container-title"))
    shorts = _all(message.get("short-container-title"))
    container = containers[0] if containers else ""
    short = shorts[0] if shorts else ""
    if message.get("type") == "posted-content" and "arxiv" in str(message.get("institution", "")).lower():
        meta.venue = "arXiv"
    elif container or short:
        for text in (*containers, *shorts):  # "Lecture Notes in Computer Science", "Computer Vision - ECCV 2024"
            if known_venue(text):
                meta.venue, meta.venue_note = short_venue(text)
                meta.venue_year = year_in(text) or _event_year(message) or year
                break
        else:
            meta.venue = short or container
            meta.venue_year = year_in(meta.venue) or _event_year(message) or year
            meta.notes.append(f"venue '{meta.venue}' is not in the venue table: shorten it with --venue if "
                              "it has a usual short name")
    return meta


def _event_year(message: dict[str, Any]) -> int | None:
    """The year a proceedings' event started, when Crossref records the event."""
    event = message.get("event")
    if isinstance(event, dict):
        start = event.get("start")
        if isinstance(start, dict):
            parts = (start.get("date-parts") or [[]])[0]
            if parts and isinstance(parts[0], int) and 1900 < parts[0] < 2200:
                return parts[0]
        name = event.get("name")
        if isinstance(name, str):
            return year_in(name)
    return None


def _all(value: Any) -> list[str]:
    """Every non-empty string of a Crossref list field, as plain text."""
    values = value if isinstance(value, list) else [value]
    return [clean_text(v, markup=True) for v in values if isinstance(v, str) and v.strip()]


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, str) and v.strip()), None)
    return value if isinstance(value, str) else None


def _crossref_person(author: Any) -> Person | None:
    if not isinstance(author, dict):
        return None
    family = clean_text(str(author.get("family") or ""), markup=True)
    given = clean_text(str(author.get("given") or ""), markup=True)
    if family:
        return Person(given, family)
    name = clean_text(str(author.get("name") or ""), markup=True)
    return Person("", name) if name else None


def _date_parts(message: dict[str, Any]) -> list[int]:
    for key in ("issued", "published", "published-online", "published-print", "created"):
        value = message.get(key)
        if isinstance(value, dict):
            parts = (value.get("date-parts") or [[]])[0]
            if parts and all(isinstance(p, int) for p in parts) and 1900 < parts[0] < 2200:
                return list(parts)
    return []
