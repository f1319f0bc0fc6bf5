"""Answering a structured `Query` from the graph: the results, grouped, with the sentence saying how
the question was understood and, for an empty answer, what is nearest.

Every result comes from the shared functions of `safetykb.core.queries`; this module
only combines them (several terms, author/venue/year filters) and groups them
for display. `safetykb.query.formats` renders a `Reply`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import product

from safetykb.core import queries as q
from safetykb.query.question import Query, Unreadable, vocabulary, words

Graph = q.Graph


@dataclass
class Group:
    """Results shown together under a title; `kind` is paper, defense, benchmark, dataset, gap or result."""

    title: str
    ids: list[str]
    kind: str = "paper"
    reasons: dict[str, str] = field(default_factory=dict)
    result: str | None = None  # kind "result": the result set whose systems `ids` holds, best first


@dataclass
class Reply:
    """An answer: what was understood, how many results, the results in groups, what is nearest."""

    question: str
    query: Query
    understood: str
    count: str
    groups: list[Group]
    nearest: list[str] = field(default_factory=list)
    gaps: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def headline(self) -> str:
        return f"{self.understood}: {self.count}"

    @property
    def ids(self) -> list[str]:
        """Every result id once, in display order (gap cells as model:attack)."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for node in group.ids:
                seen.setdefault(node, None)
        return list(seen)

    @property
    def empty(self) -> bool:
        return not any(g.ids for g in self.groups)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def answer(graph: Graph, query: Query, question: str = "") -> Reply:
    """The reply to a query."""
    handler = _HANDLERS[query.kind or "papers"]
    reply = handler(graph, query)
    reply.question = question
    if query.newest:
        _newest_first(graph, reply)
    if reply.empty and not reply.nearest:
        reply.nearest = nearest(graph, query)
    return reply


# ---------------------------------------------------------------- paper answers


def _combine(graph: Graph, query: Query, parts: list[q.Answer]) -> tuple[str, list[str]]:
    """Several answers (one per combination of terms) as one sentence and one id list, with the
    author/venue/year filters applied through `papers_by`."""
    understood = "; ".join(dict.fromkeys(p.understood for p in parts))
    ids = q.newest_first(graph, {i for p in parts for i in p.ids})
    understood, ids = _narrow(graph, query, understood, ids)
    if query.author or query.venue or query.since is not None or query.until is not None:
        filtered = q.papers_by(graph, query.author, query.venue, query.since, query.until, within=ids)
        ids = filtered.ids
        extra = filtered.understood.removeprefix("papers").strip()
        understood = f"{understood}, {extra}" if extra else understood
    return understood, ids


def _narrow(graph: Graph, query: Query, understood: str, ids: list[str]) -> tuple[str, list[str]]:
    """Papers evaluated on the question's datasets or benchmarks, and having its free-text words."""
    if query.resources and query.kind in ("defenses", "counters", "attacks"):
        users = set().union(*(q.papers_using(graph, r).ids for r in query.resources))
        ids = [i for i in ids if i in users]
        understood += f", evaluated on {' or '.join(query.resources)}"
    if query.text:
        found = q.text_matches(graph, query.text)
        ids = [i for i in ids if i in found]
        understood += ", with " + " ".join(f'"{w}"' for w in query.text) + " in title, method or summary"
    return understood, ids


def _newest_first(graph: Graph, reply: Reply) -> None:
    """'latest', 'recent': the papers of a reply as one list, newest first (other results keep their groups)."""
    papers = [g for g in reply.groups if g.kind == "paper"]
    if len(papers) < 2 and not any(g.reasons for g in papers):
        for group in papers:
            group.title = "newest first"
        return
    ids = q.newest_first(graph, {i for g in papers for i in g.ids})
    reasons = {i: r for g in papers for i, r in g.reasons.items()}
    merged = Group("newest first", ids, reasons=reasons)
    reply.groups = [g for g in reply.groups if g.kind != "paper"] + [merged]
    reply.understood += ", newest first"


