"""Problems found in records: where they are, how grave (error or warning) and how they are reported.

An error makes the knowledge base invalid (validate.py exits 1, nothing is built or written); a
warning points at something a reviewer should look at (a title spelling a known term in the wrong
case, a result that disagrees with its own aggregate) but is printed and let through.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from safetykb.core.chars import printable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning in one file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        """The report line; characters that would drive a terminal are dropped (a record quoted in a
        message may hold one: the validator refuses it, and the report must not act on it)."""
        tag = "warning: " if self.severity == WARNING else ""
        return printable(f"{self.path}:{self.line}:{self.col}: {tag}{self.message}")


def display_path(path: Path) -> str:
    """A path as a contributor would type it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def format_report(problems: Iterable[Problem]) -> str:
    """Every problem on its own line, sorted by file and position, then a count of errors and warnings."""
    ordered = sorted(set(problems))
    lines = [str(p) for p in ordered]
    files = len({p.path for p in ordered})
    errors = sum(1 for p in ordered if p.severity == ERROR)
    warnings = len(ordered) - errors
    parts = [_count(errors, "error")] if errors or not warnings else []
    parts += [_count(warnings, "warning")] if warnings else []
    lines.append(f"{' and '.join(parts)} in {_count(files, 'file')}")
    return "\n".join(lines)
