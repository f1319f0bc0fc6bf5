"""Merging list entries that are the same paper, across the two lists and within one.

Two entries are the same paper when they share an arXiv id (version ignored),
the same title key (normalised title without spaces), or near-identical
normalised titles (``difflib`` ratio >= ``FUZZY_RATIO``). Fuzzy candidates come
from a sorted-neighbourhood blocking (titles sorted forwards and by reversed word
order, each compared with its next ``WINDOW`` neighbours), so the cost is
O(n log n + n * WINDOW), not O(n^2).

A fourth rule catches a paper whose subtitle was reworded between the lists
("An Image Is Worth 1000 Lies: Adversarial Transferability across Prompts ..." /
"...: Transferability of Adversarial Images across Prompts ..."): same main title
(the part before the first colon, at least ``MIN_HEAD_WORDS`` words), same first
author's family name, years at most one apart, and no conflicting arXiv ids.

Guards: entries sharing an arXiv id but with unrelated titles are a list error
(one id pasted twice) unless they share an author (then the paper was retitled,
as JailGuard was); the id stays with the entry whose date is nearest the
id's month and is dropped, with a warning, from the others. Near-identical titles
with different arXiv ids are not merged (reported as possible duplicates).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from safetykb.importer import LISTS
from safetykb.importer.model import Entry, Person
from safetykb.importer.text import arxiv_month, fold, norm_title, title_key

FUZZY_RATIO = 0.95
WINDOW = 8
ARXIV_CONFLICT_RATIO = 0.6  # below this, two titles under one arXiv id are different papers
MIN_HEAD_WORDS = 3  # a main title (before ':') shorter than this is a method name, not distinctive


@dataclass
class Paper:
    """One distinct paper: its entries (in preference order) and the merged facts."""

    entries: list[Entry]
    title: str = ""
    authors: list[Person] = field(default_factory=list)
    authors_complete: bool = True
    affiliations: list[str] = field(default_factory=list)
    year: int | None = None
    date: str | None = None
    venue: str | None = None
    venue_note: str | None = None
    venue_year: int | None = None
    arxiv: str | None = None
    url: str | None = None
    code: str | None = None
    notes: list[str] = field(default_factory=list)  # merge decisions worth reporting

    @property
    def sources(self) -> list[str]:
        present = {e.list for e in self.entries}
        return [name for name in LISTS if name in present]

    @property
    def key(self) -> str:
        return title_key(self.title)


@dataclass
class MergeResult:
    papers: list[Paper]
    warnings: list[str]  # "path:line: message"
    possible_duplicates: list[tuple[Entry, Entry, float]]


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _order(entry: Entry) -> tuple[int, str, int]:
    rank = LISTS.index(entry.list) if entry.list in LISTS else len(LISTS)
    return rank, entry.path, entry.line


def similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _month_distance(entry: Entry, arxiv_id: str) -> int:
    month = arxiv_month(arxiv_id)
    if month is None or entry.date is None:
        return 10_000
    y1, m1 = int(month[:4]), int(month[5:7])
    y2, m2 = int(entry.date[:4]), int(entry.date[5:7])
    return abs((y1 - y2) * 12 + (m1 - m2))


def _share_author(cluster: list[Entry], entry: Entry) -> bool:
    families = {fold(a.family).lower() for a in entry.authors}
    return any(fold(a.family).lower() in families for other in cluster for a in other.authors)


def _resolve_arxiv_conflicts(entries: list[Entry], warnings: list[str]) -> None:
    by_id: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.arxiv:
            by_id[e.arxiv].append(e)
    for arxiv_id, group in by_id.items():
        if len(group) < 2:
            continue
        clusters: list[list[Entry]] = []
        for e in group:
            nt = norm_title(e.title)
            for cluster in clusters:
                if (
                    title_key(cluster[0].title) == title_key(e.title)
                    or similar(norm_title(cluster[0].title), nt) >= ARXIV_CONFLICT_RATIO
                    or _share_author(cluster, e)
                ):
                    cluster.append(e)
                    break
            else:
                clusters.append([e])
        if len(clusters) < 2:
            continue
        keep = min(clusters, key=lambda c: (min(_month_distance(e, arxiv_id) for e in c), _order(c[0])))
        for cluster in clusters:
            if cluster is keep:
                continue
            for e in cluster:
                e.arxiv = None
                msg = (
                    f"arXiv {arxiv_id} is also given for the unrelated {keep[0].title!r} "
                    f"({keep[0].where}); dropped here as a list error"
                )
                e.warnings.append(msg)
                warnings.append(f"{e.where}: {msg}")


def _fuzzy_pairs(titles: list[str]) -> set[tuple[int, int]]:
    """Candidate pairs (i < j) of near-identical titles by sorted neighbourhood."""
    pairs: set[tuple[int, int]] = set()
    keys = [
        lambda t: t,
        lambda t: " ".join(reversed(t.split())),
    ]
    for key in keys:
        order = sorted(range(len(titles)), key=lambda i: key(titles[i]))
        for pos, i in enumerate(order):
            for j in order[pos + 1 : pos + 1 + WINDOW]:
                a, b = titles[i], titles[j]
                if a == b or 2 * min(len(a), len(b)) < FUZZY_RATIO * (len(a) + len(b)):
                    continue
                sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
                if (
                    sm.real_quick_ratio() >= FUZZY_RATIO
                    and sm.quick_ratio() >= FUZZY_RATIO
                    and sm.ratio() >= FUZZY_RATIO
                ):
                    pairs.add((min(i, j), max(i, j)))
    return pairs


def merge(entries: list[Entry]) -> MergeResult:
    """Group entries into papers and merge their facts."""
    warnings: list[str] = []
    entries = sorted(entries, key=_order)
    _resolve_arxiv_conflicts(entries, warnings)
    uf = _UnionFind(len(entries))
    first_by: dict[tuple[str, str], int] = {}
    for i, e in enumerate(entries):
        for kind, value in (("arxiv", e.arxiv), ("title", title_key(e.title))):
            if not value:
                continue
            j = first_by.setdefault((kind, value), i)
            if j != i:
                uf.union(i, j)
    # fuzzy matching over distinct normalised titles
    norms = [norm_title(e.title) for e in entries]
    distinct = sorted(set(norms))
    index_of = {t: k for k, t in enumerate(distinct)}
    rep: dict[int, int] = {}
    for i, t in enumerate(norms):
        rep.setdefault(index_of[t], i)
    ids_by_root: dict[int, set[str]] = defaultdict(set)
    for i, e in enumerate(entries):
        if e.arxiv:
            ids_by_root[uf.find(i)].add(e.arxiv)
    possible: list[tuple[Entry, Entry, float]] = []
    for a, b in sorted(_fuzzy_pairs(distinct)):
        i, j = rep[a], rep[b]
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        ids_i, ids_j = ids_by_root[ri], ids_by_root[rj]
        if ids_i and ids_j and not ids_i & ids_j:
            possible.append((entries[i], entries[j], similar(distinct[a], distinct[b])))
            continue
        uf.union(i, j)
        ids_by_root[uf.find(i)] = ids_i | ids_j
    _merge_reworded_subtitles(entries, uf, ids_by_root)
    groups: dict[int, list[Entry]] = defaultdict(list)
    for i, e in enumerate(entries):
        groups[uf.find(i)].append(e)
    papers = [_combine(groups[root]) for root in sorted(groups)]
    for p in papers:
        warnings.extend(f"{p.entries[0].where}: {n}" for n in p.notes)
    return MergeResult(papers=papers, warnings=warnings, possible_duplicates=possible)


def _head_key(entry: Entry) -> tuple[str, str] | None:
    """(main title key, first author's family) when the title has a distinctive main title."""
    head, sep, _rest = entry.title.partition(":")
    if not sep or len(norm_title(head).split()) < MIN_HEAD_WORDS or not entry.authors:
        return None
    return title_key(head), fold(entry.authors[0].family).lower()


def _merge_reworded_subtitles(entries: list[Entry], uf: _UnionFind, ids_by_root: dict[int, set[str]]) -> None:
    first: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        key = _head_key(e)
        if key is not None:
            first[key].append(i)
    for members in first.values():
        for i in members[1:]:
            j = members[0]
            ri, rj = uf.find(i), uf.find(j)
            if ri == rj:
                continue
            yi, yj = entries[i].year, entries[j].year
            if yi and yj and abs(yi - yj) > 1:
                continue
            ids_i, ids_j = ids_by_root[ri], ids_by_root[rj]
            if ids_i and ids_j and not ids_i & ids_j:
                continue
            uf.union(i, j)
            ids_by_root[uf.find(i)] = ids_i | ids_j


def _combine(group: list[Entry]) -> Paper:
    group = sorted(group, key=_order)
    p = Paper(entries=group)
    first = group[0]
    p.title = first.title
    renamed = sorted(f"{e.where} {e.title!r}" for e in group if title_key(e.title) != title_key(p.title))
    if renamed:
        p.notes.append(f"merged differently worded titles: kept {p.title!r}, also " + "; ".join(renamed))
    # authors: the fullest list (the LVLM list wins ties: full given names, no 'et al.')
    best = max(group, key=lambda e: (len(e.authors), all(a.given for a in e.authors), -group.index(e)))
    p.authors = list(best.authors)
    p.authors_complete = best.authors_complete
    p.affiliations = next((list(e.affiliations) for e in group if e.affiliations), [])
    # date: the most precise; among equally precise ones the earliest
    dates = [e.date for e in group if e.date]
    if dates:
        longest = max(len(d) for d in dates)
        precise = sorted(d for d in dates if len(d) == longest)
        p.date = precise[0]
        # a YYYY-MM from the arXiv id that is earlier than the full date wins
        months = sorted(d for d in dates if len(d) == 7)
        if months and months[0] < p.date[:7]:
            p.date = months[0]
    years = sorted(e.year for e in group if e.year)
    p.year = int(p.date[:4]) if p.date else (years[0] if years else None)
    # venue: a published venue beats arXiv; first in preference order otherwise
    with_venue = [e for e in group if e.venue]
    published = [e for e in with_venue if e.venue != "arXiv"]
    chosen = (published or with_venue or [None])[0]
    if chosen is not None:
        p.venue, p.venue_note, p.venue_year = chosen.venue, chosen.venue_note, chosen.venue_year
        if p.venue_note is None:
            notes = [e.venue_note for e in with_venue if e.venue == p.venue and e.venue_note]
            p.venue_note = notes[0] if notes else None
        names = sorted({e.venue for e in published if e.venue})
        if len(names) > 1:
            p.notes.append(f"entries name different venues {names}; kept {p.venue}")
    ids = [e.arxiv for e in group if e.arxiv]
    p.arxiv = ids[0] if ids else None
    if len(set(ids)) > 1:
        p.notes.append(f"entries give different arXiv ids {sorted(set(ids))}; kept {p.arxiv}")
    p.url = f"https://arxiv.org/abs/{p.arxiv}" if p.arxiv else next((e.url for e in group if e.url), None)
    p.code = next((e.code for e in group if e.code), None)
    return p
