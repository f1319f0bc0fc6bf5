"""The questions the knowledge base answers, one function each, shared by the site, the CLI and tests.

Every function takes the graph of `safetykb.core.graph.build_graph`. Model families
and attack types are expanded to their subtrees, and terms may be ids, names
or aliases (`resolve`). Paper lists come newest first.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from safetykb.core.records import KIND_WORDS, former_index
from safetykb.core.suggest import american, closest

Graph = nx.MultiDiGraph


class UnknownTerm(LookupError):
    """A term that names no node of the wanted kinds; carries the nearest known term, if any."""

    def __init__(self, term: str, kinds: tuple[str, ...], suggestion: str | None) -> None:
        want = " or ".join(KIND_WORDS[k] for k in kinds)
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        super().__init__(f"unknown {want} '{term}'{hint}")
        self.term, self.kinds, self.suggestion = term, kinds, suggestion


@dataclass
class Answer:
    """Result ids with the sentence that says how the question was understood."""

    understood: str
    ids: list[str]
    kind: str = "paper"
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- papers by id


def former_ids(graph: Graph) -> dict[str, str]:
    """Former paper id -> the paper's id now (`core.records.former_index`), built once per graph."""
    cached = graph.graph.get("_former")
    if cached is None:
        papers = ((n, d) for n, d in graph.nodes(data=True) if d.get("kind") == "paper")
        cached = graph.graph["_former"] = former_index(papers)
    return cached


def paper_id(graph: Graph, text: str) -> str | None:
    """The paper an id names, its current id or a former one (a renamed paper keeps its old ids)."""
    if text in graph and graph.nodes[text].get("kind") == "paper":
        return text
    return former_ids(graph).get(text)


# ---------------------------------------------------------------- terms and trees


