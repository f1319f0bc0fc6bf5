"""Exports of the whole knowledge base from its graph: JSON, GraphML, BibTeX, CSV, Awesome-list Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import networkx as nx

from safetykb.core.layout import KINDS, PLURALS
from safetykb.core.queries import Graph, newest_first, of_kind, record
from safetykb.core.schema import field_names
from safetykb.export.awesome import to_awesome
from safetykb.export.bibtex import to_bibtex
from safetykb.export.metadata import metadata

#: Version of the JSON export's layout; bump when a field changes meaning.
SCHEMA_VERSION = "1.0"


def records_of(graph: Graph, kind: str) -> list[dict[str, Any]]:
    """Records of one kind with fields in schema order; papers newest first, others by id."""
    ids = newest_first(graph, of_kind(graph, kind)) if kind == "paper" else of_kind(graph, kind)
    order = field_names(kind)
    out = []
    for node in ids:
        data = record(graph, node)
        out.append({k: data[k] for k in order if k in data})
    return out


def to_json(graph: Graph) -> str:
    """The whole knowledge base: schema_version, metadata (version, licences, sources), then papers, models,
    attacks, defenses, datasets, benchmarks, each a list of records with the DESIGN field names."""
    payload: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "metadata": metadata(graph)}
    for kind in KINDS:
        payload[PLURALS[kind]] = records_of(graph, kind)
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def to_graphml(graph: Graph) -> str:
    """GraphML: lists and mappings become JSON text, since GraphML holds scalars only."""
    plain = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attrs = {
            k: (v if isinstance(v, (str, int, float, bool)) else json.dumps(v, ensure_ascii=False))
            for k, v in data.items()
        }
        plain.add_node(node, **attrs)
    for source, target, key, relation in graph.edges(keys=True, data="relation"):
        plain.add_edge(source, target, key=key, relation=relation)
    return "\n".join(nx.generate_graphml(plain, named_key_ids=True)) + "\n"


def to_bib(graph: Graph) -> str:
    return to_bibtex(records_of(graph, "paper"))


CSV_COLUMNS = (
    "id",
    "title",
    "authors",
    "year",
    "date",
    "venue",
    "models",
    "contribution",
    "attacks",
    "defenses",
    "counters",
    "evaluates",
    "arxiv",
    "doi",
    "url",
    "code",
)


def to_csv(graph: Graph) -> str:
    """One row per paper; list fields joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for paper in records_of(graph, "paper"):
        links = paper.get("links") or {}
        row = []
        for column in CSV_COLUMNS:
            value = links.get(column) if column in ("arxiv", "doi", "url", "code") else paper.get(column)
            row.append("; ".join(value) if isinstance(value, list) else ("" if value is None else value))
        writer.writerow(row)
    return buffer.getvalue()


EXPORTERS: dict[str, Callable[[Graph], str]] = {
    "json": to_json,
    "graphml": to_graphml,
    "bib": to_bib,
    "csv": to_csv,
    "awesome": to_awesome,
}
