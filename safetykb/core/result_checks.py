"""Consistency checks of result sets across the knowledge base (run by `CrossChecker`).

References (the source paper, the benchmark, each evaluated system) are resolved with "did you
mean" by the generic reference check through `records.REFERENCES`. This module checks what only
result sets have:

| check | severity | where |
|---|---|---|
| a value or a category value outside `metric.range` | error | the value |
| a `metric.range` whose min is not below its max | error | `metric.range` |
| the same system twice in one result set | error | the second `values[i].system` |
| the same (source, system, benchmark, setting, metric) in two result sets | error | the later file's entry |
| a `by_category` key that is not one of `categories` (or no `categories` at all) | error | the key |
| a published aggregate that disagrees with its categories beyond rounding | warning | the value |

Two sources may well report the same system on the same benchmark and setting (a reproduction, a
newer evaluation): each is its own result set and leaderboard, so a duplicate is one source
reporting the same figure twice. Published figures are never changed: a disagreement is reported
with the published and the recomputed figure, and the record keeps what its source printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from safetykb.core.checks import Finding
from safetykb.core.problems import WARNING, display_path
from safetykb.core.records import KnowledgeBase
from safetykb.core.results import (
    categories,
    metric_range,
    number,
    recomputed,
    rounded,
    shown,
    tolerance,
)
from safetykb.core.suggest import did_you_mean


def check_results(kb: KnowledgeBase, paths: dict[tuple[str, str], Path]) -> Iterator[Finding]:
    """Every finding about the result sets of a knowledge base, in file order."""
    seen: dict[tuple[str, ...], tuple[str, Path]] = {}
    for result_id in sorted(kb.of("result"), key=lambda r: str(paths[("result", r)])):
        record = kb.of("result")[result_id]
        path = paths[("result", result_id)]
        yield from _range(path, record)
        yield from _categories(path, record)
        yield from _aggregates(path, record)
        yield from _duplicates(path, result_id, record, seen)


def _entries(record: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    for i, entry in enumerate(record.get("values") or []):
        if isinstance(entry, dict):
            yield i, entry


def _range(path: Path, record: dict[str, Any]) -> Iterator[Finding]:
    bounds = metric_range(record)
    if bounds is None:
        return
    low, high = bounds
    metric = record["metric"]
    if low >= high:
        yield Finding(path, ("metric", "range"), f"metric range min {shown(metric['range']['min'])} is not below max "
                      f"{shown(metric['range']['max'])}: write the range as `min: <lowest>`, `max: <highest>`")
        return
    span = f"{shown(metric['range']['min'])} to {shown(metric['range']['max'])}"
    for i, entry in _entries(record):
        places: list[tuple[tuple[str | int, ...], Any, str]] = [(("values", i, "value"), entry.get("value"), "")]
        by_category = entry.get("by_category")
        if isinstance(by_category, dict):
            places += [(("values", i, "by_category", c), v, f" ({c})") for c, v in by_category.items()]
        for pointer, value, what in places:
            found = number(value)
            if found is not None and not low <= found <= high:
                yield Finding(path, pointer, f"{shown(value)} for '{entry.get('system')}'{what} is outside the "
                              f"range of {metric.get('name')}, {span}: check the figure against the source "
                              "(or the metric's range)")


def _categories(path: Path, record: dict[str, Any]) -> Iterator[Finding]:
    names = categories(record)
    for i, entry in _entries(record):
        by_category = entry.get("by_category")
        if not isinstance(by_category, dict):
            continue
        for key in by_category:
            if not names:
                yield Finding(path, ("values", i, "by_category", key), f"category '{key}' for '{entry.get('system')}' "
                              "but the result set lists no `categories`: list them, in the source's order")
                break
            if key not in names:
                hint = did_you_mean(str(key), names) or f"; the categories are: {', '.join(names)}"
                yield Finding(path, ("values", i, "by_category", f"<{key}>"),
                              f"unknown category '{key}' for '{entry.get('system')}'{hint}")


def _aggregates(path: Path, record: dict[str, Any]) -> Iterator[Finding]:
    label = str(record.get("aggregate_label") or record.get("aggregate") or "aggregate")
    for i, entry in _entries(record):
        published = number(entry.get("value"))
        computed = recomputed(record, entry)
        if published is None or computed is None or abs(published - computed) <= tolerance(record, entry):
            continue
        like = entry["value"]
        how = f"the {record['aggregate']} of its {len(categories(record))} categories"
        yield Finding(path, ("values", i, "value"),
                      f"published {label} {shown(like)} for '{entry.get('system')}' differs from {how}, "
                      f"{rounded(computed, like)} (by {rounded(abs(published - computed), like)}); kept as "
                      "published: check the transcription against the source and explain the difference "
                      "in the value's `note`", WARNING)


def _duplicates(path: Path, result_id: str, record: dict[str, Any],
                seen: dict[tuple[str, ...], tuple[str, Path]]) -> Iterator[Finding]:
    metric = (record.get("metric") or {}).get("name")
    setting = record.get("setting")
    benchmark = record.get("benchmark")
    source = record.get("source")
    here: dict[str, int] = {}
    for i, entry in _entries(record):
        system = entry.get("system")
        if not isinstance(system, str):
            continue
        pointer = ("values", i, "system")
        if system in here:
            yield Finding(path, pointer, f"'{system}' is listed twice in this result set "
                          f"(also values[{here[system]}]): keep one entry per system")
            continue
        here[system] = i
        key = tuple(str(v or "").strip().lower() for v in (source, system, benchmark, setting, metric))
        if key in seen:
            other_id, other_path = seen[key]
            yield Finding(path, pointer, f"duplicate result: {source} already reports '{system}' on {benchmark} "
                          f"({setting}, {metric}) in '{other_id}' ({display_path(other_path)}): keep one, "
                          "or name the settings apart")
        else:
            seen[key] = (result_id, path)
