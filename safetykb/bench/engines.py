"""`scripts/bench_engines.py`: the site's build time with each engine (mkdocs, ProperDocs, Zensical), side by side.

The knowledge bases are laid out as `scripts/bench.py` lays them out (a temporary checkout with the
real records, and one with N synthetic papers over the real taxonomy), and each build is one fresh
`scripts/build_site.py --engine E` process in that checkout, as `make build ENGINE=E` runs it: the
time includes validating the records and generating the pages (in the hook for mkdocs and ProperDocs,
in `scripts/build_pages.py` for Zensical). The engines take turns and the fastest of `--repeat` runs
counts, both in wall time and in CPU time (user + system of the build and every process it started,
which a machine shared with other work disturbs less than wall time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from safetykb.bench.harness import Bench, Run, cpu_probe, machine, run
from safetykb.core.layout import repo_root
from safetykb.site.engines import ENGINES, installed


def _children_cpu() -> float:
    """User + system CPU seconds of every child process reaped so far, with their own reaped children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(bench: Bench, name: str, papers: int | None, engines: list[str]) -> dict[str, Any]:
    root, info = bench.checkout(name, papers)
    run([bench.python, "-m", "compileall", "-q", str(root / "safetykb"), str(root / "scripts")], root, bench.env(root))
    out: dict[str, Any] = {"name": name, **info, "engines": {}}
    runs: dict[str, list[Run]] = {engine: [] for engine in engines}
    cpu: dict[str, list[float]] = {engine: [] for engine in engines}
    for _ in range(bench.repeat):  # engines take turns, so a busy minute on a shared machine hits them alike
        for engine in engines:
            site = bench.work / f"site-{name}-{engine}"
            before = _children_cpu()
            runs[engine].append(run([bench.python, "scripts/build_site.py", "--engine", engine, "--out", str(site),
                                     "--root", str(root)], root, bench.env(root)))
            cpu[engine].append(_children_cpu() - before)
            runs[engine][-1].stdout = str(sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0)
            shutil.rmtree(site, ignore_errors=True)
    for engine, done in runs.items():
        best = min(done, key=lambda r: r.seconds)
        out["engines"][engine] = {"seconds": best.seconds, "all_seconds": [r.seconds for r in done],
                                  "cpu_seconds": min(cpu[engine]), "all_cpu_seconds": cpu[engine],
                                  "ok": all(r.code == 0 for r in done), "peak_rss_mb": best.peak_rss_mb,
                                  "html_pages": int(best.stdout)}
        if best.code != 0:
            out["engines"][engine]["error"] = best.stderr[-1000:]
    return out


def table(results: list[dict[str, Any]], engines: list[str]) -> str:
    def label(result: dict[str, Any]) -> str:
        return "real" if result["source"] == "real" else f"{result['counts']['paper']:,} synthetic papers"

    lines = ["| build (s) | " + " | ".join(label(r) for r in results) + " |",
             "|---|" + "---|" * len(results)]
    for key, what in (("seconds", "wall"), ("cpu_seconds", "CPU")):
        for engine in engines:
            cells = []
            for result in results:
                data = result["engines"][engine]
                cells.append(f"{data[key]:.1f}" if data["ok"] else "failed")
            lines.append(f"| {engine}, {what} | " + " | ".join(cells) + " |")
    lines.append("| HTML pages | " + " | ".join(
        "/".join(sorted({str(d["html_pages"]) for d in r["engines"].values()})) for r in results) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_engines.py", description=__doc__.split("\n\n")[0].split(": ", 1)[1])
    parser.add_argument("--papers", type=int, default=1000, help="synthetic size (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per engine and KB; the fastest counts")
    parser.add_argument("--engines", nargs="+", choices=sorted(ENGINES), default=list(ENGINES))
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)
    missing = [e for e in args.engines if not installed(ENGINES[e])]
    if missing:
        print(f"bench_engines.py: not installed: {', '.join(missing)}; run `make engines`", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="safetykb-bench-engines-"))
    try:
        bench = Bench(repo_root(), work, repeat=max(1, args.repeat))
        info = machine()
        results = [measure(bench, "real", None, args.engines), measure(bench, "synthetic", args.papers, args.engines)]
        info["loadavg_end"] = list(os.getloadavg())
        info["cpu_probe_end"] = cpu_probe()
        if args.json:
            print(json.dumps({"machine": info, "results": results}, indent=2))
        else:
            print(table(results, args.engines))
            print(f"\nmachine: {info['nproc']} cores, {info['cpu']}, {info['memory_gb']} GB, Python {info['python']}, "
                  f"load {info['loadavg_start'][0]:.1f} -> {info['loadavg_end'][0]:.1f}")
        return 0 if all(d["ok"] for r in results for d in r["engines"].values()) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