def normalise_term(text: str) -> str:
    """Case, accents, hyphens, underscores and spacing ignored: 'Energy-Latency' == 'energy latency'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[\s_\-/]+", " ", text).split())


def _singular(term: str) -> str:
    for suffix, repl in (("ies", "y"), ("ses", "s"), ("s", "")):
        if term.endswith(suffix) and len(term) > len(suffix) + 2:
            return term[: -len(suffix)] + repl
    return term


def term_index(graph: Graph) -> dict[str, dict[str, str]]:
    """kind -> normalised id/name/alias (and singular forms) -> id. Built once per graph."""
    cached = graph.graph.get("_terms")
    if cached is not None:
        return cached
    index: dict[str, dict[str, str]] = defaultdict(dict)
    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        if kind == "paper":
            continue
        words = [node, data.get("name", ""), *(data.get("aliases") or [])]
        for word in words:
            if not isinstance(word, str) or not word:
                continue
            key = normalise_term(word)
            index[kind].setdefault(key, node)
            index[kind].setdefault(_singular(key), node)
    graph.graph["_terms"] = index
    return index


def resolve(graph: Graph, term: str, kinds: Iterable[str]) -> str | None:
    """The id a term names among nodes of the given kinds (id, name or alias), or None."""
    key = normalise_term(term)
    index = term_index(graph)
    for kind in kinds:
        found = index[kind].get(key) or index[kind].get(_singular(key))
        if found:
            return found
    return None


def require(graph: Graph, term: str, *kinds: str) -> str:
    """Like resolve (British spellings accepted: 'defence'), but raises UnknownTerm with a suggestion when
    nothing matches."""
    found = resolve(graph, term, kinds) or resolve(graph, american(term), kinds)
    if found:
        return found
    index = term_index(graph)
    words = {w: i for k in kinds for w, i in index[k].items()}
    near = closest(normalise_term(term), words, cutoff=0.75)
    raise UnknownTerm(term, kinds, words[near] if near else None)


def children(graph: Graph, node: str) -> list[str]:
    """Direct subtypes of a taxonomy node, by name."""
    cached = graph.graph.get("_children")
    if cached is None:  # one pass over the edges, not one scan of a node's (many) paper edges per call
        found: dict[str, list[str]] = defaultdict(list)
        for child, parent, rel in graph.edges(data="relation"):
            if rel == "subtype_of":
                found[parent].append(child)
        cached = {p: sorted(k, key=lambda n: graph.nodes[n].get("name", n).lower()) for p, k in found.items()}
        graph.graph["_children"] = cached
    return list(cached.get(node, ()))


def subtree(graph: Graph, node: str) -> set[str]:
    """A taxonomy node and all its descendants."""
    found = {node}
    stack = [node]
    while stack:
        for child in children(graph, stack.pop()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def ancestors(graph: Graph, node: str) -> list[str]:
    """Parent, grandparent, ... of a taxonomy node (nearest first)."""
    chain: list[str] = []
    current = graph.nodes[node].get("parent")
    while isinstance(current, str) and current in graph and current not in chain and current != node:
        chain.append(current)
        current = graph.nodes[current].get("parent")
    return chain


def tree_order(graph: Graph, kind: str) -> list[tuple[str, int]]:
    """Every node of a taxonomy kind as (id, depth), parents before children, siblings by name."""
    roots = [n for n, d in graph.nodes(data=True) if d.get("kind") == kind and not d.get("parent")]
    roots.sort(key=lambda n: graph.nodes[n].get("name", n).lower())
    ordered: list[tuple[str, int]] = []

    def walk(node: str, depth: int) -> None:
        ordered.append((node, depth))
        for child in children(graph, node):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return ordered


def of_kind(graph: Graph, kind: str) -> list[str]:
    return sorted(n for n, k in graph.nodes(data="kind") if k == kind)


# ---------------------------------------------------------------- paper index


def _index(graph: Graph) -> dict[tuple[str, str], set[str]]:
    """(relation, target) -> papers with that edge. Built once per graph."""
    cached = graph.graph.get("_paper_index")
    if cached is not None:
        return cached
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source, target, relation in graph.edges(data="relation"):
        if graph.nodes[source].get("kind") == "paper":
            index[(relation, target)].add(source)
    graph.graph["_paper_index"] = index
    return index


def papers_with(graph: Graph, relation: str, targets: Iterable[str]) -> set[str]:
    """Papers with a `relation` edge to any of targets."""
    index = _index(graph)
    found: set[str] = set()
    for target in targets:
        found |= index.get((relation, target), set())
    return found


def newest_first(graph: Graph, ids: Iterable[str]) -> list[str]:
    """Papers sorted by date (or year), newest first, then by id."""

    def key(node: str) -> tuple[str, str]:
        data = graph.nodes[node]
        return (str(data.get("date") or data.get("year") or ""), node)

    by_id = sorted(ids)
    return sorted(by_id, key=key, reverse=True) if by_id else []


def _scope(graph: Graph, node: str) -> str:
    kids = subtree(graph, node) - {node}
    return f"{node} (+ {len(kids)} subtype{'s' if len(kids) != 1 else ''})" if kids else node


# ---------------------------------------------------------------- the questions


def defenses_countering(graph: Graph, attack: str, model: str | None = None) -> Answer:
    """Defense papers countering an attack type (and its subtypes), on a model family (and subtypes)."""
    attack_id = require(graph, attack, "attack")
    found = papers_with(graph, "counters", subtree(graph, attack_id))
    understood = f"defenses countering {_scope(graph, attack_id)}"
    if model:
        model_id = require(graph, model, "model")
        found &= papers_with(graph, "targets", subtree(graph, model_id))
        understood += f" on {_scope(graph, model_id)}"
    return Answer(understood, newest_first(graph, found))


def attacks_on(graph: Graph, model: str | None = None, attack: str | None = None) -> Answer:
    """Attack papers on a model family (and subtypes), of an attack type (and subtypes) if given."""
    parts: list[str] = []
    if attack:
        attack_id = require(graph, attack, "attack")
        found = papers_with(graph, "proposes", subtree(graph, attack_id))
        parts.append(f"{_scope(graph, attack_id)} attacks")
    else:
        found = papers_with(graph, "proposes", of_kind(graph, "attack"))
        parts.append("attacks")
    if model:
        model_id = require(graph, model, "model")
        found &= papers_with(graph, "targets", subtree(graph, model_id))
        parts.append(f"on {_scope(graph, model_id)}")
    return Answer(" ".join(parts), newest_first(graph, found))


def defense_types_countering(graph: Graph, attack: str) -> Answer:
    """Defense types that counter an attack type in general (its ancestors and subtypes included)."""
    attack_id = require(graph, attack, "attack")
    scope = subtree(graph, attack_id) | set(ancestors(graph, attack_id))
    found = {
        u
        for u, v, rel in graph.edges(data="relation")
        if rel == "counters" and v in scope and graph.nodes[u].get("kind") == "defense"
    }
    ordered = [n for n, _d in tree_order(graph, "defense") if n in found]
    return Answer(f"defense types countering {_scope(graph, attack_id)}", ordered, kind="defense")


def resources_for(graph: Graph, attack: str | None = None, model: str | None = None) -> Answer:
    """Datasets and benchmarks for an attack type and a model family: by their own fields, or
    introduced or used by papers on that attack and family."""
    attack_ids = subtree(graph, require(graph, attack, "attack")) if attack else None
    model_ids = subtree(graph, require(graph, model, "model")) if model else None
    resources = [n for n, k in graph.nodes(data="kind") if k in ("dataset", "benchmark")]
    found: set[str] = set()
    for node in resources:
        data = graph.nodes[node]
        ok_attack = attack_ids is None or bool(attack_ids & set(data.get("evaluates") or []))
        ok_model = model_ids is None or bool(model_ids & set(data.get("models") or []))
        if ok_attack and ok_model:
            found.add(node)
    papers: set[str] | None = None
    if attack_ids is not None:
        papers = set().union(*(papers_with(graph, r, attack_ids) for r in ("proposes", "counters", "evaluates")))
    if model_ids is not None:
        on_model = papers_with(graph, "targets", model_ids)
        papers = on_model if papers is None else papers & on_model
    if papers is not None:
        for paper in papers:
            for _p, target, rel in graph.out_edges(paper, data="relation"):
                if rel in ("introduces", "uses"):
                    found.add(target)
    words = ["benchmarks and datasets"]
    if attack:
        words.append(f"for {_scope(graph, require(graph, attack, 'attack'))}")
    if model:
        words.append(f"on {_scope(graph, require(graph, model, 'model'))}")
    ordered = sorted(found, key=lambda n: (-(graph.nodes[n].get("year") or 0), n))
    return Answer(" ".join(words), ordered, kind="resource")


def author_matches(query: str, author: str) -> bool:
    """Every word of the query is a word of the author's name (case and accents ignored)."""
    wanted = normalise_term(query).split()
    have = normalise_term(author).replace(".", " ").split()
    return bool(wanted) and all(w in have for w in wanted)


