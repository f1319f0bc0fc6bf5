"""Bibliographic facts about one paper, whatever they were read from (arXiv, Crossref, BibTeX).

`Metadata` is the common shape the drafting step consumes (authors are
`safetykb.metadata.people.Person`, family name apart for the id rule); `clean_text` turns titles with
markup, entities, stray whitespace and control or invisible characters into plain text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from safetykb.core.chars import strip_forbidden
from safetykb.metadata.people import Person, split_given_family

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(\s[^<>]*)?/?>")


@dataclass
class Metadata:
    """What a source says about a paper; `where` names the source for messages.

    `date` is the first public version's date when `first_version` is true (an arXiv v1, a recorded
    answer), else the source's publication date. `venue_year` is the venue edition's year where the
    source states a venue. `authors_complete` is false when the source itself cuts the list.
    """

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
    source: str = ""  # arxiv | crossref | openalex | ... (refresh's source names)
    venue_year: int | None = None
    first_version: bool = False
    authors_complete: bool = True


def clean_text(text: str, markup: bool = False) -> str:
    """Plain text with whitespace collapsed; with markup=True (Crossref's JATS titles) tags are dropped
    and HTML entities decoded first."""
    if markup:
        text = html.unescape(_TAG.sub("", text))
    return strip_forbidden(re.sub(r"\s+", " ", text)).strip()  # no control or bidi character from a source


def split_name(name: str) -> Person:
    """'Given Family' -> Person, after markup and spacing are cleaned (see safetykb.metadata.people)."""
    return split_given_family(clean_text(name))
