"""The classification of a new paper: from command-line flags, or asked at a terminal.

Terms may be ids, names or aliases of the taxonomy (`LVLM` -> `vlm`), resolved
by `safetykb.core.queries.resolve`, the same resolver the query tool uses. Prompts
list the taxonomy's choices (ids with names, as a tree) and ask again after an
unknown term, naming the nearest one. Without a terminal, missing required
fields end in `MissingClassification`, which names the flags to pass.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from safetykb.core.queries import Graph, UnknownTerm, require, tree_order
from safetykb.core.records import REFERENCES
from safetykb.core.schema import schema

#: List fields of the classification and the record kinds their terms name (the paper's references).
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    field: kinds for field, kinds in REFERENCES["paper"].items() if field != "not_duplicate_of"
}

FLAG_HELP: dict[str, str] = {
    "models": "model family ids, names or aliases (required), e.g. --models vlm",
    "contribution": "what the paper contributes (required unless implied by --attacks/--defenses): "
                    "attack, defense, benchmark, dataset, evaluation, survey, analysis",
    "attacks": "attack types the paper proposes (needed with contribution attack), e.g. --attacks jailbreak",
    "defenses": "defense types the paper proposes (needed with contribution defense)",
    "counters": "attack types the defense works against (needed with --defenses); 'none' for a general defense "
                "with no specific threat (a defense type marked general: alignment, guardrails, unlearning)",
    "evaluates": "attack types a benchmark or evaluation measures",
    "introduces": "dataset or benchmark ids the paper introduces",
    "uses": "dataset or benchmark ids the paper uses",
    "method": "the method's short name, e.g. FigStep",
    "threat_model": "white-box, gray-box or black-box",
    "code": "code repository URL",
    "summary": "one or two sentences in your own words",
}


def contributions() -> list[str]:
    return list(schema("paper")["properties"]["contribution"]["items"]["enum"])


def threat_models() -> list[str]:
    return list(schema("paper")["properties"]["threat_model"]["enum"])


class MissingClassification(Exception):
    """Required classification is missing and nobody can be asked; `missing` names the fields."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


@dataclass
class Classification:
    """What the paper does, in record field names; empty lists are left out of the record."""

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
    code: str | None = None
    summary: str | None = None
    general: bool = False  # `--counters none`: a general defense, no specific threat

    def copy(self) -> Classification:
        return Classification(**{k: (list(v) if isinstance(v, list) else v) for k, v in vars(self).items()})

    def implied_contribution(self) -> list[str]:
        """attack/defense implied by --attacks/--defenses when --contribution is not given."""
        implied = []
        if self.attacks:
            implied.append("attack")
        if self.defenses:
            implied.append("defense")
        return implied

    def missing(self) -> list[str]:
        """Required fields still empty (as flag names without dashes)."""
        gaps: list[str] = []
        if not self.models:
            gaps.append("models")
        contribution = self.contribution or self.implied_contribution()
        if not contribution:
            gaps.append("contribution")
        if "attack" in contribution and not self.attacks:
            gaps.append("attacks")
        if "defense" in contribution and not self.defenses:
            gaps.append("defenses")
        if self.defenses and not self.counters and not self.general:
            gaps.append("counters")
        return gaps

    def finish(self) -> None:
        if not self.contribution:
            self.contribution = self.implied_contribution()


def resolve_terms(graph: Graph, name: str, terms: list[str]) -> list[str]:
    """Ids for the terms of one list field, in order, without repeats; UnknownTerm on the first unknown."""
    ids: list[str] = []
    for term in terms:
        found = require(graph, term, *LIST_FIELDS[name])
        if found not in ids:
            ids.append(found)
    return ids


NO_COUNTERS = "none"


def general_defense(graph: Graph, defenses: list[str]) -> None:
    """ValueError unless some defense type may go without counters (its taxonomy node says `general: true`)."""
    if any(graph.nodes[d].get("general") for d in defenses if d in graph):
        return
    general = sorted(n for n, data in graph.nodes(data=True) if data.get("kind") == "defense" and data.get("general"))
    named = ", ".join(defenses) or "no defense type"
    raise ValueError(f"'--counters {NO_COUNTERS}' is for a general defense, and {named} is not a general defense "
                     f"type ({', '.join(general)} are): name the attack types it defends against")


def resolve_all(graph: Graph, given: Classification) -> Classification:
    """The flags' terms as ids (UnknownTerm, or ValueError for a bad contribution/threat model, or for
    `--counters none` with no general defense type)."""
    out = given.copy()
    if [c.lower() for c in given.counters] == [NO_COUNTERS]:
        out.general, given = True, given.copy()
        given.counters = []
    for name in LIST_FIELDS:
        setattr(out, name, resolve_terms(graph, name, getattr(given, name)))
    if out.general:
        general_defense(graph, out.defenses)
    bad = [c for c in out.contribution if c not in contributions()]
    if bad:
        raise ValueError(f"unknown contribution '{bad[0]}': choose from {', '.join(contributions())}")
    if out.threat_model and out.threat_model not in threat_models():
        raise ValueError(f"unknown threat model '{out.threat_model}': choose from {', '.join(threat_models())}")
    return out


