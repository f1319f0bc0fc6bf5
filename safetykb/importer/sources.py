"""The upstream data the importers read: pinned in sources.yaml, found on disk, or fetched and checked.

`sources.yaml` (repository root) names each source: repository, commit, licence and the sha256 of
every file. Two forms:

- a downloaded source (the two seed lists): `files` are fetched from the pinned commit.
  `find_data(explicit)` answers "where are the lists?": an explicit `--data DIR` as given, else
  `$SAFETYKB_SOURCES`, else the cache `.cache/sources/` that `fetch_all` fills by downloading the
  pinned commit (from raw.githubusercontent.com, or `$SAFETYKB_SOURCES_URL` in tests). Files from
  the environment or the cache must match their pinned sha256; when no folder holds the lists,
  `SourcesMissing` says in one line how to provide them.
- a vendored source (`vendored: <folder in this repository>`): our own transcription of published
  figures, committed with its README, so the repository works without any download. `files` pin
  the vendored files (`vendored_mismatches` checks them); `origin_files` record the upstream files
  they were transcribed from (path -> sha256), for provenance only: they are never downloaded.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from safetykb.core.fileio import write_atomic
from safetykb.core.layout import repo_root
from safetykb.core.yamlsafe import read_yaml

ENV_DIR = "SAFETYKB_SOURCES"
ENV_URL = "SAFETYKB_SOURCES_URL"
RAW_URL = "https://raw.githubusercontent.com"
CACHE = Path(".cache") / "sources"


class SourcesMissing(Exception):
    """No folder holds the pinned lists; the message says how to provide them."""


class InvalidSources(SourcesMissing):
    """sources.yaml names something that is not a plain pin (a path leaving the cache, a branch instead
    of a commit...): nothing is downloaded or read from it."""


#: What each field of a source may hold: the names and paths become folders and files under the cache,
#: the repository and commit a download URL, so nothing may climb out of either.
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_REPOSITORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: The most bytes one pinned file may have (the lists are a few hundred kB).
MAX_DOWNLOAD = 16 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    repository: str
    commit: str
    license: str
    license_url: str
    companion_of: str
    date: str
    files: dict[str, str]  # path -> sha256
    vendored: str | None = None  # folder in this repository holding the files (never downloaded)
    origin_files: dict[str, str] = field(default_factory=dict)  # upstream path -> sha256 (provenance)
    citation: str = ""  # the BibTeX the list asks readers to cite (the site's About page shows it)

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repository}/tree/{self.commit}"

    def origin_url(self, path: str) -> str:
        """Where an upstream file of this source can be seen at the pinned commit."""
        return f"https://github.com/{self.repository}/blob/{self.commit}/{path}"


_MAPPINGS = ("files", "origin_files")


def load_sources(root: Path | None = None) -> dict[str, Source]:
    """Every source of sources.yaml, by name; InvalidSources if a field is not a plain pin."""
    path = (root or repo_root()) / "sources.yaml"
    data, error = read_yaml(path)
    if error is not None:
        raise InvalidSources(f"{path}:{error.line}:{error.col}: {error.message}")
    specs = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(specs, dict) or not specs:
        raise InvalidSources(f"{path}: expected `sources:` mapping each source name to its pin")
    out = {}
    for name, spec in specs.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("files"), dict):
            raise InvalidSources(f"{path}: source {name!r} needs repository, commit and files")
        source = Source(name=str(name), **{k: str(v) if k not in _MAPPINGS else {str(p): str(s) for p, s in v.items()}
                                           for k, v in spec.items()})
        _check_pin(path, source)
        out[source.name] = source
    return out


def _check_pin(path: Path, source: Source) -> None:
    checks = [(_NAME, source.name, "name"), (_REPOSITORY, source.repository, "repository"),
              (_COMMIT, source.commit, "commit (40 hexadecimal digits)")]
    for rel, digest in source.files.items():
        checks += [(_FILE, rel, "file path (relative, no '..')"), (_SHA256, digest, "sha256")]
    for pattern, value, what in checks:
        if not pattern.match(value) or ".." in value.split("/"):
            raise InvalidSources(f"{path}: source {source.name!r}: {value!r} is not a valid {what}")


def downloaded(sources: dict[str, Source]) -> dict[str, Source]:
    """The sources fetched from their repositories (not vendored)."""
    return {name: source for name, source in sources.items() if source.vendored is None}


def vendored_folder(source: Source, root: Path | None = None) -> Path:
    if source.vendored is None:
        raise ValueError(f"source {source.name} is downloaded, not vendored")
    return (root or repo_root()) / source.vendored


def vendored_mismatches(root: Path | None = None) -> list[str]:
    """Why the vendored files differ from their pins in sources.yaml (missing or changed), one phrase each."""
    root = root or repo_root()
    wrong = []
    for source in load_sources(root).values():
        if source.vendored is None:
            continue
        for rel, digest in source.files.items():
            path = vendored_folder(source, root) / rel
            if not path.is_file():
                wrong.append(f"{source.vendored}/{rel} missing")
            elif sha256(path) != digest:
                wrong.append(f"{source.vendored}/{rel} differs from its sha256 in sources.yaml")
    return wrong


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mismatches(folder: Path, sources: dict[str, Source]) -> list[str]:
    """Why folder does not hold the pinned files (missing or different), one phrase each."""
    wrong = []
    for source in downloaded(sources).values():
        for rel, digest in source.files.items():
            path = folder / source.name / rel
            if not path.is_file():
                wrong.append(f"{source.name}/{rel} missing")
            elif sha256(path) != digest:
                wrong.append(f"{source.name}/{rel} differs from commit {source.commit[:7]} (sha256)")
    return wrong


HOW = ("run `make sources` (downloads the pinned commits of sources.yaml) or set SAFETYKB_SOURCES to a "
       "folder holding awesome-lvlm-safety/README.md and awesome-large-model-safety/README.md")


def find_data(explicit: Path | None = None, root: Path | None = None) -> Path:
    """The folder of the seed lists: explicit as given, else $SAFETYKB_SOURCES, else the fetched cache."""
    if explicit is not None:
        return explicit.resolve()
    root = root or repo_root()
    sources = load_sources(root)
    env = os.environ.get(ENV_DIR)
    if env:
        folder = Path(env).resolve()
        wrong = mismatches(folder, sources)
        if wrong:
            raise SourcesMissing(f"SAFETYKB_SOURCES={env}: {'; '.join(wrong)}")
        return folder
    cache = root / CACHE
    if not mismatches(cache, sources):
        return cache
    raise SourcesMissing(f"seed lists not found: {HOW}")


def fetch_all(root: Path | None = None, timeout: float = 30.0) -> list[str]:
    """Download every pinned file into the cache, checking its sha256; returns what was written.

    A file already in the cache with the right sha256 is kept; a download with another sha256 is
    refused (nothing written) with an OSError naming the file."""
    root = root or repo_root()
    base = os.environ.get(ENV_URL, RAW_URL).rstrip("/")
    written = []
    for source in downloaded(load_sources(root)).values():
        for rel, digest in source.files.items():
            target = root / CACHE / source.name / rel
            if target.is_file() and sha256(target) == digest:
                continue
            url = f"{base}/{source.repository}/{source.commit}/{rel}"
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - https or test URL
                    body = response.read(MAX_DOWNLOAD + 1)
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", None) or exc
                raise OSError(f"cannot download {url}: {reason}") from None
            if len(body) > MAX_DOWNLOAD:
                raise OSError(f"{url}: more than {MAX_DOWNLOAD // 1024 // 1024} MiB; not a seed list; nothing written")
            if hashlib.sha256(body).hexdigest() != digest:
                raise OSError(f"{url}: sha256 differs from sources.yaml; nothing written")
            write_atomic(target, body)
            written.append(f"{source.name}/{rel}")
    return written
