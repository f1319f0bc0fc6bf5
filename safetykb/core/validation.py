"""One pass over every record file: load, check everything, report every problem with its line.

`load_and_validate` is the single entry point: the validator script, the site
build, the query tool and the exporters all start here, and nothing downstream
reads YAML again. Given records already known to be what their files hold
(`known`, from the validated snapshot of `core.snapshot`) and the files to report
on (`only`), it reads only those files and runs only the checks that can report a
problem in them: the same problems for them as a full run, in a fraction of its time.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import defaultdict
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from safetykb.core.checks import CrossChecker, Finding, check_characters, check_fields, check_file_identity
from safetykb.core.layout import leaves_root, scan_record_files, stray_files
from safetykb.core.problems import ERROR, WARNING, Problem, display_path, format_report
from safetykb.core.records import KnowledgeBase
from safetykb.core.schema import check as schema_check
from safetykb.core.sections import SECTIONS, check_sections
from safetykb.core.snapshot import text_digest
from safetykb.core.yamlsafe import LoadError, Positions, read_record


@dataclass
class Result:
    """The records that loaded, every error found (`problems`) and every warning."""

    kb: KnowledgeBase
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: Every record file in the order read, the file of each record, and a digest of each file's text.
    files: list[tuple[str, Path]] = field(default_factory=list)
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)
    digests: dict[Path, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class InvalidKnowledgeBase(Exception):
    """Raised by `load_kb` when records have problems; carries them for the caller to print."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems in the records")
        self.problems = problems


def load_and_validate(root: Path, only: list[Path] | None = None,
                      known: Mapping[Path, tuple[Any, str]] | None = None,
                      scanned: tuple[list[tuple[str, Path]], set[Path]] | None = None) -> Result:
    """Read and check every record under root; report problems only for files under `only` if given.

    `known` maps files to (record, digest of the text) known to be what they hold now (`core.snapshot`).
    With `only` too, and at most SCOPED_FILES files under it, a known file outside `only` is not read
    again and only the checks that can report a problem in a file under `only` run. `scanned`: what
    `layout.scan_record_files` gave the caller just now."""
    root = root.resolve()
    kb = KnowledgeBase(root)
    texts: dict[Path, str] = {}
    findings: list[Finding] = []
    problems: list[Problem] = []
    paths: dict[tuple[str, str], Path] = {}
    digests: dict[Path, str] = {}
    seen_ids: dict[str, list[tuple[str, Path]]] = defaultdict(list)

    files, outside = scan_record_files(root) if scanned is None else scanned
    unreadable: set[str] = set()
    wanted = [p.resolve() for p in only] if only else []
    scope = _files_under(files, wanted) if known is not None and wanted else None
    if scope is not None and len(scope) > SCOPED_FILES:
        scope = None
    checked = _read_files(files, root, outside, known, scope)
    for (kind, path), (data, text, error, own_findings) in zip(files, checked, strict=True):
        if error is not None:
            problems.append(Problem(display_path(path), error.line, error.col, error.message))
            unreadable.add(path.stem)  # its id, most likely: references to it are not reported as unknown
            continue
        if text is not None:
            texts[path] = text
            digests[path] = text_digest(text)
        else:  # known, and outside the scope
            digests[path] = known[path][1]  # type: ignore[index]
        findings.extend(own_findings)
        record_id = data.get("id")
        if not isinstance(record_id, str):
            continue
        seen_ids[record_id].append((kind, path))
        if len(seen_ids[record_id]) == 1:
            kb.add(kind, data)
            paths[(kind, record_id)] = path

    findings.extend(CrossChecker(kb, paths, unreadable).run(seen_ids, scope))
    problems.extend(_check_section_map(root, kb, unreadable, texts, findings))
    problems.extend(_place(findings, texts))
    problems.extend(Problem(display_path(path), 1, 1, message) for path, message in stray_files(root, files))
    if wanted:
        problems = [p for p in problems if _under(Path(p.path).resolve(), wanted)]
    found = sorted(set(problems))
    return Result(kb, [p for p in found if p.severity == ERROR], [p for p in found if p.severity == WARNING],
                  files, paths, digests)


#: At most this many files are checked against known records (`known`); more are checked in a full run.
SCOPED_FILES = 64


def _read_files(files: list[tuple[str, Path]], root: Path, outside: set[Path],
                known: Mapping[Path, tuple[Any, str]] | None, scope: set[Path] | None) -> list[FileCheck]:
    """_check_files, or with a scope: known files outside it as (record, None, None, []), the rest checked."""
    if scope is None or known is None:
        return _check_files(files, root, outside)
    out: list[FileCheck] = []
    for kind, path in files:
        entry = known.get(path) if path not in scope and path not in outside else None
        out.append((entry[0], None, None, []) if entry is not None else _check_file(kind, path, root, outside))
    return out


