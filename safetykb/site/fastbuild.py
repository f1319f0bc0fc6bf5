"""Making mkdocs' work on the generated pages cheaper, without changing one byte of what it writes.

Used by the mkdocs hook (`mkdocs_hooks.py`); everything here is for pages kept out of the nav (papers,
datasets, benchmarks, matrix cells...: nine in ten pages of the site), whose output mkdocs makes as for
any page:

- **The navigation, rendered once per folder.** Material renders the whole navigation (and the tabs)
  into every page, the largest part of its template. A page outside the nav has no active item in it,
  so its navigation depends only on where the page is (relative links) and on its front matter: the
  rendered `partials/nav.html` and `partials/tabs.html` are kept per (folder, front matter) and reused
  (`NavMemo`). The first pages of each such key are rendered both ways and compared; any difference
  turns the reuse off for that key, so a theme change can cost time but never change a page.
- **Markdown converted when the page is written, and let go after.** mkdocs converts every page before
  it writes any, holding all their HTML at once (hundreds of MB at 10,000 papers). A page outside the
  nav is converted just before its template is rendered, by mkdocs' own `Page.render`, and its Markdown,
  HTML and table of contents are dropped once it is written (`defer_render`, `render_deferred`,
  `release`). What mkdocs keeps for later checks (the anchors a page has, its links to anchors) stays.
"""

from __future__ import annotations

import json
import logging
import posixpath
import threading
from collections.abc import Callable, Iterator
from typing import Any

log = logging.getLogger("mkdocs.hooks.safetykb")

#: Theme partials that depend on the page only through its active state, its folder and its front matter.
MEMO_TEMPLATES = ("partials/nav.html", "partials/tabs.html")
#: Renders of a key compared with the memo before it is trusted.
CHECKS = 2
#: Front matter that these partials never read (they would otherwise split every page into its own key).
_PAGE_OWN = ("title", "description")


class NavMemo:
    """Rendered navigation partials, per template and per (folder, front matter) of pages outside the nav."""

    def __init__(self, is_hidden: Callable[[Any], bool], features: list[str]) -> None:
        self.is_hidden = is_hidden
        self.off = "toc.integrate" in features  # the navigation then holds the page's own table of contents
        self.kept: dict[tuple[str, str, str], str] = {}
        self.checked: dict[tuple[str, str, str], int] = {}
        self.unsafe: set[tuple[str, str, str]] = set()
        self.reused = 0

    def install(self, env: Any) -> None:
        """Wrap the partials' render functions in the Jinja environment of this build."""
        if self.off:
            return
        for name in MEMO_TEMPLATES:
            try:
                template = env.get_template(name)
            except Exception:  # noqa: BLE001 - a theme without this partial: nothing to keep
                continue
            template.root_render_func = self._wrap(name, template.root_render_func)

    def _key(self, name: str, context: Any) -> tuple[str, str, str] | None:
        page = context.get("page")
        if page is None or not self.is_hidden(page):
            return None
        meta = {k: v for k, v in (page.meta or {}).items() if k not in _PAGE_OWN}
        try:
            front = json.dumps(meta, sort_keys=True, default=str)
        except (TypeError, ValueError):
            return None
        return name, posixpath.dirname(page.url.rstrip("/")), front

    def _wrap(self, name: str, render: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
        def memo(context: Any) -> Iterator[str]:
            key = self._key(name, context)
            if key is None or key in self.unsafe:
                yield from render(context)
                return
            kept = self.kept.get(key)
            if kept is None or self.checked.get(key, 0) < CHECKS:
                fresh = "".join(render(context))
                if kept is None:
                    self.kept[key] = fresh
                elif fresh != kept:
                    log.debug(f"safetykb: {name} differs between pages of {key[1]}/: rendered for each page")
                    self.unsafe.add(key)
                    self.kept.pop(key, None)
                self.checked[key] = self.checked.get(key, 0) + 1
                yield fresh
                return
            self.reused += 1
            yield kept

        return memo


def defer_render(page: Any) -> None:
    """Make mkdocs' Markdown step (`Page.render`, run for every page before any is written) a no-op for this
    page: `render_deferred` does it when the page is about to be written."""
    def later(config: Any, files: Any) -> None:
        page._safetykb_render = (config, files)
        page.content = ""  # what mkdocs checks is set; the page's on_page_content runs with the real render

    page.render = later


def render_deferred(page: Any) -> None:
    """Convert a deferred page's Markdown now, exactly as mkdocs would have (then its on_page_content)."""
    pending = page.__dict__.pop("_safetykb_render", None)
    if pending is None:
        return
    config, files = pending
    del page.render  # mkdocs' own method again
    page.render(config, files)
    page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)


def release(page: Any) -> None:
    """Let go of a written page's Markdown, HTML and table of contents (its anchors and links stay)."""
    page.markdown = None
    page.content = None
    page.toc = []
    if getattr(page.file, "_content", None) is not None:
        page.file._content = ""


# ---------------------------------------------------------------- `mkdocs serve`: pages that did not change

