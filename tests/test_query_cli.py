"""scripts/query.py as a user runs it: formats, exit statuses, flags, the cache, lazy imports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest

from tests.helpers import FIXTURE_KB, REPO

_SHARED: dict[str, Path] = {}


@pytest.fixture(scope="module", autouse=True)
def shared_kb(tmp_path_factory) -> Path:
    """A copy of the fixture knowledge base whose cache the tests below share (fast, and the cache path)."""
    root = tmp_path_factory.mktemp("query") / "kb"
    shutil.copytree(FIXTURE_KB, root, ignore=shutil.ignore_patterns(".cache"))
    _SHARED["root"] = root
    return root


def query(
    *args: str,
    root: Path | None = None,
    cache: bool = True,
    columns: int = 100,
) -> subprocess.CompletedProcess[str]:
    """scripts/query.py as a fresh process, on a terminal `columns` wide (pytest itself sets COLUMNS=80)."""
    extra = [] if cache else ["--no-cache"]
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "query.py"), *args, "--root", str(root or _SHARED["root"]), *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_table_starts_with_the_understood_line_and_fits_100_columns() -> None:
    done = query("which defenses cover backdoors in VLMs")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "defenses countering backdoor (+ 1 subtype) on vlm (+ 1 subtype): 1 paper"
    assert "Backdoor removal (backdoor-removal): 1" in lines
    assert any(line.split()[1:2] == ["liu2024cleanvid"] for line in lines)
    for columns in (80, 100):
        wide = query("papers since 2023", columns=columns)
        assert max(len(line) for line in wide.stdout.splitlines()) <= columns
        assert len(wide.stdout.splitlines()) == 1 + 2 * 2 + 8  # understood; blank + title per year; 8 rows
    narrow = query("defenses against jailbreak on diffusion models", columns=80)
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80


def test_json_has_question_understood_and_records() -> None:
    done = query("what counters jailbreak on VLMs", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["question"] == "what counters jailbreak on VLMs"
    assert data["understood"].endswith(": 2 defense types and 2 papers")
    assert [r["id"] for r in data["results"]] == [
        "inference-alignment",
        "safety-alignment",
        "wang2024adashield",
        "chen2024bathe",
    ]
    bathe = data["results"][3]
    assert bathe["counters"] == ["jailbreak"] and bathe["defenses"] == ["safety-alignment"]
    assert bathe["links"] == {"arxiv": "2408.09093"} and bathe["year"] == 2024
    assert data["query"] == {"kind": "counters", "attacks": ["jailbreak"], "models": ["vlm"]}


def test_json_of_gaps_lists_cells_with_their_attack_papers() -> None:
    data = json.loads(query("gaps", "-f", "json").stdout)
    assert data["results"][0] == {"model": "dm", "attack": "backdoor", "attack_papers": ["lee2023stealthy"]}
    assert data["count"] == 3


def test_bib_parses_with_ids_as_keys_after_a_comment_line() -> None:
    done = query("jailbreak papers", "--format", "bib")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("% papers about jailbreak: 4 papers\n")
    library = bibtexparser.parse_string(done.stdout)
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [
        "wang2024adashield",
        "chen2024bathe",
        "bench2024mm",
        "smith2023ringjail",
    ]
    assert library.entries[0]["title"].strip("{}").startswith("AdaShield")


def test_bib_of_resources_cites_the_papers_that_introduced_them() -> None:
    library = bibtexparser.parse_string(query("jailbreak benchmarks for VLMs", "-f", "bib").stdout)
    assert [e.key for e in library.entries] == ["bench2024mm"]


def test_ids_go_to_stdout_and_the_understood_line_to_stderr() -> None:
    done = query("attacks on diffusion models", "--format", "ids")
    assert done.stdout.splitlines() == ["lee2023stealthy", "smith2023ringjail"]
    assert done.stderr.splitlines()[0] == "attacks on dm: 2 papers"


def test_markdown_entries_look_like_an_awesome_list() -> None:
    done = query("defenses against jailbreak on LVLMs", "--format", "md")
    lines = done.stdout.splitlines()
    assert lines[0] == "defenses countering jailbreak on vlm (+ 1 subtype): 2 papers"
    assert "### Inference-time alignment (inference-alignment)" in lines
    adashield = next(line for line in lines if "wang2024adashield" in line)
    assert adashield.startswith("- **[2024.03.14]** **[AdaShield: Safeguarding Multimodal Large Language Models")
    assert "](https://arxiv.org/abs/2403.09513)**" in adashield
    assert "[[code](https://github.com/rain305f/AdaShield)]" in adashield
    assert "Yu Wang, Xiaogeng Liu, Yu Li, Muhao Chen, Chaowei Xiao." in adashield and "*ECCV 2024*" in adashield


def test_flags_answer_like_the_question() -> None:
    words = query("defenses against trojans on LLaVA", "-f", "ids").stdout
    flags = query("--kind", "defenses", "--attack", "trojan", "--model", "LLaVA", "-f", "ids")
    assert flags.returncode == 0 and flags.stdout == words == "liu2024cleanvid\n"
    assert "defenses countering backdoor (+ 1 subtype) on vlm (+ 1 subtype): 1 paper" in flags.stderr
    assert query("--author", "Yu Wang", "--since", "2024", "-f", "ids").stdout == "wang2024adashield\n"
    assert query("--venue", "neurips", "--until", "2023", "-f", "ids").stdout == "smith2023ringjail\n"
    assert query("--related", "chen2024bathe", "-f", "ids").stdout == "wang2024adashield\n"
    assert query("--kind", "attacks", "--attack", "backdoor", "-f", "ids").stdout == (
        "zhang2024trojvlm\nlee2023stealthy\n"
    )
    assert query("--kind", "gaps", "--model", "dm", "-f", "ids").stdout.splitlines() == [
        "dm:backdoor",
        "dm:clean-label-backdoor",
        "dm:jailbreak",
    ]
    # a flag adds to the question
    assert query("defenses against backdoor", "--model", "LLM", "-f", "ids").stdout == "kim2023purify\n"


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--attack", "jailbrake"], "did you mean 'jailbreak'?"),
        (["--venue", "NeurIP"], "did you mean 'NeurIPS'?"),
        (["--related", "chen2024bath"], "did you mean 'chen2024bathe'?"),
        (["defenses against jailbrake on VLMs"], "did you mean 'jailbreak' for 'jailbrake'?"),
    ],
)
def test_unknown_values_exit_2_with_did_you_mean(args: list[str], hint: str) -> None:
    done = query(*args)
    assert done.returncode == 2
    assert hint in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("question", ["hello world", "what is the meaning of life"])
def test_unreadable_question_exits_2_with_examples(question: str) -> None:
    done = query(question)
    assert done.returncode == 2 and done.stdout == ""
    assert "questions it can read:" in done.stderr
    assert 'query.py "which defenses cover backdoors in VLMs"' in done.stderr


def test_no_question_exits_2() -> None:
    assert query().returncode == 2


def test_uncached_run_answers_the_same() -> None:
    assert query("attacks on diffusion models", "-f", "ids", root=FIXTURE_KB, cache=False).stdout == (
        "lee2023stealthy\nsmith2023ringjail\n"
    )


def test_empty_answer_prints_what_is_nearest() -> None:
    done = query("defenses against jailbreak on diffusion models")
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "defenses countering jailbreak on dm: 0 papers",
        "nearest: defenses countering jailbreak on vlm (+ 1 subtype): wang2024adashield, chen2024bathe",
        "defense types that counter jailbreak in general: inference-alignment, safety-alignment",
        "gap: 1 attack paper on dm x jailbreak (smith2023ringjail) and no defense paper",
    ]
    data = json.loads(query("defenses against jailbreak on diffusion models", "-f", "json").stdout)
    assert data["results"] == [] and len(data["nearest"]) == 3


def test_invalid_knowledge_base_exits_1_with_validator_messages(kb_copy: Path) -> None:
    assert query("attacks on VLMs", root=kb_copy, cache=True).returncode == 0  # a valid cache exists now
    bad = kb_copy / "papers" / "2024" / "zhang2024trojvlm.yaml"
    bad.write_text(bad.read_text().replace("attacks: [backdoor]", "attacks: [backdor]"))
    done = query("attacks on VLMs", root=kb_copy, cache=True)
    assert done.returncode == 1 and done.stdout == ""
    assert "zhang2024trojvlm.yaml:" in done.stderr and "backdor" in done.stderr
    assert "Traceback" not in done.stderr


def test_cache_is_written_and_never_answers_from_stale_data(kb_copy: Path) -> None:
    first = query("attacks on VLMs", "-f", "ids", root=kb_copy, cache=True)
    assert first.stdout == "zhang2024trojvlm\n"
    assert (kb_copy / ".cache" / "kb.json").is_file()
    # same size, same mtime, different content: only a content hash notices
    record = kb_copy / "papers" / "2024" / "zhang2024trojvlm.yaml"
    stat = record.stat()
    text = record.read_text()
    assert "models: [vlm]" in text
    record.write_text(text.replace("models: [vlm]", "models: [llm]"))
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert record.stat().st_size == stat.st_size
    assert query("attacks on VLMs", "-f", "ids", root=kb_copy, cache=True).stdout == ""
    assert query("attacks on LLMs", "-f", "ids", root=kb_copy, cache=True).stdout == "zhang2024trojvlm\n"
    # a new record is seen too
    extra = kb_copy / "papers" / "2024" / "zhang2024trojvlmb.yaml"
    extra.write_text(
        text.replace("zhang2024trojvlm", "zhang2024trojvlmb")
        .replace("Planting", "Growing")
        .replace("2402.00001", "2402.00002")
    )
    assert query("attacks on VLMs", "-f", "ids", root=kb_copy, cache=True).stdout == "zhang2024trojvlmb\n"


def test_broken_or_unwritable_cache_falls_back_silently(kb_copy: Path) -> None:
    shutil.rmtree(kb_copy / ".cache", ignore_errors=True)
    (kb_copy / ".cache").mkdir()
    (kb_copy / ".cache" / "kb.json").write_bytes(b"not a cache at all")
    done = query("attacks on VLMs", "-f", "ids", root=kb_copy, cache=True)
    assert (done.returncode, done.stdout, done.stderr.splitlines()[0]) == (
        0,
        "zhang2024trojvlm\n",
        "attacks on vlm (+ 1 subtype): 1 paper",
    )
    shutil.rmtree(kb_copy / ".cache")
    (kb_copy / ".cache").write_text("a file where the cache folder would go")
    done = query("attacks on VLMs", "-f", "ids", root=kb_copy, cache=True)
    assert (done.returncode, done.stdout) == (0, "zhang2024trojvlm\n")


def test_cached_path_imports_no_jsonschema_bibtexparser_or_mkdocs(kb_copy: Path) -> None:
    assert query("attacks on VLMs", root=kb_copy, cache=True).returncode == 0
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from safetykb.query.cli import main; "
        "import io, contextlib; out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out): status = main(['attacks on VLMs', '--root', sys.argv[2]])\n"
        "print(status, sorted(m for m in ('jsonschema', 'bibtexparser', 'mkdocs', 'yaml') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(REPO), str(kb_copy)], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "0 []", done.stderr


def test_output_piped_into_a_closed_pipe_is_no_traceback() -> None:
    script = str(REPO / "scripts" / "query.py")
    shell = f'"{sys.executable}" "{script}" --no-cache --root "{FIXTURE_KB}" "papers since 2020" | head -1'
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("papers since 2020: ") and "Traceback" not in done.stderr


def test_a_former_id_names_the_renamed_paper(tmp_path: Path) -> None:
    from tests.site_kb import RENAMED, make_renamed_kb

    root = make_renamed_kb(tmp_path / "kb")
    old, new = RENAMED
    by_flag = query("--related", old, "--format", "ids", root=root, cache=False)
    by_words = query(f"papers related to {old}", "--format", "ids", root=root, cache=False)
    assert by_flag.returncode == by_words.returncode == 0, by_flag.stderr + by_words.stderr
    assert f"papers related to {new}" in by_flag.stderr and by_flag.stdout == by_words.stdout
    cut = query("papers by Finn Kim", "--format", "md", root=root, cache=False)
    assert "Finn Kim et al." in cut.stdout  # a cut author list says so

def test_terminal_controls_in_the_question_are_never_echoed() -> None:
    """The question is echoed ("understood as ..." or "unknown word"): an ESC or BEL in it must not reach
    the terminal."""
    for question in ("jailbreak \x1b]0;pwned\x07 attacks on vlm", "jailbrek \x1b[2J attacks"):
        result = query(question)
        assert "Traceback" not in result.stderr
        for stream in (result.stdout, result.stderr):
            assert "\x1b" not in stream and "\x07" not in stream, repr(stream)


def test_an_overlong_question_is_refused_before_it_is_read() -> None:
    """Reading is quadratic in unknown words: a 324 kB question took 92 s."""
    words = [f"zq{i}" for i in range(20_000)]
    result = query(*words, cache=False)
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first == ("query.py: cannot read the question: 148,889 characters is too long: ask in at most 500 "
                     "(flags such as --attack, --model and --since narrow a question down)")
    assert "zq19999" not in result.stderr
    long_flag = query("--author", "x" * 600)
    assert long_flag.returncode == 2 and "600 characters is too long" in long_flag.stderr
