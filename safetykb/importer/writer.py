"""Paper records from merged, classified papers: ids, field order, YAML text, atomic writes.

Ids: first author's family name + year + first significant title word, lowercase
ascii, letter suffix b, c, ... on collision. A new record's title is re-cased by the
casing table (``safetykb.metadata.casing``: "llm" -> "LLM"), and a list's author list
cut with "et al." is marked ``authors_complete: false``. An existing record matched by
arXiv id or title key keeps its id, file and every fact and classification it holds:
once a record exists it is what refresh, reviewers and contributors edit, so the import
only brings the lists' provenance up to date (``sources``, ``filed_under``), adds link
kinds the record lacks, and marks a record whose authors are still the list's cut list.
A ``status: reviewed`` record is never touched.
Records are checked against safetykb/schemas/paper.schema.json before anything is
written; each file is written to a temporary file and renamed into place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from safetykb.core.fileio import write_atomic
from safetykb.core.recordfile import render as render_record
from safetykb.core.schema import check as check_schema
from safetykb.core.schema import field_names
from safetykb.importer import LISTS
from safetykb.importer.classification import Verdict
from safetykb.importer.merge import Paper
from safetykb.importer.text import title_key, unescape
from safetykb.metadata.casing import recase
from safetykb.metadata.ids import base_id, unique_id

try:
    _Loader: Any = yaml.CSafeLoader
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Loader, _Dumper = yaml.SafeLoader, yaml.SafeDumper

#: Keys in the order of the paper schema (the DESIGN order).
FIELD_ORDER = tuple(field_names("paper"))
LINK_ORDER = ("arxiv", "doi", "url", "code", "project")
TAXONOMY_KINDS = ("models", "attacks", "defenses", "datasets", "benchmarks")
_LIST_NAMES = set(LISTS)


def schema_errors(record: dict[str, Any]) -> list[str]:
    """The paper schema's complaints about a record, worded as scripts/validate.py words them."""
    return [issue.message for issue in check_schema("paper", record)]


def paper_base_id(paper: Paper) -> str:
    """The id rule (safetykb.metadata.ids) applied to a merged paper."""
    family = paper.authors[0].family if paper.authors else ""
    return base_id(family, paper.year or 0, unescape(paper.title))


