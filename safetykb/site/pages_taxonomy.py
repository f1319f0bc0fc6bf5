"""Pages of taxonomy nodes (model families, attack types, defense types) and of datasets and benchmarks.

Each page gives the definition, aliases (so search finds a node by any name),
parent and subtypes, what counters it or what it counters, and the papers
grouped by model family or type, newest first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from safetykb.core.layout import record_path
from safetykb.core.queries import Matrix
from safetykb.site.context import SiteContext
from safetykb.site.entries import Entries
from safetykb.site.facts import facts_list, record_file_links
from safetykb.site.index import SiteIndex
from safetykb.site.search_marks import RESOURCES, TAXONOMY, indexed, marks, weighted
from safetykb.site.tables import scroll_table
from safetykb.site.text import esc, ext_anchor, front, href, rel, summary_text

KIND_TITLE = {"model": "Model family", "attack": "Attack type", "defense": "Defense type",
              "dataset": "Dataset", "benchmark": "Benchmark"}
KIND_ICON = {"model": ":material-cube-outline:", "attack": ":material-sword:",
             "defense": ":material-shield-half-full:", "dataset": ":material-database:",
             "benchmark": ":material-scale-balance:"}
GROUP_LIMIT = 25
#: Explorer query parameter that filters by each kind.
EXPLORE_KEY = {"model": "model", "attack": "attack", "defense": "defense"}


def header(index: SiteIndex, node: str, entries: Entries) -> list[str]:
    """Title, kind badge, definition and aliases (what search indexes, names weighted above everything else),
    then parent and subtypes."""
    data = index.rec(node)
    kind = index.kind[node]
    src = index.page(node)
    description = esc(summary_text(data.get("description") or f"{KIND_TITLE[kind]}: {index.name(node)}"))
    top = [f"# {esc(index.name(node))}", "",
           f"<span class=\"kb-kind\">{KIND_ICON[kind]} {KIND_TITLE[kind]}</span>"
           f" <code class=\"kb-id\">{esc(node)}</code>", ""]
    if data.get("description"):
        top += ["!!! abstract \"Definition\"", "", f"    {esc(data['description'])}", ""]
    if data.get("aliases"):
        top += ["**Also known as:** " + weighted(", ".join(f"<em>{esc(a)}</em>" for a in data["aliases"])), ""]
    section = RESOURCES if kind in ("dataset", "benchmark") else TAXONOMY
    out = [front(title=esc(index.name(node)), description=description) + indexed("\n".join(top)),
           marks(index.name(node), KIND_TITLE[kind], section, meta=[("aliases", ", ".join(data.get("aliases") or []))])]
    facts: list[str] = []
    if data.get("phase"):
        facts.append(f"**Lifecycle phase:** {esc(data['phase'])}")
    if len(index.up.get(node, [])) > 1:
        chain = " › ".join(entries.chip(n, src) for n in reversed(index.up[node][1:]))
        facts.append(f"**Parent:** {chain}")
    if index.kids.get(node):
        facts.append("**Subtypes:** " + " ".join(entries.chip(k, src) for k in index.kids[node]))
    out += [f"{f}  " for f in facts]
    out.append("")
    return out


def grouped(index: SiteIndex, entries: Entries, src: str, papers: Iterable[str], field: str, kind: str,
            explore: tuple[tuple[str, str], ...] = (), omit: str | None = None) -> list[str]:
    """Papers grouped by the nodes in one of their fields (tree order), each group a collapsible section,
    newest first (the largest group open; reading needs no JavaScript). A long group shows its newest
    GROUP_LIMIT papers and links to the explorer filtered to the whole group (`explore` holds the filters of
    the page itself), which keeps pages light and the build linear. `omit`: the page's own node (no chip)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for paper in papers:  # already newest first
        for node in index.rec(paper).get(field) or []:
            if node in index.kind:
                groups[node].append(paper)
    out: list[str] = []
    largest = max(groups, key=lambda n: len(groups[n]), default=None)
    for node in index.of(kind):
        if node not in groups:
            continue
        shown = groups[node][:GROUP_LIMIT]
        more = ""
        if len(groups[node]) > len(shown) and explore:
            query = "&amp;".join(f"{k}={v}" for k, v in (*explore, (EXPLORE_KEY[kind], node)))
            more = (f'<p class="kb-more-link">Showing the newest {len(shown)} of {len(groups[node])}. '
                    f'<a href="{href(src, "explorer.md", index.directory_urls)}?{query}">See them all in the '
                    f"explorer →</a></p>")
        opened = " open" if node == largest else ""
        out += [f'<details class="kb-group"{opened}><summary><span class="kb-group__name">'
                f'{esc(index.name(node))}</span> <span class="kb-group__count">{len(groups[node])}</span>'
                f"</summary>", entries.listing(shown, src, omit).rstrip("\n") + more, "</details>", ""]
    return out


