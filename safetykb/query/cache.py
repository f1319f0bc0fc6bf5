"""The query tool's cache: the graph's edges and the indices questions need, kept with the validated
snapshot (`core.snapshot`, `<root>/.cache/kb.json`), so that a question costs a scan and a JSON read.

The snapshot is sealed JSON (`core.sealed`): reading it runs no code, and a file this user did not write
is ignored. It holds every record of the knowledge base as it last validated without errors; this module
adds, for that exact state of the files and of the code (`Listing.key`, `query_code_digest`), the graph's
edges in `core.graph.graph_edges` order and its indices (`_index_types`, turned into JSON by `encode`).

`load_graph` lists the files and hashes the text of those whose stat changed, then:

- nothing changed: the graph is made from the kept records and edges, and the indices are read back;
- a few paper records changed or were added: `core.snapshot.revalidate` checks those alone (no other
  record can have got a problem from them); the graph is the kept one with those papers' edges made
  again, and the indices are made again from it, as from scratch (the vocabulary reuses the words it
  had split before);
- anything else, or no usable snapshot: everything is validated and indexed again.

Only a knowledge base without errors is kept; a changed record, rule or question reader never finds its
old answers, so the cache cannot answer from stale data. Any problem reading or writing it falls back to
validating the records.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
import typing
from collections import defaultdict
from pathlib import Path
from typing import Any

from safetykb.core.snapshot import Listing, Snapshot, code_digest, scan

_PACKAGE = Path(__file__).resolve().parents[1]


_code: str | None = None


def query_code_digest() -> str:
    """The validating code's digest (`core.snapshot.code_digest`) and that of the question reader."""
    global _code
    if _code is None:
        digest = hashlib.blake2b(code_digest().encode(), digest_size=16)
        for path in sorted(_PACKAGE.glob("query/*.py")):
            data = path.read_bytes()
            digest.update(f"{path.name}\0{len(data)}\0".encode() + data)
        _code = digest.hexdigest()
    return _code


# ---------------------------------------------------------------- the indices, as JSON


def _index_types() -> dict[str, tuple[Any, Any]]:
    """The indices the cache keeps: graph attribute -> (type, default factory of a defaultdict or None)."""
    from safetykb.core.queries import Matrix
    from safetykb.query.question import Vocabulary
    from safetykb.query.results_question import ResultsVocabulary

    return {
        "_terms": (dict[str, dict[str, str]], dict),
        "_paper_index": (dict[tuple[str, str], set[str]], set),
        "_children": (dict[str, list[str]], None),
        "_former": (dict[str, str], None),
        "_matrix": (Matrix, None),
        "_question_vocab": (Vocabulary, None),
        "_words": (dict[str, list[str]], None),
        "_results_vocab": (ResultsVocabulary, None),
        "_result_sets": (list[str], None),
    }


#: Indices of papers made again after papers changed (`core.queries.refresh_paper_indices` brings the paper
#: index and the matrix up to date; the terms and the trees do not depend on papers).
_REMADE = ("_question_vocab", "_results_vocab", "_result_sets")


def _make_indices(graph: Any) -> None:
    """The indices made for a graph before it is cached (each stores itself on the graph)."""
    from safetykb.core.queries import _index, former_ids, matrix, term_index
    from safetykb.query.question import vocabulary
    from safetykb.query.results_question import results_vocabulary

    former_ids(graph)
    term_index(graph)
    _index(graph)
    matrix(graph)
    vocabulary(graph)
    results_vocabulary(graph)


