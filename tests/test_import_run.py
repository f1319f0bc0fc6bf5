"""End-to-end import on fixture lists in a temporary repository: records, idempotence,
reviewed records, stable ids, fatal problems, the CLI."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from safetykb.importer import LARGE_MODEL_LIST, LVLM_LIST
from safetykb.importer.pipeline import run_import
from safetykb.importer.report import coverage
from safetykb.importer.writer import schema_errors

FIX = Path(__file__).parent / "fixtures" / "import"
REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-01-02"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIX / "root" / "taxonomy", root / "taxonomy")
    shutil.copytree(FIX / "root" / "classify", root / "safetykb" / "importer" / "classify")
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root / "papers")): p.read_bytes() for p in sorted((root / "papers").rglob("*.yaml"))}


def _load(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / "papers" / rel).read_text(encoding="utf-8"))


def test_import_writes_valid_records(repo):
    res = run_import(FIX / "data", repo, today=TODAY)
    assert not res.fatal and res.written
    files = sorted(_snapshot(repo))
    assert files == sorted([
        "2022/zhang2022trojan.yaml", "2022/zhang2022trojanb.yaml", "2023/brown2023mixed.yaml",
        "2023/jones2023beta.yaml", "2023/smith2023alpha.yaml", "2024/lee2024safebenchv.yaml",
        "2024/miller2024abusing.yaml", "2024/muller2024safety.yaml", "2024/petrov2024shield.yaml",
        "2024/zed2024twin.yaml", "2024/zed2024twinb.yaml", "2025/kim2025delta.yaml",
    ])  # fmt: skip
    for rel in files:
        text = (repo / "papers" / rel).read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../safetykb/schemas/paper.schema.json\n")
        data = yaml.safe_load(text)
        assert schema_errors(data) == []
        assert data["id"] == Path(rel).stem and str(data["year"]) == rel[:4]
        assert data["status"] == "auto" and data["added"] == TODAY
    alpha = _load(repo, "2023/smith2023alpha.yaml")
    assert list(alpha) == [
        "id", "title", "authors", "affiliations", "year", "date", "venue", "links", "models", "contribution",
        "attacks", "method", "threat_model", "filed_under", "sources", "status", "added",
    ]  # fmt: skip
    assert alpha["links"] == {
        "arxiv": "2305.00001",
        "url": "https://arxiv.org/abs/2305.00001",
        "code": "https://github.com/alice/alpha",
    }
    assert alpha["attacks"] == ["adversarial", "jailbreak"]  # classify entry + section rule, union
    assert alpha["filed_under"] == {LVLM_LIST: ["Attacks"], LARGE_MODEL_LIST: ["VLM / Jailbreak Attacks"]}
    assert alpha["sources"] == [LVLM_LIST, LARGE_MODEL_LIST]
    shield = _load(repo, "2024/petrov2024shield.yaml")
    assert shield["filed_under"][LVLM_LIST] == ["Defenses", "Evaluations"]
    assert shield["defenses"] == ["detection", "inference-alignment"] and shield["counters"] == ["jailbreak"]
    assert (shield["venue"], shield["venue_note"]) == ("ICML", "Workshop")
    beta = _load(repo, "2023/jones2023beta.yaml")  # fuzzy merge of "atack"/"Attack", &#39;
    assert beta["title"] == "Beta Jailbreak: Google's Model Under Attack"
    assert (beta["venue"], beta["venue_note"], beta["date"]) == ("AAAI", "Oral", "2023-06-22")
    trojan = _load(repo, "2022/zhang2022trojan.yaml")  # attack section + mixed section: union
    assert trojan["attacks"] == ["backdoor"] and trojan["models"] == ["llm"]
    assert trojan["filed_under"] == {LARGE_MODEL_LIST: ["LLM / Backdoor Attacks", "LLM / Safety Alignment"]}
    delta = _load(repo, "2025/kim2025delta.yaml")
    assert delta["links"] == {"url": "https://openaccess.thecvf.com/content/Delta.html",
                              "code": "https://github.com/naver/delta"}  # fmt: skip
    tifs = _load(repo, "2024/muller2024safety.yaml")
    assert tifs["authors"] == ["Jörg Müller", "Florian Tramèr"] and tifs["venue"] == "IEEE TIFS"


def test_second_run_is_byte_identical(repo):
    run_import(FIX / "data", repo, today=TODAY)
    before = _snapshot(repo)
    res = run_import(FIX / "data", repo, today="2030-12-31")
    assert _snapshot(repo) == before
    assert {p.action for p in res.plans} == {"unchanged"}
    assert coverage(res)["totals"]["matched_existing"] == len(before)


def test_reviewed_record_survives_reimport(repo):
    run_import(FIX / "data", repo, today=TODAY)
    path = repo / "papers" / "2023" / "smith2023alpha.yaml"
    edited = path.read_text(encoding="utf-8").replace("status: auto", "status: reviewed")
    edited = edited.replace("- jailbreak\n", "").replace("threat_model: white-box\n", "summary: Our words.\n")
    path.write_text(edited, encoding="utf-8")
    res = run_import(FIX / "data", repo, today="2030-12-31")
    assert path.read_text(encoding="utf-8") == edited
    assert [p.action for p in res.plans if p.rid == "smith2023alpha"] == ["reviewed"]


def test_existing_record_keeps_id_and_added(repo):
    run_import(FIX / "data", repo, today=TODAY)
    old = repo / "papers" / "2024" / "petrov2024shield.yaml"
    moved = repo / "papers" / "2024" / "handmade2024id.yaml"
    moved.write_text(old.read_text(encoding="utf-8").replace("petrov2024shield", "handmade2024id"), encoding="utf-8")
    old.unlink()
    res = run_import(FIX / "data", repo, today="2030-12-31")
    assert not old.exists() and moved.exists()
    assert _load(repo, "2024/handmade2024id.yaml")["added"] == TODAY
    assert [p.action for p in res.plans if p.rid == "handmade2024id"] == ["unchanged"]


def test_dry_run_writes_nothing(repo):
    res = run_import(FIX / "data", repo, dry_run=True, today=TODAY)
    assert not res.fatal and not res.written
    assert not (repo / "papers").exists()


def test_parse_problems_are_fatal_and_nothing_is_written(repo):
    res = run_import(FIX / "malformed", repo, today=TODAY)
    assert res.fatal and not res.written
    assert not (repo / "papers").exists()
    report = coverage(res)
    assert report["totals"]["unparsed"] == 6
    assert report["lists"][LVLM_LIST]["unparsed"] == 3


def test_unclassified_is_fatal_unless_allowed(repo):
    (repo / "safetykb" / "importer" / "classify" / "fixture.yaml").unlink()  # classify data absent
    res = run_import(FIX / "data", repo, today=TODAY)
    assert res.fatal and not res.written
    unclassified = {p.title for p in res.unclassified}
    assert "Delta: Jailbreaking Without arXiv" in unclassified  # LVLM sections have no threats
    assert "Mixed Bag: Attacks and Defenses for Alignment" in unclassified  # mixed section
    assert "Trojan Words: Backdooring Language Models" not in unclassified
    res = run_import(FIX / "data", repo, today=TODAY, allow_unclassified=True)
    assert res.written
    written = {yaml.safe_load(p.read_text(encoding="utf-8"))["title"] for p in (repo / "papers").rglob("*.yaml")}
    assert not written & unclassified


def test_bad_classification_data_is_fatal(repo):
    (repo / "safetykb" / "importer" / "classify" / "bad.yaml").write_text(
        "- title: X\n  list: awesome-lvlm-safety\n  atacks: [jailbreak]\n", encoding="utf-8"
    )
    res = run_import(FIX / "data", repo, today=TODAY)
    assert res.fatal and any("atacks" in e for e in res.errors)


def test_cli_bad_data_dir_exits_2_without_traceback(repo, tmp_path):
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "import_awesome.py"), "--root", str(repo),
         "--data", str(tmp_path / "nope")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "not found" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_report_json(repo):
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "report.py"), "coverage", "--json", "--root", str(repo),
         "--data", str(FIX / "data")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    import json

    data = json.loads(proc.stdout)
    assert data["totals"]["entries"] == 18 and data["totals"]["papers"] == 12
    assert data["totals"]["papers_in_both_lists"] == 4
    assert not (repo / "papers").exists()


def test_records_no_list_paper_matches_are_reported(repo):
    run_import(FIX / "data", repo, today=TODAY)
    stale = repo / "papers" / "2023" / "smith2023alphab.yaml"
    data = _load(repo, "2023/smith2023alpha.yaml") | {"id": "smith2023alphab", "title": "Alpha, an older wording"}
    data.pop("links", None)
    stale.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    res = run_import(FIX / "data", repo, today=TODAY, dry_run=True)
    assert [u.split(": ")[1].split()[0] for u in res.unmatched] == ["smith2023alphab"]
    assert coverage(res)["totals"]["unmatched_records"] == 1
    stale.unlink()
    assert run_import(FIX / "data", repo, today=TODAY, dry_run=True).unmatched == []


def test_corrections_replace_cut_off_authors(tmp_path: Path) -> None:
    from safetykb.importer.model import Entry
    from safetykb.importer.pipeline import apply_corrections
    from safetykb.metadata.people import Person

    fixes = tmp_path / "corrections.yaml"
    fixes.write_text("- title: Red-teaming the Stable Diffusion safety filter\n"
                     "  authors: [Javier Rando, Florian Tramèr]\n", encoding="utf-8")
    cut = Entry(list="l", path="README.md", line=7, title="Red-teaming the stable diffusion safety filter.",
                authors=[Person("Javier", "Rando"), Person("", "Tramè")],
                warnings=["line 8: author 'Tramè' has no given name"])
    other = Entry(list="l", path="README.md", line=9, title="Another paper", authors=[Person("A", "B")])
    notes = apply_corrections([cut, other], fixes)
    assert cut.authors == [Person("Javier", "Rando"), Person("Florian", "Tramèr")] and cut.warnings == []
    assert other.authors == [Person("A", "B")]
    assert notes == ["README.md:7: authors corrected from corrections.yaml"]


def test_shipped_corrections_name_real_list_entries() -> None:
    from safetykb.importer.pipeline import CORRECTIONS
    from safetykb.importer.text import title_key
    from tests.helpers import seed_lists

    text = title_key(" ".join(p.read_text(encoding="utf-8") for p in seed_lists().glob("*/README.md")))
    for item in yaml.safe_load(CORRECTIONS.read_text(encoding="utf-8")):
        assert item["authors"] and all(" " in a for a in item["authors"]), item
        assert title_key(item["title"]) in text, item["title"]


def test_edited_record_keeps_its_facts_and_classification_on_reimport(repo):
    """Once written, a record belongs to refresh, reviewers and contributors: a re-import keeps every edit
    (even a moved year folder) and only brings the lists' provenance and missing link kinds up to date."""
    run_import(FIX / "data", repo, today=TODAY)
    old = repo / "papers" / "2023" / "smith2023alpha.yaml"
    data = yaml.safe_load(old.read_text(encoding="utf-8"))
    links = data.pop("links")
    data.update(title=data["title"].upper(), year=2022, date="2022-12-30", summary="Our words.",
                contribution=["analysis"], evaluates=["jailbreak"], links={"doi": "10.1234/x"},
                sources=["contributor"], filed_under={})
    data.pop("attacks", None)
    moved = repo / "papers" / "2022" / "smith2023alpha.yaml"
    moved.parent.mkdir(parents=True, exist_ok=True)
    moved.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    old.unlink()
    res = run_import(FIX / "data", repo, today="2030-12-31")
    assert [p.action for p in res.plans if p.rid == "smith2023alpha"] == ["update"]
    assert not old.exists()
    after = _load(repo, "2022/smith2023alpha.yaml")
    for key in ("title", "year", "date", "summary", "contribution", "evaluates"):
        assert after[key] == data[key], key
    assert "attacks" not in after
    assert after["links"] == {**links, "doi": "10.1234/x"}  # link kinds the record lacked come back
    assert after["sources"][-1] == "contributor" and set(after["sources"][:-1]) <= {"awesome-lvlm-safety",
                                                                                    "awesome-large-model-safety"}
    assert after["filed_under"]  # where the lists file it, again