def narrow_bar(index: SiteIndex, papers: Iterable[str]) -> list[str]:
    """The in-page filter (year, venue, contribution, text) over the entries listed below it. Hidden until
    kb-narrow.js shows it: without JavaScript the page reads as it is, groups open and close by themselves."""
    years: set[str] = set()
    venues: set[str] = set()
    contributions: set[str] = set()
    for paper in papers:
        data = index.rec(paper)
        years.add(str(data.get("year") or ""))
        venues.add(str(data.get("venue") or ""))
        contributions.update(data.get("contribution") or [])

    def select(name: str, label: str, values: Iterable[str]) -> str:
        options = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values if v)
        return (f'<label class="kb-filter"><span>{label}</span><select name="{name}">'
                f'<option value="">any</option>{options}</select></label>')

    return ['<form class="kb-narrow" hidden data-kb-narrow role="search" aria-label="Narrow the papers on this page">',
            select("year", "Year", sorted(years, reverse=True)),
            select("venue", "Venue", sorted(venues, key=str.lower)),
            select("contrib", "Contribution", sorted(contributions)),
            '<label class="kb-filter kb-filter--text"><span>Text</span><input type="search" name="q" '
            'placeholder="title, author, method…"></label>',
            '<output class="kb-narrow__count" aria-live="polite"></output></form>', ""]


def counts_line(items: list[tuple[str, int]]) -> str:
    return " ".join(f"<span class=\"kb-count\"><b>{n}</b> {label}</span>" for label, n in items)


def model_page(index: SiteIndex, entries: Entries, grid: Matrix, node: str) -> str:
    src = index.page(node)
    papers = index.papers_under("targets", node)
    attacks = [p for p in papers if index.rec(p).get("attacks")]
    defenses = [p for p in papers if index.rec(p).get("counters") or index.rec(p).get("defenses")]
    listed = set(attacks) | set(defenses)
    others = [p for p in papers if p not in listed]
    out = header(index, node, entries)
    out += [counts_line([("papers", len(papers)), ("attack papers", len(attacks)),
                         ("defense papers", len(defenses))]), ""]
    rows = []
    for attack, _depth in grid.attacks:
        cell = grid.cell(node, attack)
        if cell.attacks or cell.defenses:
            gap = " :material-alert-circle:{ .kb-gap-icon title=\"no defense yet\" }" if cell.gap else ""
            link = rel(src, f"matrix/{node}/{attack}.md")
            rows.append(f"| {entries.chip(attack, src)} | [{len(cell.attacks)}]({link}) | "
                        f"[{len(cell.defenses)}]({link}){gap} |")
    if rows:
        out += ["## Threats at a glance", "", "| attack type | attack papers | defense papers |",
                "|---|--:|--:|", *rows, ""]
    out += narrow_bar(index, papers)
    out += ["## Attacks", "", "Grouped by attack type.", ""]
    out += grouped(index, entries, src, attacks, "attacks", "attack", (("model", node), ("contribution", "attack")),
                   node) or ["*None yet.*", ""]
    out += ["## Defenses", "", "Grouped by the attack type they counter.", ""]
    filters = (("model", node), ("contribution", "defense"))
    out += grouped(index, entries, src, defenses, "counters", "attack", filters, node) or ["*None yet.*", ""]
    if others:
        out += ["## Benchmarks, evaluations and surveys", "", entries.listing(others[:GROUP_LIMIT], src, node)]
    resources = [r for r in index.of("benchmark") + index.of("dataset")
                 if set(index.rec(r).get("models") or []) & set(index.subtree(node))]
    if resources:
        out += ["## Datasets and benchmarks", "", " ".join(entries.chip(r, src) for r in resources), ""]
    return "\n".join(out)


