"""Where records live: the record kinds, their folders, and the repository root."""

from __future__ import annotations

import os
from pathlib import Path

#: Record kinds in the order exports and pages list them.
KINDS: tuple[str, ...] = ("paper", "model", "attack", "defense", "dataset", "benchmark", "system", "result")

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
    "system": "taxonomy/systems",
    "result": "results",
}

#: Plural names used in the JSON export and on the site.
PLURALS: dict[str, str] = {
    "paper": "papers",
    "model": "models",
    "attack": "attacks",
    "defense": "defenses",
    "dataset": "datasets",
    "benchmark": "benchmarks",
    "system": "systems",
    "result": "results",
}

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"


def repo_root() -> Path:
    """The knowledge base root: $SAFETYKB_ROOT, else the checkout this package sits in."""
    env = os.environ.get("SAFETYKB_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


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
    found: list[tuple[int, str, str]] = []
    for kind, folder in FOLDERS.items():
        base = root / folder
        if not base.is_dir():
            continue
        # Papers sit in year folders; a paper file anywhere else is found and reported, not ignored.
        # .yml files are records with the wrong extension: reported too. (os.scandir: this runs before
        # every question the query tool answers, over 10,000 files.)
        rank = KINDS.index(kind)
        found.extend((rank, path, kind) for path in _record_names(str(base), kind == "paper"))
    # Kinds in KINDS order, so a model family keeps its id against a later clash from another kind.
    found.sort()
    return [(kind, Path(path)) for _rank, path, kind in found]


def _record_names(folder: str, recursive: bool) -> list[str]:
    """Files named *.yaml or *.yml in folder (and, if recursive, in its subfolders, as rglob finds them)."""
    out: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.name.endswith((".yaml", ".yml")) and entry.is_file():
                        out.append(entry.path)
                    if recursive and entry.is_dir() and not entry.is_symlink():  # as rglob: links not followed
                        out.extend(_record_names(entry.path, recursive))
                except OSError:
                    continue
    except OSError:
        pass
    return out
