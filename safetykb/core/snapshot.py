"""The validated snapshot: the records of the last knowledge base that validated without errors, with a
digest of every file, kept in `<root>/.cache/records.json` (sealed JSON, `core.sealed`: reading it runs no code).

A later run lists the files (`scan`: every record file as `layout.record_files` finds it, hashed by its
text, plus every other file under papers/, taxonomy/ and results/) and re-reads only what changed:

- `scripts/validate.py PATH` checks the files under PATH against the others' known records
  (`load_and_validate(..., only=PATH, known=...)`): the problems a full run reports for PATH, without
  reading or checking the rest again;
- `scripts/query.py` and the site build take the knowledge base from the snapshot when nothing changed
  (`current`); after a few paper records changed or were added, `revalidate` checks those alone and makes
  sure no other record can have got a problem from them; anything else validates everything again.

It is written (`write`) only for a knowledge base without errors, from what that validation read, so it
never holds a record the validator has not accepted. Its key covers the code that validates (core/,
metadata/ and the schemas), so a changed rule starts over from the files.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetykb.core import sealed
from safetykb.core.duplicates import paper_keys, remember_keys
from safetykb.core.layout import FOLDERS, scan_record_files

KIND = "records"
VERSION = 1
_PACKAGE = Path(__file__).resolve().parents[1]
#: Folders whose files the snapshot covers (records, and anything else that lands there).
_WATCHED = tuple(sorted({folder.split("/")[0] for folder in FOLDERS.values()}))
#: At most this many changed papers are checked alone by `revalidate`; more validate everything.
REVALIDATE_FILES = 32


def cache_file(root: Path) -> Path:
    return root / ".cache" / "kb.json"


def extra_file(root: Path) -> Path:
    """What other tools keep for the snapshot's exact state (the query tool's graph), read only by them."""
    return root / ".cache" / "kb-extra.json"


def _read_bytes(path: str) -> bytes:
    """A file's bytes with the fewest system calls (no buffered file object): this runs for every record."""
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


def text_digest(text: str) -> str:
    """The digest by which the snapshot knows a file: of its text, as the validator decodes it."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def file_digest(path: str) -> str:
    """`text_digest` of a file; a file that is not UTF-8 or cannot be read gets a digest no text has, so it
    never matches a snapshot."""
    try:
        raw = _read_bytes(path)
    except OSError as exc:
        return f"!unreadable {exc.errno}"
    try:
        return text_digest(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return "!" + hashlib.blake2b(raw, digest_size=16).hexdigest()


_code: str | None = None


def code_digest() -> str:
    """Digest of the code and data the validator runs (core/, metadata/, schemas/) and of the Python."""
    global _code
    if _code is None:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(sys.implementation.cache_tag.encode() + b"\0")
        for pattern in ("core/*.py", "metadata/*.py", "metadata/*.yaml", "schemas/*.json"):
            for path in sorted(_PACKAGE.glob(pattern)):
                data = path.read_bytes()
                digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\0{len(data)}\0".encode() + data)
        _code = digest.hexdigest()
    return _code


#: A file's stat as the scan compares it: size, modification and change times (ns), inode.
Stat = tuple[int, int, int, int]
#: A file whose times are this close to the previous scan's (or later) is hashed again whatever its stat
#: says: the kernel stamps times coarsely, so a write just after a scan may leave them equal ("racy git").
_RACY_NS = 2_000_000_000


def _stat(path: str) -> Stat | None:
    """The stat the scan compares, for a regular file; None for anything else (a pipe is never opened)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat_module.S_ISREG(st.st_mode):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


@dataclass
class Listing:
    """The files now: record files (kind, path) in the validator's order with their digests and stats, and
    the other files under the record folders (relative path -> digest)."""

    root: Path
    files: list[tuple[str, Path]]
    digests: dict[Path, str]
    others: dict[str, str]
    stats: dict[Path, Stat | None] = field(default_factory=dict)
    started: int = 0  # time.time_ns() when the scan began
    outside: set[Path] = field(default_factory=set)  # record files that lead out of root (never read)
    rels: dict[Path, str] = field(default_factory=dict)  # record file -> its path relative to root
    _key: str | None = None

    def __post_init__(self) -> None:
        base = len(str(self.root)) + 1
        self.rels = {path: str(path)[base:].replace(os.sep, "/") for _kind, path in self.files}

    def rel(self, path: Path) -> str:
        return self.rels.get(path) or path.relative_to(self.root).as_posix()

    def key(self) -> str:
        """One digest of every file's path, kind and text: the state of the knowledge base on disk."""
        if self._key is None:
            digest = hashlib.blake2b(digest_size=16)
            for kind, path in self.files:
                digest.update(f"{self.rels[path]}\0{kind}\0{self.digests[path]}\n".encode())
            for rel, value in sorted(self.others.items()):
                digest.update(f"{rel}\0{value}\n".encode())
            self._key = digest.hexdigest()
        return self._key


