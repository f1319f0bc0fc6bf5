"""Telling whether two paper records are the same paper: arXiv id, DOI, title, near-identical title.

Shared by validation, the importer and add_paper, so all three agree.
"""

from __future__ import annotations

import difflib
import html
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from typing import Any

#: Two normalised titles at least this similar are the same paper.
NEAR_RATIO = 0.95
#: Titles longer than this (normalised) are compared for equality only: difflib's ratio is quadratic, and
#: two 120 kB near-identical titles took minutes. The schema caps a title at 500 characters.
NEAR_MAX_CHARS = 1000
#: Near-identical titles are looked for among titles that share their first or their last _BLOCK characters.
_BLOCK = 12

_ARXIV_NEW = re.compile(r"^(\d{2})(0[1-9]|1[0-2])\.(\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_VERSION = re.compile(r"v\d+$")
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_title(title: str) -> str:
    """Lowercase letters and digits only: 'Ab-using  Images' and 'Abusing images' agree."""
    if title.isascii() and "&" not in title:  # the common case, the same result as the general one below
        return _NOT_ASCII_ALNUM.sub("", title.lower())
    text = unicodedata.normalize("NFKD", html.unescape(title))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text.lower() if c.isalnum())


#: A leading "Towards" and a short name before a colon ("FigStep: ...") are often dropped or added when
#: a title is copied: the same title without them is the same paper. What remains must be this long
#: (normalised characters and words) to count, so that generic subtitles ("A Survey") never match.
_CORE_MIN_CHARS, _CORE_MIN_WORDS, _PREFIX_MAX_WORDS = 25, 3, 5
_TOWARDS = re.compile(r"^\s*towards?\s+", re.IGNORECASE)


def core_title(title: str) -> str | None:
    """The normalised title without a leading 'Towards' and a short 'Name:' prefix, or None when the title
    has neither (or too little would remain): 'FigStep: Jailbreaking ...' -> 'jailbreaking...'."""
    text = title
    head, colon, rest = text.partition(":")
    if colon and 1 <= len(head.split()) <= _PREFIX_MAX_WORDS:
        text = rest
    text = _TOWARDS.sub("", text)
    if text == title or len(text.split()) < _CORE_MIN_WORDS:
        return None
    core = normalise_title(text)
    return core if len(core) >= _CORE_MIN_CHARS else None


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
    if max(len(a), len(b)) > NEAR_MAX_CHARS:
        return False
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


@dataclass(frozen=True, slots=True)
class _Title:
    """A known normalised title in a block."""

    length: int
    seq: int  # order of addition: candidates are tried in this order
    paper_id: str
    norm: str
    chars: int  # its characters as a multiset (see _char_multiset)


#: Width of one character's field in _char_multiset, in bytes, and the characters that have a field.
_FIELD_BYTES = 8
_FIELD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
#: A count in unary as one field: _UNARY[3] has its 3 lowest bits set.
_UNARY = [((1 << n) - 1).to_bytes(_FIELD_BYTES, "little") for n in range(8 * _FIELD_BYTES + 1)]
#: Stands for an unknown multiset: shares every character with any title.
_ANY_CHARS = -1


def _char_multiset(norm: str) -> int:
    """A title's characters as one integer: each character owns a field holding its count in unary, so
    `(a & b).bit_count()` is the number of characters two titles share, which is what difflib's quick_ratio
    counts. _ANY_CHARS for a character outside a-z0-9 or more than 64 of one (no shortcut then)."""
    if not norm.isascii():  # a normalised ASCII title holds only a-z0-9
        return _ANY_CHARS
    try:
        return int.from_bytes(b"".join([_UNARY[norm.count(char)] for char in _FIELD_CHARS]), "little")
    except IndexError:
        return _ANY_CHARS


class _Block:
    """The titles that share a block key, sorted by (length, order of addition), with their multisets."""

    def __init__(self) -> None:
        self.order: list[tuple[int, int]] = []
        self.titles: list[_Title] = []
        self.chars: list[int] = []

    def add(self, title: _Title) -> None:
        at = bisect_right(self.order, (title.length, title.seq))
        self.order.insert(at, (title.length, title.seq))
        self.titles.insert(at, title)
        self.chars.insert(at, title.chars)

    def candidates(self, low: int, high: int, chars: int, shared_at_least: int) -> Iterable[_Title]:
        """Titles of a length in [low, high] sharing at least that many characters with `chars`."""
        start, stop = bisect_left(self.order, (low, 0)), bisect_right(self.order, (high, math.inf))
        if chars == _ANY_CHARS:
            return self.titles[start:stop]
        shared = map(int.bit_count, map(chars.__and__, self.chars[start:stop]))  # one C loop, no Python per title
        return compress(self.titles[start:stop], map(shared_at_least.__le__, shared))


