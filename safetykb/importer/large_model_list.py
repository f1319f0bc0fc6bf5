"""Parser of the awesome-large-model-safety list (xingjunm/Awesome-Large-Model-Safety README).

Chapters are ``<summary>`` titles inside ``<details>``, sections are ``#####``
headings, entries look like::

    - Title.
      - Last, First, Last, First, **and** Last, First
      - *Venue*, 2024.

Preprint venues carry the arXiv id (``*arXiv preprint arXiv:2106.04169*, 2021.``);
journal venues carry volume and pages (``*IEEE ...*, 19, 9359-9373, 2024.``).
Only the "Papers" part of the README is read.
"""

from __future__ import annotations

import re

from safetykb.importer import LARGE_MODEL_LIST
from safetykb.importer.model import Entry, Problem, assign_sections
from safetykb.importer.names import cut_off, parse_authors
from safetykb.importer.text import arxiv_from_text, arxiv_month, unescape
from safetykb.metadata.venues import normalise_venue

_H2 = re.compile(r"^##\s+(.*)$")
_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_H5 = re.compile(r"^#####\s+(.*?)\s*#*\s*$")
_VENUE = re.compile(r"^\*(?P<venue>.+?)\*\s*(?:,\s*(?P<extra>.*?))?\s*,?\s*(?P<year>\d{4})\s*\.?\s*$")


def clean_title(raw: str) -> str:
    """Title text: unescaped, LaTeX braces dropped, the list's trailing period removed."""
    title = unescape(raw)
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    return title


def parse(text: str, path: str) -> tuple[list[Entry], list[Problem]]:
    """Parse the README text; return entries (with line numbers) and problems."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    in_papers = False
    chapter = heading = ""
    current: tuple[int, str] | None = None
    skipping = False
    subs: list[tuple[int, str]] = []
    marks: list[tuple[int, str, str]] = []

    def finish() -> None:
        nonlocal current, subs, skipping
        if current is not None:
            entry = _build(current, subs, path, chapter, heading, problems)
            if entry is not None:
                entries.append(entry)
        current, subs, skipping = None, [], False

    for lineno, line in enumerate(text.splitlines(), start=1):
        h2 = _H2.match(line)
        if h2 and not line.startswith("###"):
            finish()
            in_papers = re.sub(r"[^a-z ]", "", h2.group(1).lower()).strip() == "papers"
            chapter = heading = ""
            continue
        if not in_papers:
            continue
        summary = _SUMMARY.search(line)
        if summary:
            finish()
            chapter = unescape(_TAG.sub("", summary.group(1)))
            heading = ""
            continue
        h5 = _H5.match(line)
        if h5:
            finish()
            heading = unescape(h5.group(1))
            marks.append((lineno, chapter, heading))
            continue
        if line.startswith("- "):
            finish()
            if not heading:
                problems.append(Problem(path, lineno, "entry before any ##### section heading"))
                skipping = True
                continue
            current = (lineno, line[2:])
            continue
        m = re.match(r"^\s+[-*]\s+(.*)$", line)
        if m:
            if skipping:
                continue
            if current is None:
                problems.append(Problem(path, lineno, "sub-item outside an entry: " + line.strip()[:80]))
            else:
                subs.append((lineno, m.group(1).strip()))
            continue
        if line.strip() and (current is not None or skipping):
            finish()
    finish()
    assign_sections(problems, marks, LARGE_MODEL_LIST)
    return entries, problems


def _build(
    head: tuple[int, str],
    subs: list[tuple[int, str]],
    path: str,
    chapter: str,
    heading: str,
    problems: list[Problem],
) -> Entry | None:
    lineno, raw_title = head
    title = clean_title(raw_title)
    if not title:
        problems.append(Problem(path, lineno, "entry has an empty title"))
        return None
    entry = Entry(list=LARGE_MODEL_LIST, path=path, line=lineno, title=title, chapter=chapter, heading=heading)
    venue_sub = next(((n, s) for n, s in reversed(subs) if _VENUE.match(s)), None)
    author_subs = [(n, s) for n, s in subs if (n, s) != venue_sub]
    if venue_sub is None:
        problems.append(Problem(path, lineno, f"entry {title!r} has no venue line ('*Venue*, YYYY.')"))
        return None
    vm = _VENUE.match(venue_sub[1])
    assert vm is not None
    entry.year = int(vm.group("year"))
    raw_venue = vm.group("venue")
    entry.arxiv = arxiv_from_text(raw_venue)
    venue, note, warn = normalise_venue(unescape(raw_venue))
    entry.venue, entry.venue_note = venue, note
    if venue and venue != "arXiv":
        entry.venue_year = entry.year
    if warn:
        entry.warnings.append(f"line {venue_sub[0]}: {warn}")
    if entry.arxiv:
        entry.date = arxiv_month(entry.arxiv)
        if entry.date and int(entry.date[:4]) != entry.year:
            entry.warnings.append(
                f"line {venue_sub[0]}: year {entry.year} differs from arXiv {entry.arxiv} ({entry.date}); "
                f"the arXiv month is used as first public date"
            )
    if not author_subs:
        problems.append(Problem(path, lineno, f"entry {title!r} has no author line"))
        return None
    if len(author_subs) > 1:
        for n, s in author_subs[1:]:
            entry.warnings.append(f"line {n}: unexpected sub-item ignored: {s[:60]!r}")
    persons, warns = parse_authors(author_subs[0][1])
    entry.authors = persons
    entry.authors_complete = not cut_off(warns)
    entry.warnings.extend(f"line {author_subs[0][0]}: {w}" for w in warns)
    if not persons:
        problems.append(Problem(path, author_subs[0][0], f"entry {title!r}: no author could be read"))
        return None
    return entry
