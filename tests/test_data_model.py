"""docs/data-model.md against the code: its field tables against the JSON Schemas, its relation table against
safetykb/core/graph.py and records.REFERENCES, its validation table against tests/bad_records/.

The page is hand-written prose with tables; these tests read the tables and fail naming the field, kind,
relation or case that is missing or extra, so the page cannot fall behind a schema change.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from safetykb.core.graph import _FIELD_RELATIONS, RELATIONS
from safetykb.core.layout import FOLDERS, KINDS, PLURALS
from safetykb.core.records import REFERENCES
from safetykb.core.schema import schema
from tests.helpers import REPO

DOC = REPO / "docs" / "data-model.md"
_SECTION = re.compile(r"^## .*\(`([a-z_]+)`\)\s*$", re.M)
_CODE = re.compile(r"`([^`]+)`")


def tables(text: str) -> list[list[dict[str, str]]]:
    """Every Markdown table of text as a list of rows (header cell -> cell text)."""
    found: list[list[dict[str, str]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-| :]+\|$", lines[i + 1]):
            header = [c.strip() for c in lines[i].strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip("|").split("|")]
                rows.append(dict(zip(header, cells, strict=True)))
                i += 1
            found.append(rows)
        else:
            i += 1
    return found


def sections(text: str) -> dict[str, str]:
    """Kind -> the text of its '## ... (`kind`)' section."""
    marks = list(_SECTION.finditer(text))
    ends = [m.start() for m in marks[1:]] + [len(text)]
    out: dict[str, str] = {}
    for mark, end in zip(marks, ends, strict=True):
        body = text[mark.end():end]
        out[mark.group(1)] = body.split("\n## ", 1)[0]
    return out


def field_table(kind: str) -> list[dict[str, str]]:
    body = sections(DOC.read_text(encoding="utf-8")).get(kind)
    assert body is not None, f"docs/data-model.md has no section '## ... (`{kind}`)' with the {kind} field table"
    found = [t for t in tables(body) if t and "field" in t[0] and "required" in t[0]]
    assert found, f"docs/data-model.md, section `{kind}`: no table with columns field | type | required | ..."
    return found[0]


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in prop:
        prop = {**defs[prop["$ref"].split("/")[-1]], **{k: v for k, v in prop.items() if k != "$ref"}}
    return prop


def _enum(prop: dict[str, Any], defs: dict[str, Any]) -> list[Any]:
    prop = _resolve(prop, defs)
    if "enum" in prop:
        return prop["enum"]
    if prop.get("type") == "array":
        return _enum(prop.get("items", {}), defs)
    return []


def test_every_kind_has_a_section_and_a_row_in_the_kinds_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = list(sections(text))
    assert sorted(documented) == sorted(KINDS), (
        f"kinds without a section: {sorted(set(KINDS) - set(documented))}; "
        f"sections of no kind: {sorted(set(documented) - set(KINDS))}")
    kinds_table = next(t for t in tables(text) if t and "kind" in t[0] and "folder" in t[0])
    rows = {_CODE.search(r["kind"]).group(1): r for r in kinds_table}
    assert sorted(rows) == sorted(KINDS)
    for kind, row in rows.items():
        assert row["folder"] == f"`{FOLDERS[kind]}/`", kind
        assert row["JSON export key"] == f"`{PLURALS[kind]}`", kind


@pytest.mark.parametrize("kind", KINDS)
def test_field_table_equals_the_schema(kind: str) -> None:
    spec = schema(kind)
    defs = spec.get("$defs", {})
    rows = field_table(kind)
    names = [_CODE.search(r["field"]).group(1) for r in rows]
    top = [n for n in names if "." not in n]
    properties = list(spec["properties"])
    missing = [f for f in properties if f not in top]
    extra = [f for f in top if f not in properties]
    assert not missing and not extra, (f"docs/data-model.md, `{kind}` table: missing fields {missing}, "
                                       f"fields not in {kind}.schema.json {extra}")
    assert top == properties, f"`{kind}` table: list the fields in schema order {properties}"
    required = sorted(n for n, r in zip(names, rows, strict=True) if "." not in n and r["required"] == "yes")
    assert required == sorted(spec.get("required", [])), (
        f"`{kind}` table: required says {required}, {kind}.schema.json requires {sorted(spec.get('required', []))}")
    for name, row in zip(names, rows, strict=True):
        parent, _, child = name.partition(".")
        prop = _resolve(spec["properties"][parent], defs)
        if child:
            nested = prop.get("properties", {})
            assert child in nested, f"`{kind}` table: {name} is not a key of {parent} in the schema"
            prop = _resolve(nested[child], defs)
        is_list = prop.get("type") == "array"
        assert is_list == row["type"].startswith("list"), f"`{kind}`.{name}: type '{row['type']}' vs the schema"
        for value in _enum(prop, defs):
            assert str(value).lower() in row["type"], f"`{kind}`.{name}: the type does not list '{value}'"
        assert row["meaning"] and row["example"], f"`{kind}`.{name}: meaning and example are required"
    for parent, prop in spec["properties"].items():
        nested = _resolve(prop, defs).get("properties")
        for child in nested or {}:
            assert f"{parent}.{child}" in names, f"`{kind}` table: no row for {parent}.{child}"


def _relation_rows() -> list[dict[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    return next(t for t in tables(text) if t and "relation" in t[0] and "from" in t[0])


def test_relation_table_equals_the_graph_and_the_references() -> None:
    rows = _relation_rows()
    documented_refs: dict[tuple[str, str], set[str]] = {}
    edges: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row["from"], _CODE.search(row["field"]).group(1))
        documented_refs[key] = set(row["to"].split(" or "))
        relation = _CODE.search(row["relation"])
        if relation:
            edges[key] = relation.group(1)
    references = {(kind, field): set(targets) for kind, fields in REFERENCES.items() for field, targets in
                  fields.items()}
    assert documented_refs == references, (
        f"relation table: missing {sorted(set(references) - set(documented_refs))}, "
        f"extra {sorted(set(documented_refs) - set(references))}, or other target kinds")
    # build_graph draws `introduced_in` as the paper's `introduces` edge (reversed), beside _FIELD_RELATIONS.
    expected = {**_FIELD_RELATIONS, **{(kind, "introduced_in"): "introduces" for kind in ("dataset", "benchmark")}}
    assert edges == expected, (f"relation table vs graph.py: missing {sorted(set(expected) - set(edges))}, "
                               f"extra {sorted(set(edges) - set(expected))}")
    assert set(edges.values()) == set(RELATIONS)


def test_validation_table_names_every_bad_records_case() -> None:
    text = DOC.read_text(encoding="utf-8").split("## Validation", 1)[1]
    table = next(t for t in tables(text) if t and "case" in t[0])
    named = {c for row in table for c in _CODE.findall(row["case"])}
    cases = {p.name for p in Path(REPO / "tests" / "bad_records").iterdir() if p.is_dir()}
    assert named == cases, f"validation table: cases missing {sorted(cases - named)}, unknown {sorted(named - cases)}"


def test_readme_and_contributing_point_to_the_data_model() -> None:
    for name in ("README.md", "CONTRIBUTING.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        assert "docs/data-model.md" in text, name
        assert "../shared/" not in text, f"{name} points outside the repository"
