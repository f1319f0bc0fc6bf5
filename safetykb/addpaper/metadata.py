"""Bibliographic facts about one paper, whatever they were read from (arXiv, Crossref, BibTeX).

`Metadata` is the common shape the drafting step consumes; `Person` keeps the
family name apart so the id rule can use it; `clean_text` turns titles with
markup, entities and stray whitespace into plain text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(\s[^<>]*)?/?>")
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "del", "della", "la", "le", "du", "dos", "ter", "zu"}


@dataclass(frozen=True)
class Person:
    """An author: given names and family name (family may be the only part)."""

    given: str
    family: str

    def display(self) -> str:
        """'Given Family', the record form."""
        return f"{self.given} {self.family}".strip()


@dataclass
class Metadata:
    """What a source says about a paper; `where` names the source for messages."""

    title: str
    authors: list[Person]
    year: int
    where: str
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    venue: str | None = None
    venue_note: str | None = None
    arxiv: str | None = None  # bare id, no version
    doi: str | None = None
    url: str | None = None
    code: str | None = None
    notes: list[str] = field(default_factory=list)  # things the contributor should know


def clean_text(text: str, markup: bool = False) -> str:
    """Plain text with whitespace collapsed; with markup=True (Crossref's JATS titles) tags are dropped
    and HTML entities decoded first."""
    if markup:
        text = html.unescape(_TAG.sub("", text))
    return re.sub(r"\s+", " ", text).strip()


def split_name(name: str) -> Person:
    """'Given Family' -> Person; lowercase particles (van, de, ...) join the family name."""
    parts = clean_text(name).split()
    if not parts:
        return Person("", "")
    if len(parts) == 1:
        return Person("", parts[0])
    i = len(parts) - 1
    while i > 1 and parts[i - 1] in _PARTICLES:
        i -= 1
    return Person(" ".join(parts[:i]), " ".join(parts[i:]))
