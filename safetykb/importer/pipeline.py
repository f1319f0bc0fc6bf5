"""The import pipeline: read both lists, parse, merge, classify, plan records, write.

``run_import`` does everything and returns an ``ImportResult``; nothing is
written when a fatal problem was found (unparsed entries, broken classification
data, schema errors, unknown taxonomy ids, unclassified papers unless allowed)
or when ``dry_run`` is set.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from safetykb.importer import LARGE_MODEL_LIST, LISTS, LVLM_LIST, large_model_list, lvlm_list
from safetykb.importer.classification import (
    Rules,
    Verdict,
    classify,
    drop_unknown_references,
    load_rules,
    unknown_ids,
    unused_per_paper,
)
from safetykb.importer.merge import MergeResult, Paper, merge
from safetykb.importer.model import Entry, Problem
from safetykb.importer.text import title_key
from safetykb.importer.writer import Existing, Planned, apply, load_existing, plan
from safetykb.metadata.people import split_given_family

LIST_FILES = {
    LVLM_LIST: (Path("awesome-lvlm-safety") / "README.md", lvlm_list.parse),
    LARGE_MODEL_LIST: (Path("awesome-large-model-safety") / "README.md", large_model_list.parse),
}


class InputError(Exception):
    """The input cannot be read at all (missing folder or file): a usage problem."""


@dataclass
class ImportResult:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # parse errors (unparsed entries)
    merged: MergeResult | None = None
    verdicts: list[tuple[Paper, Verdict]] = field(default_factory=list)
    plans: list[Planned] = field(default_factory=list)
    rules: Rules | None = None
    existing: Existing | None = None
    errors: list[str] = field(default_factory=list)  # fatal, other than parse problems
    warnings: list[str] = field(default_factory=list)
    unclassified: list[Paper] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # list-sourced records no list paper matched
    written: bool = False
    dry_run: bool = False
    allow_unclassified: bool = False

    @property
    def fatal(self) -> bool:
        return bool(self.problems or self.errors or (self.unclassified and not self.allow_unclassified))


CORRECTIONS = Path(__file__).resolve().parent / "corrections.yaml"


def apply_corrections(entries: list[Entry], path: Path = CORRECTIONS) -> list[str]:
    """Replace facts the lists cut off (see corrections.yaml); returns one note per corrected entry."""
    if not path.is_file():
        return []
    fixes = {title_key(item["title"]): item for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []}
    notes = []
    for entry in entries:
        fix = fixes.get(title_key(entry.title))
        if fix and "authors" in fix:
            entry.authors = [split_given_family(name) for name in fix["authors"]]
            entry.authors_complete = True
            entry.warnings = [w for w in entry.warnings if "author" not in w]
            notes.append(f"{entry.where}: authors corrected from {path.name}")
    return notes


def read_lists(data_dir: Path) -> tuple[list[Entry], list[Problem]]:
    if not data_dir.is_dir():
        raise InputError(f"data folder {data_dir} not found (pass --data DIR)")
    entries: list[Entry] = []
    problems: list[Problem] = []
    for name in LISTS:
        rel, parser = LIST_FILES[name]
        path = data_dir / rel
        if not path.is_file():
            raise InputError(f"{path}: list file not found (expected {rel} under the data folder)")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc})") from exc
        got, probs = parser(text, rel.as_posix())
        entries.extend(got)
        problems.extend(probs)
    return entries, problems


def run_import(
    data_dir: Path,
    root: Path,
    *,
    dry_run: bool = False,
    allow_unclassified: bool = False,
    today: str | None = None,
    classify_dir: Path | None = None,
) -> ImportResult:
    res = ImportResult(dry_run=dry_run, allow_unclassified=allow_unclassified)
    today = today or dt.date.today().isoformat()
    res.entries, res.problems = read_lists(data_dir)
    res.warnings.extend(apply_corrections(res.entries))
    for e in res.entries:
        for w in e.warnings:
            m = re.match(r"line (\d+): (.*)", w)
            res.warnings.append(f"{e.path}:{m.group(1)}: {m.group(2)}" if m else f"{e.where}: {w}")
    res.merged = merge(res.entries)
    res.warnings.extend(res.merged.warnings)
    for a, b, ratio in res.merged.possible_duplicates:
        res.warnings.append(
            f"{a.where}: near-identical title to {b.where} (ratio {ratio:.2f}), but different arXiv ids; not merged"
        )
    res.rules = rules = load_rules(root, classify_dir)
    res.errors.extend(rules.errors)
    res.warnings.extend(rules.warnings)
    res.existing = existing = load_existing(root)
    res.errors.extend(existing.errors)
    seen_sections: set[tuple[str, str, str]] = set()
    for paper in res.merged.papers:
        verdict = classify(paper, rules)
        for entry in paper.entries:
            if rules.sections and rules.section_for(entry) is None:
                seen_sections.add((entry.list, entry.chapter, entry.heading))
        dropped = drop_unknown_references(verdict, existing.taxonomy_ids)
        res.warnings.extend(f"{paper.entries[0].where}: {paper.title[:60]!r}: {d}" for d in dropped)
        bad = unknown_ids(verdict, existing.taxonomy_ids)
        res.errors.extend(f"{paper.entries[0].where}: {paper.title[:60]!r}: {b}" for b in bad)
        if verdict.classified:
            res.verdicts.append((paper, verdict))
        else:
            res.unclassified.append(paper)
    for list_name, chapter, heading in sorted(seen_sections):
        where = f"{chapter} / {heading}" if chapter else heading
        res.warnings.append(f"{list_name}: section {where!r} missing from taxonomy/sections.yaml")
    res.warnings.extend(unused_per_paper(rules))
    res.plans, schema_errs = plan(res.verdicts, existing, root, today)
    res.errors.extend(schema_errs)
    # Records a list paper no longer matches (merged into another record, retitled, dropped upstream).
    # Unclassified papers get no plan, so their records would look unmatched: checked only without them.
    planned = {pl.rid for pl in res.plans}
    for rid, (path, data, _text) in sorted(existing.by_id.items()):
        listed = set(data.get("sources") or []) & set(LISTS)
        if rid not in planned and listed and not res.unclassified:
            res.unmatched.append(f"{path}: {rid} is sourced from {sorted(listed)} but matches no list paper "
                                 "(merged into another record, or dropped upstream?): check and delete it")
    if not dry_run and not res.fatal:
        apply(res.plans)
        res.written = True
    return res
