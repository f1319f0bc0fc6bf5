"""Everything the pages need from the graph, computed once per build.

Page generation must stay linear in the number of papers: no page scans the
graph. `SiteIndex` walks the graph once and keeps names, page paths, tree
shapes, and for every taxonomy node the papers that touch it through each
relation (subtypes included), already sorted newest first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from safetykb.core.layout import PLURALS, TREE_KINDS
from safetykb.core.queries import Graph, tree_order
from safetykb.site.text import depth, href

TAXONOMY_KINDS = ("model", "attack", "defense", "dataset", "benchmark")
#: Paper relations a taxonomy node can be reached by.
PAPER_RELATIONS = ("targets", "proposes", "counters", "evaluates", "introduces", "uses")


def page_of(kind: str, node: str, has_kids: bool = False) -> str:
    """The generated Markdown path of a record's page. A taxonomy node with subtypes gets a folder index
    (same URL), so it can head its section of the navigation."""
    return f"{PLURALS[kind]}/{node}/index.md" if has_kids else f"{PLURALS[kind]}/{node}.md"


@dataclass
class SiteIndex:
    """Precomputed views of the graph for page generation."""

    graph: Graph
    directory_urls: bool = True
    kind: dict[str, str] = field(default_factory=dict)
    papers: list[str] = field(default_factory=list)  # newest first
    rank: dict[str, int] = field(default_factory=dict)  # position in `papers`
    kids: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    up: dict[str, list[str]] = field(default_factory=dict)  # node, then ancestors
    trees: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    direct: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    below: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    countered_by_type: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def rec(self, node: str) -> dict[str, Any]:
        return self.graph.nodes[node]

    def name(self, node: str) -> str:
        return str(self.graph.nodes[node].get("name") or node)

    def page(self, node: str) -> str:
        return page_of(self.kind[node], node, bool(self.kids.get(node)))

    def href(self, src: str, node: str) -> str:
        """Relative URL of a record's page from the page at `src` (for raw HTML links)."""
        return href(src, self.page(node), self.directory_urls)

    def depth(self, src: str) -> int:
        return depth(src, self.directory_urls)

    def of(self, kind: str) -> list[str]:
        """Nodes of a kind: trees in tree order, others by name."""
        if kind in self.trees:
            return [n for n, _d in self.trees[kind]]
        if kind == "paper":
            return self.papers
        return sorted((n for n, k in self.kind.items() if k == kind), key=lambda n: self.name(n).lower())

    def subtree(self, node: str) -> list[str]:
        out, stack = [], [node]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.kids.get(current, []))
        return out

    def roots(self, kind: str) -> list[str]:
        return [n for n, d in self.trees[kind] if d == 0]

    def root_of(self, node: str) -> str:
        return self.up[node][-1]

    def papers_under(self, relation: str, node: str) -> list[str]:
        """Papers with a `relation` edge to the node or any subtype, newest first (computed once)."""
        key = (relation, node)
        if key not in self.below:
            found: set[str] = set()
            for sub in self.subtree(node):
                found.update(self.direct.get((relation, sub), ()))
            self.below[key] = sorted(found, key=self.rank.__getitem__)
        return self.below[key]

    def newest(self, ids: set[str] | list[str]) -> list[str]:
        return sorted(set(ids), key=self.rank.__getitem__)


def build_index(graph: Graph, directory_urls: bool = True) -> SiteIndex:
    """One pass over nodes and edges."""
    index = SiteIndex(graph, directory_urls)
    dated: list[tuple[str, str]] = []
    for node, data in graph.nodes(data=True):
        kind = data["kind"]
        index.kind[node] = kind
        if kind == "paper":
            dated.append((str(data.get("date") or data.get("year") or ""), node))
        elif kind in TREE_KINDS and isinstance(data.get("parent"), str):
            index.kids[data["parent"]].append(node)
    dated.sort(key=lambda t: t[1])
    dated.sort(key=lambda t: t[0], reverse=True)
    index.papers = [n for _d, n in dated]
    index.rank = {n: i for i, n in enumerate(index.papers)}
    for kind in TREE_KINDS:
        index.trees[kind] = tree_order(graph, kind)
    for kids in index.kids.values():
        kids.sort(key=lambda n: index.name(n).lower())
    for node, kind in index.kind.items():
        if kind in TREE_KINDS:
            chain, current, seen = [node], graph.nodes[node].get("parent"), {node}
            while isinstance(current, str) and current in graph and current not in seen:
                chain.append(current)
                seen.add(current)
                current = graph.nodes[current].get("parent")
            index.up[node] = chain
    for source, target, relation in graph.edges(data="relation"):
        source_kind = index.kind.get(source)
        if source_kind == "paper":
            index.direct[(relation, target)].append(source)
        elif source_kind == "defense" and relation == "counters":
            index.countered_by_type[target].append(source)
    return index
