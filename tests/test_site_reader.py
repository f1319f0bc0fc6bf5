"""What a researcher gets beyond the record pages, checked on the built sites: the Atom feed, the sitemap, what's
new, the About page, meta descriptions and OpenGraph tags, "edit this record" links, an index page in every
folder, the facts lists, taxonomy pages that can be narrowed, and the charts."""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree as ET

import pytest

from safetykb.core.graph import build_graph
from safetykb.core.validation import load_kb
from safetykb.importer.sources import load_sources
from safetykb.site import generate
from safetykb.site.charts import nice_ticks, stacked_bars
from safetykb.site.context import SiteContext, site_context
from safetykb.site.pages_news import FEED_ENTRIES
from tests.site_kb import HOSTILE_TITLE, REPO, REPO_URL, SITE_URL, built_site, root_of
from tests.test_site_build import parse

ATOM = "{http://www.w3.org/2005/Atom}"
KBS = ["fixture", "real"]


def html_pages(site: Path) -> list[Path]:
    """Every page of the site: not the 404 page, nor the redirect pages at renamed papers' old addresses
    (a sitemap lists where pages are, not where they were)."""
    return sorted(p for p in site.rglob("*.html")
                  if p.name != "404.html" and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")[:600])


def url_of(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return urljoin(SITE_URL, rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def head(path: Path) -> dict[str, str]:
    """The page's meta tags by name or property, and its alternate links by type."""
    found: dict[str, str] = {}
    for tag, attrs in parse(path).tags:
        if tag == "meta" and (key := attrs.get("property") or attrs.get("name")):
            found[key] = attrs.get("content") or ""
        elif tag == "link" and "alternate" in (attrs.get("rel") or "").split() and attrs.get("type"):
            found[attrs["type"]] = attrs.get("href") or ""
    return found


@pytest.mark.parametrize("which", KBS)
def test_feed_is_valid_atom_of_the_newest_additions(which: str) -> None:
    site = built_site(which)
    kb = load_kb(root_of(which))
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(FEED_ENTRIES, len(kb.papers))
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    assert stamp.match(feed.findtext(f"{ATOM}updated"))
    ids = set()
    added = []
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert stamp.match(entry.findtext(f"{ATOM}updated"))
        assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
        ids.add(entry.findtext(f"{ATOM}id"))
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith(SITE_URL)
        page = site / urlparse(link).path[len(urlparse(SITE_URL).path):] / "index.html"
        assert page.is_file(), link
        added.append(entry.findtext(f"{ATOM}updated"))
        assert entry.findall(f"{ATOM}author"), "every paper has authors"
    assert len(ids) == len(entries)
    assert added == sorted(added, reverse=True)
    newest = max(str(p.get("added")) for p in kb.papers.values())
    assert feed.findtext(f"{ATOM}updated").startswith(newest)


def test_feed_keeps_hostile_text_as_text() -> None:
    feed = ET.parse(built_site("fixture") / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert HOSTILE_TITLE in titles
    raw = (built_site("fixture") / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw


@pytest.mark.parametrize("which", KBS)
def test_sitemap_lists_every_page(which: str) -> None:
    site = built_site(which)
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    listed = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert listed == {url_of(site, p) for p in html_pages(site)}


@pytest.mark.parametrize("which", KBS)
def test_every_folder_with_pages_has_an_index_page(which: str) -> None:
    site = built_site(which)
    folders = {p.parent.parent for p in html_pages(site) if p.name == "index.html" and p.parent != site}
    missing = sorted(str(f.relative_to(site)) for f in folders if f != site and not (f / "index.html").is_file())
    assert not missing
    for folder in ("papers", "datasets", "benchmarks", "whats-new", "matrix/vlm"):
        assert (site / folder / "index.html").is_file(), folder


def test_pages_have_their_own_description_and_opengraph_tags() -> None:
    site = built_site("fixture")
    home = head(site / "index.html")
    paper = head(site / "papers" / "gong2023figstep" / "index.html")
    attack = head(site / "attacks" / "jailbreak" / "index.html")
    descriptions = {home["description"], paper["description"], attack["description"]}
    assert len(descriptions) == 3
    assert paper["og:title"].startswith("FigStep: Jailbreaking")
    assert paper["og:url"] == SITE_URL + "papers/gong2023figstep/"
    assert paper["og:description"] == paper["description"] and paper["twitter:card"] == "summary"
    assert paper["application/atom+xml"] == "../../feed.xml"
    hostile = (site / "papers" / "evil2024script" / "index.html").read_text(encoding="utf-8")
    top = hostile.split("</head>", 1)[0]
    assert "<script>alert" not in top and "<img src=x" not in top
    assert htmllib.unescape(head(site / "papers" / "evil2024script" / "index.html")["og:title"]).startswith(
        "<script>alert(1)</script>")


def test_paper_page_links_to_its_record_for_editing() -> None:
    page = built_site("fixture") / "papers" / "gong2023figstep" / "index.html"
    hrefs = [attrs.get("href") for tag, attrs in parse(page).tags if tag == "a"]
    edit = f"{REPO_URL}/edit/main/papers/2023/gong2023figstep.yaml"
    assert hrefs.count(edit) == 2  # Material's edit button and the record's own "Edit this record" link
    assert f"{REPO_URL}/blob/main/papers/2023/gong2023figstep.yaml" in hrefs
    contribute = [attrs.get("href") for tag, attrs in parse(built_site("fixture") / "contribute" / "index.html").tags
                  if tag == "a"]
    assert f"{REPO_URL}/edit/main/site_src/contribute.md" in contribute


def test_facts_are_a_list_without_empty_headers_or_raw_field_names() -> None:
    site = built_site("real")
    for path in (site / "benchmarks" / "harmbench" / "index.html", site / "papers" / "gong2023figstep" / "index.html"):
        html = path.read_text(encoding="utf-8")
        assert '<dl class="kb-facts">' in html
        assert "<th></th>" not in html and ">Url<" not in html
    assert "<dt>Website</dt>" in (site / "benchmarks" / "harmbench" / "index.html").read_text(encoding="utf-8")


def test_about_page_says_sources_citation_licences_and_repository() -> None:
    html = (built_site("fixture") / "about" / "index.html").read_text(encoding="utf-8")
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", html))
    for source in load_sources(REPO).values():
        assert source.commit[:10] in text and source.license in text and source.title in text
        assert f"https://github.com/{source.repository}/tree/{source.commit}" in html
        if source.citation:  # the lists ask to be cited by their survey; a vendored transcription cites none
            key = re.match(r"@\w+\{([^,]+),", source.citation).group(1)
            assert key in text
    assert "@misc{safetykb," in text and REPO_URL in text
    assert "MIT" in text  # the code licence pyproject.toml declares


def test_about_page_shows_the_data_licence_file_when_there_is_one(tmp_path: Path) -> None:
    graph = build_graph(load_kb(root_of("fixture")))
    bare = generate(graph, context=SiteContext()).pages["about.md"]
    assert "no `LICENSE-DATA.md` yet" in bare
    (tmp_path / "LICENSE-DATA.md").write_text("# Data licence\n\nA licence text for the test.\n", encoding="utf-8")
    context = site_context(tmp_path)
    assert context.data_licence and context.sources  # sources.yaml from the checkout when root has none
    about = generate(graph, context=context).pages["about.md"]
    assert "### Data licence" in about and "A licence text for the test." in about


def test_whats_new_lists_every_paper_by_month_added() -> None:
    site = built_site("fixture")
    kb = load_kb(root_of("fixture"))
    months = Counter(str(p["added"])[:7] for p in kb.papers.values())
    listed = Counter({m: (site / "whats-new" / m / "index.html").read_text(encoding="utf-8").count("<li data-year=")
                      for m in months})
    assert listed == months
    index = (site / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{m}/"' in index for m in months)


def test_taxonomy_pages_can_be_narrowed_and_never_chip_themselves() -> None:
    site = built_site("fixture")
    page = site / "attacks" / "jailbreak" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert re.search(r'<form class="kb-narrow" hidden data-kb-narrow', html)
    for name in ("year", "venue", "contrib", "q"):
        assert f'name="{name}"' in html
    assert '<details class="kb-group"' in html
    entries = html.split('<form class="kb-narrow"', 1)[1]
    assert entries.count("<li data-year=") >= 2
    assert 'class="kb-chip kb-attack" href="../../attacks/jailbreak/"' not in entries
    assert re.search(r'<li data-year="\d{4}" data-venue="[^"]*" data-contrib="[a-z ]+">', entries)


def test_chart_ticks_are_round_and_the_caption_explains_counting() -> None:
    assert nice_ticks(94) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(187) == [0, 50, 100, 150, 200]
    assert nice_ticks(280) == [0, 50, 100, 150, 200, 250, 300]
    assert nice_ticks(0) == [0, 1]
    chart = stacked_bars("T", [2023, 2024], [(f"s{i}", [i, 1]) for i in range(10)], caption="Counted once each.")
    assert len(set(re.findall(r"kb-s(\d+)", chart))) == 10
    assert "Counted once each." in chart
    html = (built_site("real") / "statistics" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="kb-chart"') == 3 and "adds to both" in html
