"""Metadata coverage of the knowledge base (`scripts/report.py metadata`): per source list, how many papers
a researcher can follow and cite.

For each value of `sources` (a paper listed by both seed lists counts under each) and for all papers:
papers; with an arXiv id; with a DOI; with either; with any link to the paper (arXiv, DOI or URL); with
a summary; with a complete author list (no `authors_complete: false`); with an id whose year agrees
with the record (an arXiv id's month and year are at most the record's first public date, never a year
off). As a dict (for `--json`) and as a text table.
"""

from __future__ import annotations

import re
from typing import Any

from safetykb.core.records import KnowledgeBase, Record, authors_cut

COLUMNS = ("papers", "arxiv", "doi", "arxiv_or_doi", "any_link", "summary", "complete_authors")
HEADINGS = {"papers": "papers", "arxiv": "arXiv id", "doi": "DOI", "arxiv_or_doi": "arXiv/DOI",
            "any_link": "any link", "summary": "summary", "complete_authors": "full authors"}
CELL = 12
TOTAL = "all papers"
_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}")


def facts(record: Record) -> dict[str, bool]:
    links = record.get("links") or {}
    return {
        "papers": True,
        "arxiv": bool(links.get("arxiv")),
        "doi": bool(links.get("doi")),
        "arxiv_or_doi": bool(links.get("arxiv") or links.get("doi")),
        "any_link": bool(links.get("arxiv") or links.get("doi") or links.get("url")),
        "summary": bool(record.get("summary")),
        "complete_authors": not authors_cut(record),
    }


def arxiv_year_disagrees(record: Record) -> bool:
    """Whether a new-style arXiv id's year differs from the record's year (the first version is on arXiv)."""
    found = _NEW_ARXIV.match(str((record.get("links") or {}).get("arxiv") or ""))
    return bool(found) and 2000 + int(found.group(1)) != record.get("year")


def coverage(kb: KnowledgeBase) -> dict[str, Any]:
    groups: dict[str, list[Record]] = {}
    for record in kb.papers.values():
        for source in record.get("sources") or []:
            groups.setdefault(source, []).append(record)
    rows = {}
    for name, records in [*sorted(groups.items()), (TOTAL, list(kb.papers.values()))]:
        counts = {column: sum(facts(r)[column] for r in records) for column in COLUMNS}
        rows[name] = {**counts, "shares": {c: round(counts[c] / counts["papers"], 4) if counts["papers"] else 0.0
                                           for c in COLUMNS if c != "papers"}}
    mismatched = sorted(r["id"] for r in kb.papers.values() if arxiv_year_disagrees(r))
    return {"sources": rows, "arxiv_year_disagrees": mismatched}


def render_text(data: dict[str, Any]) -> str:
    width = max(len(name) for name in data["sources"])
    head = f"{'source':<{width}}  " + "  ".join(HEADINGS[c].rjust(CELL) for c in COLUMNS)
    lines = ["metadata coverage per source list (a paper in both lists counts under each)", "", head]
    for name, row in data["sources"].items():
        cells = [str(row["papers"]).rjust(CELL)]
        shares = row["shares"]
        cells += [f"{row[c]} ({shares[c]:.0%})".rjust(CELL) for c in COLUMNS[1:]]
        lines.append(f"{name:<{width}}  " + "  ".join(cells))
    mismatched = data["arxiv_year_disagrees"]
    lines += ["", f"arXiv ids whose year differs from the record's year: {len(mismatched)}"
              + (f" ({', '.join(mismatched)})" if mismatched else "")]
    return "\n".join(lines) + "\n"