def papers_by(
    graph: Graph,
    author: str | None = None,
    venue: str | None = None,
    since: int | None = None,
    until: int | None = None,
    within: Iterable[str] | None = None,
) -> Answer:
    """Papers by an author, at a venue, in a year range (all optional, combined with 'and')."""
    pool = set(within) if within is not None else set(of_kind(graph, "paper"))
    parts: list[str] = ["papers"]
    found: list[str] = []
    venue_key = normalise_term(venue) if venue else None
    for node in pool:
        data = graph.nodes[node]
        if author and not any(author_matches(author, a) for a in data.get("authors") or []):
            continue
        if venue_key and normalise_term(str(data.get("venue", ""))) != venue_key:
            continue
        year = data.get("year") or 0
        if since is not None and year < since:
            continue
        if until is not None and year > until:
            continue
        found.append(node)
    if author:
        parts.append(f"by {author}")
    if venue:
        parts.append(f"at {venue}")
    if since is not None and until is not None and since == until:
        parts.append(f"in {since}")
    else:
        if since is not None:
            parts.append(f"since {since}")
        if until is not None:
            parts.append(f"until {until}")
    return Answer(" ".join(parts), newest_first(graph, found))


@dataclass
class Cell:
    """Attack and defense papers of one (model family, attack type) cell, subtrees included; `broader` holds
    the defense papers against a parent of the attack type (which cover it too), not already in `defenses`."""

    attacks: set[str] = field(default_factory=set)
    defenses: set[str] = field(default_factory=set)
    broader: set[str] = field(default_factory=set)

    @property
    def gap(self) -> bool:
        """Attack papers and no defense paper, neither against the type nor against a broader type."""
        return bool(self.attacks) and not self.defenses and not self.broader


