"""BibTeX input through bibtexparser 2: every entry of a file or string as Metadata or a reason.

Values are resolved here, not by bibtexparser's defaults, so that nothing becomes a literal by accident:
`#` concatenates, `@string` macros and the month macros expand, and an undefined macro is an error
naming it (bibtexparser kept `title = undefinedmacro` as the title). Only the fields used are read, each
within a length cap, and only text holding LaTeX markup is decoded (`M{\\"u}ller` -> Müller), within a
budget per run: decoding is slow (a 10 MB title took over 300 s). Protective braces are dropped, names
split into given and family parts. A missing `year` comes from biblatex's `date`, else from the arXiv id.
A broken entry does not stop the others: it comes back as a `BibItem` with `error` set and its line.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.model import Entry, Field

from safetykb.metadata.model import Metadata, Person, clean_text
from safetykb.metadata.venues import short_venue

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
#: BibTeX's predefined macros: the months, by their three-letter names.
_MONTH_MACROS = {m: name for m, name in zip(_MONTHS, ("January", "February", "March", "April", "May", "June", "July",
                                                      "August", "September", "October", "November", "December"),
                                            strict=True)}

#: The most BibTeX read at once (a file, an argument or standard input).
MAX_BIBTEX_BYTES = 1024 * 1024
#: The fields read, and the most characters each may hold; every other field is ignored, never decoded.
FIELD_LIMITS: dict[str, int] = {
    "title": 1000, "author": 20_000, "year": 20, "date": 40, "month": 20, "doi": 300, "url": 2000,
    "eprint": 100, "archiveprefix": 40, "eprinttype": 40, "booktitle": 1000, "journal": 1000,
    "howpublished": 1000, "note": 1000, "volume": 100, "code": 2000, "github": 2000,
}
#: Characters of LaTeX markup decoded per run (about 40 microseconds each); text without markup is free.
DECODE_BUDGET = 60_000
_MARKUP = re.compile(r"[\\{}$~]|--|``|''")
_MACRO_NAME = re.compile(r"[A-Za-z_][^\s\"#%'(),={}]*")
_ARXIV_IN_TEXT = re.compile(r"(?:arxiv[:\s]*|arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_ARXIV_BARE = re.compile(r"^(\d{4}\.\d{4,5})(?:v\d+)?$")


@dataclass
class BibItem:
    """One BibTeX entry: its key and 1-based line, and either metadata or what is wrong with it."""

    key: str
    line: int
    meta: Metadata | None = None
    error: str | None = None


class TooLarge(ValueError):
    """BibTeX input over MAX_BIBTEX_BYTES."""


def read_bibtex(text: str, where: str = "BibTeX") -> list[BibItem]:
    """Every entry of a BibTeX text, in order, broken ones included with their reason; TooLarge for input
    over MAX_BIBTEX_BYTES."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BIBTEX_BYTES:
        raise TooLarge(f"{size:,} bytes of BibTeX; at most {MAX_BIBTEX_BYTES // 1024:,} KiB are read at once: "
                       "split the file")
    quiet = logging.getLogger("bibtexparser")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # broken entries are reported below, with their line, not logged
    try:
        library = bibtexparser.parse_string(text, parse_stack=[])  # values raw: resolved by _resolve
    finally:
        quiet.setLevel(level)
    macros = dict(_MONTH_MACROS)
    for string in library.strings:
        try:
            macros[string.key.lower()] = _resolve(string.value, macros)
        except ValueError:
            continue  # an entry using it says the macro is undefined, and where
    budget = [DECODE_BUDGET]
    items: list[tuple[int, BibItem]] = []
    for block in library.entries:
        items.append((block.start_line, _item(block, where, macros, budget)))
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        raw = getattr(block, "raw", "") or ""
        key_match = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)", raw)
        key = getattr(block, "key", None) or (key_match.group(1) if key_match else "?")
        reason = _failure_reason(block)
        items.append((block.start_line or 0, BibItem(str(key), line, error=reason)))
    items.sort(key=lambda pair: pair[0])
    return [item for _line, item in items]


def _resolve(raw: str, macros: dict[str, str]) -> str:
    """A raw BibTeX value (`{...}`, `"..."`, a number, a macro, joined by `#`) as its text; ValueError names
    an undefined macro or a malformed value."""
    parts: list[str] = []
    i, n = 0, len(raw)
    while True:
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            raise ValueError("a value is missing (after '#' or '=')")
        char = raw[i]
        if char in "{\"":
            end = _closing(raw, i)
            parts.append(raw[i + 1:end])
            i = end + 1
        elif char.isdigit():
            start = i
            while i < n and raw[i].isdigit():
                i += 1
            parts.append(raw[start:i])
        else:
            name = _MACRO_NAME.match(raw, i)
            if not name:
                raise ValueError(f"unexpected '{char}' in a value: put the value in braces")
            if name.group(0).lower() not in macros:
                raise ValueError(f"undefined @string macro '{name.group(0)}': define it with "
                                 f"@string{{{name.group(0)} = {{...}}}} or put the text in braces")
            parts.append(macros[name.group(0).lower()])
            i = name.end()
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            return "".join(parts)
        if raw[i] != "#":
            raise ValueError(f"unexpected '{raw[i]}' after a value: join parts with '#' or put it all in braces")
        i += 1


