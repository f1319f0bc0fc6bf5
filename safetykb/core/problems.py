"""Problems found in records: where they are and how they are reported."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One error in one file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


def display_path(path: Path) -> str:
    """A path as a contributor would type it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def format_report(problems: Iterable[Problem]) -> str:
    """Every problem on its own line, sorted by file and position, then a count."""
    ordered = sorted(set(problems))
    lines = [str(p) for p in ordered]
    files = len({p.path for p in ordered})
    noun = "error" if len(ordered) == 1 else "errors"
    lines.append(f"{len(ordered)} {noun} in {files} file{'s' if files != 1 else ''}")
    return "\n".join(lines)
