"""scripts/add_results.py as a contributor runs it: a results table (the CSV format of CONTRIBUTING.md)
becomes result records checked by the validator; a bad table or bad records write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from safetykb.importer.results import TableError, read_table
from tests.helpers import run_script

FLAGS = ["--source", "bench2024mm", "--benchmark", "mm-bench-safety", "--metric", "ASR", "--unit", "%",
         "--better", "lower", "--range", "0:100"]
TABLE = """system,setting,category,value,note
Alpha-VL-7B,SD,,35.00,
Alpha-VL-7B,SD,Illegal Activity,50.00,
Alpha-VL-7B,SD,Hate Speech,20.00,
beta-vl-13b,SD,,15.50,rerun by the authors
beta-vl-13b,SD,Illegal Activity,21.00,
beta-vl-13b,SD,Hate Speech,10.00,
Alpha-VL,OpenQA,,61.2,
"""


def add(root: Path, table: str, *extra: str, stdin: str | None = None):
    path = root / "table.csv"
    path.write_text(table, encoding="utf-8")
    return run_script("add_results.py", "-" if stdin is not None else str(path), *FLAGS, *extra, "--root", str(root),
                      cwd=root, stdin=stdin)


def test_a_table_becomes_records_checked_and_written(kb_copy: Path) -> None:
    done = add(kb_copy, TABLE, "--aggregate", "mean", "--aggregate-label", "Average", "--category-label", "scenario",
               "--source-note", "Table 2 of the paper")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "added results/bench2024mm-mm-bench-safety-sd.yaml" in done.stdout
    assert "added results/bench2024mm-mm-bench-safety-openqa.yaml" in done.stdout
    text = (kb_copy / "results" / "bench2024mm-mm-bench-safety-sd.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../safetykb/schemas/result.schema.json\n")
    assert "  value: 35.00\n" in text and "    Illegal Activity: 50.00\n" in text  # figures as written
    assert "categories:\n- Illegal Activity\n- Hate Speech\n" in text and "note: rerun by the authors" in text
    assert "- system: alpha-vl-7b" in text  # names and aliases become ids
    openqa = (kb_copy / "results" / "bench2024mm-mm-bench-safety-openqa.yaml").read_text()
    assert "value: 61.2\n" in openqa and "categories" not in openqa
    assert run_script("validate.py", "--root", str(kb_copy)).returncode == 0
    # beta-vl-13b's 15.50 is the mean of 21.00 and 10.00: no warning; alpha's 35.00 is exactly the mean
    assert "warning" not in done.stdout


def test_a_published_aggregate_off_its_parts_is_written_with_a_warning(kb_copy: Path) -> None:
    table = TABLE.replace("Alpha-VL-7B,SD,,35.00,", "Alpha-VL-7B,SD,,37.00,")
    done = add(kb_copy, table, "--aggregate", "mean", "--aggregate-label", "Average")
    assert done.returncode == 0, done.stderr
    assert ("results/bench2024mm-mm-bench-safety-sd.yaml:20:10: warning: published Average 37.00 for "
            "'alpha-vl-7b' differs from the mean of its 2 categories, 35.00 (by 2.00)") in done.stdout
    assert "37.00" in (kb_copy / "results" / "bench2024mm-mm-bench-safety-sd.yaml").read_text()


def test_records_with_errors_are_refused_and_nothing_is_written(kb_copy: Path) -> None:
    table = "system,value\nalpha-vl-7b,104.5\nbeta-vl-13b,12\n"
    done = add(kb_copy, table, "--setting", "SD")
    assert done.returncode == 1
    assert ("results/bench2024mm-mm-bench-safety-sd.yaml:15:10: 104.5 for 'alpha-vl-7b' is outside the range of "
            "ASR, 0 to 100: check the figure against the source (or the metric's range)") in done.stdout
    assert "nothing written" in done.stderr
    assert not (kb_copy / "results" / "bench2024mm-mm-bench-safety-sd.yaml").exists()
    unknown = run_script("add_results.py", str(kb_copy / "table.csv"), "--source", "bench2024m", *FLAGS[2:],
                         "--setting", "SD", "--root", str(kb_copy), cwd=kb_copy)
    assert unknown.returncode == 1
    assert "unknown paper 'bench2024m'; did you mean 'bench2024mm'?" in unknown.stdout


def test_an_existing_record_is_never_replaced(kb_copy: Path) -> None:
    before = (kb_copy / "results" / "bench2024mm-mm-bench-safety-typo.yaml").read_text()
    done = add(kb_copy, "system,value\nalpha-vl-7b,1\n", "--setting", "TYPO")
    assert done.returncode == 1
    assert "results/bench2024mm-mm-bench-safety-typo.yaml already exists: edit it, or remove it first" in done.stderr
    assert (kb_copy / "results" / "bench2024mm-mm-bench-safety-typo.yaml").read_text() == before


@pytest.mark.parametrize(("table", "extra", "message"), [
    ("system,value\nAlfa-VL-7B,1\n", ["--setting", "SD"],
     "table.csv:2: unknown evaluated system 'Alfa-VL-7B'; did you mean 'alpha-vl-7b'?"),
    ("system,value\nalpha-vl-7b,30%\n", ["--setting", "SD"],
     "table.csv:2: value '30%' is not a number: write it as published (for example 46.71), without % or other signs"),
    ("system,valeu\nalpha-vl-7b,1\n", ["--setting", "SD"],
     "table.csv:1: unknown column 'valeu'; did you mean 'value'?"),
    ("system,value\nalpha-vl-7b,1\n", [], "table.csv:2: no setting: add a `setting` column or give --setting"),
    ("system,value\nalpha-vl-7b,1\nalpha-vl-7b,2\n", ["--setting", "SD"],
     "table.csv:3: 'alpha-vl-7b' has two figures for SD: keep one (a category's figure goes in the `category` column)"),
    ("system,category,value\nalpha-vl-7b,Fraud,1\n", ["--setting", "SD"],
     "table.csv:2: 'alpha-vl-7b' has no headline figure for SD"),
])
def test_a_bad_table_is_refused_with_its_line(kb_copy: Path, table: str, extra: list[str], message: str) -> None:
    done = add(kb_copy, table, *extra)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert message in done.stderr
    assert not list((kb_copy / "results").glob("*-sd.yaml"))


def test_dry_run_and_standard_input(kb_copy: Path) -> None:
    done = add(kb_copy, "", "--setting", "SD", "--dry-run", stdin="system,value\nbeta-vl-13b,9.90\n")
    assert done.returncode == 0, done.stderr
    assert "# results/bench2024mm-mm-bench-safety-sd.yaml\n# yaml-language-server" in done.stdout
    assert "  value: 9.90\n" in done.stdout
    assert not (kb_copy / "results" / "bench2024mm-mm-bench-safety-sd.yaml").exists()
    missing = run_script("add_results.py", str(kb_copy / "nope.csv"), *FLAGS, "--root", str(kb_copy))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    bad_range = run_script("add_results.py", "-", *FLAGS[:-1], "0-100", "--root", str(kb_copy), stdin="")
    assert bad_range.returncode == 2 and "is not MIN:MAX" in bad_range.stderr


def test_read_table_keeps_figures_as_text() -> None:
    cells = read_table("value,system,category\n100.00,a,\n4.10,a,x\n")
    assert [(c.system, c.category, c.value, c.line) for c in cells] == [("a", "", "100.00", 2), ("a", "x", "4.10", 3)]
    with pytest.raises(TableError, match="empty table"):
        read_table("")
    with pytest.raises(TableError, match="table:2: 1 fields where the header has 2"):
        read_table("system,value\nalone\n")


def test_contributing_documents_the_table_format_the_code_reads() -> None:
    """The column table and the example of CONTRIBUTING.md match what read_table accepts."""
    import re

    from safetykb.core.validation import load_kb
    from safetykb.importer.results import COLUMNS, Spec, build, system_names
    from tests.helpers import REPO

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Adding a paper's results", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^   \| `(\w+)` \| (yes|no) \|", section, re.M)
    assert documented == [(name, "yes" if required else "no") for name, required in COLUMNS]
    example = section.split("```csv\n", 1)[1].split("```", 1)[0]
    spec = Spec(source="ye2025survey", benchmark="mm-safetybench", metric={"name": "ASR", "better": "lower"})
    (record,) = build(read_table(example), spec, system_names(load_kb(REPO)))
    assert [v["system"] for v in record["values"]] == ["llava-1-5-7b", "janus-pro-7b"]
    assert record["categories"] == ["01-Illegal Activity", "02-Hate Speech"]
