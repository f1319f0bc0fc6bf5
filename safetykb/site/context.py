"""What the site says about itself beyond the records: its address, the repository, the sources and the licences.

`SiteContext` is built once per build, from mkdocs' config in the hook or from the
same environment variables in `scripts/build_pages.py`, plus `sources.yaml` and
the licence files of the checkout. Page generation reads it and never the
environment, so `generate(graph, context)` stays a pure function.

The addresses come from mkdocs.yml, which reads them from the environment
(`!ENV`): the Pages workflow sets them from GitHub's own variables.
- `SAFETYKB_SITE_URL`: where the site is published (sitemap, feed, canonical and OpenGraph URLs);
- `SAFETYKB_REPO_URL`: the repository ("edit this record", the About page);
- `SAFETYKB_EDIT_URI`: the edit path relative to the repository URL, pointing at the repository
  root (`edit/main/`), so a record page can link to its YAML file and a hand-written page to
  `site_src/<page>.md`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from safetykb.importer.sources import Source, load_sources
from safetykb.site.text import page_url

#: The checkout that holds this package (sources.yaml, licences, pyproject.toml live at its top).
CHECKOUT = Path(__file__).resolve().parents[2]
DATA_LICENCE_FILE = "LICENSE-DATA.md"
CODE_LICENCE_FILE = "LICENSE"


@dataclass(frozen=True)
class SiteContext:
    """The site's addresses and provenance; every field is optional and pages say what is missing."""

    directory_urls: bool = True
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    sources: tuple[Source, ...] = ()
    #: Text of LICENSE-DATA.md when the checkout has one (rendered on the About page).
    data_licence: str | None = None
    #: The code licence pyproject.toml declares, and whether a LICENSE file is there to link to.
    code_licence: str | None = None
    has_licence_file: bool = False

    def absolute(self, page: str) -> str | None:
        """The published URL of a generated page ('papers/x.md'), or None without a site URL."""
        if not self.site_url:
            return None
        return urljoin(self.site_url.rstrip("/") + "/", page_url(page, self.directory_urls))

    def edit_url(self, path: str) -> str | None:
        """Where a file of the repository ('papers/2023/x.yaml') is edited on its host, or None."""
        if not self.repo_url or not self.edit_uri:
            return None
        return urljoin(self.repo_url.rstrip("/") + "/", self.edit_uri.rstrip("/") + "/" + path)

    def file_url(self, path: str) -> str | None:
        """Where a file of the repository is shown on its host ('blob' instead of 'edit'), or None."""
        edit = self.edit_url(path)
        return edit.replace("/edit/", "/blob/", 1) if edit and "/edit/" in edit else edit


def _first_file(name: str, roots: tuple[Path, ...]) -> Path | None:
    return next((root / name for root in roots if (root / name).is_file()), None)


def site_context(root: Path, directory_urls: bool = True, site_url: str | None = None,
                 repo_url: str | None = None, edit_uri: str | None = None) -> SiteContext:
    """The context of a build over the records under root: sources.yaml, LICENSE-DATA.md and the code licence
    are read from root when it has them, else from the checkout holding this package."""
    roots = (root, CHECKOUT) if root.resolve() != CHECKOUT else (CHECKOUT,)
    sources_file = _first_file("sources.yaml", roots)
    sources = tuple(load_sources(sources_file.parent).values()) if sources_file else ()
    data_file = _first_file(DATA_LICENCE_FILE, roots)
    code_licence = None
    pyproject = _first_file("pyproject.toml", roots)
    if pyproject:
        licence = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("license")
        code_licence = licence.get("text") if isinstance(licence, dict) else licence
    return SiteContext(directory_urls=directory_urls, site_url=site_url or None, repo_url=repo_url or None,
                       edit_uri=edit_uri or None, sources=sources,
                       data_licence=data_file.read_text(encoding="utf-8") if data_file else None,
                       code_licence=code_licence, has_licence_file=_first_file(CODE_LICENCE_FILE, roots) is not None)


def context_from_config(config_file: Path, root: Path) -> SiteContext:
    """The context a mkdocs build of config_file gets (its `!ENV` tags read the same environment), for
    scripts/build_pages.py, which builds without mkdocs' hooks."""
    from mkdocs.utils import yaml_load

    with config_file.open(encoding="utf-8") as handle:
        config = yaml_load(handle) or {}
    return site_context(root, bool(config.get("use_directory_urls", True)), config.get("site_url"),
                        config.get("repo_url"), config.get("edit_uri"))
