"""Rendering a query `Reply` as a terminal table, Awesome-list Markdown, JSON, BibTeX or bare ids.

Every format starts by saying how the question was understood and how many
results there are: the first line of a table or Markdown answer, `understood`
in JSON, a `%` comment in BibTeX, and standard error for ids. Record strings
are printed as text; BibTeX comes from `safetykb.export.bibtex` (imported only then).
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from typing import Any

from safetykb.core import queries as q
from safetykb.core.records import authors_cut, publication_year
from safetykb.query.ask import Group, Reply, gap_papers

FORMATS: tuple[str, ...] = ("table", "md", "json", "bib", "ids")

Graph = q.Graph


def render(graph: Graph, reply: Reply, fmt: str, width: int = 100) -> tuple[str, str]:
    """(standard output, standard error) for a reply in a format."""
    if fmt == "json":
        return to_json(graph, reply), ""
    if fmt == "bib":
        return to_bib(graph, reply), ""
    if fmt == "ids":
        return "".join(f"{i}\n" for i in reply.ids), _preamble(reply)
    if fmt == "md":
        return to_markdown(graph, reply), ""
    return to_table(graph, reply, width), ""


def _preamble(reply: Reply) -> str:
    lines = [reply.headline]
    if reply.query.ignored:
        lines.append(f"(ignored: {', '.join(reply.query.ignored)})")
    lines += reply.nearest
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- records


def _text(value: Any) -> str:
    """A record value as one line of plain text."""
    return " ".join(str(value).split()) if value is not None else ""


def _date(data: dict[str, Any]) -> str:
    value = data.get("date")
    if isinstance(value, date):
        return value.isoformat()
    return _text(value) or _text(data.get("year"))


def paper_url(data: dict[str, Any]) -> str | None:
    """The link a paper's title points to: its URL, arXiv page, DOI, or project page."""
    links = data.get("links") or {}
    if links.get("url"):
        return str(links["url"])
    if links.get("arxiv"):
        return f"https://arxiv.org/abs/{links['arxiv']}"
    if links.get("doi"):
        return f"https://doi.org/{links['doi']}"
    return str(links["project"]) if links.get("project") else None


def _venue(data: dict[str, Any]) -> str:
    venue = _text(data.get("venue"))
    note = _text(data.get("venue_note"))
    return f"{venue} ({note})" if venue and note else venue


def _clip(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(width - 3, 0)] + "..."


def _resource_paper(graph: Graph, node: str) -> str | None:
    paper = graph.nodes[node].get("introduced_in")
    return paper if isinstance(paper, str) and paper in graph else None


def bib_papers(graph: Graph, reply: Reply) -> list[str]:
    """The papers a BibTeX answer holds: the result papers, the papers that introduced result
    datasets/benchmarks, or the attack papers behind gap cells."""
    if reply.gaps:
        return gap_papers(graph, reply)
    if any(g.kind == "result" for g in reply.groups):
        return list(dict.fromkeys(graph.nodes[r]["source"] for r in result_ids(reply)))
    out: dict[str, None] = {}
    for group in reply.groups:
        for node in group.ids:
            kind = graph.nodes[node].get("kind") if node in graph else None
            if kind == "paper":
                out.setdefault(node, None)
            elif kind in ("dataset", "benchmark") and _resource_paper(graph, node):
                out.setdefault(_resource_paper(graph, node) or "", None)
    return list(out)


# ---------------------------------------------------------------- table


def to_table(graph: Graph, reply: Reply, width: int = 100) -> str:
    """A plain-text table that fits `width` columns, one block per group."""
    lines = [
        wrapped
        for line in _preamble(reply).splitlines()
        for wrapped in textwrap.wrap(line, width, subsequent_indent="    ", break_on_hyphens=False) or [""]
    ]
    for group in reply.groups:
        if not group.ids:
            continue
        lines += ["", f"{group.title}: {len(group.ids)}"]
        if group.kind == "paper":
            lines += _paper_rows(graph, group.ids, width)
        elif group.kind == "result":
            lines[-1] = group.title
            lines += _result_rows(graph, reply, group, width)
        elif group.kind == "gap":
            lines += _gap_rows(graph, reply, group.ids, width)
        else:
            lines += _node_rows(graph, group.ids, width)
    return "\n".join(lines) + "\n"