def _each(values: list[str]) -> list[str | None]:
    return list(values) if values else [None]


def _defenses(graph: Graph, query: Query) -> Reply:
    parts = [
        q.defense_papers(graph, d, a, m)
        for a, m, d in product(_each(query.attacks), _each(query.models), _each(query.defenses))
    ]
    understood, ids = _combine(graph, query, parts)
    scope = set().union(*(q.subtree(graph, d) for d in query.defenses)) if query.defenses else None
    groups = _by_type(graph, ids, "defenses", "defense", scope)
    broader = _broader(graph, query, set(ids))
    count = _plural(len(ids), "paper")
    if broader.ids:
        groups.append(broader)
        count += f" and {_plural(len(broader.ids), 'paper')} against a broader attack type"
    return Reply("", query, understood, count, groups)


def _broader(graph: Graph, query: Query, listed: set[str]) -> Group:
    """Defense papers against a broader attack type than the one asked (prompt injection in general for
    indirect prompt injection), with the same filters, each marked with the type it counters."""
    parts = [
        q.broader_defenses(graph, a, m, d)
        for a, m, d in product(query.attacks, _each(query.models), _each(query.defenses))
    ]
    if not parts:
        return Group("", [])
    _understood, ids = _combine(graph, query, parts)
    ids = [i for i in ids if i not in listed]
    reasons = {}
    for node in ids:
        types = dict.fromkeys(t for a in query.attacks for t in q.countered_broader(graph, node, a))
        reasons[node] = f"counters the broader {', '.join(types)}"
    asked = ", ".join(query.attacks)
    return Group(f"against a broader attack type (covering {asked})", ids, reasons=reasons)


def _attacks(graph: Graph, query: Query) -> Reply:
    parts = [q.attacks_on(graph, m, a) for a, m in product(_each(query.attacks), _each(query.models))]
    understood, ids = _combine(graph, query, parts)
    scope = set().union(*(q.subtree(graph, a) for a in query.attacks)) if query.attacks else None
    return Reply("", query, understood, _plural(len(ids), "paper"), _by_type(graph, ids, "attacks", "attack", scope))


def _papers(graph: Graph, query: Query) -> Reply:
    if query.attacks or query.models or query.defenses or query.resources:
        parts = [
            q.papers_on(graph, a, m, d, r)
            for a, m, d, r in product(
                _each(query.attacks), _each(query.models), _each(query.defenses), _each(query.resources)
            )
        ]
        understood, ids = _combine(graph, query, parts)
    else:
        found = q.papers_by(graph, query.author, query.venue, query.since, query.until)
        understood, ids = _narrow(graph, query, found.understood, found.ids)
    return Reply("", query, understood, _plural(len(ids), "paper"), _by_year(graph, ids))


def _related(graph: Graph, query: Query) -> Reply:
    paper = q.paper_id(graph, query.related or "") or ""  # a former id names the renamed paper
    if not paper:
        raise Unreadable("related to which paper? name a paper id, e.g. 'papers related to gong2023figstep'")
    pairs = q.related(graph, paper)
    ids = [p for p, _r in pairs]
    understood = f"papers related to {paper}"
    if query.author or query.venue or query.since is not None or query.until is not None:
        understood, ids = _combine(graph, query, [q.Answer(understood, ids)])
    reasons = dict(pairs)
    groups: dict[str, Group] = {}
    for node in ids:
        reason = reasons[node]
        groups.setdefault(reason, Group(reason, [], reasons={}))
        groups[reason].ids.append(node)
        groups[reason].reasons[node] = reason
    return Reply("", query, understood, _plural(len(ids), "paper"), list(groups.values()))


