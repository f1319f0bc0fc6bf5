"""Where records live: the record kinds, their folders, and the repository root."""

from __future__ import annotations

import os
from pathlib import Path

#: Record kinds in the order exports and pages list them.
KINDS: tuple[str, ...] = ("paper", "model", "attack", "defense", "dataset", "benchmark")

#: Kinds that form trees through `parent`.
TREE_KINDS: tuple[str, ...] = ("model", "attack", "defense")

#: Folder of each kind, relative to the repository root.
FOLDERS: dict[str, str] = {
    "paper": "papers",
    "model": "taxonomy/models",
    "attack": "taxonomy/attacks",
    "defense": "taxonomy/defenses",
    "dataset": "taxonomy/datasets",
    "benchmark": "taxonomy/benchmarks",
}

#: Plural names used in the JSON export and on the site.
PLURALS: dict[str, str] = {
    "paper": "papers",
    "model": "models",
    "attack": "attacks",
    "defense": "defenses",
    "dataset": "datasets",
    "benchmark": "benchmarks",
}

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"


def repo_root() -> Path:
    """The knowledge base root: $SAFETYKB_ROOT, else the checkout this package sits in."""
    env = os.environ.get("SAFETYKB_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def record_path(kind: str, record_id: str, year: object = None) -> str:
    """A record's file relative to the repository root: `papers/<year>/<id>.yaml`, `taxonomy/<kind>s/<id>.yaml`."""
    if kind == "paper":
        return f"{FOLDERS[kind]}/{year}/{record_id}.yaml"
    return f"{FOLDERS[kind]}/{record_id}.yaml"


def kind_of_path(path: Path, root: Path) -> str | None:
    """The record kind a file belongs to by its folder, or None when it is not a record file."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    for kind, folder in FOLDERS.items():
        if rel.startswith(folder + "/"):
            return kind
    return None


def record_files(root: Path) -> list[tuple[str, Path]]:
    """Every record file under root as (kind, path), by kind, then path."""
    found: list[tuple[str, Path]] = []
    for kind, folder in FOLDERS.items():
        base = root / folder
        if not base.is_dir():
            continue
        # Papers sit in year folders; a paper file anywhere else is found and reported, not ignored.
        # .yml files are records with the wrong extension: reported too.
        walk = base.rglob if kind == "paper" else base.glob
        for suffix in ("*.yaml", "*.yml"):
            found.extend((kind, p) for p in walk(suffix) if p.is_file())
    # Kinds in KINDS order, so a model family keeps its id against a later clash from another kind.
    found.sort(key=lambda kp: (KINDS.index(kp[0]), str(kp[1])))
    return found
