"""Classification of merged papers: section rules from taxonomy/sections.yaml, overridden
by per-paper entries from safetykb/importer/classify/*.yaml.

Section rule by ``role``: attack -> contribution [attack], attacks = threats;
defense -> contribution [defense], defenses = section defaults, counters = threats;
benchmark -> contribution [benchmark], evaluates = threats; analysis ->
contribution [analysis], evaluates = threats; mixed, or a rule missing the ids it
needs, decides nothing. A per-paper entry (matched by list and title key) replaces
the rule for that list entry. A paper filed in several places gets the union. A
paper with none of attacks, defenses, evaluates, and not a background paper, is
unclassified (a defense may leave counters out: a general defense has no specific threat).
Both data files are read at run time; either may be absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetykb.core.schema import schema
from safetykb.core.yamlsafe import read_yaml
from safetykb.importer import LARGE_MODEL_LIST, LISTS
from safetykb.importer.merge import Paper
from safetykb.importer.model import Entry
from safetykb.importer.text import title_key

ROLES = {"attack", "defense", "mixed", "benchmark", "analysis"}
CONTRIBUTIONS = set(schema("paper")["properties"]["contribution"]["items"]["enum"])
LIST_FIELDS = ("contribution", "attacks", "defenses", "counters", "evaluates", "models", "introduces", "uses")
SCALAR_FIELDS = ("method", "threat_model")
VERDICT_LISTS = ("contribution", "attacks", "defenses", "counters", "evaluates", "introduces", "uses")
CLASSIFY_KEYS = {"title", "list", *LIST_FIELDS, *SCALAR_FIELDS, "note", "notes"}
TAXONOMY_FIELDS = {
    "attacks": "attacks",
    "counters": "attacks",
    "evaluates": "attacks",
    "defenses": "defenses",
    "models": "models",
}
# Short chapter names, used for labels only when sections.yaml does not list a section.
CHAPTER_SHORT = {
    "vision foundation model safety": "VFM",
    "large language model safety": "LLM",
    "vision-language pre-training model safety": "VLP",
    "vision language model safety": "VLM",
    "vison language model safety": "VLM",
    "diffusion models safety": "DM",
    "agent safety": "Agent",
}


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass
class Section:
    list: str
    chapter: str
    heading: str
    label: str
    models: list[str]
    role: str
    threats: list[str]
    defenses: list[str]


@dataclass
class Verdict:
    """Classification of one paper."""

    models: list[str] = field(default_factory=list)
    contribution: list[str] = field(default_factory=list)
    attacks: list[str] = field(default_factory=list)
    defenses: list[str] = field(default_factory=list)
    counters: list[str] = field(default_factory=list)
    evaluates: list[str] = field(default_factory=list)
    introduces: list[str] = field(default_factory=list)
    uses: list[str] = field(default_factory=list)
    method: str | None = None
    threat_model: str | None = None
    filed_under: dict[str, list[str]] = field(default_factory=dict)
    per_paper: bool = False  # a classify/ entry was used

    @property
    def classified(self) -> bool:
        said = self.attacks or self.defenses or self.evaluates or "background" in self.contribution
        return bool(said) and bool(self.models and self.contribution)

    def add(self, name: str, values: list[str]) -> None:
        target: list[str] = getattr(self, name)
        for v in values:
            if v not in target:
                target.append(v)


@dataclass
class Rules:
    """Loaded classification data plus the problems found in it."""

    sections: dict[tuple[str, str, str], Section] = field(default_factory=dict)
    per_paper: dict[tuple[str | None, str], list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sections_path: Path | None = None
    used: set[tuple[str | None, str]] = field(default_factory=set)

    def section_for(self, entry: Entry) -> Section | None:
        return self.sections.get((entry.list, _norm(entry.chapter), _norm(entry.heading)))

    def label_for(self, entry: Entry) -> str:
        return self.label_of(entry.list, entry.chapter, entry.heading)

    def label_of(self, list_name: str, chapter: str, heading: str) -> str:
        section = self.sections.get((list_name, _norm(chapter), _norm(heading)))
        if section is not None:
            return section.label
        if list_name == LARGE_MODEL_LIST and chapter:
            short = CHAPTER_SHORT.get(_norm(chapter), chapter)
            return f"{short} / {heading}"
        return heading or "(before any section)"


def _str_list(value: Any, where: str, key: str, errors: list[str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        errors.append(f"{where}: '{key}' must be a list of non-empty strings")
        return []
    return list(value)


def load_sections(path: Path, rules: Rules) -> None:
    if not path.is_file():
        rules.warnings.append(f"{path}: not found; no section rules (every paper needs a classify/ entry)")
        return
    rules.sections_path = path
    data, error = read_yaml(path)  # the validator's reader: duplicate keys, depth and size refused
    if error is not None:
        rules.errors.append(f"{path}:{error.line}:{error.col}: {error.message}")
        return
    if not isinstance(data, dict):
        rules.errors.append(f"{path}: expected a mapping of list name -> {{survey, sections}}")
        return
    for list_name, block in data.items():
        if list_name not in LISTS:
            rules.warnings.append(f"{path}: unknown list {list_name!r} ignored")
            continue
        sections = block.get("sections") if isinstance(block, dict) else None
        if not isinstance(sections, list):
            rules.errors.append(f"{path}: {list_name}: 'sections' must be a list")
            continue
        for n, sec in enumerate(sections, start=1):
            where = f"{path}: {list_name} section #{n}"
            if not isinstance(sec, dict) or not sec.get("heading"):
                rules.errors.append(f"{where}: needs at least 'heading'")
                continue
            role = sec.get("role", "mixed")
            if role not in ROLES:
                rules.errors.append(f"{where}: role {role!r} not one of {sorted(ROLES)}")
                continue
            chapter = str(sec.get("chapter") or "") if list_name == LARGE_MODEL_LIST else ""
            heading = str(sec["heading"])
            section = Section(
                list=list_name,
                chapter=chapter,
                heading=heading,
                label=str(sec.get("label") or heading),
                models=_str_list(sec.get("models"), where, "models", rules.errors),
                role=role,
                threats=_str_list(sec.get("threats"), where, "threats", rules.errors),
                defenses=_str_list(sec.get("defenses"), where, "defenses", rules.errors),
            )
            key = (list_name, _norm(chapter), _norm(heading))
            if key in rules.sections:
                rules.errors.append(f"{where}: section {chapter!r} / {heading!r} listed twice")
            rules.sections[key] = section


def load_per_paper(folder: Path, rules: Rules) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        data, error = read_yaml(path)  # a title's classification written twice must not vanish silently
        if error is not None:
            rules.errors.append(f"{path}:{error.line}:{error.col}: {error.message}")
            continue
        if data is None:
            continue
        if not isinstance(data, list):
            rules.errors.append(f"{path}: expected a list of entries")
            continue
        for n, item in enumerate(data, start=1):
            where = f"{path}: entry #{n}"
            if not isinstance(item, dict) or not isinstance(item.get("title"), str):
                rules.errors.append(f"{where}: needs a 'title' string")
                continue
            unknown = sorted(set(item) - CLASSIFY_KEYS)
            if unknown:
                rules.errors.append(f"{where}: unknown keys {unknown}")
                continue
            list_name = item.get("list")
            if list_name is not None and list_name not in LISTS:
                rules.errors.append(f"{where}: list {list_name!r} not one of {list(LISTS)}")
                continue
            clean: dict[str, Any] = {}
            for key in LIST_FIELDS:
                if key in item:
                    clean[key] = _str_list(item[key], where, key, rules.errors)
            for key in SCALAR_FIELDS:
                if item.get(key) is not None:
                    clean[key] = str(item[key])
            bad = sorted(set(clean.get("contribution", [])) - CONTRIBUTIONS)
            if bad:
                rules.errors.append(f"{where}: unknown contribution {bad}")
            key = (list_name, title_key(item["title"]))
            rules.per_paper.setdefault(key, []).append((f"{where} ({item['title'][:60]!r})", clean))


def load_rules(root: Path, classify_dir: Path | None = None) -> Rules:
    rules = Rules()
    load_sections(root / "taxonomy" / "sections.yaml", rules)
    if classify_dir is None:
        classify_dir = root / "safetykb" / "importer" / "classify"
    load_per_paper(classify_dir, rules)
    for items in rules.per_paper.values():
        if len(items) > 1:
            rules.warnings.append(
                "several classify entries for one title (their union is used): " + "; ".join(w for w, _ in items)
            )
    return rules


def _apply_section(verdict: Verdict, section: Section) -> None:
    role = section.role
    if role == "attack" and section.threats:
        verdict.add("contribution", ["attack"])
        verdict.add("attacks", section.threats)
    elif role == "defense" and section.threats and section.defenses:
        verdict.add("contribution", ["defense"])
        verdict.add("defenses", section.defenses)
        verdict.add("counters", section.threats)
    elif role in ("benchmark", "analysis") and section.threats:
        verdict.add("contribution", [role])
        verdict.add("evaluates", section.threats)


def classify(paper: Paper, rules: Rules) -> Verdict:
    """Verdict for one paper from all its entries."""
    verdict = Verdict()
    for entry in paper.entries:
        verdict.filed_under.setdefault(entry.list, [])
        label = rules.label_for(entry)
        if label not in verdict.filed_under[entry.list]:
            verdict.filed_under[entry.list].append(label)
        section = rules.section_for(entry)
        key = title_key(entry.title)
        items = rules.per_paper.get((entry.list, key), []) + rules.per_paper.get((None, key), [])
        if items:
            verdict.per_paper = True
            for lookup in ((entry.list, key), (None, key)):
                if lookup in rules.per_paper:
                    rules.used.add(lookup)
            for _, item in items:
                models = item.get("models") or (section.models if section else [])
                verdict.add("models", models)
                for name in VERDICT_LISTS:
                    verdict.add(name, item.get(name, []))
                verdict.method = verdict.method or item.get("method")
                verdict.threat_model = verdict.threat_model or item.get("threat_model")
        elif section is not None:
            verdict.add("models", section.models)
            _apply_section(verdict, section)
    verdict.filed_under = {name: verdict.filed_under[name] for name in LISTS if name in verdict.filed_under}
    return verdict


def unused_per_paper(rules: Rules) -> list[str]:
    """Classify entries that matched no list entry (a typo in the title, or the wrong list)."""
    out = []
    for key, items in rules.per_paper.items():
        if key not in rules.used:
            out.extend(f"{where}: matches no entry of {key[0] or 'either list'}" for where, _ in items)
    return out


def drop_unknown_references(verdict: Verdict, known: dict[str, set[str]]) -> list[str]:
    """Remove ``introduces``/``uses`` ids that have no dataset or benchmark record yet (checked only
    once such records exist); return a message per id. A re-run picks them up once the records exist."""
    ids = known.get("datasets", set()) | known.get("benchmarks", set())
    if not ids:
        return []
    out = []
    for name in ("introduces", "uses"):
        values: list[str] = getattr(verdict, name)
        missing = [v for v in values if v not in ids]
        if missing:
            setattr(verdict, name, [v for v in values if v in ids])
            out.extend(f"{name}: no dataset/benchmark record {v!r}; left out until one exists" for v in missing)
    return out


def unknown_ids(verdict: Verdict, known: dict[str, set[str]]) -> list[str]:
    """Ids in the verdict missing from the taxonomy (checked only for kinds that have records)."""
    out = []
    for name, kind in TAXONOMY_FIELDS.items():
        ids = known.get(kind)
        if not ids:
            continue
        out.extend(f"{name}: unknown {kind[:-1]} id {v!r}" for v in getattr(verdict, name) if v not in ids)
    return out
