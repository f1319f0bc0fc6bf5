"""The Awesome-list README generated from the records (`scripts/export.py awesome OUT.md`).

Papers are grouped by model family (root families of the tree; a paper on a
subfamily sits with its root) and, within a family, by threat: the attack
types the paper proposes, counters or evaluates, each split into attacks,
defenses and evaluations. Papers that name no threat (surveys, analyses) close
the family under "General". Entries follow the Awesome-LVLM-Safety style:

    * **[2023.11.09]** **[FigStep: ...](https://arxiv.org/abs/2311.05608)** [[code](https://github.com/...)]
      * Yichen Gong, Delong Ran, ...
      * [AAAI'25]

Every string from a record is Markdown-escaped, so a title cannot inject
markup or HTML into the list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from safetykb.core.queries import Graph, ancestors, newest_first, of_kind, record, tree_order
from safetykb.core.records import authors_cut, publication_year

#: Roles of a paper within a threat section, in order, with their headings.
ROLES: tuple[tuple[str, str, str], ...] = (
    ("attacks", "attack", "Attacks"),
    ("counters", "defense", "Defenses"),
    ("evaluates", "evaluation", "Benchmarks and evaluations"),
)

TITLE = "Awesome Large-Model Safety"

_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+>=])")


def escape(text: Any) -> str:
    """Record text as inert Markdown: markup characters backslash-escaped, HTML characters as entities,
    one line."""
    plain = " ".join(str(text).split())
    plain = plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    plain = _ESCAPE.sub(r"\\\1", plain)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", plain)


def _url(url: str) -> str:
    """A link target that cannot close the Markdown link early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def paper_link(paper: dict[str, Any]) -> str | None:
    links = paper.get("links") or {}
    if links.get("arxiv"):
        return f"https://arxiv.org/abs/{links['arxiv']}"
    if links.get("url"):
        return links["url"]
    if links.get("doi"):
        return f"https://doi.org/{links['doi']}"
    return links.get("project")


def entry(paper: dict[str, Any]) -> str:
    """One paper as an Awesome-list item: date, linked title, code link; authors; venue."""
    date = str(paper.get("date") or paper.get("year") or "").replace("-", ".")
    title = escape(paper["title"])
    link = paper_link(paper)
    head = f"* **[{date}]** **[{title}]({_url(link)})**" if link else f"* **[{date}]** **{title}**"
    code = (paper.get("links") or {}).get("code")
    if code:
        head += f" [[code]({_url(code)})]"
    authors = ", ".join([*(paper.get("authors") or []), *(["et al."] if authors_cut(paper) else [])])
    lines = [head, "  * " + escape(authors)]
    venue = paper.get("venue")
    year = str(publication_year(paper) or "")[-2:]
    label = f"{venue}'{year}" if venue else str(paper.get("year", ""))
    if paper.get("venue_note"):
        label += f" {paper['venue_note']}"
    lines.append(f"  * [{escape(label)}]")
    return "\n".join(lines)


def _slug(text: str, used: dict[str, int]) -> str:
    """GitHub's heading anchor for text, with -1, -2 ... for repeats."""
    base = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
    count = used.get(base, 0)
    used[base] = count + 1
    return base if count == 0 else f"{base}-{count}"


def _root(graph: Graph, node: str) -> str:
    chain = ancestors(graph, node)
    return chain[-1] if chain else node


def _name(graph: Graph, node: str) -> str:
    return str(graph.nodes[node].get("name") or node)


def to_awesome(graph: Graph) -> str:
    """The whole Awesome-list README as Markdown."""
    papers = {p: record(graph, p) for p in of_kind(graph, "paper")}
    families = [n for n, depth in tree_order(graph, "model") if depth == 0]
    attack_order = [n for n, _d in tree_order(graph, "attack")]
    # family -> attack -> role -> papers; family -> papers naming no threat
    groups: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    general: dict[str, set[str]] = defaultdict(set)
    for pid, paper in papers.items():
        roots = {_root(graph, m) for m in paper.get("models") or [] if m in graph}
        for family in roots:
            named = False
            for field, role, _heading in ROLES:
                for attack in paper.get(field) or []:
                    groups[family][attack][role].add(pid)
                    named = True
            if not named:
                general[family].add(pid)
    extra_families = sorted((set(groups) | set(general)) - set(families))
    # GitHub numbers repeated heading anchors in document order (-1, -2, ...): every heading is counted
    used: dict[str, int] = {}
    _slug(TITLE, used)
    _slug("Contents", used)
    toc: list[str] = []
    body: list[str] = []
    for family in [*families, *extra_families]:
        if family not in groups and family not in general:
            continue
        heading = _name(graph, family)
        toc.append(f"- [{escape(heading)}](#{_slug(heading, used)})")
        body += ["", f"## {escape(heading)}"]
        subtypes = [n for n, _d in tree_order(graph, "model") if family in ancestors(graph, n)]
        if subtypes:
            body += ["", "Includes " + ", ".join(escape(_name(graph, n)) for n in subtypes) + "."]
        attacks = [a for a in attack_order if a in groups[family]]
        attacks += sorted(a for a in groups[family] if a not in attack_order)
        sections = [(a, _name(graph, a)) for a in attacks]
        if general.get(family):
            sections.append(("", "General"))
        for attack, name in sections:
            toc.append(f"  - [{escape(name)}](#{_slug(name, used)})")
            body += ["", f"### {escape(name)}"]
            roles = groups[family][attack] if attack else {"": general[family]}
            for _field, role, role_heading in (ROLES if attack else (("", "", ""),)):
                ids = roles.get(role) or set()
                if not ids:
                    continue
                if role_heading:
                    _slug(role_heading, used)
                    body += ["", f"#### {role_heading}"]
                body.append("")
                body += [entry(papers[p]) for p in newest_first(graph, ids)]
    count = len(papers)
    header = [
        f"# {TITLE}",
        "",
        f"{count} paper{'s' if count != 1 else ''} on the safety of large models, grouped by model family and "
        "threat. Generated from the safetykb records by `scripts/export.py awesome`: edit the records "
        "(papers/, taxonomy/), not this file.",
        "",
        "Seeded from [Awesome-LVLM-Safety](https://github.com/XuankunRong/Awesome-LVLM-Safety) (CC BY-NC 4.0) "
        "and [Awesome-Large-Model-Safety](https://github.com/xingjunm/Awesome-Large-Model-Safety) (MIT).",
        "",
        "## Contents",
        "",
        *toc,
    ]
    return "\n".join(header + body) + "\n"
