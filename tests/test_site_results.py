"""Results on the built site: leaderboards on benchmark pages and on their own pages, system pages, the
Results section, the systems of a model family, every figure where it belongs, record text as text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from safetykb.core.graph import build_graph
from safetykb.core.validation import load_kb
from safetykb.site.build import generate
from tests.site_kb import built_site, root_of
from tests.test_results_import import csv_figures


class Tables(HTMLParser):
    """Every table inside div.kb-leaderboard: its data attributes, header texts and rows of (text, classes)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._div: dict | None = None
        self._row: list | None = None
        self._cell: list | None = None
        self._in_head = False
        self._row_class = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "div" and "kb-leaderboard" in (a.get("class") or ""):
            self._div = {"attrs": a, "head": [], "rows": [], "foot": [], "section": None}
            self.tables.append(self._div)
        if self._div is None:
            return
        if tag in ("thead", "tbody", "tfoot"):
            self._div["section"] = tag
        elif tag == "tr":
            self._row, self._row_class = [], a.get("class") or ""
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if self._div is None:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            where = {"thead": "head", "tfoot": "foot"}.get(self._div["section"], "rows")
            self._div[where].append((self._row, self._row_class))
            self._row = None
        elif tag == "table":
            self._div = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(path: Path) -> list[dict]:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def page(which: str, *parts: str) -> Path:
    return built_site(which).joinpath(*parts, "index.html")


def test_siuo_leaderboards_show_every_system_best_first_with_the_source() -> None:
    path = page("real", "benchmarks", "siuo")
    html = path.read_text(encoding="utf-8")
    boards = {t["attrs"]["data-result"]: t for t in tables(path) if "data-result" in t["attrs"]}
    assert set(boards) == {"ye2025survey-siuo-openqa", "ye2025survey-siuo-mcqa"}
    openqa = boards["ye2025survey-siuo-openqa"]
    assert [h for h in openqa["head"][0][0]] == ["Rank", "System", "Size", "Access", "ASR (%) ↓"]
    rows = [r for r, _css in openqa["rows"]]
    assert rows[0] == ["1", "GPT-4V", "–", "closed", "46.71 best"] and openqa["rows"][0][1] == "kb-best"
    assert rows[-1] == ["12", "Janus-Pro-7B", "7B", "open weights", "84.43"]
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "9", "11", "12"]  # ties share
    mcqa = [r for r, _css in boards["ye2025survey-siuo-mcqa"]["rows"]]
    assert ["11", "Janus-Pro-7B", "7B", "open weights", "73.06"] in mcqa
    assert sum(1 for _r, css in boards["ye2025survey-siuo-mcqa"]["rows"] if css == "kb-best") == 1
    assert "A Survey of Safety on Large Vision-Language Models" in html and "2025-02" in html
    assert "Januspro_SIUO.png" in html and "CC BY-NC 4.0" in html and "bcbd139" in html


def test_mm_safetybench_shows_13_scenarios_3_settings_3_systems_and_the_published_averages() -> None:
    path = page("real", "benchmarks", "mm-safetybench")
    html = path.read_text(encoding="utf-8")
    expected = {k: v for k, v in csv_figures().items() if k[0] == "mm-safetybench"}
    found: dict[tuple[str, str, str, str], str] = {}
    graph = build_graph(load_kb(root_of("real")))
    names = {graph.nodes[n]["name"]: n for n, k in graph.nodes(data="kind") if k == "system"}
    breakdowns = [t for t in tables(path) if "kb-breakdown" in t["attrs"].get("class", "")]
    assert len(breakdowns) == 3
    for table in breakdowns:
        setting = graph.nodes[table["attrs"]["data-result"]]["setting"]
        systems = [names[h] for h in table["head"][0][0][1:]]
        assert len(systems) == 3 and len(table["rows"]) == 13
        for cells, _css in table["rows"]:
            for system, value in zip(systems, cells[1:], strict=True):
                found[("mm-safetybench", setting, system, cells[0])] = value
        (foot, _css), = table["foot"]
        assert foot[0] == "Average (published)"
        for system, value in zip(systems, foot[1:], strict=True):
            found[("mm-safetybench", setting, system, "")] = value
    assert found == expected  # 13 scenarios x 3 settings x 3 systems, and the published averages
    assert html.count('class="kb-chart kb-chart--grouped"') == 3  # one chart per setting, the numbers beneath
    assert "is not the mean of its 13 scenarios (44.40); kept as published" in html


