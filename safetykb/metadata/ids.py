"""The paper id rule of DESIGN section 2: family name + year + first significant title word.

Lowercase ascii letters and digits only; title words are split at spaces and
slashes with other punctuation deleted, as Google Scholar keys do ("(Ab)using"
-> "abusing", "Vision-Language" -> "visionlanguage"); on collision with a taken
id the letters b, c, ... are appended (`gong2023figstep`, `gong2023figstepb`).
Shared by the importer and add_paper so both name a paper the same way.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Container, Iterator

#: Title words skipped when choosing the significant one.
STOPWORDS = frozenset({
    "a", "an", "the", "on", "of", "towards", "toward", "to", "for", "in", "into", "with", "without", "via",
    "by", "from", "at", "as", "and", "or", "is", "are", "be", "do", "does", "can", "how", "what", "why",
    "when", "where", "which", "who", "your", "our", "we", "you", "it", "its", "this", "that", "not", "no",
    "all", "any",
})


def ascii_fold(text: str) -> str:
    """Accents removed and a few letters spelled out (ø -> o, ß -> ss), lowercase."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    text = text.replace("æ", "ae").replace("Æ", "AE").replace("đ", "d").replace("Đ", "D").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def slug_word(text: str) -> str:
    """Lowercase ascii letters and digits of text."""
    allowed = set(string.ascii_lowercase + string.digits)
    return "".join(c for c in ascii_fold(text) if c in allowed)


def significant_word(title: str) -> str:
    """The first title word that is not a stopword ('Towards Robust X' -> 'robust')."""
    words = [re.sub(r"[^a-z0-9]", "", w) for w in re.split(r"[\s/]+", ascii_fold(title))]
    words = [w for w in words if w]
    for word in words:
        if word not in STOPWORDS:
            return word
    return words[0] if words else "paper"


def base_id(family: str, year: int, title: str) -> str:
    """The id before any collision suffix: gong2023figstep."""
    name = slug_word(family) or "anon"
    return f"{name}{year}{significant_word(title)}"


def unique_id(base: str, taken: Container[str]) -> str:
    """base if free, else base + b, c, ..., z, then ba, bb, ..."""
    if base not in taken:
        return base
    for suffix in _suffixes():
        candidate = base + suffix
        if candidate not in taken:
            return candidate
    raise ValueError(f"too many papers share the id base '{base}'")


def _suffixes() -> Iterator[str]:
    letters = string.ascii_lowercase
    yield from letters[1:]
    for first in letters[1:]:
        for second in letters:
            yield first + second
