"""The built site in headless Chromium: home, search, explorer filters in the URL, matrix links, BibTeX
copy button, and a hostile record that must show as text and open no dialog."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from tests.site_kb import HOSTILE_TITLE, RENAMED


def search(page, text: str, wanted: str) -> object:
    """Open the header's search dialog, type, and wait until a result links to `wanted` (Pagefind loads its
    index on first use)."""
    if not page.locator("[data-kb-search-dialog][open]").count():
        page.locator("[data-kb-search-open]").click()
    box = page.locator("#kb-q-header")
    result = page.locator(f"[data-kb-search-dialog] .kb-search__item a[href*='{wanted}']").first
    for _attempt in range(10):
        box.fill("")
        box.press_sequentially(text, delay=20)
        try:
            result.wait_for(timeout=2000)
            return result
        except Exception:  # the index chunks may still be loading
            continue
    raise AssertionError(f"searching {text!r} never listed {wanted}")


def h1(page) -> str:
    """The page heading without its permalink mark."""
    return page.locator("h1").first.inner_text().rstrip("¶").strip()


def test_home_renders_without_console_errors(page, site_url: str) -> None:
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert h1(page) == "Large-Model Safety Knowledge Base"
    assert page.locator("a.kb-stat").count() == 6
    assert "papers" in page.locator("a.kb-stat").first.inner_text()
    assert page.locator(".md-tabs__link").count() >= 8
    assert not page.console_errors
    assert not page.foreign


def test_search_finds_figstep_and_reaches_its_page(page, site_url: str) -> None:
    page.goto(site_url)
    search(page, "FigStep", "papers/gong2023figstep").click()
    page.wait_for_url(re.compile(r".*/papers/gong2023figstep/.*"))
    assert h1(page).startswith("FigStep: Jailbreaking")
    assert not page.console_errors


def test_search_finds_an_author_and_an_alias(page, site_url: str) -> None:
    page.goto(site_url)
    search(page, "Yichen Gong", "papers/gong2023figstep")
    search(page, "LVLM", "models/vlm")
    search(page, "trojan", "attacks/backdoor")
    search(page, "Typographic Visual Prompts", "papers/gong2023figstep")


def _rows(page) -> int:
    return page.locator("#kb-explorer tbody tr").count()


def _pick(page, name: str, value: str) -> None:
    """Tick one value of a multi-value explorer filter (its panel opens, then closes again)."""
    page.locator(f"details[data-filter={name}] > summary").click()
    page.check(f"input[name={name}][value='{value}']")
    page.locator(f"details[data-filter={name}] > summary").click()


def test_explorer_filter_cuts_rows_and_survives_reload(page, site_url: str) -> None:
    page.goto(site_url + "explorer/")
    page.locator("#kb-explorer[data-ready=true]").wait_for()
    everything = _rows(page)
    assert everything == 10
    _pick(page, "model", "dm")
    assert 0 < _rows(page) < everything
    assert parse_qs(urlparse(page.url).query) == {"model": ["dm"]}
    _pick(page, "attack", "jailbreak")
    assert _rows(page) == 1
    assert "Prompts that Jailbreak" in page.locator("#kb-explorer tbody").inner_text()
    page.reload()
    page.locator("#kb-explorer[data-ready=true]").wait_for()
    assert _rows(page) == 1
    assert page.locator("input[name=model][value=dm]").is_checked()
    assert page.locator("input[name=attack][value=jailbreak]").is_checked()
    assert "Diffusion models" in page.locator("details[data-filter=model] .kb-multi__value").inner_text()
    page.goto(site_url + "explorer/?q=figstep")
    page.locator("#kb-explorer[data-ready=true]").wait_for()
    assert _rows(page) == 1
    page.goto(site_url + "explorer/?model=vlm")  # subtypes included: video-llm papers count as vlm
    page.locator("#kb-explorer[data-ready=true]").wait_for()
    assert "Cleaning Trigger Frames" in page.locator("#kb-explorer tbody").inner_text()
    page.locator("th[data-sort=title]").click()
    titles = page.locator("#kb-explorer tbody th.kb-col-title > a").all_inner_texts()
    assert titles == sorted(titles, key=str.lower)
    assert "sort=title" in page.url
    assert not page.console_errors


def test_explorer_filters_take_several_values(page, site_url: str) -> None:
    """Two values of one filter widen the view (either matches); a second filter narrows it (both hold)."""
    page.goto(site_url + "explorer/?model=dm")
    page.locator("#kb-explorer[data-ready=true]").wait_for()
    diffusion = _rows(page)
    page.goto(site_url + "explorer/?model=vlm")
    page.locator("#kb-explorer[data-ready=true]").wait_for()
    vlm = _rows(page)
    _pick(page, "model", "dm")
    assert sorted(parse_qs(urlparse(page.url).query)["model"]) == ["dm", "vlm"]
    both = _rows(page)
    assert max(diffusion, vlm) < both <= diffusion + vlm
    assert page.locator("details[data-filter=model] .kb-multi__value").inner_text() == "2 selected"
    _pick(page, "contribution", "defense")
    assert 0 < _rows(page) < both
    page.locator("details[data-filter=model] > summary").click()
    page.locator("details[data-filter=model] .kb-multi__clear").click()
    assert "model" not in parse_qs(urlparse(page.url).query)
    assert not page.console_errors


def test_matrix_cell_link_lands_on_its_list(page, site_url: str) -> None:
    page.goto(site_url + "matrix/")
    cell = page.locator("a.kb-cell[href='vlm/jailbreak/']")
    assert cell.inner_text().replace("\u2009", "").replace(" ", "") == "2/2"
    cell.click()
    page.wait_for_url(re.compile(r".*/matrix/vlm/jailbreak/$"))
    assert h1(page) == "Vision-language models × Jailbreak"
    listed = page.locator(".kb-entries li > strong > a").all_inner_texts()
    assert any(t.startswith("FigStep") for t in listed)
    assert any(t.startswith("AdaShield") for t in listed)
    assert len(listed) == 4
    page.goto(site_url + "matrix/")
    assert page.locator("a.kb-cell.kb-gap").count() >= 1


def test_paper_page_has_a_bibtex_copy_button(page, site_url: str) -> None:
    page.goto(site_url + "papers/gong2023figstep/")
    block = page.locator("#bibtex ~ .highlight").first
    block.scroll_into_view_if_needed()
    assert "@inproceedings{gong2023figstep" in block.inner_text()
    button = block.locator("button[data-md-type=copy], button.md-clipboard")  # Material 9.8 | older
    button.first.wait_for(state="attached")  # Material adds it when the block is shown
    assert button.count() == 1
    button.click()
    assert page.locator("a.kb-chip[href$='attacks/jailbreak/']").count() >= 1
    assert not page.console_errors


def test_hostile_record_shows_text_and_runs_nothing(page, site_url: str) -> None:
    page.goto(site_url + "papers/evil2024script/")
    page.wait_for_load_state("networkidle")
    assert h1(page) == HOSTILE_TITLE
    assert page.title().startswith("<script>alert(1)</script>")
    assert "[here](javascript:alert(5))" in page.locator(".admonition").inner_text()
    page.locator("text=Mallory").first.hover()
    for path in ("", "explorer/", "explorer/?q=hostile", "models/vlm/", "matrix/vlm/jailbreak/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        page.mouse.move(200, 300)
    page.goto(site_url + "explorer/?q=hostile")
    page.locator("#kb-explorer[data-ready=true]").wait_for()
    assert HOSTILE_TITLE in page.locator("#kb-explorer tbody").inner_text()
    search(page, "Hostile", "papers/evil2024script")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('img[src=x], svg[onload]').length") == 0
    assert not page.foreign


def test_real_site_search_figstep_home_and_matrix(page, real_url: str) -> None:
    page.goto(real_url)
    page.wait_for_load_state("networkidle")
    assert page.locator("a.kb-stat").count() == 6
    search(page, "FigStep", "papers/gong2023figstep").click()
    page.wait_for_url(re.compile(r".*/papers/gong2023figstep/.*"))
    assert h1(page).startswith("FigStep")
    assert page.locator("a.kb-chip[href$='attacks/jailbreak/']").count() >= 1
    page.goto(real_url + "matrix/")
    cell = page.locator("a.kb-cell[href='vlm/jailbreak/']")
    attacks, defenses = (int(x) for x in cell.inner_text().replace("\u2009", "").split("/"))
    cell.click()
    page.wait_for_url(re.compile(r".*/matrix/vlm/jailbreak/$"))
    assert page.locator(".kb-entries li").count() == attacks + defenses  # the attack list, then the defense list
    page.goto(real_url + "explorer/?model=vlm&attack=jailbreak")
    page.locator("#kb-explorer[data-ready=true]").wait_for()
    assert page.locator("#kb-explorer tbody tr").count() > 0
    assert not page.console_errors
    assert not page.foreign


def test_old_address_of_a_renamed_paper_leads_to_its_page(page, renamed_url: str) -> None:
    """scripts/refresh.py renamed bench2024mm (its first version is a year earlier): the old URL still works."""
    old, new = RENAMED
    page.goto(renamed_url + f"papers/{old}/")
    page.wait_for_url(re.compile(rf".*/papers/{new}/$"))
    assert h1(page) == "A Fixture Benchmark for Multimodal Jailbreaks"
    assert "NeurIPS (Datasets and Benchmarks) 2024" in page.locator(".kb-facts").inner_text()
    page.goto(renamed_url + f"papers/{old}/index.html")
    page.wait_for_url(re.compile(rf".*/papers/{new}/$"))
    page.goto(renamed_url + "benchmarks/mm-bench-safety/")
    page.locator(f"a[href$='papers/{new}/']").first.click()  # references were rewritten to the new id
    page.wait_for_url(re.compile(rf".*/papers/{new}/$"))
    page.goto(renamed_url + "papers/kim2023purify/")
    assert "Finn Kim et al." in page.locator(".kb-facts").inner_text()  # a cut author list says so
    assert not page.console_errors and not page.foreign