def test_cut_author_lists_are_marked(repo):
    """'**and others**' / '*et al.*' in the large-model list: the record says its list is cut."""
    run_import(FIX / "data", repo, today=TODAY)
    muller = _load(repo, "2024/muller2024safety.yaml")
    assert muller["authors_complete"] is False and list(muller).index("authors_complete") == 3
    assert "authors_complete" not in _load(repo, "2023/smith2023alpha.yaml")
    marked = sorted(p.stem for p in (repo / "papers").rglob("*.yaml")
                    if yaml.safe_load(p.read_text(encoding="utf-8")).get("authors_complete") is False)
    assert marked == ["muller2024safety", "zhang2022trojanb"]


def test_reimport_marks_a_cut_list_but_not_a_refreshed_one(repo):
    run_import(FIX / "data", repo, today=TODAY)
    muller = repo / "papers" / "2024" / "muller2024safety.yaml"
    trojan = repo / "papers" / "2022" / "zhang2022trojanb.yaml"
    muller.write_text(muller.read_text(encoding="utf-8").replace("authors_complete: false\n", ""), encoding="utf-8")
    refreshed = trojan.read_text(encoding="utf-8").replace("authors_complete: false\n", "")
    refreshed = refreshed.replace("- Qingjie Zhang\n", "- Qingjie Zhang\n- Full List\n")
    trojan.write_text(refreshed, encoding="utf-8")
    run_import(FIX / "data", repo, today="2030-12-31")
    assert _load(repo, "2024/muller2024safety.yaml")["authors_complete"] is False  # still the list's cut list
    assert trojan.read_text(encoding="utf-8") == refreshed  # a complete list (refresh's) is left alone


def test_new_titles_are_recased_by_the_casing_table() -> None:
    from safetykb.importer.classification import Verdict
    from safetykb.importer.merge import Paper
    from safetykb.importer.writer import build_record

    paper = Paper(entries=[], title="Badclip: attacks on clip and llm agents", year=2024)
    record = build_record(paper, Verdict(models=["vlm"], contribution=["attack"]), "a2024b", TODAY)
    assert record["title"] == "BadCLIP: attacks on CLIP and LLM agents"

def test_classification_written_twice_in_one_entry_is_fatal_not_lost(repo):
    """A second `attacks:` in a classify entry silently replaced the first (plain yaml.load)."""
    (repo / "safetykb" / "importer" / "classify" / "twice.yaml").write_text(
        "- title: X\n  attacks: [jailbreak]\n  attacks: [backdoor]\n", encoding="utf-8"
    )
    res = run_import(FIX / "data", repo, today=TODAY)
    assert res.fatal
    assert any(e.endswith("twice.yaml:3:3: key 'attacks' appears twice in one mapping (lines 2 and 3); YAML would "
                          "keep only the second and drop the first: merge them into one") for e in res.errors)