def test_result_pages_are_in_the_results_section_and_systems_out_of_the_nav() -> None:
    site = generate(build_graph(load_kb(root_of("real"))))
    section = next(item["Results"] for item in site.nav if isinstance(item, dict) and "Results" in item)
    assert section[0] == "results/index.md" and len(section) == 6
    assert {p for p in site.pages if p.startswith("systems/")} <= site.hidden
    assert "systems/" not in json.dumps(site.nav)
    html = page("real", "results").read_text(encoding="utf-8")
    nav = html.split("md-nav--primary", 1)[1].split('class="md-content"', 1)[0]
    assert nav.count("leaderboard") >= 5


def test_results_index_lists_every_leaderboard_and_system() -> None:
    path = page("real", "results")
    found = {t["attrs"].get("id"): t for t in tables(path)}
    boards = [r for r, _c in found["kb-all-leaderboards"]["rows"]]
    assert len(boards) == 5
    assert ["SIUO", "OpenQA", "ASR (%) ↓", "12", "GPT-4V 46.71", "ye2025survey 2025-02"] in boards
    systems = [r for r, _c in found["kb-all-systems"]["rows"]]
    assert len(systems) == 12
    assert ["Janus-Pro-7B", "Vision-language models (large / multimodal LLMs)", "7B", "open weights", "DeepSeek",
            "5"] in systems
    csv_link = re.search(r'href="([^"]*results\.csv)"', path.read_text(encoding="utf-8"))
    assert csv_link and (path.parent / csv_link.group(1)).resolve().is_file()


def test_system_page_lists_all_its_results() -> None:
    path = page("real", "systems", "janus-pro-7b")
    (board,) = [t for t in tables(path) if t["attrs"].get("data-system") == "janus-pro-7b"]
    rows = sorted(r for r, _c in board["rows"])
    assert rows == sorted([["MM-SafetyBench", "SD", "ASR (%) ↓", "46.07", "3 of 3", "ye2025survey 2025-02"],
                           ["MM-SafetyBench", "SD+TYPO", "ASR (%) ↓", "79.94", "3 of 3", "ye2025survey 2025-02"],
                           ["MM-SafetyBench", "TYPO", "ASR (%) ↓", "78.09", "3 of 3", "ye2025survey 2025-02"],
                           ["SIUO", "MCQA", "ASR (%) ↓", "73.06", "11 of 12", "ye2025survey 2025-02"],
                           ["SIUO", "OpenQA", "ASR (%) ↓", "84.43", "12 of 12", "ye2025survey 2025-02"]])
    html = path.read_text(encoding="utf-8")
    assert "DeepSeek" in html and "https://huggingface.co/deepseek-ai/Janus-Pro-7B" in html


def test_model_family_pages_link_their_systems() -> None:
    html = page("real", "models", "vlm").read_text(encoding="utf-8")
    section = html.split('id="evaluated-systems"', 1)[1]
    for system in ("janus-pro-7b", "gpt-4o", "llava-1-5-7b"):
        assert f'href="../../systems/{system}/"' in section
    fixture = page("fixture", "models", "video-llm").read_text(encoding="utf-8")
    assert "systems/beta-vl-13b/" in fixture and "systems/alpha-vl-7b/" not in fixture  # its own subtree only


def test_hostile_system_and_result_render_as_text() -> None:
    for parts in (("systems", "evil-vl-1b"), ("results", "evil2024script-mm-bench-safety-typo"),
                  ("benchmarks", "mm-bench-safety"), ("results",)):
        path = page("fixture", *parts)
        html = path.read_text(encoding="utf-8")
        for needle in ("<script>alert", "<img src=x", "<svg onload", "<b>ASR</b>", "<i>CC</i>", "<b>1B</b>",
                       'onmouseover="alert', "javascript:alert"):
            assert needle not in html, (parts, needle)
    text = page("fixture", "systems", "evil-vl-1b").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(8)&lt;/script&gt; Evil-VL" in text or "&#60;script&#62;alert(8)" in text
    board = page("fixture", "results", "evil2024script-mm-bench-safety-typo")
    (lb,) = [t for t in tables(board) if not t["attrs"].get("class", "").endswith("kb-breakdown")]
    assert lb["rows"][0][0][1] == "<script>alert(8)</script> Evil-VL"  # higher is better: 50.00 first
    assert lb["rows"][0][1] == "kb-best"
