"""Results on the site: leaderboards, evaluated systems and the Results section.

`add_results(site, index, entries)` is what `build.generate` calls. It adds

- one page per result set (`results/<id>.md`, listed in the Results section of the navigation):
  its leaderboard, sorted by the metric's direction with the best system marked, the source paper
  and its date, the metric and setting in words, the notes, the attribution (where the figures were
  taken from, under which licence) and, for a set with categories, the per-category chart (inline
  SVG) with its numbers beneath;
- the same leaderboards, one per metric and setting, at the end of each benchmark's (or dataset's)
  page;
- one page per evaluated system (`systems/<id>.md`, out of the navigation) with every result it has;
- `results/index.md`: every leaderboard and every system in two tables;
- a list of its evaluated systems at the end of each model family's page;
- `downloads/results.csv` (one row per figure).

Tables are plain HTML without a class (Material styles them) inside `div.kb-leaderboard`; the
vendored tablesort (`assets/tablesort.min.js`, started by `assets/leaderboard.js`) makes their
headers sort on click; without JavaScript they read best first. Every string from a record goes
through `esc`; only http(s) URLs become links.
"""

from __future__ import annotations

import html
import re
from typing import Any

from safetykb.core import queries as q
from safetykb.core.results import (
    categories,
    category_value,
    direction,
    lower_is_better,
    metric_label,
    metric_range,
    number,
    shown,
)
from safetykb.export.formats import to_results_csv
from safetykb.site.charts import grouped_bars
from safetykb.site.entries import Entries, paper_url, venue_text, when
from safetykb.site.index import SiteIndex
from safetykb.site.search_marks import RESULTS, indexed, marks
from safetykb.site.text import esc, ext_anchor, front, href, rel

RESULTS_INDEX = "results/index.md"
SYSTEMS_INDEX = "systems/index.md"
RESULTS_CSV = "downloads/results.csv"
#: Beyond this many result sets the navigation lists only the Results page (mkdocs renders the nav into
#: every page, so a long nav costs build time on every page).
NAV_LIMIT = 40
ACCESS_WORDS = {"open": "open weights", "closed": "closed"}


# ---------------------------------------------------------------- small pieces


def _href(index: SiteIndex, src: str, node: str) -> str:
    return index.href(src, node)


def _link(index: SiteIndex, src: str, node: str, label: str | None = None) -> str:
    text = label if label is not None else esc(index.name(node))
    return f'<a href="{_href(index, src, node)}">{text}</a>'


def system_chip(index: SiteIndex, src: str, node: str) -> str:
    return f'<a class="kb-chip kb-model" href="{_href(index, src, node)}">{esc(index.name(node))}</a>'


def _family(index: SiteIndex, entries: Entries, src: str, system: str) -> str:
    family = index.rec(system).get("family")
    return entries.chip(family, src) if family in index.kind else esc(family or "")


def _size_key(size: Any) -> str:
    """A number to sort sizes by ('13.4B' -> 13.4), 0 when none is given."""
    found = re.search(r"[0-9]+(\.[0-9]+)?", str(size or ""))
    return found.group(0) if found else "0"


def metric_short(data: dict[str, Any]) -> str:
    """'ASR (%) ↓' with the direction in words as a tooltip, escaped."""
    arrow = "↓" if lower_is_better(data) else "↑"
    return f'<span title="{esc(direction(data))}">{esc(metric_label(data))} {arrow}</span>'


LINK_LABELS = {"url": "Page", "code": "Code", "paper": "Paper"}


def result_title(index: SiteIndex, result: str) -> str:
    """'SIUO · OpenQA · ASR', escaped."""
    data = index.rec(result)
    bench = data.get("benchmark")
    name = index.name(bench) if bench in index.kind else str(bench)
    return " · ".join(esc(p) for p in (name, data.get("setting"), (data.get("metric") or {}).get("name")))


def result_page_path(result: str) -> str:
    return f"results/{result}.md"


def by_benchmark(index: SiteIndex) -> dict[str, list[str]]:
    """benchmark or dataset -> its result sets (in `queries.result_sets` order)."""
    found: dict[str, list[str]] = {}
    for result in q.result_sets(index.graph):
        found.setdefault(str(index.rec(result).get("benchmark")), []).append(result)
    return found


def by_system(index: SiteIndex) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for result in q.result_sets(index.graph):
        for entry in index.rec(result).get("values") or []:
            found.setdefault(entry["system"], []).append(result)
    return found