def scan(root: Path, previous: Snapshot | None = None, files: list[tuple[str, Path]] | None = None,
         digests: dict[Path, str] | None = None) -> Listing:
    """Every file the snapshot covers, with the digest of its text. A record file whose stat (size, times,
    inode) is what `previous` saw, and whose times are well before that scan, keeps the digest it had;
    the others are read and hashed (about a tenth of a second for 10,000 files). `files` and `digests`:
    a validation's own listing and digests (`listing_of`)."""
    started = time.time_ns()
    root = root.resolve()
    outside: set[Path] = set()
    if files is None:
        files, outside = scan_record_files(root)
    listing = Listing(root, files, {}, {}, started=started, outside=outside)
    seen = previous.stats if previous is not None else {}
    trust_before = (previous.started if previous is not None else 0) - _RACY_NS
    for _kind, path in files:
        name = str(path)
        if path in outside:  # a link out of the knowledge base: never read, never matches (the validator says)
            listing.stats[path] = None
            listing.digests[path] = "!outside"
            continue
        stat = listing.stats[path] = _stat(name)
        old = seen.get(listing.rels[path])
        if digests is not None:
            listing.digests[path] = digests.get(path, "!not read")
        elif stat is None:  # not a regular file: the validator reports it
            listing.digests[path] = "!not a file"
        elif old is not None and old[0] == list(stat) and max(stat[1], stat[2]) < trust_before:
            listing.digests[path] = old[1]
        else:
            listing.digests[path] = file_digest(name)
    records = {str(path) for path in listing.digests}
    base = len(str(root)) + 1
    for top in _WATCHED:
        for folder, dirs, names in os.walk(root / top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = os.path.join(folder, name)
                if not name.startswith(".") and path not in records:  # editors' swap files are hidden
                    if os.path.islink(path):  # never followed: it may lead out of the knowledge base
                        digest = "!link " + os.readlink(path)
                    else:
                        digest = file_digest(path) if _stat(path) is not None else "!not a file"
                    listing.others[path[base:].replace(os.sep, "/")] = digest
    return listing


def listing_of(root: Path, result: Any, started: int) -> Listing:
    """The listing of a full validation that began at `started` (time.time_ns()): its files and the digests
    of the texts it read, the files' stats now (a file changed since carries a time after `started`, so the
    next scan hashes it again) and the other files hashed, without reading any record file twice."""
    listing = scan(root, None, result.files, result.digests)
    listing.started = started
    return listing


@dataclass
class Changes:
    """What differs between a snapshot and the files now (relative paths)."""

    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # non-record files added, changed or removed
    kinds: dict[str, str] = field(default_factory=dict)  # changed or added file -> its kind now

    @property
    def none(self) -> bool:
        return not (self.added or self.modified or self.removed or self.others)


class Snapshot:
    """The records of a knowledge base that validated without errors, file by file, and what other tools
    keep for that exact state (`extra`: the query tool's graph)."""

    def __init__(self, data: dict[str, Any]) -> None:
        """From the data `write` stores (raises KeyError, TypeError or ValueError if it is not that)."""
        self.key = str(data["key"])  # `Listing.key` of the files it was made from
        self.started = int(data["started"])
        self.files = [(str(rel), str(kind), str(digest)) for rel, kind, digest, _stat in data["files"]]
        # relative path -> (stat as a list, digest), for `scan`
        self.stats = {rel: (stat, digest) for rel, _kind, digest, stat in data["files"]}
        self.others = data["others"]
        self.records = data["records"]
        self.extra: dict[str, Any] = {}
        if len(self.records) != len(self.files) or not all(isinstance(r, dict) for r in self.records):
            raise ValueError("records do not match files")
        if not isinstance(self.others, dict):
            raise TypeError("not a snapshot")
        self.by_rel = {rel: i for i, (rel, _kind, _digest) in enumerate(self.files)}

    @classmethod
    def read(cls, root: Path, extra: bool = False) -> Snapshot | None:
        """The snapshot of root if there is one this user wrote for this code, else None (never raises);
        with `extra`, also what was kept with it (`extra_file`), if it was kept for this snapshot."""
        data = sealed.read(cache_file(root), KIND, VERSION)
        try:
            if data["code"] != code_digest():
                return None
            snap = cls(data)
            remember_keys(data["paper_keys"])
        except (TypeError, KeyError, ValueError):
            return None
        if extra:
            kept = sealed.read(extra_file(root), KIND + "-extra", VERSION)
            if isinstance(kept, dict) and kept.get("key") == snap.key and isinstance(kept.get("extra"), dict):
                snap.extra = kept["extra"]
        return snap

    def changes(self, listing: Listing) -> Changes:
        out = Changes()
        seen: set[str] = set()
        for kind, path in listing.files:
            rel = listing.rels[path]
            seen.add(rel)
            at = self.by_rel.get(rel)
            if at is None:
                out.added.append(rel)
                out.kinds[rel] = kind
            elif self.files[at][1] != kind or self.files[at][2] != listing.digests[path]:
                out.modified.append(rel)
                out.kinds[rel] = kind
        out.removed = [rel for rel, _kind, _digest in self.files if rel not in seen]
        out.others = sorted(rel for rel in {*listing.others, *self.others}
                            if listing.others.get(rel) != self.others.get(rel))
        return out

    def known(self, listing: Listing) -> dict[Path, tuple[dict[str, Any], str]]:
        """The records of the files that did not change: path -> (record, digest)."""
        out: dict[Path, tuple[dict[str, Any], str]] = {}
        for kind, path in listing.files:
            at = self.by_rel.get(listing.rels[path])
            if at is not None and self.files[at][1] == kind and self.files[at][2] == listing.digests[path]:
                out[path] = (self.records[at], self.files[at][2])
        return out

    def knowledge_base(self, root: Path):  # -> KnowledgeBase
        """The knowledge base the snapshot holds, as the validator built it (records in file order)."""
        from safetykb.core.records import KnowledgeBase

        kb = KnowledgeBase(root.resolve())
        for (_rel, kind, _digest), record in zip(self.files, self.records, strict=True):
            kb.add(kind, record)
        return kb


def write(root: Path, result: Any, listing: Listing, fresh: Iterable[Path] | None = None,
          extra: dict[str, Any] | None = None) -> bool:
    """Store a validation `Result` without errors, of the files `listing` saw, as the snapshot (with `extra`
    for the query tool); nothing happens (False) when the result has errors, a file changed while it was
    validated, a record holds something JSON does not keep exactly, or the cache cannot be written.
    `fresh` limits that last check to these files (the others came from a snapshot, so they pass)."""
    if result.problems:
        return False
    root = root.resolve()
    if set(result.digests) != set(listing.digests) or any(
            listing.digests[path] != digest for path, digest in result.digests.items()):
        return False  # a file changed while it was validated: the next run starts over
    by_path = {path: record_id for (_kind, record_id), path in result.paths.items()}
    fresh_set = None if fresh is None else set(fresh)
    files: list[list[Any]] = []
    records: list[dict[str, Any]] = []
    for kind, path in result.files:
        record = result.kb.of(kind).get(by_path.get(path, ""))
        if record is None:
            return False
        if (fresh_set is None or path in fresh_set) and not _json_exact(record):
            return False
        stat = listing.stats.get(path)
        files.append([listing.rels[path], kind, result.digests[path], list(stat) if stat else None])
        records.append(record)
    keys = [paper_keys(record) for record in result.kb.papers.values()]
    data = {"key": listing.key(), "code": code_digest(), "started": listing.started, "files": files,
            "others": listing.others, "records": records, "paper_keys": keys}
    if not sealed.write(cache_file(root), KIND, VERSION, data):
        return False
    return write_extra(root, listing, extra) if extra else True


def write_extra(root: Path, listing: Listing, extra: dict[str, Any]) -> bool:
    """Keep `extra` with the snapshot of the files `listing` saw (read back by `Snapshot.read(extra=True)`)."""
    return sealed.write(extra_file(root.resolve()), KIND + "-extra", VERSION, {"key": listing.key(), "extra": extra})


def _json_exact(value: Any) -> bool:
    """Whether JSON gives value back unchanged: strings, finite numbers, booleans, None, lists, and
    mappings with string keys (YAML also allows other keys, which JSON would turn into strings)."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return True
    if kind is float:
        return value == value and value not in (float("inf"), float("-inf"))
    if kind is list:
        return all(_json_exact(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _json_exact(v) for k, v in value.items())
    return False


def _ids_of(listing: Listing, rels: list[str]) -> set[str]:
    """The ids of added record files, as their names give them (a wrong one is reported on the file)."""
    return {rel.rsplit("/", 1)[-1].rsplit(".", 1)[0] for rel in rels}


def _naming(snap: Snapshot, ids: set[str]) -> list[str]:
    """Files of the snapshot whose records name one of ids in a field that takes paper ids (REFERENCES)."""
    from safetykb.core.records import REFERENCES, ref_items

    fields = {kind: [f for f, targets in table.items() if "paper" in targets] for kind, table in REFERENCES.items()}
    out = []
    for (rel, kind, _digest), record in zip(snap.files, snap.records, strict=True):
        for name in fields.get(kind, ()):
            if record.get(name.partition(".")[0]) is not None and any(
                    target in ids for _pointer, target in ref_items(record, name)):
                out.append(rel)
                break
    return out


def current_result(root: Path, snap: Snapshot, listing: Listing) -> Any:
    """The validation `Result` of a knowledge base whose files are all as in the snapshot."""
    from safetykb.core.validation import Result

    kb = snap.knowledge_base(root)
    result = Result(kb)
    for (kind, path), record in zip(listing.files, snap.records, strict=True):
        result.paths[(kind, record["id"])] = path
        result.digests[path] = listing.digests[path]
    return result


def revalidate(root: Path, snap: Snapshot, listing: Listing, changes: Changes | None = None) -> Any | None:
    """The validation `Result` of the knowledge base now, complete and without errors, found by checking only
    the paper records that changed or were added since the snapshot; None when that cannot tell (more than
    REVALIDATE_FILES changed, a record was removed, renamed or is not a paper, a non-record file changed,
    a changed paper has problems or comes near another paper): the caller then validates everything.

    Why the rest needs no checking: the snapshot held no error, and a paper that keeps its id (or brings a
    new one) can only give another record a problem through a duplicate id, a duplicate former id or a
    duplicate paper, which are ruled out here; every problem in the changed files themselves is found by
    the same checks as in a full run."""
    from safetykb.core.duplicates import close_papers
    from safetykb.core.validation import load_and_validate

    changes = changes or snap.changes(listing)
    changed = changes.added + changes.modified
    if changes.removed or changes.others or not changed or len(changed) > REVALIDATE_FILES:
        return None
    if any(kind != "paper" for kind in changes.kinds.values()):
        return None
    paths = [listing.root / rel for rel in changed]
    old_ids = {snap.records[snap.by_rel[rel]].get("id") for rel in changes.modified}
    # Records that name a changed paper can get a problem from it (a dataset's `introduced_in` that the
    # paper no longer `introduces`...): they are checked with it, by every check, as in a full run.
    paths += [listing.root / rel for rel in _naming(snap, old_ids | _ids_of(listing, changes.added))]
    result = load_and_validate(listing.root, only=paths, known=snap.known(listing),
                               scanned=(listing.files, listing.outside))
    if result.problems:
        return None
    by_path = {path: record_id for (kind, record_id), path in result.paths.items()}
    new_ids = set()
    for rel in changed:
        path = listing.root / rel
        record_id = by_path.get(path)
        if record_id is None:
            return None  # its id is another file's: the full run says which
        at = snap.by_rel.get(rel)
        if at is not None and snap.records[at].get("id") != record_id:
            return None  # renamed: records that pointed at the old id need checking
        new_ids.add(record_id)
    kb = result.kb
    if sum(len(records) for records in kb.records.values()) != len(result.files):
        return None  # an id used twice
    mine = {i: kb.papers[i] for i in new_ids}
    others_former: set[str] = set()
    for paper_id, record in kb.papers.items():
        if paper_id not in mine:
            others_former.update(f for f in record.get("former_ids") or [] if isinstance(f, str))
    for paper_id, record in mine.items():
        former = {f for f in record.get("former_ids") or [] if isinstance(f, str)}
        if paper_id in others_former or former & others_former or any(kb.kind_of(f) for f in former):
            return None
    near = close_papers(sorted(kb.papers.items()), set(mine))
    if any(near.values()):
        return None
    return result
