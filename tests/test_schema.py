"""Unit tests for safetykb.core.schema: the six schemas and contributor-worded errors."""

from __future__ import annotations

import json

import pytest

from safetykb.core import schema
from safetykb.core.layout import KINDS, SCHEMA_DIR
from safetykb.core.schema import check, field_names

PAPER = {
    "id": "gong2023figstep", "title": "FigStep", "authors": ["Yichen Gong"], "year": 2023, "models": ["vlm"],
    "contribution": ["attack"], "attacks": ["jailbreak"], "sources": ["contributor"], "status": "auto",
    "added": "2026-11-23",
}


def test_every_kind_has_a_strict_schema_file() -> None:
    for kind in KINDS:
        schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text())
        assert schema["additionalProperties"] is False
        assert schema["$id"].endswith(f"{kind}.schema.json")


def test_design_field_names_are_in_the_paper_schema() -> None:
    design = ["id", "title", "authors", "year", "date", "venue", "venue_note", "links", "models", "contribution",
              "attacks", "defenses", "counters", "evaluates", "introduces", "uses", "method", "threat_model",
              "summary", "sources", "status", "added"]
    assert set(design) <= set(field_names("paper"))


def test_valid_paper_has_no_issues() -> None:
    assert check("paper", PAPER) == []


def test_unknown_key_suggests_the_nearest_field() -> None:
    issues = check("paper", {**PAPER, "venu": "CVPR"})
    assert [(i.pointer, i.message) for i in issues] == [(("<venu>",), "unknown key 'venu'; did you mean 'venue'?")]


def test_unknown_nested_key_names_its_place() -> None:
    issues = check("paper", {**PAPER, "links": {"githb": "https://github.com/x/y"}})
    assert issues[0].pointer == ("links", "<githb>")
    assert issues[0].message.startswith("unknown key 'githb' in `links`")


def test_missing_required_key() -> None:
    record = {k: v for k, v in PAPER.items() if k != "year"}
    assert [i.message for i in check("paper", record)] == ["missing required key 'year'"]


def test_general_defense_needs_no_counters() -> None:
    """Alignment with no specific threat is a defense that counters nothing (DESIGN 2): the schema allows it."""
    assert check("paper", PAPER | {"contribution": ["defense"], "defenses": ["safety-alignment"]}) == []


def test_bad_id_suggests_a_slug() -> None:
    issues = check("model", {"id": "Video LLM", "name": "x", "description": "y"})
    assert issues[0].message == (
        "`id`: 'Video LLM' is not a valid id: use lowercase letters, digits and single hyphens "
        "(for example 'video-llm')"
    )


def test_defense_node_needs_phase_and_counters() -> None:
    messages = sorted(i.message for i in check("defense", {"id": "x", "name": "X", "description": "d"}))
    assert messages == ["missing required key 'counters'", "missing required key 'phase'"]


@pytest.mark.parametrize(("value", "ok"), [(False, True), (0, False), (True, False), ("false", False)])
def test_authors_complete_is_false_or_absent(value: object, ok: bool) -> None:
    """The compiled pre-check and jsonschema agree on a boolean enum (False is not 0)."""
    record = PAPER | {"authors_complete": value}
    assert (check("paper", record) == []) is ok
    accepts = schema._accepts("paper")
    assert accepts is not None and accepts(record) is ok


@pytest.mark.parametrize(("length", "ok"), [(500, True), (501, False)])
def test_title_length_is_capped_alike_by_both_checkers(length: int, ok: bool) -> None:
    """maxLength, like every keyword the schemas use, means the same to the pre-check and to jsonschema."""
    record = PAPER | {"title": "x" * length}
    assert (check("paper", record) == []) is ok
    accepts = schema._accepts("paper")
    assert accepts is not None and accepts(record) is ok


def test_every_schema_is_compiled_by_the_precheck() -> None:
    """A keyword the pre-check does not know sends every record of that kind to jsonschema (slow)."""
    for kind in (*KINDS, "sections"):
        assert schema._accepts(kind) is not None, kind
