"""From metadata and classification to a checked record file.

`draft_record` builds the record (keys in DESIGN order, id by the id rule);
`render` writes its YAML with the editor hint line; `problems_in` checks the
exact text that would be written with the core validator, on a copy of the
knowledge base's taxonomy, so add_paper and scripts/validate.py never disagree;
`write_new` (safetykb.core.fileio) writes atomically, with the umask's mode, and never replaces a file.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Container
from pathlib import Path
from typing import Any

from safetykb.addpaper.classify import Classification
from safetykb.core.layout import FOLDERS
from safetykb.core.problems import Problem, display_path
from safetykb.core.recordfile import editor_hint
from safetykb.core.recordfile import render as render_record
from safetykb.core.schema import field_names
from safetykb.core.validation import load_and_validate
from safetykb.metadata.ids import base_id, unique_id
from safetykb.metadata.model import Metadata

#: First line of every paper record: lets editors check the file against the schema as it is typed.
EDITOR_HINT = editor_hint("paper")


def draft_record(meta: Metadata, cls: Classification, taken: Container[str], *, status: str = "reviewed",
                 today: dt.date | None = None, extra_links: dict[str, str] | None = None,
                 venue: str | None = None, venue_note: str | None = None,
                 not_duplicate_of: list[str] | None = None) -> dict[str, Any]:
    """The record for a paper, keys in DESIGN order; empty fields left out."""
    record: dict[str, Any] = {
        "id": draft_id(meta, taken),
        "title": meta.title,
        "authors": [p.display() for p in meta.authors],
        "year": meta.year,
        "date": meta.date,
        "venue": venue or meta.venue,
        "venue_note": venue_note or (None if venue else meta.venue_note),
    }
    links = {"arxiv": meta.arxiv, "doi": meta.doi, "url": meta.url, "code": cls.code or meta.code}
    links.update({k: v for k, v in (extra_links or {}).items() if v})
    record["links"] = {k: v for k, v in links.items() if v}
    for name in ("models", "contribution", "attacks", "defenses", "counters", "evaluates", "introduces", "uses"):
        record[name] = list(getattr(cls, name))
    record["not_duplicate_of"] = list(not_duplicate_of or [])
    record.update(method=cls.method, threat_model=cls.threat_model, summary=cls.summary,
                  sources=["contributor"], status=status, added=(today or dt.date.today()).isoformat())
    order = field_names("paper")
    return {k: record[k] for k in order if k in record and record[k] not in (None, [], {}, "")}


def draft_id(meta: Metadata, taken: Container[str]) -> str:
    """The id the paper's record gets: the id rule, made unique against `taken`."""
    first = meta.authors[0]
    return unique_id(base_id(first.family or first.given, meta.year, meta.title), taken)


def record_path(root: Path, record: dict[str, Any]) -> Path:
    return root / FOLDERS["paper"] / str(record["year"]) / f"{record['id']}.yaml"


def render(record: dict[str, Any]) -> str:
    """The record file's text (safetykb.core.recordfile: the style every writer shares)."""
    return render_record(record, "paper")


def problems_in(root: Path, target: Path, text: str, papers: tuple[Path, ...] = ()) -> list[Problem]:
    """What scripts/validate.py would report for `text` written at `target`: schema, id and file name,
    year folder, links, characters, references to the knowledge base's taxonomy and what a contribution
    commits to (duplicates are checked by the caller against every paper). `papers` are existing paper
    files the record names (not_duplicate_of). They and the taxonomy are copied into a scratch knowledge
    base: the validator reads nothing through a link that leads out of its root."""
    root = root.resolve()
    rel = target.resolve().relative_to(root)
    with tempfile.TemporaryDirectory(prefix="safetykb-add-") as tmp:
        overlay = Path(tmp)
        if (root / "taxonomy").is_dir():
            shutil.copytree(root / "taxonomy", overlay / "taxonomy", symlinks=True)
        for paper in papers:
            copy = overlay / paper.resolve().relative_to(root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(paper, copy)
        trial = overlay / rel
        trial.parent.mkdir(parents=True, exist_ok=True)
        trial.write_text(text, encoding="utf-8")
        result = load_and_validate(overlay, only=[trial])
        here = display_path(root)
        prefix = "" if here == "." else here.rstrip("/") + "/"  # messages name the knowledge base's files
        return [Problem(display_path(target), p.line, p.col, p.message.replace(f"{overlay}/", prefix))
                for p in result.problems]
