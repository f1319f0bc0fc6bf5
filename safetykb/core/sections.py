"""taxonomy/sections.yaml, the section map of the seed lists, checked as part of validation.

The importer files every paper of a seed list by its section heading through this map, so a broken
map breaks the next import: it is read like a record (`yamlsafe`: size, depth, duplicate keys, no
anchors or tags), checked against `safetykb/schemas/sections.schema.json`, and its defaults must name
existing model families, attack and defense types, with one entry and one label per heading.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from safetykb.core.checks import Finding
from safetykb.core.records import KnowledgeBase
from safetykb.core.schema import check as schema_check
from safetykb.core.suggest import did_you_mean

#: Where the map lives, relative to the knowledge base root.
SECTIONS = "taxonomy/sections.yaml"

#: Default fields of a section and the record kind their ids name.
_REFERENCES = {"models": ("model", "model family"), "threats": ("attack", "attack type"),
               "defenses": ("defense", "defense type")}


def check_sections(path: Path, data: dict[str, Any], kb: KnowledgeBase,
                   unreadable: set[str] | frozenset[str] = frozenset()) -> Iterator[Finding]:
    """Every problem of the section map: schema, then references (but to files that could not be read,
    which are reported themselves) and repeated headings or labels."""
    issues = schema_check("sections", data)
    for issue in issues:
        yield Finding(path, issue.pointer, issue.message)
    if issues:
        return
    for list_name, block in data.items():
        chapters = block.get("chapters") or {}
        headings: dict[tuple[str, str], int] = {}
        labels: dict[str, int] = {}
        for n, section in enumerate(block["sections"]):
            where = (list_name, "sections", n)
            yield from _references(path, section, where, kb, unreadable)
            chapter = section.get("chapter", "")
            if chapters and chapter not in chapters:
                yield Finding(path, (*where, "chapter"), f"chapter '{chapter}' is not among the `chapters` of "
                              f"{list_name}{did_you_mean(chapter, list(chapters))}")
            key = (chapter, section["heading"])
            if key in headings:
                yield Finding(path, (*where, "heading"), f"heading '{section['heading']}' is already mapped by "
                              f"entry {headings[key] + 1} of {list_name}: one entry per heading")
            headings.setdefault(key, n)
            if section["label"] in labels:
                yield Finding(path, (*where, "label"), f"label '{section['label']}' is already used by entry "
                              f"{labels[section['label']] + 1} of {list_name}: labels name one section each")
            labels.setdefault(section["label"], n)
            role = section["role"]
            if role in ("defense", "mixed") and "defenses" not in section:
                yield Finding(path, where, f"a {role} section needs `defenses:` (its default defense type ids, "
                              "or [] to decide per paper)")
            if role in ("attack", "benchmark", "analysis") and section.get("defenses"):
                article = "an" if role[0] in "aeiou" else "a"
                yield Finding(path, (*where, "defenses"),
                              f"{article} {role} section has no default defenses: remove `defenses`")


def _references(path: Path, section: dict[str, Any], where: tuple[Any, ...], kb: KnowledgeBase,
                unreadable: set[str] | frozenset[str]) -> Iterator[Finding]:
    for field, (kind, word) in _REFERENCES.items():
        for i, target in enumerate(section.get(field) or []):
            if target not in kb.of(kind) and target not in unreadable:
                yield Finding(path, (*where, field, i),
                              f"unknown {word} '{target}'{did_you_mean(target, list(kb.of(kind)))}")
