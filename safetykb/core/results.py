"""Result sets as numbers: published figures read exactly, rankings, and aggregates recomputed.

A result record (`results/<id>.yaml`, schema `result.schema.json`) keeps every figure as its
source printed it. The record loader reads `46.71` as the text '46.71' (it keeps dotted numbers
as text), so '100.00' keeps its two decimals and nothing is lost to binary floats. This module
is the one place that turns such a figure into a number (`number`, a Decimal), shows it
(`shown`, the published text) or exports it (`as_json`), ranks the systems of a result set by the
metric's direction (`ranking`) and recomputes a system's aggregate from its categories
(`recomputed`, `tolerance`) for the consistency check. It reads plain record dicts, so the
validator, the graph's users and the importers share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

Record = dict[str, Any]


def number(value: Any) -> Decimal | None:
    """A published figure as a Decimal ('46.71', 46.71, 7), or None when it is no number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            found = Decimal(value.strip())
        except InvalidOperation:
            return None
        return found if found.is_finite() else None
    return None


def shown(value: Any) -> str:
    """A figure as the source printed it ('100.00' stays '100.00')."""
    return value.strip() if isinstance(value, str) else str(value)


def as_json(value: Any) -> int | float | None:
    """A figure for a JSON export: an integer when it is written as one, else a float."""
    found = number(value)
    if found is None:
        return None
    return int(found) if found == found.to_integral_value() and "." not in shown(value) else float(found)


def decimals(value: Any) -> int:
    """Digits after the decimal point as published ('46.71' -> 2, '7' -> 0)."""
    text = shown(value)
    return len(text.split(".", 1)[1]) if "." in text else 0


def metric_label(record: Record) -> str:
    """'ASR (%)': the metric's name with its unit."""
    metric = record.get("metric") or {}
    unit = metric.get("unit")
    return f"{metric.get('name', '')} ({unit})" if unit else str(metric.get("name", ""))


def direction(record: Record) -> str:
    """'lower is better' or 'higher is better'."""
    return f"{(record.get('metric') or {}).get('better', 'higher')} is better"


def lower_is_better(record: Record) -> bool:
    return (record.get("metric") or {}).get("better") == "lower"


def metric_range(record: Record) -> tuple[Decimal, Decimal] | None:
    """(min, max) of the metric when the record states a range of two numbers."""
    bounds = (record.get("metric") or {}).get("range")
    if not isinstance(bounds, dict):
        return None
    low, high = number(bounds.get("min")), number(bounds.get("max"))
    return (low, high) if low is not None and high is not None else None


@dataclass(frozen=True)
class Row:
    """One system's place in a result set: rank (ties share it), the figure as published, its number."""

    rank: int
    system: str
    value: str
    number: Decimal
    best: bool
    note: str = ""


def ranking(record: Record) -> list[Row]:
    """The systems of a result set, best first by the metric's direction; equal figures share a rank
    (1, 2, 2, 4) and every system of rank 1 is the best. Entries without a number are left out."""
    entries = [(e["system"], e["value"], number(e.get("value")), str(e.get("note") or ""))
               for e in record.get("values") or [] if isinstance(e, dict) and isinstance(e.get("system"), str)]
    scored = [(s, v, n, note) for s, v, n, note in entries if n is not None]
    scored.sort(key=lambda t: (t[2] if lower_is_better(record) else -t[2], t[0]))
    rows: list[Row] = []
    for i, (system, value, found, note) in enumerate(scored):
        rank = rows[-1].rank if rows and rows[-1].number == found else i + 1
        rows.append(Row(rank, system, shown(value), found, rank == 1, note))
    return rows


def rank_of(record: Record, system: str) -> Row | None:
    return next((row for row in ranking(record) if row.system == system), None)


def categories(record: Record) -> list[str]:
    return [c for c in record.get("categories") or [] if isinstance(c, str)]


def category_value(entry: dict[str, Any], category: str) -> Any:
    by_category = entry.get("by_category")
    return by_category.get(category) if isinstance(by_category, dict) else None


def recomputed(record: Record, entry: dict[str, Any]) -> Decimal | None:
    """The system's aggregate recomputed from its category values the way the record says the source
    aggregates (`aggregate: mean` or `sum`); None unless every category has a number."""
    how = record.get("aggregate")
    names = categories(record)
    if how not in ("mean", "sum") or not names:
        return None
    parts = [number(category_value(entry, c)) for c in names]
    if any(p is None for p in parts):
        return None
    total = sum(parts, Decimal(0))  # type: ignore[arg-type]
    return total / len(parts) if how == "mean" else total


def tolerance(record: Record, entry: dict[str, Any]) -> Decimal:
    """How far a published aggregate may sit from the recomputed one by rounding alone. With d
    decimals, the published mean and the mean of the rounded parts each lie within half a unit of the
    d-th decimal of the exact mean: 1 unit apart at most; a sum of n rounded parts (n + 1) halves."""
    places = max([decimals(entry.get("value")),
                  *(decimals(category_value(entry, c)) for c in categories(record) if category_value(entry, c))])
    unit = Decimal(1).scaleb(-places)
    if record.get("aggregate") == "sum":
        return unit * (len(categories(record)) + 1) / 2
    return unit


def rounded(value: Decimal, like: Any) -> str:
    """value shown with as many decimals as the published figure `like`."""
    return f"{value:.{decimals(like)}f}"


def setting_words(record: Record) -> list[str]:
    """The setting's label and aliases (how a question can name it)."""
    words = [record.get("setting"), *(record.get("setting_aliases") or [])]
    return [w for w in words if isinstance(w, str) and w]


def result_for_json(record: Record) -> Record:
    """A result record for JSON: the same fields, every figure (values, categories, range) a JSON number."""
    out = dict(record)
    metric = out.get("metric")
    if isinstance(metric, dict) and isinstance(metric.get("range"), dict):
        out["metric"] = {**metric, "range": {k: as_json(v) for k, v in metric["range"].items()}}
    values = []
    for entry in out.get("values") or []:
        entry = dict(entry)
        entry["value"] = as_json(entry.get("value"))
        if isinstance(entry.get("by_category"), dict):
            entry["by_category"] = {k: as_json(v) for k, v in entry["by_category"].items()}
        values.append(entry)
    out["values"] = values
    return out
