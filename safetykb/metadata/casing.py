"""Canonical case of terms and method names in titles: the table (`casing.yaml`) and its two uses.

`recase(title)` rewrites every listed term spelled in another case ("Badclip: ... attacks on clip" ->
"BadCLIP: ... attacks on CLIP") and leaves every other character alone; `miscased(title)` lists the
(found, canonical) pairs it would change, for the validator's warning. A term matches as a whole word
or hyphenated compound (`llm` in "llm-based", never in "llms" or "GenAI"), not inside one of its
`except` phrases ("video clip"), and a `head` term only as the title's lead name before a colon.
The importer applies `recase` to new records, scripts/refresh.py to the records it refreshes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TABLE = Path(__file__).resolve().parent / "casing.yaml"
_EDGE = "A-Za-z0-9"


@dataclass(frozen=True)
class Term:
    """One entry of the casing table."""

    term: str
    seen: str | None = None
    note: str | None = None
    exceptions: tuple[str, ...] = ()
    head: bool = False


@dataclass(frozen=True)
class Table:
    terms: dict[str, Term]  # lowercase spelling -> entry
    pattern: re.Pattern[str]


def load_terms(path: Path = TABLE) -> list[Term]:
    """The entries of a casing table file; ValueError naming the entry when one is malformed."""
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    terms = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("term"), str) or not item["term"].strip():
            raise ValueError(f"{path.name}: entry {i + 1} has no `term`")
        if not (item.get("seen") or item.get("note")):
            raise ValueError(f"{path.name}: {item['term']} says neither where it is `seen` nor a `note`")
        unknown = set(item) - {"term", "seen", "note", "except", "head"}
        if unknown:
            raise ValueError(f"{path.name}: {item['term']} has unknown keys {sorted(unknown)}")
        terms.append(Term(item["term"], item.get("seen"), item.get("note"),
                          tuple(str(e).lower() for e in item.get("except") or ()), bool(item.get("head"))))
    return terms


@lru_cache(maxsize=4)
def table(path: Path = TABLE) -> Table:
    terms: dict[str, Term] = {}
    for term in load_terms(path):
        if term.term.lower() in terms:
            raise ValueError(f"{path.name}: {term.term} is listed twice")
        terms[term.term.lower()] = term
    words = sorted(terms, key=len, reverse=True)  # longest first: "blip-2" before "blip"
    alternatives = "|".join(re.escape(w) for w in words) or "(?!)"
    pattern = re.compile(rf"(?<![{_EDGE}])(?:{alternatives})(?![{_EDGE}])", re.IGNORECASE)
    return Table(terms, pattern)


def _changes(title: str, path: Path = TABLE) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every listed term the title spells in another case."""
    tab = table(path)
    low = title.lower()
    found = []
    for match in tab.pattern.finditer(title):
        term = tab.terms[match.group(0).lower()]
        if match.group(0) == term.term:
            continue
        if term.head and not (match.start() == 0 and title[match.end():].lstrip().startswith(":")):
            continue
        if any(_inside(low, phrase, match.start(), match.end()) for phrase in term.exceptions):
            continue
        found.append((match.start(), match.end(), term.term))
    return found


def _inside(low: str, phrase: str, start: int, end: int) -> bool:
    """Whether the span [start, end) lies within an occurrence of phrase (as whole words) in low."""
    for m in re.finditer(rf"(?<![{_EDGE}]){re.escape(phrase)}(?![{_EDGE}])", low):
        if m.start() <= start and end <= m.end():
            return True
    return False


def recase(title: str, path: Path = TABLE) -> str:
    """The title with every listed term in its canonical case; all other characters unchanged."""
    out, last = [], 0
    for start, end, canonical in _changes(title, path):
        out += [title[last:start], canonical]
        last = end
    return "".join(out) + title[last:]


def miscased(title: str, path: Path = TABLE) -> list[tuple[str, str]]:
    """(as written, canonical) for every listed term the title spells in another case, in order."""
    return [(title[s:e], c) for s, e, c in _changes(title, path)]
