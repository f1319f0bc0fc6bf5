"""Result sets in: a results table (the CSV format of CONTRIBUTING.md) becomes result records, checked
by the validator against the whole knowledge base, then written atomically.

The pieces, shared by `scripts/add_results.py` (a contributor's table) and `scripts/import_results.py`
(the vendored transcription of the LVLM survey's evaluation, `safetykb.importer.lvlm_survey`):

- `read_table(text)`: the CSV as `Cell`s (system, setting, category, value, note), with the line of each;
  a malformed table raises `TableError` naming the line.
- `build(cells, spec, systems)`: one record per setting, systems named by id, name or alias, categories
  in the order they first appear; an unknown system raises `TableError` with "did you mean".
- `render(record)`: the record's YAML, every figure written exactly as the table gives it.
- `problems_in(root, texts)`: what scripts/validate.py reports for those files laid over the knowledge
  base (errors and warnings: duplicates across result sets, ranges, aggregates, references).
- `write(root, texts)`: each file through a temporary sibling and a rename.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetykb.core.fileio import write_atomic
from safetykb.core.layout import FOLDERS
from safetykb.core.problems import Problem, display_path
from safetykb.core.recordfile import Figure, editor_hint
from safetykb.core.recordfile import render as render_record
from safetykb.core.records import KnowledgeBase
from safetykb.core.schema import field_names
from safetykb.core.suggest import closest
from safetykb.core.validation import load_and_validate

EDITOR_HINT = editor_hint("result")
#: Columns of a results table: (name, required).
COLUMNS: tuple[tuple[str, bool], ...] = (("system", True), ("value", True), ("setting", False),
                                         ("category", False), ("note", False))
_FIGURE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


class TableError(ValueError):
    """A results table that cannot become records; the message names the line and the fix."""


@dataclass(frozen=True)
class Cell:
    """One figure of a results table: a system's headline value (category '') or one category's value."""

    line: int
    system: str
    setting: str
    category: str
    value: str
    note: str = ""


@dataclass
class Spec:
    """What a table does not say: the source, benchmark, metric and how the set is described."""

    source: str
    benchmark: str
    metric: dict[str, Any]
    setting: str | None = None  # when the table has no setting column
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # setting -> description / aliases
    category_label: str | None = None
    aggregate: str | None = None
    aggregate_label: str | None = None
    source_note: str | None = None
    source_url: str | None = None
    license: str | None = None
    notes: str | None = None
    id_prefix: str | None = None  # default: <source>-<benchmark>


def read_table(text: str, where: str = "table") -> list[Cell]:
    """The figures of a results table. Header row required; columns in COLUMNS (any order); blank
    lines are skipped; a figure is a decimal number as published (46.71, 100.00, 7)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or not any(c.strip() for c in rows[0]):
        raise TableError(f"{where}:1: empty table: the first line names the columns (system,value,...)")
    header = [c.strip().lower() for c in rows[0]]
    known = [name for name, _required in COLUMNS]
    for col, name in enumerate(header, 1):
        if name not in known:
            near = closest(name, known)
            hint = f"; did you mean '{near}'?" if near else f"; the columns are {', '.join(known)}"
            raise TableError(f"{where}:1: unknown column '{rows[0][col - 1].strip()}'{hint}")
    if len(set(header)) != len(header):
        raise TableError(f"{where}:1: a column is named twice")
    for name, required in COLUMNS:
        if required and name not in header:
            raise TableError(f"{where}:1: missing column '{name}' (columns: {', '.join(known)})")
    cells: list[Cell] = []
    for line, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise TableError(f"{where}:{line}: {len(row)} fields where the header has {len(header)}")
        data = {name: value.strip() for name, value in zip(header, row, strict=True)}
        if not data["system"]:
            raise TableError(f"{where}:{line}: no system: name the evaluated system (id, name or alias)")
        if not _FIGURE.match(data["value"]):
            raise TableError(f"{where}:{line}: value '{data['value']}' is not a number: write it as published "
                             "(for example 46.71), without % or other signs")
        cells.append(Cell(line, data["system"], data.get("setting", ""), data.get("category", ""), data["value"],
                          data.get("note", "")))
    if not cells:
        raise TableError(f"{where}: the table has a header but no figures")
    return cells


def system_names(kb: KnowledgeBase) -> dict[str, str]:
    """Lowercased id, name and alias of every evaluated system -> its id."""
    names: dict[str, str] = {}
    for system_id, record in kb.of("system").items():
        for word in (system_id, record.get("name"), *(record.get("aliases") or [])):
            if isinstance(word, str):
                names.setdefault(word.strip().lower(), system_id)
    return names


def resolve_system(name: str, names: dict[str, str], where: str) -> str:
    found = names.get(name.strip().lower())
    if found:
        return found
    near = closest(name.lower(), list(names))
    hint = f"; did you mean '{names[near]}'?" if near else ""
    raise TableError(f"{where}: unknown evaluated system '{name}'{hint} (add it as "
                     f"taxonomy/systems/<id>.yaml first, or name it by an existing id, name or alias)")


def slug(text: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) or "all"