@dataclass
class Matrix:
    """The model x attack matrix: rows and columns in tree order, cells by (model, attack)."""

    models: list[tuple[str, int]]
    attacks: list[tuple[str, int]]
    cells: dict[tuple[str, str], Cell]

    def cell(self, model: str, attack: str) -> Cell:
        return self.cells.get((model, attack)) or Cell()


def matrix(graph: Graph) -> Matrix:
    """Attack-paper and defense-paper counts for every model family x attack type, subtrees included."""
    cached = graph.graph.get("_matrix")
    if cached is not None:
        return cached
    up, down = _matrix_trees(graph)
    cells: dict[tuple[str, str], Cell] = defaultdict(Cell)
    for paper in of_kind(graph, "paper"):
        _add_to_cells(cells, graph, paper, up, down)
    result = Matrix(tree_order(graph, "model"), tree_order(graph, "attack"), dict(cells))
    graph.graph["_matrix"] = result
    return result


def _matrix_trees(graph: Graph) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each model family and attack type with its ancestors (up), each attack type's subtypes (down)."""
    up: dict[str, set[str]] = {}
    for kind in ("model", "attack"):
        for node in of_kind(graph, kind):
            up[node] = {node, *ancestors(graph, node)}
    down = {node: subtree(graph, node) - {node} for node in of_kind(graph, "attack")}
    return up, down


def _add_to_cells(cells: dict[tuple[str, str], Cell], graph: Graph, paper: str, up: dict[str, set[str]],
                  down: dict[str, set[str]]) -> None:
    """Put one paper into the matrix cells it belongs to."""
    models: set[str] = set()
    proposed: set[str] = set()
    countered: set[str] = set()
    covered: set[str] = set()
    for _p, target, rel in graph.out_edges(paper, data="relation"):
        if rel == "targets":
            models |= up.get(target, {target})
        elif rel == "proposes" and graph.nodes[target].get("kind") == "attack":
            proposed |= up.get(target, {target})
        elif rel == "counters":
            countered |= up.get(target, {target})
            covered |= down.get(target, set())
    for model in models:
        for attack in proposed:
            cells[(model, attack)].attacks.add(paper)
        for attack in countered:
            cells[(model, attack)].defenses.add(paper)
        for attack in covered - countered:
            cells[(model, attack)].broader.add(paper)


