"""safetykb.site.fastbuild changes how mkdocs spends its time, never what it writes: the site built with its
shortcuts is byte for byte the site built without them (SAFETYKB_PLAIN_BUILD=1), and `mkdocs serve`'s
rebuild after an edit, which writes unchanged pages as they were, equals a build from scratch. (Pagefind's
index, `pagefind/`, is left out of the comparison: it differs between two builds of the same HTML.)"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.site_kb import MKDOCS, REPO, make_kb


def _build(root: Path, out: Path, **env: str) -> None:
    environ = {**os.environ, "SAFETYKB_ROOT": str(root), "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0", **env}
    done = subprocess.run([*MKDOCS, "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(out)],
                          cwd=REPO, env=environ, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


def _differences(a: Path, b: Path) -> list[str]:
    found: list[str] = []

    def walk(cmp: filecmp.dircmp) -> None:
        found.extend(f"{cmp.left}: {name}" for name in [*cmp.left_only, *cmp.right_only, *cmp.funny_files])
        _match, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(f"{cmp.left}/{name}" for name in [*mismatch, *errors])
        for sub in cmp.subdirs.values():
            walk(sub)

    walk(filecmp.dircmp(a, b, ignore=[*filecmp.DEFAULT_IGNORES, "pagefind"]))
    return found


def test_fast_build_writes_what_the_plain_build_writes(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb")
    _build(root, tmp_path / "fast")
    _build(root, tmp_path / "plain", SAFETYKB_PLAIN_BUILD="1")
    assert _differences(tmp_path / "fast", tmp_path / "plain") == []
    assert any((tmp_path / "fast" / "papers").iterdir())


SERVE = """\
import os, shutil, sys, threading
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
import safetykb.site.fastbuild as fastbuild

site, paper, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])

def indexed():  # Pagefind runs in the background under `mkdocs serve`: let it finish first
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join()

def config():
    c = load_config(sys.argv[4], site_dir=str(site))
    c.site_url = "http://127.0.0.1:8000/"
    return c

first = config()
first.plugins.on_startup(command="serve", dirty=False)
build(first, serve_url="http://127.0.0.1:8000/")
indexed()
paper.write_text(paper.read_text().replace("title: ", "title: Edited ", 1))
build(config(), serve_url="http://127.0.0.1:8000/")  # as mkdocs serve rebuilds after the edit
print(fastbuild.serve_memo.hits)
indexed()
shutil.copytree(site, out / "rebuilt")
fastbuild.serving = False
build(config(), serve_url="http://127.0.0.1:8000/")  # the same files, from scratch
shutil.copytree(site, out / "scratch")
"""


def test_serve_rebuild_after_an_edit_equals_a_build_from_scratch(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb")
    paper = root / "papers" / "2024" / "zhang2024trojvlm.yaml"
    env = {**os.environ, "SAFETYKB_ROOT": str(root), "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0",
           "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SERVE, str(tmp_path / "site"), str(paper), str(tmp_path),
                           str(REPO / "mkdocs.yml")], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    reused = int(done.stdout.split()[-1])
    pages = sum(1 for _ in (tmp_path / "scratch").rglob("index.html"))
    assert 0 < reused < pages  # most pages written as they were, the edited one's made again
    assert "Edited" in (tmp_path / "rebuilt" / "papers" / "zhang2024trojvlm" / "index.html").read_text()
    assert _differences(tmp_path / "rebuilt", tmp_path / "scratch") == []
    shutil.rmtree(tmp_path / "site", ignore_errors=True)
