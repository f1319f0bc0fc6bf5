"""axe-core (from npm: package.json pins it, `npm ci` installs it; nothing is downloaded here) run inside the
built pages in headless Chromium: no violation on home, a paper, the matrix, the explorer, a benchmark and
the statistics, in the light and in the dark colour scheme (Material follows prefers-color-scheme)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import open_tab

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {"home": "", "paper": "papers/gong2023figstep/", "matrix": "matrix/", "explorer": "explorer/",
         "benchmark": "benchmarks/harmbench/", "statistics": "statistics/"}
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does it); the accessibility tests never skip",
                    pytrace=False)
    return AXE.read_text(encoding="utf-8")


def violations(tab, axe_source: str) -> list[str]:
    tab.add_script_tag(content=axe_source)
    found = tab.evaluate("""async () => {
      const result = await axe.run(document);
      return result.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " -- " +
        v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n")[1]).join(" | "));
    }""")
    return found


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation(browser, real_url: str, axe_source: str, name: str, scheme: str) -> None:
    context, tab = open_tab(browser, scheme=scheme)
    try:
        tab.goto(real_url + PAGES[name])
        tab.wait_for_load_state("networkidle")
        if name == "explorer":
            tab.locator("#kb-explorer[data-ready=true]").wait_for()
        assert tab.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        assert violations(tab, axe_source) == []
        assert not tab.foreign
    finally:
        context.close()


def test_axe_finds_no_violation_in_the_open_search(browser, real_url: str, axe_source: str) -> None:
    """The search dialog with results (both schemes): tabs, results and excerpts are part of the page then."""
    for scheme in SCHEMES:
        context, tab = open_tab(browser, scheme=scheme)
        try:
            tab.goto(real_url)
            tab.locator("[data-kb-search-open]").click()
            tab.locator("#kb-q-header").press_sequentially("jailbreak", delay=20)
            tab.locator("[data-kb-search-dialog] .kb-search__item").first.wait_for(timeout=10000)
            assert violations(tab, axe_source) == [], scheme
        finally:
            context.close()
