"""The bad-record corpus: one case per check of DESIGN section 3, each refused with file, line and message.

Each folder in tests/bad_records/ holds files laid over a copy of the fixture
knowledge base and `expected.txt`, the exact lines the validator must print.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO, run_script

CORPUS = REPO / "tests" / "bad_records"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_corpus_covers_every_check() -> None:
    expected = {
        "yaml-syntax", "python-tag", "several-documents", "alias-bomb", "empty-file", "unknown-key",
        "wrong-type", "bad-enum", "id-mismatch", "unknown-reference", "wrong-kind-reference", "alias-reference",
        "tree-cycle", "duplicate-arxiv", "duplicate-doi", "duplicate-title", "near-identical-title", "bad-url",
        "bad-arxiv", "bad-doi", "year-folder", "duplicate-id", "outside-year-folder",
        "bad-date", "date-outside-year", "former-id-taken", "former-id-reference", "title-casing",
        "counters-outside-defense-type", "specific-defense-without-counters", "background-with-threat",
        # result sets and evaluated systems (issue 12)
        "result-aggregate", "result-out-of-range", "result-duplicate", "result-unknown-reference",
        "result-unknown-category", "result-bad-figure", "system-unknown-family",
        "too-long", "prefixed-title", "flood",
        # hardening round 2: pathological YAML, lost data, characters, misplaced files, the section map,
        # classification rules that used to live in a test, and YAML mistakes worded as fixes
        "deep-nesting", "duplicate-key", "control-character", "misplaced-record", "broken-sections",
        "sections-unknown-ids", "benchmark-without-introduces", "introduces-one-sided", "contribution-mismatch",
        "yaml-unquoted-colon", "yaml-tab", "unquoted-boolean", "yaml-cascade",
    }
    assert expected <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_bad_case_is_refused_with_path_line_and_message(case: str, kb_copy: Path) -> None:
    overlay = CORPUS / case
    shutil.copytree(overlay, kb_copy, dirs_exist_ok=True)
    (kb_copy / "expected.txt").unlink()
    expected = (overlay / "expected.txt").read_text().splitlines()
    assert expected, f"{case}: expected.txt is empty"
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    for line in expected:
        assert line in lines, f"{case}: missing\n  {line}\nin\n" + result.stdout
    warnings_only = all(": warning: " in line for line in expected)
    if warnings_only:  # a case of warnings: printed, and the records still pass
        assert result.returncode == 0 and lines[-1].startswith("ok: "), result.stdout + result.stderr
        assert run_script("validate.py", "--root", ".", "--strict", cwd=kb_copy, timeout=20).returncode == 1
        lines = lines[:-1]
    else:
        assert result.returncode == 1, result.stdout + result.stderr
    body = lines[:-1]
    assert body == sorted(body, key=_position), "problems are sorted by path and position"
    errors = sum(": warning: " not in line for line in body)
    assert lines[-1].startswith(f"{errors} error" if errors else f"{len(body)} warning"), lines[-1]


def _position(line: str) -> tuple[str, int, int]:
    """(path, line, column) of a printed problem: positions compare as numbers (9 before 10)."""
    path, row, col, _rest = line.split(":", 3)
    return path, int(row), int(col)


def test_python_tag_is_never_executed(kb_copy: Path, tmp_path: Path) -> None:
    marker = Path("/tmp/safetykb-pwned")
    marker.unlink(missing_ok=True)
    shutil.copytree(CORPUS / "python-tag", kb_copy, dirs_exist_ok=True)
    result = run_script("validate.py", "--root", str(kb_copy), timeout=20)
    assert result.returncode == 1
    assert not marker.exists()


def test_not_utf8_bytes_are_refused_with_their_line(kb_copy: Path) -> None:
    path = kb_copy / "papers" / "2024" / "doe2024latin.yaml"
    path.write_bytes(b"id: doe2024latin\ntitle: Caf\xe9 attacks\n")
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 1
    assert ("papers/2024/doe2024latin.yaml:2:11: bytes are not UTF-8 (0xe9 at byte 27); save the file as UTF-8"
            in result.stdout.splitlines())


def test_oversized_file_is_refused_without_parsing(kb_copy: Path) -> None:
    path = kb_copy / "papers" / "2024" / "doe2024huge.yaml"
    path.write_text("id: doe2024huge\nsummary: " + "x" * (3 * 1024 * 1024) + "\n")
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 1
    assert ("papers/2024/doe2024huge.yaml:1:1: file is 3,145,754 bytes; a record is capped at 256 KiB: "
            "split or trim it") in result.stdout.splitlines()


def test_every_problem_is_reported_not_the_first(kb_copy: Path) -> None:
    for case in ("unknown-key", "unknown-reference", "bad-url", "tree-cycle"):
        shutil.copytree(CORPUS / case, kb_copy, dirs_exist_ok=True)
    (kb_copy / "expected.txt").unlink()
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "6 errors in 5 files"


def test_paths_argument_limits_the_report(kb_copy: Path) -> None:
    shutil.copytree(CORPUS / "unknown-reference", kb_copy, dirs_exist_ok=True)
    shutil.copytree(CORPUS / "bad-url", kb_copy, dirs_exist_ok=True)
    result = run_script("validate.py", "--root", ".", "papers/2024/doe2024url.yaml", cwd=kb_copy, timeout=20)
    assert result.returncode == 1
    assert "doe2024url.yaml" in result.stdout and "doe2024ref.yaml" not in result.stdout


def test_clean_fixture_exits_zero() -> None:
    result = run_script("validate.py", "--root", str(REPO / "tests" / "fixtures" / "kb"))
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("ok: 24 records (8 papers, 4 models")
    assert result.stdout.rstrip().endswith("2 systems, 1 result)")


def test_repository_records_are_clean() -> None:
    result = run_script("validate.py")
    assert result.returncode == 0, result.stdout


def test_missing_path_and_wrong_root_exit_two(tmp_path: Path) -> None:
    missing = run_script("validate.py", "no/such/file.yaml")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    empty = run_script("validate.py", "--root", str(tmp_path))
    assert empty.returncode == 2 and "holds no papers/ or taxonomy/" in empty.stderr


def test_report_counts_errors_and_warnings_apart() -> None:
    from safetykb.core.problems import WARNING, Problem, format_report

    report = format_report([Problem("a.yaml", 2, 1, "bad"), Problem("b.yaml", 1, 1, "odd", WARNING),
                            Problem("a.yaml", 1, 3, "worse")]).splitlines()
    assert report == ["a.yaml:1:3: worse", "a.yaml:2:1: bad", "b.yaml:1:1: warning: odd",
                      "2 errors and 1 warning in 2 files"]
    assert format_report([Problem("b.yaml", 1, 1, "odd", WARNING)]).splitlines()[-1] == "1 warning in 1 file"


def test_one_broken_taxonomy_file_is_one_error_not_a_cascade(kb_copy: Path) -> None:
    """Every record naming the unreadable attack type used to be reported as naming an unknown one."""
    shutil.copytree(CORPUS / "yaml-cascade", kb_copy, dirs_exist_ok=True)
    (kb_copy / "expected.txt").unlink()
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "1 error in 1 file", result.stdout


def test_links_leading_outside_are_never_opened(kb_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$hash-that-must-never-be-printed:19000:0:99999:7:::\n")
    (kb_copy / "papers" / "2024" / "doe2024leak.yaml").symlink_to(secret)
    (kb_copy / "taxonomy" / "attacks" / "shadow.yaml").symlink_to("/etc/shadow")
    outside = tmp_path / "outside"
    (outside / "2024").mkdir(parents=True)
    (kb_copy / "papers" / "2030").symlink_to(outside, target_is_directory=True)
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 1 and "hash-that" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert ("papers/2024/doe2024leak.yaml:1:1: a symbolic link that leads outside the knowledge base: records are "
            "read only inside it, so it was not opened; put the record file itself here") in lines
    assert any(line.startswith("taxonomy/attacks/shadow.yaml:1:1: a symbolic link that leads outside")
               for line in lines)
    assert any(line.startswith("papers/2030:1:1: a symbolic link to a folder") for line in lines)


def test_a_link_inside_the_knowledge_base_is_read(kb_copy: Path) -> None:
    record = kb_copy / "papers" / "2024" / "bench2024mm.yaml"
    before = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20).stdout
    (kb_copy / "drafts").mkdir()
    record.rename(kb_copy / "drafts" / "bench2024mm.yaml")
    record.symlink_to(Path("..") / ".." / "drafts" / "bench2024mm.yaml")
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 0 and result.stdout.startswith("ok: "), result.stdout
    assert result.stdout == before  # the linked record is read as the file was


def test_pipes_and_devices_among_records_are_refused_without_blocking(kb_copy: Path) -> None:
    os.mkfifo(kb_copy / "papers" / "2024" / "doe2024pipe.yaml")
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 1
    assert ("papers/2024/doe2024pipe.yaml:1:1: not a regular file: a record is a plain .yaml file"
            in result.stdout.splitlines())


def test_the_section_map_is_validated(kb_copy: Path) -> None:
    (kb_copy / "taxonomy" / "sections.yaml").write_text("awesome-lvlm-safety: [\n")
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 1 and result.stdout.startswith("taxonomy/sections.yaml:2:1: YAML syntax error")
    (kb_copy / "taxonomy" / "sections.yaml").write_text("- just a list\n")
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert "taxonomy/sections.yaml:1:1: a record is a mapping of keys to values, not a list" in result.stdout


def test_validator_output_never_carries_terminal_controls(kb_copy: Path) -> None:
    path = kb_copy / "papers" / "2024" / "doe2024esc.yaml"
    path.write_text('id: doe2024esc\ntitle: "x"\nvenue: [\\e]2;pwned\\a]\n"\\e[2Jkey": 1\n')
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\a" not in result.stdout, repr(result.stdout)


def test_pathological_records_are_refused_promptly(kb_copy: Path) -> None:
    """Each of these used to crash or hang the validator (a segmentation fault, minutes of difflib)."""
    papers = kb_copy / "papers" / "2024"
    (papers / "doe2024brackets.yaml").write_text("[" * 200_000)
    words = " ".join(f"w{i:05d}" for i in range(20_000))
    for name, title in (("doe2024first", words), ("doe2024second", words[:60_000] + "x" + words[60_001:])):
        (papers / f"{name}.yaml").write_text(f"id: {name}\ntitle: {title}\nauthors: [A B]\nyear: 2024\n")
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=30)  # the timeout fails a hang
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("papers/2024/doe2024brackets.yaml:1:11: lists and mappings nested more than 10")
               for line in lines)
    assert "papers/2024/doe2024first.yaml:2:8: `title`: 139,999 characters; at most 500 are allowed: shorten it" \
        in lines


def test_deleting_a_taxonomy_record_fails_validation_where_it_is_named(kb_copy: Path) -> None:
    (kb_copy / "taxonomy" / "attacks" / "jailbreak.yaml").rename(kb_copy / "taxonomy" / "attacks" / "jb.yaml")
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)  # what the hook runs
    assert result.returncode == 1
    assert "taxonomy/attacks/jb.yaml:1:5: id 'jailbreak' does not match the file name 'jb.yaml'" in result.stdout
    (kb_copy / "taxonomy" / "attacks" / "jb.yaml").unlink()
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=20)
    assert result.returncode == 1 and "papers/2024/chen2024bathe.yaml:10:12: unknown attack type 'jailbreak'" \
        in result.stdout.splitlines()


def test_a_flood_of_unknown_keys_and_ids_is_reported_briefly(kb_copy: Path) -> None:
    """15,000 unknown keys took 35 s of 'did you mean' and printed 15,000 lines; 12,000 unknown ids too."""
    head = ("id: {id}\ntitle: Flood {id}\nauthors: [A B]\nyear: 2024\nmodels: [vlm]\ncontribution: [attack]\n"
            "attacks: [jailbreak]\nsources: [contributor]\nstatus: auto\nadded: 2026-11-23\n")
    papers = kb_copy / "papers" / "2024"
    (papers / "doe2024keys.yaml").write_text(head.format(id="doe2024keys")
                                             + "".join(f"k{i:05d}x: 1\n" for i in range(15_000)))
    (papers / "doe2024ids.yaml").write_text(head.format(id="doe2024ids") + "not_duplicate_of: ["
                                            + ", ".join(f"doe2024p{i:05d}" for i in range(12_000)) + "]\n")
    result = run_script("validate.py", "--root", ".", cwd=kb_copy, timeout=30)  # the timeout fails a hang
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "42 errors in 2 files"
    assert "papers/2024/doe2024keys.yaml:31:1: and more: 15,000 unknown keys; only the first 20 are listed" in lines
    assert any(line.startswith("papers/2024/doe2024ids.yaml:11:") and line.endswith(
        "and more: `not_duplicate_of` lists 12,000 ids and only the first 20 problems are listed; fix those first")
        for line in lines)



def test_every_paper_record_is_in_the_one_record_style() -> None:
    """The importer, add_paper and refresh write papers through one renderer (safetykb.core.recordfile): each
    paper file is what that renderer makes of its data, so a rewrite by any writer changes only the lines whose
    data changed. (Result sets: `scripts/import_results.py --check` reports a file its importer would change.)"""
    from safetykb.core.recordfile import render
    from safetykb.core.yamlsafe import read_record

    drifted = []
    for path in sorted((REPO / "papers").glob("*/*.yaml")):
        data, text, error = read_record(path)
        assert error is None, path
        if render(data, "paper") != text:
            drifted.append(str(path.relative_to(REPO)))
    assert drifted == []
