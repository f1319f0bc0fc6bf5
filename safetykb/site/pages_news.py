"""What is new: papers by the date their record was added (`added`): one page per month, the Atom feed of the
newest papers, and the index of all papers (/papers/).

Everything here orders papers by `added` (newest first), then by publication
date, so "new" means new to the knowledge base, not newly published.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from datetime import date
from xml.etree import ElementTree as ET

from safetykb.site.context import SiteContext
from safetykb.site.entries import Entries
from safetykb.site.index import SiteIndex
from safetykb.site.pages_paper import describe
from safetykb.site.text import esc, front, href, rel

NEWS_INDEX = "whats-new/index.md"
FEED = "feed.xml"
FEED_ENTRIES = 50
PAPERS_INDEX = "papers/index.md"
#: Papers shown on the What's new index under the latest month.
LATEST = 25
ATOM = "http://www.w3.org/2005/Atom"
#: Characters XML 1.0 does not allow (a record could hold them; the feed must stay well-formed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def added(index: SiteIndex, paper: str) -> str:
    return str(index.rec(paper).get("added") or "")


def by_added(index: SiteIndex) -> list[str]:
    """Every paper, newest addition first (ties: newest publication first, as index.papers)."""
    return sorted(index.papers, key=lambda p: added(index, p), reverse=True)


def last_updated(index: SiteIndex) -> str:
    """The date the newest record was added ('' for an empty knowledge base)."""
    return max((added(index, p) for p in index.papers), default="")


def month_page(month: str) -> str:
    return f"whats-new/{month}.md"


def month_name(month: str) -> str:
    year, number = month.split("-")
    return f"{date(int(year), int(number), 1):%B} {year}"


def months(index: SiteIndex) -> dict[str, list[str]]:
    """'YYYY-MM' -> papers added that month (newest first); months newest first."""
    found: dict[str, list[str]] = defaultdict(list)
    for paper in by_added(index):
        stamp = added(index, paper)
        if re.match(r"^\d{4}-\d{2}", stamp):
            found[stamp[:7]].append(paper)
    return dict(sorted(found.items(), reverse=True))


def news_pages(index: SiteIndex, entries: Entries) -> dict[str, str]:
    """The What's new index and one page per month."""
    grouped = months(index)
    src = NEWS_INDEX
    out = [front(description="Papers added to the knowledge base, month by month, newest first.")
           + "# What's new", "",
           f"Papers by the month their record entered the knowledge base, newest first. Subscribe to the "
           f"[Atom feed]({rel(src, FEED)}) to hear of new papers.", ""]
    if not grouped:
        out += ["*Nothing yet.*", ""]
    rows = [f"| [{month_name(m)}]({rel(src, month_page(m))}) | {len(papers)} |" for m, papers in grouped.items()]
    if rows:
        out += ["| month | papers added |", "|---|--:|", *rows, ""]
        latest, papers = next(iter(grouped.items()))
        out += [f"## Added in {month_name(latest)}", "", entries.listing(papers[:LATEST], src)]
        if len(papers) > LATEST:
            out += [f"[All {len(papers)} papers added in {month_name(latest)} →]({rel(src, month_page(latest))})", ""]
    pages = {src: "\n".join(out)}
    for month, papers in grouped.items():
        page = month_page(month)
        title = f"Added in {month_name(month)}"
        pages[page] = "\n".join([
            front(title=title, description=esc(f"{len(papers)} papers added to the knowledge base in "
                                               f"{month_name(month)}.")) + f"# {title}", "",
            f"{len(papers)} papers entered the knowledge base in {month_name(month)}, newest first. "
            f"[All months]({rel(page, src)}).", "", entries.listing(papers, page)])
    return pages


def _xml_text(value: object) -> str:
    return _NOT_XML.sub("", " ".join(str(value).split()))


def _entry_id(paper: str) -> str:
    """A permanent Atom id for a paper: a name-based UUID of its record id (ids never change; hosts may)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'safetykb:paper:{paper}')}"


def _stamp(day: str) -> str:
    return f"{day[:10]}T00:00:00Z" if re.match(r"^\d{4}-\d{2}-\d{2}", day) else "1970-01-01T00:00:00Z"


def atom_feed(index: SiteIndex, context: SiteContext, limit: int = FEED_ENTRIES) -> str:
    """An Atom 1.0 feed (RFC 4287) of the newest papers by `added`. Links are absolute with a site URL,
    else relative to the feed (at the site root)."""
    def link(page: str) -> str:
        return context.absolute(page) or href("index.md", page, context.directory_urls)

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = _xml_text(text)
        return node

    sub(feed, "title", "safetykb: new papers")
    sub(feed, "subtitle", "Papers newly added to the Large-Model Safety Knowledge Base")
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'safetykb:feed:papers')}")
    sub(feed, "updated", _stamp(last_updated(index)))
    sub(feed, "link", rel="alternate", type="text/html", href=link(NEWS_INDEX))
    if context.site_url:
        sub(feed, "link", rel="self", type="application/atom+xml", href=context.site_url.rstrip("/") + "/" + FEED)
    author = sub(feed, "author")
    sub(author, "name", "safetykb contributors")
    sub(feed, "generator", "safetykb")
    for paper in by_added(index)[:limit]:
        data = index.rec(paper)
        entry = sub(feed, "entry")
        sub(entry, "title", data["title"])
        sub(entry, "id", _entry_id(paper))
        sub(entry, "link", rel="alternate", type="text/html", href=link(index.page(paper)))
        sub(entry, "updated", _stamp(added(index, paper)))
        if re.match(r"^\d{4}-\d{2}-\d{2}$", str(data.get("date") or "")):
            sub(entry, "published", _stamp(str(data["date"])))
        for name in data.get("authors") or []:
            sub(sub(entry, "author"), "name", name)
        for node in [*(data.get("models") or []), *(data.get("attacks") or []), *(data.get("defenses") or []),
                     *(data.get("counters") or [])]:
            if node in index.kind:
                sub(entry, "category", term=node, label=_xml_text(index.name(node)))
        sub(entry, "summary", describe(index, paper))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def papers_index(index: SiteIndex, entries: Entries) -> str:
    """/papers/: how many papers per year (each year opens the explorer filtered to it), the newest additions,
    and the months of What's new, which list every paper without JavaScript."""
    src = PAPERS_INDEX
    per_year: dict[str, int] = defaultdict(int)
    for paper in index.papers:
        per_year[str(index.rec(paper).get("year") or "")] += 1
    explorer = href(src, "explorer.md", index.directory_urls)
    rows = [f'| <a href="{explorer}?year={esc(y)}">{esc(y)}</a> | {n} |'
            for y, n in sorted(per_year.items(), reverse=True)]
    grouped = months(index)
    out = [front(description=esc(f"All {len(index.papers)} papers of the knowledge base, by year and by the month "
                                 "they were added.")) + "# Papers", "",
           f"{len(index.papers)} papers, one page each. Search them from the box at the top, filter and sort them "
           f"in the [explorer]({rel(src, 'explorer.md')}), or read them by the month they were added.", "",
           '<div class="grid" markdown>', "", "| year | papers |", "|---|--:|", *rows, "",
           "| added in | papers |", "|---|--:|",
           *(f"| [{month_name(m)}]({rel(src, month_page(m))}) | {len(p)} |" for m, p in grouped.items()), "",
           "</div>", "", "## Newest additions", "", entries.listing(by_added(index)[:LATEST], src)]
    return "\n".join(out)
