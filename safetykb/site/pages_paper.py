"""One page per paper: every fact, chips to each taxonomy node it touches, links, BibTeX, related papers."""

from __future__ import annotations

import re

from safetykb.core.queries import related
from safetykb.site.entries import Entries, authors_text, paper_url, venue_text, when
from safetykb.site.index import SiteIndex
from safetykb.site.text import esc, ext_anchor, ext_link, front_title

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


def paper_page(index: SiteIndex, entries: Entries, paper: str, bibtex: str) -> str:
    src = index.page(paper)
    data = index.rec(paper)
    links = data.get("links") or {}
    out = [front_title(esc(data["title"])) + f"# {esc(data['title'])}", ""]
    badge = f" <span class=\"kb-method\">{esc(data['method'])}</span>" if data.get("method") else ""
    out += [f"<span class=\"kb-kind\">:material-file-document-outline: Paper</span> "
            f"<code class=\"kb-id\">{esc(paper)}</code>{badge}", ""]
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
    if data.get("summary"):
        out += ["!!! abstract \"Summary\"", "", f"    {esc(data['summary'])}", ""]
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
    out += ['<div class="kb-facts"><table>', *(f"<tr><td><strong>{k}</strong></td><td>{v}</td></tr>" for k, v in rows),
            "</table></div>", ""]
    out += ["## BibTeX", "", code_block(bibtex, "bibtex")]
    near = related(index.graph, paper, limit=RELATED_LIMIT, per_reason=RELATED_PER_REASON)
    if near:
        out += ["## Related papers", "", entries.briefs(near, src)]
    return "\n".join(out)
