"""The knowledge base in memory: validated records by kind, and what they may reference."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetykb.core.layout import KINDS

Record = dict[str, Any]

#: Reference fields of each kind and the kinds their ids must name.
REFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "paper": {
        "models": ("model",),
        "attacks": ("attack",),
        "defenses": ("defense",),
        "counters": ("attack",),
        "evaluates": ("attack",),
        "introduces": ("dataset", "benchmark"),
        "uses": ("dataset", "benchmark"),
        "not_duplicate_of": ("paper",),
    },
    "model": {"parent": ("model",)},
    "attack": {"parent": ("attack",)},
    "defense": {"parent": ("defense",), "counters": ("attack",)},
    "dataset": {"introduced_in": ("paper",), "models": ("model",), "evaluates": ("attack",)},
    "benchmark": {"introduced_in": ("paper",), "models": ("model",), "evaluates": ("attack",)},
    "system": {"family": ("model",)},
    # `values.system`: the `system` key of every mapping in the list `values` (see `ref_items`).
    "result": {"source": ("paper",), "benchmark": ("benchmark", "dataset"), "values.system": ("system",)},
}

#: How each kind is named in messages and on pages.
KIND_WORDS: dict[str, str] = {
    "paper": "paper",
    "model": "model family",
    "attack": "attack type",
    "defense": "defense type",
    "dataset": "dataset",
    "benchmark": "benchmark",
    "system": "evaluated system",
    "result": "result set",
}


def publication_year(record: Record) -> int | None:
    """The year to cite: the venue edition's year (`venue_year`) if given, else `year`."""
    value = record.get("venue_year") or record.get("year")
    return value if isinstance(value, int) else None


def authors_cut(record: Record) -> bool:
    """Whether a source cut the record's author list (`authors_complete: false`): show it as 'et al.'."""
    return record.get("authors_complete") is False


def former_index(papers: Iterable[tuple[str, Record]]) -> dict[str, str]:
    """Every former id of a paper (`former_ids`) -> the paper's id now; the one index through which the
    site, the query tool, add_paper and the validator accept old ids. The first claim wins (the validator
    reports a second)."""
    index: dict[str, str] = {}
    for paper_id, record in papers:
        for old in record.get("former_ids") or []:
            if isinstance(old, str):
                index.setdefault(old, paper_id)
    return index


def ref_values(value: Any) -> list[str]:
    """The ids held by a reference field, whether it holds one id or a list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def ref_items(record: Record, field: str) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(key path, id) for every id a reference field of REFERENCES holds: `models` -> ('models', 0), ...;
    a dotted field `values.system` names the `system` key of each mapping in the list `values`."""
    head, _, key = field.partition(".")
    value = record.get(head)
    if key:
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict) and isinstance(item.get(key), str):
                    yield (head, i, key), item[key]
    elif isinstance(value, str):
        yield (head,), value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield (head, i), item


@dataclass
class KnowledgeBase:
    """Every record, by kind and id. Built by `safetykb.core.validation`; read by everything downstream."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {k: {} for k in KINDS})

    def add(self, kind: str, record: Record) -> None:
        self.records[kind][record["id"]] = record

    def kind_of(self, record_id: str) -> str | None:
        for kind in KINDS:
            if record_id in self.records[kind]:
                return kind
        return None

    def get(self, record_id: str) -> Record | None:
        kind = self.kind_of(record_id)
        return self.records[kind][record_id] if kind else None

    def current_id(self, paper_id: str) -> str | None:
        """A paper's id now, for its id or a former one; None when no paper had it."""
        if paper_id in self.records["paper"]:
            return paper_id
        return former_index(self.records["paper"].items()).get(paper_id)

    def of(self, kind: str) -> dict[str, Record]:
        return self.records[kind]

    @property
    def papers(self) -> dict[str, Record]:
        return self.records["paper"]

    def __iter__(self) -> Iterator[tuple[str, Record]]:
        for kind in KINDS:
            for record in self.records[kind].values():
                yield kind, record

    def __len__(self) -> int:
        return sum(len(v) for v in self.records.values())

    def counts(self) -> dict[str, int]:
        return {kind: len(self.records[kind]) for kind in KINDS}