def _counters(graph: Graph, query: Query) -> Reply:
    if not query.attacks:
        raise Unreadable("counters which attack type? e.g. 'what counters jailbreak'")
    types: list[str] = []
    for attack in query.attacks:
        types.extend(t for t in q.defense_types_countering(graph, attack).ids if t not in types)
    papers_reply = _defenses(graph, query)
    understood = papers_reply.understood.replace("defenses countering", "defense types and defenses countering")
    groups = [Group("defense types", types, kind="defense"), *papers_reply.groups]
    count = f"{_plural(len(types), 'defense type')} and {papers_reply.count}"
    return Reply("", query, understood, count, groups)


def _resources_of_paper(graph: Graph, query: Query, kinds: tuple[str, ...]) -> Reply:
    """The datasets and benchmarks one paper evaluates on (`uses`) and introduces."""
    paper = query.paper or ""
    used, introduced = q.resources_of(graph, paper)
    word = " and ".join(f"{k}s" for k in kinds)
    groups = []
    for title, ids in (("evaluated on", used), ("introduced", introduced)):
        ids = [i for i in ids if graph.nodes[i].get("kind") in kinds]
        if ids:
            groups.append(Group(f"{title} ({_plural(len(ids), 'result')})", ids, kind=graph.nodes[ids[0]]["kind"]))
    n = sum(len(g.ids) for g in groups)
    count = _plural(n, "result") if len(kinds) > 1 else _plural(n, kinds[0])
    reply = Reply("", query, f"{word} {paper} evaluates on or introduces", count, groups)
    if not groups:
        method = graph.nodes[paper].get("method") or paper
        reply.nearest = [f"no dataset or benchmark is linked to {method} yet (its record has no `uses` or "
                         "`introduces`)"]
    return reply


def _resources(kinds: tuple[str, ...]) -> Callable[[Graph, Query], Reply]:
    def handle(graph: Graph, query: Query) -> Reply:
        if query.paper:
            return _resources_of_paper(graph, query, kinds)
        parts = [q.resources_for(graph, a, m) for a, m in product(_each(query.attacks), _each(query.models))]
        ids = list(dict.fromkeys(i for p in parts for i in p.ids if graph.nodes[i].get("kind") in kinds))
        word = " and ".join(f"{k}s" for k in kinds)
        understood = "; ".join(dict.fromkeys(p.understood.replace("benchmarks and datasets", word) for p in parts))
        groups = [Group(f"{k}s", [i for i in ids if graph.nodes[i].get("kind") == k], kind=k) for k in kinds]
        counts = [_plural(len(g.ids), g.kind) for g in groups if g.ids or len(kinds) == 1]
        return Reply("", query, understood, " and ".join(counts) or "0 results", [g for g in groups if g.ids])

    return handle


def _gaps(graph: Graph, query: Query) -> Reply:
    models = set().union(*(q.subtree(graph, m) for m in query.models)) if query.models else None
    attacks = set().union(*(q.subtree(graph, a) for a in query.attacks)) if query.attacks else None
    cells = [
        (m, a, n) for m, a, n in q.gaps(graph) if (models is None or m in models) and (attacks is None or a in attacks)
    ]
    understood = "gaps (attack papers, no defense paper)"
    if query.attacks:
        understood += " for " + " or ".join(q._scope(graph, a) for a in query.attacks)
    if query.models:
        understood += " on " + " or ".join(q._scope(graph, m) for m in query.models)
    order = {m: i for i, (m, _d) in enumerate(q.tree_order(graph, "model"))}
    attack_order = {a: i for i, (a, _d) in enumerate(q.tree_order(graph, "attack"))}
    cells.sort(key=lambda c: (order.get(c[0], 0), attack_order.get(c[1], 0)))
    groups: dict[str, Group] = {}
    for m, a, _n in cells:
        title = f"{graph.nodes[m].get('name', m)} ({m})"
        groups.setdefault(m, Group(title, [], kind="gap")).ids.append(f"{m}:{a}")
    reply = Reply("", query, understood, _plural(len(cells), "gap"), list(groups.values()), gaps=cells)
    if not cells:
        reply.nearest = ["no gap: every model family x attack type cell with attack papers also has a defense paper"]
    return reply


