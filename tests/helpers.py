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
               stdin: str | None = None, env: dict[str, str] | None = None,
               script_root: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run scripts/<name> of script_root (this checkout by default) as a fresh process, the way a user does;
    env adds to (an empty value removes from) the environment."""
    environ = dict(os.environ)
    for key, value in (env or {}).items():
        if value:
            environ[key] = value
        else:
            environ.pop(key, None)
    return subprocess.run(
        [sys.executable, str(script_root / "scripts" / name), *args],
        cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout, input=stdin, env=environ,
    )


def seed_lists() -> Path:
    """The folder of the two pinned seed lists ($SAFETYKB_SOURCES or the cache `make sources` fills),
    or a failure saying in one line how to provide them (never a skip)."""
    from safetykb.importer.sources import SourcesMissing, find_data

    try:
        return find_data(None, REPO)
    except SourcesMissing as exc:
        pytest.fail(str(exc), pytrace=False)
