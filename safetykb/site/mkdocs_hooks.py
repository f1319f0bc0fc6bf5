"""mkdocs hooks (listed in mkdocs.yml): hand the pages that `safetykb.site` generates to mkdocs.

Validation runs in `on_config`, before mkdocs cleans or writes anything: invalid
records abort the build with the validator's messages and leave the previous
site/ untouched. Generated pages are in-memory `File.generated` objects; nothing
is written into docs_dir, so `mkdocs serve` does not loop. A record's page gets its
YAML file as its "edit this page" target; after the build, Pagefind indexes the
site (`safetykb.site.search_index`): within the build for `mkdocs build` (a failure
fails the build), in the background for `mkdocs serve`, so an edited record shows
as soon as its page is rebuilt and search catches up a few seconds later. Pages
outside the nav are rendered with the shortcuts of `safetykb.site.fastbuild` (the
same output; SAFETYKB_PLAIN_BUILD=1 turns them off, to compare), and `mkdocs serve`
writes the pages an edit did not change as they were.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # mkdocs loads hooks by path; make this checkout's package importable
    sys.path.insert(0, str(_ROOT))


from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402

from safetykb.core.layout import repo_root  # noqa: E402
from safetykb.core.problems import format_report  # noqa: E402
from safetykb.core.validation import InvalidKnowledgeBase  # noqa: E402
from safetykb.site import fastbuild  # noqa: E402
from safetykb.site.build import Site, load_site  # noqa: E402
from safetykb.site.context import site_context  # noqa: E402
from safetykb.site.search_index import SearchIndexError, index_site  # noqa: E402

_site: Site | None = None
_log = logging.getLogger("mkdocs.hooks.safetykb")
_fast = os.environ.get("SAFETYKB_PLAIN_BUILD", "") in ("", "0")
_deferred: set[str] = set()  # generated pages outside the nav, converted when written (fastbuild)
_nav_pages: set[str] = set()


def on_startup(command: str, dirty: bool) -> None:
    # Kept in the package, not here: mkdocs loads this module anew for each rebuild of `mkdocs serve`.
    fastbuild.serving = command == "serve"


def on_serve(server, config: MkDocsConfig, builder):  # noqa: ANN001, ANN201 - mkdocs' LiveReloadServer
    # Record folders are watched after this (config.watch): look at them more often than mkdocs' 0.5 s.
    if hasattr(server.observer, "_timeout"):
        server.observer._timeout = fastbuild.SERVE_POLL_SECONDS
    return server


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site
    root = repo_root()
    for folder in (root / "papers", root / "taxonomy", root / "results"):  # `mkdocs serve` rebuilds on an edit
        if folder.is_dir() and str(folder) not in config.watch:
            config.watch.append(str(folder))
    if not config.repo_url:  # no repository (a local build without SAFETYKB_REPO_URL): no edit links
        config.edit_uri = None
    context = site_context(root, config.use_directory_urls, config.site_url, config.repo_url, config.edit_uri)
    try:
        _site = load_site(root, context=context)
    except InvalidKnowledgeBase as error:
        raise PluginError("the records have problems; nothing was built, site/ is unchanged:\n"
                          + format_report(error.problems)) from None
    config.nav = _site.nav
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _site is not None
    # edit_uri (mkdocs.yml) points at the repository root, so a hand-written page edits docs_dir/<page>.
    docs = Path(config.docs_dir).name
    for file in files:
        if file.generated_by is None:
            file.edit_uri = f"{docs}/{file.src_uri}"
    for path, content in _site.pages.items():
        hidden = InclusionLevel.NOT_IN_NAV if path in _site.hidden else InclusionLevel.UNDEFINED
        page = File.generated(config, path, content=content, inclusion=hidden)
        if path in _site.records:
            page.edit_uri = _site.records[path]  # "edit this page" opens the record's YAML file
        files.append(page)
    for path, data in _site.files.items():
        files.append(File.generated(config, path, content=data))
    _deferred.clear()
    if _fast:
        _deferred.update(_site.hidden)
    _site.pages, _site.files = {}, {}  # the File objects hold them now; a written page lets go of its own
    return files


def on_nav(nav, config: MkDocsConfig, files: Files):  # noqa: ANN001, ANN201 - mkdocs' Navigation
    _nav_pages.clear()
    _nav_pages.update(page.file.src_uri for page in nav.pages)
    if _fast and fastbuild.serving:
        fastbuild.serve_memo.start_build(config, nav, files)
    return nav


def on_env(env, config: MkDocsConfig, files: Files):  # noqa: ANN001, ANN201 - a jinja2.Environment
    if _fast:
        fastbuild.add_known_template(env)  # first: a new loader empties the template cache NavMemo wraps
        fastbuild.NavMemo(lambda page: page.file.src_uri not in _nav_pages,
                          list(config.theme.get("features") or [])).install(env)
    return env


def on_page_markdown(markdown: str, page, config: MkDocsConfig, files: Files) -> str:  # noqa: ANN001
    if _fast and fastbuild.serving:
        fastbuild.serve_memo.reuse(page, markdown, files)
    return markdown


def on_pre_page(page, config: MkDocsConfig, files: Files):  # noqa: ANN001, ANN201 - mkdocs' Page
    if page.file.src_uri in _deferred:
        fastbuild.defer_render(page)
    return page


@event_priority(100)  # before any plugin reads the page's HTML
def on_page_context(context, page, config: MkDocsConfig, nav):  # noqa: ANN001, ANN201
    if not fastbuild.serve_memo.content(page):
        fastbuild.render_deferred(page)
    return context


@event_priority(100)  # the page's own output, before any plugin changes it
def on_post_page(output: str, page, config: MkDocsConfig) -> str:  # noqa: ANN001
    if _fast and fastbuild.serving:
        output = fastbuild.serve_memo.written(page, output)
    if page.file.src_uri in _deferred:
        fastbuild.release(page)
    return output


def on_post_build(config: MkDocsConfig) -> None:
    global _site
    _site = None  # the generated pages are written; free them before Pagefind needs its own memory
    gc.collect()
    site_dir = Path(config.site_dir)
    if fastbuild.serving:
        if _fast:
            _log.info(f"safetykb: {fastbuild.serve_memo.hits} pages unchanged since the last build, "
                      "written as they were")
        threading.Thread(target=_index_in_background, args=(site_dir,), daemon=True).start()
        return
    try:
        index_site(site_dir)
    except SearchIndexError as error:
        raise PluginError(f"search index: {error}") from None


def _index_in_background(site_dir: Path) -> None:
    with fastbuild.index_lock:  # one Pagefind run at a time; a later rebuild indexes again after this one
        try:
            index_site(site_dir)
            _log.info("search index updated")
        except SearchIndexError as error:
            _log.warning(f"search index: {error}")
