"""The About page: what the knowledge base is, its sources (from sources.yaml), how to cite it and the surveys
behind it, the licences of data and code, and the repository.

Nothing here keeps a second copy of a fact: sources, commits, licences and the
surveys' BibTeX come from `sources.yaml` (via `SiteContext.sources`), the data
licence is LICENSE-DATA.md's own text when the checkout has that file, the code
licence is what pyproject.toml declares.
"""

from __future__ import annotations

from collections import Counter

from safetykb.site.context import SiteContext
from safetykb.site.index import SiteIndex
from safetykb.site.pages_news import FEED, NEWS_INDEX, last_updated
from safetykb.site.pages_paper import code_block
from safetykb.site.search_marks import PAGES, indexed, marks
from safetykb.site.text import esc, ext_link, front, rel

ABOUT_PAGE = "about.md"


def kb_bibtex(index: SiteIndex, context: SiteContext) -> str:
    """The BibTeX entry for citing the knowledge base itself (its version is the date of the newest record)."""
    updated = last_updated(index)
    fields = [("title", "{safetykb: The Large-Model Safety Knowledge Base}"),
              ("author", "{{safetykb contributors}}"), ("year", updated[:4] or "n.d.")]
    where = context.site_url or context.repo_url
    if where:
        fields.append(("howpublished", f"{{\\url{{{where}}}}}"))
    fields.append(("note", f"Version of {updated or 'unknown date'}, {len(index.papers)} papers"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{safetykb,\n{body}\n}}\n"


def _demote(markdown: str) -> str:
    """A Markdown file's headings two levels down, so it sits under the About page's own headings."""
    return "\n".join("##" + line if line.startswith("#") else line for line in markdown.splitlines())


def about_page(index: SiteIndex, context: SiteContext) -> str:
    src = ABOUT_PAGE
    per_source = Counter(s for p in index.papers for s in index.rec(p).get("sources") or [])
    intro = ["# About safetykb", "",
             "safetykb is a curated, cross-linked map of research on the safety of large models: which attacks "
             "exist, which defenses counter them, on which model families, measured by which benchmarks, in which "
             f"papers. It holds {len(index.papers)} papers; the newest record was added on "
             f"{esc(last_updated(index) or 'an unknown date')} ([what's new]({rel(src, NEWS_INDEX)}), "
             f"[Atom feed]({rel(src, FEED)})). Every entry is a YAML record checked against a schema; this site, "
             "the downloads and the search index are generated from the records.", ""]
    out = [front(description="What safetykb is, where its records come from, how to cite it, its licences and its "
                             "repository.") + indexed("\n".join(intro)),
           marks("About safetykb", "Page", PAGES)]
    out += ["## Sources", "",
            "The knowledge base started from two curated lists, each the companion of a survey. Titles, authors, "
            "venues, dates and links were imported from them at the pinned commits below; summaries and "
            "descriptions are our own words. Where each list files a paper is kept on the paper's page.", ""]
    if not context.sources:
        out += ["*sources.yaml was not found in this checkout.*", ""]
    for source in context.sources:
        repository = ext_link(esc(source.title), f"https://github.com/{source.repository}")
        commit = ext_link(f"`{esc(source.commit[:10])}`", source.url)
        licence = ext_link(esc(source.license), source.license_url)
        out += [f"- **{repository}**, companion of *{esc(source.companion_of)}*. Pinned at commit {commit} "
                f"({esc(source.date)}). Licence: {licence}. Records citing it: {per_source.get(source.name, 0)}.", ""]
    out += ["## How to cite", "", "### This knowledge base", "", code_block(kb_bibtex(index, context), "bibtex")]
    cited = [s for s in context.sources if s.citation.strip()]
    if cited:
        out += ["### The surveys behind the source lists", "",
                "Each list asks to be cited through its survey (BibTeX as the list gives it):", ""]
        for source in cited:
            out += [f"**{esc(source.title)}**", "", code_block(source.citation, "bibtex")]
    out += ["Cite the papers you use as well: every paper page has its BibTeX, and the "
            f"[downloads]({rel(src, 'downloads.md')}) hold all of them in one file.", ""]
    out += ["## Licences", "", "### Data", ""]
    if context.data_licence:
        out += [_demote(context.data_licence), ""]
    else:
        out += ["This checkout has no `LICENSE-DATA.md` yet; this section shows that file's text once it is "
                "added. The licences of the two source lists are given above.", ""]
    out += ["### Code", ""]
    if context.code_licence:
        licence_file = context.file_url("LICENSE") if context.has_licence_file else None
        named = ext_link("LICENSE", licence_file) if licence_file else "`LICENSE`" if context.has_licence_file else ""
        out += [f"The code (the `safetykb` package, scripts and site generator) is released under the "
                f"{esc(context.code_licence)} licence, as pyproject.toml declares" + (f"; see {named}." if named
                                                                                     else "."), ""]
    else:
        out += ["pyproject.toml declares no licence for the code.", ""]
    out += ["## The repository", ""]
    if context.repo_url:
        out += [f"The records, the code and this site live in {ext_link(esc(context.repo_url), context.repo_url)}. "
                "Every paper, dataset and benchmark page links to its record's file with an *Edit this record* "
                f"link; [Contribute]({rel(src, 'contribute.md')}) says how to add a paper.", ""]
    else:
        out += ["This build does not know its repository (set `SAFETYKB_REPO_URL`); "
                f"[Contribute]({rel(src, 'contribute.md')}) says how to add a paper.", ""]
    return "\n".join(out)