def _closing(raw: str, start: int) -> int:
    """Index of the delimiter closing the braced or quoted value that starts at `start`."""
    depth = 0
    for i in range(start + 1, len(raw)):
        char = raw[i]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                if raw[start] == "{":
                    return i
                raise ValueError("a '}' closes nothing in a quoted value")
            depth -= 1
        elif char == '"' and raw[start] == '"' and depth == 0:
            return i
    raise ValueError("a value is not closed: look for a missing brace or quote")


def _failure_reason(block: object) -> str:
    name = type(block).__name__
    if name == "DuplicateBlockKeyBlock":
        return f"the key '{getattr(block, 'key', '?')}' is used twice in the file"
    error = getattr(block, "error", None)
    text = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(error or "")
    text = " ".join(str(text).split()) or "it could not be parsed"
    return f"syntax error: {text} (look for a missing brace, quote or comma)"


def _item(entry: Entry, where: str, macros: dict[str, str], budget: list[int]) -> BibItem:
    line = entry.start_line + 1
    item = BibItem(entry.key, line)
    try:
        fields = _fields(entry, macros, budget)
        item.meta = _metadata(fields, f"{where}:{line} @{entry.entry_type}{{{entry.key}}}")
    except ValueError as exc:
        item.error = str(exc)
    return item


def _fields(entry: Entry, macros: dict[str, str], budget: list[int]) -> dict[str, object]:
    """The fields read, resolved, capped and decoded; `author` as a list of bibtexparser NameParts."""
    resolved: dict[str, str] = {}
    for field in entry.fields:
        key = field.key.lower()
        limit = FIELD_LIMITS.get(key)
        if limit is None or not isinstance(field.value, str):
            continue
        try:
            value = _resolve(field.value, macros)
        except ValueError as exc:
            raise ValueError(f"`{key}`: {exc}") from None
        if len(value) > limit:
            raise ValueError(f"`{key}` is {len(value):,} characters long; at most {limit:,} are read")
        resolved[key] = value
    marked = {key: value for key, value in resolved.items() if _MARKUP.search(value)}
    cost = sum(map(len, marked.values()))
    if cost > budget[0]:
        raise ValueError("too much LaTeX markup to decode in one run: add this entry in a separate run")
    budget[0] -= cost
    library = bibtexparser.Library([Entry(entry.entry_type, entry.key, [Field(k, v) for k, v in resolved.items()])])
    if marked:
        library = mw.LatexDecodingMiddleware().transform(library)
    if "author" in resolved:
        library = mw.SplitNameParts().transform(mw.SeparateCoAuthors().transform(library))
    return {f.key: f.value for f in library.entries[0].fields}


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
    arxiv = _arxiv(fields)
    year, date, note = _year_and_date(fields, arxiv)
    if note:
        notes.append(note)
    meta = Metadata(title=title, authors=authors, year=year, where=where, notes=notes, date=date)
    meta.arxiv = arxiv
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


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _year_and_date(fields: dict[str, object], arxiv: str | None) -> tuple[int, str | None, str | None]:
    """The year, the date (YYYY-MM or YYYY-MM-DD) when known, and a note saying where the year came from
    when not from `year`: biblatex's `date`, else the arXiv id (its first version's year and month)."""
    year_text, date_text = _text(fields, "year"), _text(fields, "date")
    date = _DATE.match(date_text)
    month = _month(_text(fields, "month"))
    if year_text:
        if not re.fullmatch(r"\d{4}", year_text):
            raise ValueError(f"year '{year_text}' is not a four-digit year")
        year = int(year_text)
        if date and int(date.group(1)) == year and date.group(2):
            return year, _date_of(date), None
        return year, f"{year:04d}-{month:02d}" if month else None, None
    if date:
        return int(date.group(1)), _date_of(date) if date.group(2) else None, None
    if date_text:
        raise ValueError(f"date '{date_text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    found = re.match(r"^(\d{2})(\d{2})\.", arxiv or "")
    if found and 1 <= int(found.group(2)) <= 12:
        year = 2000 + int(found.group(1))
        return year, f"{year}-{found.group(2)}", f"no year or date in the entry: {year} is taken from the arXiv id"
    raise ValueError("no year: add `year = {YYYY}` (or biblatex's `date = {YYYY-MM-DD}`)")


def _date_of(match: re.Match[str]) -> str | None:
    """YYYY-MM or YYYY-MM-DD from a _DATE match, None when the month or day is out of range."""
    year, month, day = match.group(1), match.group(2), match.group(3)
    if not 1 <= int(month) <= 12 or (day and not 1 <= int(day) <= 31):
        return None
    return f"{year}-{month}-{day}" if day else f"{year}-{month}"


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
