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
    for (kind, field), relation in _FIELD_RELATIONS.items():
        for record_id, record in kb.of(kind).items():
            for _pointer, target in ref_items(record, field):
                graph.add_edge(record_id, target, key=relation, relation=relation)
    for kind in ("dataset", "benchmark"):
        for record_id, record in kb.of(kind).items():
            paper = record.get("introduced_in")
            if isinstance(paper, str) and not graph.has_edge(paper, record_id, key="introduces"):
                graph.add_edge(paper, record_id, key="introduces", relation="introduces")
    return graph
