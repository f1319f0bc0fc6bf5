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
from safetykb.core.results import result_for_json, shown
from safetykb.core.schema import field_names
from safetykb.export.awesome import to_awesome
from safetykb.export.bibtex import to_bibtex
from safetykb.export.metadata import metadata

#: Version of the JSON export's layout; bump when a field changes meaning.
#: 1.1: adds `systems` (evaluated systems) and `results` (result sets, figures as JSON numbers).
SCHEMA_VERSION = "1.1"


def records_of(graph: Graph, kind: str) -> list[dict[str, Any]]:
    """Records of one kind with fields in schema order; papers newest first, others by id. The figures of
    a result set become JSON numbers (`safetykb.core.results.result_for_json`)."""
    ids = newest_first(graph, of_kind(graph, kind)) if kind == "paper" else of_kind(graph, kind)
    order = field_names(kind)
    out = []
    for node in ids:
        data = record(graph, node)
        ordered = {k: data[k] for k in order if k in data}
        out.append(result_for_json(ordered) if kind == "result" else ordered)
    return out


def to_json(graph: Graph) -> str:
    """The whole knowledge base: schema_version, metadata (version, licences, sources), then papers, models,
    attacks, defenses, datasets, benchmarks, systems and results, each a list of records with the DESIGN
    field names."""
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


#: What makes a spreadsheet read a cell as a formula (`=HYPERLINK(...)` in a title would run on opening).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a leading formula character gets an apostrophe."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def to_csv(graph: Graph) -> str:
    """One row per paper; list fields joined with '; '; no cell starts like a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for paper in records_of(graph, "paper"):
        links = paper.get("links") or {}
        row = []
        for column in CSV_COLUMNS:
            value = links.get(column) if column in ("arxiv", "doi", "url", "code") else paper.get(column)
            row.append(_cell("; ".join(value) if isinstance(value, list) else ("" if value is None else value)))
        writer.writerow(row)
    return buffer.getvalue()


#: Columns of the results CSV: one row per figure. `category` is empty for a system's headline figure;
#: `aggregate` names how the source aggregates (mean, sum) on the headline row of a set with categories.
RESULT_COLUMNS = ("result", "source", "source_date", "benchmark", "setting", "metric", "unit", "better", "system",
                  "system_name", "category", "value", "aggregate", "note")


def to_results_csv(graph: Graph) -> str:
    """One row per published figure of every result set (headline and category figures), as printed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    for result in of_kind(graph, "result"):
        data = graph.nodes[result]
        metric = data.get("metric") or {}
        paper = graph.nodes[data["source"]] if data.get("source") in graph else {}
        common = {"result": result, "source": data.get("source"), "source_date": paper.get("date") or paper.get("year"),
                  "benchmark": data.get("benchmark"), "setting": data.get("setting"), "metric": metric.get("name"),
                  "unit": metric.get("unit"), "better": metric.get("better")}
        for entry in data.get("values") or []:
            system = entry.get("system")
            name = graph.nodes[system].get("name") if system in graph else ""
            rows = [("", entry.get("value"), data.get("aggregate") if entry.get("by_category") else "",
                     entry.get("note"))]
            rows += [(c, v, "", "") for c, v in (entry.get("by_category") or {}).items()]
            for category, value, aggregate, note in rows:
                row = {**common, "system": system, "system_name": name, "category": category, "value": shown(value),
                       "aggregate": aggregate, "note": note}
                writer.writerow(["" if row[c] is None else row[c] for c in RESULT_COLUMNS])
    return buffer.getvalue()


EXPORTERS: dict[str, Callable[[Graph], str]] = {
    "json": to_json,
    "graphml": to_graphml,
    "bib": to_bib,
    "csv": to_csv,
    "results-csv": to_results_csv,
    "awesome": to_awesome,
}