def refresh_paper_indices(graph: Graph, papers: set[str]) -> None:
    """After the edges of `papers` changed (or they were added), bring the paper index and the matrix cached
    on graph (`_index`, `matrix`, made for the graph before) to what they are when made from scratch; the
    other indices of papers (`former_ids`, `related`, `text_index`) are dropped, to be made again."""
    index = graph.graph.get("_paper_index")
    if index is not None:
        for key in list(index):
            index[key] -= papers
            if not index[key]:
                del index[key]
        for source in papers:
            for target, keys in graph.adj[source].items():
                for data in keys.values():
                    index[(data.get("relation"), target)].add(source)
    grid = graph.graph.get("_matrix")
    if grid is not None:
        cells = defaultdict(Cell, grid.cells)
        for key, cell in list(cells.items()):
            cell.attacks -= papers
            cell.defenses -= papers
            cell.broader -= papers
            if not (cell.attacks or cell.defenses or cell.broader):
                del cells[key]
        up, down = _matrix_trees(graph)
        for paper in sorted(papers):
            _add_to_cells(cells, graph, paper, up, down)
        grid.cells = dict(cells)
    for name in ("_former", "_related", "_text_index"):
        graph.graph.pop(name, None)


def gaps(graph: Graph) -> list[tuple[str, str, int]]:
    """(model, attack, attack papers) for every cell with attacks and no defense, largest first."""
    found = [(m, a, len(c.attacks)) for (m, a), c in matrix(graph).cells.items() if c.gap]
    return sorted(found, key=lambda t: (-t[2], t[0], t[1]))


def related(graph: Graph, paper: str, limit: int | None = None,
            per_reason: int | None = None) -> list[tuple[str, str]]:
    """(paper id, reason) for papers related to a paper: same attack on the same family, defenses
    that counter its attack, attacks its defense counters, the same benchmarks; nearest reason first.
    `per_reason` caps each reason's share (newest first), so a short list still shows every kind of
    relation: an attack page lists the defenses against it, not only more attacks.

    The candidate lists depend only on (relation, attack or resource, model families), so they are
    computed once per graph and shared by every paper: the site asks this for each of 10,000 papers."""
    data = graph.nodes[paper]
    family = tuple(sorted(data.get("models") or []))
    cache: dict[tuple, list[str]] = graph.graph.setdefault("_related", {})
    reasons: dict[str, str] = {}

    def ranked(key: tuple) -> list[str]:
        if key not in cache:
            kind, relation, target = key[0], key[1], key[2]
            if kind == "resource":
                ids = papers_with(graph, "introduces", [target]) | papers_with(graph, "uses", [target])
            else:
                ids = papers_with(graph, relation, subtree(graph, target)) & on_family()
            cache[key] = newest_first(graph, ids)
        return cache[key]

    def on_family() -> set[str]:
        key = ("family", "", "", family)
        if key not in cache:
            models = set().union(*(subtree(graph, m) for m in family)) if family else set()
            cache[key] = list(papers_with(graph, "targets", models))
        return set(cache[key])

    def add(key: tuple, reason: str) -> bool:
        taken = 0
        for other in ranked(key):
            if per_reason is not None and taken >= per_reason:
                break
            if other != paper and other not in reasons:
                reasons[other] = reason
                taken += 1
                if limit is not None and len(reasons) >= limit:
                    return True
        return False

    steps: list[tuple[tuple, str]] = []
    for attack in data.get("attacks") or []:
        steps.append((("attack", "proposes", attack, family), f"also a {attack} attack on this family"))
        steps.append((("attack", "counters", attack, family), f"defends against {attack} on this family"))
    for attack in data.get("counters") or []:
        steps.append((("attack", "counters", attack, family), f"also defends against {attack} on this family"))
        steps.append((("attack", "proposes", attack, family), f"a {attack} attack this defense counters"))
    for attack in data.get("evaluates") or []:
        steps.append((("attack", "evaluates", attack, family), f"also evaluates {attack} on this family"))
    for resource in [*(data.get("introduces") or []), *(data.get("uses") or [])]:
        steps.append((("resource", "", resource, ()), f"shares the {resource} benchmark"))
    for key, reason in steps:
        if add(key, reason):
            break
    items = list(reasons.items())
    return items[:limit] if limit is not None else items


def record(graph: Graph, node: str) -> dict[str, Any]:
    """A node's record with the field names of DESIGN section 2 (id first, no graph attributes)."""
    data = graph.nodes[node]
    return {"id": node, **{k: v for k, v in data.items() if k != "kind"}}


