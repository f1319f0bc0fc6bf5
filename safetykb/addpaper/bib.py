"""BibTeX input through bibtexparser 2: every entry of a file or string as Metadata or a reason.

LaTeX accents and escapes are decoded (`M{\\"u}ller` -> Müller), protective braces
dropped, names split into given and family parts. A broken entry does not stop
the others: it comes back as a `BibItem` with `error` set and its line number.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.model import Entry

from safetykb.metadata.model import Metadata, Person, clean_text
from safetykb.metadata.venues import short_venue

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_ARXIV_IN_TEXT = re.compile(r"(?:arxiv[:\s]*|arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_ARXIV_BARE = re.compile(r"^(\d{4}\.\d{4,5})(?:v\d+)?$")


@dataclass
class BibItem:
    """One BibTeX entry: its key and 1-based line, and either metadata or what is wrong with it."""

    key: str
    line: int
    meta: Metadata | None = None
    error: str | None = None


def read_bibtex(text: str, where: str = "BibTeX") -> list[BibItem]:
    """Every entry of a BibTeX text, in order, broken ones included with their reason."""
    quiet = logging.getLogger("bibtexparser")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # broken entries are reported below, with their line, not logged
    try:
        library = bibtexparser.parse_string(
            text, append_middleware=[mw.LatexDecodingMiddleware(), mw.SeparateCoAuthors(), mw.SplitNameParts()])
    finally:
        quiet.setLevel(level)
    items: list[tuple[int, BibItem]] = []
    for block in library.entries:
        items.append((block.start_line, _item(block, where)))
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        raw = getattr(block, "raw", "") or ""
        key_match = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)", raw)
        key = getattr(block, "key", None) or (key_match.group(1) if key_match else "?")
        reason = _failure_reason(block)
        items.append((block.start_line or 0, BibItem(str(key), line, error=reason)))
    items.sort(key=lambda pair: pair[0])
    return [item for _line, item in items]


def _failure_reason(block: object) -> str:
    name = type(block).__name__
    if name == "DuplicateBlockKeyBlock":
        return f"the key '{getattr(block, 'key', '?')}' is used twice in the file"
    error = getattr(block, "error", None)
    text = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(error or "")
    text = " ".join(str(text).split()) or "it could not be parsed"
    return f"syntax error: {text} (look for a missing brace, quote or comma)"


def _item(entry: Entry, where: str) -> BibItem:
    line = entry.start_line + 1
    item = BibItem(entry.key, line)
    fields = {f.key.lower(): f.value for f in entry.fields}
    try:
        item.meta = _metadata(fields, f"{where}:{line} @{entry.entry_type}{{{entry.key}}}")
    except ValueError as exc:
        item.error = str(exc)
    return item


def _text(fields: dict[str, object], key: str) -> str:
    value = fields.get(key)
    return clean_text(value.replace("{", "").replace("}", "")) if isinstance(value, str) else ""


def _metadata(fields: dict[str, object], where: str) -> Metadata:
    title = _text(fields, "title")
    if not title:
        raise ValueError("no title")
    authors, notes = _people(fields.get("author"))
    if not authors:
        raise ValueError("no author")
    year_text = _text(fields, "year")
    if not re.fullmatch(r"\d{4}", year_text):
        raise ValueError(f"year '{year_text}' is not a four-digit year" if year_text else "no year")
    meta = Metadata(title=title, authors=authors, year=int(year_text), where=where, notes=notes)
    month = _month(_text(fields, "month"))
    if month:
        meta.date = f"{meta.year:04d}-{month:02d}"
    meta.arxiv = _arxiv(fields)
    doi = _text(fields, "doi")
    if doi:
        meta.doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.IGNORECASE)
    url = _text(fields, "url")
    if url and not _ARXIV_IN_TEXT.search(url) and "doi.org/" not in url and url.startswith(("http://", "https://")):
        meta.url = url
    code = _text(fields, "code") or _text(fields, "github")
    if code.startswith(("http://", "https://")):
        meta.code = code
    venue_text = _text(fields, "booktitle") or _text(fields, "journal") or _text(fields, "howpublished")
    if venue_text:
        meta.venue, meta.venue_note = short_venue(venue_text)
    elif meta.arxiv or _text(fields, "archiveprefix").lower() == "arxiv":
        meta.venue = "arXiv"
    return meta


def _people(value: object) -> tuple[list[Person], list[str]]:
    notes: list[str] = []
    people: list[Person] = []
    for name in value if isinstance(value, list) else []:
        if isinstance(name, str):
            parts = name.split()
            given, family = " ".join(parts[:-1]), (parts[-1] if parts else "")
        else:
            given = " ".join(name.first)
            family = " ".join([*name.von, *name.last])
            if name.jr:
                family += " " + " ".join(name.jr)  # no comma: BibTeX would read "A B, Jr." as "Last, First"
        given, family = clean_text(given.replace("{", "").replace("}", "")), clean_text(
            family.replace("{", "").replace("}", ""))
        if family.lower() == "others" and not given:
            notes.append("the author list ends with 'and others': only the named authors are kept")
            continue
        if family or given:
            people.append(Person(given, family or given))
    return people, notes


def _month(text: str) -> int | None:
    low = text.strip().lower()
    if low.isdigit() and 1 <= int(low) <= 12:
        return int(low)
    return _MONTHS.get(low[:3]) if len(low) >= 3 else None


def _arxiv(fields: dict[str, object]) -> str | None:
    eprint = _text(fields, "eprint")
    prefix = _text(fields, "archiveprefix").lower() or _text(fields, "eprinttype").lower()
    if eprint and (prefix in ("", "arxiv")):
        found = _ARXIV_BARE.match(eprint) or _ARXIV_IN_TEXT.search(eprint)
        if found:
            return found.group(1)
    for key in ("journal", "url", "note", "howpublished", "volume"):
        found = _ARXIV_IN_TEXT.search(_text(fields, key))
        if found:
            return found.group(1)
    return None
