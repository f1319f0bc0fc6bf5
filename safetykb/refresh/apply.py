"""Writing refreshed records: all files or none, and only a knowledge base that still validates.

`prepare` turns the outcomes into file writes: each changed record rendered in the one style of record
files (`core.recordfile`, which every writer shares, so a diff shows only what changed), a
renamed record moved to `papers/<year>/<new id>.yaml`, and every reference to an old id in other
records (each kind's paper-valued fields of `core.records.REFERENCES`: `not_duplicate_of`,
`introduced_in`, ...) rewritten in place, the rest of those files untouched. `check` validates the
whole knowledge base with those writes laid over a temporary copy, before anything is written; `write`
puts the files in place with `core.fileio.write_atomic`, removes moved records' old files last, and
restores every file it touched if any step fails.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetykb.core.fileio import write_atomic
from safetykb.core.layout import FOLDERS, record_files
from safetykb.core.problems import Problem, display_path
from safetykb.core.recordfile import render as render_record
from safetykb.core.records import REFERENCES, ref_values
from safetykb.core.validation import load_and_validate
from safetykb.core.yamlsafe import parse_record, read_record
from safetykb.refresh.plan import Change, Outcome


class ApplyError(Exception):
    """The changes cannot be written safely; the message says which file and why."""


@dataclass
class Write:
    """One file to write (and, for a moved record, the file it replaces)."""

    path: Path
    text: str
    remove: Path | None = None


def paper_fields(kind: str) -> list[str]:
    """The fields of a record kind that hold paper ids."""
    return [name for name, targets in REFERENCES.get(kind, {}).items() if "paper" in targets]


def _renamed(value: Any, renames: dict[str, str]) -> Any:
    if isinstance(value, str):
        return renames.get(value, value)
    if isinstance(value, list):
        return [renames.get(v, v) if isinstance(v, str) else v for v in value]
    return value


def prepare(root: Path, outcomes: list[Outcome]) -> tuple[list[Write], list[Change]]:
    """The writes for every changed record and every reference to a renamed one, and a review row for
    each reference rewritten."""
    changed = {o.record: o for o in outcomes if o.new_record is not None}
    renames = {o.record: o.new_id for o in changed.values() if o.new_id != o.record}
    writes: list[Write] = []
    rows: list[Change] = []
    for kind, path in record_files(root):
        data, text, error = read_record(path)
        if error is not None or not isinstance(data, dict):
            continue  # the knowledge base validated: nothing to rewrite here
        rid = data.get("id")
        fields = [f for f in paper_fields(kind) if set(ref_values(data.get(f))) & set(renames)]
        if kind == "paper" and rid in changed:
            new = dict(changed[rid].new_record or {})
            for name in fields:
                rows.append(Change(str(rid), name, data.get(name), _renamed(new.get(name), renames), "renamed paper"))
                new[name] = _renamed(new.get(name), renames)
            target = root / FOLDERS["paper"] / str(new["year"]) / f"{new['id']}.yaml"
            if target != path and target.exists():
                raise ApplyError(f"{display_path(target)} already exists: cannot move {rid} there")
            writes.append(Write(target, render_record(new, "paper"), path if target != path else None))
        elif fields:
            expected = dict(data)
            for name in fields:
                expected[name] = _renamed(data.get(name), renames)
                rows.append(Change(str(rid), name, data.get(name), expected[name], "renamed paper"))
            writes.append(Write(path, _rewrite_ids(path, text, expected, renames)))
    return writes, rows


def _rewrite_ids(path: Path, text: str, expected: dict[str, Any], renames: dict[str, str]) -> str:
    """The file's text with each renamed id replaced where it stands as a whole word; refused unless the
    result reads back as exactly the expected record (an id also written in a description, say)."""
    pattern = re.compile(r"(?<![a-z0-9-])(" + "|".join(map(re.escape, renames)) + r")(?![a-z0-9-])")
    new_text = pattern.sub(lambda m: renames[m.group(1)], text)
    data, _text, error = parse_record(new_text.encode("utf-8"))
    if error or data != expected:
        raise ApplyError(f"{display_path(path)}: cannot rewrite its references to "
                         f"{', '.join(sorted(renames))} safely (the id appears elsewhere in the file): "
                         "edit it by hand, then run refresh again")
    return new_text


def check(root: Path, writes: list[Write]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) scripts/validate.py would print after the writes, found on a temporary copy."""
    root = root.resolve()
    with tempfile.TemporaryDirectory(prefix="safetykb-refresh-") as tmp:
        overlay = Path(tmp)
        for folder in dict.fromkeys(f.split("/")[0] for f in FOLDERS.values()):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, overlay / folder)
        for write in writes:
            if write.remove is not None:
                (overlay / write.remove.resolve().relative_to(root)).unlink()
            target = overlay / write.path.resolve().relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(write.text, encoding="utf-8")
        result = load_and_validate(overlay)

        def back(problem: Problem) -> Problem:
            path = Path(problem.path)
            try:
                rel = (path if path.is_absolute() else Path.cwd() / path).resolve().relative_to(overlay.resolve())
            except ValueError:
                return problem
            return Problem(display_path(root / rel), problem.line, problem.col, problem.message, problem.severity)

        return [back(p) for p in result.problems], [back(p) for p in result.warnings]


def write(writes: list[Write]) -> None:
    """Write every file, then remove the old files of moved records; on failure put everything back."""
    before: list[tuple[Path, bytes | None]] = []
    try:
        for item in writes:
            before.append((item.path, item.path.read_bytes() if item.path.exists() else None))
            write_atomic(item.path, item.text)
        for item in writes:
            if item.remove is not None and item.remove.exists():
                before.append((item.remove, item.remove.read_bytes()))
                item.remove.unlink()
    except OSError:
        for path, content in reversed(before):
            if content is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, content)
        raise