_HANDLERS: dict[str, Callable[[Graph, Query], Reply]] = {
    "defenses": _defenses,
    "attacks": _attacks,
    "papers": _papers,
    "related": _related,
    "counters": _counters,
    "benchmarks": _resources(("benchmark",)),
    "datasets": _resources(("dataset",)),
    "resources": _resources(("benchmark", "dataset")),
    "gaps": _gaps,
    "leaderboard": lambda graph, query: _leaderboards(graph, query),
    "results": lambda graph, query: _system_results(graph, query),
}


def gap_papers(graph: Graph, reply: Reply) -> list[str]:
    """The attack papers behind the gap cells of a reply (for BibTeX and JSON)."""
    m = q.matrix(graph)
    return q.newest_first(graph, {p for model, attack, _n in reply.gaps for p in m.cell(model, attack).attacks})


# ---------------------------------------------------------------- grouping


def _by_type(graph: Graph, ids: list[str], field_name: str, kind: str, scope: set[str] | None) -> list[Group]:
    """Papers grouped under the first of their types (in tree order) that lies in scope."""
    order = [n for n, _d in q.tree_order(graph, kind)]
    rank = {n: i for i, n in enumerate(order)}
    groups: dict[str, list[str]] = {}
    for node in ids:
        types = [t for t in graph.nodes[node].get(field_name) or [] if scope is None or t in scope]
        types.sort(key=lambda t: rank.get(t, len(rank)))
        groups.setdefault(types[0] if types else "", []).append(node)
    out = []
    for key in sorted(groups, key=lambda t: rank.get(t, len(rank))):
        title = f"{graph.nodes[key].get('name', key)} ({key})" if key in graph else "other"
        out.append(Group(title, groups[key]))
    return out


def _by_year(graph: Graph, ids: list[str]) -> list[Group]:
    groups: dict[str, list[str]] = {}
    for node in ids:
        groups.setdefault(str(graph.nodes[node].get("year", "")), []).append(node)
    return [Group(year, members) for year, members in groups.items()]


# ---------------------------------------------------------------- nearest answers


def _names(graph: Graph, ids: list[str], limit: int = 4) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f", ... ({len(ids)} in all)" if len(ids) > limit else "")


def _neighbours(graph: Graph, model: str) -> list[str]:
    """Families near a family: its ancestors (nearest first), its siblings, then the other top-level
    families (tree order); each stands for its whole subtree."""
    near = [*q.ancestors(graph, model)]
    parent = graph.nodes[model].get("parent")
    if parent:
        near += [c for c in q.children(graph, parent) if c != model]
    inside = q.subtree(graph, model)
    near += [n for n, depth in q.tree_order(graph, "model") if depth == 0 and n not in inside and n not in near]
    return near


def _elsewhere(graph: Graph, model: str, run: Callable[[str], q.Answer]) -> list[str]:
    """The same question on the nearest family that has an answer, and how many on the others."""
    found = [(other, ans) for other in _neighbours(graph, model) if (ans := run(other)).ids]
    if not found:
        return []
    _first, ans = found[0]
    note = f"nearest: {ans.understood}: {_names(graph, ans.ids)}"
    if len(found) > 1:
        note += "; also on " + ", ".join(f"{m} ({len(a.ids)})" for m, a in found[1:6])
    return [note]


