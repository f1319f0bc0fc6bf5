"""`scripts/export.py awesome`: every paper appears, entries in the Awesome-LVLM-Safety style, record
text escaped; and `scripts/export.py bib`: complete entries keyed by record ids."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import networkx as nx

from safetykb.core.graph import build_graph
from safetykb.core.validation import load_kb
from safetykb.export.awesome import entry, escape, to_awesome
from safetykb.export.formats import EXPORTERS, records_of
from tests.helpers import FIXTURE_KB, REPO, run_script


def test_every_paper_appears(fixture_graph: nx.MultiDiGraph) -> None:
    text = to_awesome(fixture_graph)
    for paper in records_of(fixture_graph, "paper"):
        assert f"**{escape(paper['title'])}" in text or f"**[{escape(paper['title'])}]" in text, paper["id"]


def test_every_paper_of_the_real_knowledge_base_appears() -> None:
    graph = build_graph(load_kb(REPO))
    text = to_awesome(graph)
    papers = records_of(graph, "paper")
    assert papers, "the repository has papers"
    for paper in papers:
        assert escape(paper["title"]) in text, paper["id"]


def test_grouped_by_family_and_threat_with_contents(fixture_graph: nx.MultiDiGraph) -> None:
    text = to_awesome(fixture_graph)
    headings = re.findall(r"^(#{2,4}) (.+)$", text, flags=re.MULTILINE)
    assert ("##", "Vision-language models") in headings and ("##", "Diffusion models") in headings
    assert ("###", "Jailbreak") in headings and ("####", "Defenses") in headings
    contents = text.split("## Contents", 1)[1].split("\n## ", 1)[0]
    anchors = re.findall(r"\]\(#([^)]+)\)", contents)
    assert "vision-language-models" in anchors and "jailbreak-1" in anchors  # Jailbreak under DM, then VLM
    # video-llm papers sit with their root family
    vlm = text.split("## Vision-language models", 1)[1]
    assert "Cleaning Trigger Frames" in vlm


def test_entry_style() -> None:
    paper = {"id": "gong2023figstep", "title": "FigStep: Jailbreaking", "authors": ["Yichen Gong", "Delong Ran"],
             "year": 2025, "date": "2023-11-09", "venue": "AAAI",
             "links": {"arxiv": "2311.05608", "code": "https://github.com/thuccslab/figstep"}}
    assert entry(paper).splitlines() == [
        "* **[2023.11.09]** **[FigStep: Jailbreaking](https://arxiv.org/abs/2311.05608)** "
        "[[code](https://github.com/thuccslab/figstep)]",
        "  * Yichen Gong, Delong Ran",
        "  * [AAAI'25]",
    ]


def test_record_strings_are_escaped() -> None:
    paper = {"id": "x2024y", "title": "Evil](http://x) <script>alert(1)</script> *bold* _it_ `code`",
             "authors": ["1. Mallory [x](y)"], "year": 2024, "venue": "<b>V</b>",
             "links": {"url": "https://example.org/a(b)c"}}
    text = entry(paper)
    assert "<script>" not in text and "<b>" not in text and "&lt;script&gt;" in text
    assert "Evil\\]\\(http://x\\)" in text and "\\*bold\\*" in text and "\\_it\\_" in text
    assert "(https://example.org/a%28b%29c)" in text
    assert "  * 1\\. Mallory \\[x\\]\\(y\\)" in text


def test_export_script_writes_awesome(tmp_path: Path) -> None:
    out = tmp_path / "AWESOME.md"
    proc = run_script("export.py", "awesome", str(out), "--root", str(FIXTURE_KB))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("# Awesome Large-Model Safety")
    assert "awesome" in EXPORTERS


def test_bib_entries_complete_with_record_ids(fixture_graph: nx.MultiDiGraph) -> None:
    library = bibtexparser.parse_string(EXPORTERS["bib"](fixture_graph))
    assert not library.failed_blocks
    papers = {p["id"]: p for p in records_of(fixture_graph, "paper")}
    entries = {e.key: e for e in library.entries}
    assert set(entries) == set(papers), "one entry per paper, keyed by its id"
    for key, e in entries.items():
        fields = {f.key.lower(): f.value for f in e.fields}
        for name in ("title", "author", "year"):
            assert fields.get(name), f"{key} lacks {name}"
        assert fields["year"] == str(papers[key]["year"])
        assert fields["author"].count(" and ") == len(papers[key]["authors"]) - 1
        assert any(fields.get(k) for k in ("booktitle", "journal", "howpublished")), f"{key}: where published?"
        if (papers[key].get("links") or {}).get("arxiv"):
            assert fields.get("eprint") == papers[key]["links"]["arxiv"] and fields.get("url")


def test_a_cut_author_list_says_et_al() -> None:
    paper = {"id": "kim2023purify", "title": "Purifying", "authors": ["Finn Kim"], "year": 2023,
             "authors_complete": False}
    assert entry(paper).splitlines()[1] == "  * Finn Kim, et al."
    assert entry({**paper, "authors_complete": None}).splitlines()[1] == "  * Finn Kim"
