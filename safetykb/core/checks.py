"""Checks across records: ids and file names, folders, references, trees, links, duplicates, result sets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetykb.core.chars import describe, first_forbidden, has_forbidden
from safetykb.core.duplicates import arxiv_key, duplicates_of, find_duplicates, valid_arxiv, valid_doi
from safetykb.core.layout import TREE_KINDS
from safetykb.core.problems import ERROR, WARNING, display_path
from safetykb.core.records import KIND_WORDS, REFERENCES, KnowledgeBase, former_index, ref_items, ref_values
from safetykb.core.schema import Pointer
from safetykb.core.suggest import closest
from safetykb.metadata.casing import miscased

#: Problems reported for one field of one record; past it, one line says how many more there are. A
#: 250 kB record listing 12,000 unknown ids took seconds of "did you mean" searches, for a report no one reads.
MAX_PER_FIELD = 20


@dataclass(frozen=True)
class Finding:
    """A problem in one record at a key path, before it is given a line number."""

    path: Path
    pointer: Pointer
    message: str
    severity: str = ERROR


def check_file_identity(kind: str, path: Path, record: dict[str, Any], root: Path) -> Iterator[Finding]:
    """The id matches the file name, the extension is .yaml, and a paper sits in its year's folder."""
    record_id = record.get("id")
    if path.suffix != ".yaml":
        yield Finding(path, (), f"record files end in .yaml: rename to {path.stem}.yaml")
    if isinstance(record_id, str) and record_id != path.stem:
        yield Finding(
            path,
            ("id",),
            f"id '{record_id}' does not match the file name '{path.name}': "
            f"rename the file to {record_id}.yaml or set `id: {path.stem}`",
        )
    if kind == "paper":
        try:
            parts = path.relative_to(root / "papers").parts
        except ValueError:
            parts = ()
        year = record.get("year")
        if len(parts) != 2:
            where = f"papers/{year}/" if isinstance(year, int) else "papers/<year>/"
            yield Finding(path, (), f"paper records live in {where}<id>.yaml: move this file there")
        elif isinstance(year, int) and parts[0] != str(year):
            yield Finding(
                path,
                ("year",),
                f"year {year} does not agree with the folder papers/{parts[0]}/: "
                f"move the file to papers/{year}/ or correct the year",
            )


def check_fields(path: Path, record: dict[str, Any]) -> Iterator[Finding]:
    """Field forms the schema cannot express: arXiv ids, DOIs, a date within the year; and a warning for
    a title that spells a term of the casing table in another case."""
    date, year = record.get("date"), record.get("year")
    if isinstance(date, str) and isinstance(year, int) and date[:4].isdigit() and int(date[:4]) != year:
        yield Finding(
            path,
            ("date",),
            f"date {date} is not in year {year}: `year` is the year of the first public version, the year of `date`",
        )
    title = record.get("title")
    wrong = miscased(title) if isinstance(title, str) else []
    if wrong:
        pairs = ", ".join(f"'{found}' -> '{canonical}'" for found, canonical in dict.fromkeys(wrong))
        yield Finding(
            path,
            ("title",),
            f"title spells {'a known term' if len(wrong) == 1 else 'known terms'} in another case ({pairs}): "
            "write them as the casing table safetykb/metadata/casing.yaml does, "
            "or run scripts/refresh.py --casing-only",
            WARNING,
        )
    links = record.get("links")
    if not isinstance(links, dict):
        return
    arxiv = links.get("arxiv")
    if isinstance(arxiv, str) and not valid_arxiv(arxiv):
        bare = arxiv_key(arxiv)
        hint = f": write the bare id '{bare}'" if valid_arxiv(bare) else ": expected a form like 2311.05608"
        yield Finding(path, ("links", "arxiv"), f"'{arxiv}' is not a valid arXiv id{hint}")
    doi = links.get("doi")
    if isinstance(doi, str) and not valid_doi(doi):
        bare = doi.split("doi.org/")[-1]
        hint = f": write the bare DOI '{bare}'" if valid_doi(bare) else ": expected a form like 10.1145/3576915.3623156"
        yield Finding(path, ("links", "doi"), f"'{doi}' is not a valid DOI{hint}")


def check_characters(path: Path, record: dict[str, Any], text: str) -> Iterator[Finding]:
    """No control character (ESC, BEL, NUL, tab...), invisible formatting character (bidi override,
    zero-width space) or line separator in any key or value: they drive terminals and hide or reorder
    text from reviewers (safetykb.core.chars). Only a double-quoted escape can produce one that the text
    does not show, so a file with neither costs one search."""
    if "\\" not in text and not has_forbidden(text):
        return
    yield from _forbidden_in(path, record, ())


