"""BibTeX entries for paper records, written with bibtexparser 2; keys are record ids."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import bibtexparser
from bibtexparser.model import Entry, Field

from safetykb.core.records import authors_cut, publication_year

_SPECIAL = re.compile(r"([&%$#_])")
_JOURNAL_WORDS = (
    "transactions",
    "journal",
    "tpami",
    "tifs",
    "tdsc",
    "ijcv",
    "pattern recognition",
    "letters",
    "review",
    "nature",
    "science",
    "magazine",
    "tmlr",
    "jmlr",
)


def _escape(text: str) -> str:
    """LaTeX-safe text: special characters escaped, braces balanced."""
    text = text.replace("\\", r"\textbackslash{}")
    text = _SPECIAL.sub(r"\\\1", text)
    if text.count("{") != text.count("}"):
        text = text.replace("{", "").replace("}", "")
    return text


def entry_type(record: dict[str, Any]) -> str:
    venue = str(record.get("venue", "")).lower()
    if not venue or venue == "arxiv":
        return "misc"
    if any(word in venue for word in _JOURNAL_WORDS):
        return "article"
    return "inproceedings"


def entry(record: dict[str, Any]) -> Entry:
    """One record as a bibtexparser Entry."""
    kind = entry_type(record)
    links = record.get("links") or {}
    fields: list[Field] = [
        Field("title", "{" + _escape(record["title"]) + "}"),
        Field("author", " and ".join([*(_escape(a) for a in record.get("authors", [])),
                                      *(["others"] if authors_cut(record) else [])])),
        Field("year", str(publication_year(record) or record["year"])),
    ]
    venue = record.get("venue")
    if kind == "inproceedings" and venue:
        fields.append(Field("booktitle", _escape(str(venue))))
    elif kind == "article" and venue:
        fields.append(Field("journal", _escape(str(venue))))
    if record.get("venue_note"):
        fields.append(Field("note", _escape(str(record["venue_note"]))))
    if links.get("arxiv"):
        if kind == "misc":  # plain BibTeX styles print howpublished, not eprint: say where the preprint is
            fields.append(Field("howpublished", f"arXiv preprint arXiv:{links['arxiv']}"))
        fields += [Field("eprint", links["arxiv"]), Field("archiveprefix", "arXiv")]
    if links.get("doi"):
        fields.append(Field("doi", links["doi"]))
    url = links.get("url") or (f"https://arxiv.org/abs/{links['arxiv']}" if links.get("arxiv") else None)
    if url:
        fields.append(Field("url", url))
    if links.get("code"):
        fields.append(Field("code", links["code"]))
    return Entry(kind, record["id"], fields)


def to_bibtex(records: Iterable[dict[str, Any]]) -> str:
    """A .bib file with one entry per record, in the order given."""
    library = bibtexparser.Library()
    for record in records:
        library.add(entry(record))
    return bibtexparser.write_string(library)