@dataclass
class Existing:
    """Paper records already in the repository."""

    by_id: dict[str, tuple[Path, dict[str, Any], str]] = field(default_factory=dict)
    by_arxiv: dict[str, str] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    taxonomy_ids: dict[str, set[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def all_ids(self) -> set[str]:
        ids = set(self.by_id)
        for kind_ids in self.taxonomy_ids.values():
            ids |= kind_ids
        return ids


def load_existing(root: Path) -> Existing:
    ex = Existing()
    for kind in TAXONOMY_KINDS:
        folder = root / "taxonomy" / kind
        if folder.is_dir():
            ex.taxonomy_ids[kind] = {p.stem for p in folder.glob("*.yaml")}
    papers = root / "papers"
    if not papers.is_dir():
        return ex
    for path in sorted(papers.glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            ex.errors.append(f"{path}: invalid YAML, cannot match it to list entries: {exc}")
            continue
        if not isinstance(data, dict):
            ex.errors.append(f"{path}: not a mapping")
            continue
        rid = path.stem
        if rid in ex.by_id:
            ex.errors.append(f"{path}: id {rid!r} also in {ex.by_id[rid][0]}")
            continue
        ex.by_id[rid] = (path, data, text)
        links = data.get("links") or {}
        arxiv = str(links.get("arxiv") or "")
        if arxiv:
            ex.by_arxiv.setdefault(re.sub(r"v\d+$", "", arxiv), rid)
        if isinstance(data.get("title"), str):
            ex.by_key.setdefault(title_key(data["title"]), rid)
    return ex


def build_record(paper: Paper, verdict: Verdict, rid: str, added: str) -> dict[str, Any]:
    links = {"arxiv": paper.arxiv, "url": paper.url, "code": paper.code}
    values: dict[str, Any] = {
        "id": rid,
        "title": recase(paper.title),
        "authors": [a.display() for a in paper.authors],
        "authors_complete": None if paper.authors_complete else False,
        "affiliations": paper.affiliations,
        "year": paper.year,
        "date": paper.date,
        "venue": paper.venue,
        "venue_note": paper.venue_note,
        "venue_year": paper.venue_year if paper.venue_year != paper.year else None,
        "links": {k: links[k] for k in LINK_ORDER if links.get(k)},
        "models": verdict.models,
        "contribution": verdict.contribution,
        "attacks": verdict.attacks,
        "defenses": verdict.defenses,
        "counters": verdict.counters,
        "evaluates": verdict.evaluates,
        "introduces": verdict.introduces,
        "uses": verdict.uses,
        "method": verdict.method,
        "threat_model": verdict.threat_model,
        "filed_under": verdict.filed_under,
        "sources": paper.sources,
        "status": "auto",
        "added": added,
    }
    return {k: values[k] for k in FIELD_ORDER if values.get(k) not in (None, [], {}, "")}


#: Fields of an existing record that the import keeps up to date: where the lists file the paper.
LIST_OWNED = ("sources", "filed_under")


def update_record(old: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    """An existing record with the lists' provenance from `fresh` and any link kind it lacks; all else kept."""
    record = dict(old)
    listed = set(fresh.get("sources") or [])
    own = [s for s in old.get("sources") or [] if s not in listed and s not in _LIST_NAMES]
    record["sources"] = [*fresh.get("sources", []), *own]
    filed = {k: v for k, v in (old.get("filed_under") or {}).items() if k not in _LIST_NAMES}
    record["filed_under"] = {**(fresh.get("filed_under") or {}), **filed}
    if fresh.get("authors_complete") is False and fresh.get("authors") == old.get("authors"):
        record["authors_complete"] = False  # the record still holds the list's cut list: say so
    links = {**(fresh.get("links") or {}), **(old.get("links") or {})}
    record["links"] = {k: links[k] for k in (*LINK_ORDER, *links) if k in links}
    return {k: record[k] for k in (*FIELD_ORDER, *record) if k in record and record[k] not in (None, [], {}, "")}


def render(record: dict[str, Any]) -> str:
    """A paper record's file text (safetykb.core.recordfile: one style for every writer)."""
    return render_record(record, "paper")


@dataclass
class Planned:
    """One record the import would write (or leave alone)."""

    paper: Paper
    rid: str
    path: Path
    action: str  # create | update | unchanged | reviewed
    content: str = ""
    old_path: Path | None = None
    matched: bool = False


def plan(
    papers: list[tuple[Paper, Verdict]], existing: Existing, root: Path, today: str
) -> tuple[list[Planned], list[str]]:
    """Decide id, path and content for every paper; return plans and schema errors."""
    plans: list[Planned] = []
    errors: list[str] = []
    used = existing.all_ids
    claimed: set[str] = set()
    for paper, verdict in papers:
        rid = None
        if paper.arxiv and paper.arxiv in existing.by_arxiv:
            rid = existing.by_arxiv[paper.arxiv]
        if rid is None or rid in claimed:
            rid = existing.by_key.get(paper.key)
        if rid is not None and rid in claimed:
            rid = None
        if rid is not None:
            claimed.add(rid)
            old_path, data, old_text = existing.by_id[rid]
            if data.get("status") == "reviewed":
                plans.append(Planned(paper, rid, old_path, "reviewed", matched=True))
                continue
            added = str(data.get("added") or today)
            record = update_record(data, build_record(paper, verdict, rid, added))
            content = render(record)
            action = "unchanged" if content == old_text else "update"
            item = Planned(paper, rid, old_path, action, content, None, True)
        else:
            rid = unique_id(paper_base_id(paper), used)
            used.add(rid)
            claimed.add(rid)
            record = build_record(paper, verdict, rid, today)
            path = root / "papers" / str(paper.year) / f"{rid}.yaml"
            item = Planned(paper, rid, path, "create", render(record))
        errs = schema_errors(record)
        errors.extend(f"{paper.entries[0].where}: record {rid}: {e}" for e in errs)
        plans.append(item)
    return plans, errors


def apply(plans: list[Planned]) -> None:
    for item in plans:
        if item.action in ("create", "update"):
            write_atomic(item.path, item.content)
            if item.old_path is not None and item.old_path.exists():
                item.old_path.unlink()
