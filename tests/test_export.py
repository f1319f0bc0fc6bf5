"""Export tests: each format parses with its own library and carries the DESIGN field names."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import networkx as nx

from safetykb.export.formats import to_bib, to_csv, to_graphml, to_json
from tests.helpers import FIXTURE_KB, run_script


def test_json_has_every_kind_with_design_fields(fixture_graph) -> None:
    data = json.loads(to_json(fixture_graph))
    assert list(data) == ["schema_version", "metadata", "papers", "models", "attacks", "defenses", "datasets",
                          "benchmarks"]
    assert len(data["papers"]) == 8 and len(data["models"]) == 4
    bathe = next(p for p in data["papers"] if p["id"] == "chen2024bathe")
    assert bathe["counters"] == ["jailbreak"] and bathe["links"] == {"arxiv": "2408.09093"}
    assert list(bathe)[:4] == ["id", "title", "authors", "year"]
    assert "kind" not in bathe
    assert next(m for m in data["models"] if m["id"] == "video-llm")["parent"] == "vlm"


def test_graphml_round_trips_through_networkx(fixture_graph) -> None:
    graph = nx.parse_graphml(to_graphml(fixture_graph), force_multigraph=True)
    assert graph.number_of_nodes() == fixture_graph.number_of_nodes()
    assert graph.number_of_edges() == fixture_graph.number_of_edges()
    assert graph.nodes["chen2024bathe"]["kind"] == "paper"
    assert json.loads(graph.nodes["chen2024bathe"]["authors"]) == ["Yulin Chen", "Haoran Li"]


def test_bibtex_parses_with_record_ids_as_keys(fixture_graph) -> None:
    library = bibtexparser.parse_string(to_bib(fixture_graph))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert set(entries) == {n for n, k in fixture_graph.nodes(data="kind") if k == "paper"}
    ada = entries["wang2024adashield"]
    assert ada.entry_type == "inproceedings" and ada["booktitle"] == "ECCV" and ada["eprint"] == "2403.09513"
    assert entries["chen2024bathe"].entry_type == "misc"


def test_bibtex_cites_the_venue_year_not_the_preprint_year() -> None:
    from safetykb.export.bibtex import entry

    record = {"id": "gong2023figstep", "title": "FigStep", "authors": ["Yichen Gong"], "year": 2023,
              "venue": "AAAI", "venue_year": 2025}
    assert entry(record)["year"] == "2025"
    assert entry({**record, "venue_year": None})["year"] == "2023"


def test_csv_has_one_row_per_paper(fixture_graph) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(fixture_graph))))
    assert len(rows) == 8
    assert next(r for r in rows if r["id"] == "liu2024cleanvid")["counters"] == "clean-label-backdoor"


def test_export_script_writes_file_and_refuses_invalid_kb(tmp_path: Path, kb_copy: Path) -> None:
    out = tmp_path / "kb.json"
    ok = run_script("export.py", "json", str(out), "--root", str(FIXTURE_KB))
    assert ok.returncode == 0 and json.loads(out.read_text())["schema_version"] == "1.0"
    (kb_copy / "papers" / "2024" / "bad.yaml").write_text("id: bad\n")
    bad_out = tmp_path / "bad.json"
    failed = run_script("export.py", "json", str(bad_out), "--root", str(kb_copy))
    assert failed.returncode == 1 and "nothing written" in failed.stderr and not bad_out.exists()
    assert "Traceback" not in failed.stderr
