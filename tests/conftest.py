"""Shared test fixtures: the repository root, the fixture knowledge base and its graph."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.helpers import FIXTURE_KB, REPO

# The caches' sealing key (safetykb.core.sealed) of the test run, not of the user running it; scripts started
# by the tests inherit it.
os.environ.setdefault("SAFETYKB_SEAL_DIR", tempfile.mkdtemp(prefix="safetykb-seal-"))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture knowledge base."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target


@pytest.fixture(scope="session")
def fixture_graph():
    from safetykb.core.graph import build_graph
    from safetykb.core.validation import load_kb

    return build_graph(load_kb(FIXTURE_KB))
