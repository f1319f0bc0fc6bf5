"""Export tests: each format parses with its own library and carries the DESIGN field names."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import networkx as nx

from safetykb.export.formats import RESULT_COLUMNS, to_bib, to_csv, to_graphml, to_json, to_results_csv
from tests.helpers import FIXTURE_KB, REPO, run_script


def test_json_has_every_kind_with_design_fields(fixture_graph) -> None:
    data = json.loads(to_json(fixture_graph))
    assert list(data) == ["schema_version", "metadata", "papers", "models", "attacks", "defenses", "datasets",
                          "benchmarks", "systems", "results"]
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
    assert ok.returncode == 0 and json.loads(out.read_text())["schema_version"] == "1.1"
    (kb_copy / "papers" / "2024" / "bad.yaml").write_text("id: bad\n")
    bad_out = tmp_path / "bad.json"
    failed = run_script("export.py", "json", str(bad_out), "--root", str(kb_copy))
    assert failed.returncode == 1 and "nothing written" in failed.stderr and not bad_out.exists()
    assert "Traceback" not in failed.stderr


def test_a_cut_author_list_ends_with_and_others() -> None:
    from safetykb.export.bibtex import entry

    record = {"id": "kim2023purify", "title": "Purifying", "authors": ["Finn Kim", "Ann Lee"], "year": 2023}
    assert entry(record)["author"] == "Finn Kim and Ann Lee"
    assert entry({**record, "authors_complete": False})["author"] == "Finn Kim and Ann Lee and others"

def test_json_carries_systems_and_results_with_numbers(fixture_graph) -> None:
    data = json.loads(to_json(fixture_graph))
    assert [s["id"] for s in data["systems"]] == ["alpha-vl-7b", "beta-vl-13b"]
    assert list(data["systems"][0])[:4] == ["id", "name", "aliases", "family"]
    (result,) = data["results"]
    assert result["metric"] == {"name": "ASR", "description": "attack success rate", "unit": "%", "better": "lower",
                                "range": {"min": 0, "max": 100}}
    assert result["values"][0] == {"system": "alpha-vl-7b", "value": 30.0,
                                   "by_category": {"Illegal Activity": 40.0, "Hate Speech": 20.0}}


def test_json_export_of_the_real_kb_carries_every_survey_figure() -> None:
    """Every number of the two vendored CSV files is in the JSON export, as a number, where it belongs."""
    from safetykb.core.graph import build_graph
    from safetykb.core.validation import load_kb
    from tests.test_results_import import csv_figures

    data = json.loads(to_json(build_graph(load_kb(REPO))))
    exported = {}
    for result in data["results"]:
        for entry in result["values"]:
            exported[(result["benchmark"], result["setting"], entry["system"], "")] = entry["value"]
            for category, value in (entry.get("by_category") or {}).items():
                exported[(result["benchmark"], result["setting"], entry["system"], category)] = value
    expected = csv_figures()
    assert len(expected) == 150
    for key, figure in expected.items():
        assert exported[key] == float(figure), key


def test_results_csv_has_one_row_per_figure(fixture_graph) -> None:
    rows = list(csv.DictReader(io.StringIO(to_results_csv(fixture_graph))))
    assert list(rows[0]) == list(RESULT_COLUMNS)
    assert len(rows) == 6  # 2 systems x (headline + 2 categories)
    head = rows[0]
    assert (head["result"], head["source"], head["benchmark"], head["setting"], head["system"], head["category"],
            head["value"], head["aggregate"], head["better"]) == (
        "bench2024mm-mm-bench-safety-typo", "bench2024mm", "mm-bench-safety", "TYPO", "alpha-vl-7b", "", "30.00",
        "mean", "lower")
    assert [(r["category"], r["value"]) for r in rows[1:3]] == [("Illegal Activity", "40.00"), ("Hate Speech", "20.00")]


def test_export_script_writes_the_results_csv(tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    done = run_script("export.py", "results-csv", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    janus = [r for r in rows if r["system"] == "janus-pro-7b" and r["benchmark"] == "siuo"]
    assert {(r["setting"], r["value"]) for r in janus} == {("OpenQA", "84.43"), ("MCQA", "73.06")}
    assert len(rows) == 150

HOSTILE = {
    "id": "doe2024hostile",
    "title": "Use @misc{x, title={y}} & 100% {safe}_~^$#\\ at once",
    "authors": ["Eve Doe}, note = {X", "Bob {B", "Tom and Jerry", "Ann O'Neil"],
    "year": 2024,
    "venue": "NeurIPS}, publisher = {Evil",
    "venue_note": "Oral}, x={y",
    "links": {"url": "https://x.org/a},howpublished={pwn", "arxiv": "2401.00001",
              "code": "https://github.com/a/b}c", "doi": "10.1000/x}y{z"},
}


def _unescape(value: str) -> str:
    from safetykb.export.bibtex import _LATEX

    for char, escape in _LATEX.items():
        value = value.replace(escape, char)
    return value.replace("{and}", "and")


def test_no_record_value_can_break_out_of_its_bibtex_field() -> None:
    from safetykb.export.bibtex import to_bibtex

    text = to_bibtex([HOSTILE])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == 1
    fields = {f.key: f.value for f in library.entries[0].fields}
    assert set(fields) == {"title", "author", "year", "booktitle", "note", "eprint", "archiveprefix", "doi", "url",
                           "code"}  # before: `note` from the author and `howpublished` from the URL
    assert _unescape(fields["title"]) == "{" + HOSTILE["title"] + "}"
    assert [_unescape(a) for a in fields["author"].split(" and ")] == HOSTILE["authors"]
    assert _unescape(fields["booktitle"]) == HOSTILE["venue"] and _unescape(fields["note"]) == HOSTILE["venue_note"]
    assert fields["url"] == "https://x.org/a%7D,howpublished=%7Bpwn" and fields["doi"] == "10.1000/x%7Dy%7Bz"
    for value in fields.values():  # no brace that BibTeX would count is left unbalanced
        depth = 0
        for char in value:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0
        assert depth == 0


def test_bib_export_of_a_hostile_record_end_to_end(kb_copy: Path) -> None:
    import yaml

    record = {**HOSTILE, "models": ["vlm"], "contribution": ["attack"], "attacks": ["jailbreak"],
              "sources": ["contributor"], "status": "auto", "added": "2026-11-23"}
    (kb_copy / "papers" / "2024" / "doe2024hostile.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    result = run_script("export.py", "bib", "-", "--root", str(kb_copy), timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    entry = next(e for e in bibtexparser.parse_string(result.stdout).entries if e.key == "doe2024hostile")
    assert "howpublished" not in entry.fields_dict and "publisher" not in entry.fields_dict
    assert entry.fields_dict["note"].value.startswith("Oral")


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    import networkx as nx

    from safetykb.export.formats import to_csv

    graph = nx.MultiDiGraph()
    graph.add_node("doe2024csv", kind="paper", id="doe2024csv", title='=HYPERLINK("http://evil","click")',
                   authors=["@Eve", "+Bob"], year=2024, venue="-NeurIPS", models=["vlm"], contribution=["attack"])
    rows = list(csv.DictReader(io.StringIO(to_csv(graph))))
    assert rows[0]["title"] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert rows[0]["authors"] == "'@Eve; +Bob" and rows[0]["venue"] == "'-NeurIPS" and rows[0]["year"] == "2024"
