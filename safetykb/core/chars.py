"""Characters that never belong in a record or on a terminal: controls, invisible formatting, separators.

One table (`FORBIDDEN`) for both uses: the validator refuses records holding one (`first_forbidden`,
`describe`), and tools that print record text or user input to a terminal strip them (`printable`), so
an ESC sequence, a BEL or a right-to-left override in a title can neither drive the terminal nor hide
or reorder what a reviewer reads. Line feeds stay (block scalars, multi-line output); tabs stay in
terminal output but not in records.
"""

from __future__ import annotations

import re
import unicodedata

#: Unicode categories refused: controls (Cc), format characters such as bidi overrides and zero-width
#: spaces (Cf), lone surrogates (Cs) and the line and paragraph separators (Zl, Zp).
CATEGORIES = ("Cc", "Cf", "Cs", "Zl", "Zp")
#: Every code point of those categories (Unicode 14, Python 3.11) as inclusive ranges; computing them from
#: unicodedata takes most of a second, so they are written out (tests/test_chars.py checks them).
FORBIDDEN: tuple[tuple[int, int], ...] = (
    (0x0000, 0x001F), (0x007F, 0x009F), (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C),
    (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xD800, 0xDFFF),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)


def _class(keep: str) -> re.Pattern[str]:
    """A pattern matching one forbidden character, except those in keep."""
    parts = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in FORBIDDEN)
    kept = "".join(f"\\U{ord(c):08x}" for c in keep)
    return re.compile(f"(?![{kept}])[{parts}]" if keep else f"[{parts}]")


#: Records may hold line feeds (multi-line summaries); terminals get line feeds and tabs.
_IN_RECORDS = _class("\n")
#: The forbidden characters of ASCII text, which most records are: a much faster search.
_IN_ASCII_RECORDS = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_ON_TERMINALS = _class("\n\t")


def first_forbidden(text: str) -> int | None:
    """Index of the first character a record may not hold, or None."""
    found = _IN_RECORDS.search(text)
    return found.start() if found else None


def has_forbidden(text: str) -> bool:
    pattern = _IN_ASCII_RECORDS if text.isascii() else _IN_RECORDS
    return pattern.search(text) is not None


#: Names for the control characters people meet (unicodedata names none of them).
_CONTROL_NAMES = {"\t": "TAB", "\r": "CARRIAGE RETURN", "\x1b": "ESC", "\x07": "BEL", "\x00": "NUL",
                  "\x08": "BACKSPACE", "\x0b": "VERTICAL TAB", "\x0c": "FORM FEED", "\x7f": "DELETE"}


def describe(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)', 'U+001B (ESC)', 'U+0085 (control character)'."""
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "")
    if not name:
        name = {"Cc": "control character", "Cs": "lone surrogate"}.get(unicodedata.category(char), "unnamed")
    return f"U+{ord(char):04X} ({name})"


def strip_forbidden(text: str) -> str:
    """Text with every character a record may not hold removed (for facts fetched from elsewhere)."""
    return _IN_RECORDS.sub("", text)


def printable(text: str) -> str:
    """Text safe to print on a terminal: every forbidden character but line feed and tab removed."""
    return _ON_TERMINALS.sub("", text)
