"""How record files are written: one style for every writer.

A record file is the editor hint naming its kind's JSON Schema (relative to the file, so editors
validate as you type), then the fields in YAML block style, keys in the order given, long strings on
one line. The importer, add_paper, add_results and refresh all write through `render`, so a record
keeps its form whoever rewrites it and a diff shows only what changed. Figures of result sets keep
their digits as published (`Figure`: '100.00' is written as 100.00, not 100.0).
"""

from __future__ import annotations

from typing import Any

import yaml

from safetykb.core.layout import FOLDERS


class Figure(str):
    """A figure as published ('100.00'); written into YAML as a plain number, digits unchanged."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_figure(dumper: yaml.SafeDumper, value: Figure) -> yaml.ScalarNode:
    tag = "tag:yaml.org,2002:float" if "." in value else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, str(value))


_Dumper.add_representer(Figure, _represent_figure)


def editor_hint(kind: str) -> str:
    """The first line of a record file of `kind`: papers sit one folder deeper (papers/<year>/) than results/."""
    depth = 2 if kind == "paper" else FOLDERS[kind].count("/") + 1
    return f"# yaml-language-server: $schema={'../' * depth}safetykb/schemas/{kind}.schema.json"


def render(record: dict[str, Any], kind: str = "paper") -> str:
    """The file text of a record of `kind`: its editor hint, then its fields."""
    body = yaml.dump(record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=1_000_000)
    return f"{editor_hint(kind)}\n{body}"