def _paper_rows(graph: Graph, ids: list[str], width: int) -> list[str]:
    """date, id, title (clipped), venue; on a narrow terminal the date shrinks to the year."""
    id_w = max(len(i) for i in ids)
    venues = [_text(graph.nodes[i].get("venue")) for i in ids]
    venue_w = min(max((len(v) for v in venues), default=0), 12 if width >= 96 else 9)
    dates = [_date(graph.nodes[i]) if width >= 96 else _text(graph.nodes[i].get("year")) for i in ids]
    date_w = max(len(d) for d in dates)
    title_w = max(width - 2 - date_w - 2 - id_w - 2 - 2 - venue_w, 16)
    rows = []
    for node, venue, when in zip(ids, venues, dates, strict=True):
        title = _clip(_text(graph.nodes[node].get("title")), title_w)
        rows.append(f"  {when:<{date_w}}  {node:<{id_w}}  {title:<{title_w}}  {_clip(venue, venue_w)}".rstrip())
    return rows


def _relations(data: dict[str, Any]) -> list[str]:
    """What a taxonomy node or resource relates to: 'counters x', 'evaluates y', 'on z'."""
    extra = []
    for field, word in (("counters", "counters"), ("evaluates", "evaluates"), ("models", "on")):
        if data.get(field):
            extra.append(f"{word} " + ", ".join(data[field]))
    return extra


def _node_rows(graph: Graph, ids: list[str], width: int) -> list[str]:
    """Defense types, datasets or benchmarks: id, name and what they relate to."""
    id_w = min(max(len(i) for i in ids), 26)
    rows = []
    for node in ids:
        data = graph.nodes[node]
        name = _text(data.get("name"))
        extra = _relations(data)
        if data.get("year"):
            extra.append(str(data["year"]))
        line = f"  {node:<{id_w}}  {name}" + (f"  [{'; '.join(extra)}]" if extra else "")
        rows.append(_clip(line, width))
    return rows


def _gap_rows(graph: Graph, reply: Reply, ids: list[str], width: int) -> list[str]:
    counts = {f"{m}:{a}": n for m, a, n in reply.gaps}
    rows = []
    for cell in ids:
        _model, attack = cell.split(":", 1)
        name = _text(graph.nodes[attack].get("name")) if attack in graph else ""
        n = counts.get(cell, 0)
        rows.append(_clip(f"  {attack:<26}  {n:>4} attack paper{'s, ' if n != 1 else ',  '}no defense   {name}", width))
    return rows


