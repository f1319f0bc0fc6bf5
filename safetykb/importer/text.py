"""Text helpers of the importer: HTML entities, LaTeX accents, title keys, slugs, arXiv ids."""

from __future__ import annotations

import html
import re
import unicodedata

from safetykb.core.duplicates import normalise_title

# LaTeX accent commands -> Unicode combining marks.
_ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "H": "\u030b",
    "v": "\u030c",
    "c": "\u0327",
    "k": "\u0328",
}
# {\`e}, \`e, \`{e}, {\"o}, and the broken {'n (backslash lost upstream)
_SYMBOL_ACCENT_STRICT = re.compile(r"\{\\?([`'^~=.\"])\{?([A-Za-z])\}?\}?|\\([`'^~=.\"])\{?([A-Za-z])\}?")
_LETTER_ACCENT = re.compile(r"\{?\\([uHvck])\{([A-Za-z])\}\}?")
_SPECIAL = {
    r"\&": "&",
    r"\%": "%",
    r"\_": "_",
    r"\$": "$",
    r"\#": "#",
    r"{\ss}": "ß",
    r"\ss": "ß",
    r"{\o}": "ø",
    r"{\O}": "Ø",
    r"{\aa}": "å",
    r"{\l}": "ł",
    r"{\i}": "ı",
}


def has_latex(text: str) -> bool:
    return "\\" in text or "{" in text


def delatex(text: str) -> str:
    """Replace LaTeX accents and escapes by Unicode, drop grouping braces.

    Tolerates groups cut off upstream (``Tram{\\`e`` -> ``Tramè``).
    """
    if not has_latex(text):
        return text
    for src, dst in _SPECIAL.items():
        text = text.replace(src, dst)
    text = _LETTER_ACCENT.sub(lambda m: m.group(2) + _ACCENTS[m.group(1)], text)

    def sym(m: re.Match[str]) -> str:
        mark = m.group(1) or m.group(3)
        letter = m.group(2) or m.group(4)
        return letter + _ACCENTS[mark]

    text = _SYMBOL_ACCENT_STRICT.sub(sym, text)
    text = text.replace("{", "").replace("}", "")
    return unicodedata.normalize("NFC", text)


def unescape(text: str) -> str:
    """HTML entities and LaTeX escapes to Unicode, whitespace collapsed."""
    text = delatex(html.unescape(text))
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """Accents removed (è -> e), for keys and ids."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_PUNCT = re.compile(r"[^\w\s]|_")


def norm_title(title: str) -> str:
    """Comparison form of a title: lowercase, unescaped, accents folded, punctuation
    and hyphens deleted (so "Ab-using" == "Abusing"), single spaces."""
    text = fold(unescape(title)).lower()
    text = _PUNCT.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def title_key(title: str) -> str:
    """Exact-match key: the validator's duplicate key (safetykb.core.duplicates.normalise_title) of the
    title with LaTeX escapes resolved, so the importer merges exactly what validation calls the same."""
    return normalise_title(unescape(title))


def ascii_slug(text: str) -> str:
    """Lowercase ascii letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold(text).lower())


_ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?!\d)")
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)


def arxiv_from_url(url: str) -> str | None:
    m = _ARXIV_URL.search(url)
    return m.group(1) if m else None


def arxiv_from_text(text: str) -> str | None:
    """The first new-style arXiv id (YYMM.NNNNN) in a venue string, without version."""
    m = re.search(r"arxiv[:\s]*" + _ARXIV_NEW.pattern, text, re.IGNORECASE)
    return m.group(1) if m else None


def arxiv_month(arxiv_id: str) -> str | None:
    """YYYY-MM of a new-style arXiv id, or None if the month is impossible."""
    yy, mm = int(arxiv_id[:2]), int(arxiv_id[2:4])
    if not 1 <= mm <= 12 or yy < 7:
        return None
    return f"{2000 + yy:04d}-{mm:02d}"