def nearest(graph: Graph, query: Query) -> list[str]:
    """What is nearest to an empty answer: the same question on the parent or a neighbouring family,
    the parent attack type, the defense types countering the attack in general, the gap it reveals."""
    kind = query.kind or "papers"
    attack = query.attacks[0] if query.attacks else None
    model = query.models[0] if query.models else None
    defense = query.defenses[0] if query.defenses else None
    resource = query.resources[0] if query.resources else None
    notes: list[str] = []
    if kind in ("defenses", "counters"):
        if model:
            notes += _elsewhere(graph, model, lambda f: q.defense_papers(graph, defense, attack, f))
        if attack:
            notes += _nearest_defenses(graph, defense, attack, model)
    elif kind == "attacks":
        if model:
            notes += _elsewhere(graph, model, lambda f: q.attacks_on(graph, f, attack))
        notes += _nearest_attacks(graph, attack, model)
    elif kind in ("benchmarks", "datasets", "resources"):
        if model:
            notes += _elsewhere(graph, model, lambda f: q.resources_for(graph, attack, f))
        if attack and model:
            found = q.resources_for(graph, None, model)
            if found.ids:
                notes.append(f"{found.understood} (any attack type): {_names(graph, found.ids)}")
    elif kind == "papers" and model:
        notes += _elsewhere(graph, model, lambda f: q.papers_on(graph, attack, f, defense, resource))
    if query.author:
        notes += _nearest_author(graph, query.author)
    if query.since is not None or query.until is not None:
        years = sorted({int(graph.nodes[n].get("year") or 0) for n in q.of_kind(graph, "paper")} - {0})
        if years:
            notes.append(f"papers in the knowledge base span {years[0]}-{years[-1]}")
    if not notes:
        notes.append("nothing near: try a parent model family or attack type, or drop a filter")
    return notes


def _nearest_defenses(graph: Graph, defense: str | None, attack: str, model: str | None) -> list[str]:
    notes: list[str] = []
    for parent in q.ancestors(graph, attack)[:1]:
        found = q.defense_papers(graph, defense, parent, model)
        if found.ids:
            notes.append(f"the parent attack type: {found.understood}: {_names(graph, found.ids)}")
    if defense:
        found = q.defense_papers(graph, None, attack, model)
        if found.ids:
            notes.append(f"any defense type: {found.understood}: {_names(graph, found.ids)}")
    types = q.defense_types_countering(graph, attack)
    if types.ids:
        notes.append(f"defense types that counter {attack} in general: {', '.join(types.ids)}")
    cell = q.matrix(graph).cell(model, attack) if model else None
    if cell is not None and cell.gap:
        notes.append(
            f"gap: {_plural(len(cell.attacks), 'attack paper')} on {model} x {attack} "
            f"({_names(graph, q.newest_first(graph, cell.attacks), 3)}) and no defense paper"
        )
    elif model is None:
        attacks = q.attacks_on(graph, None, attack)
        if attacks.ids:
            notes.append(f"gap: {_plural(len(attacks.ids), 'attack paper')} on {attack} and no defense paper")
    return notes


def _nearest_attacks(graph: Graph, attack: str | None, model: str | None) -> list[str]:
    notes: list[str] = []
    if model and attack:
        found = q.attacks_on(graph, model, None)
        if found.ids:
            notes.append(f"other attacks on {model}: {_names(graph, found.ids)}")
    if attack:
        for parent in q.ancestors(graph, attack)[:1]:
            found = q.attacks_on(graph, model, parent)
            if found.ids:
                notes.append(f"the parent attack type: {found.understood}: {_names(graph, found.ids)}")
        about = q.papers_on(graph, attack, model)
        if about.ids:
            notes.append(f"other {about.understood} (defenses, benchmarks): {_names(graph, about.ids)}")
        types = q.defense_types_countering(graph, attack)
        if types.ids and not notes:
            notes.append(f"no paper yet; defense types that counter {attack} in general: {', '.join(types.ids)}")
    return notes


def _nearest_author(graph: Graph, author: str) -> list[str]:
    alone = q.papers_by(graph, author)
    if alone.ids:
        return [f"{alone.understood}: {_names(graph, alone.ids)} (none matches the other filters)"]
    vocab = vocabulary(graph)
    wanted = words(author)
    family = wanted[-1] if wanted else ""
    by_family: dict[str, list[str]] = {}
    for name in vocab.authors:
        parts = words(name)
        if parts:
            by_family.setdefault(parts[-1], []).append(name)
    near = difflib.get_close_matches(family, list(by_family), n=3, cutoff=0.75)
    names = [n for f in near for n in by_family[f]]
    if family in by_family:
        names = by_family[family] + [n for n in names if n not in by_family[family]]
    if names:
        return [f"did you mean: {', '.join(names[:5])}?"]
    return [f"no author named like '{author}'"]