def build(cells: list[Cell], spec: Spec, systems: dict[str, str], where: str = "table") -> list[dict[str, Any]]:
    """One result record per setting, in the order settings first appear."""
    by_setting: dict[str, list[Cell]] = {}
    for cell in cells:
        setting = cell.setting or spec.setting
        if not setting:
            raise TableError(f"{where}:{cell.line}: no setting: add a `setting` column or give --setting")
        by_setting.setdefault(setting, []).append(cell)
    records = []
    order = field_names("result")
    for setting, group in by_setting.items():
        record: dict[str, Any] = {
            "id": f"{spec.id_prefix or f'{spec.source}-{spec.benchmark}'}-{slug(setting)}",
            "source": spec.source, "benchmark": spec.benchmark, "setting": setting,
            **{k: v for k, v in (spec.settings.get(setting) or {}).items() if v},
            "metric": spec.metric,
        }
        categories = list(dict.fromkeys(c.category for c in group if c.category))
        if categories:
            record.update(categories=categories, category_label=spec.category_label, aggregate=spec.aggregate,
                          aggregate_label=spec.aggregate_label)
        entries: dict[str, dict[str, Any]] = {}
        for cell in group:
            system = resolve_system(cell.system, systems, f"{where}:{cell.line}")
            entry = entries.setdefault(system, {"system": system})
            if cell.category:
                by_category = entry.setdefault("by_category", {})
                if cell.category in by_category:
                    raise TableError(f"{where}:{cell.line}: '{cell.system}' has two figures for {setting} / "
                                     f"{cell.category}: keep one")
                by_category[cell.category] = Figure(cell.value)
            else:
                if "value" in entry:
                    raise TableError(f"{where}:{cell.line}: '{cell.system}' has two figures for {setting}: keep one "
                                     "(a category's figure goes in the `category` column)")
                entry["value"] = Figure(cell.value)
            if cell.note:
                entry["note"] = cell.note
        for system, entry in entries.items():
            if "value" not in entry:
                line = next(c.line for c in group if systems.get(c.system.lower()) == system)
                raise TableError(f"{where}:{line}: '{system}' has no headline figure for {setting}: add a row with an "
                                 "empty category holding the source's own figure (its total or average)")
        record["values"] = [_entry_order(e) for e in entries.values()]
        record.update(source_note=spec.source_note, source_url=spec.source_url, license=spec.license,
                      notes=spec.notes)
        records.append({k: record[k] for k in order if record.get(k) not in (None, "", [], {})})
    return records


def _entry_order(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in ("system", "value", "by_category", "note") if k in entry}


def render(record: dict[str, Any]) -> str:
    """A result record's file text, figures as published (safetykb.core.recordfile)."""
    return render_record(record, "result")


def record_path(root: Path, record_id: str) -> Path:
    return root / FOLDERS["result"] / f"{record_id}.yaml"


def problems_in(root: Path, texts: dict[Path, str]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) scripts/validate.py would print for the files `texts` (path -> text) written
    into the knowledge base at root; other result files at those paths are replaced, the rest kept."""
    root = root.resolve()
    results = root / FOLDERS["result"]
    with tempfile.TemporaryDirectory(prefix="safetykb-results-") as tmp:
        overlay = Path(tmp)
        # copies, not links: the validator never follows a link out of the knowledge base it checks
        for name in ("papers", "taxonomy"):
            if (root / name).is_dir():
                shutil.copytree(root / name, overlay / name)
        (overlay / FOLDERS["result"]).mkdir()
        shown: dict[str, str] = {}
        trials = []
        for path, text in texts.items():
            trial = overlay / path.resolve().relative_to(root)
            trial.write_text(text, encoding="utf-8")
            trials.append(trial)
            shown[display_path(trial)] = display_path(path)
        if results.is_dir():
            for existing in results.iterdir():
                link = overlay / FOLDERS["result"] / existing.name
                if existing.is_file() and not link.exists():
                    shutil.copyfile(existing, link)
        result = load_and_validate(overlay, only=trials)

        def back(problem: Problem) -> Problem:
            path = shown.get(problem.path, problem.path)
            return Problem(path, problem.line, problem.col, problem.message, problem.severity)

        return [back(p) for p in result.problems], [back(p) for p in result.warnings]


def figures(record: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(system, category or '', figure as published) for every figure of a record (for reports and tests)."""
    out = []
    for entry in record.get("values") or []:
        out.append((entry["system"], "", str(entry["value"])))
        for category, value in (entry.get("by_category") or {}).items():
            out.append((entry["system"], category, str(value)))
    return out


def write(texts: dict[Path, str]) -> list[Path]:
    """Write every file whose text differs from what is on disk; the written paths."""
    written = []
    for path, text in texts.items():
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        write_atomic(path, text)
        written.append(path)
    return written


def annotate_aggregates(record: dict[str, Any]) -> None:
    """Give each value whose published aggregate disagrees with its categories beyond rounding a `note`
    saying so (the figure itself is kept); the validator still warns about it."""
    from safetykb.core.results import categories, number, recomputed, rounded, tolerance

    label = record.get("aggregate_label") or record.get("aggregate") or "aggregate"
    for entry in record.get("values") or []:
        published, computed = number(entry.get("value")), recomputed(record, entry)
        if published is None or computed is None or abs(published - computed) <= tolerance(record, entry):
            continue
        how = f"{record['aggregate']} of its {len(categories(record))} {record.get('category_label') or 'categorie'}s"
        entry["note"] = (f"The source's {label} ({entry['value']}) is not the {how} "
                         f"({rounded(computed, entry['value'])}); kept as published.")
