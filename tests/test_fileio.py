"""safetykb.core.fileio: only a new path or a regular file is written, whole, with the umask's mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from safetykb.core.fileio import NotARegularFile, check_target, write_atomic, write_new
from tests.helpers import FIXTURE_KB, run_script


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("write", [write_atomic, write_new])
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_mode_of_the_umask(tmp_path: Path, write, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write(tmp_path / "out.txt", "text\n")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "out.txt") == mode  # mkstemp used to leave 0600 whatever the umask
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n" and _mode(target) == 0o640


def test_special_files_and_links_are_refused_untouched(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep\n")
    link = tmp_path / "link.txt"
    link.symlink_to(elsewhere)
    for path, word in ((fifo, "a pipe"), (link, "a symbolic link"), (tmp_path, "a folder")):
        with pytest.raises(NotARegularFile, match=word):
            write_atomic(path, "x\n")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink() and elsewhere.read_text() == "keep\n"
    with pytest.raises(NotARegularFile, match="a device"):
        check_target(Path("/dev/null"))  # what write_atomic asks first: /dev/null is never opened
    with pytest.raises(FileExistsError):
        write_new(link, "x\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.txt", "link.txt", "pipe"]


def test_export_refuses_a_device_or_pipe_before_loading(tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    result = run_script("export.py", "json", str(fifo), "--root", str(FIXTURE_KB), timeout=30)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == f"export.py: cannot write {fifo}: a pipe, not a regular file: give the path of a new " \
                            "or ordinary file\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    null = run_script("export.py", "json", "/dev/null", "--root", str(FIXTURE_KB), timeout=30)
    assert null.returncode == 2 and "(write - for standard output)" in null.stderr
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_export_writes_with_the_umask_mode(tmp_path: Path) -> None:
    out = tmp_path / "kb.json"
    old = os.umask(0o022)
    try:
        result = run_script("export.py", "json", str(out), "--root", str(FIXTURE_KB), timeout=30)
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert _mode(out) == 0o644
