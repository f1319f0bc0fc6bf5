"""The site's search index: Pagefind run over a built site folder (the one place that invokes it).

Pagefind (PyPI `pagefind[bin]`, pinned; the platform wheel carries the binary, so
nothing is downloaded at build time) reads the built HTML and writes a chunked
index into `<site>/pagefind/`: a reader's first query loads a small entry file, the
WebAssembly search and only the index chunks its words fall in, so the payload
stays small however many papers there are. What is indexed is marked in the
pages themselves (`data-pagefind-body`, `-meta`, `-filter`, `-weight`; see
`safetykb/site/pages_*.py`); `assets/kb-search.js` is the search box.

Run by the mkdocs hook after every build (`on_post_build`, so `make build` and
`make serve` both get an index) and by `scripts/index_site.py SITE_DIR` for a site
built by a tool that ignores hooks (Zensical).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: Where the index goes inside the site folder; kb-search.js loads `<site>/pagefind/pagefind.js`.
BUNDLE_DIR = "pagefind"
#: Every page is English; forcing it keeps one index (no per-language split) whatever a page's lang says.
#: Only the page content is read (Material's article; header and navigation are most of each page's HTML:
#: 40% less indexing time at 10,000 papers). Labels are not what a reader searches and would run into the
#: excerpts ("Benchmark harmbench. Definition. A red-teaming..."): heading permalinks (the pilcrow),
#: admonition titles, a page's kind badge and record id.
ROOT = "article.md-content__inner"
EXCLUDED = (".headerlink", ".admonition-title", ".kb-kind", ".kb-id")
ARGS = ("--output-subdir", BUNDLE_DIR, "--force-language", "en", "--root-selector", ROOT,
        *(arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)))
INSTALL_HINT = "pip install 'pagefind[bin]' (pinned in pyproject.toml; `make .venv/.installed` does it)"


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says why and what to do."""


def index_site(site_dir: Path, quiet: bool = True) -> str:
    """Index the built site in site_dir with Pagefind; returns Pagefind's summary (its last lines)."""
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise SearchIndexError(f"{site_dir}: no index.html here; build the site first (make build)")
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), *ARGS]
    if quiet:
        command.append("--quiet")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"could not run Pagefind: {error}") from None
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0 or "No module named pagefind" in output:
        raise SearchIndexError(f"Pagefind failed on {site_dir} (exit {done.returncode}): {output[-1500:]}\n"
                               f"If it is not installed: {INSTALL_HINT}")
    if not (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind wrote no {BUNDLE_DIR}/pagefind.js into {site_dir}: {output[-1500:]}")
    return output


def main(argv: list[str] | None = None) -> int:
    """`scripts/index_site.py SITE_DIR`: index a built site folder (for builds that ignore mkdocs hooks)."""
    import argparse

    parser = argparse.ArgumentParser(prog="index_site.py", description=main.__doc__.split(":", 1)[1].strip())
    parser.add_argument("site_dir", type=Path, help="a built site folder (holds index.html)")
    args = parser.parse_args(argv)
    try:
        print(index_site(args.site_dir, quiet=False))
    except SearchIndexError as error:
        print(f"index_site.py: {error}", file=sys.stderr)
        return 1
    print(f"index_site.py: search index written to {args.site_dir / BUNDLE_DIR}")
    return 0
