"""mkdocs hooks (listed in mkdocs.yml): hand the pages that `safetykb.site` generates to mkdocs.

Validation runs in `on_config`, before mkdocs cleans or writes anything: invalid
records abort the build with the validator's messages and leave the previous
site/ untouched. Generated pages are in-memory `File.generated` objects; nothing
is written into docs_dir, so `mkdocs serve` does not loop.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # mkdocs loads hooks by path; make this checkout's package importable
    sys.path.insert(0, str(_ROOT))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402

from safetykb.core.layout import repo_root  # noqa: E402
from safetykb.core.problems import format_report  # noqa: E402
from safetykb.core.validation import InvalidKnowledgeBase  # noqa: E402
from safetykb.site.build import Site, load_site  # noqa: E402

_site: Site | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site
    root = repo_root()
    for folder in (root / "papers", root / "taxonomy", root / "results"):  # `mkdocs serve` rebuilds on an edit
        if folder.is_dir() and str(folder) not in config.watch:
            config.watch.append(str(folder))
    try:
        _site = load_site(root, directory_urls=config.use_directory_urls)
    except InvalidKnowledgeBase as error:
        raise PluginError("the records have problems; nothing was built, site/ is unchanged:\n"
                          + format_report(error.problems)) from None
    config.nav = _site.nav
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _site is not None
    for path, content in _site.pages.items():
        hidden = InclusionLevel.NOT_IN_NAV if path in _site.hidden else InclusionLevel.UNDEFINED
        files.append(File.generated(config, path, content=content, inclusion=hidden))
    for path, data in _site.files.items():
        files.append(File.generated(config, path, content=data))
    return files