class PaperIndex:
    """Finds papers already known by arXiv id, DOI, title or near-identical title.

    Near-identical titles are looked for among the titles that share a block (the first or the last
    _BLOCK characters). Many titles end alike ('... large language models'), so a block can hold a large
    share of the knowledge base: blocks are kept sorted by length, only titles of a length that can reach
    NEAR_RATIO are visited, and a count of shared characters (an upper bound of difflib's ratio) rules out
    nearly all of them before difflib runs. The answer
    is the one a plain scan of the blocks in order of addition gives (`_scan_near`, kept for the rare
    index where one id was added twice).
    """

    def __init__(self, papers: Iterable[tuple[str, dict[str, Any]]] = ()) -> None:
        self.by_arxiv: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self.by_core: dict[str, tuple[str, str]] = {}  # core title -> (paper id, its title)
        self._blocks: dict[str, _Block] = defaultdict(_Block)
        self._allowed: dict[str, set[str]] = defaultdict(set)
        self._ids: set[str] = set()
        self._id_added_twice = False
        self._added = 0
        self._last: tuple[str, str, int] = ("", "", 0)  # title, norm, chars: find() then add() of one record
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
        norm, chars = self._normalise(title)
        other = self.by_title.get(norm)
        if other and other != self_id and other not in allowed:
            return Duplicate(other, self_id or "", "the same title", "title")
        prefixed = self._prefixed(title, norm, self_id, allowed)
        if prefixed:
            return prefixed

        def skipped(candidate_id: str) -> bool:
            return (candidate_id in (self_id, other) or candidate_id in allowed
                    or self_id in self._allowed.get(candidate_id, set()))

        near = self._scan_near(norm, skipped) if self._id_added_twice else self._find_near(norm, chars, skipped)
        if near:
            return Duplicate(near, self_id or "", "a near-identical title", "title")
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
            norm, chars = self._normalise(title)
            self.by_title.setdefault(norm, paper_id)
            core = core_title(title)
            if core:
                self.by_core.setdefault(core, (paper_id, title))
            self._id_added_twice |= paper_id in self._ids
            self._ids.add(paper_id)
            self._added += 1
            entry = _Title(len(norm), self._added, paper_id, norm, chars)
            for key in self._block_keys(norm):
                self._blocks[key].add(entry)
        for other in record.get("not_duplicate_of") or []:
            if isinstance(other, str):
                self._allowed[paper_id].add(other)
                self._allowed[other].add(paper_id)

    def _prefixed(self, title: str, norm: str, self_id: str | None, allowed: set[str]) -> Duplicate | None:
        """A known paper whose title is this one with or without a 'Towards' or 'Name:' prefix."""
        core = core_title(title)
        other = self.by_title.get(core) if core else None
        if other and other != self_id and other not in allowed:
            return Duplicate(other, self_id or "", f"the same title but for the prefix '{_prefix(title)}'", "title")
        known = self.by_core.get(norm)
        if known and known[0] != self_id and known[0] not in allowed:
            return Duplicate(known[0], self_id or "", f"the same title but for the prefix '{_prefix(known[1])}'",
                             "title")
        return None

    def _normalise(self, title: str) -> tuple[str, int]:
        if self._last[0] != title:
            norm = normalise_title(title)
            self._last = (title, norm, _char_multiset(norm))
        return self._last[1], self._last[2]

    def _find_near(self, norm: str, chars: int, skipped: Any) -> str | None:
        """The first title near-identical to norm: head block before tail block, each in order of addition."""
        length = len(norm)
        # Lengths a near-identical title can have (a little wider than near_identical's own bound), and the
        # characters it must share for quick_ratio >= NEAR_RATIO (a little fewer, so rounding never matters).
        low, high = int(length * NEAR_RATIO) - 1, int((length + 1) / NEAR_RATIO) + 1
        shared_at_least = int(NEAR_RATIO * (length + max(low, 0)) / 2) - 1
        best: tuple[int, int, str] | None = None
        for rank, key in enumerate(self._block_keys(norm)):
            block = self._blocks.get(key)
            if block is None:
                continue
            for entry in block.candidates(low, high, chars, shared_at_least):
                if (best is not None and (rank, entry.seq) > best[:2]) or (
                    _ANY_CHARS not in (chars, entry.chars) and entry.norm != norm
                    and 2.0 * (chars & entry.chars).bit_count() / (length + entry.length) < NEAR_RATIO
                ):
                    continue  # the second test is difflib's quick_ratio, exactly: near_identical would say no
                if not skipped(entry.paper_id) and near_identical(norm, entry.norm):
                    best = (rank, entry.seq, entry.paper_id)
        return best[2] if best else None

    def _scan_near(self, norm: str, skipped: Any) -> str | None:
        """The plain scan _find_near stands for: every candidate in order, the first of each id only."""
        seen: dict[str, str] = {}
        for key in self._block_keys(norm):
            block = self._blocks.get(key)
            for entry in sorted(block.titles if block else (), key=lambda e: e.seq):
                seen.setdefault(entry.paper_id, entry.norm)
        for candidate_id, candidate in seen.items():
            if not skipped(candidate_id) and near_identical(norm, candidate):
                return candidate_id
        return None

    @staticmethod
    def _block_keys(norm: str) -> tuple[str, str]:
        return "^" + norm[:_BLOCK], "$" + norm[-_BLOCK:]