#: The template a page whose output is known renders instead of the theme's (see `PageMemo`): only its HTML
#: content, cheaply; `PageMemo.written` then puts the known output in its place.
KNOWN_TEMPLATE = "safetykb-known-output.html"
#: How often `mkdocs serve` looks at the record folders for changes (mkdocs polls every 0.5 s).
SERVE_POLL_SECONDS = 0.2


class PageMemo:
    """What `mkdocs serve` wrote for each page, to write it again when nothing it depends on changed.

    A page's output is a function of its Markdown (after the hooks), its file and edit address, the set of
    files, the navigation (titles and addresses: every page shows it), the configuration file, the theme's
    own templates (`custom_dir`) and the site address. `signature` covers everything but the Markdown,
    once per build; a page whose Markdown and signature match the last build gets its output back
    (compressed in memory) instead of being converted and rendered, with what mkdocs keeps of a render
    (its HTML content, which plugins such as search read, its title from the first heading, its anchors,
    its links to anchors). Only `mkdocs serve` uses it:
    an edited record then costs its own pages and the lists it appears in, not the whole site.
    """

    def __init__(self) -> None:
        #: src_uri -> (key, output, content, title from render, anchors, links to anchors by file)
        self.pages: dict[str, tuple[str, bytes, bytes, Any, set[str], dict[str, dict[str, str]]]] = {}
        self.signature = ""
        self.hits = 0

    def start_build(self, config: Any, nav: Any, files: Any) -> None:
        import hashlib

        digest = hashlib.blake2b(digest_size=16)

        def walk(items: Any, depth: int) -> None:
            for item in items:
                digest.update(f"{depth}\0{item.title}\0{getattr(item, 'url', '')}\0".encode())
                if getattr(item, "children", None):
                    walk(item.children, depth + 1)

        walk(nav.items, 0)
        for file in files:
            digest.update(f"{file.src_uri}\0{file.dest_uri}\0".encode())
        if config.config_file_path:
            with open(config.config_file_path, "rb") as handle:
                digest.update(handle.read())
        digest.update(str(config.site_url).encode())
        custom = config.theme.custom_dir
        if custom:
            import os

            for folder, _dirs, names in sorted(os.walk(custom)):
                for name in sorted(names):
                    path = os.path.join(folder, name)
                    with open(path, "rb") as handle:
                        digest.update(path.encode() + b"\0" + handle.read())
        self.signature = digest.hexdigest()
        self.hits = 0

    def key(self, page: Any, markdown: str) -> str:
        import hashlib

        text = f"{self.signature}\0{page.file.src_uri}\0{page.file.edit_uri}\0{markdown}"
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def reuse(self, page: Any, markdown: str, files: Any) -> bool:
        """If page's output is known: skip its render and restore what mkdocs keeps of one (True)."""
        page._safetykb_key = key = self.key(page, f"{page.file.content_string}\0{markdown}")
        known = self.pages.get(page.file.src_uri)
        if known is None or known[0] != key:
            return False
        _key, _output, _content, title, anchors, links = known
        targets = {}
        for uri, found in links.items():
            target = files.get_file_from_path(uri)
            if target is None:
                return False  # cannot happen with the same files; render it to be sure
            targets[target] = dict(found)
        defer_render(page)
        page._safetykb_known = page._safetykb_hit = True
        page._title_from_render = title
        page.present_anchor_ids = set(anchors)
        page.links_to_anchors = targets or None
        page.meta["template"] = KNOWN_TEMPLATE
        self.hits += 1
        return True

    def content(self, page: Any) -> bool:
        """Give a known page its HTML content back (True), before its template and plugins see it."""
        if not page.__dict__.pop("_safetykb_known", False):
            return False
        import zlib

        page.__dict__.pop("_safetykb_render", None)
        del page.render
        page.content = zlib.decompress(self.pages[page.file.src_uri][2]).decode()
        return True

    def written(self, page: Any, output: str) -> str:
        """The output to write for page: the known one for a page `reuse` found, else output (kept)."""
        import zlib

        if page.__dict__.get("_safetykb_hit"):
            return zlib.decompress(self.pages[page.file.src_uri][1]).decode()
        self.keep(page, output)
        return output

    def keep(self, page: Any, output: str) -> None:
        """Remember what was written for page (its key was made by `reuse`)."""
        import zlib

        key = page.__dict__.get("_safetykb_key")
        if key is None or page.__dict__.get("_safetykb_hit"):
            return
        links = {target.src_uri: dict(found) for target, found in (page.links_to_anchors or {}).items()}
        title = getattr(page, "_title_from_render", None)
        self.pages[page.file.src_uri] = (key, zlib.compress(output.encode(), 1),
                                         zlib.compress((page.content or "").encode(), 1), title,
                                         set(page.present_anchor_ids or ()), links)


#: Kept across the rebuilds of one `mkdocs serve` (mkdocs loads the hook module anew for each).
serve_memo = PageMemo()
serving = False  # set by the hook's on_startup when the command is `mkdocs serve`
index_lock = threading.Lock()  # one Pagefind run at a time under `mkdocs serve` (the hook's)


def add_known_template(env: Any) -> None:
    """Give the Jinja environment KNOWN_TEMPLATE: the page's content, which `PageMemo.output` made the output."""
    import jinja2

    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({KNOWN_TEMPLATE: "{{ page.content }}"}), env.loader])