def encode(value: Any, kind: Any) -> Any:
    """value as JSON data, guided by its type: sets sorted, tuples as lists, mappings with other keys than
    strings as lists of pairs, dataclasses as mappings of their fields. Raises TypeError for anything else."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind in (str, int, bool):
        if type(value) is not kind:
            raise TypeError(f"{value!r} is not {kind.__name__}")
        return value
    if origin is list:
        return [encode(v, args[0]) for v in value] if args[0] is not str else _strings(value)
    if origin is set:  # in no particular order: a set has none
        return _strings(list(value)) if args[0] is str else [encode(v, args[0]) for v in value]
    if origin is tuple:
        if len(value) != len(args):
            raise TypeError(f"{value!r} does not have {len(args)} items")
        return [encode(v, a) for v, a in zip(value, args, strict=True)]
    if origin is dict:
        if args[0] is str:
            if args[1] is str or args[1] == list[str]:  # the large ones: checked in one pass
                if all(type(k) is str and (type(v) is str if args[1] is str else _all_strings(v))
                       for k, v in value.items()):
                    return dict(value)
                raise TypeError("not strings")
            return {_string(k): encode(v, args[1]) for k, v in value.items()}
        return [[encode(k, args[0]), encode(v, args[1])] for k, v in value.items()]
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return {f.name: encode(getattr(value, f.name), hints[f.name]) for f in dataclasses.fields(kind)}
    raise TypeError(f"cannot keep a {kind!r}")


def decode(data: Any, kind: Any) -> Any:
    """The value `encode` made data from. (Containers of strings are taken as they are: the cache file is
    sealed, so its data is what `encode` wrote; a malformed structure still raises TypeError or KeyError.)"""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind in (str, int, bool):
        if type(data) is not kind:
            raise TypeError(f"{data!r} is not {kind.__name__}")
        return data
    if origin is list:
        return _listed(data) if args[0] is str else [decode(v, args[0]) for v in data]
    if origin is set:
        return set(_listed(data)) if args[0] is str else {decode(v, args[0]) for v in data}
    if origin is tuple:
        if len(data) != len(args):
            raise TypeError(f"{data!r} does not have {len(args)} items")
        return tuple(decode(v, a) for v, a in zip(data, args, strict=True))
    if origin is dict:
        if args[0] is str:
            if not isinstance(data, dict):
                raise TypeError("not a mapping")
            if args[1] is str or args[1] == list[str]:
                return data
            return {k: decode(v, args[1]) for k, v in data.items()}
        return {decode(k, args[0]): decode(v, args[1]) for k, v in data}
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: decode(data[f.name], hints[f.name]) for f in dataclasses.fields(kind)})
    raise TypeError(f"cannot read a {kind!r}")


def _listed(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise TypeError("not a list")
    return data


def _string(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"{value!r} is not a string")
    return value


def _all_strings(values: Any) -> bool:
    return type(values) is list and all(type(v) is str for v in values)


def _strings(values: Any) -> Any:
    """A list of strings, or a mapping of strings to strings, checked and returned as it is."""
    if isinstance(values, dict):
        if all(type(k) is str and type(v) is str for k, v in values.items()):
            return values
    elif isinstance(values, list) and all(type(v) is str for v in values):
        return values
    raise TypeError("not strings")


# ---------------------------------------------------------------- the graph, kept with the snapshot


def graph_data(graph: Any, edges: list[Any]) -> dict[str, Any] | None:
    """What the snapshot keeps for the query tool: the code that made it, the edges (in `graph_edges`
    order) and the indices; None when an index holds something the codec cannot keep."""
    try:
        indices = {name: encode(graph.graph[name], kind)
                   for name, (kind, _factory) in _index_types().items() if name in graph.graph}
    except (TypeError, KeyError):
        return None
    return {"code": query_code_digest(), "edges": edges, "indices": indices}


def graph_of(kb: Any, data: dict[str, Any]) -> Any:  # -> nx.MultiDiGraph | None
    """The graph of kb with the edges and indices `graph_data` kept (None if the data is not that)."""
    try:
        if data.get("code") != query_code_digest():
            return None
        graph = _graph_from_kb(kb, data["edges"])
        for name, (kind, factory) in _index_types().items():
            if name in data["indices"]:
                value = decode(data["indices"][name], kind)
                graph.graph[name] = defaultdict(factory, value) if factory is not None else value
        return graph
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


#: The paper fields the question reader's vocabulary is made of (besides the papers' ids).
_VOCABULARY_FIELDS = ("method", "venue", "authors", "former_ids")


def _same_words(snap: Snapshot, result: Any, fresh: list[Path]) -> bool:
    """Whether the changed papers all existed and kept the fields the vocabulary reads (`question.vocabulary`
    reads ids, methods, venues, authors and former ids of papers): it is then the same vocabulary."""
    by_path = {path: record_id for (kind, record_id), path in result.paths.items() if kind == "paper"}
    base = len(str(result.kb.root)) + 1
    for path in fresh:
        at = snap.by_rel.get(str(path)[base:].replace(os.sep, "/"))
        new = result.kb.papers.get(by_path.get(path, ""))
        if at is None or new is None:
            return False
        old = snap.records[at]
        if old.get("id") != new.get("id") or any(old.get(f) != new.get(f) for f in _VOCABULARY_FIELDS):
            return False
    return True


def _graph_from_kb(kb: Any, edges: list[Any]) -> Any:
    """`core.graph.build_graph` from the records and its edges (`graph_edges`), filling networkx's dicts as
    `add_node` and `add_edge` do: the same graph, in the same order when the edges come in that order."""
    import networkx as nx

    graph = nx.MultiDiGraph(name="safetykb")
    nodes, succ, pred = graph._node, graph._succ, graph._pred
    for kind, record in kb:
        node = record["id"]
        attrs = {"kind": kind}
        attrs.update((k, v) for k, v in record.items() if k != "id")
        nodes[node], succ[node], pred[node] = attrs, {}, {}
    for source, target, relation in edges:
        if source not in succ:
            nodes[source], succ[source], pred[source] = {}, {}, {}
        if target not in succ:
            nodes[target], succ[target], pred[target] = {}, {}, {}
        keys = succ[source].get(target)
        if keys is None:
            keys = succ[source][target] = pred[target][source] = {}
        data = keys.get(relation) or {}
        data["relation"] = relation
        keys[relation] = data
    nx._clear_cache(graph)
    return graph


# ---------------------------------------------------------------- loading


def load_graph(root: Path, use_cache: bool = True):  # -> (nx.MultiDiGraph | None, list[Problem])
    """(graph, []) for the knowledge base at root, indices made, from the cache when it is current;
    (None, problems) when the records have problems. A current cache imports neither YAML nor the validator."""
    enabled = gc.isenabled()
    gc.disable()  # many small containers are made below; the collector would walk them over and over
    try:
        if not use_cache:
            return _load(root, None, None)
        snap = Snapshot.read(root, extra=True)
        listing = scan(root, snap)
        if snap is not None and snap.key == listing.key() and "graph" in snap.extra:
            graph = graph_of(snap.knowledge_base(root), snap.extra["graph"])
            if graph is not None:
                return graph, []
        return _load(root, listing, snap)
    finally:
        if enabled:
            gc.freeze()  # what was built stays: later collections need not walk it
            gc.enable()


def _load(root: Path, listing: Listing | None, snap: Snapshot | None):
    """Validate what changed since the snapshot (everything without one), build the graph and its indices,
    and keep them with the snapshot (`listing` None: no cache at all)."""
    from safetykb.core import snapshot
    from safetykb.core.graph import graph_edges
    from safetykb.core.queries import refresh_paper_indices
    from safetykb.core.validation import load_and_validate

    changes = snap.changes(listing) if snap is not None and listing is not None else None
    result = None
    if snap is not None and changes is not None and listing is not None:
        result = snapshot.current_result(root, snap, listing) if changes.none else snapshot.revalidate(
            root, snap, listing, changes)
    fresh: list[Path] | None = None
    if result is None:
        result = load_and_validate(root, scanned=(listing.files, listing.outside) if listing is not None else None)
        if result.problems:
            return None, result.problems
    elif changes is not None and listing is not None:
        fresh = [listing.root / rel for rel in changes.added + changes.modified]
    kept = snap.extra.get("graph") if snap is not None else None
    graph = None
    if fresh and isinstance(kept, dict):
        # The kept graph (of the snapshot's records) with the changed papers' records and edges.
        fresh_set = set(fresh)
        changed = {record_id for (_kind, record_id), path in result.paths.items() if path in fresh_set}
        with contextlib.suppress(KeyError, TypeError, AttributeError):
            edges = [edge for edge in kept["edges"] if edge[0] not in changed] + graph_edges(result.kb, changed)
            graph = graph_of(result.kb, {**kept, "edges": edges})
        if graph is not None:
            refresh_paper_indices(graph, changed)
            for name in _REMADE:
                if name != "_question_vocab" or not _same_words(snap, result, fresh):  # type: ignore[arg-type]
                    graph.graph.pop(name, None)
    if graph is None:
        edges = graph_edges(result.kb)
        graph = _graph_from_kb(result.kb, edges)
        if isinstance(kept, dict):  # the words the vocabulary split last time
            with contextlib.suppress(KeyError, TypeError):
                graph.graph["_words"] = decode(kept["indices"]["_words"], dict[str, list[str]])
    _make_indices(graph)
    if listing is not None:
        extra = graph_data(graph, edges)
        if changes is not None and changes.none:  # the snapshot is current: only the graph is new
            if extra:
                snapshot.write_extra(root, listing, {"graph": extra})
        else:
            snapshot.write(root, result, listing, fresh=fresh, extra={"graph": extra} if extra else None)
    return graph, []
