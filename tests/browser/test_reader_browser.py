"""The site as a researcher meets it, in headless Chromium: readable on a 390 px phone (no page wider than the
screen, wide tables scrolling in their own box with the first column in place, facts stacked), search that
puts a page named by the query first and loads nothing before it is used, the home page's newest additions
above the fold, taxonomy pages narrowed in place, the feed discoverable from the page head."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.test_site_browser import search

#: One page of every type a reader opens (fixture KB); each must fit a 390 px screen.
PAGE_TYPES = {"home": "", "paper": "papers/gong2023figstep/", "model family": "models/vlm/",
              "attack type": "attacks/jailbreak/", "matrix": "matrix/", "explorer": "explorer/",
              "benchmark": "benchmarks/mm-bench-safety/", "statistics": "statistics/",
              "benchmark index": "benchmarks/", "about": "about/", "what's new": "whats-new/"}

#: Elements sticking out past the right edge of the viewport that no scroll box or clipping parent contains.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) found.push("page is " + page + " px wide");
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= width + 1) continue;
    let contained = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX) || style.position === "fixed") {
        contained = true;
        break;
      }
    }
    const name = el.tagName.toLowerCase() + "." + String(el.className).split(" ")[0];
    if (!contained) found.push(name + " ends at " + Math.round(box.right));
  }
  return found.slice(0, 8);
}"""


def ready(tab, url: str) -> None:
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    if "explorer/" in url:
        tab.locator("#kb-explorer[data-ready=true]").wait_for()


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_page_is_wider_than_a_phone(phone, site_url: str, kind: str) -> None:
    ready(phone, site_url + PAGE_TYPES[kind])
    assert phone.evaluate(OVERFLOW) == []
    assert not phone.console_errors


def test_real_pages_fit_a_phone_too(phone, real_url: str) -> None:
    for path in ("", "papers/gong2023figstep/", "attacks/backdoor/", "matrix/", "explorer/", "benchmarks/",
                 "benchmarks/harmbench/", "statistics/", "about/"):
        ready(phone, real_url + path)
        assert phone.evaluate(OVERFLOW) == [], path


@pytest.mark.parametrize("path", ["matrix/", "explorer/", "benchmarks/"])
def test_wide_tables_scroll_in_their_box_with_the_first_column_in_place(phone, real_url: str, path: str) -> None:
    ready(phone, real_url + path)
    box = phone.locator(".kb-scroll").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the table is wider than the phone"
    first = box.locator("tbody tr").first.locator("th, td").first
    later = box.locator("tbody tr").first.locator("td").nth(1)
    before = (first.bounding_box()["x"], later.bounding_box()["x"])
    box.evaluate("b => { b.scrollLeft = 240; }")
    phone.wait_for_timeout(100)
    after = (first.bounding_box()["x"], later.bounding_box()["x"])
    assert abs(after[0] - before[0]) < 1, "the first column stays"
    assert after[1] < before[1] - 100, "the other columns scroll"


def test_paper_facts_stack_on_a_phone_and_sit_side_by_side_on_a_desktop(phone, page, site_url: str) -> None:
    for tab, stacked in ((phone, True), (page, False)):
        ready(tab, site_url + "papers/gong2023figstep/")
        row = tab.locator("dl.kb-facts > div").first
        label, value = row.locator("dt").bounding_box(), row.locator("dd").bounding_box()
        assert (value["y"] >= label["y"] + label["height"] - 1) is stacked
        assert tab.locator("dl.kb-facts dd").first.inner_text().startswith("Yichen Gong")


def test_search_puts_the_page_named_by_the_query_first(page, real_url: str) -> None:
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url))
    ready(page, real_url)
    assert not [u for u in loaded if "/pagefind/" in u or "sitemap" in u], "nothing of search loads before use"
    search(page, "backdoor", "attacks/backdoor/")
    page.locator("[data-kb-search-dialog] .kb-search__results[data-query='backdoor']").wait_for()
    first = page.locator("[data-kb-search-dialog] .kb-search__item a").first
    assert first.get_attribute("href").endswith("/attacks/backdoor/")
    assert "Backdoor attacks" in first.inner_text()
    search(page, "FigStep", "papers/gong2023figstep/")
    page.locator("[data-kb-search-dialog] .kb-search__results[data-query='FigStep']").wait_for()
    first = page.locator("[data-kb-search-dialog] .kb-search__item a").first
    assert first.get_attribute("href").endswith("/papers/gong2023figstep/")
    excerpt = first.locator(".kb-search__excerpt").inner_text()
    assert "FigStep" in excerpt and "@inproceedings" not in excerpt
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    assert page.locator("[data-kb-search-dialog][open]").count() == 1
    assert not page.console_errors and not page.foreign