# ---------------------------------------------------------------- added for the query tool (issue 5)


def defense_papers(
    graph: Graph, defense: str | None = None, attack: str | None = None, model: str | None = None
) -> Answer:
    """Defense papers, optionally of a defense type, countering an attack type, on a model family
    (each expanded to its subtree). With only an attack (and model) this is `defenses_countering`."""
    if attack and not defense:
        return defenses_countering(graph, attack, model)
    if defense:
        defense_id = require(graph, defense, "defense")
        found = papers_with(graph, "proposes", subtree(graph, defense_id))
        words = [f"{_scope(graph, defense_id)} defenses"]
    else:
        found = papers_with(graph, "proposes", of_kind(graph, "defense"))
        words = ["defenses"]
    if attack:
        attack_id = require(graph, attack, "attack")
        found &= papers_with(graph, "counters", subtree(graph, attack_id))
        words.append(f"countering {_scope(graph, attack_id)}")
    if model:
        model_id = require(graph, model, "model")
        found &= papers_with(graph, "targets", subtree(graph, model_id))
        words.append(f"on {_scope(graph, model_id)}")
    return Answer(" ".join(words), newest_first(graph, found))


def papers_on(
    graph: Graph,
    attack: str | None = None,
    model: str | None = None,
    defense: str | None = None,
    resource: str | None = None,
) -> Answer:
    """Every paper about an attack type (proposing, countering or evaluating it), on a model family,
    proposing a defense type, or introducing or using a dataset or benchmark; all given filters apply."""
    found: set[str] = set(of_kind(graph, "paper"))
    words = ["papers"]
    if attack:
        attack_id = require(graph, attack, "attack")
        scope = subtree(graph, attack_id)
        found &= set().union(*(papers_with(graph, r, scope) for r in ("proposes", "counters", "evaluates")))
        words.append(f"about {_scope(graph, attack_id)}")
    if defense:
        defense_id = require(graph, defense, "defense")
        found &= papers_with(graph, "proposes", subtree(graph, defense_id))
        words.append(f"proposing {_scope(graph, defense_id)}")
    if resource:
        resource_id = require(graph, resource, "dataset", "benchmark")
        found &= papers_with(graph, "introduces", [resource_id]) | papers_with(graph, "uses", [resource_id])
        words.append(f"introducing or using {resource_id}")
    if model:
        model_id = require(graph, model, "model")
        found &= papers_with(graph, "targets", subtree(graph, model_id))
        words.append(f"on {_scope(graph, model_id)}")
    return Answer(" ".join(words), newest_first(graph, found))


# ---------------------------------------------------------------- added for issue 11: uses, broader defenses, text


def papers_using(graph: Graph, resource: str, contribution: str | None = None) -> Answer:
    """Papers that evaluate on a dataset or benchmark (`uses`) or introduce it, newest first; with
    `contribution` ('attack', 'defense', ...) only the papers making that contribution."""
    resource_id = require(graph, resource, "dataset", "benchmark")
    found = papers_with(graph, "uses", [resource_id]) | papers_with(graph, "introduces", [resource_id])
    words = "papers"
    if contribution:
        found = {p for p in found if contribution in (graph.nodes[p].get("contribution") or [])}
        words = f"{contribution} papers"
    return Answer(f"{words} evaluated on {resource_id}", newest_first(graph, found))


def resources_of(graph: Graph, paper: str) -> tuple[list[str], list[str]]:
    """(datasets and benchmarks the paper uses, those it introduces), each by name; a resource it both
    introduces and evaluates on is listed once, as introduced."""
    introduced = sorted({t for _p, t, rel in graph.out_edges(paper, data="relation") if rel == "introduces"})
    used = sorted({t for _p, t, rel in graph.out_edges(paper, data="relation") if rel == "uses"} - set(introduced))
    return used, introduced