class Prompter:
    """Asks for the classification at a terminal; reads with `ask`, writes to `out`."""

    def __init__(self, graph: Graph, ask: Callable[[str], str] = input, out: TextIO | None = None) -> None:
        self.graph = graph
        self.ask = ask
        self.out = out or sys.stdout

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def choices(self, kinds: tuple[str, ...]) -> None:
        for kind in kinds:
            for node, depth in tree_order(self.graph, kind) if kind in ("model", "attack", "defense") else [
                    (n, 0) for n, k in sorted(self.graph.nodes(data="kind")) if k == kind]:
                name = self.graph.nodes[node].get("name", "")
                self.say(f"  {'  ' * depth}{node:<{28 - 2 * depth}} {name}")

    def ask_list(self, name: str, label: str, default: list[str], required: bool, show: bool = True) -> list[str]:
        kinds = LIST_FIELDS[name]
        if show:
            self.say(f"\n{label}: ids, names or aliases, separated by commas. Choices:")
            self.choices(kinds)
        while True:
            hint = f" [{', '.join(default)}]" if default else (" (required)" if required else " (Enter to skip)")
            answer = self.ask(f"{name}{hint}: ").strip()
            if not answer:
                if default or not required:
                    return list(default)
                self.say(f"  {name} is required")
                continue
            try:
                return resolve_terms(self.graph, name, split_terms(answer))
            except UnknownTerm as exc:
                self.say(f"  {exc}")

    def ask_counters(self, out: Classification) -> list[str]:
        """The attack types a defense counters; 'none' for a general defense (when its type allows it)."""
        self.say(f"\nAttack types the defense works against ('{NO_COUNTERS}' for a general defense with no "
                 "specific threat): ids, names or aliases, separated by commas. Choices:")
        self.choices(LIST_FIELDS["counters"])
        while True:
            hint = f" [{', '.join(out.counters)}]" if out.counters else (f" [{NO_COUNTERS}]" if out.general else
                                                                          " (required)")
            answer = self.ask(f"counters{hint}: ").strip()
            if not answer and (out.counters or out.general):
                return list(out.counters)
            if answer.lower() == NO_COUNTERS:
                try:
                    general_defense(self.graph, out.defenses)
                except ValueError as exc:
                    self.say(f"  {exc}")
                    continue
                out.general = True
                return []
            if not answer:
                self.say("  counters is required")
                continue
            try:
                out.general = False
                return resolve_terms(self.graph, "counters", split_terms(answer))
            except UnknownTerm as exc:
                self.say(f"  {exc}")

    def ask_choice(self, name: str, options: list[str], default: list[str], many: bool, required: bool) -> list[str]:
        while True:
            hint = f" [{', '.join(default)}]" if default else (" (required)" if required else " (Enter to skip)")
            answer = self.ask(f"{name} ({' | '.join(options)}){hint}: ").strip()
            if not answer:
                if default or not required:
                    return list(default)
                self.say(f"  {name} is required")
                continue
            picked = split_terms(answer.lower())
            bad = [p for p in picked if p not in options]
            if bad:
                self.say(f"  '{bad[0]}' is not one of {', '.join(options)}")
            elif not many and len(picked) > 1:
                self.say("  choose one")
            else:
                return picked

    def ask_text(self, name: str, default: str | None) -> str | None:
        hint = f" [{default}]" if default else " (Enter to skip)"
        answer = self.ask(f"{name}{hint}: ").strip()
        return answer or default

    def classify(self, title: str, given: Classification) -> Classification:
        """Ask for every field, offering the values already given (flags) as defaults."""
        out = given.copy()
        self.say(f"\nClassify: {title}")
        out.models = self.ask_list("models", "Model families the paper is about", out.models, required=True)
        default = out.contribution or out.implied_contribution()
        out.contribution = self.ask_choice("contribution", contributions(), default, many=True, required=True)
        if "attack" in out.contribution:
            out.attacks = self.ask_list("attacks", "Attack types the paper proposes", out.attacks, required=True)
        if "defense" in out.contribution:
            out.defenses = self.ask_list("defenses", "Defense types the paper proposes", out.defenses,
                                         required=True)
            out.counters = self.ask_counters(out)
        if {"benchmark", "evaluation", "analysis", "dataset"} & set(out.contribution):
            out.evaluates = self.ask_list("evaluates", "Attack types it measures", out.evaluates, required=False)
        out.method = self.ask_text("method (short name)", out.method)
        threat = self.ask_choice("threat_model", threat_models(), [out.threat_model] if out.threat_model else [],
                                 many=False, required=False)
        out.threat_model = threat[0] if threat else None
        out.code = self.ask_text("code (repository URL)", out.code)
        out.summary = self.ask_text("summary (one or two sentences, your own words)", out.summary)
        return out


def split_terms(text: str) -> list[str]:
    """'vlm, llm' or 'vlm,llm' -> ['vlm', 'llm']."""
    return [t.strip() for t in text.split(",") if t.strip()]