# ---------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: Any) -> str:
    """Record text escaped so Markdown renders it as text, never as markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", _text(text))


def to_markdown(graph: Graph, reply: Reply) -> str:
    """Awesome-list entries (date, linked title, code link, authors, venue), one section per group."""
    lines = [_md(line) for line in _preamble(reply).splitlines()]
    for group in reply.groups:
        if not group.ids:
            continue
        lines += ["", f"### {_md(group.title)}", ""]
        if group.kind == "result":
            lines += _md_result(graph, reply, group)
            continue
        for node in group.ids:
            lines.append(_md_entry(graph, reply, group.kind, node))
    return "\n".join(lines) + "\n"


def _md_entry(graph: Graph, reply: Reply, kind: str, node: str) -> str:
    if kind == "gap":
        model, attack = node.split(":", 1)
        n = dict(((m, a), c) for m, a, c in reply.gaps).get((model, attack), 0)
        return f"- **{_md(model)} x {_md(attack)}**: {n} attack paper{'s' if n != 1 else ''}, no defense paper"
    data = graph.nodes[node]
    if kind != "paper":
        url = (data.get("links") or {}).get("url")
        name = f"[{_md(data.get('name', node))}]({url})" if url else _md(data.get("name", node))
        extra = _relations(data)
        return f"- **{name}** (`{node}`)" + (f": {_md('; '.join(extra))}" if extra else "")
    url = paper_url(data)
    title = _md(data.get("title", node))
    parts = [f"- **[{_md(_date(data).replace('-', '.'))}]**", f"**[{title}]({url})**" if url else f"**{title}**"]
    code = (data.get("links") or {}).get("code")
    if code:
        parts.append(f"[[code]({code})]")
    authors = ", ".join(_text(a) for a in data.get("authors") or [])
    if authors and authors_cut(data):
        authors += " et al"
    if authors:
        parts.append(f"{_md(authors)}.")
    venue = f"{_venue(data)} {publication_year(data) or ''}".strip()
    if venue:
        parts.append(f"*{_md(venue)}*")
    parts.append(f"`{node}`")
    reason = next((g.reasons.get(node) for g in reply.groups if node in g.reasons), None)
    if reason:
        parts.append(f"({_md(reason)})")
    return " ".join(parts)


# ---------------------------------------------------------------- json, bib


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_json(graph: Graph, reply: Reply) -> str:
    """One object: question, understood, query, count, results (records with DESIGN field names),
    groups (titles and ids, as the table shows them) and nearest (for empty answers)."""
    if reply.gaps:
        m = q.matrix(graph)
        results: list[dict[str, Any]] = [
            {"model": model, "attack": attack, "attack_papers": q.newest_first(graph, m.cell(model, attack).attacks)}
            for model, attack, _n in reply.gaps
        ]
    elif any(g.kind == "result" for g in reply.groups):
        results = [_result_json(graph, r) for r in result_ids(reply)]
    else:
        results = [q.record(graph, node) for node in reply.ids]
    payload = {
        "question": reply.question,
        "understood": reply.headline,
        "query": reply.query.as_dict(),
        "count": len(results),
        "results": results,
        "groups": [
            {"title": g.title, "kind": g.kind, "ids": g.ids, **({"reasons": g.reasons} if g.reasons else {})}
            for g in reply.groups
        ],
        "nearest": reply.nearest,
    }
    if any(g.kind == "result" for g in reply.groups):
        payload["systems"] = [q.record(graph, s) for s in reply.ids]
    return json.dumps(payload, ensure_ascii=False, indent=2, default=_jsonable) + "\n"


def to_bib(graph: Graph, reply: Reply) -> str:
    """BibTeX entries (keys are paper ids) after `%` comment lines saying what was understood."""
    from safetykb.export.bibtex import to_bibtex  # bibtexparser is only needed here

    head = "".join(f"% {line}\n" for line in _preamble(reply).splitlines())
    papers = bib_papers(graph, reply)
    if not papers:
        return head + "% no papers to cite\n"
    return head + "\n" + to_bibtex(q.record(graph, p) for p in papers)


# ---------------------------------------------------------------- result sets (issue 12)

#: Result sets with at most this many systems get their per-category figures in table and Markdown.
CATEGORY_SYSTEMS = 6


def result_ids(reply: Reply) -> list[str]:
    """The result sets of a reply, once each, in display order."""
    return list(dict.fromkeys(g.result for g in reply.groups if g.kind == "result" and g.result))


def _rows(graph: Graph, group: Group) -> list:
    """The ranked rows of a group's result set that the group shows (all, or the systems asked about)."""
    rows = q.leaderboard(graph, group.result or "")
    shown = set(group.ids)
    return [row for row in rows if row.system in shown]


def _name(graph: Graph, node: str) -> str:
    return _text(graph.nodes[node].get("name", node)) if node in graph else node


def _result_rows(graph: Graph, reply: Reply, group: Group, width: int) -> list[str]:
    """rank, system id, name, figure, 'best'; 'rank r of n' when only some systems are shown."""
    data = graph.nodes[group.result]
    total = len(q.leaderboard(graph, group.result or ""))
    rows = _rows(graph, group)
    if not rows:
        return []
    id_w = max(len(r.system) for r in rows)
    name_w = min(max(len(_name(graph, r.system)) for r in rows), 24)
    value_w = max(len(r.value) for r in rows)
    out = []
    for row in rows:
        rank = f"rank {row.rank} of {total}" if len(rows) < total else f"{row.rank:>3}"
        mark = "  best" if row.best else ""
        line = (f"  {rank}  {row.system:<{id_w}}  {_clip(_name(graph, row.system), name_w):<{name_w}}  "
                f"{row.value:>{value_w}}{mark}")
        out.append(_clip(line.rstrip(), width))
        if row.note:
            out += textwrap.wrap(row.note, width, initial_indent="       ", subsequent_indent="       ")
    if reply.query.kind == "leaderboard" and data.get("categories") and len(rows) <= CATEGORY_SYSTEMS:
        out += _category_rows(graph, group, rows, width)
    return out