def broader_defenses(graph: Graph, attack: str, model: str | None = None, defense: str | None = None) -> Answer:
    """Defense papers against a broader attack type (an ancestor of `attack`) that do not name `attack`
    or a subtype: a defense against prompt injection in general also covers indirect prompt injection.
    Filtered to a model family and a defense type (subtrees) when given."""
    attack_id = require(graph, attack, "attack")
    broader = ancestors(graph, attack_id)
    found = papers_with(graph, "counters", broader) - papers_with(graph, "counters", subtree(graph, attack_id))
    if defense:
        found &= papers_with(graph, "proposes", subtree(graph, require(graph, defense, "defense")))
    understood = f"defenses against a broader type than {attack_id} ({', '.join(broader)})"
    if model:
        model_id = require(graph, model, "model")
        found &= papers_with(graph, "targets", subtree(graph, model_id))
        understood += f" on {_scope(graph, model_id)}"
    return Answer(understood, newest_first(graph, found))


def countered_broader(graph: Graph, paper: str, attack: str) -> list[str]:
    """The ancestors of `attack` that a paper counters (why it is listed as a broader defense)."""
    own = {t for _p, t, rel in graph.out_edges(paper, data="relation") if rel == "counters"}
    return [a for a in ancestors(graph, attack) if a in own]


#: Paper fields whose taxonomy nodes' names and aliases count as the paper's own words in a text search.
TEXT_NODE_FIELDS = ("attacks", "defenses", "counters", "evaluates")


_STEMS: dict[str, str] = {}


def stems(text: str) -> list[str]:
    """Snowball (English) stems of the words of a text: 'Typographic attacks' -> ['typograph', 'attack']."""
    tokens = re.findall(r"[a-z0-9]+", text.lower() if text.isascii() else normalise_term(text))
    new = [t for t in set(tokens) if t not in _STEMS]
    if new:
        from snowballstemmer import stemmer  # small and pure Python; loaded only by a text search

        _STEMS.update(zip(new, stemmer("english").stemWords(new), strict=True))
    return [_STEMS[t] for t in tokens]


def text_index(graph: Graph) -> dict[str, set[str]]:
    """stem -> papers whose title, method or summary (or the names and aliases of their attack and
    defense types) has a word with that stem. Built once per graph."""
    cached = graph.graph.get("_text_index")
    if cached is not None:
        return cached
    node_words: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        if data.get("kind") in ("attack", "defense"):
            node_words[node] = " ".join([str(data.get("name") or ""), *map(str, data.get("aliases") or [])])
    index: dict[str, set[str]] = defaultdict(set)
    for node, data in graph.nodes(data=True):
        if data.get("kind") != "paper":
            continue
        parts = [str(data.get(f) or "") for f in ("title", "method", "summary")]
        for field_name in TEXT_NODE_FIELDS:
            parts += [node_words.get(t, "") for t in data.get(field_name) or []]
        for stem in stems(" ".join(parts)):
            index[stem].add(node)
    graph.graph["_text_index"] = dict(index)
    return graph.graph["_text_index"]


def text_matches(graph: Graph, words: Iterable[str]) -> set[str]:
    """Papers whose text (see `text_index`) has every one of the words (compared by stem)."""
    index = text_index(graph)
    found: set[str] | None = None
    for stem in {s for w in words for s in stems(w)}:
        have = index.get(stem, set())
        found = set(have) if found is None else found & have
    return found or set()

# ---------------------------------------------------------------- results and leaderboards (issue 12)


