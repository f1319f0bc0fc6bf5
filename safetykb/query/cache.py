"""The query tool's graph cache: the validated graph, pickled under <root>/.cache/, keyed on contents.

The key is a BLAKE2 hash over the relative path, size and bytes of every record
file (found exactly as `safetykb.core.layout.record_files` finds them) and over the
package's own code and schemas, so an edited, added, removed or renamed record,
or a changed rule, always misses: the cache can never answer from stale data.
Only a knowledge base that validated cleanly is cached. Any problem reading or
writing the cache falls back silently to loading and validating the records.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from safetykb.core.layout import FOLDERS

_MAGIC = b"safetykb-query-graph 1 "
_PACKAGE = Path(__file__).resolve().parents[1]


def record_paths(root: Path) -> list[str]:
    """Every record file under root, as `layout.record_files` finds them, fast (os.scandir)."""
    found: list[str] = []

    def walk(folder: str, recursive: bool) -> None:
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        if entry.name.endswith((".yaml", ".yml")) and entry.is_file():
                            found.append(entry.path)
                        elif recursive and entry.is_dir(follow_symlinks=False):
                            walk(entry.path, recursive)
                    except OSError:
                        continue
        except OSError:
            return

    for kind, folder in FOLDERS.items():
        base = root / folder
        if base.is_dir():
            walk(str(base), kind == "paper")
    found.sort()
    return found


def fingerprint(root: Path) -> str:
    """Hash of every record file's path, size and bytes, and of the code that validates and indexes them."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(sys.implementation.cache_tag.encode() + b"\0")
    code = [*sorted(_PACKAGE.glob("core/*.py")), *sorted(_PACKAGE.glob("query/*.py")),
            *sorted(_PACKAGE.glob("schemas/*.json"))]
    base = len(str(root)) + 1
    for path in [*map(str, code), *record_paths(root)]:
        data = _read_bytes(path)
        name = path[base:] if path.startswith(str(root)) else os.path.basename(path)
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _read_bytes(path: str) -> bytes:
    """A file's bytes with the fewest system calls (no buffered file object): this runs 10,000 times."""
    fd = os.open(path, os.O_RDONLY)
    try:
        want = os.fstat(fd).st_size + 1
        data = os.read(fd, want)
        if len(data) < want:  # a short read of a regular file is its end
            return data
        chunks = [data]
        while chunk := os.read(fd, 1 << 16):  # the file grew while we read it
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def cache_file(root: Path) -> Path:
    return root / ".cache" / "query-graph.pickle"


def read(root: Path, key: str):  # -> nx.MultiDiGraph | None
    """The cached graph when its key matches, else None (never raises)."""
    try:
        with open(cache_file(root), "rb") as handle:
            if handle.readline() != _MAGIC + key.encode() + b"\n":
                return None
            # Unpickling many small objects is much faster without the cycle collector; freezing them
            # afterwards keeps later collections from walking the whole graph (this process is short-lived).
            gc.disable()
            try:
                graph = pickle.load(handle)
                gc.freeze()
                return graph
            finally:
                gc.enable()
    except Exception:  # noqa: BLE001 - a broken cache is a miss, whatever broke it
        return None


def write(root: Path, key: str, graph) -> None:
    """Store a graph under its key, atomically; silently does nothing when that is impossible."""
    target = cache_file(root)
    try:
        target.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".query-graph.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + key.encode() + b"\n")
                pickle.dump(graph, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:  # noqa: BLE001 - unwritable folder, full disk, ...: run without a cache
        return


def load_graph(root: Path, use_cache: bool = True):  # -> (nx.MultiDiGraph | None, list[Problem])
    """(graph, []) for the knowledge base at root, indexes built, from the cache when it is current;
    (None, problems) when the records have problems. Only a miss imports the validator."""
    key = fingerprint(root) if use_cache else ""
    if use_cache:
        graph = read(root, key)
        if graph is not None:
            return graph, []
    from safetykb.core.graph import build_graph
    from safetykb.core.queries import _index, matrix, term_index
    from safetykb.core.validation import load_and_validate
    from safetykb.query.question import vocabulary
    from safetykb.query.results_question import results_vocabulary

    result = load_and_validate(root)
    if result.problems:
        return None, result.problems
    graph = build_graph(result.kb)
    term_index(graph)
    _index(graph)
    matrix(graph)
    vocabulary(graph)
    results_vocabulary(graph)
    if use_cache:
        write(root, key, graph)
    return graph, []
