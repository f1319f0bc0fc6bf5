"""The LVLM survey's evaluation as records: every figure of the two vendored CSV files is in results/,
exactly as transcribed; the import is idempotent; it refuses a changed transcription and system facts
that disagree with the source.

The CSV files are read here with the csv module alone (not through the importer), so the comparison
is an independent check of the import.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from safetykb.core.results import shown
from safetykb.core.validation import load_kb
from tests.helpers import REPO, run_script

VENDORED = REPO / "sources" / "lvlm-survey-evaluation"
SIUO_SETTINGS = {"openqa_asr": "OpenQA", "mcqa_asr": "MCQA"}


def _system_ids() -> dict[str, str]:
    kb = load_kb(REPO)
    names = {}
    for system_id, record in kb.of("system").items():
        for word in (record["name"], *(record.get("aliases") or [])):
            names[word] = system_id
    return names


def csv_figures() -> dict[tuple[str, str, str, str], str]:
    """(benchmark, setting, system id, category or '' for the headline figure) -> figure as transcribed."""
    ids = _system_ids()
    figures: dict[tuple[str, str, str, str], str] = {}
    with open(VENDORED / "siuo.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for column, setting in SIUO_SETTINGS.items():
                figures[("siuo", setting, ids[row["model"]], "")] = row[column]
    with open(VENDORED / "mm-safetybench.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            category = "" if row["scenario"] == "Average" else row["scenario"]
            figures[("mm-safetybench", row["setting"], ids[row["model"]], category)] = row["asr"]
    return figures


def record_figures() -> dict[tuple[str, str, str, str], str]:
    kb = load_kb(REPO)
    found: dict[tuple[str, str, str, str], str] = {}
    for result in kb.of("result").values():
        if result["source"] != "ye2025survey":
            continue
        for entry in result["values"]:
            key = (result["benchmark"], result["setting"], entry["system"])
            assert (*key, "") not in found, key
            found[(*key, "")] = shown(entry["value"])
            for category, value in (entry.get("by_category") or {}).items():
                found[(*key, category)] = shown(value)
    return found


def test_every_csv_figure_is_in_the_records_as_transcribed() -> None:
    expected, found = csv_figures(), record_figures()
    assert len(expected) == 12 * 2 + 3 * 3 * 14  # SIUO: 12 models x 2; MM-SafetyBench: 13 scenarios + Average
    assert found == expected  # every figure, with its digits ('100.00', '4.10'), and nothing else


def test_done_when_figures() -> None:
    found = record_figures()
    assert found[("siuo", "OpenQA", "janus-pro-7b", "")] == "84.43"
    assert found[("siuo", "MCQA", "janus-pro-7b", "")] == "73.06"
    mm = {k for k in found if k[0] == "mm-safetybench"}
    assert {k[1] for k in mm} == {"SD", "TYPO", "SD+TYPO"}
    assert {k[2] for k in mm} == {"llava-1-5-7b", "llava-1-5-13b", "janus-pro-7b"}
    assert len({k[3] for k in mm} - {""}) == 13
    assert found[("mm-safetybench", "SD", "janus-pro-7b", "")] == "46.07"  # published, not the mean (44.40)


def test_records_cite_the_survey_with_attribution() -> None:
    kb = load_kb(REPO)
    survey = kb.papers["ye2025survey"]
    assert survey["links"]["arxiv"] == "2502.14881" and set(survey["uses"]) == {"siuo", "mm-safetybench"}
    for result in kb.of("result").values():
        assert result["license"] == "CC BY-NC 4.0"
        assert "bcbd139" in result["source_note"] and "XuankunRong/Awesome-LVLM-Safety" in result["source_note"]
        image = "Januspro_SIUO.png" if result["benchmark"] == "siuo" else "Januspro_MMSafetyBench.png"
        assert result["source_url"].endswith(f"/blob/bcbd139248b42be7d4c1d3aea8ec0d86ddc69566/assets/{image}")
    janus = next(e for e in kb.of("result")["ye2025survey-mm-safetybench-sd"]["values"]
                 if e["system"] == "janus-pro-7b")
    assert janus["note"] == ("The source's Average (46.07) is not the mean of its 13 scenarios (44.40); "
                             "kept as published.")


def test_the_table_facts_about_systems_agree_with_their_records() -> None:
    kb = load_kb(REPO)
    ids = _system_ids()
    with open(VENDORED / "siuo.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            system = kb.of("system")[ids[row["model"]]]
            assert system.get("size") == (row["size"] or None) and system["access"] == row["access"]
            assert system["family"] == "vlm"


@pytest.fixture()
def checkout(tmp_path: Path) -> Path:
    """The records, the vendored sources and sources.yaml of this checkout, in a temporary root."""
    root = tmp_path / "kb"
    root.mkdir()
    for folder in ("papers", "taxonomy", "results", "sources"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy2(REPO / "sources.yaml", root / "sources.yaml")
    return root


def test_import_is_idempotent_and_recreates_the_records(checkout: Path) -> None:
    check = run_script("import_results.py", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "5 of 5 result records up to date" in check.stdout
    again = run_script("import_results.py", "--root", str(checkout))
    assert again.returncode == 0 and "0 written, 5 unchanged" in again.stdout
    for path in (checkout / "results").iterdir():
        path.unlink()
    fresh = run_script("import_results.py", "--root", str(checkout))
    assert fresh.returncode == 0, fresh.stderr
    assert "5 written, 0 unchanged" in fresh.stdout
    for path in (REPO / "results").glob("ye2025survey-*.yaml"):
        assert (checkout / "results" / path.name).read_text() == path.read_text()
    # the three published Janus-Pro averages are reported, kept, and do not stop the import
    assert fresh.stdout.count(": warning: published Average") == 3


def test_import_refuses_a_changed_transcription(checkout: Path) -> None:
    table = checkout / "sources" / "lvlm-survey-evaluation" / "siuo.csv"
    table.write_text(table.read_text().replace("84.43", "84.44"))
    done = run_script("import_results.py", "--root", str(checkout))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "sources/lvlm-survey-evaluation/siuo.csv differs from its sha256 in sources.yaml" in done.stderr
    assert "84.43" in (checkout / "results" / "ye2025survey-siuo-openqa.yaml").read_text()


def test_import_refuses_system_facts_that_disagree(checkout: Path) -> None:
    path = checkout / "taxonomy" / "systems" / "janus-pro-7b.yaml"
    path.write_text(path.read_text().replace("size: 7B", "size: 1B"))
    done = run_script("import_results.py", "--root", str(checkout))
    assert done.returncode == 1
    assert ("error: sources/lvlm-survey-evaluation/siuo.csv: Janus-Pro-7B: the table gives size 7B, "
            "taxonomy/systems/janus-pro-7b.yaml 1B") in done.stderr.splitlines()


def test_import_names_an_unknown_model(checkout: Path) -> None:
    (checkout / "taxonomy" / "systems" / "cogvlm-17b.yaml").unlink()
    done = run_script("import_results.py", "--root", str(checkout))
    assert done.returncode == 1
    assert "unknown evaluated system 'CogVLM'" in done.stderr and "taxonomy/systems/<id>.yaml" in done.stderr


def test_validator_warns_about_the_three_published_averages() -> None:
    """Janus-Pro-7B's published averages are not the mean of its scenarios (the source table's own
    inconsistency): validate.py names file, line, published and recomputed figure, and still passes."""
    done = run_script("validate.py")
    assert done.returncode == 0, done.stdout
    warnings = [line for line in done.stdout.splitlines() if ": warning: published Average" in line]
    tail = ("kept as published: check the transcription against the source and explain the difference in the "
            "value's `note`")
    assert warnings == [
        "results/ye2025survey-mm-safetybench-sd-typo.yaml:69:10: warning: published Average 79.94 for 'janus-pro-7b' "
        f"differs from the mean of its 13 categories, 79.36 (by 0.58); {tail}",
        "results/ye2025survey-mm-safetybench-sd.yaml:69:10: warning: published Average 46.07 for 'janus-pro-7b' "
        f"differs from the mean of its 13 categories, 44.40 (by 1.67); {tail}",
        "results/ye2025survey-mm-safetybench-typo.yaml:70:10: warning: published Average 78.09 for 'janus-pro-7b' "
        f"differs from the mean of its 13 categories, 77.23 (by 0.86); {tail}",
    ]