def _check_section_map(root: Path, kb: KnowledgeBase, unreadable: set[str], texts: dict[Path, str],
                       findings: list[Finding]) -> list[Problem]:
    """Read taxonomy/sections.yaml like a record and check it: its load error, or its findings added."""
    path = root / SECTIONS
    if not path.exists() and not path.is_symlink():
        return []
    if leaves_root(path, root):
        return [Problem(display_path(path), 1, 1, _LEAVES_ROOT)]
    data, text, error = read_record(path)
    if error is not None:
        return [Problem(display_path(path), error.line, error.col, error.message)]
    texts[path] = text
    findings.extend(check_sections(path, data, kb, unreadable))
    findings.extend(check_characters(path, data, text))
    return []


FileCheck = tuple[Any, str | None, LoadError | None, list[Finding]]

_LEAVES_ROOT = ("a symbolic link that leads outside the knowledge base: records are read only inside it, "
                "so it was not opened; put the record file itself here")

#: Below this many files one process checks them faster than it could start others.
PARALLEL_FILES = 2000


def _check_file(kind: str, path: Path, root: Path, outside: set[Path] | frozenset[Path] = frozenset()) -> FileCheck:
    """Everything that one file can tell alone: (data, text, load error, findings of schema and fields);
    a file in `outside` (it leads outside root) is not opened."""
    if path in outside:
        return None, "", LoadError(1, 1, _LEAVES_ROOT), []
    data, text, error = read_record(path)
    if error is not None:
        return data, text, error, []
    findings = [Finding(path, i.pointer, i.message) for i in schema_check(kind, data)]
    findings.extend(check_file_identity(kind, path, data, root))
    findings.extend(check_fields(path, data))
    findings.extend(check_characters(path, data, text))
    return data, text, None, findings


def _check_chunk(files: list[tuple[str, Path]], root: Path, outside: set[Path]) -> list[FileCheck]:
    return [_check_file(kind, path, root, outside) for kind, path in files]


def _check_files(files: list[tuple[str, Path]], root: Path, outside: set[Path]) -> list[FileCheck]:
    """_check_file for every file, in order; shared with worker processes for a large knowledge base.

    Reading and checking one file needs no other, so the files are cut into consecutive shares, one
    checked here while forked workers check the others, and the results joined in file order: the outcome
    is the same as checking them one by one. Forking is only safe from a single-threaded process, so a
    threaded caller (`mkdocs serve`) and a one-core machine check everything here.
    """
    helpers = _helpers(len(files))
    if helpers:
        share = -(-len(files) // (helpers + 1))
        theirs = [files[i:i + share] for i in range(share, len(files), share)]
        try:
            with ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("fork")) as pool:
                pending = pool.map(_check_chunk, theirs, repeat(root), repeat(outside))  # submitted at once
                results = _check_chunk(files[:share], root, outside)
                for chunk in pending:
                    results.extend(chunk)
                return results
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had: do it all here
    return _check_chunk(files, root, outside)


def _helpers(files: int) -> int:
    """How many worker processes to fork besides this one (0: check every file here)."""
    if files < PARALLEL_FILES or threading.active_count() > 1:
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, 4) - 1


def load_kb(root: Path) -> KnowledgeBase:
    """The validated knowledge base, or InvalidKnowledgeBase with every problem."""
    result = load_and_validate(root)
    if result.problems:
        raise InvalidKnowledgeBase(result.problems)
    return result.kb


def load_kb_or_report(root: Path, prog: str) -> KnowledgeBase | None:
    """The validated knowledge base for a command that writes from it; with problems, every problem
    and one line saying nothing was written go to standard error, and the result is None (exit 1)."""
    try:
        return load_kb(root)
    except InvalidKnowledgeBase as exc:
        print(format_report(exc.problems), file=sys.stderr)
        print(f"{prog}: nothing written: fix the records first (scripts/validate.py)", file=sys.stderr)
        return None


def _place(findings: list[Finding], texts: dict[Path, str]) -> list[Problem]:
    """Give each finding its line and column, composing each affected file once."""
    placed: list[Problem] = []
    by_file: dict[Path, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_file[finding.path].append(finding)
    for path, items in by_file.items():
        positions = Positions(texts.get(path, ""))
        for finding in items:
            line, col = positions.locate(finding.pointer)
            placed.append(Problem(display_path(path), line, col, finding.message, finding.severity))
    return placed


def _files_under(files: list[tuple[str, Path]], roots: list[Path]) -> set[Path]:
    """The files under any of roots (a file itself or a folder), by their resolved paths' text."""
    exact = {str(r) for r in roots}
    prefixes = tuple(str(r).rstrip(os.sep) + os.sep for r in roots)
    return {path for _kind, path in files if str(path) in exact or str(path).startswith(prefixes)}


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)
