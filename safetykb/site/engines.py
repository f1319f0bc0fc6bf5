"""`scripts/build_site.py`: build the site with one of three engines, mkdocs (the default), ProperDocs or Zensical.

- **mkdocs** 1.6 with Material reads `mkdocs.yml` and runs its hook (`mkdocs_hooks.py`), which
  validates the records and hands the generated pages to mkdocs.
- **ProperDocs**, the maintained fork of MkDocs 1.6, reads the same `mkdocs.yml` and runs the same
  hook (it answers `import mkdocs...` with its own modules, so Material and the hook work unchanged).
- **Zensical** reads `mkdocs.yml` but runs no hooks, so it builds from `scripts/build_pages.py`'s
  output: the generated pages and a config pointing at them (no hooks, the nav spelled out), both
  written into a temporary folder beside OUT; OUT is replaced only when the build succeeded.

Every engine runs as its own process with this checkout as its working directory (where
`pymdownx.snippets` finds `LICENSE-DATA.md`) and `SAFETYKB_ROOT` set to the knowledge base.
ProperDocs and Zensical are optional dependency groups of pyproject.toml (locked in
`requirements-<engine>.lock`); `make build ENGINE=<engine>` installs the group first.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Engine:
    """A site builder: the module `python -m` runs, its optional dependency group, its default output folder."""

    name: str
    module: str
    group: str | None
    out: str


ENGINES: dict[str, Engine] = {
    "mkdocs": Engine("mkdocs", "mkdocs", None, "site"),
    "properdocs": Engine("properdocs", "properdocs", "properdocs", "site-properdocs"),
    "zensical": Engine("zensical", "zensical", "zensical", "site-zensical"),
}
DEFAULT = "mkdocs"


class EngineMissing(Exception):
    """The engine's optional dependency group is not installed; the message says how to install it."""


def installed(engine: Engine) -> bool:
    return importlib.util.find_spec(engine.module) is not None


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "SAFETYKB_ROOT": str(root), "DISABLE_MKDOCS_2_WARNING": "true",
            "NO_MKDOCS_2_WARNING": "1"}


def _run(args: list[str], root: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=_env(root), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def build(name: str, out: Path, root: Path | None = None, repo: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Build the site of the records under root (default: the checkout) with one engine, strictly, into out.

    Returns the engine's finished process (returncode 0 on success, its output otherwise). Raises
    EngineMissing when the engine is not installed and KeyError for an unknown engine name.
    """
    engine = ENGINES[name]
    if not installed(engine):
        raise EngineMissing(f"{engine.name} is not installed: run `make build ENGINE={engine.name}`, which installs "
                            f"the optional dependency group '{engine.group}' (requirements-{engine.group}.lock)")
    out = out.resolve()
    root = (root or repo).resolve()
    config = repo / "mkdocs.yml"
    if engine.name != "zensical":
        return _run(["-m", engine.module, "build", "--strict", "-f", str(config), "-d", str(out)], root, repo)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        pages = _run([str(repo / "scripts" / "build_pages.py"), str(work / "pages"), "--root", str(root),
                      "--config", str(work / "mkdocs.yml")], root, repo)
        if pages.returncode != 0:
            return pages
        built = _run(["-m", engine.module, "build", "--strict", "-f", str(work / "mkdocs.yml")], root, repo)
        built.stdout = pages.stdout + built.stdout
        if built.returncode == 0:
            if out.exists():
                shutil.rmtree(out)
            os.replace(work / "site", out)
        return built
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_site.py", description=__doc__.splitlines()[0].split(": ", 1)[1])
    parser.add_argument("--engine", choices=sorted(ENGINES), default=DEFAULT, help="default: %(default)s")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: site/ for mkdocs, site-<engine>/ for the others)")
    parser.add_argument("--root", type=Path, default=None, help="knowledge base root (default: this checkout)")
    args = parser.parse_args(argv)
    engine = ENGINES[args.engine]
    out = args.out or REPO / engine.out
    try:
        result = build(engine.name, out, args.root)
    except EngineMissing as error:
        print(f"build_site.py: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        print(f"build_site.py: the {engine.name} build failed (see above)", file=sys.stderr)
        return 1
    print(f"built the site with {engine.name} into {out}")
    return 0