def _prefix(title: str) -> str:
    """What core_title drops from the front of a title, as written."""
    head, colon, rest = title.partition(":")
    text = rest if colon and 1 <= len(head.split()) <= _PREFIX_MAX_WORDS else title
    towards = _TOWARDS.match(text)
    kept = text[towards.end():] if towards else text
    return title[: len(title) - len(kept)].strip()


def find_duplicates(papers: Iterable[tuple[str, dict[str, Any]]], index: PaperIndex | None = None) -> list[Duplicate]:
    """Each paper that repeats an earlier one (papers in the order given), using `index` if given."""
    index = index if index is not None else PaperIndex()
    found: list[Duplicate] = []
    for paper_id, record in papers:
        dup = index.find(record, paper_id)
        if dup:
            found.append(dup)
        index.add(paper_id, record)
    return found



#: A paper as PaperIndex compares it: arXiv key, DOI key, normalised title, and the title's two block keys.
_Keys = tuple[str | None, str | None, str | None, str | None, str | None]


def _fields(record: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    links = record.get("links") or {}
    arxiv = links.get("arxiv") if isinstance(links, dict) else None
    doi = links.get("doi") if isinstance(links, dict) else None
    title = record.get("title")
    return (arxiv if isinstance(arxiv, str) else None, doi if isinstance(doi, str) else None,
            title if isinstance(title, str) else None)


#: (arXiv id, DOI, title) -> keys, as `_keys` made them; `remember_keys` adds those a snapshot kept.
_KEYS: dict[tuple[str | None, str | None, str | None], _Keys] = {}


def _keys(record: dict[str, Any]) -> _Keys:
    fields = _fields(record)
    found = _KEYS.get(fields)
    if found is None:
        arxiv, doi, title = fields
        norm = normalise_title(title) if title is not None else None
        head, tail = PaperIndex._block_keys(norm) if norm is not None else (None, None)
        found = (arxiv_key(arxiv) if arxiv is not None else None, doi_key(doi) if doi is not None else None,
                 norm, head, tail)
        if len(_KEYS) > 200_000:  # a bound for long-lived processes (mkdocs serve)
            _KEYS.clear()
        _KEYS[fields] = found
    return found


def paper_keys(record: dict[str, Any]) -> list[Any]:
    """What `remember_keys` takes back for a record: its fields and its keys (JSON data)."""
    return [list(_fields(record)), list(_keys(record))]


def remember_keys(entries: Iterable[Any]) -> None:
    """Take keys made earlier by this code (`paper_keys`, kept in the validated snapshot), so that checking a
    few changed papers against 10,000 others needs no title normalised again."""
    for fields, keys in entries:
        if len(fields) == 3 and len(keys) == 5:
            _KEYS[tuple(fields)] = tuple(keys)  # type: ignore[assignment]


def _same_id(a: _Keys, b: _Keys) -> bool:
    return (a[0] is not None and a[0] == b[0]) or (a[1] is not None and a[1] == b[1])


def _could_matter(a: _Keys, b: _Keys) -> bool:
    """Whether PaperIndex.find can answer b for a: the same arXiv id, DOI or title, or a title in a's blocks."""
    return _same_id(a, b) or (a[2] is not None and (a[2] == b[2] or a[3] == b[3] or a[4] == b[4]))


def duplicates_of(papers: list[tuple[str, dict[str, Any]]], wanted: set[str]) -> list[Duplicate]:
    """What `find_duplicates(papers)` reports for the papers in `wanted` (as the later of a pair), without
    indexing every title: for each wanted paper, an index of only the earlier papers that can matter to its
    answer (the same arXiv id, DOI or normalised title, a title in one of its blocks, or a `not_duplicate_of`
    naming it), added in their order, answers as the index of all earlier papers does."""
    keys = [_keys(record) for _id, record in papers]
    found: list[Duplicate] = []
    for position, (paper_id, record) in enumerate(papers):
        if paper_id not in wanted:
            continue
        mine = keys[position]
        index = PaperIndex()
        for (other_id, other), other_keys in zip(papers[:position], keys[:position], strict=True):
            if _could_matter(mine, other_keys) or paper_id in (other.get("not_duplicate_of") or []):
                index.add(other_id, other)
        dup = index.find(record, paper_id)
        if dup:
            found.append(dup)
    return found


def close_papers(papers: list[tuple[str, dict[str, Any]]], wanted: set[str]) -> dict[str, list[str]]:
    """For each paper in `wanted`, the other papers it could be reported a duplicate of, or another one of it,
    in either order and whatever their `not_duplicate_of` say: the same arXiv id, DOI or normalised title, or
    a near-identical title in a shared block. Empty lists: no duplicate finding can involve those papers."""
    keys = {paper_id: _keys(record) for paper_id, record in papers}
    out: dict[str, list[str]] = {}
    for paper_id in wanted:
        mine = keys[paper_id]
        out[paper_id] = [
            other_id for other_id, other in keys.items()
            if other_id != paper_id and _could_matter(mine, other) and (
                _same_id(mine, other) or (other[2] is not None and near_identical(mine[2], other[2])))  # type: ignore[arg-type]
        ]
    return out