def attack_page(index: SiteIndex, entries: Entries, node: str) -> str:
    src = index.page(node)
    attacks = index.papers_under("proposes", node)
    defenses = index.papers_under("counters", node)
    evaluations = index.papers_under("evaluates", node)
    out = header(index, node, entries)
    out += [counts_line([("attack papers", len(attacks)), ("defense papers", len(defenses)),
                         ("evaluations", len(evaluations))]), ""]
    scope = set(index.subtree(node)) | set(index.up[node])
    types = [d for d in index.of("defense") if set(index.rec(d).get("counters") or []) & scope]
    if types:
        out += ["## Defense types that counter it", "", " ".join(entries.chip(d, src) for d in types), ""]
    out += narrow_bar(index, [*attacks, *defenses, *evaluations[:GROUP_LIMIT]])
    out += ["## Attack papers", "", "Grouped by the model family they attack.", ""]
    out += grouped(index, entries, src, attacks, "models", "model", (("attack", node), ("contribution", "attack")),
                   node) or ["*None yet.*", ""]
    out += ["## Defense papers", "", "Grouped by the model family they protect.", ""]
    out += grouped(index, entries, src, defenses, "models", "model", (("attack", node), ("contribution", "defense")),
                   node) or ["*None yet.*", ""]
    broader = broader_defenses(index, node, set(defenses))
    if broader:
        parents = " ".join(entries.chip(a, src) for a in index.up[node][1:])
        out += [f"## Defenses against a broader attack type <small>{len(broader)}</small>", "",
                f"Papers that defend against {parents} in general, which covers {esc(index.name(node))} too. "
                "Grouped by the model family they protect.", ""]
        out += grouped(index, entries, src, broader, "models", "model", omit=node)
    resources = [r for r in index.of("benchmark") + index.of("dataset")
                 if set(index.rec(r).get("evaluates") or []) & set(index.subtree(node))]
    if resources or evaluations:
        out += ["## Benchmarks and evaluations", ""]
        if resources:
            out += [" ".join(entries.chip(r, src) for r in resources), ""]
        if evaluations:
            out.append(entries.listing(evaluations[:GROUP_LIMIT], src, node))
    return "\n".join(out)


def broader_defenses(index: SiteIndex, node: str, listed: set[str]) -> list[str]:
    """Defense papers countering a parent of an attack type (not already listed), newest first."""
    found: set[str] = set()
    for parent in index.up[node][1:]:
        found.update(index.direct.get(("counters", parent), ()))
    return index.newest(found - listed)


def users_by_contribution(index: SiteIndex, papers: list[str]) -> list[tuple[str, list[str]]]:
    """Papers (newest first) split into attack papers, defense papers and the others; a paper that
    proposes both an attack and a defense is in both lists."""
    attacks = [p for p in papers if "attack" in (index.rec(p).get("contribution") or [])]
    defenses = [p for p in papers if "defense" in (index.rec(p).get("contribution") or [])]
    others = [p for p in papers if p not in set(attacks) | set(defenses)]
    return [("Attack papers", attacks), ("Defense papers", defenses), ("Benchmarks, evaluations and other papers",
                                                                      others)]


def defense_page(index: SiteIndex, entries: Entries, node: str) -> str:
    src = index.page(node)
    papers = index.papers_under("proposes", node)
    out = header(index, node, entries)
    counters = [a for a in index.rec(node).get("counters") or [] if a in index.kind]
    if counters:
        out += ["**Counters:** " + " ".join(entries.chip(a, src) for a in counters), ""]
    out += [counts_line([("papers", len(papers))]), ""]
    out += narrow_bar(index, papers)
    out += ["## Papers", "", "Grouped by the attack type they counter.", ""]
    out += grouped(index, entries, src, papers, "counters", "attack", (("defense", node),), node) \
        or ["*None yet.*", ""]
    return "\n".join(out)


#: Labels of a dataset's or benchmark's links.
LINK_LABELS = {"url": "Website", "code": "Code", "data": "Data"}


