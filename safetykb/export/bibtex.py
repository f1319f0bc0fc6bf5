"""BibTeX entries for paper records, written with bibtexparser 2; keys are record ids.

Record text is plain text, so every value is escaped before it is written: bibtexparser puts each value
between braces as it is, and BibTeX ends a value at the brace that balances the first, so a literal
brace in an author (`Eve Doe}, note = {X`) or a URL (`...},howpublished={`) would close the value and
open new fields. Literal braces become `\\textbraceleft{}` / `\\textbraceright{}` in text and `%7B` / `%7D`
in URLs and DOIs; LaTeX's special characters are escaped; an ` and ` inside one author's name is braced
so BibTeX does not split the name into two authors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import bibtexparser
from bibtexparser.middlewares.parsestack import default_unparse_stack
from bibtexparser.model import Entry, Field

from safetykb.core.records import authors_cut, publication_year

#: Characters LaTeX reads as commands, and their escapes; braces as macros, so BibTeX never counts them.
_LATEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
          "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")
#: The word that separates authors, inside one name.
_AND = re.compile(r"(?<=\s)(and)(?=\s)", re.IGNORECASE)
#: Characters percent-encoded in URLs and DOIs: those BibTeX or LaTeX would read.
_URL_UNSAFE = re.compile(r"[{}\\\s]")
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
    """Plain text as a BibTeX value that prints the same: LaTeX specials escaped, no brace left to count."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group(0)], " ".join(text.split()))


def _escape_name(name: str) -> str:
    """One author: escaped, and a stand-alone 'and' braced, so the name stays one author."""
    return _AND.sub(r"{\1}", _escape(name))


def _escape_url(url: str) -> str:
    """A URL, DOI or identifier with the characters BibTeX counts or LaTeX reads percent-encoded."""
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", url)


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
        Field("author", " and ".join([*(_escape_name(a) for a in record.get("authors", [])),
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
    arxiv = _escape_url(links["arxiv"]) if links.get("arxiv") else None
    if arxiv:
        if kind == "misc":  # plain BibTeX styles print howpublished, not eprint: say where the preprint is
            fields.append(Field("howpublished", f"arXiv preprint arXiv:{arxiv}"))
        fields += [Field("eprint", arxiv), Field("archiveprefix", "arXiv")]
    if links.get("doi"):
        fields.append(Field("doi", _escape_url(links["doi"])))
    url = links.get("url") or (f"https://arxiv.org/abs/{links['arxiv']}" if links.get("arxiv") else None)
    if url:
        fields.append(Field("url", _escape_url(url)))
    if links.get("code"):
        fields.append(Field("code", _escape_url(links["code"])))
    return Entry(kind, record["id"], fields)


def to_bibtex(records: Iterable[dict[str, Any]]) -> str:
    """A .bib file with one entry per record, in the order given."""
    library = bibtexparser.Library()
    for record in records:
        library.add(entry(record))
    # The library is ours and thrown away: the writer may change its entries in place instead of deep-copying
    # each one first (a quarter of a 10,000-paper site's page generation).
    return bibtexparser.write_string(library, unparse_stack=default_unparse_stack(allow_inplace_modification=True))
