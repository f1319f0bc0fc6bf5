"""Author-name parsing for both lists; every name ends as Person(given, family)."""

from __future__ import annotations

import re

from safetykb.importer.text import unescape
from safetykb.metadata.people import Person, split_given_family

_OTHERS = re.compile(
    r"(?:,\s*)?(?:\*\*\s*(?:and\s+)?(?:others|et\s+al\.?)\s*\*\*|\*\s*et\s+al\.?\s*\*|\bet\s+al\.?|\band\s+others\b)",
    re.IGNORECASE,
)
_AND = re.compile(r"\s*,?\s*\*\*\s*and\s*\*\*\s*|\s+and\s+", re.IGNORECASE)


#: How every warning about an author list cut with 'and others' / 'et al.' begins.
CUT_WARNING = "author list ends with 'and others'"


def cut_off(warnings: list[str]) -> bool:
    """Whether parsing warned that the list cut the author list ('and others', 'et al.')."""
    return any(w.startswith(CUT_WARNING) for w in warnings)


def parse_given_family_list(text: str) -> list[Person]:
    """'A B, C D, and E F' -> persons."""
    text = unescape(text)
    text = re.sub(r",?\s+and\s+", ", ", text)
    return [split_given_family(n) for n in (p.strip() for p in text.split(",")) if n]


def parse_family_given_list(raw: str) -> tuple[list[Person], list[str]]:
    """'Last, First, Last, First, **and** Last, First' (or BibTeX 'Last, First and Last, First')
    -> (persons, warnings). '**and others**', '*et al.*' are dropped with a warning."""
    warnings: list[str] = []
    text = raw.strip()
    if text.count("{") > text.count("}"):
        warnings.append("author list cut off upstream (unclosed LaTeX group); last name is partial")
    if _OTHERS.search(text):
        warnings.append("author list ends with 'and others'/'et al.'; only the named authors are kept")
        text = _OTHERS.sub("", text)
    text = unescape(text)
    persons: list[Person] = []
    for chunk in _AND.split(text):
        tokens = [t.strip() for t in chunk.split(",") if t.strip()]
        if tokens and "others".startswith(tokens[-1].lower()) and len(tokens[-1]) >= 2:
            tokens.pop()
            warnings.append("author list ends with 'and others' (or a cut-off 'oth'); named authors kept")
        for i in range(0, len(tokens) - 1, 2):
            persons.append(Person(tokens[i + 1], tokens[i]))
        if len(tokens) % 2:
            persons.append(Person("", tokens[-1]))
            warnings.append(f"author {tokens[-1]!r} has no given name")
    return persons, warnings


def parse_authors(raw: str) -> tuple[list[Person], list[str]]:
    """Author line of the large-model list: usually 'Last, First, ... **and** Last, First', a few
    entries use 'Given Family, ..., **and** Given Family' (every comma part has several words)."""
    probe = _OTHERS.sub("", raw)
    parts = [t.strip() for chunk in _AND.split(unescape(probe)) for t in chunk.split(",") if t.strip()]
    if len(parts) >= 2 and all(len(p.split()) >= 2 for p in parts):
        persons = [split_given_family(p) for p in parts]
        warnings = []
        if probe != raw:
            warnings.append("author list ends with 'and others'/'et al.'; only the named authors are kept")
        return persons, warnings
    return parse_family_given_list(raw)
