"""scripts/bench_engines.py: its table and its refusal without the engines (the full run is for docs/benchmarks.md;
tests/test_engines.py builds with every engine)."""

from __future__ import annotations

from safetykb.bench import engines as bench_engines


def _result(source: str, seconds: dict[str, float], pages: int) -> dict:
    result = {"source": source, "engines": {e: {"seconds": s, "cpu_seconds": s * 1.5, "ok": s > 0, "html_pages": pages}
                                             for e, s in seconds.items()}}
    if source != "real":
        result["counts"] = {"paper": 1049, "resource": 77}
    return result


def test_table_puts_the_engines_side_by_side() -> None:
    results = [_result("real", {"mkdocs": 15.04, "zensical": 20.55}, 850),
               _result("synthetic", {"mkdocs": 40.0, "zensical": 0}, 1300)]
    assert bench_engines.table(results, ["mkdocs", "zensical"]).splitlines() == [
        "| build (s) | real | 1,049 synthetic papers |",
        "|---|---|---|",
        "| mkdocs, wall | 15.0 | 40.0 |",
        "| zensical, wall | 20.6 | failed |",
        "| mkdocs, CPU | 22.6 | 60.0 |",
        "| zensical, CPU | 30.8 | failed |",
        "| HTML pages | 850 | 1300 |",
    ]


def test_refuses_to_run_without_an_engine(monkeypatch, capsys) -> None:
    monkeypatch.setattr(bench_engines, "installed", lambda engine: engine.name != "zensical")
    assert bench_engines.main(["--engines", "mkdocs", "zensical"]) == 2
    assert "not installed: zensical; run `make engines`" in capsys.readouterr().err