def result_sets(graph: Graph) -> list[str]:
    """Every result set, by benchmark name, then source (newest first), then setting."""
    cached = graph.graph.get("_result_sets")
    if cached is None:
        results = of_kind(graph, "result")
        cited = {graph.nodes[r].get("source") for r in results}
        sources = newest_first(graph, {s for s in cited if isinstance(s, str) and s in graph})
        rank = {s: i for i, s in enumerate(sources)}

        def key(node: str) -> tuple[str, int, str, str]:
            data = graph.nodes[node]
            bench = data.get("benchmark")
            name = str(graph.nodes[bench].get("name", bench) if bench in graph else bench)
            return (name.lower(), rank.get(data.get("source"), len(rank)), str(data.get("setting", "")).lower(), node)

        cached = sorted(results, key=key)
        graph.graph["_result_sets"] = cached
    return list(cached)


def setting_matches(graph: Graph, result: str, setting: str) -> bool:
    """Whether a result set's setting is `setting` (its label or an alias; case, hyphens, spaces ignored)."""
    from safetykb.core.results import setting_words

    wanted = normalise_term(setting)
    return any(normalise_term(w) == wanted for w in setting_words(graph.nodes[result]))


def leaderboard(graph: Graph, result: str) -> list:
    """The systems of one result set ranked by its metric's direction, best first (`core.results.Row`s)."""
    from safetykb.core.results import ranking

    return ranking(graph.nodes[result])


def _filtered(graph: Graph, pool: Iterable[str], benchmark: str | None,
              setting: str | None) -> tuple[list[str], list[str]]:
    """(result sets of pool on the benchmark and setting, words saying so: 'on siuo', '(OpenQA)')."""
    bench = require(graph, benchmark, "benchmark", "dataset") if benchmark else None
    found = [r for r in pool if (bench is None or graph.nodes[r].get("benchmark") == bench)
             and (setting is None or setting_matches(graph, r, setting))]
    words = [f"on {bench}"] if bench else []
    if setting:
        labels = list(dict.fromkeys(str(graph.nodes[r].get("setting")) for r in found)) or [setting]
        words.append(f"({', '.join(labels)})")
    return found, words


def results_on(graph: Graph, benchmark: str | None = None, setting: str | None = None) -> Answer:
    """Result sets (leaderboards) on a benchmark or dataset, of one setting if given (label or alias)."""
    found, words = _filtered(graph, result_sets(graph), benchmark, setting)
    return Answer(" ".join(["result sets", *words]), found, kind="result")


def safest_on(graph: Graph, benchmark: str | None, setting: str | None = None) -> Answer:
    """Which system is safest on a benchmark: its result sets, each with the best system by the metric's
    direction (all systems sharing rank 1) named in `notes` as 'setting: system (figure)'."""
    found = results_on(graph, benchmark, setting)
    notes = []
    for result in found.ids:
        rows = leaderboard(graph, result)
        best = ", ".join(f"{row.system} ({row.value})" for row in rows if row.best)
        if best:
            where = "" if benchmark else f"{graph.nodes[result].get('benchmark')} "
            notes.append(f"{where}{graph.nodes[result].get('setting')}: {best}")
    understood = found.understood.replace("result sets", "safest systems", 1)
    return Answer(understood, found.ids, kind="result", notes=notes)


def results_for(graph: Graph, system: str, benchmark: str | None = None, setting: str | None = None) -> Answer:
    """Every result set that reports a system (id, name or alias), on a benchmark and setting if given."""
    system_id = require(graph, system, "system")
    reporting = {u for u, _v, rel in graph.in_edges(system_id, data="relation") if rel == "scores"}
    found, words = _filtered(graph, [r for r in result_sets(graph) if r in reporting], benchmark, setting)
    return Answer(" ".join([f"results for {system_id}", *words]), found, kind="result")


def systems_of(graph: Graph, model: str) -> list[str]:
    """Evaluated systems of a model family and its subtypes, by name."""
    model_id = require(graph, model, "model")
    scope = subtree(graph, model_id)
    found = [u for u, v, rel in graph.edges(data="relation") if rel == "instance_of" and v in scope]
    return sorted(found, key=lambda n: str(graph.nodes[n].get("name", n)).lower())
