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


def is_record_name(name: str) -> bool:
    """A file name the validator reads as a record: .yaml (or .yml, .YAML..., reported for their extension)."""
    return name.lower().endswith((".yaml", ".yml"))


def record_files(root: Path) -> list[tuple[str, Path]]:
    """Every record file under root as (kind, path), by kind, then path.

    Anything named like a record is listed, even when it is a link, a pipe or a device, so that the
    validator reports it instead of skipping it; the validator reads only regular files inside root.
    """
    return scan_record_files(root)[0]


def scan_record_files(root: Path) -> tuple[list[tuple[str, Path]], set[Path]]:
    """record_files, and those of them that lead outside root (`leaves_root`), found from the folder
    listings alone: only symbolic links and files under a linked record folder are looked at further."""
    found: list[tuple[str, Path]] = []
    outside: set[Path] = set()
    folders: dict[str, bool] = {}
    for kind, folder in FOLDERS.items():
        base = root / folder
        if base.is_dir():
            # Papers sit in year folders; a paper file anywhere else is found and reported, not ignored.
            # .yml and .YAML files are records with the wrong extension: reported too.
            links: list[str] = []
            names = _named_like_records(str(base), kind == "paper", links)
            found.extend((kind, Path(p)) for p in names)
            check = names if _folder_links(str(base), str(root), folders) else links
            outside.update(Path(p) for p in check if leaves_root(Path(p), root, folders))
    # Kinds in KINDS order, so a model family keeps its id against a later clash from another kind.
    found.sort(key=lambda kp: (KINDS.index(kp[0]), str(kp[1])))
    return found, outside


def leaves_root(path: Path, root: Path, folders: dict[str, bool] | None = None) -> bool:
    """Whether reading path would read something outside root (resolved): the file or a folder between
    it and root is a symbolic link that leads out. Costs one lstat per file and one per folder, remembered
    in `folders` (folder -> whether it or a folder above it within root is a link) across calls."""
    text, base = str(path), str(root)
    if not text.startswith(base + os.sep):
        return True
    links = os.path.islink(text) or _folder_links(os.path.dirname(text), base, {} if folders is None else folders)
    if not links:
        return False
    return root not in path.resolve().parents


def _folder_links(folder: str, base: str, folders: dict[str, bool]) -> bool:
    if folder == base or not folder.startswith(base + os.sep):
        return False
    known = folders.get(folder)
    if known is None:
        known = folders[folder] = os.path.islink(folder) or _folder_links(os.path.dirname(folder), base, folders)
    return known


def _named_like_records(folder: str, recursive: bool, links: list[str]) -> list[str]:
    """Entries of folder (and its real subfolders if recursive) named like records, folders excepted;
    those that are symbolic links are also added to links."""
    found: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        if recursive and not entry.is_symlink():
                            found.extend(_named_like_records(entry.path, recursive, links))
                    elif is_record_name(entry.name):
                        found.append(entry.path)
                        if entry.is_symlink():
                            links.append(entry.path)
                except OSError:
                    continue
    except OSError:
        pass
    return found


#: Files under the record folders that are not records but belong there.
OTHER_FILES: tuple[str, ...] = ("taxonomy/sections.yaml",)

#: The folders that hold records, and what a file found elsewhere in them is told.
_TOP = ("papers", "taxonomy")


def stray_files(root: Path, records: list[tuple[str, Path]] | None = None) -> list[tuple[Path, str]]:
    """Files and links in papers/ and taxonomy/ that the validator does not read as records (`records`, as
    record_files lists them), with what to do about each: a record in the wrong folder must never pass
    unseen. Hidden files are left alone."""
    # Compared as text: this walks every file of the knowledge base, also when one record is validated.
    found = {str(path) for _kind, path in (record_files(root) if records is None else records)}
    others = {str(root / name) for name in OTHER_FILES}
    kind_folders = {root / folder for kind, folder in FOLDERS.items() if kind != "paper"}
    out: list[tuple[Path, str]] = []
    for top in _TOP:
        base = root / top
        if not base.is_dir():
            continue
        for folder, dirs, files in os.walk(base):
            here = Path(folder)
            for name in sorted(dirs):
                if (here / name).is_symlink():
                    out.append((here / name, "a symbolic link to a folder: records are read only from real "
                                             "folders inside the knowledge base; put the files here instead"))
            for name in sorted(files):
                text = os.path.join(folder, name)
                if name.startswith(".") or text in found or text in others:
                    continue
                path = here / name
                if not is_record_name(name):
                    out.append((path, f"not a record file: records are <id>.yaml files; rename it or move it "
                                      f"out of {top}/"))
                elif top == "taxonomy":
                    out.append((path, _misplaced(path, root, here, kind_folders)))
    return sorted(out)


def _misplaced(path: Path, root: Path, here: Path, kind_folders: set[Path]) -> str:
    from safetykb.core.suggest import closest

    folders = sorted(f.relative_to(root).as_posix() + "/" for f in kind_folders if f.parent == root / "taxonomy")
    inside = next((f for f in kind_folders if f in here.parents), None)
    if inside is not None:
        target = inside.relative_to(root).as_posix()
        return f"taxonomy records sit directly in {target}/, not in a subfolder: move it to {target}/{path.name}"
    near = closest(here.relative_to(root).as_posix() + "/", folders) if here != root / "taxonomy" else None
    hint = f"; did you mean {near}?" if near else ""
    return f"not in a record folder, so never read: taxonomy records live in {', '.join(folders)}{hint}"
