"""The one escaping function for record contents, and safe links.

Every string that comes from a record goes through `esc` before it enters a
page: the result is plain text for Markdown *and* HTML (no tag, entity,
emphasis, link, attribute list, emoji shortcode or list marker survives), so a
title such as `<script>alert(1)</script>` renders as those characters. Only
http(s) URLs become links (`safe_url`); anything else is shown as text.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import quote

#: Characters that mean something to Markdown, its extensions or HTML anywhere in a line; each becomes a
#: numeric entity, which Markdown passes through untouched and the browser shows as the character itself.
#: (Fewer entities keep Markdown's inline pass fast: it matches every entity on every page.)
_SPECIAL = "&<>\"\\`*_{}[]|#"
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
#: A colon that opens an emoji shortcode (`:material-github:`); a colon before a space stays as it is.
_SHORTCODE = re.compile(r":(?=[\w+-])")
#: What starts a block at the beginning of a line: list markers, numbered lists, quotes, setext rules.
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=>~!])")
_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
#: Characters percent-encoded inside a Markdown link target so they cannot end or bend it.
_URL_UNSAFE = "()[]{}<>\"'` |\\^"


def esc(value: object) -> str:
    """Record text as inert Markdown/HTML: entities for special characters, whitespace collapsed."""
    return _esc(value if type(value) is str else str(value))


@lru_cache(maxsize=1 << 16)  # the same names, venues and titles are escaped again on page after page
def _esc(value: str) -> str:
    text = " ".join(value.split()).translate(_TABLE)
    text = _SHORTCODE.sub("&#58;", text)
    return _LINE_START.sub(lambda m: (m.group(1) or "") + f"&#{ord(m.group(2) or m.group(3))};", text, count=1)


def front_title(text: str) -> str:
    """Front matter giving a page its title as escaped text. Material inserts `page.meta.title` into <title>
    and the header verbatim, whereas a title taken from the first heading passes through Jinja's `striptags`,
    which turns entities back into markup; so every page titled by record text sets it here."""
    return front(title=text)


def front(title: str | None = None, description: str | None = None, hide: tuple[str, ...] = ()) -> str:
    """A page's front matter: title and description as escaped text (both already through `esc`: the theme
    inserts them verbatim into <title> and the meta description / OpenGraph tags), and Material's `hide`."""
    lines = ["---"]
    if title is not None:
        lines.append(f'title: "{title}"')
    if description:
        lines.append(f'description: "{description}"')
    if hide:
        lines += ["hide:", *(f"  - {h}" for h in hide)]
    return "\n".join([*lines, "---", "", ""])


def summary_text(value: object, limit: int = 200) -> str:
    """Plain text cut at a word boundary to at most `limit` characters (with an ellipsis), for descriptions."""
    text = " ".join(str(value).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-—")
    return cut + "…"


def safe_url(value: object) -> str | None:
    """The URL if it is http(s) and has no characters that could break out of a link, else None."""
    if not isinstance(value, str) or not _URL.match(value.strip()):
        return None
    url = value.strip()
    return "".join(quote(c, safe="") if c in _URL_UNSAFE else c for c in url)


def ext_link(label: str, url: object, css: str = "") -> str:
    """A Markdown link to an external http(s) URL (label already Markdown), or the escaped URL as text."""
    safe = safe_url(url)
    if safe is None:
        return esc(url) if url else ""
    attrs = f"{{ .{css} }}" if css else ""
    return f"[{label}]({safe}){attrs}"


def ext_anchor(label: str, url: object, css: str = "") -> str:
    """An HTML link to an external http(s) URL (label already escaped), or the escaped URL as text."""
    safe = safe_url(url)
    if safe is None:
        return esc(url) if url else ""
    klass = f' class="{css}"' if css else ""
    return f'<a{klass} href="{safe}">{label}</a>'


def page_url(page: str, directory_urls: bool = True) -> str:
    """The URL mkdocs gives a generated .md page: 'papers/x.md' -> 'papers/x/' (or 'papers/x.html')."""
    stem = page[:-3]
    if stem == "index" or stem.endswith("/index"):
        folder = stem[: -len("index")]
        return folder if directory_urls else f"{stem}.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def depth(src: str, directory_urls: bool = True) -> int:
    """How many folders deep the page built from `src` is served ('papers/x/' is 2, the home page 0)."""
    return page_url(src, directory_urls).count("/")


def href(src: str, dest: str, directory_urls: bool = True) -> str:
    """Relative URL from the page built from `src` to the page built from `dest`, for raw HTML links.

    Entries and chips are raw HTML (Markdown's inline pass over thousands of links was most of the
    build), so they link to final URLs; tests check that every such link lands on a built page."""
    return ("../" * depth(src, directory_urls) + page_url(dest, directory_urls)) or "./"


def file_href(src: str, path: str, directory_urls: bool = True) -> str:
    """Relative URL from the page built from `src` to a file of the site ('feed.xml', 'downloads/kb.json')."""
    return "../" * depth(src, directory_urls) + path


def rel(src: str, dest: str) -> str:
    """Relative link from one generated .md page to another, for Markdown links mkdocs resolves."""
    return _relpath(dest, posixpath.dirname(src) or ".")


@lru_cache(maxsize=65536)
def _relpath(dest: str, base: str) -> str:
    return posixpath.relpath(dest, base)
