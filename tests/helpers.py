"""Helpers shared by the tests: repository paths and running the real scripts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE_KB = REPO / "tests" / "fixtures" / "kb"


def run_script(name: str, *args: str, cwd: Path | None = None, timeout: float = 60,
               stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run scripts/<name> as a fresh process, the way a user does."""
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / name), *args],
        cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout, input=stdin,
    )


def shared_data() -> Path:
    """The folder of the two seed lists: $SAFETYKB_SHARED/data, else shared/data beside the checkout."""
    candidates = []
    if os.environ.get("SAFETYKB_SHARED"):
        candidates.append(Path(os.environ["SAFETYKB_SHARED"]) / "data")
    candidates += [REPO.parent / "shared" / "data", Path("/work/shared/data")]
    for candidate in candidates:
        if all((candidate / name / "README.md").is_file()
               for name in ("awesome-lvlm-safety", "awesome-large-model-safety")):
            return candidate
    pytest.fail(f"seed lists not found in any of {[str(c) for c in candidates]}: put shared/ beside the clone "
                "or set SAFETYKB_SHARED")