def _source_line(index: SiteIndex, src: str, result: str) -> str:
    """'Reported in <paper> (date, venue) · table or figure link.'"""
    data = index.rec(result)
    source = data.get("source")
    if source not in index.kind:
        return f"Reported in {esc(source)}."
    paper = index.rec(source)
    venue = venue_text(paper)
    cite = f"{esc(when(paper))}" + (f", {venue}" if venue else "")
    out = f"Reported in {_link(index, src, source, esc(paper.get('title') or source))} ({cite})"
    read = paper_url(paper.get("links") or {})
    if read and (anchor := ext_anchor("paper", read, "kb-link")):
        out += f" {anchor}"
    return out + "."


# ---------------------------------------------------------------- a leaderboard


def leaderboard_table(index: SiteIndex, entries: Entries, result: str, src: str) -> str:
    """The ranked systems of a result set as a sortable HTML table, best first, the best marked."""
    data = index.rec(result)
    arrow = "↓" if lower_is_better(data) else "↑"
    head = ('<thead><tr><th data-sort-method="number" data-sort-default>Rank</th><th>System</th>'
            '<th data-sort-method="number">Size</th><th>Access</th>'
            f'<th data-sort-method="number" title="{esc(direction(data))}">{esc(metric_label(data))} {arrow}</th>'
            '</tr></thead>')
    rows = []
    for row in q.leaderboard(index.graph, result):
        system = index.rec(row.system) if row.system in index.kind else {}
        best = ' <span class="kb-best-mark">best</span>' if row.best else ""
        note = " *" if row.note else ""
        css = ' class="kb-best"' if row.best else ""
        rows.append(f'<tr{css}><td data-sort="{row.rank}">{row.rank}</td>'
                    f"<td>{system_chip(index, src, row.system) if system else esc(row.system)}</td>"
                    f'<td data-sort="{_size_key(system.get("size"))}">{esc(system.get("size") or "–")}</td>'
                    f'<td>{esc(ACCESS_WORDS.get(system.get("access"), system.get("access") or ""))}</td>'
                    f'<td data-sort="{row.number}"><b>{esc(row.value)}</b>{note}{best}</td></tr>')
    return (f'<div class="kb-leaderboard" id="lb-{esc(result)}" data-result="{esc(result)}">'
            f'<table>{head}<tbody>{"".join(rows)}</tbody></table></div>')


def category_block(index: SiteIndex, result: str, src: str) -> list[str]:
    """The per-category figures of a result set: a grouped bar chart, then its numbers (a sortable table
    with the source's own aggregate row last and the best figure of each category in bold)."""
    data = index.rec(result)
    names = categories(data)
    rows = q.leaderboard(index.graph, result)
    entries = {e["system"]: e for e in data.get("values") or []}
    if not names or not rows:
        return []
    label = str(data.get("category_label") or "category")
    bounds = metric_range(data)
    figures = [number(category_value(entries[r.system], c)) for r in rows for c in names]
    high = float(bounds[1]) if bounds else float(max((f for f in figures if f is not None), default=1))

    def item(system: str, category: str) -> tuple[float, str] | None:
        value = category_value(entries[system], category)
        found = number(value)
        return (float(found), shown(value)) if found is not None else None

    series = [(index.name(r.system), [item(r.system, c) for c in names]) for r in rows]
    title = f"{result_title(index, result)} by {label}"
    chart = grouped_bars(f"{index.name(data['benchmark']) if data.get('benchmark') in index.kind else ''} "
                          f"{data.get('setting')}: {metric_label(data)} by {label}", names, series, high)
    head = (f"<thead><tr><th>{esc(label.capitalize())}</th>"
            + "".join(f'<th data-sort-method="number">{esc(index.name(r.system))}</th>' for r in rows)
            + "</tr></thead>")
    body = []
    for category in names:
        values = [number(category_value(entries[r.system], category)) for r in rows]
        present = [v for v in values if v is not None]
        best = (min(present) if lower_is_better(data) else max(present)) if present else None
        cells = []
        for r, found in zip(rows, values, strict=True):
            text = esc(shown(category_value(entries[r.system], category))) if found is not None else "–"
            cell = f"<b>{text}</b>" if found is not None and found == best else text
            cells.append(f'<td data-sort="{found if found is not None else ""}">{cell}</td>')
        body.append(f"<tr><td>{esc(category)}</td>{''.join(cells)}</tr>")
    aggregate = data.get("aggregate_label") or data.get("aggregate")
    foot = ""
    if aggregate:
        foot = (f"<tfoot><tr><td>{esc(aggregate)} (published)</td>"
                + "".join(f"<td>{esc(r.value)}</td>" for r in rows) + "</tr></tfoot>")
    numbers = (f'<div class="kb-leaderboard kb-breakdown" data-result="{esc(result)}">'
               f"<table>{head}<tbody>{''.join(body)}</tbody>{foot}</table></div>")
    return [f"**{title}**", "", chart, "",
            "The numbers (best of each row in bold):", "", numbers, ""]


