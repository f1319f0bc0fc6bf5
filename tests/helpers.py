"""Helpers shared by the tests: repository paths and running the real scripts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE_KB = REPO / "tests" / "fixtures" / "kb"


def run_script(name: str, *args: str, cwd: Path | None = None, timeout: float = 60,
               stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run scripts/<name> as a fresh process, the way a user does."""
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / name), *args],
        cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout, input=stdin,
    )
