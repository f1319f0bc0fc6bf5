"""The site built from the real knowledge base by each engine (mkdocs, ProperDocs, Zensical): every record has
its page, the site's search finds known titles, nothing is loaded from another host.

Each engine builds once per test session (mkdocs's build is the one test_site_build.py uses); the
asserts share the output. ProperDocs and Zensical are optional dependency groups: `make test`
installs them (`make engines`); without them these tests fail saying so, they never skip.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from safetykb.core.graph import build_graph
from safetykb.core.layout import PLURALS
from safetykb.core.validation import load_kb
from safetykb.site import engines
from tests.site_kb import REPO, built_site, make_kb
from tests.site_search import read_index, read_pagefind

ENGINES = tuple(engines.ENGINES)
_BUILT: dict[str, Path] = {}


def engine_site(name: str) -> Path:
    """The real knowledge base's site built by one engine, once per session."""
    if name == "mkdocs":
        return built_site("real")
    if name not in _BUILT:
        tmp = Path(tempfile.mkdtemp(prefix=f"safetykb-{name}-"))
        atexit.register(shutil.rmtree, tmp, True)
        try:
            result = engines.build(name, tmp / "site")
        except engines.EngineMissing as error:
            pytest.fail(f"{error} (make test does it: `make engines`)", pytrace=False)
        if result.returncode != 0:
            raise AssertionError(f"{name} build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        _BUILT[name] = tmp / "site"
    return _BUILT[name]


@pytest.fixture(scope="module")
def real_graph():
    return build_graph(load_kb(REPO))


@pytest.mark.parametrize("engine", ENGINES)
def test_every_record_and_section_has_its_page(engine: str, real_graph) -> None:
    site = engine_site(engine)
    missing = [f"{PLURALS[kind]}/{node}/" for node, kind in real_graph.nodes(data="kind")
               if not (site / PLURALS[kind] / node / "index.html").is_file()]
    assert not missing, f"{engine}: {len(missing)} record pages missing, e.g. {missing[:5]}"
    for page in ("", "models", "attacks", "defenses", "benchmarks", "matrix", "statistics", "explorer",
                 "downloads", "contribute", "license"):
        assert (site / page / "index.html").is_file(), f"{engine}: no {page or 'home'} page"
    for download in ("kb.json", "papers.bib", "graph.graphml", "papers.csv"):
        assert (site / "downloads" / download).is_file(), f"{engine}: no downloads/{download}"


@pytest.mark.parametrize("engine", ENGINES)
def test_search_finds_every_paper_by_its_title(engine: str, real_graph) -> None:
    index = read_index(engine_site(engine))
    figstep = "FigStep: Jailbreaking Large Vision-language Models via Typographic Visual Prompts"
    assert index.find(figstep)[0] == "papers/gong2023figstep/", index.reader
    assert "papers/gong2023figstep/" in index.find("Yichen Gong typographic")
    assert "attacks/backdoor/" in index.find("trojan")  # an alias of the backdoor attack type
    lost = [node for node, kind in real_graph.nodes(data="kind") if kind == "paper"
            and f"papers/{node}/" not in index.find(real_graph.nodes[node]["title"])]
    assert not lost, f"{engine} ({index.reader}): {len(lost)} papers not found by their title, e.g. {lost[:5]}"


_LOADING_TAG = re.compile(r"<(script|img|iframe|audio|video|source|embed|link)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""\b(src|href|rel)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def _loaded(html: str) -> list[str]:
    """What a page loads: scripts, images, frames, media, stylesheets, icons, preloads."""
    urls = []
    for tag, attrs in _LOADING_TAG.findall(html):
        a = {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTR.findall(attrs)}
        if tag.lower() != "link" and a.get("src"):
            urls.append(a["src"])
        elif tag.lower() == "link" and a.get("href") and (
                "stylesheet" in a.get("rel", "") or a.get("rel") in ("preload", "preconnect", "icon", "dns-prefetch")):
            urls.append(a["href"])
    return urls


@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "mkdocs"])  # mkdocs: test_site_build.py
def test_nothing_is_loaded_from_another_host(engine: str) -> None:
    site = engine_site(engine)
    offenders = [f"{path.relative_to(site)}: {url}" for path in site.rglob("*.html")
                 for url in _loaded(path.read_text(encoding="utf-8")) if _EXTERNAL.match(url)]
    for path in site.rglob("*.css"):
        for url in re.findall(r"""url\(\s*['"]?([^'")]+)""", path.read_text(encoding="utf-8", errors="replace")):
            if _EXTERNAL.match(url):
                offenders.append(f"{path.relative_to(site)}: {url}")
    assert not offenders, f"{engine}: " + "\n".join(offenders[:10])


def test_loaded_urls_are_read_from_tags() -> None:
    page = ('<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.example/a.css">'
            '<a href="https://arxiv.org/abs/1">paper</a><link rel=icon href=favicon.svg><img src=\'a.png\'>')
    assert _loaded(page) == ["https://cdn.example/x.js", "//fonts.example/a.css", "favicon.svg", "a.png"]


def test_the_licences_are_on_the_site() -> None:
    for engine in ENGINES:
        page = (engine_site(engine) / "license" / "index.html").read_text(encoding="utf-8")
        assert "CC BY-NC 4.0" in page and "Copyright (c) 2025 Xingjun Ma" in page, engine
        assert "Copyright (c) 2026 the safetykb contributors" in page and "--8&lt;--" not in page, engine


def test_zensical_stops_on_invalid_records_and_keeps_the_previous_site(tmp_path: Path) -> None:
    """Zensical runs no hooks: build_pages validates first, and the output folder is replaced only on success."""
    root = make_kb(tmp_path / "kb")
    bad = root / "papers" / "2024" / "chen2024bathe.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("counters: [jailbreak]", "counters: [jailbrake]"),
                   encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous build", encoding="utf-8")
    result = engines.build("zensical", out, root)
    assert result.returncode == 1
    assert "chen2024bathe.yaml:" in result.stderr and "jailbrake" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "site"]  # the temporary folder is gone
    assert (out / "index.html").read_text(encoding="utf-8") == "previous build"


def test_build_site_names_a_missing_engine_and_how_to_install_it(monkeypatch, capsys) -> None:
    monkeypatch.setattr(engines, "installed", lambda engine: False)
    assert engines.main(["--engine", "zensical", "--out", "unused"]) == 2
    err = capsys.readouterr().err
    assert "zensical is not installed" in err and "make build ENGINE=zensical" in err


def test_pagefind_reader_reads_a_recorded_fragment() -> None:
    index = read_pagefind(REPO / "tests" / "fixtures" / "search" / "pagefind-site")
    assert index is not None and index.client.name == "pagefind.js"
    assert index.find("FigStep Typographic Visual Prompts") == ["papers/gong2023figstep/"]
    assert index.find("Yichen Gong") == ["papers/gong2023figstep/"]
    assert index.find("no such words here") == []
