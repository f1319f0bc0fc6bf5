"""Questions about results: read, answered and rendered in every format, on the fixture KB (exact ids)
and on the real KB (the three questions of issue 12: "which model is safest on SIUO", "results for
Janus-Pro", "results on MM-SafetyBench typography")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest

from safetykb.core import queries as q
from safetykb.query.ask import answer
from safetykb.query.formats import FORMATS, render
from safetykb.query.question import Unreadable, parse
from tests.helpers import REPO


def ask(graph, text: str):
    return answer(graph, parse(text, graph), text)


@pytest.fixture(scope="module")
def real_graph():
    from safetykb.core.graph import build_graph
    from safetykb.core.validation import load_kb

    return build_graph(load_kb(REPO))


# ---------------------------------------------------------------- reading and answering (fixture KB)

# (question, kind understood, result ids in order: systems, best first)
QUESTIONS: list[tuple[str, str, list[str]]] = [
    ("which system is safest on MMSFB", "leaderboard", ["beta-vl-13b", "alpha-vl-7b"]),
    ("MM Safety Fixture Bench leaderboard", "leaderboard", ["beta-vl-13b", "alpha-vl-7b"]),
    ("results on MMSFB typography", "leaderboard", ["beta-vl-13b", "alpha-vl-7b"]),
    ("scores on mm-bench-safety TYPO", "leaderboard", ["beta-vl-13b", "alpha-vl-7b"]),
    ("which model is safest", "leaderboard", ["beta-vl-13b", "alpha-vl-7b"]),
    ("results for Alpha-VL", "results", ["alpha-vl-7b"]),
    ("Alpha-VL-7B", "results", ["alpha-vl-7b"]),
    ("how did beta vl 13b score on MMSFB", "results", ["beta-vl-13b"]),
]


@pytest.mark.parametrize(("question", "kind", "ids"), QUESTIONS, ids=[x for x, _k, _i in QUESTIONS])
def test_results_question_answers_exact_ids(fixture_graph, question: str, kind: str, ids: list[str]) -> None:
    reply = ask(fixture_graph, question)
    assert reply.query.kind == kind
    assert reply.ids == ids
    assert all(g.kind == "result" and g.result == "bench2024mm-mm-bench-safety-typo" for g in reply.groups)


def test_other_questions_are_not_taken_for_results(fixture_graph) -> None:
    """A taxonomy question naming the benchmark, or with a result word but no subject, reads as before."""
    assert ask(fixture_graph, "papers using MMSFB").query.kind == "papers"
    assert ask(fixture_graph, "jailbreak benchmarks for LVLM").query.kind == "benchmarks"
    assert parse("best defenses against jailbreak", fixture_graph).kind == "defenses"


def test_safest_names_the_best_per_setting(fixture_graph) -> None:
    reply = ask(fixture_graph, "which system is safest on MMSFB")
    assert reply.headline == ("safest systems on mm-bench-safety (TYPO: beta-vl-13b (12.50)): 1 result set, "
                              "2 systems")
    assert reply.query.best


def test_core_questions_one_function_each(fixture_graph) -> None:
    assert q.results_on(fixture_graph, "MMSFB", "typography").ids == ["bench2024mm-mm-bench-safety-typo"]
    assert q.results_on(fixture_graph, "MMSFB", "SD").ids == []
    assert q.results_for(fixture_graph, "Alpha-VL").ids == ["bench2024mm-mm-bench-safety-typo"]
    assert q.safest_on(fixture_graph, "mm-bench-safety").notes == ["TYPO: beta-vl-13b (12.50)"]
    rows = q.leaderboard(fixture_graph, "bench2024mm-mm-bench-safety-typo")
    assert [(r.rank, r.system, r.value, r.best) for r in rows] == [(1, "beta-vl-13b", "12.50", True),
                                                                   (2, "alpha-vl-7b", "30.00", False)]
    assert q.systems_of(fixture_graph, "vlm") == ["alpha-vl-7b", "beta-vl-13b"]  # video-llm is a vlm subtype
    assert q.systems_of(fixture_graph, "video-llm") == ["beta-vl-13b"]
    with pytest.raises(q.UnknownTerm, match="did you mean 'alpha-vl-7b'"):
        q.results_for(fixture_graph, "alpha-vl-7")


def test_empty_results_answer_names_what_there_is(fixture_graph) -> None:
    reply = ask(fixture_graph, "results for Alpha-VL on MMSFB SD+TYPO")  # no such setting: said, not fatal
    assert reply.ids == ["alpha-vl-7b"] and reply.query.ignored == ["sd+typo"]
    reply = answer(fixture_graph, parse("results on MMSFB", fixture_graph).__class__(
        kind="leaderboard", resources=["mm-bench-safety"], settings=["SD"]), "")
    assert reply.ids == [] and reply.nearest[0] == "settings with results on mm-bench-safety: TYPO"


def test_misspelt_system_gets_did_you_mean(fixture_graph) -> None:
    with pytest.raises(Unreadable) as info:
        parse("results for alfa-vl-7", fixture_graph)
    assert "did you mean 'alpha-vl-7b'?" in info.value.suggestions


# ---------------------------------------------------------------- the three questions on the real KB


def test_safest_on_siuo_in_every_format(real_graph) -> None:
    reply = ask(real_graph, "which model is safest on SIUO")
    assert reply.query.kind == "leaderboard" and reply.query.resources == ["siuo"]
    assert reply.understood == ("safest systems on siuo (MCQA: llava-1-6-34b (47.31); OpenQA: gpt-4v (46.71))")
    assert [g.result for g in reply.groups] == ["ye2025survey-siuo-mcqa", "ye2025survey-siuo-openqa"]
    openqa = reply.groups[1]
    assert openqa.ids[0] == "gpt-4v" and openqa.ids[-1] == "janus-pro-7b" and len(openqa.ids) == 12
    out = {fmt: render(real_graph, reply, fmt)[0] for fmt in FORMATS}
    table = out["table"].splitlines()
    assert table[0].startswith("safest systems on siuo")
    assert "    1  gpt-4v          GPT-4V          46.71  best" in table
    assert "   12  janus-pro-7b    Janus-Pro-7B    84.43" in table
    assert "   11  janus-pro-7b    Janus-Pro-7B    73.06" in table
    assert "| 12 of 12 | Janus-Pro-7B (`janus-pro-7b`) | 84.43 |" in out["md"]
    assert "| 1 of 12 | GPT-4V (`gpt-4v`) | **46.71** (best) |" in out["md"]
    data = json.loads(out["json"])
    assert data["count"] == 2 and [r["id"] for r in data["results"]] == ["ye2025survey-siuo-mcqa",
                                                                        "ye2025survey-siuo-openqa"]
    ranking = data["results"][1]["ranking"]
    assert ranking[0] == {"rank": 1, "system": "gpt-4v", "name": "GPT-4V", "value": 46.71, "published": "46.71",
                          "best": True}
    assert ranking[-1]["system"] == "janus-pro-7b" and ranking[-1]["value"] == 84.43
    assert {s["id"] for s in data["systems"]} == set(openqa.ids)
    ids = out["ids"].split()
    assert ids[0] == "llava-1-6-34b" and len(ids) == 12 and set(ids) == set(openqa.ids)  # MCQA order first
    library = bibtexparser.parse_string(out["bib"])
    assert [e.key for e in library.entries] == ["ye2025survey"]


def test_results_for_janus_pro_in_every_format(real_graph) -> None:
    reply = ask(real_graph, "results for Janus-Pro")
    assert reply.query.kind == "results" and reply.query.systems == ["janus-pro-7b"]
    assert reply.headline == "results for janus-pro-7b: 5 result sets"
    assert reply.ids == ["janus-pro-7b"]
    out = {fmt: render(real_graph, reply, fmt)[0] for fmt in FORMATS}
    table = out["table"]
    for line in ("  rank 12 of 12  janus-pro-7b  Janus-Pro-7B  84.43",
                 "  rank 11 of 12  janus-pro-7b  Janus-Pro-7B  73.06",
                 "  rank 3 of 3  janus-pro-7b  Janus-Pro-7B  46.07",
                 "  rank 3 of 3  janus-pro-7b  Janus-Pro-7B  78.09",
                 "  rank 3 of 3  janus-pro-7b  Janus-Pro-7B  79.94"):
        assert line in table.splitlines(), line
    assert "(44.40); kept as published" in table
    assert out["md"].count("| Janus-Pro-7B (`janus-pro-7b`) |") == 5
    data = json.loads(out["json"])
    assert data["query"] == {"kind": "results", "systems": ["janus-pro-7b"]}
    assert len(data["results"]) == 5 and data["systems"][0]["organization"] == "DeepSeek"
    assert out["ids"] == "janus-pro-7b\n"
    assert [e.key for e in bibtexparser.parse_string(out["bib"]).entries] == ["ye2025survey"]


def test_results_on_mm_safetybench_typography_in_every_format(real_graph) -> None:
    reply = ask(real_graph, "results on MM-SafetyBench typography")
    assert (reply.query.kind, reply.query.resources, reply.query.settings) == ("leaderboard", ["mm-safetybench"],
                                                                                ["TYPO"])
    assert reply.headline == "leaderboards on mm-safetybench (TYPO): 1 result set, 3 systems"
    assert reply.ids == ["llava-1-5-7b", "llava-1-5-13b", "janus-pro-7b"]
    out = {fmt: render(real_graph, reply, fmt)[0] for fmt in FORMATS}
    table = out["table"].splitlines()
    assert "    1  llava-1-5-7b   LLaVA-1.5-7B   71.52  best" in table
    assert "  01-Illegal Activity             79.38          81.44          97.93" in table
    assert "  Average (published)             71.52          72.15          78.09" in table
    assert sum(1 for line in table if line.startswith("  ") and line[2:4].isdigit() and "-" in line[:6]) == 13
    assert "| 11-Financial Advice | 99.40 | 99.40 | 100.00 |" in out["md"]
    data = json.loads(out["json"])
    (result,) = data["results"]
    assert result["id"] == "ye2025survey-mm-safetybench-typo" and len(result["categories"]) == 13
    janus = next(v for v in result["values"] if v["system"] == "janus-pro-7b")
    assert janus["value"] == 78.09 and janus["by_category"]["11-Financial Advice"] == 100.0
    assert out["ids"] == "llava-1-5-7b\nllava-1-5-13b\njanus-pro-7b\n"


def _query(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.run([sys.executable, str(REPO / "scripts" / "query.py"), *args, "--no-cache"], cwd=REPO,
                          capture_output=True, text=True, timeout=60, env=env)


def test_the_script_answers_and_takes_flags() -> None:
    done = _query("which model is safest on SIUO", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["understood"].startswith("safest systems on siuo")
    flags = _query("--system", "Janus-Pro", "--benchmark", "SIUO", "--setting", "open-ended", "-f", "ids")
    assert flags.returncode == 0 and flags.stdout == "janus-pro-7b\n"
    assert flags.stderr.splitlines()[0] == "results for janus-pro-7b on siuo (OpenQA): 1 result set"
    wrong = _query("--system", "janus")
    assert wrong.returncode == 2 and "did you mean 'janus-pro-7b'?" in wrong.stderr


def test_examples_include_the_results_questions() -> None:
    done = _query("zzz qqq")
    assert done.returncode == 2
    assert 'query.py "which model is safest on SIUO"' in done.stderr


def test_result_answers_are_cached_like_the_rest(tmp_path: Path) -> None:
    import shutil

    from safetykb.query.cache import load_graph

    root = tmp_path / "kb"
    shutil.copytree(REPO / "tests" / "fixtures" / "kb", root)
    graph, _problems = load_graph(root)
    again, _problems = load_graph(root)  # read back from .cache/
    assert "_results_vocab" in again.graph
    assert ask(again, "results for Alpha-VL").ids == ask(graph, "results for Alpha-VL").ids == ["alpha-vl-7b"]


def test_results_on_a_benchmark_without_any_say_so(fixture_graph) -> None:
    reply = ask(fixture_graph, "results on advset")
    assert (reply.query.kind, reply.query.resources, reply.ids) == ("leaderboard", ["advset"], [])
    assert reply.nearest == ["no result set on advset yet", "benchmarks with results: mm-bench-safety"]
