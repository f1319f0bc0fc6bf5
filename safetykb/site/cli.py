"""`scripts/build_pages.py OUT`: write the generated site sources into a folder (no mkdocs hook needed).

Zensical and other tools that read mkdocs.yml but not its hooks can build the
same site from OUT: the command writes every generated page and file, the
hand-written pages of docs_dir, and optionally a config (`--config`) that points
docs_dir at OUT and spells the nav out. Such a build has no search index until
`scripts/index_site.py SITE_DIR` writes it (the hook does it for mkdocs).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import yaml

from safetykb.core.graph import build_graph
from safetykb.core.layout import repo_root
from safetykb.core.validation import load_kb_or_report
from safetykb.site.build import generate
from safetykb.site.context import context_from_config

MARKER = ".safetykb-pages"
REPO = Path(__file__).resolve().parents[2]


def write_config(source: Path, out_dir: Path, target: Path, nav: list) -> None:
    """mkdocs.yml with docs_dir = out_dir, no hooks or watch list, the theme overrides by absolute path, and
    the generated nav."""
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(hooks|watch):\n(?:[ \t]+- .*\n)+", "", text)
    text = re.sub(r"(?m)^docs_dir:.*$", f"docs_dir: {out_dir.resolve().as_posix()}", text)
    # The theme overrides are named relative to mkdocs.yml; the written config may live elsewhere.
    text = re.sub(r"(?m)^(\s+custom_dir:)\s*(\S+)\s*$",
                  lambda m: f"{m.group(1)} {(source.parent / m.group(2)).resolve().as_posix()}", text)
    text += "\n" + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False)
    target.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_pages.py", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (emptied first if it holds an earlier output)")
    parser.add_argument("--root", type=Path, default=None, help="knowledge base root (default: this checkout)")
    parser.add_argument("--config", type=Path, default=None, help="also write a mkdocs.yml for OUT here")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    docs = (REPO / "site_src").resolve()
    if out == docs or docs in out.parents or out in docs.parents:
        print("build_pages.py: refusing to write into docs_dir (site_src/)", file=sys.stderr)
        return 2
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        print(f"build_pages.py: {out} is not empty and was not written by this command", file=sys.stderr)
        return 2
    kb = load_kb_or_report((args.root or repo_root()).resolve(), "build_pages.py")
    if kb is None:
        return 1
    site = generate(build_graph(kb), context=context_from_config(REPO / "mkdocs.yml", (args.root or repo_root())))
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(docs, out)
    for path, content in {**site.pages, **site.files}.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    (out / MARKER).write_text("written by scripts/build_pages.py\n", encoding="utf-8")
    if args.config:
        write_config(REPO / "mkdocs.yml", out, args.config, site.nav)
    print(f"wrote {len(site.pages)} pages and {len(site.files)} files to {out}")
    return 0
