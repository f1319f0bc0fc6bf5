"""Unit tests for safetykb.core.chars: the one table of characters refused in records and on terminals."""

from __future__ import annotations

import sys
import unicodedata

from safetykb.core.chars import CATEGORIES, FORBIDDEN, describe, first_forbidden, printable


def test_the_written_out_table_is_exactly_the_categories() -> None:
    listed = {cp for first, last in FORBIDDEN for cp in range(first, last + 1)}
    wanted = {cp for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) in CATEGORIES}
    assert listed == wanted, f"Unicode {unicodedata.unidata_version}: regenerate FORBIDDEN"


def test_records_refuse_controls_bidi_and_zero_width_but_keep_line_feeds() -> None:
    assert first_forbidden("Caf\u00e9 na\u00efve \u4e2d\u6587\nsecond line") is None
    for text, at in (("a\x1b[31m", 1), ("x\u202ey", 1), ("zero\u200bwidth", 4), ("tab\there", 3),
                     ("bell\a", 4), ("\u2028", 0), ("\ud800", 0), ("\x85", 0)):
        assert first_forbidden(text) == at, repr(text)


def test_terminal_output_keeps_tabs_and_line_feeds_only() -> None:
    assert printable("\x1b[2J\x1b[31mred\x1b[0m\a\u202eevil\tcol\nrow") == "[2J[31mred[0mevil\tcol\nrow"


def test_characters_are_named() -> None:
    assert describe("\x1b") == "U+001B (ESC)"
    assert describe("\u202e") == "U+202E (RIGHT-TO-LEFT OVERRIDE)"
    assert describe("\x91") == "U+0091 (control character)"
