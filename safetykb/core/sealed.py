"""Cache files that are data only and that this user wrote: JSON, sealed with a keyed hash.

The caches under `<root>/.cache/` (the validated snapshot, the query tool's graph)
used to be pickles, and unpickling a crafted file runs its code; a cache key
anyone can compute does not help, and `--root`/`SAFETYKB_ROOT` may point at a
checkout nobody here wrote. So a cache file is:

    <magic> <version> <seal, 64 hex digits>\\n<JSON>

- JSON, read with `json.loads`: whatever the file holds, reading it builds
  dicts, lists, strings and numbers, never objects, and runs no code;
- sealed: BLAKE2b keyed with a secret of this user (32 random bytes in
  `$XDG_CACHE_HOME/safetykb/seal.key`, else `~/.cache/safetykb/seal.key`, mode
  0600, made on first use) over the JSON. A file planted in a checkout (or
  committed to one) does not carry this user's seal and is ignored, so it can
  neither run code nor feed a validator or a site build records that are not
  the files on disk. Without a usable key folder nothing is cached.

Reading never raises: a missing, foreign, truncated or malformed file is a miss.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from safetykb.core.fileio import write_atomic

_MAGIC = b"safetykb-cache"
_KEY_BYTES = 32
#: The largest cache file read: far above any real one (10,000 papers make about 12 MB).
MAX_BYTES = 1 << 30

_key: bytes | None = None


def key_file() -> Path:
    """Where this user's sealing key lives ($SAFETYKB_SEAL_DIR overrides, for tests)."""
    override = os.environ.get("SAFETYKB_SEAL_DIR")
    if override:
        return Path(override) / "seal.key"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "safetykb" / "seal.key"


def _seal_key() -> bytes | None:
    """This user's key, made on first use; None when there is no place to keep one."""
    global _key
    if _key is not None:
        return _key
    path = key_file()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = _make_key(path)
    except OSError:
        return None
    if data is None or len(data) != _KEY_BYTES:
        return None
    _key = data
    return _key


def _make_key(path: Path) -> bytes | None:
    """Write a new key atomically (a second process racing us keeps the first one written)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_bytes(_KEY_BYTES))
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # fails if another process made one meanwhile: use theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
        return path.read_bytes()
    except OSError:
        return None


def _seal(key: bytes, kind: bytes, body: bytes) -> bytes:
    return hashlib.blake2b(kind + b"\0" + body, key=key, digest_size=32).hexdigest().encode()


def write(path: Path, kind: str, version: int, data: Any) -> bool:
    """Store data (JSON types only) sealed under kind and version; False when it could not be written."""
    key = _seal_key()
    if key is None:
        return False
    tag = f"{kind} {version}".encode()
    try:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError):
        return False
    head = b" ".join([_MAGIC, tag, _seal(key, tag, body)]) + b"\n"
    try:
        write_atomic(path, head + body)
    except OSError:
        return False
    return True


def read(path: Path, kind: str, version: int) -> Any | None:
    """The data of a file this user sealed under kind and version, or None (never raises)."""
    key = _seal_key()
    if key is None:
        return None
    tag = f"{kind} {version}".encode()
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_BYTES:
                return None
            raw = handle.read()
    except OSError:
        return None
    head, sep, body = raw.partition(b"\n")
    parts = head.split(b" ")
    if not sep or len(parts) != 4 or parts[0] != _MAGIC or b" ".join(parts[1:3]) != tag:
        return None
    if not hmac.compare_digest(parts[3], _seal(key, tag, body)):
        return None
    # Many small containers: decoding is much faster without the cycle collector running over them.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(body)
    except ValueError:
        return None
    finally:
        if enabled:
            gc.enable()
