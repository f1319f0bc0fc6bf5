"""The upstream lists the importer reads: pinned in sources.yaml, found on disk, or fetched and checked.

`sources.yaml` (repository root) names each source: repository, commit, licence and the sha256 of
every file. `find_data(explicit)` answers "where are the lists?": an explicit `--data DIR` as given,
else `$SAFETYKB_SOURCES`, else the cache `.cache/sources/` that `fetch_all` fills by downloading
the pinned commit (from raw.githubusercontent.com, or `$SAFETYKB_SOURCES_URL` in tests). Files
from the environment or the cache must match their pinned sha256; when no folder holds the
lists, `SourcesMissing` says in one line how to provide them.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from safetykb.core.fileio import write_atomic
from safetykb.core.layout import repo_root

ENV_DIR = "SAFETYKB_SOURCES"
ENV_URL = "SAFETYKB_SOURCES_URL"
RAW_URL = "https://raw.githubusercontent.com"
CACHE = Path(".cache") / "sources"


class SourcesMissing(Exception):
    """No folder holds the pinned lists; the message says how to provide them."""


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
    citation: str = ""  # the BibTeX the list asks readers to cite (the site's About page shows it)

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repository}/tree/{self.commit}"


def load_sources(root: Path | None = None) -> dict[str, Source]:
    """Every source of sources.yaml, by name."""
    path = (root or repo_root()) / "sources.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: Source(name=name, **{k: str(v) if k != "files" else {str(p): str(s) for p, s in v.items()}
                                       for k, v in spec.items()})
            for name, spec in data["sources"].items()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mismatches(folder: Path, sources: dict[str, Source]) -> list[str]:
    """Why folder does not hold the pinned files (missing or different), one phrase each."""
    wrong = []
    for source in sources.values():
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
    for source in load_sources(root).values():
        for rel, digest in source.files.items():
            target = root / CACHE / source.name / rel
            if target.is_file() and sha256(target) == digest:
                continue
            url = f"{base}/{source.repository}/{source.commit}/{rel}"
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - https or test URL
                    body = response.read()
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", None) or exc
                raise OSError(f"cannot download {url}: {reason}") from None
            if hashlib.sha256(body).hexdigest() != digest:
                raise OSError(f"{url}: sha256 differs from sources.yaml; nothing written")
            write_atomic(target, body)
            written.append(f"{source.name}/{rel}")
    return written
