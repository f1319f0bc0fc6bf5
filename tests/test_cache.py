"""The caches under <root>/.cache/: sealed JSON that runs no code, the validated snapshot, and the answers
given from them, which must be the answers given without them (safetykb.core.sealed, core.snapshot,
query.cache)."""

from __future__ import annotations

import json
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from safetykb.core import sealed, snapshot
from safetykb.core.duplicates import duplicates_of, find_duplicates
from safetykb.core.validation import load_and_validate, load_kb
from safetykb.query import cache
from tests.helpers import FIXTURE_KB, REPO

PAPER = Path("papers/2024/zhang2024trojvlm.yaml")


@pytest.fixture()
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, root, ignore=shutil.ignore_patterns(".cache"))
    return root


def _same_graph(a, b) -> None:
    """Equal as graphs, in the order nodes, their data and successors come; predecessors as mappings (after
    a change their order may differ: nothing reads them in order)."""
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert [(u, list(v.items())) for u, v in a._succ.items()] == [(u, list(v.items())) for u, v in b._succ.items()]
    assert a._pred == b._pred
    for name in ("_terms", "_paper_index", "_children", "_matrix", "_question_vocab", "_results_vocab"):
        assert a.graph.get(name) == b.graph.get(name), name


def _edit(root: Path, rel: Path, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_sealed_file_round_trip_and_foreign_files_ignored(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "c.json"
    assert sealed.write(path, "test", 1, {"a": [1, "b", None]})
    assert sealed.read(path, "test", 1) == {"a": [1, "b", None]}
    assert sealed.read(path, "test", 2) is None and sealed.read(path, "other", 1) is None
    head, body = path.read_bytes().split(b"\n", 1)
    path.write_bytes(head + b"\n" + body.replace(b'"b"', b'"c"'))  # the data changed, the seal did not
    assert sealed.read(path, "test", 1) is None
    # Another user's (or a planted) file: sealed with another key.
    monkeypatch.setattr(sealed, "_key", None)
    monkeypatch.setenv("SAFETYKB_SEAL_DIR", str(tmp_path / "attacker"))
    assert sealed.write(path, "test", 1, {"a": "planted"})
    monkeypatch.setattr(sealed, "_key", None)
    monkeypatch.delenv("SAFETYKB_SEAL_DIR")
    monkeypatch.setenv("SAFETYKB_SEAL_DIR", str(tmp_path / "me"))
    assert sealed.read(path, "test", 1) is None
    assert (tmp_path / "me" / "seal.key").stat().st_mode & 0o077 == 0  # this user's alone


class _Boom:
    def __reduce__(self):
        return (Path.touch, (Path("/tmp/safetykb-pwned"),))


def test_a_planted_cache_neither_runs_code_nor_changes_answers(kb: Path, tmp_path: Path) -> None:
    marker = Path("/tmp/safetykb-pwned")
    marker.unlink(missing_ok=True)
    (kb / ".cache").mkdir()
    payload = pickle.dumps(_Boom())
    for name in ("query-graph.pickle", "kb.json", "kb-extra.json"):
        (kb / ".cache" / name).write_bytes(payload)
    run = [sys.executable, str(REPO / "scripts" / "query.py"), "attacks on VLMs", "-f", "ids", "--root", str(kb)]
    done = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "zhang2024trojvlm\n") and not marker.exists()
    # A well-formed snapshot whose records are not the files, sealed by someone else, is ignored too.
    data = json.loads((kb / ".cache" / "kb.json").read_bytes().split(b"\n", 1)[1])
    for record in data["records"]:
        if record["id"] == "zhang2024trojvlm":
            record["models"] = ["llm"]
    env_dir = tmp_path / "attacker"
    code = ("import sys, json; from pathlib import Path; from safetykb.core import sealed; "
            "sealed.write(Path(sys.argv[1]), 'records', 1, json.loads(Path(sys.argv[2]).read_text()))")
    (tmp_path / "data.json").write_text(json.dumps(data))
    subprocess.run([sys.executable, "-c", code, str(kb / ".cache" / "kb.json"), str(tmp_path / "data.json")],
                   check=True, cwd=REPO, env={"SAFETYKB_SEAL_DIR": str(env_dir), "PATH": "/usr/bin:/bin"})
    (kb / ".cache" / "kb-extra.json").unlink()
    done = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "zhang2024trojvlm\n")