def _category_rows(graph: Graph, group: Group, rows: list, width: int) -> list[str]:
    """The per-category figures: one line per category, one column per system (best first)."""
    from safetykb.core.results import categories, category_value, shown

    data = graph.nodes[group.result]
    entries = {e["system"]: e for e in data.get("values") or []}
    label = _text(data.get("category_label") or "category")
    names = categories(data)
    cat_w = min(max(len(label), *(len(c) for c in names)), 28)
    col_w = max(9, *(len(r.system) for r in rows))
    head = f"  {label:<{cat_w}}" + "".join(f"  {r.system:>{col_w}}" for r in rows)
    out = ["", _clip(head, width)]
    for name in names:
        cells = "".join(f"  {shown(category_value(entries[r.system], name) or '-'):>{col_w}}" for r in rows)
        out.append(_clip(f"  {_clip(name, cat_w):<{cat_w}}{cells}", width))
    aggregate = _text(data.get("aggregate_label") or data.get("aggregate") or "")
    if aggregate:
        cells = "".join(f"  {r.value:>{col_w}}" for r in rows)
        out.append(_clip(f"  {_clip(aggregate + ' (published)', cat_w):<{cat_w}}{cells}", width))
    return out


def _md_result(graph: Graph, reply: Reply, group: Group) -> list[str]:
    """The source line, then a Markdown table of the ranked systems (and the categories)."""
    from safetykb.core.results import categories, category_value, metric_label, shown

    data = graph.nodes[group.result]
    source = data.get("source")
    paper = graph.nodes[source] if source in graph else {}
    url = paper_url(paper) if paper else None
    title = _md(paper.get("title", source))
    cite = f"[{title}]({url})" if url else title
    lines = [f"Reported in {cite} (`{source}`, {_md(_date(paper))}). Result set `{group.result}`.", ""]
    rows = _rows(graph, group)
    total = len(q.leaderboard(graph, group.result or ""))
    lines += [f"| rank | system | {_md(metric_label(data))} |", "|--:|---|--:|"]
    for row in rows:
        value = f"**{row.value}** (best)" if row.best else row.value
        lines.append(f"| {row.rank} of {total} | {_md(_name(graph, row.system))} (`{row.system}`) | {value} |")
    notes = [f"- {_md(_name(graph, r.system))}: {_md(r.note)}" for r in rows if r.note]
    if notes:
        lines += ["", *notes]
    names = categories(data)
    if reply.query.kind == "leaderboard" and names and len(rows) <= CATEGORY_SYSTEMS:
        entries = {e["system"]: e for e in data.get("values") or []}
        label = _md(data.get("category_label") or "category")
        lines += ["", f"| {label} | " + " | ".join(_md(_name(graph, r.system)) for r in rows) + " |",
                  "|---|" + "--:|" * len(rows)]
        for name in names:
            cells = " | ".join(_md(shown(category_value(entries[r.system], name) or "-")) for r in rows)
            lines.append(f"| {_md(name)} | {cells} |")
        aggregate = data.get("aggregate_label") or data.get("aggregate")
        if aggregate:
            lines.append(f"| {_md(aggregate)} (published) | " + " | ".join(r.value for r in rows) + " |")
    return lines


def _result_json(graph: Graph, result: str) -> dict[str, Any]:
    """A result set's record (figures as JSON numbers) with its ranking, best first."""
    from safetykb.core.results import as_json, result_for_json

    record = result_for_json(q.record(graph, result))
    record["ranking"] = [{"rank": row.rank, "system": row.system, "name": _name(graph, row.system),
                          "value": as_json(row.value), "published": row.value, "best": row.best}
                         for row in q.leaderboard(graph, result)]
    return record
