"""The knowledge base as a networkx MultiDiGraph: one node per record, typed edges between them.

Nodes are keyed by record id with a `kind` attribute (paper, model, attack, defense, dataset,
benchmark, system, result) and the record's fields. Edges carry a `relation`:

| relation | from | to | record field |
|---|---|---|---|
| subtype_of | model, attack or defense type | its parent (same kind) | `parent` |
| targets | paper, dataset, benchmark | model family | `models` |
| proposes | paper | attack or defense type | `attacks`, `defenses` |
| counters | paper, defense type | attack type | `counters` |
| evaluates | paper, dataset, benchmark | attack type | `evaluates` |
| introduces | paper | dataset or benchmark | `introduces` (and the resource's `introduced_in`) |
| uses | paper | dataset or benchmark | `uses` |
| instance_of | evaluated system | model family | `family` |
| reported_in | result set | paper (the source of its numbers) | `source` |
| measures | result set | benchmark or dataset | `benchmark` |
| scores | result set | evaluated system | `values[].system` |
"""

from __future__ import annotations

import networkx as nx

from safetykb.core.layout import TREE_KINDS
from safetykb.core.records import KnowledgeBase, ref_items

RELATIONS = ("subtype_of", "targets", "proposes", "counters", "evaluates", "introduces", "uses", "instance_of",
             "reported_in", "measures", "scores")

#: (kind, field) -> relation of the edge from the record to each id in the field.
_FIELD_RELATIONS: dict[tuple[str, str], str] = {
    ("paper", "models"): "targets",
    ("paper", "attacks"): "proposes",
    ("paper", "defenses"): "proposes",
    ("paper", "counters"): "counters",
    ("paper", "evaluates"): "evaluates",
    ("paper", "introduces"): "introduces",
    ("paper", "uses"): "uses",
    ("defense", "counters"): "counters",
    ("dataset", "models"): "targets",
    ("dataset", "evaluates"): "evaluates",
    ("benchmark", "models"): "targets",
    ("benchmark", "evaluates"): "evaluates",
    ("system", "family"): "instance_of",
    ("result", "source"): "reported_in",
    ("result", "benchmark"): "measures",
    ("result", "values.system"): "scores",
}
for _kind in TREE_KINDS:
    _FIELD_RELATIONS[(_kind, "parent")] = "subtype_of"


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """The graph of a validated knowledge base."""
    graph = nx.MultiDiGraph(name="safetykb")
    for kind, record in kb:
        graph.add_node(record["id"], kind=kind, **{k: v for k, v in record.items() if k != "id"})
    for source, target, relation in graph_edges(kb):
        graph.add_edge(source, target, key=relation, relation=relation)
    return graph


Edge = tuple[str, str, str]  # (source, target, relation), the relation also being the edge's key


def graph_edges(kb: KnowledgeBase, sources: set[str] | None = None) -> list[Edge]:
    """The edges of `build_graph`, in the order it adds them (only those from `sources` if given): field by
    field, then the `introduces` edges that only a resource's `introduced_in` gives."""
    edges: list[Edge] = []
    for (kind, field), relation in _FIELD_RELATIONS.items():
        for record_id, record in kb.of(kind).items():
            if sources is None or record_id in sources:
                edges.extend((record_id, target, relation) for _pointer, target in ref_items(record, field))
    introduces = {(source, target) for source, target, relation in edges if relation == "introduces"}
    for kind in ("dataset", "benchmark"):
        for record_id, record in kb.of(kind).items():
            paper = record.get("introduced_in")
            wanted = sources is None or paper in sources
            if isinstance(paper, str) and wanted and (paper, record_id) not in introduces:
                introduces.add((paper, record_id))
                edges.append((paper, record_id, "introduces"))
    return edges