# ---------------------------------------------------------------- results and leaderboards (issue 12)


def result_title(graph: Graph, result: str) -> str:
    """'SIUO · OpenQA · ASR (%), lower is better · ye2025survey (2025-02)'."""
    from safetykb.core.results import direction, metric_label

    data = graph.nodes[result]
    bench = data.get("benchmark")
    name = graph.nodes[bench].get("name", bench) if bench in graph else bench
    source = data.get("source")
    when = graph.nodes[source].get("date") or graph.nodes[source].get("year") if source in graph else ""
    return f"{name} · {data.get('setting')} · {metric_label(data)}, {direction(data)} · {source} ({when})"


def _result_sets(graph: Graph, query: Query, run: Callable[[str | None, str | None], q.Answer]) -> list[q.Answer]:
    return [run(bench, setting) for bench, setting in product(_each(query.resources), _each(query.settings))]


def _merge(parts: list[q.Answer]) -> tuple[str, list[str]]:
    understood = "; ".join(dict.fromkeys(p.understood for p in parts))
    return understood, list(dict.fromkeys(r for p in parts for r in p.ids))


def _leaderboards(graph: Graph, query: Query) -> Reply:
    """Leaderboards of the benchmarks (and settings) asked about, each best first; 'safest' names the best."""
    ask = q.safest_on if query.best else q.results_on
    parts = _result_sets(graph, query, lambda b, s: ask(graph, b, s))
    understood, results = _merge(parts)
    understood = understood.replace("result sets", "leaderboards")
    notes = [n for p in parts for n in p.notes]
    if notes:
        understood += " (" + "; ".join(notes) + ")"
    groups = [Group(result_title(graph, r), [row.system for row in q.leaderboard(graph, r)], kind="result", result=r)
              for r in results]
    systems = {s for g in groups for s in g.ids}
    count = f"{_plural(len(results), 'result set')}, {_plural(len(systems), 'system')}"
    reply = Reply("", query, understood, count, groups)
    if not results:
        reply.nearest = _nearest_results(graph, query)
    return reply


def _system_results(graph: Graph, query: Query) -> Reply:
    """What the result sets report for each system asked about: its figure and rank in each."""
    groups: list[Group] = []
    words = []
    for system in query.systems:
        parts = _result_sets(graph, query, lambda b, s, system=system: q.results_for(graph, system, b, s))
        understood, results = _merge(parts)
        words.append(understood)
        groups += [Group(result_title(graph, r), [system], kind="result", result=r) for r in results]
    results = list(dict.fromkeys(g.result for g in groups))
    reply = Reply("", query, "; ".join(words), _plural(len(results), "result set"), groups)
    if not results:
        reply.nearest = _nearest_results(graph, query)
    return reply


def _nearest_results(graph: Graph, query: Query) -> list[str]:
    """For an empty results answer: the benchmarks that have results, and the settings of those asked about."""
    notes = []
    for bench in query.resources:
        labels = list(dict.fromkeys(str(graph.nodes[r].get("setting")) for r in q.results_on(graph, bench).ids))
        if labels:
            notes.append(f"settings with results on {bench}: {', '.join(labels)}")
        else:
            notes.append(f"no result set on {bench} yet")
    for system in query.systems:
        found = q.results_for(graph, system).ids
        if found:
            benches = list(dict.fromkeys(str(graph.nodes[r].get("benchmark")) for r in found))
            notes.append(f"{system} has results on {', '.join(benches)}")
    benches = list(dict.fromkeys(str(graph.nodes[r].get("benchmark")) for r in q.result_sets(graph)))
    notes.append(f"benchmarks with results: {', '.join(benches) or 'none yet'}")
    return notes
