"""One hostile record against every tool: a clean message naming the file, a non-zero exit, no traceback.

500 levels of brackets in a title (a 1 kB file) raised RecursionError, without a file name, in
validate.py, query.py, add_paper.py, export.py, build_pages.py and mkdocs build; a key written twice
passed as "ok" and lost the first value everywhere downstream.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO, run_script
from tests.site_kb import build

CORPUS = REPO / "tests" / "bad_records"

TOOLS: dict[str, tuple[str, ...]] = {
    "validate.py": (),
    "query.py": ("jailbreak attacks", "--no-cache"),
    "export.py": ("json", "-"),
    "build_pages.py": ("{tmp}/pages",),
    "add_paper.py": ("@misc{k, title={A New Paper}, author={Lee, Ann}, year=2024}", "--models", "vlm",
                     "--attacks", "jailbreak", "--dry-run"),
}


@pytest.mark.parametrize("case", ["deep-nesting", "duplicate-key"])
@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_every_tool_names_the_broken_file(case: str, tool: str, kb_copy: Path, tmp_path: Path) -> None:
    shutil.copytree(CORPUS / case, kb_copy, dirs_exist_ok=True)
    (kb_copy / "expected.txt").unlink()
    broken = (CORPUS / case / "expected.txt").read_text().split(":", 1)[0]
    args = [a.replace("{tmp}", str(tmp_path)) for a in TOOLS[tool]]
    result = run_script(tool, *args, "--root", str(kb_copy), cwd=kb_copy, timeout=60)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "RecursionError" not in output
    assert broken in output, output
    if tool == "add_paper.py":  # a problem elsewhere does not stop a new paper, and is named
        assert result.returncode == 0 and "the knowledge base already has 1 problem elsewhere, first " in result.stderr
    else:
        assert result.returncode == 1


def test_mkdocs_build_names_the_broken_file(kb_copy: Path, tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "deep-nesting", kb_copy, dirs_exist_ok=True)
    result = build(kb_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "papers/2024/doe2024deep.yaml" in result.stdout + result.stderr
    assert "RecursionError" not in result.stdout + result.stderr
