"""The classification of a new paper: from command-line flags, or asked at a terminal.

Terms may be ids, names or aliases of the taxonomy (`LVLM` -> `vlm`), resolved
by `safetykb.core.queries.resolve`, the same resolver the query tool uses. Prompts
ask only for what the flags did not say (nothing at all when they say enough), list
the taxonomy's choices (ids with names, as a tree) and check every answer as it is
typed with the validator's own rules (schema, characters, what an introduced
dataset or benchmark says), asking again with the nearest choice after a bad one.
`Classification.flags` gives the answers back as flags, so that a cancelled or
refused run never loses them. Without a terminal, missing required fields end in
`MissingClassification`, which names the flags to pass.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from safetykb.core.chars import describe, first_forbidden
from safetykb.core.queries import Graph, UnknownTerm, require, tree_order
from safetykb.core.records import REFERENCES
from safetykb.core.schema import check, schema
from safetykb.core.suggest import american, did_you_mean

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
    "introduces": "dataset or benchmark ids the paper introduces (required with contribution benchmark or "
                  "dataset; their records say `introduced_in: <this paper's id>`)",
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
        if {"benchmark", "dataset"} & set(contribution) and not self.introduces:
            gaps.append("introduces")
        return gaps

    def flags(self) -> list[str]:
        """The classification as add_paper flags (to run again without the questions)."""
        out: list[str] = []
        for name in ("models", "contribution", *[n for n in LIST_FIELDS if n not in ("models", "contribution")]):
            values = getattr(self, name)
            if values:
                out += [f"--{name}", ",".join(values)]
        for name in ("method", "threat_model", "code", "summary"):
            value = getattr(self, name)
            if value:
                out += [f"--{name.replace('_', '-')}", value]
        return out

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


def choose(name: str, value: str, options: list[str]) -> str:
    """The option a typed value names (case and British spelling ignored: 'Defence' is 'defense'), or
    ValueError listing the options with the nearest one."""
    key = american(value.strip())
    if key in options:
        return key
    raise ValueError(f"unknown {name} '{value}'{did_you_mean(key, options)}: choose from {', '.join(options)}")


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
    out.contribution = [choose("contribution", c, contributions()) for c in out.contribution]
    if out.threat_model:
        out.threat_model = choose("threat model", out.threat_model, threat_models())
    return out


#: A record that passes the paper schema: answers are checked by setting one field of it.
_VALID = {"id": "a2000b", "title": "T", "authors": ["A B"], "year": 2000, "models": ["vlm"],
          "contribution": ["survey"], "sources": ["contributor"], "status": "auto", "added": "2000-01-01"}


def answer_problem(name: str, value: str) -> str | None:
    """What the validator would say about one typed text answer (`method`, `summary`, `code`), or None."""
    at = first_forbidden(value)
    if at is not None:
        return f"the character {describe(value[at])} is not allowed: type it again without it"
    record = {**_VALID, "links": {"code": value}} if name == "code" else {**_VALID, name: value}
    issues = check("paper", record)
    return issues[0].message.split(": ", 1)[-1] if issues else None


class Prompter:
    """Asks for the classification at a terminal; reads with `ask`, writes to `out`. `answers` holds what
    was decided so far (flags and answers), for a cancelled run to print back."""

    def __init__(self, graph: Graph, ask: Callable[[str], str] = input, out: TextIO | None = None) -> None:
        self.graph = graph
        self.ask = ask
        self.out = out or sys.stdout
        self.answers = Classification()

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def choices(self, kinds: tuple[str, ...]) -> None:
        for kind in kinds:
            for node, depth in tree_order(self.graph, kind) if kind in ("model", "attack", "defense") else [
                    (n, 0) for n, k in sorted(self.graph.nodes(data="kind")) if k == kind]:
                name = self.graph.nodes[node].get("name", "")
                self.say(f"  {'  ' * depth}{node:<{28 - 2 * depth}} {name}")

    def ask_list(self, name: str, label: str, default: list[str], required: bool, show: bool = True,
                 check: Callable[[list[str]], str | None] | None = None) -> list[str]:
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
                ids = resolve_terms(self.graph, name, split_terms(answer))
            except UnknownTerm as exc:
                self.say(f"  {exc}")
                continue
            problem = check(ids) if check else None
            if problem:
                self.say(f"  {problem}")
                continue
            return ids

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
            picked = [american(p) for p in split_terms(answer)]
            bad = [p for p in picked if p not in options]
            if bad:
                self.say(f"  '{bad[0]}' is not one of {', '.join(options)}{did_you_mean(bad[0], options)}")
            elif not many and len(picked) > 1:
                self.say("  choose one")
            else:
                return picked

    def ask_text(self, name: str, label: str, default: str | None) -> str | None:
        while True:
            hint = f" [{default}]" if default else " (Enter to skip)"
            answer = self.ask(f"{label}{hint}: ").strip()
            if not answer:
                return default
            problem = answer_problem(name, answer)
            if not problem:
                return answer
            self.say(f"  {problem}")

    def classify(self, title: str, given: Classification,
                 check_introduces: Callable[[list[str]], str | None] | None = None) -> Classification:
        """Ask for what the flags did not say; nothing when they say enough (`missing` is empty)."""
        out = self.answers = given.copy()
        if not given.missing():
            return out
        self.say(f"\nClassify: {title}")
        if not out.models:
            out.models = self.ask_list("models", "Model families the paper is about", [], required=True)
        if not out.contribution:  # --attacks / --defenses imply it
            out.contribution = out.implied_contribution() or self.ask_choice(
                "contribution", contributions(), [], many=True, required=True)
        if "attack" in out.contribution and not out.attacks:
            out.attacks = self.ask_list("attacks", "Attack types the paper proposes", [], required=True)
        if "defense" in out.contribution and not out.defenses:
            out.defenses = self.ask_list("defenses", "Defense types the paper proposes", [], required=True)
        if out.defenses and not out.counters and not out.general:
            out.counters = self.ask_counters(out)
        if {"benchmark", "dataset"} & set(out.contribution) and not out.introduces:
            out.introduces = self.ask_list("introduces", "Datasets or benchmarks the paper releases", [],
                                           required=True, check=check_introduces)
        if {"benchmark", "evaluation", "analysis", "dataset"} & set(out.contribution) and not out.evaluates:
            out.evaluates = self.ask_list("evaluates", "Attack types it measures", [], required=False)
        if out.method is None:
            out.method = self.ask_text("method", "method (short name)", None)
        if out.threat_model is None:
            threat = self.ask_choice("threat_model", threat_models(), [], many=False, required=False)
            out.threat_model = threat[0] if threat else None
        if out.code is None:
            out.code = self.ask_text("code", "code (repository URL)", None)
        if out.summary is None:
            out.summary = self.ask_text("summary", "summary (one or two sentences, your own words)", None)
        return out


def split_terms(text: str) -> list[str]:
    """'vlm, llm' or 'vlm,llm' -> ['vlm', 'llm']."""
    return [t.strip() for t in text.split(",") if t.strip()]
