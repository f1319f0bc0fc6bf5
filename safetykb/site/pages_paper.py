"""One page per paper: every fact, chips to each taxonomy node it touches, links, BibTeX, related papers."""

from __future__ import annotations

import re

from safetykb.core.layout import record_path
from safetykb.core.queries import related
from safetykb.core.records import publication_year
from safetykb.site.context import SiteContext
from safetykb.site.entries import Entries, authors_text, paper_url, venue_text, when
from safetykb.site.facts import facts_list, record_file_links
from safetykb.site.index import SiteIndex
from safetykb.site.search_marks import PAPERS, indexed, marks, weighted
from safetykb.site.text import esc, ext_anchor, ext_link, front, summary_text

RELATED_LIMIT = 16
#: At most this many papers per kind of relation, so defenses show up next to similar attacks.
RELATED_PER_REASON = 6
_FIELDS = (("models", "Model families"), ("attacks", "Proposes attacks"), ("defenses", "Proposes defenses"),
           ("counters", "Defends against"), ("evaluates", "Evaluates"), ("introduces", "Introduces"),
           ("uses", "Uses"))


def code_block(text: str, lang: str) -> str:
    """A fenced code block whose fence is longer than any backtick run inside (the text stays verbatim)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence} {lang}\n{text.rstrip()}\n{fence}\n"


def split_bibtex(text: str, keys: list[str]) -> dict[str, str]:
    """The entries of a .bib text (written in the order of `keys`) by key: one bibtexparser run for the
    whole knowledge base instead of one per paper page."""
    starts = []
    position = 0
    for key in keys:
        found = re.compile(r"^@\w+\{" + re.escape(key) + ",$", re.M).search(text, position)
        if found is None:
            raise ValueError(f"no BibTeX entry for {key}")
        starts.append(found.start())
        position = found.end()
    starts.append(len(text))
    return {key: text[starts[i]:starts[i + 1]].strip() + "\n" for i, key in enumerate(keys)}


def describe(index: SiteIndex, paper: str) -> str:
    """One or two plain sentences for the page's meta description: the summary, else what the record says."""
    data = index.rec(paper)
    if data.get("summary"):
        return str(data["summary"])
    kinds = " and ".join(data.get("contribution") or ["research"])
    models = ", ".join(index.name(m) for m in data.get("models") or [] if m in index.kind)
    authors = data.get("authors") or []
    byline = ", ".join(authors[:3]) + (" et al." if len(authors) > 3 else "")
    venue = " ".join(str(v) for v in (data.get("venue"), publication_year(data)) if v)
    return f"{kinds.capitalize()} paper on {models or 'large models'} ({venue}). By {byline}."


def _names(index: SiteIndex, nodes: list[str]) -> list[str]:
    """Display names of the nodes and their ancestors (a filter on a family includes its subfamilies)."""
    return [index.name(up) for node in nodes if node in index.up for up in index.up[node]]


def search_marks(index: SiteIndex, paper: str) -> str:
    data = index.rec(paper)
    threats = [*(data.get("attacks") or []), *(data.get("counters") or []), *(data.get("evaluates") or [])]
    filters = [*(("family", n) for n in _names(index, data.get("models") or [])),
               *(("attack", n) for n in _names(index, threats)),
               *(("defense", n) for n in _names(index, data.get("defenses") or [])),
               ("year", str(data.get("year") or "")), ("venue", str(data.get("venue") or ""))]
    return marks(data["title"], "Paper", PAPERS, filters,
                 meta=[("method", str(data.get("method") or "")), ("date", when(data))])


def paper_page(index: SiteIndex, entries: Entries, paper: str, bibtex: str, context: SiteContext) -> str:
    src = index.page(paper)
    data = index.rec(paper)
    links = data.get("links") or {}
    head = front(title=esc(data["title"]), description=esc(summary_text(describe(index, paper))))
    method = (" " + weighted(f'<span class="kb-method">{esc(data["method"])}</span>')) if data.get("method") else ""
    byline = " · ".join(p for p in (authors_text(data),
                                    f"<em>{venue_text(data)}</em>" if data.get("venue") else "", esc(when(data))) if p)
    top = [f"# {esc(data['title'])}", "",
           f'<p class="kb-byline"><span class="kb-kind">Paper</span>{method} {byline}</p>', ""]
    if data.get("summary"):
        top += ["!!! abstract \"Summary\"", "", f"    {esc(data['summary'])}", ""]
    out = [head + indexed("\n".join(top)), search_marks(index, paper)]
    out += [f'<div class="kb-chips">{entries.chips(paper, src)}</div>', ""]
    buttons = []
    if (url := paper_url(links)) and (link := ext_link(":material-file-document-outline: Read the paper", url,
                                                       "md-button .md-button--primary")):
        buttons.append(link)
    if links.get("code") and (link := ext_link(":material-github: Code", links["code"], "md-button")):
        buttons.append(link)
    if links.get("project") and (link := ext_link(":material-web: Project page", links["project"], "md-button")):
        buttons.append(link)
    if buttons:
        out += [" ".join(buttons), ""]
    rows = [("Authors", authors_text(data, limit=1000)), ("Date", esc(when(data)))]
    if data.get("venue"):
        rows.append(("Venue", venue_text(data)))
    if data.get("method"):
        rows.append(("Method", esc(data["method"])))
    rows.append(("Contribution", ", ".join(esc(c) for c in data.get("contribution") or [])))
    for field, label in _FIELDS:
        nodes = [n for n in data.get(field) or [] if n in index.kind]
        if nodes:
            rows.append((label, " ".join(entries.chip(n, src) for n in nodes)))
    if data.get("threat_model"):
        rows.append(("Threat model", esc(data["threat_model"])))
    if links.get("arxiv"):
        rows.append(("arXiv", ext_anchor(esc(links["arxiv"]), f"https://arxiv.org/abs/{links['arxiv']}")))
    if links.get("doi"):
        rows.append(("DOI", ext_anchor(esc(links["doi"]), f"https://doi.org/{links['doi']}")))
    if data.get("affiliations"):
        rows.append(("Affiliations", "; ".join(esc(a) for a in data["affiliations"])))
    for survey, labels in (data.get("filed_under") or {}).items():
        rows.append((f"Filed in {esc(survey)}", "; ".join(esc(label) for label in labels)))
    status = "reviewed by a curator" if data.get("status") == "reviewed" else "classified automatically"
    rows.append(("Record", f"{status}; added {esc(data.get('added') or '')}; from "
                 + ", ".join(esc(s) for s in data.get("sources") or [])))
    rows.append(("File", record_file_links(context, record_path("paper", paper, data.get("year")))))
    out += [facts_list(rows)]
    out += ["## BibTeX", "", code_block(bibtex, "bibtex")]
    near = related(index.graph, paper, limit=RELATED_LIMIT, per_reason=RELATED_PER_REASON)
    if near:
        out += ["## Related papers", "", entries.briefs(near, src)]
    return "\n".join(out)