def resource_page(index: SiteIndex, entries: Entries, node: str, context: SiteContext | None = None) -> str:
    src = index.page(node)
    data = index.rec(node)
    out = header(index, node, entries)
    rows = []
    for field in ("year", "modality", "size", "license"):
        value = data.get(field)
        if value not in (None, "", []):
            shown = ", ".join(esc(v) for v in value) if isinstance(value, list) else esc(value)
            rows.append((field.capitalize(), shown))
    for field, value in (data.get("links") or {}).items():
        rows.append((LINK_LABELS.get(field, esc(field).capitalize()), ext_anchor(esc(value), value)))
    if data.get("models"):
        rows.append(("Model families", " ".join(entries.chip(m, src) for m in data["models"] if m in index.kind)))
    if data.get("evaluates"):
        rows.append(("Evaluates", " ".join(entries.chip(a, src) for a in data["evaluates"] if a in index.kind)))
    if context is not None:
        rows.append(("File", record_file_links(context, record_path(index.kind[node], node))))
    if rows:
        out += [facts_list(rows)]
    intro = data.get("introduced_in")
    if isinstance(intro, str) and intro in index.kind:
        out += ["## Introduced in", "", entries.listing([intro], src, node)]
    users = index.newest(set(index.direct.get(("uses", node), [])) | set(index.direct.get(("introduces", node), []))
                         - {intro})
    out += [f"## Papers evaluated on it <small>{len(users)}</small>", ""]
    if not users:
        out += ["*None yet.*", ""]
    for title, papers in users_by_contribution(index, users):
        if papers:
            out += [f"### {title} <small>{len(papers)}</small>", "", entries.listing(papers, src, node)]
    return "\n".join(out)


def tree_listing(index: SiteIndex, entries: Entries, kind: str, src: str, relation: str) -> str:
    """A nested list of a taxonomy tree with paper counts."""
    lines = []
    for node, depth in index.trees[kind]:
        count = len(index.papers_under(relation, node))
        desc = index.rec(node).get("description")
        tail = f" — {esc(desc)}" if desc else ""
        lines.append(f"{'    ' * depth}- {entries.chip(node, src)} <small>{count} papers</small>{tail}")
    return "\n".join(lines) + "\n"


def kind_index(index: SiteIndex, entries: Entries, kind: str) -> str:
    title = {"model": "Model families", "attack": "Attack types", "defense": "Defense types"}[kind]
    relation = {"model": "targets", "attack": "proposes", "defense": "proposes"}[kind]
    intro = {
        "model": "The families of large models whose safety the papers study. Each page lists the attacks on "
                 "the family and the defenses that protect it.",
        "attack": "What goes wrong: the ways large models are attacked. Counts are attack papers, subtypes included.",
        "defense": "What protects them: the kinds of defenses, and which attacks each counters. Counts are papers "
                   "proposing the defense type.",
    }[kind]
    src = f"{kind}s/index.md"
    return "\n".join([front(description=esc(intro)) + f"# {title}", "", intro, "",
                      tree_listing(index, entries, kind, src, relation)])


#: The index page of each resource kind and its title.
RESOURCE_INDEX = {"benchmark": ("benchmarks/index.md", "Benchmarks"), "dataset": ("datasets/index.md", "Datasets")}


def resources_index(index: SiteIndex, entries: Entries, kind: str = "benchmark") -> str:
    """The benchmarks (or datasets) in one table: name, year, model families, what they evaluate, papers."""
    src, title = RESOURCE_INDEX[kind]
    other = "dataset" if kind == "benchmark" else "benchmark"
    other_src, other_title = RESOURCE_INDEX[other]
    out = [front(description=esc(f"{title} that measure attacks on and defenses of large models, with the papers "
                                 "that introduce and use them.")) + f"# {title}", "",
           f"{title} that measure attacks and defenses, with the papers that introduce and use them. "
           f"See also the [{other_title.lower()}]({rel(src, other_src)}).", ""]
    nodes = index.of(kind)
    if not nodes:
        return "\n".join([*out, "*None yet.*", ""])
    rows = []
    for node in nodes:
        data = index.rec(node)
        users = set(index.direct.get(("uses", node), [])) | set(index.direct.get(("introduces", node), []))
        models = " ".join(entries.chip(m, src) for m in data.get("models") or [] if m in index.kind)
        attacks = " ".join(entries.chip(a, src) for a in data.get("evaluates") or [] if a in index.kind)
        rows.append([f'<a href="{index.href(src, node)}">{esc(index.name(node))}</a>', esc(data.get("year") or ""),
                     models, attacks, str(len(users))])
    out.append(scroll_table(title, ["name", "year", "model families", "evaluates", "papers"], rows,
                            "kb-resources", numeric=(4,)))
    return "\n".join(out)
