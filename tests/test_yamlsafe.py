"""Unit tests for safetykb.core.yamlsafe: safe reading of one record file and positions."""

from __future__ import annotations

from safetykb.core.yamlsafe import MAX_BYTES, Positions, parse_record


def test_clean_record_keeps_dates_and_arxiv_ids_as_text() -> None:
    data, _text, error = parse_record(b"id: x\ndate: 2023-11-09\nlinks:\n  arxiv: 2311.05610\nyear: 2023\n")
    assert error is None
    assert data == {"id": "x", "date": "2023-11-09", "links": {"arxiv": "2311.05610"}, "year": 2023}


def test_text_with_ampersands_and_bangs_in_quotes_is_fine() -> None:
    data, _text, error = parse_record(b'title: "Attacks & Defenses! *really*"\n')
    assert error is None and data == {"title": "Attacks & Defenses! *really*"}


def test_alias_bomb_is_refused_at_the_first_anchor() -> None:
    bomb = b'a: &a ["x","x"]\n' + b"".join(b"k%d: &k%d [*a, *a, *a]\n" % (i, i) for i in range(40))
    data, _text, error = parse_record(bomb)
    assert data is None and error is not None
    assert (error.line, error.col) == (1, 4) and "anchors and aliases are not allowed" in error.message


def test_alias_without_anchor_is_refused() -> None:
    _data, _text, error = parse_record(b"a: *nowhere\n")
    assert error is not None and error.line == 1


def test_explicit_tags_are_refused_even_harmless_ones() -> None:
    _data, _text, error = parse_record(b"year: !!int 2024\n")
    assert error is not None and "tag '!!int' is not allowed" in error.message


def test_a_list_document_is_not_a_record() -> None:
    _data, _text, error = parse_record(b"- a\n- b\n")
    assert error is not None and error.message == "a record is a mapping of keys to values, not a list"


def test_size_cap_applies_to_bytes() -> None:
    _data, _text, error = parse_record(b"a: " + b"x" * MAX_BYTES)
    assert error is not None and "capped at 256 KiB" in error.message


def test_comment_only_file_is_empty() -> None:
    _data, _text, error = parse_record(b"# only a comment\n\n")
    assert error is not None and error.message.startswith("empty file")


def test_positions_point_at_values_keys_and_nearest_parent() -> None:
    text = "id: x\nlinks:\n  arxiv: '1'\nmodels:\n  - vlm\n  - llm\n"
    positions = Positions(text)
    assert positions.locate(("models", 1)) == (6, 5)
    assert positions.locate(("<models>",)) == (4, 1)
    assert positions.locate(("links", "arxiv")) == (3, 10)
    assert positions.locate(("links", "doi")) == (3, 3)  # missing key: its parent mapping
    assert positions.locate(()) == (1, 1)