def _forbidden_in(path: Path, value: Any, pointer: Pointer) -> Iterator[Finding]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and first_forbidden(key) is not None:
                yield Finding(path, (*pointer, f"<{key}>"), _forbidden_message("a key", key))
            yield from _forbidden_in(path, item, (*pointer, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _forbidden_in(path, item, (*pointer, i))
    elif isinstance(value, str) and first_forbidden(value) is not None:
        yield Finding(path, pointer, _forbidden_message(_field(pointer), value))


def _forbidden_message(where: str, text: str) -> str:
    at = first_forbidden(text) or 0
    fix = "write a space instead" if text[at] == "\t" else "delete it"
    return (f"{where} holds the character {describe(text[at])} at position {at + 1}: control and invisible "
            f"characters are not allowed in records; {fix}")


def _field(pointer: Pointer) -> str:
    text = ""
    for step in pointer:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return f"`{text}`" if text else "the record"


class CrossChecker:
    """Checks that need every record: unique ids, references, trees and duplicates."""

    def __init__(self, kb: KnowledgeBase, paths: dict[tuple[str, str], Path],
                 unreadable: set[str] | frozenset[str] = frozenset()) -> None:
        self.kb = kb
        self.paths = paths  # (kind, id) -> file
        self.aliases = _alias_index(kb)
        self.former = former_index(sorted(kb.papers.items()))
        #: Names of files that could not be read: a reference to one is not reported as unknown, since
        #: the file's own error says what to fix (one YAML typo must not bury it under false errors).
        self.unreadable = unreadable
        self.scope: set[Path] | None = None  # set by run()

    def run(self, seen_ids: dict[str, list[tuple[str, Path]]], scope: set[Path] | None = None) -> Iterator[Finding]:
        """Every finding; with a scope, only the findings in those files (the same ones), skipping the work
        for records outside it where a check goes record by record."""
        self.scope = scope
        for finding in self._run(seen_ids):
            if scope is None or finding.path in scope:
                yield finding

    def _run(self, seen_ids: dict[str, list[tuple[str, Path]]]) -> Iterator[Finding]:
        yield from self._unique_ids(seen_ids)
        yield from self._former_ids()
        yield from self._references()
        yield from self._cycles()
        yield from self._duplicates()
        yield from classification_findings(self.kb, self.paths, self.scope)
        yield from check_contributions(self.kb, self.paths)
        from safetykb.core.result_checks import check_results  # it builds on Finding, defined here

        yield from check_results(self.kb, self.paths)

    def _in_scope(self, kind: str, record_id: str) -> bool:
        return self.scope is None or self.paths[(kind, record_id)] in self.scope

    def _unique_ids(self, seen_ids: dict[str, list[tuple[str, Path]]]) -> Iterator[Finding]:
        for record_id, places in seen_ids.items():
            if len(places) < 2:
                continue
            first_kind, first_path = places[0]
            for _kind, path in places[1:]:
                yield Finding(
                    path,
                    ("id",),
                    f"id '{record_id}' is already used by {display_path(first_path)} "
                    f"({KIND_WORDS[first_kind]}): ids are unique across the knowledge base",
                )

    def _former_ids(self) -> Iterator[Finding]:
        """A former id stays with one paper for good: never an id in use, never claimed by two papers."""
        for paper_id, record in sorted(self.kb.papers.items()):
            if not self._in_scope("paper", paper_id):
                continue
            path = self.paths[("paper", paper_id)]
            for i, old in enumerate(record.get("former_ids") or []):
                if not isinstance(old, str):
                    continue
                kind = self.kb.kind_of(old)
                if kind is not None:
                    where = display_path(self.paths[(kind, old)])
                    yield Finding(path, ("former_ids", i),
                                  f"former id '{old}' is in use by {where} ({KIND_WORDS[kind]}): an old id redirects "
                                  "to this paper and is never reused; remove it from former_ids")
                elif self.former.get(old) != paper_id:
                    yield Finding(path, ("former_ids", i),
                                  f"former id '{old}' is already a former id of '{self.former[old]}': "
                                  "an old address leads to one paper only; remove it here")

    def _references(self) -> Iterator[Finding]:
        for kind, fields in REFERENCES.items():
            for record_id, record in self.kb.of(kind).items():
                if not self._in_scope(kind, record_id):
                    continue
                path = self.paths[(kind, record_id)]
                for field, targets in fields.items():
                    items = list(ref_items(record, field))
                    found = 0
                    for pointer, target in items:
                        message = self._resolve(target, targets, field.rpartition(".")[2], record_id)
                        if not message:
                            continue
                        found += 1
                        if found > MAX_PER_FIELD:  # each message searches for a suggestion: bounded work
                            yield Finding(path, pointer, f"and more: `{field}` lists {len(items):,} ids and only the "
                                                         f"first {MAX_PER_FIELD} problems are listed; fix those first")
                            break
                        yield Finding(path, pointer, message)

    def _resolve(self, target: str, kinds: tuple[str, ...], field: str, owner: str) -> str | None:
        actual = self.kb.kind_of(target)
        want = " or ".join(KIND_WORDS[k] for k in kinds)
        if actual in kinds:
            if field == "parent" and target == owner:
                return f"'{target}' cannot be its own parent"
            return None
        if actual is not None:
            return f"'{target}' is {_a(KIND_WORDS[actual])}, not {_a(want)} (`{field}` takes {want} ids)"
        if target in self.unreadable:
            return None
        renamed = self.former.get(target) if "paper" in kinds else None
        if renamed:
            return f"'{target}' is a former id of '{renamed}' (the paper was renamed): use '{renamed}'"
        alias_of = self.aliases.get(target.lower())
        if alias_of and self.kb.kind_of(alias_of) in kinds:
            return f"unknown {want} '{target}': it is an alias, use the id '{alias_of}'"
        choices = [i for k in kinds for i in self.kb.of(k)]
        best = closest(target, choices)
        hint = f"; did you mean '{best}'?" if best else ""
        return f"unknown {want} '{target}'{hint}"

    def _cycles(self) -> Iterator[Finding]:
        for kind in TREE_KINDS:
            nodes = self.kb.of(kind)
            reported: set[str] = set()
            for start in sorted(nodes):
                chain = [start]
                current = start
                while True:
                    parent = nodes.get(current, {}).get("parent")
                    if not isinstance(parent, str) or parent not in nodes or parent == current:
                        break
                    if parent in chain:
                        loop = chain[chain.index(parent) :]
                        for node in loop:
                            if node not in reported:
                                reported.add(node)
                                text = " -> ".join([*loop[loop.index(node) :], *loop[: loop.index(node)], node])
                                yield Finding(
                                    self.paths[(kind, node)],
                                    ("parent",),
                                    f"the {KIND_WORDS[kind]} tree has a cycle: {text}; "
                                    "one of these needs another parent",
                                )
                        break
                    chain.append(parent)
                    current = parent

    def _duplicates(self) -> Iterator[Finding]:
        papers = sorted(self.kb.papers.items())
        if self.scope is None:
            found = find_duplicates(papers)
        else:
            found = duplicates_of(papers, {i for i, _r in papers if self._in_scope("paper", i)})
        for dup in found:
            path = self.paths[("paper", dup.later)]
            first = display_path(self.paths[("paper", dup.earlier)])
            pointer: Pointer = tuple(dup.field.split("."))
            hint = (
                " (if they are different papers, add `not_duplicate_of: [" + dup.earlier + "]`)"
                if "near" in dup.reason or "prefix" in dup.reason
                else ""
            )
            yield Finding(
                path,
                pointer,
                f"duplicate paper: {dup.reason} as '{dup.earlier}' ({first}); merge the two records{hint}",
            )


def check_contributions(kb: KnowledgeBase, paths: dict[tuple[str, str], Path]) -> Iterator[Finding]:
    """What a paper's `contribution` commits it to, and the two ends of `introduces` / `introduced_in`.

    A paper that proposes attack types (`attacks`) contributes an attack, one that proposes defense types
    a defense; a benchmark or dataset paper names what it releases (`introduces`), and a dataset or
    benchmark and the paper that introduces it name each other.
    """
    words = {"attacks": ("attack", "a threat the paper only evaluates goes in `evaluates`"),
             "defenses": ("defense", "a paper that only evaluates defenses lists none")}
    for paper_id, paper in kb.papers.items():
        path = paths[("paper", paper_id)]
        contribution = paper.get("contribution") if isinstance(paper.get("contribution"), list) else []
        for field, (word, otherwise) in words.items():
            if paper.get(field) and word not in contribution:
                yield Finding(path, ("contribution",),
                              f"`{field}` lists the {word} types the paper proposes, so `contribution` includes "
                              f"{word}: add it ({otherwise})")
        released = [c for c in contribution if c in ("benchmark", "dataset")]
        if released and not paper.get("introduces"):
            yield Finding(path, ("contribution",),
                          f"a {released[0]} paper names the {released[0]} it releases: add `introduces: [id]`, "
                          f"the id of its record in taxonomy/{released[0]}s/ (create it, with `introduced_in: "
                          f"{paper_id}`, if it is new)")
        introduces = paper.get("introduces")
        for i, target in enumerate(introduces if isinstance(introduces, list) else []):
            kind = kb.kind_of(target) if isinstance(target, str) else None
            if kind not in ("dataset", "benchmark"):
                continue  # an unknown or wrong-kind reference is reported by _references
            introduced_in = kb.of(kind)[target].get("introduced_in")
            if introduced_in == paper_id:
                continue
            where = display_path(paths[(kind, target)])
            fix = (f"add `introduced_in: {paper_id}` to {where}" if introduced_in is None else
                   f"{where} says it was introduced in '{introduced_in}': correct one of the two")
            yield Finding(path, ("introduces", i), f"'{target}' is introduced here but its record does not "
                                                   f"point back: {fix}")
    for kind in ("dataset", "benchmark"):
        for record_id, record in kb.of(kind).items():
            ref = record.get("introduced_in")
            paper = kb.papers.get(ref) if isinstance(ref, str) else None
            introduces = paper.get("introduces") if paper is not None else None
            if paper is not None and record_id not in (introduces if isinstance(introduces, list) else []):
                yield Finding(paths[(kind, record_id)], ("introduced_in",),
                              f"paper '{record['introduced_in']}' does not list '{record_id}' in `introduces`: "
                              f"add it there ({display_path(paths[('paper', record['introduced_in'])])})")


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _alias_index(kb: KnowledgeBase) -> dict[str, str]:
    index: dict[str, str] = {}
    for kind in ("model", "attack", "defense", "dataset", "benchmark", "system"):
        for record_id, record in kb.of(kind).items():
            for alias in record.get("aliases") or []:
                if isinstance(alias, str):
                    index.setdefault(alias.lower(), record_id)
            if isinstance(record.get("name"), str):
                index.setdefault(record["name"].lower(), record_id)
    return index


# ---------------------------------------------------------------- classification rules (warnings)

#: Paper fields that say which threats a paper is about; a background paper has none of them.
THREAT_FIELDS = ("attacks", "defenses", "counters", "evaluates")


def _lineage(nodes: dict[str, dict[str, Any]], node: str) -> list[str]:
    """A tree node, then its parent, grandparent, ... (stops at a cycle or an unknown id)."""
    chain = [node]
    while True:
        parent = nodes.get(chain[-1], {}).get("parent")
        if not isinstance(parent, str) or parent not in nodes or parent in chain:
            return chain
        chain.append(parent)


def classification_findings(kb: KnowledgeBase, paths: dict[tuple[str, str], Path],
                            scope: set[Path] | None = None) -> Iterator[Finding]:
    """Warnings for the classification rules of CONTRIBUTING.md that records can show broken:

    - a defense paper counters an attack type that none of its defense types counters (a defense type
      covers what it and its parent types counter, with their subtypes): the defense type or the
      counters are probably wrong;
    - a defense paper without counters whose defense types are all specific (none is `general`): it
      should name the threat it defends against and evaluates against;
    - a background paper with attacks, defenses, counters or evaluates: background studies no threat.

    With a scope, only the papers whose files are in it.
    """
    attacks, defenses = kb.of("attack"), kb.of("defense")
    for paper_id, paper in sorted(kb.papers.items()):
        path = paths[("paper", paper_id)]
        if scope is not None and path not in scope:
            continue
        types = [t for t in ref_values(paper.get("defenses")) if t in defenses]
        if "background" in ref_values(paper.get("contribution")):
            for field in THREAT_FIELDS:
                if ref_values(paper.get(field)):
                    yield Finding(path, (field,), f"a background paper has no `{field}`: background papers study "
                                  "no threat; remove the field, or change the contribution if the paper does study "
                                  "one (CONTRIBUTING.md, 'Classifying a paper')", WARNING)
            continue
        if not types:
            continue
        covered: dict[str, list[str]] = {}  # attack type -> the defense types that counter it
        for kind in types:
            for owner in _lineage(defenses, kind):
                for attack in ref_values(defenses[owner].get("counters")):
                    covered.setdefault(attack, []).append(kind)
        counters = paper.get("counters")
        values = ref_values(counters)
        for i, attack in enumerate(values):
            if attack not in attacks or set(_lineage(attacks, attack)) & set(covered):
                continue
            pointer: Pointer = ("counters", i) if isinstance(counters, list) else ("counters",)
            names = ", ".join(f"{t} ({', '.join(ref_values(defenses[t].get('counters'))) or 'nothing'})" for t in types)
            yield Finding(path, pointer, f"counters '{attack}', which none of its defense types counters: {names}; "
                          f"choose the defense type by mechanism, or drop '{attack}' if the paper does not defend "
                          "against it (CONTRIBUTING.md, 'Classifying a paper')", WARNING)
        if not values and not any(defenses[t].get("general") for t in types):
            general = sorted(d for d, rec in defenses.items() if rec.get("general"))
            yield Finding(path, ("defenses",), f"a defense without `counters`, but {', '.join(types)} "
                          f"{'is' if len(types) == 1 else 'are'} not a general defense type: name the attack types "
                          f"it defends against and evaluates against in `counters` (only {', '.join(general)} "
                          "may go without)", WARNING)
