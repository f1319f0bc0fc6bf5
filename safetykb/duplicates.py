"""Telling whether two paper records are the same paper: arXiv id, DOI, title, near-identical title.

Shared by validation, the importer and add_paper, so all three agree.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Two normalised titles at least this similar are the same paper.
NEAR_RATIO = 0.95
_BLOCK = 12

_ARXIV_NEW = re.compile(r"^(\d{2})(0[1-9]|1[0-2])\.(\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_VERSION = re.compile(r"v\d+$")


def normalise_title(title: str) -> str:
    """Lowercase letters and digits only: 'Ab-using  Images' and 'Abusing images' agree."""
    text = unicodedata.normalize("NFKD", html.unescape(title))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text.lower() if c.isalnum())


def arxiv_key(arxiv_id: str) -> str:
    """An arXiv id without prefix or version: 'arXiv:2311.05608v2' -> '2311.05608'."""
    text = arxiv_id.strip()
    text = re.sub(r"^(https?://arxiv\.org/(abs|pdf)/|arxiv:)", "", text, flags=re.IGNORECASE)
    text = text.removesuffix(".pdf")
    return _VERSION.sub("", text)


def doi_key(doi: str) -> str:
    """A DOI in lowercase without resolver prefix."""
    text = doi.strip()
    text = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", text, flags=re.IGNORECASE)
    return text.lower()


def valid_arxiv(arxiv_id: str) -> bool:
    """New-style ids have 4 digits after the dot until 2014 and 5 from 2015 on; old-style 'hep-th/9901001'."""
    new = _ARXIV_NEW.match(arxiv_id)
    if new:
        return len(new.group(3)) == (5 if int(new.group(1)) >= 15 else 4)
    return bool(_ARXIV_OLD.match(arxiv_id))


def valid_doi(doi: str) -> bool:
    return bool(_DOI.match(doi))


def near_identical(a: str, b: str) -> bool:
    """Whether two normalised titles differ by no more than a few characters."""
    if a == b:
        return True
    if not a or not b or abs(len(a) - len(b)) > max(len(a), len(b)) * (1 - NEAR_RATIO) + 1:
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= NEAR_RATIO
        and matcher.quick_ratio() >= NEAR_RATIO
        and (matcher.ratio() >= NEAR_RATIO)
    )


@dataclass(frozen=True)
class Duplicate:
    """`later` repeats `earlier` (ids), for the reason given ('arXiv id 2311.05608', ...)."""

    earlier: str
    later: str
    reason: str
    field: str  # the field that shows it: 'links.arxiv', 'links.doi' or 'title'


class PaperIndex:
    """Finds papers already known by arXiv id, DOI, title or near-identical title."""

    def __init__(self, papers: Iterable[tuple[str, dict[str, Any]]] = ()) -> None:
        self.by_arxiv: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self._blocks: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._allowed: dict[str, set[str]] = defaultdict(set)
        for paper_id, record in papers:
            self.add(paper_id, record)

    def find(self, record: dict[str, Any], self_id: str | None = None) -> Duplicate | None:
        """The known paper that record repeats, if any (self_id is the record's own id, if known)."""
        links = record.get("links") or {}
        allowed = set(record.get("not_duplicate_of") or []) | self._allowed.get(self_id or "", set())
        arxiv = links.get("arxiv") if isinstance(links, dict) else None
        if isinstance(arxiv, str) and arxiv.strip():
            other = self.by_arxiv.get(arxiv_key(arxiv))
            if other and other != self_id:
                return Duplicate(other, self_id or "", f"the same arXiv id {arxiv_key(arxiv)}", "links.arxiv")
        doi = links.get("doi") if isinstance(links, dict) else None
        if isinstance(doi, str) and doi.strip():
            other = self.by_doi.get(doi_key(doi))
            if other and other != self_id:
                return Duplicate(other, self_id or "", f"the same DOI {doi_key(doi)}", "links.doi")
        title = record.get("title")
        if not isinstance(title, str):
            return None
        norm = normalise_title(title)
        other = self.by_title.get(norm)
        if other and other != self_id and other not in allowed:
            return Duplicate(other, self_id or "", "the same title", "title")
        for candidate_id, candidate in self._candidates(norm):
            if candidate_id in (self_id, other) or candidate_id in allowed:
                continue
            if self_id in self._allowed.get(candidate_id, set()):
                continue
            if near_identical(norm, candidate):
                return Duplicate(candidate_id, self_id or "", "a near-identical title", "title")
        return None

    def add(self, paper_id: str, record: dict[str, Any]) -> None:
        links = record.get("links") or {}
        if isinstance(links, dict):
            if isinstance(links.get("arxiv"), str):
                self.by_arxiv.setdefault(arxiv_key(links["arxiv"]), paper_id)
            if isinstance(links.get("doi"), str):
                self.by_doi.setdefault(doi_key(links["doi"]), paper_id)
        title = record.get("title")
        if isinstance(title, str):
            norm = normalise_title(title)
            self.by_title.setdefault(norm, paper_id)
            for key in self._block_keys(norm):
                self._blocks[key].append((paper_id, norm))
        for other in record.get("not_duplicate_of") or []:
            if isinstance(other, str):
                self._allowed[paper_id].add(other)
                self._allowed[other].add(paper_id)

    def _candidates(self, norm: str) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for key in self._block_keys(norm):
            for paper_id, title in self._blocks.get(key, ()):
                seen.setdefault(paper_id, title)
        return list(seen.items())

    @staticmethod
    def _block_keys(norm: str) -> tuple[str, str]:
        return "^" + norm[:_BLOCK], "$" + norm[-_BLOCK:]


def find_duplicates(papers: Iterable[tuple[str, dict[str, Any]]]) -> list[Duplicate]:
    """Each paper that repeats an earlier one (papers in the order given)."""
    index = PaperIndex()
    found: list[Duplicate] = []
    for paper_id, record in papers:
        dup = index.find(record, paper_id)
        if dup:
            found.append(dup)
        index.add(paper_id, record)
    return found