def leaderboard_block(index: SiteIndex, entries: Entries, result: str, src: str, level: str = "###") -> list[str]:
    """Everything about one result set: heading (unless level is empty), source, metric, setting, the
    leaderboard, notes, per-category breakdown and attribution."""
    data = index.rec(result)
    metric = data.get("metric") or {}
    out: list[str] = [f"{level} {result_title(index, result)}", ""] if level else []
    out += [_source_line(index, src, result), ""]
    bounds = metric_range(data)
    described = f" — {esc(metric['description'])}" if metric.get("description") else ""
    span = f"; values from {esc(shown(metric['range']['min']))} to {esc(shown(metric['range']['max']))}" \
        if bounds else ""
    out += [f"**Metric:** {esc(metric_label(data))}{described}; {esc(direction(data))}{span}.  ",
            f"**Setting:** {esc(data.get('setting'))}"
            + (f" — {esc(data['setting_description'])}" if data.get("setting_description") else "") + ".", ""]
    out += [leaderboard_table(index, entries, result, src), ""]
    noted = [row for row in q.leaderboard(index.graph, result) if row.note]
    if noted:
        out += [f"- \\* {esc(index.name(r.system))}: {esc(r.note)}" for r in noted] + [""]
    if data.get("notes"):
        out += [f"*{esc(data['notes'])}*", ""]
    out += category_block(index, result, src)
    out += [attribution(index, src, result), ""]
    return out


def attribution(index: SiteIndex, src: str, result: str) -> str:
    data = index.rec(result)
    parts = []
    if data.get("source_note"):
        parts.append(esc(data["source_note"]))
    if data.get("source_url") and (anchor := ext_anchor("the table", data["source_url"], "kb-link")):
        parts.append(f"Source: {anchor}")
    if data.get("license"):
        parts.append(f"Licence of the source: {esc(data['license'])}")
    parts.append("Figures as published; the knowledge base never corrects a source, its checks flag.")
    return '<p class="kb-attribution"><small>' + " ".join(f"{p.rstrip('.')}." for p in parts) + "</small></p>"


def result_page(index: SiteIndex, entries: Entries, result: str) -> str:
    src = result_page_path(result)
    data = index.rec(result)
    title = f"{result_title(index, result)} leaderboard"
    bench = data.get("benchmark")
    back = (f"{entries.chip(bench, src)} · " if bench in index.kind else "") + \
        f'<a href="{href(src, RESULTS_INDEX, index.directory_urls)}">all leaderboards</a>'
    about = (f"{title}: how {len(q.leaderboard(index.graph, result))} evaluated systems score, as "
             f"{esc(data.get('source'))} reports.")  # title is escaped already
    plain = html.unescape(title)
    return "\n".join([front(title=title, description=about) + indexed(f"# {title}"),
                      marks(plain, "Leaderboard", RESULTS),
                      f'<span class="kb-kind">Result set</span> <code class="kb-id">{esc(result)}</code> · {back}', "",
                      *leaderboard_block(index, entries, result, src, level="")])


# ---------------------------------------------------------------- pages that gather results


def benchmark_section(index: SiteIndex, entries: Entries, node: str, results: list[str]) -> str:
    """The leaderboards of a benchmark (or dataset), one per metric and setting."""
    src = index.page(node)
    out = ["", "## Leaderboards", "",
           f"{len(results)} result set{'s' if len(results) != 1 else ''} on {esc(index.name(node))}, each as its "
           "source reports it. Click a column header to sort.", ""]
    for result in results:
        out += leaderboard_block(index, entries, result, src)
        out += [f'<a href="{href(src, result_page_path(result), index.directory_urls)}">This leaderboard on its own '
                "page</a>", ""]
    return "\n".join(out)


