"""Statistics: papers per year by model family, attack type and defense type, as charts and as tables.

Every paper counts once per top-level node its field reaches (subtypes roll up
to their top-level type), so the table rows add up per type, not per paper.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from safetykb.site.charts import stacked_bars
from safetykb.site.index import SiteIndex
from safetykb.site.search_marks import PAGES, indexed, marks
from safetykb.site.text import esc, front, rel

STATS_PAGE = "statistics.md"
#: (table id, paper field, taxonomy kind, heading)
BREAKDOWNS = (("by-model", "models", "model", "By model family"),
              ("by-attack", "attacks", "attack", "By attack type (attack papers)"),
              ("by-defense", "defenses", "defense", "By defense type (defense papers)"))


def per_year(index: SiteIndex, field: str, kind: str) -> dict[str, Counter[int]]:
    """top-level node -> year -> number of papers whose `field` reaches it."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for paper in index.papers:
        data = index.rec(paper)
        roots = {index.root_of(n) for n in data.get(field) or [] if n in index.up}
        for root in roots:
            counts[root][int(data["year"])] += 1
    return counts


#: What each chart's caption says about counting (DESIGN 6: a paper with two families counts in both).
COUNTING = {"model": "A paper counts once under each top-level model family its record names: a paper on both LLMs "
                     "and vision-language models adds to both, so a bar can exceed that year's number of papers.",
            "attack": "An attack paper counts once under each top-level attack type it proposes (subtypes roll up "
                      "to their top-level type); a paper proposing two types adds to both.",
            "defense": "A defense paper counts once under each top-level defense type it proposes (subtypes roll "
                       "up); a paper proposing two types adds to both."}


def statistics_page(index: SiteIndex) -> str:
    src = STATS_PAGE
    years = sorted({int(index.rec(p)["year"]) for p in index.papers})
    intro = (f"# Statistics\n\n{len(index.papers)} papers from {years[0] if years else '–'} to "
             f"{years[-1] if years else '–'}, per year by model family, attack type and defense type, and by venue "
             "and contribution. A paper counts once under each top-level type its record names (subtypes roll up).")
    out = [front(description=esc(f"{len(index.papers)} papers on large-model safety per year, by model family, "
                                 "attack type and defense type; venues and contributions.")) + indexed(intro),
           marks("Statistics", "Page", PAGES)]
    for table_id, field, kind, heading in BREAKDOWNS:
        counts = per_year(index, field, kind)
        roots = [r for r in index.roots(kind) if r in counts]
        out += [f"## {heading}", ""]
        if not roots:
            out += ["*No papers yet.*", ""]
            continue
        series = [(index.name(r), [counts[r][y] for y in years]) for r in roots]
        out += [stacked_bars(heading, years, series, COUNTING[kind]), ""]
        out += [f"??? info \"The numbers: {heading.lower()}\"", "",
                f"    <div class=\"kb-table\" id=\"{table_id}\" markdown>", ""]
        head = "| year | " + " | ".join(f"[{esc(index.name(r))}]({rel(src, index.page(r))})" for r in roots)
        out += ["    " + head + " |", "    |---|" + "|".join("--:" for _ in roots) + "|"]
        for year in years:
            out.append(f"    | {year} | " + " | ".join(str(counts[r][year]) for r in roots) + " |")
        out += ["    | **total** | " + " | ".join(f"**{sum(counts[r].values())}**" for r in roots) + " |", "",
                "    </div>", ""]
    venues = Counter(str(index.rec(p).get("venue") or "unknown") for p in index.papers)
    contributions = Counter(c for p in index.papers for c in index.rec(p).get("contribution") or [])
    out += ["## Venues and contributions", "", "<div class=\"grid\" markdown>", "",
            "| venue | papers |", "|---|--:|", *(f"| {esc(v)} | {n} |" for v, n in venues.most_common(15)), "",
            "| contribution | papers |", "|---|--:|", *(f"| {esc(c)} | {n} |" for c, n in contributions.most_common()),
            "", "</div>", ""]
    return "\n".join(out)
