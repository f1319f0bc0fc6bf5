"""Writing files so that a reader never sees half of one, and nothing but the named file is touched.

Every file a tool writes goes through a temporary sibling, then a rename (`write_atomic`) or a hard link
that refuses an existing name (`write_new`). Only a new path or an existing regular file is written: a
device (`/dev/null` turned into a regular file when written as root), a pipe, a folder or a symbolic
link is refused with `NotARegularFile`. A new file gets the mode the umask gives (0644 under the usual
umask), a replaced file keeps its mode: the temporary file must not leave its private 0600 behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path


class NotARegularFile(OSError):
    """The path names something other than a regular file (a device, a pipe, a folder, a link)."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(errno.EEXIST, f"{what}, not a regular file: give the path of a new or ordinary file")
        self.filename = str(path)


def check_target(path: Path) -> None:
    """NotARegularFile unless path is new or a regular file: for a command to refuse before it works."""
    _existing(Path(path))


def _existing(path: Path) -> os.stat_result | None:
    """The lstat of path if it exists; NotARegularFile unless it is a regular file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISREG(info.st_mode):
        return info
    kinds = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket"))
    raise NotARegularFile(path, next((word for test, word in kinds if test(info.st_mode)), "a special file"))


def _temporary(path: Path, mode: int | None) -> tuple[int, Path]:
    """A new temporary sibling of path opened for writing: created with 0666 so the umask decides its mode,
    or given `mode` (that of the file it will replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            try:
                os.fchmod(fd, mode)
            except OSError:
                os.close(fd)
                tmp.unlink(missing_ok=True)
                raise
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def _fill(fd: int, text: str | bytes) -> None:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write text (UTF-8, lines as given) or bytes to path, a new path or a regular file, through a
    temporary sibling; a replaced file keeps its mode. NotARegularFile for anything else."""
    path = Path(path)
    existing = _existing(path)
    fd, tmp = _temporary(path, stat.S_IMODE(existing.st_mode) if existing else None)
    try:
        _fill(fd, text)
        _existing(path)  # still a regular file or nothing: never replace what appeared meanwhile
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_new(path: Path, text: str | bytes) -> None:
    """Write a new file atomically: through a temporary sibling hard-linked into place, so the file
    appears whole or not at all, and FileExistsError if path exists (it is never replaced)."""
    path = Path(path)
    if os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "exists", str(path))
    fd, tmp = _temporary(path, None)
    try:
        _fill(fd, text)
        try:
            os.link(tmp, path, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: check, then rename into place
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
