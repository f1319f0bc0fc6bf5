"""Coverage report of an import: per list and per section, entries seen, records
matched, merged, unparsed, unclassified; totals; link coverage. As a dict (for
``--json``) and as text."""

from __future__ import annotations

from collections import Counter
from typing import Any

from safetykb.importer import LISTS
from safetykb.importer.pipeline import ImportResult

COLUMNS = ("entries", "matched", "merged", "unparsed", "unclassified")


def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def coverage(res: ImportResult) -> dict[str, Any]:
    assert res.merged is not None and res.rules is not None
    rules = res.rules
    papers = res.merged.papers
    plan_of = {id(p.paper): p for p in res.plans}
    unclassified = {id(p) for p in res.unclassified}
    rows: dict[str, dict[str, dict[str, int]]] = {name: {} for name in LISTS}

    def row(list_name: str, label: str) -> dict[str, int]:
        return rows[list_name].setdefault(label, dict.fromkeys(COLUMNS, 0))

    for entry in sorted(res.entries, key=lambda e: e.line):
        row(entry.list, rules.label_for(entry))
    for paper in papers:
        planned = plan_of.get(id(paper))
        for entry in paper.entries:
            r = row(entry.list, rules.label_for(entry))
            r["entries"] += 1
            r["matched"] += int(bool(planned and planned.matched))
            r["merged"] += int(len(paper.entries) > 1)
            r["unclassified"] += int(id(paper) in unclassified)
    for prob in res.problems:
        if prob.severity == "error":
            row(prob.list or LISTS[0], rules.label_of(prob.list, prob.chapter, prob.heading))["unparsed"] += 1
    lists: dict[str, Any] = {}
    for name in LISTS:
        sections = [{"section": label, **counts} for label, counts in rows[name].items()]
        lists[name] = {c: sum(s[c] for s in sections) for c in COLUMNS}
        lists[name]["sections"] = sections
    actions = Counter(p.action for p in res.plans)
    n = len(papers)
    with_arxiv = sum(1 for p in papers if p.arxiv)
    with_url = sum(1 for p in papers if p.url)
    totals = {
        "entries": len(res.entries) + sum(1 for p in res.problems if p.severity == "error"),
        "entries_parsed": len(res.entries),
        "unparsed": sum(1 for p in res.problems if p.severity == "error"),
        "papers": n,
        "papers_in_both_lists": sum(1 for p in papers if len(p.sources) > 1),
        "papers_from_several_entries": sum(1 for p in papers if len(p.entries) > 1),
        "entries_merged_away": len(res.entries) - n,
        "classified": len(res.verdicts),
        "unclassified": len(res.unclassified),
        "records": {a: actions.get(a, 0) for a in ("create", "update", "unchanged", "reviewed")},
        "matched_existing": sum(1 for p in res.plans if p.matched),
        "unmatched_records": len(res.unmatched),
        "links": {
            "arxiv": {"count": with_arxiv, "share": _share(with_arxiv, n)},
            "doi": {"count": 0, "share": 0.0},
            "url": {"count": with_url, "share": _share(with_url, n)},
        },
    }
    return {
        "dry_run": res.dry_run,
        "written": res.written,
        "ok": not res.fatal,
        "lists": lists,
        "totals": totals,
        "unparsed": [p.format() for p in res.problems],
        "errors": sorted(res.errors),
        "unclassified": [
            {"where": p.entries[0].where, "title": p.title,
             "sections": sorted({f"{e.list}: {rules.label_for(e)}" for e in p.entries})}
            for p in res.unclassified
        ],
        "unmatched_records": res.unmatched,
        "warnings": res.warnings,
    }  # fmt: skip


def render_text(data: dict[str, Any], *, verbose: bool = False) -> str:
    out: list[str] = []
    width = max([len(s["section"]) for lst in data["lists"].values() for s in lst["sections"]] + [len("section")])
    head = f"  {'section':<{width}}  " + "  ".join(f"{c:>12}" for c in COLUMNS)
    for name, lst in data["lists"].items():
        out.append(f"{name}")
        out.append(head)
        for s in lst["sections"]:
            out.append(f"  {s['section']:<{width}}  " + "  ".join(f"{s[c]:>12}" for c in COLUMNS))
        out.append(f"  {'total':<{width}}  " + "  ".join(f"{lst[c]:>12}" for c in COLUMNS))
        out.append("")
    t = data["totals"]
    links = t["links"]
    rec = t["records"]
    out += [
        f"entries: {t['entries']} ({t['unparsed']} unparsed)",
        f"distinct papers: {t['papers']} ({t['papers_in_both_lists']} in both lists, "
        f"{t['papers_from_several_entries']} from several entries, "
        f"{t['entries_merged_away']} entries merged away)",
        f"classified: {t['classified']}, unclassified: {t['unclassified']}",
        f"records: {rec['create']} new, {rec['update']} updated, {rec['unchanged']} unchanged, "
        f"{rec['reviewed']} reviewed (left untouched); {t['matched_existing']} matched existing records; "
        f"{t['unmatched_records']} list-sourced records match no list paper",
        f"links: arXiv id {links['arxiv']['count']} ({links['arxiv']['share']:.1%}), "
        f"DOI {links['doi']['count']} ({links['doi']['share']:.1%}), "
        f"URL {links['url']['count']} ({links['url']['share']:.1%})",
    ]
    if data["unparsed"]:
        out += ["", f"unparsed entries ({len(data['unparsed'])}):", *(f"  {p}" for p in data["unparsed"])]
    if data["errors"]:
        out += ["", f"errors ({len(data['errors'])}):", *(f"  {e}" for e in data["errors"])]
    if data["unmatched_records"]:
        out += ["", f"records matching no list paper ({len(data['unmatched_records'])}):"]
        out += [f"  {u}" for u in data["unmatched_records"]]
    if data["unclassified"]:
        out += ["", f"unclassified papers ({len(data['unclassified'])}):"]
        shown = data["unclassified"] if verbose else data["unclassified"][:20]
        out += [f"  {u['where']}: {u['title']} [{'; '.join(u['sections'])}]" for u in shown]
        if len(shown) < len(data["unclassified"]):
            out.append(f"  ... {len(data['unclassified']) - len(shown)} more (--verbose lists all)")
    if data["warnings"]:
        out += ["", f"warnings ({len(data['warnings'])}):"]
        shown = data["warnings"] if verbose else data["warnings"][:30]
        out += [f"  {w}" for w in shown]
        if len(shown) < len(data["warnings"]):
            out.append(f"  ... {len(data['warnings']) - len(shown)} more (--verbose lists all)")
    if data["dry_run"]:
        status = "dry run: nothing written"
    elif data["written"]:
        status = "records written"
    else:
        status = "NOT written: fix the problems above (or --allow-unclassified while developing)"
    out += ["", status]
    return "\n".join(out) + "\n"