def system_page(index: SiteIndex, entries: Entries, node: str, results: list[str]) -> str:
    src = index.page(node)
    data = index.rec(node)
    name = index.name(node)
    family = index.name(data["family"]) if data.get("family") in index.kind else ""
    aliases = ", ".join(data.get("aliases") or [])
    about = f"{name}: an evaluated {family or 'model'}" + (f" ({data['size']})" if data.get("size") else "") + \
        f", with its {len(results)} result set{'s' if len(results) != 1 else ''} in the knowledge base."
    out = [front(title=esc(name), description=esc(about))
           + indexed(f"# {esc(name)}" + (f"\n\n<small>{esc(aliases)}</small>" if aliases else "")),
           marks(name, "Evaluated system", RESULTS, filters=[("family", family)]),
           f'<span class="kb-kind">Evaluated system</span> <code class="kb-id">{esc(node)}</code>', ""]
    facts = [("Model family", _family(index, entries, src, node)),
             ("Size", esc(data.get("size") or "not stated")),
             ("Access", esc(ACCESS_WORDS.get(data.get("access"), data.get("access") or ""))),
             ("Organization", esc(data.get("organization") or ""))]
    if data.get("aliases"):
        facts.append(("Also known as", ", ".join(f"<em>{esc(a)}</em>" for a in data["aliases"])))
    for field, value in (data.get("links") or {}).items():
        facts.append((LINK_LABELS.get(field, field.capitalize()), ext_anchor(esc(value), value)))
    out += ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in facts if v), ""]
    if data.get("description"):
        out += [esc(data["description"]), ""]
    out += ["## Results", ""]
    if not results:
        out += ["*No results yet.*", ""]
        return "\n".join(out)
    rows = []
    for result in results:
        res = index.rec(result)
        row = q.leaderboard(index.graph, result)
        mine = next((r for r in row if r.system == node), None)
        if mine is None:
            continue
        bench = res.get("benchmark")
        source = res.get("source")
        best = ' <span class="kb-best-mark">best</span>' if mine.best else ""
        paper = index.rec(source) if source in index.kind else {}
        board = href(src, result_page_path(result), index.directory_urls)
        rows.append(f"<tr><td>{entries.chip(bench, src) if bench in index.kind else esc(bench)}</td>"
                    f'<td><a href="{board}" title="the whole leaderboard">{esc(res.get("setting"))}</a></td>'
                    f"<td>{metric_short(res)}</td>"
                    f'<td data-sort="{mine.number}"><b>{esc(mine.value)}</b>{best}</td>'
                    f'<td data-sort="{mine.rank}">{mine.rank} of {len(row)}</td>'
                    f"<td>{_link(index, src, source, esc(source)) if paper else esc(source)} "
                    f"<small>{esc(when(paper))}</small></td></tr>")
    out += ["Each setting links to its whole leaderboard.", "",
            f'<div class="kb-leaderboard" data-system="{esc(node)}"><table><thead><tr><th>Benchmark</th>'
            '<th>Setting</th><th>Metric</th><th data-sort-method="number">Value</th>'
            '<th data-sort-method="number">Rank</th><th>Source</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>", ""]
    notes = [(r, n.note) for r in results for n in q.leaderboard(index.graph, r) if n.system == node and n.note]
    if notes:
        out += [f"- {result_title(index, r)}: {esc(note)}" for r, note in notes] + [""]
    return "\n".join(out)


def results_index(index: SiteIndex, entries: Entries, boards: dict[str, list[str]],
                  systems: dict[str, list[str]]) -> str:
    src = RESULTS_INDEX
    link = lambda dest: href(src, dest, index.directory_urls)  # noqa: E731
    out = ["# Results", "",
           "How evaluated systems score on the benchmarks: every result set of the knowledge base, each the "
           "figures one paper reports for several systems on one benchmark, metric and setting. Figures are kept "
           "exactly as published, with their source; the validator flags a figure outside its metric's range or "
           "an aggregate that disagrees with its parts, and never corrects one.", "",
           f'[:material-download: All figures as CSV]({rel(src, RESULTS_CSV)}){{ .md-button }} '
           f'[:material-code-json: Everything as JSON]({rel(src, "downloads/kb.json")}){{ .md-button }}', "",
           "## Leaderboards", ""]
    if not boards:
        out += ["*No result sets yet.* See *Contribute* for `scripts/add_results.py`.", ""]
    else:
        rows = []
        for bench, results in boards.items():
            for result in results:
                data = index.rec(result)
                board = q.leaderboard(index.graph, result)
                best = ", ".join(f"{system_chip(index, src, r.system) if r.system in index.kind else esc(r.system)} "
                                 f"{esc(r.value)}" for r in board if r.best)
                source = data.get("source")
                paper = index.rec(source) if source in index.kind else {}
                bench_cell = entries.chip(bench, src) if bench in index.kind else esc(bench)
                cite = _link(index, src, source, esc(source)) if paper else esc(source)
                rows.append(f'<tr><td>{bench_cell}</td><td><a href="{link(result_page_path(result))}">'
                            f"{esc(data.get('setting'))}</a></td><td>{metric_short(data)}</td>"
                            f"<td data-sort=\"{len(board)}\">{len(board)}</td><td>{best}</td>"
                            f"<td>{cite} <small>{esc(when(paper))}</small></td></tr>")
        out += ["Each setting links to its leaderboard; the benchmark's page has them all.", "",
                '<div class="kb-leaderboard" id="kb-all-leaderboards"><table><thead><tr><th>Benchmark</th>'
                '<th>Setting</th><th>Metric</th><th data-sort-method="number">Systems</th><th>Best</th>'
                f"<th>Source</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>", ""]
    out += ["## Evaluated systems", "", *systems_table(index, entries, src, systems)]
    return "\n".join(out)


def systems_table(index: SiteIndex, entries: Entries, src: str, systems: dict[str, list[str]]) -> list[str]:
    """Every evaluated system with its family, size, access, organisation and number of result sets."""
    names = index.of("system")
    if not names:
        return ["*None yet.*", ""]
    rows = []
    for node in names:
        data = index.rec(node)
        rows.append(f"<tr><td>{system_chip(index, src, node)}</td><td>{_family(index, entries, src, node)}</td>"
                    f'<td data-sort="{_size_key(data.get("size"))}">{esc(data.get("size") or "–")}</td>'
                    f'<td>{esc(ACCESS_WORDS.get(data.get("access"), data.get("access") or ""))}</td>'
                    f'<td>{esc(data.get("organization") or "")}</td>'
                    f'<td data-sort="{len(systems.get(node, []))}">{len(systems.get(node, []))}</td></tr>')
    return ['<div class="kb-leaderboard" id="kb-all-systems"><table><thead><tr><th>System</th><th>Family</th>'
            '<th data-sort-method="number">Size</th><th>Access</th><th>Organization</th>'
            f'<th data-sort-method="number">Result sets</th></tr></thead><tbody>{"".join(rows)}</tbody>'
            "</table></div>", ""]


def systems_index(index: SiteIndex, entries: Entries, systems: dict[str, list[str]]) -> str:
    """The folder page of systems/: every evaluated system, linking to its page."""
    src = SYSTEMS_INDEX
    return "\n".join([front(title="Evaluated systems",
                             description="The concrete models that result sets report figures for: family, size, "
                                         "access and organisation."),
                       "# Evaluated systems", "",
                       "Concrete models that result sets report figures for, distinct from the model families of "
                       f'the taxonomy. [All leaderboards]({rel(src, RESULTS_INDEX)}).', "",
                       *systems_table(index, entries, src, systems)])


def family_section(index: SiteIndex, node: str) -> str:
    """The evaluated systems of a model family and its subtypes, for the end of its page."""
    src = index.page(node)
    systems = q.systems_of(index.graph, node)
    if not systems:
        return ""
    return "\n".join(["", "## Evaluated systems", "",
                      "Concrete models of this family that result sets report figures for.", "",
                      " ".join(system_chip(index, src, s) for s in systems), ""])


def navigation(index: SiteIndex) -> list[Any]:
    results = q.result_sets(index.graph)
    return [RESULTS_INDEX, *(result_page_path(r) for r in results)] if len(results) <= NAV_LIMIT else [RESULTS_INDEX]


def add_results(site: Any, index: SiteIndex, entries: Entries) -> None:
    """Add every results page and file to a `build.Site`, and the results sections to the benchmark,
    dataset and model family pages already in it."""
    boards = by_benchmark(index)
    systems = by_system(index)
    pages = site.pages
    listed = set(navigation(index))
    for results in boards.values():
        for result in results:
            path = result_page_path(result)
            pages[path] = result_page(index, entries, result)
            if path not in listed:
                site.hidden.add(path)
    for bench, results in boards.items():
        if bench in index.kind and index.page(bench) in pages:
            pages[index.page(bench)] += benchmark_section(index, entries, bench, results)
    for node in index.of("system"):
        path = index.page(node)
        pages[path] = system_page(index, entries, node, systems.get(node, []))
        site.hidden.add(path)
    for node in index.of("model"):
        if index.page(node) in pages:
            pages[index.page(node)] += family_section(index, node)
    pages[RESULTS_INDEX] = results_index(index, entries, boards, systems)
    if index.of("system"):
        pages[SYSTEMS_INDEX] = systems_index(index, entries, systems)
        site.hidden.add(SYSTEMS_INDEX)
    site.files[RESULTS_CSV] = to_results_csv(index.graph)
