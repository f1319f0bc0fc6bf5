"""`scripts/build_pages.py OUT`: write the generated site sources into a folder (no mkdocs hook needed).

Zensical and other tools that read mkdocs.yml but not its hooks can build the
same site from OUT: the command writes every generated page and file, the
hand-written pages of docs_dir, and optionally a config (`--config`) that points
docs_dir at OUT and spells the nav out. OUT is built beside itself and swapped in,
so an interrupted run leaves the previous output; a config is written only to a new
path or over a config this command wrote (never over the project's mkdocs.yml). Such a
build has no search index until `scripts/index_site.py SITE_DIR` writes it (the hook
does it for mkdocs).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from safetykb.core.fileio import check_target, write_atomic
from safetykb.core.graph import build_graph
from safetykb.core.layout import repo_root
from safetykb.core.validation import load_kb_or_report
from safetykb.site.build import generate
from safetykb.site.context import context_from_config

MARKER = ".safetykb-pages"
REPO = Path(__file__).resolve().parents[2]
#: First line of every config this command writes: only such a file is ever overwritten.
CONFIG_HEADER = "# written by scripts/build_pages.py from mkdocs.yml: edit mkdocs.yml, not this file"


def write_config(source: Path, out_dir: Path, target: Path, nav: list) -> None:
    """mkdocs.yml with docs_dir = out_dir, no hooks or watch list, the theme overrides by absolute path, and
    the generated nav.

    docs_dir is written relative to the config's folder when out_dir is inside it: Zensical 0.0.73 stops
    with an internal error on an absolute docs_dir (and requires docs_dir and site_dir inside that folder).
    """
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(hooks|watch):\n(?:[ \t]+- .*\n)+", "", text)
    docs_dir = out_dir.resolve()
    if docs_dir.is_relative_to(target.parent.resolve()):
        docs_dir = docs_dir.relative_to(target.parent.resolve())
    text = re.sub(r"(?m)^docs_dir:.*$", f"docs_dir: {docs_dir.as_posix()}", text)
    # The theme overrides are named relative to mkdocs.yml; the written config may live elsewhere.
    text = re.sub(r"(?m)^(\s+custom_dir:)\s*(\S+)\s*$",
                  lambda m: f"{m.group(1)} {(source.parent / m.group(2)).resolve().as_posix()}", text)
    text += "\n" + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False)
    write_atomic(target, f"{CONFIG_HEADER}\n{text}")


def config_refusal(target: Path, sources: list[Path]) -> str | None:
    """Why --config may not write target, or None: it must be new or a config this command wrote."""
    resolved = target.resolve()
    if any(resolved == s.resolve() for s in sources):
        return (f"refusing to overwrite {target}: it is the project's own configuration; write the generated one "
                "elsewhere, e.g. --config build/mkdocs.yml")
    try:
        check_target(target)
    except OSError as exc:
        return f"cannot write {target}: {exc.strerror or exc}"
    if target.exists():
        with open(target, encoding="utf-8", errors="replace") as fh:
            first = fh.readline().rstrip("\n")
        if first != CONFIG_HEADER:
            return f"refusing to overwrite {target}: it was not written by this command"
    return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
    if out.exists() and not out.is_dir():
        print(f"build_pages.py: {out} is a file, not a folder", file=sys.stderr)
        return 2
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        print(f"build_pages.py: {out} is not empty and was not written by this command", file=sys.stderr)
        return 2
    root = (args.root or repo_root()).resolve()
    if args.config:
        refusal = config_refusal(args.config, [REPO / "mkdocs.yml", root / "mkdocs.yml"])
        if refusal:
            print(f"build_pages.py: {refusal}", file=sys.stderr)
            return 2
    kb = load_kb_or_report(root, "build_pages.py")
    if kb is None:
        return 1
    site = generate(build_graph(kb), context=context_from_config(REPO / "mkdocs.yml", (args.root or repo_root())))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        shutil.copytree(docs, staging, dirs_exist_ok=True)
        for path, content in {**site.pages, **site.files}.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        (staging / MARKER).write_text("written by scripts/build_pages.py\n", encoding="utf-8")
        staging.chmod(0o777 & ~_umask())
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if args.config:
        write_config(REPO / "mkdocs.yml", out, args.config, site.nav)
    print(f"wrote {len(site.pages)} pages and {len(site.files)} files to {out}")
    return 0
