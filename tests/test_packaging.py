"""The first `make` is quiet and correct: the lock holds the build backend pyproject.toml asks for."""

from __future__ import annotations

import re
import tomllib

from tests.helpers import REPO


def test_the_lock_pins_a_setuptools_that_builds_without_isolation() -> None:
    """`pip install --no-build-isolation -e .` used the venv's setuptools 65 ('invalid command bdist_wheel'),
    and the fallback printed thirty lines of deprecation warnings about the licence table."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    needed = re.fullmatch(r"setuptools>=(\d+)", project["build-system"]["requires"][0])
    assert needed, project["build-system"]["requires"]
    pinned = re.search(r"(?m)^setuptools==(\d+)\.", (REPO / "requirements.lock").read_text(encoding="utf-8"))
    assert pinned and int(pinned.group(1)) >= max(int(needed.group(1)), 77)  # 77: SPDX licence strings
    assert isinstance(project["project"]["license"], str)
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    install = [line for line in makefile.splitlines() if line.rstrip().endswith("-e .")]
    assert len(install) == 1 and "--no-build-isolation" in install[0], "one editable install, no fallback"
