"""Unit tests for safetykb.core.yamlsafe: safe reading of one record file and positions."""

from __future__ import annotations

import os
from pathlib import Path

from safetykb.core.yamlsafe import MAX_BYTES, MAX_DEPTH, Positions, parse_record, read_record


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


def test_deep_nesting_is_refused_at_the_eleventh_level_without_recursion() -> None:
    data, _text, error = parse_record(b"id: x\ntitle: " + b"[" * 500 + b"]" * 500 + b"\n")
    assert data is None and error is not None
    assert (error.line, error.col) == (2, 17) and f"nested more than {MAX_DEPTH} deep" in error.message


def test_a_whole_file_of_brackets_is_refused() -> None:
    """libyaml's composer recursed in C (a segmentation fault) and its scanner slows with depth (minutes)."""
    _data, _text, error = parse_record(b"[" * (MAX_BYTES - 1))
    assert error is not None and "nested more than" in error.message


def test_deep_block_nesting_and_compact_sequences_are_refused() -> None:
    block = b"".join(b"  " * i + b"k%d:\n" % i for i in range(40)) + b"  " * 40 + b"v\n"
    assert "nested more than" in parse_record(block)[2].message
    compact = b"a:\n" + b"- " * 200 + b"x\n"
    assert "nested more than" in parse_record(compact)[2].message


def test_nesting_up_to_the_limit_is_read() -> None:
    nested = b"a: " + b"[" * (MAX_DEPTH - 1) + b"x" + b"]" * (MAX_DEPTH - 1) + b"\n"
    data, _text, error = parse_record(nested)
    assert error is None and data is not None


def test_a_key_written_twice_is_refused_with_both_lines() -> None:
    _data, _text, error = parse_record(b"id: x\nattacks: [a]\ntitle: t\nattacks: [b]\n")
    assert error is not None and (error.line, error.col) == (4, 1)
    assert error.message.startswith("key 'attacks' appears twice in one mapping (lines 2 and 4)")


def test_repeated_keys_are_refused_at_any_depth_and_of_any_type() -> None:
    nested = parse_record(b"id: x\nlinks:\n  arxiv: '1'\n  arxiv: '2'\n")[2]
    assert nested is not None and "key 'arxiv' appears twice" in nested.message and nested.line == 4
    flow = parse_record(b"id: x\nlinks: {arxiv: '1', arxiv: '2'}\n")[2]
    assert flow is not None and "(line 2, columns 9 and 21)" in flow.message
    numbers = parse_record(b"id: x\n1: a\n1: b\n")[2]
    assert numbers is not None and "key '1' appears twice" in numbers.message


def test_control_character_written_into_the_file_is_named_at_its_place() -> None:
    _data, _text, error = parse_record(b"id: x\ntitle: a\x1bb\n")
    assert error is not None and (error.line, error.col) == (2, 9)
    assert error.message.startswith("the character U+001B (ESC) is not allowed in records")


def test_syntax_errors_say_how_to_quote() -> None:
    colon = parse_record(b"id: x\ntitle: FigStep: Jailbreaking LVLMs\n")[2]
    assert colon is not None and colon.message.endswith(
        "a value holding ': ' must be in quotes: title: \"FigStep: Jailbreaking LVLMs\"")
    tab = parse_record(b"id: x\nlinks:\n\tarxiv: '1'\n")[2]
    assert tab is not None and tab.message.endswith("replace the tab with spaces")
    apostrophe = parse_record(b"id: x\ntitle: 'it's broken'\n")[2]
    assert apostrophe is not None and "title: \"it's broken\"" in apostrophe.message
    at = parse_record(b"id: x\ntitle: @mention\n")[2]
    assert at is not None and at.message.endswith("a value cannot start with '@' unless it is in quotes: "
                                                   "title: \"@mention\"")


def test_devices_and_pipes_are_never_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    _data, _text, error = read_record(fifo)  # would block forever if opened for reading
    assert error is not None and error.message.startswith("not a regular file")
    _data, _text, error = read_record(Path("/dev/zero"))  # would never end
    assert error is not None and error.message.startswith("not a regular file")