def test_search_tabs_narrow_to_a_section(page, real_url: str) -> None:
    ready(page, real_url)
    search(page, "jailbreak", "attacks/jailbreak/")
    page.locator("[data-kb-search-dialog] .kb-search__tab[data-section='Papers']").click()
    # The list empties when the new search starts, then fills with papers only.
    page.wait_for_function("""() => {
      const links = [...document.querySelectorAll("[data-kb-search-dialog] .kb-search__item a")];
      return links.length > 0 && links.every(a => a.href.includes("/papers/"));
    }""")
    assert page.locator("[data-kb-search-dialog] .kb-search__tab[aria-pressed=true]").inner_text() == "Papers"


def test_search_filters_come_from_the_index(page, real_url: str) -> None:
    ready(page, real_url)
    search(page, "jailbreak", "attacks/jailbreak/")
    dialog = page.locator("[data-kb-search-dialog]")
    dialog.locator(".kb-search__filters > summary").click()
    year = dialog.locator("select[name=year]")
    year.wait_for()
    for name in ("family", "attack", "defense", "venue"):
        assert dialog.locator(f"select[name={name}] option").count() > 2, name
    year.select_option("2023")
    page.wait_for_function("""() => {
      const kinds = [...document.querySelectorAll("[data-kb-search-dialog] .kb-search__kind")].map(k => k.textContent);
      return kinds.length > 0 && kinds.every(k => k.includes("2023"));
    }""")
    assert not page.console_errors


def test_home_search_box_answers_in_place(page, site_url: str) -> None:
    ready(page, site_url)
    box = page.locator("#kb-q-home")
    assert box.is_visible()
    box.press_sequentially("trojan", delay=20)
    page.locator(".kb-hero .kb-search__results[data-query='trojan']").wait_for(timeout=15000)
    first = page.locator(".kb-hero .kb-search__item a").first
    assert first.get_attribute("href").endswith("/attacks/backdoor/"), "an alias names the backdoor attack page"
    box.press("Enter")
    page.wait_for_url(re.compile(r".*/attacks/backdoor/$"))


def test_home_shows_search_counts_and_newest_additions_above_the_fold(page, real_url: str) -> None:
    ready(page, real_url)
    assert page.locator("#kb-q-home").bounding_box()["y"] < 500
    assert page.locator("a.kb-stat").count() == 6
    assert re.search(r"Updated \d{4}-\d{2}-\d{2}", page.locator(".kb-updated").inner_text())
    heading = page.locator("h2#newest-additions")
    assert heading.bounding_box()["y"] < 900
    assert page.locator("ul.kb-entries > li").first.bounding_box()["y"] < 900


def test_taxonomy_page_narrows_in_place(page, site_url: str) -> None:
    ready(page, site_url + "attacks/jailbreak/")
    bar = page.locator("form[data-kb-narrow]")
    assert bar.is_visible()
    everything = page.locator("ul.kb-entries > li:not([hidden])").count()
    bar.locator("select[name=year]").select_option("2023")
    shown = page.locator("ul.kb-entries > li:not([hidden])")
    assert 0 < shown.count() < everything
    assert set(shown.evaluate_all("li => li.map(x => x.dataset.year)")) == {"2023"}
    assert parse_qs(urlparse(page.url).query) == {"year": ["2023"]}
    assert "of" in bar.locator("output").inner_text()
    page.reload()
    assert page.locator("ul.kb-entries > li:not([hidden])").count() == shown.count()
    bar.locator("select[name=year]").select_option("")
    bar.locator("input[name=q]").fill("figstep")
    page.wait_for_timeout(400)
    texts = page.locator("ul.kb-entries > li:not([hidden])").all_inner_texts()
    assert texts and all("figstep" in t.lower() for t in texts)
    assert not page.console_errors


def test_taxonomy_page_reads_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "attacks/jailbreak/")
    assert not tab.locator("form[data-kb-narrow]").is_visible(), "the filter needs JavaScript, so it hides"
    assert tab.locator("details.kb-group[open] ul.kb-entries > li").first.is_visible()
    groups = tab.locator("details.kb-group")
    closed = groups.nth(groups.evaluate_all("all => all.findIndex(d => !d.open)"))
    closed.locator("summary").click()
    assert closed.evaluate("d => d.open") and closed.locator("ul.kb-entries > li").first.is_visible()
    context.close()


def test_feed_is_discoverable_and_parses(page, site_url: str) -> None:
    ready(page, site_url + "papers/gong2023figstep/")
    link = page.locator("head link[type='application/atom+xml']")
    assert "alternate" in link.get_attribute("rel").split()
    root = page.evaluate("""async href => {
      const text = await (await fetch(href)).text();
      const doc = new DOMParser().parseFromString(text, "application/xml");
      if (doc.querySelector("parsererror")) return "parse error";
      return doc.documentElement.namespaceURI + " " + doc.querySelectorAll("entry").length;
    }""", link.get_attribute("href"))
    assert root.startswith("http://www.w3.org/2005/Atom ") and int(root.split()[1]) >= 10
