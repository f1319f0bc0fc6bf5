"""Leaderboards and system pages in headless Chromium: best first and marked, headers sort on click and on
Enter (vendored tablesort, loaded from the site itself), links between leaderboards and systems, hostile
result text shown as text."""

from __future__ import annotations

import re

OPENQA = "div.kb-leaderboard[data-result='ye2025survey-siuo-openqa'] table"


def column(page, table: str, index: int) -> list[str]:
    return [t.strip() for t in page.locator(f"{table} tbody tr td:nth-child({index})").all_inner_texts()]


def test_siuo_leaderboard_sorts_by_clicking_a_header(page, real_url: str) -> None:
    page.goto(real_url + "benchmarks/siuo/")
    page.wait_for_load_state("networkidle")
    table = page.locator(OPENQA)
    table.scroll_into_view_if_needed()
    assert table.get_attribute("data-sortable") == "true"  # leaderboard.js started tablesort on it
    best = page.locator(f"{OPENQA} tbody tr.kb-best")
    assert best.count() == 1 and "GPT-4V" in best.inner_text() and "best" in best.inner_text().lower()
    values = column(page, OPENQA, 5)
    assert values[0].startswith("46.71") and values[-1] == "84.43"  # best first: lower ASR is safer

    page.locator(f"{OPENQA} thead th", has_text="System").click()
    systems = column(page, OPENQA, 2)
    assert systems == sorted(systems, key=str.lower) and systems[0] == "CogVLM-17B"
    assert page.locator(f"{OPENQA} thead th", has_text="System").get_attribute("aria-sort") == "ascending"

    metric = page.locator(f"{OPENQA} thead th", has_text="ASR")
    metric.click()
    ascending = [float(v.split()[0].rstrip("*")) for v in column(page, OPENQA, 5)]
    metric.click()
    descending = [float(v.split()[0].rstrip("*")) for v in column(page, OPENQA, 5)]
    assert sorted([ascending, descending]) == [sorted(ascending), sorted(ascending, reverse=True)]
    assert descending == list(reversed(ascending)) and {ascending[0], descending[0]} == {46.71, 84.43}
    assert page.locator(f"{OPENQA} tbody tr.kb-best").inner_text().startswith("1")  # the mark stays with GPT-4V

    rank = page.locator(f"{OPENQA} thead th", has_text="Rank")
    rank.focus()
    page.keyboard.press("Enter")  # keyboard users sort too
    ranks = [int(r) for r in column(page, OPENQA, 1)]
    assert ranks == sorted(ranks) and rank.get_attribute("aria-sort") == "ascending"
    assert metric.get_attribute("aria-sort") is None  # one sorted column at a time
    assert not page.console_errors
    assert not page.foreign


def test_mm_safetybench_breakdown_has_a_chart_and_its_numbers(page, real_url: str) -> None:
    page.goto(real_url + "results/ye2025survey-mm-safetybench-typo/")
    page.wait_for_load_state("networkidle")
    chart = page.locator("div.kb-chart--grouped")
    assert chart.count() == 1 and chart.bounding_box()["width"] > 500
    assert chart.locator(".kb-seg").count() == 39  # 13 scenarios x 3 systems
    assert chart.locator(".kb-group-bars").count() == 13 and chart.get_attribute("role") == "img"
    numbers = "div.kb-breakdown table"
    assert page.locator(f"{numbers} tbody tr").count() == 13
    assert page.locator(f"{numbers} tfoot").inner_text().split() == ["Average", "(published)", "71.52", "72.15",
                                                                     "78.09"]
    assert not page.console_errors


def test_system_page_lists_results_and_links_to_leaderboards(page, real_url: str) -> None:
    page.goto(real_url + "systems/janus-pro-7b/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().rstrip("¶").strip() == "Janus-Pro-7B"
    table = "div.kb-leaderboard[data-system='janus-pro-7b'] table"
    assert page.locator(f"{table} tbody tr").count() == 5
    page.locator(f"{table} thead th", has_text="Value").click()
    values = [float(v.split()[0]) for v in column(page, table, 4)]
    assert values in (sorted(values), sorted(values, reverse=True)) and 84.43 in values and 73.06 in values
    page.locator(f"{table} a", has_text="OpenQA").click()
    page.wait_for_url(re.compile(r".*/results/ye2025survey-siuo-openqa/$"))
    assert page.locator(f"{OPENQA} tbody tr").count() == 12
    page.locator(f"{OPENQA} a.kb-chip", has_text="Janus-Pro-7B").click()
    page.wait_for_url(re.compile(r".*/systems/janus-pro-7b/$"))
    assert not page.console_errors


def test_results_section_is_in_the_navigation(page, real_url: str) -> None:
    page.goto(real_url)
    page.locator(".md-tabs__link", has_text="Results").click()
    page.wait_for_url(re.compile(r".*/results/$"))
    assert page.locator("#kb-all-leaderboards tbody tr").count() == 5
    assert page.locator("#kb-all-systems tbody tr").count() == 12


def test_hostile_result_text_runs_nothing(page, site_url: str) -> None:
    for path in ("results/evil2024script-mm-bench-safety-typo/", "systems/evil-vl-1b/", "benchmarks/mm-bench-safety/",
                 "results/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        page.mouse.move(300, 400)
    page.goto(site_url + "systems/evil-vl-1b/")
    assert page.locator("h1").first.inner_text().startswith("<script>alert(8)</script>")
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('img[src=x], svg[onload], a[href^=javascript]').length") == 0
    assert not page.console_errors
    assert not page.foreign
