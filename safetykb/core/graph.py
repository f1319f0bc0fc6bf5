"""The knowledge base as a networkx MultiDiGraph: one node per record, typed edges between them.

Nodes are keyed by record id with a `kind` attribute and the record's fields.
Edges carry a `relation`: subtype_of (child -> parent), targets (paper or
dataset/benchmark -> model), proposes (paper -> attack or defense type),
counters (paper or defense type -> attack type), evaluates (paper or
dataset/benchmark -> attack type), introduces and uses (paper -> dataset or
benchmark).
"""

from __future__ import annotations

import networkx as nx

from safetykb.core.layout import TREE_KINDS
from safetykb.core.records import KnowledgeBase, ref_values

RELATIONS = ("subtype_of", "targets", "proposes", "counters", "evaluates", "introduces", "uses")

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
}
for _kind in TREE_KINDS:
    _FIELD_RELATIONS[(_kind, "parent")] = "subtype_of"


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """The graph of a validated knowledge base."""
    graph = nx.MultiDiGraph(name="safetykb")
    for kind, record in kb:
        graph.add_node(record["id"], kind=kind, **{k: v for k, v in record.items() if k != "id"})
    for (kind, field), relation in _FIELD_RELATIONS.items():
        for record_id, record in kb.of(kind).items():
            for target in ref_values(record.get(field)):
                graph.add_edge(record_id, target, key=relation, relation=relation)
    for kind in ("dataset", "benchmark"):
        for record_id, record in kb.of(kind).items():
            paper = record.get("introduced_in")
            if isinstance(paper, str) and not graph.has_edge(paper, record_id, key="introduces"):
                graph.add_edge(paper, record_id, key="introduces", relation="introduces")
    return graph
