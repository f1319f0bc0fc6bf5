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