def test_answers_after_edits_are_the_answers_without_a_cache(kb: Path, monkeypatch) -> None:
    graph, problems = cache.load_graph(kb)
    assert not problems
    calls: list[object] = []
    real = snapshot.revalidate
    monkeypatch.setattr(snapshot, "revalidate", lambda *a: calls.append(real(*a)) or calls[-1])
    edits = [
        (PAPER, "models: [vlm]", "models: [llm, vlm]"),  # new edges, new matrix cells
        (PAPER, "title: ", "title: Revised "),  # vocabulary
        (PAPER, "attacks: [backdoor]", "attacks: [jailbreak]"),
    ]
    for rel, old, new in edits:
        _edit(kb, rel, old, new)
        patched, problems = cache.load_graph(kb)
        assert not problems and calls and calls[-1] is not None, "the change was checked alone"
        _same_graph(patched, cache.load_graph(kb, use_cache=False)[0])
        _same_graph(cache.load_graph(kb)[0], patched)  # and read back as it was kept
    # A new paper (a copy of one with a new id, title and arXiv id) is a change checked alone too.
    text = (kb / PAPER).read_text(encoding="utf-8")
    (kb / PAPER.parent / "zhang2024other.yaml").write_text(
        text.replace("zhang2024trojvlm", "zhang2024other").replace("Revised", "Unrelated other words")
        .replace("2402.00001", "2402.00009"), encoding="utf-8")
    patched, problems = cache.load_graph(kb)
    assert not problems and calls[-1] is not None
    _same_graph(patched, cache.load_graph(kb, use_cache=False)[0])


@pytest.mark.parametrize("change", ["taxonomy", "removed", "duplicate", "broken"])
def test_changes_that_are_not_checked_alone_give_the_full_answer(kb: Path, change: str) -> None:
    assert not cache.load_graph(kb)[1]
    if change == "taxonomy":
        path = next((kb / "taxonomy" / "attacks").glob("*.yaml"))
        _edit(kb, path.relative_to(kb), "name: ", "name: Renamed ")
    elif change == "removed":
        (kb / PAPER).unlink()
    elif change == "duplicate":  # a second record of the same paper: the full run names both
        shutil.copy(kb / PAPER, kb / PAPER.parent / "zhang2024copy.yaml")
        _edit(kb, PAPER.parent / "zhang2024copy.yaml", "id: zhang2024trojvlm", "id: zhang2024copy")
    else:
        _edit(kb, PAPER, "attacks: [backdoor]", "attacks: [backdor]")
    graph, problems = cache.load_graph(kb)
    fresh, fresh_problems = cache.load_graph(kb, use_cache=False)
    assert problems == fresh_problems
    if graph is None:
        assert fresh is None and problems
    else:
        _same_graph(graph, fresh)


@pytest.mark.parametrize("old,new", [
    ("attacks: [backdoor]", "attacks: [backdor]"),  # an unknown reference, with its suggestion
    ("id: zhang2024trojvlm", "id: zhang2024trojvlmx"),  # the id and the file name disagree
    ("title: ", "title: jailbreaking with LLaVA and "),  # a casing warning
    ("year: 2024", "year: 2023"),  # the folder and the year disagree
])
def test_validate_path_with_the_snapshot_reports_what_a_full_run_reports(kb: Path, old: str, new: str) -> None:
    def validate(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(REPO / "scripts" / "validate.py"), "--root", str(kb), *extra],
                              capture_output=True, text=True, timeout=120, cwd=kb)

    assert validate().returncode == 0 and (kb / ".cache" / "kb.json").is_file()  # a clean run keeps a snapshot
    _edit(kb, PAPER, old, new)
    scoped, full = validate(str(PAPER)), validate(str(PAPER), "--no-cache")
    assert (scoped.returncode, scoped.stdout) == (full.returncode, full.stdout)
    assert "Traceback" not in scoped.stderr


def test_scoped_duplicate_search_finds_what_the_full_search_finds() -> None:
    papers = sorted(load_kb(FIXTURE_KB).papers.items())
    rng = random.Random(5)
    extra = []
    for i, (paper_id, record) in enumerate(papers * 3):  # near copies, exact copies and same arXiv ids
        copy = dict(record, id=f"{paper_id}x{i}")
        title = record["title"]
        copy["title"] = rng.choice([title, title + "s", title[:-1], "An " + title, "Other words entirely"])
        if rng.random() < 0.3:
            copy["not_duplicate_of"] = [paper_id]
        extra.append((copy["id"], copy))
    papers = sorted([*papers, *extra])
    found = find_duplicates(papers)
    for _ in range(20):
        wanted = {paper_id for paper_id, _r in rng.sample(papers, 5)}
        assert duplicates_of(papers, wanted) == [d for d in found if d.later in wanted]


def test_index_codec_round_trip(kb: Path) -> None:
    graph, _problems = cache.load_graph(kb, use_cache=False)
    for name, (kind, _factory) in cache._index_types().items():
        if name in graph.graph:
            data = json.loads(json.dumps(cache.encode(graph.graph[name], kind)))
            assert cache.decode(data, kind) == graph.graph[name], name


def test_a_file_changed_while_validating_leaves_no_snapshot(kb: Path) -> None:
    listing = snapshot.scan(kb)
    _edit(kb, PAPER, "title: ", "title: Changed ")
    result = load_and_validate(kb)
    assert not result.problems
    assert not snapshot.write(kb, result, listing)
    assert snapshot.write(kb, result, snapshot.scan(kb))
