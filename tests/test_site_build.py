"""End-to-end tests of the site: build it with mkdocs (fixture KB and real KB) and check its pages."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import bibtexparser
import networkx as nx
import pytest

from safetykb.core.graph import build_graph
from safetykb.core.layout import PLURALS
from safetykb.core.queries import matrix
from safetykb.core.validation import load_kb
from safetykb.site import generate
from tests.site_kb import HOSTILE_TITLE, REPO, SITE_URL, build, built_site, make_kb, root_of

KBS = ["fixture", "real"]


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of chosen elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Tags:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def graph_of(which: str) -> nx.MultiDiGraph:
    return build_graph(load_kb(root_of(which)))


def page_dir(site: Path, kind: str, node: str) -> Path:
    return site / PLURALS[kind] / node


@pytest.mark.parametrize("which", KBS)
def test_every_record_has_its_page(which: str) -> None:
    site = built_site(which)
    graph = graph_of(which)
    missing = [n for n, kind in graph.nodes(data="kind") if not (page_dir(site, kind, n) / "index.html").is_file()]
    assert not missing
    for page in ("", "models", "attacks", "defenses", "benchmarks", "datasets", "papers", "matrix", "statistics",
                 "explorer", "downloads", "contribute", "about", "whats-new"):
        assert (site / page / "index.html").is_file(), page


@pytest.mark.parametrize("which", KBS)
def test_matrix_counts_equal_the_graph(which: str) -> None:
    site = built_site(which)
    grid = matrix(graph_of(which))
    shown: dict[str, str] = {}
    parser = Tags()
    html = (site / "matrix" / "index.html").read_text(encoding="utf-8")
    for href, text in re.findall(r'<a class="kb-cell[^"]*" href="([^"]+)"[^>]*>([^<]*)</a>', html):
        shown[href] = text.replace("&thinsp;", "").replace("\u2009", "")
    del parser
    expected = {f"{m}/{a}/": f"{len(c.attacks)}/{len(c.defenses)}" + (f"+{len(c.broader)}" if c.broader else "")
                for (m, a), c in grid.cells.items() if c.attacks or c.defenses}
    assert shown == expected
    for (m, a), cell in grid.cells.items():
        if not (cell.attacks or cell.defenses):
            continue
        listed = {h.split("/")[-2] for _t, attrs in parse(site / "matrix" / m / a / "index.html").tags
                  if (h := attrs.get("href") or "").startswith("../../../papers/") and h != "../../../papers/"}
        assert listed == cell.attacks | cell.defenses | cell.broader, (m, a)
    gaps = [(m, a) for (m, a), c in grid.cells.items() if c.gap]
    assert html.count("kb-cell kb-gap") == len(gaps) + 1  # + the legend


def _table(html: str, table_id: str) -> dict[str, dict[str, int]]:
    """year -> column header -> number, from a statistics table."""
    block = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", block, re.S)]
    rows: dict[str, dict[str, int]] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", block, re.S)[1:]:
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows[cells[0]] = {h: int(c) for h, c in zip(headers[1:], cells[1:], strict=True)}
    return rows


@pytest.mark.parametrize("which", KBS)
def test_statistics_equal_the_records(which: str) -> None:
    import html as htmllib

    site = built_site(which)
    kb = load_kb(root_of(which))
    page = (site / "statistics" / "index.html").read_text(encoding="utf-8")
    for table_id, field, kind in (("by-model", "models", "model"), ("by-attack", "attacks", "attack"),
                                  ("by-defense", "defenses", "defense")):
        nodes = kb.of(kind)

        def root(node: str, nodes: dict = nodes) -> str:
            while nodes[node].get("parent"):
                node = nodes[node]["parent"]
            return node

        expected: dict[str, Counter[str]] = defaultdict(Counter)
        for paper in kb.papers.values():
            for top in {root(n) for n in paper.get(field) or []}:
                expected[str(paper["year"])][htmllib.unescape(nodes[top].get("name", top))] += 1
        if not expected:
            continue
        table = {year: {htmllib.unescape(k): v for k, v in row.items()} for year, row in _table(page, table_id).items()}
        totals = table.pop("total")
        for year, row in table.items():
            assert {k: v for k, v in row.items() if v} == dict(expected.get(year, {})), (table_id, year)
        assert set(table) == {str(p["year"]) for p in kb.papers.values()}
        assert sum(totals.values()) == sum(sum(c.values()) for c in expected.values())


@pytest.mark.parametrize("which", KBS)
def test_downloads_parse_with_their_own_libraries(which: str) -> None:
    site = built_site(which)
    graph = graph_of(which)
    papers = sorted(n for n, k in graph.nodes(data="kind") if k == "paper")
    data = json.loads((site / "downloads" / "kb.json").read_text(encoding="utf-8"))
    assert sorted(p["id"] for p in data["papers"]) == papers
    assert data["schema_version"]
    library = bibtexparser.parse_string((site / "downloads" / "papers.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert sorted(e.key for e in library.entries) == papers
    read = nx.read_graphml(site / "downloads" / "graph.graphml")
    assert set(read.nodes) == set(graph.nodes)
    assert read.number_of_edges() == graph.number_of_edges()
    for name in ("paper", "model", "attack", "defense", "dataset", "benchmark", "system", "result"):
        json.loads((site / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    results = sorted(n for n, k in graph.nodes(data="kind") if k == "result")
    assert sorted(r["id"] for r in data["results"]) == results
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "results.csv").read_text(encoding="utf-8"))))
    assert sorted({r["result"] for r in rows}) == results
    explorer = json.loads((site / "assets" / "safetykb" / "papers.json").read_text(encoding="utf-8"))
    assert sorted(p["id"] for p in explorer["papers"]) == papers


_EXTERNAL = re.compile(r"^(https?:)?//", re.I)
PREFIX = urlparse(SITE_URL).path


@pytest.mark.parametrize("which", KBS)
def test_nothing_is_loaded_from_another_host(which: str) -> None:
    site = built_site(which)
    offenders = []
    for path in site.rglob("*.html"):
        for tag, attrs in parse(path).tags:
            loads = (tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and attrs.get("src")) \
                or (tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or "")
                    or tag == "link" and attrs.get("rel") in ("preload", "preconnect", "icon", "dns-prefetch")
                    and attrs.get("href"))
            if isinstance(loads, str) and _EXTERNAL.match(loads):
                offenders.append((str(path.relative_to(site)), tag, loads))
    for path in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", path.read_text(encoding="utf-8", errors="replace")):
            if _EXTERNAL.match(url):
                offenders.append((str(path.relative_to(site)), "css", url))
    assert not offenders
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in home and "fonts.gstatic" not in home


def test_record_text_is_rendered_as_text() -> None:
    site = built_site("fixture")
    for path in [site / "papers" / "evil2024script" / "index.html", site / "index.html",
                 site / "models" / "vlm" / "index.html", site / "matrix" / "vlm" / "jailbreak" / "index.html"]:
        parsed = parse(path)
        for tag, attrs in parsed.tags:
            assert tag not in ("img", "svg") or "onerror" not in attrs and "onload" not in attrs, path
            assert not any(k.startswith("on") for k in attrs), (path, tag, attrs)
            href = (attrs.get("href") or "").lower()
            assert not href.startswith("javascript:") or href == "javascript:void(0)", (path, tag, attrs)  # Material
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html, path
    page = parse(site / "papers" / "evil2024script" / "index.html")
    assert "<script>alert(1)</script> Hostile" in "".join(page.text)
    assert HOSTILE_TITLE.split(" *")[0] in "".join(page.text)


class Indexed(HTMLParser):
    """The text Pagefind indexes on a page: inside data-pagefind-body, outside data-pagefind-ignore and
    heading permalinks; plus the page's data-pagefind-meta and -filter values."""

    VOID = {"br", "img", "input", "hr", "meta", "link", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []  # per open element: "body", "skip" or ""
        self.text: list[str] = []
        self.meta: dict[str, str] = {}
        self.filters: list[tuple[str, str]] = []
        self._capture: list[tuple[str, str, int, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in self.VOID:
            return
        mark = "skip" if "data-pagefind-ignore" in a or "headerlink" in (a.get("class") or "") else (
            "body" if "data-pagefind-body" in a else "")
        self.stack.append(mark)
        for key in ("data-pagefind-meta", "data-pagefind-filter"):
            if a.get(key):
                self._capture.append((key, a[key] or "", len(self.stack), []))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or not self.stack:
            return
        depth = len(self.stack)
        for key, name, _at, parts in [c for c in self._capture if c[2] == depth]:
            value = " ".join("".join(parts).split())
            if key == "data-pagefind-meta":
                self.meta[name] = value
            else:
                self.filters.append((name, value))
        self._capture = [c for c in self._capture if c[2] != depth]
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for capture in self._capture:
            capture[3].append(data)
        if "body" in self.stack and "skip" not in self.stack[self.stack.index("body"):]:
            self.text.append(data)


def indexed(path: Path) -> Indexed:
    parser = Indexed()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.joined = " ".join(" ".join(parser.text).split())  # type: ignore[attr-defined]
    return parser


def test_search_indexes_what_readers_search_and_not_bibtex_or_related() -> None:
    site = built_site("fixture")
    paper = indexed(site / "papers" / "gong2023figstep" / "index.html")
    for words in ("FigStep", "Yichen Gong", "Typographic Visual Prompts", "AAAI"):
        assert words in paper.joined, words
    assert "@inproceedings" not in paper.joined and "Related papers" not in paper.joined
    assert "¶" not in paper.joined
    assert paper.meta["title"].startswith("FigStep: Jailbreaking") and paper.meta["kind"] == "Paper"
    assert paper.meta["method"] == "FigStep"
    assert ("section", "Papers") in paper.filters and ("year", "2023") in paper.filters
    assert ("family", "Vision-language models") in {(k, v.split(" (")[0]) for k, v in paper.filters}
    assert ("attack", "Jailbreak attacks") in paper.filters or any(k == "attack" for k, _v in paper.filters)
    vlm = indexed(site / "models" / "vlm" / "index.html")
    assert "LVLM" in vlm.joined and "MLLM" in vlm.joined
    assert ("section", "Taxonomy") in vlm.filters
    backdoor = indexed(site / "attacks" / "backdoor" / "index.html")
    assert "trojan" in backdoor.joined
    assert not any(t in backdoor.joined for t in ("Cleaning Trigger Frames", "TrojVLM")), "listings are not indexed"
    assert (site / "pagefind" / "pagefind.js").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / "search" / "search_index.json").exists(), "Material's lunr index is gone"


def test_paper_pages_stay_out_of_the_nav() -> None:
    site = generate(graph_of("fixture"))
    papers = {p for p in site.pages if p.startswith("papers/") and p != "papers/index.md"}
    assert papers and papers <= site.hidden
    nav = json.dumps(site.nav)
    assert not [p for p in papers if p in nav]
    html = (built_site("fixture") / "explorer" / "index.html").read_text(encoding="utf-8")
    nav = html.split("md-nav--primary", 1)[1].split('class="md-content"', 1)[0]
    assert not re.findall(r'href="[^"]*papers/([^"/]+)/"', nav)  # the papers index (papers/) is in, no paper


@pytest.mark.parametrize("which", KBS)
def test_every_internal_link_lands_on_a_built_file(which: str) -> None:
    """Entries and chips are raw HTML that mkdocs does not check, so every relative link is checked here."""
    site = built_site(which)
    broken: list[str] = []
    for page in site.rglob("*.html"):
        for tag, attrs in parse(page).tags:
            url = attrs.get("href") if tag in ("a", "link") else attrs.get("src") if tag in ("script", "img") else None
            if not url or re.match(r"^([a-z]+:|#|//)", url):
                continue
            path = url.split("#")[0].split("?")[0]
            if path.startswith(PREFIX):  # 404.html links from the site's published root (SITE_URL's path)
                path = "/" + path[len(PREFIX):]
            base = site if path.startswith("/") else page.parent
            target = (base / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {url}")
    assert not broken, "\n".join(broken[:20])


def test_paper_page_has_bibtex_chips_links_and_related() -> None:
    html = (built_site("fixture") / "papers" / "gong2023figstep" / "index.html").read_text(encoding="utf-8")
    code = re.sub(r"<[^>]+>", "", html.split('id="bibtex"', 1)[1].split("</code>", 1)[0])
    assert "@inproceedings{gong2023figstep," in code and "title = {{FigStep" in code
    assert 'href="../../models/vlm/"' in html and 'href="../../attacks/jailbreak/"' in html
    assert 'href="https://github.com/ThuCCSLab/FigStep"' in html
    assert 'href="https://arxiv.org/abs/2311.05608"' in html
    assert "Related papers" in html and "../../papers/wang2024adashield/" in html


def test_invalid_records_stop_the_build_and_keep_the_previous_site(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb")
    out = tmp_path / "site"
    first = build(root, out)
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = root / "papers" / "2024" / "chen2024bathe.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("counters: [jailbreak]", "counters: [jailbrake]"),
                   encoding="utf-8")
    second = build(root, out)
    assert second.returncode != 0
    assert "chen2024bathe.yaml:" in second.stderr and "jailbrake" in second.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_build_pages_writes_the_same_pages(tmp_path: Path) -> None:
    from safetykb.site.cli import main

    root = make_kb(tmp_path / "kb")
    out = tmp_path / "pages"
    assert main([str(out), "--root", str(root), "--config", str(tmp_path / "mkdocs.yml")]) == 0
    from safetykb.site.context import context_from_config

    site = generate(build_graph(load_kb(root)), context=context_from_config(REPO / "mkdocs.yml", root))
    for path, content in site.pages.items():
        assert (out / path).read_text(encoding="utf-8") == content
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"custom_dir: {(REPO / 'safetykb' / 'site' / 'theme').as_posix()}" in config
    assert (out / "contribute.md").is_file() and (out / "downloads" / "kb.json").is_file()
    assert main([str(REPO / "site_src")]) == 2
    shutil.rmtree(out)


def test_a_renamed_paper_keeps_its_old_address() -> None:
    """Every former id gets a redirect page at the old paper URL, in both URL styles, in the real build too."""
    from tests.site_kb import RENAMED

    old, new = RENAMED
    graph = graph_of("renamed")
    pages = generate(graph).files
    html = pages[f"papers/{old}/index.html"]
    target = f"../../papers/{new}/"
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
    assert f'<link rel="canonical" href="{target}">' in html and f'<a href="{target}">' in html
    assert f"papers/{new}/index.html" not in pages  # the new page is a Markdown page, not a redirect
    flat = generate(graph, directory_urls=False).files[f"papers/{old}.html"]
    assert f'url=../papers/{new}.html"' in flat
    site = built_site("renamed")
    assert (site / "papers" / old / "index.html").read_text(encoding="utf-8") == html
    assert (site / "papers" / new / "index.html").is_file()
    assert not [p for p in generate(graph_of("fixture")).files if p.endswith(".html")]  # no rename, no redirect


def test_a_cut_author_list_reads_et_al_on_pages_and_downloads() -> None:
    site = built_site("renamed")
    page = "".join(parse(site / "papers" / "kim2023purify" / "index.html").text)
    assert "Finn Kim et al." in page
    home = "".join(parse(site / "models" / "llm" / "index.html").text)
    assert "Finn Kim et al." in home
    bib = (site / "downloads" / "papers.bib").read_text(encoding="utf-8")
    assert "author = {Finn Kim and others}" in bib
    explorer = json.loads((site / "assets" / "safetykb" / "papers.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in explorer["papers"] if p.get("ac") is False] == ["kim2023purify"]

def test_build_pages_never_overwrites_the_project_config(tmp_path: Path) -> None:
    from safetykb.site.cli import CONFIG_HEADER, main

    root = make_kb(tmp_path / "kb")
    tracked = (REPO / "mkdocs.yml").read_bytes()
    assert main([str(tmp_path / "out"), "--root", str(root), "--config", str(REPO / "mkdocs.yml")]) == 2
    assert (REPO / "mkdocs.yml").read_bytes() == tracked and not (tmp_path / "out").exists()
    mine = tmp_path / "notes.yml"
    mine.write_text("my own file\n")
    assert main([str(tmp_path / "out"), "--root", str(root), "--config", str(mine)]) == 2
    assert mine.read_text() == "my own file\n"
    generated = tmp_path / "generated.yml"
    for _twice in range(2):  # a config this command wrote is replaced
        assert main([str(tmp_path / "out"), "--root", str(root), "--config", str(generated)]) == 0
    assert generated.read_text(encoding="utf-8").startswith(CONFIG_HEADER + "\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated.yml", "kb", "notes.yml", "out"]


def test_build_pages_output_is_swapped_in_whole(tmp_path: Path) -> None:
    from safetykb.site.cli import MARKER, main

    root = make_kb(tmp_path / "kb")
    out = tmp_path / "out"
    assert main([str(out), "--root", str(root)]) == 0
    (out / "stale.md").write_text("from an earlier run\n")
    assert main([str(out), "--root", str(root)]) == 0
    assert (out / MARKER).is_file() and not (out / "stale.md").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no staging folder left"
    (tmp_path / "file").write_text("x")
    assert main([str(tmp_path / "file"), "--root", str(root)]) == 2


def test_index_site_indexes_a_site_built_without_the_hook(tmp_path: Path) -> None:
    """The Zensical route: build_pages.py writes the pages and a config without hooks, a build of that has no
    search index, and scripts/index_site.py adds it (the same Pagefind call the hook makes)."""
    import os
    import subprocess
    import sys

    from safetykb.site.cli import main

    root = make_kb(tmp_path / "kb")
    config = tmp_path / "mkdocs.yml"
    assert main([str(tmp_path / "pages"), "--root", str(root), "--config", str(config)]) == 0
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (site / "index.html").is_file() and not (site / "pagefind").exists()
    script = [sys.executable, str(REPO / "scripts" / "index_site.py")]
    done = subprocess.run([*script, str(site)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (site / "pagefind" / "pagefind.js").is_file() and list((site / "pagefind" / "index").iterdir())
    empty = tmp_path / "empty"
    empty.mkdir()
    done = subprocess.run([*script, str(empty)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "no index.html" in done.stderr


def test_serve_gets_a_search_index_too(tmp_path: Path) -> None:
    """`make serve` (mkdocs serve) indexes after each build, in the background: the index appears shortly
    after the site is served."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    root = make_kb(tmp_path / "kb")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SAFETYKB_ROOT": str(root), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SAFETYKB_REPO_URL", None)  # as `make serve` on a fresh clone: no repository known, still strict
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--no-livereload", "-f",
                               str(REPO / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        found = {}
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(found) < 2:
            for path in ("", "pagefind/pagefind-entry.json"):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
                        found[path] = response.status
                except OSError:
                    pass
            time.sleep(1)
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    assert found == {"": 200, "pagefind/pagefind-entry.json": 200}, (found, err[-2000:])
