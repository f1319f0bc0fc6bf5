"""One pass over every record file: load, check everything, report every problem with its line.

`load_and_validate` is the single entry point: the validator script, the site
build, the query tool and the exporters all start here, and nothing downstream
reads YAML again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .checks import CrossChecker, Finding, check_fields, check_file_identity
from .layout import record_files
from .problems import Problem, display_path
from .records import KnowledgeBase
from .schema import check as schema_check
from .yamlsafe import Positions, read_record


@dataclass
class Result:
    """The records that loaded and every problem found."""

    kb: KnowledgeBase
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class InvalidKnowledgeBase(Exception):
    """Raised by `load_kb` when records have problems; carries them for the caller to print."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems in the records")
        self.problems = problems


def load_and_validate(root: Path, only: list[Path] | None = None) -> Result:
    """Read and check every record under root; report problems only for files under `only` if given."""
    root = root.resolve()
    kb = KnowledgeBase(root)
    texts: dict[Path, str] = {}
    findings: list[Finding] = []
    problems: list[Problem] = []
    paths: dict[tuple[str, str], Path] = {}
    seen_ids: dict[str, list[tuple[str, Path]]] = defaultdict(list)

    for kind, path in record_files(root):
        data, text, error = read_record(path)
        if error is not None:
            problems.append(Problem(display_path(path), error.line, error.col, error.message))
            continue
        texts[path] = text
        findings.extend(Finding(path, i.pointer, i.message) for i in schema_check(kind, data))
        findings.extend(check_file_identity(kind, path, data, root))
        findings.extend(check_fields(path, data))
        record_id = data.get("id")
        if not isinstance(record_id, str):
            continue
        seen_ids[record_id].append((kind, path))
        if len(seen_ids[record_id]) == 1:
            kb.add(kind, data)
            paths[(kind, record_id)] = path

    findings.extend(CrossChecker(kb, paths).run(seen_ids))
    problems.extend(_place(findings, texts))
    if only:
        wanted = [p.resolve() for p in only]
        problems = [p for p in problems if _under(Path(p.path).resolve(), wanted)]
    return Result(kb, sorted(set(problems)))


def load_kb(root: Path) -> KnowledgeBase:
    """The validated knowledge base, or InvalidKnowledgeBase with every problem."""
    result = load_and_validate(root)
    if result.problems:
        raise InvalidKnowledgeBase(result.problems)
    return result.kb


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
            placed.append(Problem(display_path(path), line, col, finding.message))
    return placed


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)
